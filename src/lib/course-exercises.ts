/**
 * The course's exercises for pages built by Astro. The site build bundles its modules elsewhere,
 * so exercises/ is found from the project root, not from import.meta.url (EXERCISES_DIR). Read
 * and validated once per build (every chapter, exercise and progress page asks); the dev server
 * reads them afresh so edits show.
 */
import { join } from 'node:path';
import { loadExercises } from '../exercise/load-node.ts';
import type { Exercise } from '../sim/index.ts';

let cached: Exercise[] | null = null;

export function courseExercises(): Exercise[] {
  if (!import.meta.env.PROD) return loadExercises(join(process.cwd(), 'exercises'));
  return (cached ??= loadExercises(join(process.cwd(), 'exercises')));
}
