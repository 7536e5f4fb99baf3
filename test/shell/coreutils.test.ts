/**
 * Every case in reference/cases.txt was run on this machine with real bash + GNU coreutils/grep/
 * sed/mawk and with busybox sh + applets (reference/record.py wrote reference/coreutils.json).
 * The simulator must print the same stdout and stderr and exit with the same status.
 */
import { describe, expect, test } from 'vitest';
import { loadCases, normalise, runCase } from './reference/compare.ts';

/** Differences that come from the recording machine, not from the tools. */
const RECORDING_ARTIFACTS: Record<string, 'gnu' | 'busybox'> = {
  // Debian's busybox package has no printenv applet; alpine/busybox images do.
  'printenv HOME > /dev/null; echo $?': 'busybox',
  'printenv NOSUCH; echo $?': 'busybox',
  // The recorder's applets lived in a temporary directory.
  'which ls sh': 'busybox',
};

const cases = loadCases();

for (const userland of ['gnu', 'busybox'] as const) {
  describe(`coreutils reference outputs (${userland})`, () => {
    for (const c of cases) {
      if (RECORDING_ARTIFACTS[c.cmd] === userland) continue;
      test(c.cmd, () => {
        const want = c[userland];
        expect(runCase(c, userland)).toEqual({ stdout: normalise(want.stdout), stderr: normalise(want.stderr), status: want.status });
      });
    }
  });
}
