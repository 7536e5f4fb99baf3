/** Reading exercise files: YAML (or JSON, a subset of YAML) text to a validated Exercise. */
import { parse as parseYaml } from 'yaml';
import type { Exercise } from '../sim/index.ts';
import { ExerciseError, parseExercise } from './schema.ts';

export function parseExerciseText(text: string, file = '<exercise>'): Exercise {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new ExerciseError(file, [(e as Error).message]);
  }
  const ex = parseExercise(doc, file);
  const base = file
    .split('/')
    .pop()!
    .replace(/\.(ya?ml|json)$/, '');
  if (file !== '<exercise>' && base !== ex.id) throw new ExerciseError(file, [`id ${ex.id} differs from the file name ${base}`]);
  return ex;
}
