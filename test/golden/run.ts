/** `npm run golden [-- --update] [-- FILTER]`: prints each file's score and its mismatches. */
import { writeFileSync } from 'node:fs';
import { BASELINE, scoreFile, singleHostFiles, twoHostFiles } from './replay-all.ts';

const args = process.argv.slice(2);
const update = args.includes('--update');
const verbose = args.includes('--verbose');
const filters = args.filter((a) => !a.startsWith('--'));
let matched = 0;
let total = 0;
const files: Record<string, number> = {};
const single = new Set(singleHostFiles());
// The totals are the single-host corpus's; two-host files are scored and recorded per file.
for (const f of [...single, ...twoHostFiles()]) {
  if (filters.length && !filters.some((x) => f.includes(x))) continue;
  const s = scoreFile(f);
  if (single.has(f)) {
    matched += s.matched;
    total += s.total;
  }
  files[f] = s.matched;
  console.log(
    `${f.padEnd(36)} ${String(s.matched).padStart(4)}/${String(s.total).padEnd(4)} ${((100 * s.matched) / Math.max(1, s.total)).toFixed(1)}%`,
  );
  if (verbose)
    for (const m of s.misses) {
      console.log(`  --- expected: ${m.expected.host}$ ${m.expected.command}`);
      for (const l of m.expected.output) console.log(`  -${l}`);
      if (m.expected.exit) console.log(`  -[exit ${m.expected.exit}]`);
      for (const l of m.actual?.output ?? ['<missing>']) console.log(`  +${l}`);
      if (m.actual?.exit) console.log(`  +[exit ${m.actual.exit}]`);
    }
}
console.log(`TOTAL ${matched}/${total} ${((100 * matched) / Math.max(1, total)).toFixed(1)}%`);
if (update && !filters.length) {
  writeFileSync(BASELINE, JSON.stringify({ matched, total, files }, null, 2) + '\n');
  console.log(`baseline written to ${BASELINE}`);
}
