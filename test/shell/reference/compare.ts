/** Runs the recorded reference cases on the simulator; shared by the unit test and a CLI report. */
import { readFileSync } from 'node:fs';
import { testMachine } from '../../helpers/sim.ts';

export interface RefResult {
  stdout: string;
  stderr: string;
  status: number;
}
export interface RefCase {
  cmd: string;
  gnu: RefResult;
  busybox: RefResult;
}

export const SETUP = [
  "printf 'alpha 1\\nbeta 2\\ngamma 3\\nalpha 4\\n' > data.txt",
  "printf 'b\\na\\nc\\na\\n' > letters",
  'mkdir -p dir/sub && : > dir/f1 && : > dir/f2',
  "printf 'root:x:0:0:root:/root:/bin/bash\\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\\n' > passwd",
  "printf -- '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP\\n-A DOCKER-ISOLATION-STAGE-2 -j RETURN\\n' > iptable-rule",
].join('\n');

export function loadCases(): RefCase[] {
  return JSON.parse(readFileSync(new URL('./coreutils.json', import.meta.url), 'utf8')) as RefCase[];
}

/** The banner names busybox's build; the lab's images carry another build than this machine's. */
export const normalise = (s: string): string => s.replace(/^BusyBox v[^\n]*multi-call binary\.$/gm, 'BusyBox multi-call binary.');

export function runCase(c: RefCase, userland: 'gnu' | 'busybox'): RefResult {
  // A fresh machine; the fixture in the shell's working directory (/root), like the recorder's.
  const m = testMachine({ userland });
  const setup = m.run(SETUP);
  if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  const r = m.run(c.cmd);
  return { stdout: normalise(r.stdout), stderr: normalise(r.stderr), status: r.status };
}
