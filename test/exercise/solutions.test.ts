/**
 * Every exercise, run through the simulator: its starting state fails, its reference solution
 * passes (with two seeds, so ids and ephemeral choices do not matter), and each wrong solution
 * fails on the check it names. These need the docker engine in the Lab: `dockerAvailable` runs
 * `docker version` in a fresh Lab to find out.
 */
import { describe, expect, it } from 'vitest';
import { createLab } from '../../src/sim/index.ts';
import { loadExercises } from '../../src/exercise/load-node.ts';
import { gradeCommands, gradeStart, simulatorEnv } from '../../src/exercise/runner.ts';

function probeDocker(): boolean {
  try {
    return createLab({ seed: 1 }).exec('docker version').exit === 0;
  } catch {
    return false;
  }
}
const dockerAvailable = probeDocker();

const failures = (r: ReturnType<typeof gradeCommands>): string =>
  r.result.checks
    .filter((c) => !c.passed)
    .map((c) => `${c.id}: ${c.message}`)
    .join('\n') +
  '\n' +
  r.outputs.map((o) => `$ ${o.command}\n${o.output}[exit ${o.exit}]`).join('\n');

describe.each(loadExercises().map((e) => [e.id, e] as const))('%s in the simulator', (_id, ex) => {
  it.skipIf(!dockerAvailable)('the starting state fails', () => {
    expect(gradeStart(ex, simulatorEnv).result.status).toBe('failed');
  });

  it.skipIf(!dockerAvailable).each([1, 2])('the reference solution passes (seed %i)', (seed) => {
    const r = gradeCommands(ex, ex.solution, simulatorEnv, seed);
    expect(r.result.status, failures(r)).toBe('passed');
  });

  it.skipIf(!dockerAvailable || ex.wrong.length === 0).each(ex.wrong.map((w, i) => [i, w] as const))(
    'wrong solution %i fails on its named check',
    (_i, w) => {
      const r = gradeCommands(ex, w.commands, simulatorEnv);
      const named = r.result.checks.find((c) => c.id === w.fails);
      expect(named, `no check ${w.fails}`).toBeDefined();
      expect(named!.passed, `${w.why ?? ''}\n${failures(r)}`).toBe(false);
      expect(r.result.status).toBe('failed');
    },
  );
});
