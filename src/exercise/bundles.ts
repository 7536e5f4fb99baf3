/**
 * The files learners and instructors exchange:
 *  - an attempt (`dnlab-attempt`): one exercise's seed and command log, exported from the lab;
 *  - an assignment (`dnlab-assignment`): title, exercise ids, optional due date, and the hash of
 *    each exercise as assigned; its id is the hash of all that, so an edited assignment is
 *    detected, and it travels as a file or inside a link (`#a=` + base64url JSON);
 *  - a submission (`dnlab-submission`): a learner's name and one attempt per exercise. What the
 *    learner's browser claimed (passed, score) may be included but is only ever displayed next
 *    to the grader's own verdict: `dnlab grade` replays every log.
 */
import { z } from 'zod';
import { parseTranscript, type Exercise, type LogEntry } from '../sim/index.ts';
import { canonicalJson, sha256Hex } from './sha256.ts';
import { DEFAULT_HOST, type Attempt } from './runner.ts';
import type { Progress } from './progress.ts';

export class BundleError extends Error {}

const logSchema = z.array(z.object({ host: z.string().min(1).default(DEFAULT_HOST), command: z.string() }));
const claimSchema = z
  .object({ status: z.string().optional(), score: z.number().optional(), maxScore: z.number().optional() })
  .passthrough();
const attemptSchema = z.object({
  exerciseId: z.string().min(1),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  log: logSchema,
  claimed: claimSchema.optional(),
});

export const ATTEMPT_FORMAT = 'dnlab-attempt';
export const SUBMISSION_FORMAT = 'dnlab-submission';
export const ASSIGNMENT_FORMAT = 'dnlab-assignment';

// ---- attempts -------------------------------------------------------------------------------

export function exportAttempt(a: Attempt, createdAt = new Date()): string {
  return (
    JSON.stringify(
      { format: ATTEMPT_FORMAT, version: 1, exerciseId: a.exerciseId, seed: a.seed, log: a.log, createdAt: createdAt.toISOString() },
      null,
      2,
    ) + '\n'
  );
}

/** Plain command lines: one per line, `\` continues a line, `#` comments and blank lines skipped. */
function plainCommands(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += line + '\n';
      continue;
    }
    out.push({ host: DEFAULT_HOST, command: pending + line });
    pending = '';
  }
  if (pending) out.push({ host: DEFAULT_HOST, command: pending.replace(/\\\n$/, '') });
  return out;
}

/**
 * A command log as `--log FILE` accepts it: an attempt file (JSON), a transcript (`$ ` prompts,
 * outputs ignored), or plain command lines. Returns the log and, for attempt files, their
 * exercise id and seed.
 */
export function parseLogFile(text: string): { log: LogEntry[]; exerciseId?: string; seed?: number } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new BundleError(`not valid JSON: ${(e as Error).message}`);
    }
    const fmt = (raw as { format?: unknown }).format;
    if (fmt !== ATTEMPT_FORMAT) throw new BundleError(`expected a ${ATTEMPT_FORMAT} file, found format ${JSON.stringify(fmt ?? null)}`);
    const r = attemptSchema.safeParse(raw);
    if (!r.success) throw new BundleError(`invalid attempt: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { log: r.data.log, exerciseId: r.data.exerciseId, seed: r.data.seed };
  }
  if (/^([A-Za-z0-9_.-]*)\$ /m.test(text)) {
    const t = parseTranscript(text);
    const log: LogEntry[] = [];
    for (const item of t.items) if ('command' in item) log.push({ host: item.host || DEFAULT_HOST, command: item.command });
    return { log };
  }
  return { log: plainCommands(text) };
}

// ---- assignments ------------------------------------------------------------------------------

export interface Assignment {
  format: typeof ASSIGNMENT_FORMAT;
  version: 1;
  id: string;
  title: string;
  exercises: string[];
  due: string | null;
  /** sha256 of each exercise as it was when assigned. */
  exerciseHashes: Record<string, string>;
}

export function exerciseHash(ex: Exercise): string {
  return sha256Hex(canonicalJson(ex));
}

function assignmentId(a: Omit<Assignment, 'id' | 'format' | 'version'>): string {
  return sha256Hex(canonicalJson({ title: a.title, exercises: a.exercises, due: a.due, exerciseHashes: a.exerciseHashes }));
}

export function createAssignment(opts: { title: string; exercises: Exercise[]; due?: Date | null }): Assignment {
  if (!opts.title.trim()) throw new BundleError('an assignment needs a title');
  if (!opts.exercises.length) throw new BundleError('an assignment needs at least one exercise');
  const body = {
    title: opts.title,
    exercises: opts.exercises.map((e) => e.id),
    due: opts.due ? opts.due.toISOString() : null,
    exerciseHashes: Object.fromEntries(opts.exercises.map((e) => [e.id, exerciseHash(e)])),
  };
  return { format: ASSIGNMENT_FORMAT, version: 1, id: assignmentId(body), ...body };
}

const assignmentSchema = z.object({
  format: z.literal(ASSIGNMENT_FORMAT),
  version: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{64}$/),
  title: z.string().min(1),
  exercises: z.array(z.string().min(1)).min(1),
  due: z.string().nullable(),
  exerciseHashes: z.record(z.string(), z.string()),
});

/** Reads and verifies an assignment (its id must be the hash of its content). */
export function parseAssignment(text: string): Assignment {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BundleError(`assignment is not valid JSON: ${(e as Error).message}`);
  }
  const r = assignmentSchema.safeParse(raw);
  if (!r.success) throw new BundleError(`invalid assignment: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const a = r.data as Assignment;
  if (assignmentId(a) !== a.id)
    throw new BundleError('the assignment was modified after it was created (its id does not match its content)');
  return a;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

export function base64url(s: string): string {
  const b = utf8Bytes(s);
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    if (i + 1 < b.length) out += B64[(n >> 6) & 63];
    if (i + 2 < b.length) out += B64[n & 63];
  }
  return out;
}

export function fromBase64url(s: string): string {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s.replace(/=+$/, '')) {
    const v = B64.indexOf(ch === '+' ? '-' : ch === '/' ? '_' : ch);
    if (v < 0) throw new BundleError('the link is damaged (not base64url)');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i];
    let cp: number;
    if (c < 0x80) cp = bytes[i++];
    else if (c < 0xe0) cp = ((c & 31) << 6) | (bytes[i + 1] & 63);
    else if (c < 0xf0) cp = ((c & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63);
    else cp = ((c & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63);
    if (c >= 0x80) i += c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** A shareable link carrying the whole assignment (nothing is stored on a server). */
export function assignmentLink(a: Assignment, base: string): string {
  return `${base.replace(/#.*$/, '')}#a=${base64url(canonicalJson(a))}`;
}

/** An assignment from a link (`…#a=…` or `…?a=…`) or from a file's text. */
export function readAssignment(fileTextOrLink: string): Assignment {
  const m = /[#?&]a=([^&#\s]+)/.exec(fileTextOrLink.trim());
  if (m && !fileTextOrLink.trimStart().startsWith('{')) return parseAssignment(fromBase64url(m[1]));
  return parseAssignment(fileTextOrLink);
}

// ---- submissions --------------------------------------------------------------------------------

export interface SubmittedAttempt extends Attempt {
  /** What the learner's browser said; displayed, never trusted. */
  claimed?: { status?: string; score?: number; maxScore?: number };
}

export interface Submission {
  format: typeof SUBMISSION_FORMAT;
  version: 1;
  learner: string;
  assignment: { id: string; title: string };
  attempts: SubmittedAttempt[];
  createdAt: string;
}

export function createSubmission(opts: { learner: string; assignment: Assignment; attempts: SubmittedAttempt[]; at?: Date }): Submission {
  return {
    format: SUBMISSION_FORMAT,
    version: 1,
    learner: opts.learner,
    assignment: { id: opts.assignment.id, title: opts.assignment.title },
    attempts: opts.attempts,
    createdAt: (opts.at ?? new Date()).toISOString(),
  };
}

const submissionSchema = z.object({
  format: z.literal(SUBMISSION_FORMAT),
  version: z.literal(1),
  learner: z.string().min(1),
  assignment: z.object({ id: z.string(), title: z.string() }),
  attempts: z.array(attemptSchema),
  createdAt: z.string(),
});

export function parseSubmission(text: string): Submission {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BundleError(`submission is not valid JSON: ${(e as Error).message}`);
  }
  const r = submissionSchema.safeParse(raw);
  if (!r.success) throw new BundleError(`invalid submission: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data as Submission;
}

/**
 * A learner's submission for an assignment from their local progress: the passing attempt of
 * each assigned exercise (its seed and log); exercises not passed yet are left out and graded as
 * missing. The claim is the browser's, kept for display only.
 */
export function submissionFromProgress(learner: string, assignment: Assignment, progress: Progress, at = new Date()): Submission {
  const attempts: SubmittedAttempt[] = [];
  for (const id of assignment.exercises) {
    const p = progress.exercises[id];
    if (!p?.passingAttempt) continue;
    attempts.push({
      exerciseId: id,
      seed: p.passingAttempt.seed,
      log: p.passingAttempt.log,
      claimed: { status: 'passed', score: p.bestScore, maxScore: p.maxScore },
    });
  }
  return createSubmission({ learner, assignment, attempts, at });
}
