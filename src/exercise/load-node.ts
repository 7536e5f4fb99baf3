/** Loading the `exercises/` directory from disk (node: the CLI, the tests, the site build). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Exercise } from '../sim/index.ts';
import { parseExerciseText } from './load.ts';

export const EXERCISES_DIR = new URL('../../exercises/', import.meta.url).pathname;

/** Every exercise file under a directory (recursively), sorted by path. */
export function exerciseFiles(dir = EXERCISES_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function loadExerciseFile(file: string): Exercise {
  return parseExerciseText(readFileSync(file, 'utf8'), relative(process.cwd(), file) || file);
}

/** Loads and validates every exercise; throws on the first invalid file or a duplicate id. */
export function loadExercises(dir = EXERCISES_DIR): Exercise[] {
  const seen = new Map<string, string>();
  return exerciseFiles(dir).map((f) => {
    const ex = loadExerciseFile(f);
    const prev = seen.get(ex.id);
    if (prev) throw new Error(`${f}: exercise id ${ex.id} is also used by ${prev}`);
    seen.set(ex.id, f);
    return ex;
  });
}
