/**
 * `npm run bench`: runs every benchmark suite (bench/*.bench.ts, each exporting `suite`) with
 * tinybench and prints a table of median times; writes bench/results/latest.json.
 * Speed and size targets live here, not in timed tests.
 */
import { Bench } from 'tinybench';
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export interface BenchCase {
  name: string;
  /** Runs once per iteration. */
  fn: () => void;
  /** Prepares state before timing starts. */
  setup?: () => void;
  /** A target, shown next to the result (e.g. "< 0.2 ms"). */
  target?: { maxMedianMs: number };
}

export interface BenchSuite {
  name: string;
  cases: () => BenchCase[];
  /** Extra figures a suite reports that are not timings (memory, sizes). */
  report?: () => Record<string, string>;
}

export async function main(args: string[]): Promise<number> {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !args.length || args.some((a) => f.includes(a)))
    .sort();
  const results: Record<string, unknown> = {};
  if (!files.length) console.log('no benchmark suites yet');
  let missed = 0;
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { suite: BenchSuite };
    const suite = mod.suite;
    const bench = new Bench({ time: 500, warmupTime: 100 });
    const cases = suite.cases();
    for (const c of cases) bench.add(c.name, c.fn, c.setup ? { beforeAll: c.setup } : {});
    await bench.run();
    console.log(`\n# ${suite.name}`);
    for (const task of bench.tasks) {
      const c = cases.find((x) => x.name === task.name)!;
      const r = task.result as { latency?: { p50?: number }; throughput?: { mean?: number } } | undefined;
      const median = r?.latency?.p50 ?? NaN;
      const ok = c.target ? median <= c.target.maxMedianMs : true;
      if (!ok) missed++;
      const target = c.target ? `  target < ${c.target.maxMedianMs} ms ${ok ? 'ok' : 'MISSED'}` : '';
      console.log(`  ${task.name.padEnd(60)} median ${median.toFixed(4)} ms${target}`);
      results[`${suite.name} / ${task.name}`] = { medianMs: median, target: c.target?.maxMedianMs };
    }
    if (suite.report)
      for (const [k, v] of Object.entries(suite.report())) {
        console.log(`  ${k.padEnd(60)} ${v}`);
        results[`${suite.name} / ${k}`] = v;
      }
  }
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  if (missed) console.log(`\n${missed} benchmark target(s) missed`);
  return 0;
}
