/**
 * Replay speed: a 500-command transcript (the golden corpus' single-host commands, in order,
 * until 500) replayed in a fresh lab, as `dnlab replay` and the grader's replays do.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseTranscript, isDirective, type Transcript } from '../src/sim/lab/transcript.ts';
import { replayTranscript } from '../src/cli/replay.ts';
import type { BenchSuite } from './run.ts';

function fiveHundred(): Transcript {
  const dir = fileURLToPath(new URL('../test/golden/transcripts/', import.meta.url));
  const items: Transcript['items'] = [];
  for (const f of readdirSync(dir)
    .filter((x) => /^(0[1-9]|10[a-f])-.*\.txt$/.test(x))
    .sort()) {
    const t = parseTranscript(readFileSync(join(dir, f), 'utf8'));
    for (const it of t.items) if (!isDirective(it) && items.length < 500) items.push(it);
  }
  return { header: [], items };
}

export const suite: BenchSuite = {
  name: 'replay',
  cases: () => {
    const t = fiveHundred();
    return [{ name: `replay a ${t.items.length}-command transcript in a fresh lab`, fn: () => void replayTranscript(t, 1, 'golden') }];
  },
};
