/**
 * A terminal session: what the xterm island and `dnlab shell` talk to. It feeds typed lines to
 * the foreground shell, reports when a line needs continuation (`> `), and runs a command as a
 * sequence of steps so a long-running one can be paced in real time and interrupted (Ctrl-C).
 */
import { Incomplete } from '../shell/parser.ts';
import { ExitShell, Input, type Job, type Output, type Resume } from '../shell/runtime.ts';
import type { Shell } from '../shell/interp.ts';

/** The state of the foreground command after a step. */
export type StepResult =
  | { state: 'done'; exit: number }
  /** The command waits `ms` of (virtual) time; call `resume()` after pacing, or `interrupt()`. */
  | { state: 'sleeping'; ms: number }
  /** The line is incomplete: show the continuation prompt and submit the next line. */
  | { state: 'continue' }
  /** The session's last shell exited: the terminal is closed. */
  | { state: 'closed'; exit: number };

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

export class Session {
  private readonly out = new TerminalOutput();
  private pending = '';
  private job: Job | null = null;
  private readonly shells: Shell[];

  constructor(
    shell: Shell,
    private readonly advanceClock: (ms: number) => void,
    private readonly record: (line: string) => void = () => {},
  ) {
    this.shells = [shell];
  }

  /**
   * Tab completion at `cursor` in `line`: the longest common completion and the candidates
   * (commands, docker subcommands and flags, container/image/network names, file paths).
   */
  complete(line: string, cursor: number = line.length): { line: string; cursor: number; candidates: string[] } {
    const before = line.slice(0, cursor);
    const m = /(\S*)$/.exec(before)!;
    const word = m[1];
    const isFirst = !before.slice(0, before.length - word.length).trim();
    const pool = isFirst ? this.shell.commandNames() : [];
    const candidates = pool.filter((c) => c.startsWith(word)).sort();
    if (!candidates.length) return { line, cursor, candidates };
    let common = candidates[0];
    for (const c of candidates) while (!c.startsWith(common)) common = common.slice(0, -1);
    const completion = candidates.length === 1 ? common + ' ' : common;
    const next = before.slice(0, before.length - word.length) + completion;
    return { line: next + line.slice(cursor), cursor: next.length, candidates };
  }

  get shell(): Shell {
    return this.shells[this.shells.length - 1];
  }

  get busy(): boolean {
    return this.job !== null;
  }

  prompt(): string {
    if (this.pending) return '> ';
    return promptFor(this.shell);
  }

  /** Text written by commands since the last call. */
  drain(): string {
    return this.out.drain();
  }

  /** Submits one typed line. */
  submit(line: string): StepResult {
    if (this.job) throw new Error('a command is still running');
    const src = this.pending ? `${this.pending}\n${line}` : line;
    if (!this.pending && !src.trim()) return { state: 'done', exit: this.shell.status };
    let job: Job;
    try {
      job = this.shell.run(src, { stdin: Input.empty(), stdout: this.out, stderr: this.out });
      // Parsing happens on the first step: catch Incomplete there.
      this.job = job;
      const r = this.step(undefined);
      this.pending = '';
      this.shell.history.push(src);
      this.record(src);
      return r;
    } catch (e) {
      if (e instanceof Incomplete) {
        this.job = null;
        this.pending = src;
        return { state: 'continue' };
      }
      throw e;
    }
  }

  resume(): StepResult {
    return this.step({ interrupted: false });
  }

  /** Ctrl-C: interrupts the running command, or drops a half-typed continuation. */
  interrupt(): StepResult {
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
        return { state: 'done', exit: r.value };
      }
      const eff = r.value;
      if (eff.kind === 'sleep') {
        this.advanceClock(eff.ms);
        return { state: 'sleeping', ms: eff.ms };
      }
      return { state: 'sleeping', ms: 50 };
    } catch (e) {
      this.job = null;
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

/** The prompt a real shell shows: bash's `root@host:~# `, busybox's `/ # `. */
export function promptFor(shell: Shell): string {
  const home = shell.get('HOME') ?? '/root';
  const cwd = shell.cwd === home ? '~' : shell.cwd.startsWith(home + '/') ? '~' + shell.cwd.slice(home.length) : shell.cwd;
  const custom = shell.get('PS1');
  if (custom !== undefined && shell.dialect === 'ash') return custom.replace(/\\w/g, shell.cwd).replace(/\\\$/g, '#');
  if (shell.dialect === 'ash') return `${shell.cwd} # `;
  return `root@${shell.target.hostname()}:${cwd}# `;
}
