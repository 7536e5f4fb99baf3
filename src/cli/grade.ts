/**
 * `dnlab grade`: instructors grade submissions by replaying them. Every command log is run again
 * in a fresh simulator with the exercise's setup; what the learner's browser claimed is shown
 * next to the verdict but never used for it.
 *
 *   dnlab grade --assignment FILE_OR_LINK SUBMISSION|DIR... [--csv FILE] [--json] [--exercises DIR]
 *   dnlab grade ATTEMPT_FILE|DIR... [--csv FILE] [--json]       (attempt files, no assignment)
 *   dnlab assign --title TITLE [--due YYYY-MM-DD] [--link BASE_URL] [-o FILE] ID...
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exercise, GradeResult } from '../sim/index.ts';
import { loadExercises, EXERCISES_DIR } from '../exercise/load-node.ts';
import { replayAttempt, simulatorEnv, type GradingEnv } from '../exercise/runner.ts';
import {
  assignmentLink,
  BundleError,
  createAssignment,
  exerciseHash,
  parseLogFile,
  parseSubmission,
  readAssignment,
  type Assignment,
  type SubmittedAttempt,
} from '../exercise/bundles.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export interface GradeRow {
  learner: string;
  file: string;
  exerciseId: string;
  /** `missing`: the submission has no attempt for an assigned exercise; `error`: it could not be replayed. */
  status: 'passed' | 'failed' | 'missing' | 'error';
  score: number;
  maxScore: number;
  /** The first failing check, `id: message`. */
  firstFailure: string;
  /** What the submission claimed, for display only. */
  claimed: string;
  notes: string[];
  checks: GradeResult['checks'];
}

/** Parses `--flag value`, `--flag=value` and boolean flags; returns an error text on misuse. */
export function parseFlags(
  args: string[],
  spec: Record<string, 'string' | 'boolean'>,
): { flags: Record<string, string | boolean>; positional: string[] } | string {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      const kind = spec[name];
      if (!kind) return `unknown option: ${name}`;
      if (kind === 'boolean') {
        if (eq >= 0) return `option ${name} takes no value`;
        flags[name] = true;
      } else {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return `option ${name} needs a value`;
        flags[name] = v;
      }
    } else positional.push(a);
  }
  return { flags, positional };
}

function expandPaths(paths: string[], ext: RegExp): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (existsSync(p) && statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (ext.test(f)) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

function claimText(a: SubmittedAttempt | undefined): string {
  const c = a?.claimed;
  if (!c) return '';
  return [c.status, c.score !== undefined ? `${c.score}/${c.maxScore ?? '?'}` : undefined].filter(Boolean).join(' ');
}

function rowFor(learner: string, file: string, ex: Exercise, attempt: SubmittedAttempt, env: GradingEnv, notes: string[]): GradeRow {
  try {
    const { result } = replayAttempt(ex, attempt, env);
    const first = result.checks.find((c) => !c.passed);
    const claimed = claimText(attempt);
    const rowNotes = [...notes];
    if (attempt.claimed?.status === 'passed' && result.status !== 'passed') rowNotes.push('claimed a pass the replay does not confirm');
    return {
      learner,
      file,
      exerciseId: ex.id,
      status: result.status,
      score: result.score,
      maxScore: result.maxScore,
      firstFailure: first ? `${first.id}: ${first.message}` : '',
      claimed,
      notes: rowNotes,
      checks: result.checks,
    };
  } catch (e) {
    return {
      learner,
      file,
      exerciseId: ex.id,
      status: 'error',
      score: 0,
      maxScore: 0,
      firstFailure: '',
      claimed: claimText(attempt),
      notes: [...notes, (e as Error).message],
      checks: [],
    };
  }
}

/** Grades one submission file against an assignment: one row per assigned exercise. */
export function gradeSubmission(
  text: string,
  file: string,
  assignment: Assignment,
  exercises: Map<string, Exercise>,
  env: GradingEnv,
): GradeRow[] {
  const sub = parseSubmission(text);
  const notes: string[] = [];
  if (sub.assignment.id !== assignment.id)
    notes.push(`submitted for another assignment (${sub.assignment.title || sub.assignment.id.slice(0, 12)})`);
  return assignment.exercises.map((id) => {
    const ex = exercises.get(id);
    const attempt = sub.attempts.find((a) => a.exerciseId === id);
    const exNotes = [...notes];
    if (!ex)
      return {
        learner: sub.learner,
        file,
        exerciseId: id,
        status: 'error',
        score: 0,
        maxScore: 0,
        firstFailure: '',
        claimed: claimText(attempt),
        notes: [...exNotes, `unknown exercise ${id}`],
        checks: [],
      };
    if (assignment.exerciseHashes[id] && assignment.exerciseHashes[id] !== exerciseHash(ex))
      exNotes.push('the exercise changed since it was assigned; graded with the current version');
    if (!attempt)
      return {
        learner: sub.learner,
        file,
        exerciseId: id,
        status: 'missing',
        score: 0,
        maxScore: 0,
        firstFailure: '',
        claimed: '',
        notes: exNotes,
        checks: [],
      };
    return rowFor(sub.learner, file, ex, attempt, env, exNotes);
  });
}

function csvField(s: string | number): string {
  const t = String(s);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function toCsv(rows: GradeRow[]): string {
  const head = ['learner', 'file', 'exercise', 'status', 'score', 'max_score', 'first_failure', 'claimed', 'notes'];
  const lines = [head.join(',')];
  for (const r of rows)
    lines.push(
      [r.learner, r.file, r.exerciseId, r.status, r.score, r.maxScore, r.firstFailure, r.claimed, r.notes.join('; ')]
        .map(csvField)
        .join(','),
    );
  return lines.join('\n') + '\n';
}

function readText(pathOrLink: string): string {
  if (/^[a-z]+:\/\//i.test(pathOrLink) || /[#?]a=/.test(pathOrLink)) return pathOrLink;
  return readFileSync(pathOrLink, 'utf8');
}

export function runGrade(args: string[], io: CliIo = processIo, env: GradingEnv = simulatorEnv): number {
  const parsed = parseFlags(args, {
    '--assignment': 'string',
    '--csv': 'string',
    '--json': 'boolean',
    '--exercises': 'string',
    '-h': 'boolean',
    '--help': 'boolean',
  });
  if (typeof parsed === 'string') {
    io.err(`dnlab grade: ${parsed}\n`);
    return 2;
  }
  const { flags, positional } = parsed;
  if (flags['-h'] || flags['--help']) {
    io.out(GRADE_USAGE);
    return 0;
  }
  if (!positional.length) {
    io.err(`dnlab grade: no submissions given\n${GRADE_USAGE}`);
    return 2;
  }
  let exercises: Map<string, Exercise>;
  try {
    exercises = new Map(loadExercises((flags['--exercises'] as string | undefined) ?? EXERCISES_DIR).map((e) => [e.id, e]));
  } catch (e) {
    io.err(`dnlab grade: ${(e as Error).message}\n`);
    return 1;
  }
  const rows: GradeRow[] = [];
  let problems = 0;
  const files = expandPaths(positional, /\.json$/);
  if (flags['--assignment']) {
    let assignment: Assignment;
    try {
      assignment = readAssignment(readText(flags['--assignment'] as string));
    } catch (e) {
      io.err(`dnlab grade: ${flags['--assignment']}: ${(e as Error).message}\n`);
      return 1;
    }
    for (const f of files) {
      try {
        rows.push(...gradeSubmission(readFileSync(f, 'utf8'), f, assignment, exercises, env));
      } catch (e) {
        problems++;
        const why =
          e instanceof BundleError
            ? e.message
            : (e as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'No such file or directory'
              : (e as Error).message;
        io.err(`dnlab grade: ${f}: ${why}\n`);
        rows.push({
          learner: '',
          file: f,
          exerciseId: '',
          status: 'error',
          score: 0,
          maxScore: 0,
          firstFailure: '',
          claimed: '',
          notes: [why],
          checks: [],
        });
      }
    }
  } else {
    for (const f of files) {
      try {
        const a = parseLogFile(readFileSync(f, 'utf8'));
        if (!a.exerciseId) throw new BundleError('not an attempt file (no exercise id); use dnlab exercise check ID --log FILE');
        const ex = exercises.get(a.exerciseId);
        if (!ex) throw new BundleError(`unknown exercise ${a.exerciseId}`);
        rows.push(rowFor('', f, ex, { exerciseId: ex.id, seed: a.seed ?? 1, log: a.log }, env, []));
      } catch (e) {
        problems++;
        const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
        io.err(`dnlab grade: ${f}: ${why}\n`);
        rows.push({
          learner: '',
          file: f,
          exerciseId: '',
          status: 'error',
          score: 0,
          maxScore: 0,
          firstFailure: '',
          claimed: '',
          notes: [why],
          checks: [],
        });
      }
    }
  }
  if (flags['--csv']) writeFileSync(flags['--csv'] as string, toCsv(rows));
  if (flags['--json']) {
    const byFile = new Map<string, GradeRow[]>();
    for (const r of rows) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
    const submissions = [...byFile].map(([file, rs]) => ({
      file,
      learner: rs[0].learner,
      score: rs.reduce((s, r) => s + r.score, 0),
      maxScore: rs.reduce((s, r) => s + r.maxScore, 0),
      results: rs.map((r) => ({
        exerciseId: r.exerciseId,
        status: r.status,
        score: r.score,
        maxScore: r.maxScore,
        claimed: r.claimed || null,
        notes: r.notes,
        checks: r.checks,
      })),
    }));
    io.out(JSON.stringify({ submissions }, null, 2) + '\n');
  } else if (!flags['--csv']) io.out(toCsv(rows));
  else io.out(`${rows.length} row${rows.length === 1 ? '' : 's'} written to ${flags['--csv']}\n`);
  return problems ? 1 : 0;
}

export const GRADE_USAGE = `Usage: dnlab grade --assignment FILE_OR_LINK SUBMISSION|DIR... [--csv FILE] [--json]
       dnlab grade ATTEMPT_FILE|DIR... [--csv FILE] [--json]

Replays every command log in a fresh simulator with the exercise's setup and grades the
result. Claims in a submission are shown in the "claimed" column, never trusted.

Options:
  --assignment F    an assignment file, or the link the Assign page made
  --csv FILE        write one row per learner and exercise to FILE
  --json            print a JSON document with per-check results per submission
  --exercises DIR   the exercise directory (default: the course's exercises/)
`;

export const ASSIGN_USAGE = `Usage: dnlab assign --title TITLE [--due YYYY-MM-DD] [--link BASE_URL] [-o FILE] EXERCISE_ID...

Creates an assignment file (printed, or written to FILE) and, with --link, the link to share.
`;

export function runAssign(args: string[], io: CliIo = processIo): number {
  const parsed = parseFlags(args, {
    '--title': 'string',
    '--due': 'string',
    '--link': 'string',
    '-o': 'string',
    '--exercises': 'string',
    '-h': 'boolean',
    '--help': 'boolean',
  });
  if (typeof parsed === 'string') {
    io.err(`dnlab assign: ${parsed}\n`);
    return 2;
  }
  const { flags, positional } = parsed;
  if (flags['-h'] || flags['--help']) {
    io.out(ASSIGN_USAGE);
    return 0;
  }
  try {
    const all = new Map(loadExercises((flags['--exercises'] as string | undefined) ?? EXERCISES_DIR).map((e) => [e.id, e]));
    const unknown = positional.filter((id) => !all.has(id));
    if (unknown.length) throw new BundleError(`unknown exercise${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    let due: Date | null = null;
    if (flags['--due']) {
      const d = flags['--due'] as string;
      due = new Date(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T23:59:59Z` : d);
      if (Number.isNaN(due.getTime())) throw new BundleError(`--due: not a date: ${d}`);
    }
    const a = createAssignment({
      title: (flags['--title'] as string | undefined) ?? '',
      exercises: positional.map((id) => all.get(id)!),
      due,
    });
    const text = JSON.stringify(a, null, 2) + '\n';
    if (flags['-o']) writeFileSync(flags['-o'] as string, text);
    else io.out(text);
    if (flags['--link']) io.out(assignmentLink(a, flags['--link'] as string) + '\n');
    return 0;
  } catch (e) {
    io.err(`dnlab assign: ${(e as Error).message}\n`);
    return e instanceof BundleError ? 2 : 1;
  }
}
