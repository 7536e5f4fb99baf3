/**
 * What a running command sees: its arguments, environment, streams, and the machine it runs
 * on. Commands are generator functions so that long-running ones (ping without -c, tcpdump,
 * sleep) can pause on the virtual clock and be interrupted with Ctrl-C; most never yield and
 * may simply return their exit status.
 */

/** Something a command waits for. The driver decides how (real time in the browser, instantly in replay). */
export type Effect =
  | { kind: 'sleep'; ms: number }
  /** Waiting for more input on an interactive stdin. */
  | { kind: 'input' };

/** What the driver passes back when a command resumes. */
export interface Resume {
  /** Ctrl-C was pressed while the command waited: it should stop and print its summary. */
  interrupted: boolean;
}

export type Job = Generator<Effect, number, Resume | undefined>;
export type CommandResult = number | Job;

export interface Output {
  write(text: string): void;
  readonly isTty: boolean;
}

/** The same stream seen through a pipe: what is written reaches it, but the writer sees no terminal. */
export function throughPipe(out: Output): Output {
  return out.isTty ? { write: (text) => out.write(text), isTty: false } : out;
}

/**
 * The terminal session behind an interactive stdin. A nested interactive shell hands it its
 * prompt (and itself, for Tab completion) instead of writing the prompt to stdout; `null` when
 * it stops waiting for a line.
 */
export interface TerminalControl {
  prompt(text: string | null, shell: object): void;
}

/** A stdin: either fully known (a pipe from a finished stage, a file, a here-document) or interactive. */
export class Input {
  private buf: string;
  private closed: boolean;
  /** A terminal (the session's keyboard): programs such as `sh` then run interactively. */
  readonly isTty: boolean;
  /** Set by a terminal session on the stdin it gives a command (see TerminalControl). */
  terminal?: TerminalControl;

  constructor(data = '', closed = true, isTty = false) {
    this.buf = data;
    this.closed = closed;
    this.isTty = isTty;
  }

  static empty(): Input {
    return new Input('', true);
  }

  feed(text: string): void {
    this.buf += text;
  }

  close(): void {
    this.closed = true;
  }

  get eof(): boolean {
    return this.closed && this.buf.length === 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Characters waiting to be read (not counting what the writer will still send). */
  get pending(): number {
    return this.buf.length;
  }

  /** Drops what was typed but not read yet (Ctrl-C discards the line being typed). */
  discard(): void {
    this.buf = '';
  }

  /** Everything available now (the whole input when the writer has finished). */
  takeAll(): string {
    const b = this.buf;
    this.buf = '';
    return b;
  }

  /** One line including its newline, or null when none is complete yet (or at EOF). */
  takeLine(): string | null {
    const i = this.buf.indexOf('\n');
    if (i >= 0) {
      const line = this.buf.slice(0, i + 1);
      this.buf = this.buf.slice(i + 1);
      return line;
    }
    if (this.closed && this.buf) {
      const line = this.buf;
      this.buf = '';
      return line;
    }
    return null;
  }
}

/** Collects output in memory (pipes, command substitution, replay). */
export class BufferOutput implements Output {
  private chunks: string[] = [];
  private size = 0;

  constructor(
    readonly isTty = false,
    private readonly limit = 8 * 1024 * 1024,
  ) {}

  write(text: string): void {
    if (this.size + text.length > this.limit) {
      const room = Math.max(0, this.limit - this.size);
      if (room) this.chunks.push(text.slice(0, room));
      this.size = this.limit;
      throw new BrokenPipe();
    }
    this.chunks.push(text);
    this.size += text.length;
  }

  text(): string {
    return this.chunks.join('');
  }
}

/** Thrown by a write to a pipe whose reader has gone (or whose buffer limit was reached). */
export class BrokenPipe extends Error {
  constructor() {
    super('Broken pipe');
  }
}

/** Thrown by the `exit` builtin to unwind to the shell that runs it. */
export class ExitShell extends Error {
  constructor(public readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Runs a job to completion without real waiting: sleeps advance only the virtual clock. */
export function runToCompletion(
  result: CommandResult,
  onSleep: (ms: number) => void,
  budget: { sleepMs: number } = { sleepMs: Infinity },
): number {
  if (typeof result === 'number') return result;
  let resume: Resume | undefined;
  let slept = 0;
  for (;;) {
    const step = result.next(resume);
    if (step.done) return step.value;
    const eff = step.value;
    if (eff.kind === 'sleep') {
      if (slept + eff.ms > budget.sleepMs) {
        // A replay bounds long-running commands: behave as if Ctrl-C came at the limit.
        resume = { interrupted: true };
        continue;
      }
      slept += eff.ms;
      onSleep(eff.ms);
      resume = { interrupted: false };
    } else {
      // No interactive input will ever come here: treat as end of input.
      resume = { interrupted: true };
    }
  }
}
