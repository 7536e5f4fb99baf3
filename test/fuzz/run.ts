/**
 * `npm run fuzz`: a longer robustness campaign. Random command sequences (grammar-built lines,
 * shell noise, raw bytes) on a GNU host and a busybox container, then on the whole lab (Docker
 * engine included). Prints how many lines ran and the first counterexample, if any.
 *
 *   npm run fuzz [-- --runs N] [--seed S] [--full-runs N]
 */
import fc from 'fast-check';
import { anyLine, labLine, makeRig, typeLine } from './shell-props.ts';

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : dflt;
}

export async function main(args: string[]): Promise<number> {
  const runs = arg(args, '--runs', 400);
  const fullRuns = arg(args, '--full-runs', 60);
  const seed = arg(args, '--seed', Date.now() % 2 ** 31);
  let lines = 0;
  let failed = false;
  const started = Date.now();
  const campaign = (label: string, userland: 'gnu' | 'busybox', full: boolean, numRuns: number): void => {
    const t = Date.now();
    const before = lines;
    const r = fc.check(
      fc.property(fc.array(full ? labLine : anyLine, { minLength: 1, maxLength: 10 }), (seq) => {
        const rig = makeRig(userland, full);
        for (const l of seq) {
          typeLine(rig, l);
          lines++;
        }
      }),
      { numRuns, seed },
    );
    console.log(
      `${label}: ${r.numRuns} sequences, ${lines - before} lines, ${((Date.now() - t) / 1000).toFixed(1)} s${r.failed ? ' — FAILED' : ''}`,
    );
    if (r.failed) {
      failed = true;
      console.log(`  seed ${r.seed}, path ${r.counterexamplePath}`);
      console.log(`  counterexample: ${JSON.stringify(r.counterexample)}`);
      console.log(`  ${String(r.errorInstance).slice(0, 2000)}`);
    }
  };
  console.log(`fuzz seed ${seed}`);
  campaign('shell on a GNU host', 'gnu', false, runs);
  campaign('shell in a busybox container', 'busybox', false, Math.ceil(runs / 2));
  campaign('whole lab (docker engine included)', 'gnu', true, fullRuns);
  console.log(
    `${lines} random command lines in ${((Date.now() - started) / 1000).toFixed(0)} s: ${failed ? 'FAILURES above' : 'no failure'}`,
  );
  return failed ? 1 : 0;
}
