/**
 * A terminal session: what the xterm island and `dnlab shell` talk to. It feeds typed lines to
 * the foreground shell, reports when a line needs continuation (`> `), and runs a command as a
 * sequence of steps so a long-running one can be paced in real time and interrupted (Ctrl-C).
 */
import { Incomplete } from '../shell/parser.ts';
import { ExitShell, Input, type Job, type Output, type Resume, type TerminalControl } from '../shell/runtime.ts';
import type { Shell } from '../shell/interp.ts';
import { complete as completeLine } from '../shell/completion.ts';
import { defaultPrompt } from '../shell/repl.ts';

/** The state of the foreground command after a step. */
export type StepResult =
  | { state: 'done'; exit: number }
  /** The command waits `ms` of (virtual) time; call `resume()` after pacing, or `interrupt()`. */
  | { state: 'sleeping'; ms: number }
  /** The line is incomplete: show the continuation prompt and submit the next line. */
  | { state: 'continue' }
  /** The session's last shell exited: the terminal is closed. */
  | { state: 'closed'; exit: number }
  /**
   * A program reads the terminal (a nested `sh`, `docker exec -it`, `cat`): show `prompt()`
   * and `submit()` the next typed line to it; `eof()` is Ctrl-D. `busy` is false meanwhile.
   */
  | { state: 'input' };

export class TerminalOutput implements Output {
  readonly isTty = true;
  private buf: string[] = [];
  write(text: string): void {
    // A terminal needs CR LF; programs write LF.
    this.buf.push(text);
  }
  drain(): string {
    const s = this.buf.join('');
    this.buf = [];
    return s;
  }
}

export class Session implements TerminalControl {
  private readonly out = new TerminalOutput();
  private pending = '';
  private job: Job | null = null;
  private readonly shells: Shell[];
  /** The running command's terminal stdin. */
  private stdin: Input = Input.empty();
  /** The running command waits for a typed line. */
  private waiting = false;
  /** The prompt and shell of a nested interactive shell waiting for a line. */
  private nested: { text: string; shell: Shell } | null = null;

  constructor(
    shell: Shell,
    private readonly advanceClock: (ms: number) => void,
    /** Called with every line typed; `input` marks a line read by a running program (a nested shell). */
    private readonly record: (line: string, input: boolean) => void = () => {},
    /** Called as a command line starts running (before its first step). */
    private readonly starting: (line: string) => void = () => {},
  ) {
    this.shells = [shell];
  }

  /**
   * Tab completion at `cursor` in `line`: the longest common completion and the candidates
   * (commands, docker subcommands and flags, container/image/network names, file paths).
   */
  complete(line: string, cursor: number = line.length): { line: string; cursor: number; candidates: string[] } {
    const sh = this.waiting && this.nested ? this.nested.shell : this.shell;
    const r = completeLine(line, cursor, sh.target, sh);
    if (!r.candidates.length) return { line, cursor, candidates: [] };
    const next = line.slice(0, r.start) + r.replacement;
    return { line: next + line.slice(cursor), cursor: next.length, candidates: r.candidates };
  }

  /** TerminalControl: a nested shell shows its prompt (or stops waiting, with null). */
  prompt(): string;
  prompt(text: string | null, shell: object): void;
  prompt(text?: string | null, shell?: object): string | void {
    if (shell !== undefined) {
      this.nested = text === null || text === undefined ? null : { text, shell: shell as Shell };
      return;
    }
    if (this.waiting) return this.nested?.text ?? '';
    if (this.pending) return '> ';
    return promptFor(this.shell);
  }

  get shell(): Shell {
    return this.shells[this.shells.length - 1];
  }

  get busy(): boolean {
    return this.job !== null && !this.waiting;
  }

  /** Text written by commands since the last call. */
  drain(): string {
    return this.out.drain();
  }

  /** Submits one typed line. */
  submit(line: string): StepResult {
    if (this.job && this.waiting) {
      // A line typed to the program reading the terminal: a command when that program is a
      // nested shell (`docker exec -it c sh`), data for telnet, nc or cat.
      this.record(line, true);
      if (this.nested) this.starting(line);
      this.stdin.feed(line + '\n');
      this.waiting = false;
      return this.step({ interrupted: false });
    }
    if (this.job) throw new Error('a command is still running');
    const src = this.pending ? `${this.pending}\n${line}` : line;
    if (!this.pending && !src.trim()) return { state: 'done', exit: this.shell.status };
    let job: Job;
    try {
      // The command reads the terminal: a nested shell or `cat` waits for lines until Ctrl-D.
      this.stdin = new Input('', false, true);
      this.stdin.terminal = this;
      this.starting(src);
      job = this.shell.run(src, { stdin: this.stdin, stdout: this.out, stderr: this.out });
      // Parsing happens on the first step: catch Incomplete there.
      this.job = job;
      this.shell.history.push(src);
      const r = this.step(undefined);
      this.pending = '';
      this.record(src, false);
      return r;
    } catch (e) {
      if (e instanceof Incomplete) {
        this.job = null;
        this.pending = src;
        this.shell.history.pop();
        return { state: 'continue' };
      }
      throw e;
    }
  }

  /** Ctrl-D: ends the input of the program reading the terminal; at an idle prompt, exits the shell. */
  eof(): StepResult {
    if (this.job && this.waiting) {
      this.stdin.close();
      this.waiting = false;
      return this.step({ interrupted: false });
    }
    if (this.job || this.pending) return { state: 'done', exit: this.shell.status };
    this.out.write('exit\n');
    return { state: 'closed', exit: this.shell.status };
  }

  resume(): StepResult {
    return this.step({ interrupted: false });
  }

  /** Ctrl-C: interrupts the running command, or drops a half-typed continuation. */
  interrupt(): StepResult {
    if (this.job && this.waiting) {
      this.waiting = false;
      this.stdin.discard();
      return this.step({ interrupted: true });
    }
    if (this.pending) {
      this.pending = '';
      return { state: 'done', exit: 130 };
    }
    if (!this.job) return { state: 'done', exit: 130 };
    return this.step({ interrupted: true });
  }

  private step(resume: Resume | undefined): StepResult {
    const job = this.job!;
    try {
      const r = job.next(resume);
      if (r.done) {
        this.job = null;
        this.nested = null;
        return { state: 'done', exit: r.value };
      }
      const eff = r.value;
      if (eff.kind === 'sleep') {
        this.advanceClock(eff.ms);
        return { state: 'sleeping', ms: eff.ms };
      }
      this.waiting = true;
      return { state: 'input' };
    } catch (e) {
      this.job = null;
      this.waiting = false;
      this.nested = null;
      if (e instanceof Incomplete) throw e;
      if (e instanceof ExitShell) {
        if (this.shells.length > 1) {
          this.shells.pop();
          return { state: 'done', exit: e.status };
        }
        return { state: 'closed', exit: e.status };
      }
      this.out.write(`lab: internal error: ${(e as Error).message}\n`);
      return { state: 'done', exit: 1 };
    }
  }
}

/** The prompt a real shell shows: bash's `root@host:~# `, busybox's `/ # `, or the PS1 the user set. */
export function promptFor(shell: Shell): string {
  return defaultPrompt(shell);
}
