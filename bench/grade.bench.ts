/**
 * Grading cost: the pure grader over a snapshot, one replay + grade of a submission, and
 * `dnlab grade`'s core over 1,000 submissions (half honest, half tampered: claims of passing
 * with logs that do not pass), each replayed in a fresh simulator.
 * DNLAB_BENCH_SUBMISSIONS changes the count.
 */
import { loadExercises } from '../src/exercise/load-node.ts';
import { gradeCommands, simulatorEnv } from '../src/exercise/runner.ts';
import { createAssignment, createSubmission } from '../src/exercise/bundles.ts';
import { gradeSubmission } from '../src/cli/grade.ts';
import { grade } from '../src/sim/index.ts';
import type { BenchCase, BenchSuite } from './run.ts';

const exercises = loadExercises();
const links = exercises.find((e) => e.id === 'links-alias')!;

export const suite: BenchSuite = {
  name: 'grading',
  cases(): BenchCase[] {
    const replayed = gradeCommands(links, links.solution, simulatorEnv);
    const log = links.solution.map((command) => ({ host: 'docker-node1', command }));
    return [
      // Reach checks call the probe; the pure part is measured without it.
      { name: 'grade(snapshot) links-alias, no probe', fn: () => void grade(replayed.snapshot, links, log), target: { maxMedianMs: 1 } },
      {
        name: 'replay + grade links-alias reference solution',
        fn: () => void gradeCommands(links, links.solution, simulatorEnv),
        target: { maxMedianMs: 100 },
      },
    ];
  },
  report() {
    const n = Number(process.env.DNLAB_BENCH_SUBMISSIONS ?? 1000);
    const assignment = createAssignment({ title: 'bench', exercises: [links] });
    const map = new Map(exercises.map((e) => [e.id, e]));
    const texts = Array.from({ length: n }, (_, i) =>
      JSON.stringify(
        createSubmission({
          learner: `learner ${i}`,
          assignment,
          attempts: [
            {
              exerciseId: links.id,
              seed: i + 1,
              log: (i % 2 ? ['docker run -dit --name web --link db centos:7'] : links.solution).map((command) => ({
                host: 'docker-node1',
                command,
              })),
              claimed: { status: 'passed' },
            },
          ],
          at: new Date(0),
        }),
      ),
    );
    const t0 = performance.now();
    let passed = 0;
    for (const [i, t] of texts.entries())
      passed += gradeSubmission(t, `s${i}.json`, assignment, map, simulatorEnv).filter((r) => r.status === 'passed').length;
    const ms = performance.now() - t0;
    return {
      [`dnlab grade core, ${n} submissions (links-alias)`]: `${(ms / 1000).toFixed(1)} s total, ${(ms / n).toFixed(1)} ms each, ${passed} passed (expected ${Math.ceil(n / 2)})`,
    };
  },
};
