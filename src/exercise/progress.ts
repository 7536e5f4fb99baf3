/**
 * Local progress, no account: which exercises passed, when, and the command log that passed.
 * Pure functions over a versioned value plus a storage interface (localStorage in the browser,
 * a file in tests). Reading never throws: corrupt or unknown data gives an empty (or partly
 * recovered) progress and warnings, so a broken store cannot break the course.
 */
import { z } from 'zod';
import type { Exercise, GradeResult, LogEntry } from '../sim/index.ts';
import { CHAPTERS } from './chapters.ts';

export const PROGRESS_VERSION = 1;
/** Under the site's `dnlab:` prefix, so its "reset all" clears exercise progress too. */
export const PROGRESS_KEY = 'dnlab:exercises';

export interface ExerciseProgress {
  exerciseId: string;
  /** `passed` once any attempt passed; it stays passed. */
  status: 'attempted' | 'passed';
  attempts: number;
  bestScore: number;
  maxScore: number;
  /** ISO time of the first pass. */
  passedAt: string | null;
  lastAttemptAt: string;
  /** The seed and command log of the first passing attempt (replayable). */
  passingAttempt: { seed: number; log: LogEntry[] } | null;
}

export interface Progress {
  version: typeof PROGRESS_VERSION;
  exercises: Record<string, ExerciseProgress>;
}

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, exercises: {} };
}

const logEntry = z.object({ host: z.string(), command: z.string() });
const entrySchema = z.object({
  exerciseId: z.string().min(1),
  status: z.enum(['attempted', 'passed']),
  attempts: z.number().int().min(0),
  bestScore: z.number().min(0),
  maxScore: z.number().min(0),
  passedAt: z.string().nullable(),
  lastAttemptAt: z.string(),
  passingAttempt: z.object({ seed: z.number().int(), log: z.array(logEntry) }).nullable(),
});

/**
 * Migrations from older stored versions: MIGRATIONS[v] turns a version-v value into version
 * v+1. Version 1 is the first release, so there are none yet; a later format change adds one
 * here (and a test with a stored value of the old version) instead of dropping learners' data.
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>, warnings: string[]) => Record<string, unknown>> = {};

/** Reads stored progress; never throws. Entries that do not validate are dropped one by one. */
export function parseProgress(text: string | null): { progress: Progress; warnings: string[] } {
  const warnings: string[] = [];
  if (text === null || text.trim() === '') return { progress: emptyProgress(), warnings };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { progress: emptyProgress(), warnings: ['progress: stored data is not JSON; starting afresh'] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { progress: emptyProgress(), warnings: ['progress: stored data is not an object; starting afresh'] };
  let obj = raw as Record<string, unknown>;
  if (typeof obj.version !== 'number' || obj.version > PROGRESS_VERSION || obj.version < 1)
    return { progress: emptyProgress(), warnings: [`progress: unknown version ${String(obj.version)}; starting afresh`] };
  while ((obj.version as number) < PROGRESS_VERSION) {
    const step = MIGRATIONS[obj.version as number];
    if (!step)
      return { progress: emptyProgress(), warnings: [`progress: no migration from version ${String(obj.version)}; starting afresh`] };
    obj = step(obj, warnings);
  }
  const out = emptyProgress();
  const exercises = obj.exercises && typeof obj.exercises === 'object' ? (obj.exercises as Record<string, unknown>) : {};
  for (const [id, v] of Object.entries(exercises)) {
    const r = entrySchema.safeParse(v);
    if (!r.success || r.data.exerciseId !== id) {
      warnings.push(`progress: dropped an unreadable entry for ${id}`);
      continue;
    }
    out.exercises[id] = r.data;
  }
  return { progress: out, warnings };
}

export function serializeProgress(p: Progress): string {
  return JSON.stringify(p);
}

/** Records one graded attempt (pure: returns a new Progress). A pass is never undone by a later failure. */
export function recordAttempt(
  p: Progress,
  attempt: { exerciseId: string; seed: number; log: LogEntry[]; result: GradeResult; at: Date },
): Progress {
  const prev = p.exercises[attempt.exerciseId];
  const at = attempt.at.toISOString();
  const passed = attempt.result.status === 'passed';
  const next: ExerciseProgress = {
    exerciseId: attempt.exerciseId,
    status: prev?.status === 'passed' || passed ? 'passed' : 'attempted',
    attempts: (prev?.attempts ?? 0) + 1,
    bestScore: Math.max(prev?.bestScore ?? 0, attempt.result.score),
    maxScore: attempt.result.maxScore,
    passedAt: prev?.passedAt ?? (passed ? at : null),
    lastAttemptAt: at,
    passingAttempt: prev?.passingAttempt ?? (passed ? { seed: attempt.seed, log: attempt.log.map((e) => ({ ...e })) } : null),
  };
  return { ...p, exercises: { ...p.exercises, [attempt.exerciseId]: next } };
}

export function resetExercise(p: Progress, exerciseId: string): Progress {
  const exercises = { ...p.exercises };
  delete exercises[exerciseId];
  return { ...p, exercises };
}

export interface ChapterCompletion {
  chapter: string;
  title: string;
  passed: number;
  total: number;
}

/** Per-chapter completion in course order (chapters with no exercises are left out). */
export function chapterCompletion(p: Progress, exercises: Pick<Exercise, 'id' | 'chapter'>[]): ChapterCompletion[] {
  return CHAPTERS.map((c) => {
    const mine = exercises.filter((e) => e.chapter === c.id);
    return { chapter: c.id, title: c.title, passed: mine.filter((e) => p.exercises[e.id]?.status === 'passed').length, total: mine.length };
  }).filter((c) => c.total > 0);
}

/** Merges imported progress into the current one: a pass on either side wins, counts add up. */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const out: Progress = { ...a, exercises: { ...a.exercises } };
  for (const [id, e] of Object.entries(b.exercises)) {
    const mine = out.exercises[id];
    if (!mine) {
      out.exercises[id] = e;
      continue;
    }
    const firstPass = [mine, e].filter((x) => x.passedAt).sort((x, y) => (x.passedAt! < y.passedAt! ? -1 : 1))[0];
    out.exercises[id] = {
      exerciseId: id,
      status: mine.status === 'passed' || e.status === 'passed' ? 'passed' : 'attempted',
      attempts: mine.attempts + e.attempts,
      bestScore: Math.max(mine.bestScore, e.bestScore),
      maxScore: Math.max(mine.maxScore, e.maxScore),
      passedAt: firstPass?.passedAt ?? null,
      lastAttemptAt: mine.lastAttemptAt > e.lastAttemptAt ? mine.lastAttemptAt : e.lastAttemptAt,
      passingAttempt: firstPass?.passingAttempt ?? null,
    };
  }
  return out;
}

/** Where progress lives: `localStorage` in the browser, anything with get/set elsewhere. */
export interface ProgressStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function memoryStorage(initial: Record<string, string> = {}): ProgressStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => (k in data ? data[k] : null),
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

/** Loads progress from storage; a failing or corrupt store gives empty progress and warnings. */
export function loadProgress(storage: ProgressStorage): { progress: Progress; warnings: string[] } {
  let text: string | null;
  try {
    text = storage.getItem(PROGRESS_KEY);
  } catch (e) {
    return { progress: emptyProgress(), warnings: [`progress: storage unavailable (${(e as Error).message})`] };
  }
  return parseProgress(text);
}

/** Saves progress; returns an error text when the store refuses (quota, private mode), else null. */
export function saveProgress(storage: ProgressStorage, p: Progress): string | null {
  try {
    storage.setItem(PROGRESS_KEY, serializeProgress(p));
    return null;
  } catch (e) {
    return `progress: could not save (${(e as Error).message})`;
  }
}

/** The export file: the progress value with a format marker, for "Export progress". */
export function exportProgress(p: Progress): string {
  return JSON.stringify({ format: 'dnlab-progress', ...p }, null, 2) + '\n';
}

/** Reads an exported progress file (never throws). */
export function importProgress(text: string): { progress: Progress; warnings: string[] } {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if (raw && raw.format !== undefined && raw.format !== 'dnlab-progress')
      return { progress: emptyProgress(), warnings: [`progress: not a progress file (format ${String(raw.format)})`] };
  } catch {
    /* parseProgress reports it */
  }
  return parseProgress(text);
}
