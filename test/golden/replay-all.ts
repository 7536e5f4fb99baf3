/**
 * Replays the golden transcripts (recorded from a real Docker 20.10) through the simulator with
 * the `golden` profile and counts the commands whose output matches after the README's
 * normalisation. Used by the golden test and by `npm run golden` (which prints every mismatch
 * or, with --update, records the new baseline).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseTranscript, compareTranscripts, type StepComparison } from '../../src/sim/lab/transcript.ts';
import { replayTranscript } from '../../src/cli/replay.ts';

export const TRANSCRIPTS = fileURLToPath(new URL('./transcripts/', import.meta.url));
export const BASELINE = fileURLToPath(new URL('./baseline.json', import.meta.url));

/** Single-host files 00–10f; 11a/11b (two hosts) belong to the multi-host issue. */
export function singleHostFiles(): string[] {
  return readdirSync(TRANSCRIPTS)
    .filter((f) => /^(0\d|10[a-f])-.*\.txt$/.test(f))
    .sort();
}

/** Two-host files the simulator models (11a: static routes between hosts); 11b (swarm) is not modelled. */
export function twoHostFiles(): string[] {
  return readdirSync(TRANSCRIPTS)
    .filter((f) => /^11a-.*\.txt$/.test(f))
    .sort();
}

export interface FileScore {
  file: string;
  total: number;
  matched: number;
  misses: StepComparison[];
}

export function scoreFile(file: string, seed = 1): FileScore {
  const input = parseTranscript(readFileSync(join(TRANSCRIPTS, file), 'utf8'));
  let results: StepComparison[];
  try {
    results = compareTranscripts(input, replayTranscript(input, seed, 'golden'));
  } catch (e) {
    // A crash is a bug; count every command of the file as a miss and keep the message.
    const steps = input.items.filter((i) => !('directive' in i));
    return {
      file,
      total: steps.length,
      matched: 0,
      misses: [
        { index: -1, expected: { host: '', command: `CRASH: ${(e as Error).stack}`, output: [], exit: 0 }, actual: undefined, same: false },
      ],
    };
  }
  const misses = results.filter((r) => !r.same);
  return { file, total: results.length, matched: results.length - misses.length, misses };
}

export function readBaseline(): { matched: number; total: number; files: Record<string, number> } {
  try {
    return JSON.parse(readFileSync(BASELINE, 'utf8')) as { matched: number; total: number; files: Record<string, number> };
  } catch {
    return { matched: 0, total: 0, files: {} };
  }
}
