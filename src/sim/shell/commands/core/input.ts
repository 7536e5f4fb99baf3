/**
 * Reading a command's input: files named as operands, or stdin. A pipe's or a file's stdin is
 * complete when the command starts; an interactive one (a terminal in a nested shell) is read
 * by waiting for `input` effects until Ctrl-D closes it or Ctrl-C interrupts.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { charged, fsText, readOperand } from './common.ts';

/** Thrown inside a filter when Ctrl-C interrupted it while it waited for terminal input. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/** All of stdin (waiting for an interactive writer to finish). */
export function* readStdin(ctx: CommandContext): Generator<Effect, string, Resume | undefined> {
  let text = '';
  while (!ctx.stdin.isClosed) {
    text += ctx.stdin.takeAll();
    const r = yield { kind: 'input' };
    if (r?.interrupted) throw new Interrupted();
  }
  return charged(ctx, text + ctx.stdin.takeAll());
}

export interface InputText {
  name: string;
  text: string | null;
  /** strerror text when the file could not be read. */
  error?: string;
  code?: string;
}

/** The text of every operand (or stdin when there is none). */
export function* readInputs(ctx: CommandContext, files: string[]): Generator<Effect, InputText[], Resume | undefined> {
  const out: InputText[] = [];
  for (const f of files.length ? files : ['-']) {
    if (f === '-' || f === '/dev/stdin') {
      out.push({ name: f, text: yield* readStdin(ctx) });
      continue;
    }
    try {
      out.push({ name: f, text: readOperand(ctx, f) });
    } catch (e) {
      out.push({ name: f, text: null, error: fsText(e), code: (e as { code?: string }).code });
    }
  }
  return out;
}

/** Runs a filter, turning a Ctrl-C during input into exit status 130 (killed by SIGINT). */
export function interruptible(
  run: (ctx: CommandContext) => Generator<Effect, number, Resume | undefined>,
): (ctx: CommandContext) => Generator<Effect, number, Resume | undefined> {
  return function* (ctx) {
    try {
      return yield* run(ctx);
    } catch (e) {
      if (e instanceof Interrupted) return 130;
      throw e;
    }
  };
}
