/**
 * Every exercise, run through the simulator: its starting state fails, its reference solution
 * passes (with two seeds, so ids and ephemeral choices do not matter), and each wrong solution
 * fails first on the check it names (so the first failure shown is the one to fix).
 *
 * These need the docker engine in the Lab: `dockerAvailable` runs `docker version` in a fresh
 * Lab to find out. Each exercise runs in both lab profiles — `course` (real images) and
 * `golden` (the stand-in images of the recording machine) — when the images it uses run there:
 * `imageRuns` starts each one (`docker run -dit IMAGE`, then `docker inspect` says whether it
 * runs). What is skipped for that reason is printed by the first test.
 */
import { describe, expect, it } from 'vitest';
import { createLab } from '../../src/sim/index.ts';
import { loadExercises } from '../../src/exercise/load-node.ts';
import { gradeCommands, gradeStart, simulatorEnvWith, type ReplayedAttempt } from '../../src/exercise/runner.ts';
import { imagesRun } from '../../src/sim/snapshot/commandlog.ts';
import { splitHostPrompt } from '../../src/sim/snapshot/exercise.ts';

type Profile = 'course' | 'golden';
const PROFILES: Profile[] = ['course', 'golden'];

function probeDocker(): boolean {
  try {
    return createLab({ seed: 1 }).exec('docker version').exit === 0;
  } catch {
    return false;
  }
}
const dockerAvailable = probeDocker();

const imageCache = new Map<string, boolean>();
function imageRuns(profile: Profile, image: string): boolean {
  const key = `${profile}/${image}`;
  if (!imageCache.has(key)) {
    let ok: boolean;
    try {
      const lab = createLab({ seed: 1, profile });
      lab.exec(`docker run -dit --name image-probe ${image}`);
      ok = lab.exec(`docker inspect -f '{{.State.Running}}' image-probe`).output.trim() === 'true';
    } catch {
      ok = false;
    }
    imageCache.set(key, ok);
  }
  return imageCache.get(key)!;
}

const exercises = loadExercises();
const cases = PROFILES.flatMap((profile) =>
  exercises.map((ex) => {
    const lines = [...ex.setup.commands, ...ex.solution, ...ex.wrong.flatMap((w) => w.commands)].map((l) => splitHostPrompt(l).command);
    // Images the exercise builds itself (`docker build -t NAME`) are not the engine's to provide.
    const built = new Set(
      lines.flatMap((l) => [...l.matchAll(/\bdocker\s+(?:image\s+)?build\b.*?(?:-t|--tag)[ =](\S+)/g)].map((m) => m[1])),
    );
    const missing = dockerAvailable ? imagesRun(lines).filter((i) => !built.has(i) && !imageRuns(profile, i)) : [];
    return { profile, ex, missing };
  }),
);

const failures = (r: ReplayedAttempt): string =>
  r.result.checks
    .filter((c) => !c.passed)
    .map((c) => `${c.id}: ${c.message}`)
    .join('\n') +
  '\n' +
  r.outputs.map((o) => `$ ${o.command}\n${o.output}[exit ${o.exit}]`).join('\n');

it.skipIf(!dockerAvailable)('every exercise runs in at least one lab profile', () => {
  const skipped = cases.filter((c) => c.missing.length).map((c) => `${c.profile}: ${c.ex.id} (${c.missing.join(', ')})`);
  if (skipped.length) console.warn(`skipped, images that do not run in the simulator yet:\n  ${skipped.join('\n  ')}`);
  for (const ex of exercises)
    expect(
      cases.some((c) => c.ex === ex && !c.missing.length),
      `${ex.id} runs in no profile`,
    ).toBe(true);
});

describe.each(cases.map((c) => [c.ex.id, c.profile, c] as const))('%s (%s profile)', (_id, profile, { ex, missing }) => {
  const skip = !dockerAvailable || missing.length > 0;
  const env = simulatorEnvWith({ profile });

  it.skipIf(skip || profile !== 'course')('the starting state fails', () => {
    expect(gradeStart(ex, env).result.status).toBe('failed');
  });

  // The golden profile (stand-in images) checks the reference solution once; the course profile does everything.
  const full = profile === 'course';

  it.skipIf(skip).each(full ? [1, 2] : [1])('the reference solution passes (seed %i)', (seed) => {
    const r = gradeCommands(ex, ex.solution, env, seed);
    expect(r.result.status, failures(r)).toBe('passed');
  });

  it.skipIf(skip || !full || ex.wrong.length === 0).each(ex.wrong.map((w, i) => [i + 1, w] as const))(
    'wrong solution %i fails first on its named check',
    (_i, w) => {
      const r = gradeCommands(ex, w.commands, env);
      const first = r.result.checks.find((c) => !c.passed);
      expect(first?.id, `${w.why ?? ''}\n${failures(r)}`).toBe(w.fails);
    },
  );
});
