#!/usr/bin/env node
// `dnlab`: the simulator on the command line. The TypeScript sources run through tsx, so the
// command works straight after `npm install`, with no build step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
