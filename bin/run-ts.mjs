#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, the fuzzer) through tsx: node bin/run-ts.mjs FILE [ARGS].
import { tsImport } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts.mjs FILE [ARGS...]');
  process.exit(2);
}
process.argv = [process.argv[0], file, ...rest];
const mod = await tsImport(pathToFileURL(resolve(file)).href, import.meta.url);
if (typeof mod.main === 'function') process.exitCode = await mod.main(rest);
