/**
 * The lab: the whole simulated world (hosts, their file systems and, in later layers, their
 * network namespaces and Docker engines), driven by a seed and a command log. This is the
 * simulator's public face; the UI and the CLI use nothing below it.
 */
import { Clock } from '../base/clock.ts';
import { Rng } from '../base/rng.ts';
import { Vfs } from '../base/vfs.ts';
import { Shell, type ExecTarget, type ResolvedProgram } from '../shell/interp.ts';
import { shellBuiltins } from '../shell/builtins.ts';
import { BufferOutput, ExitShell, Input, runToCompletion } from '../shell/runtime.ts';
import { Incomplete } from '../shell/parser.ts';
import { Session } from './session.ts';

export interface LabOptions {
  seed?: number;
  /** The starting time of the virtual clock (ms since the epoch, UTC). */
  epoch?: number;
}

export interface ExecResult {
  output: string;
  exit: number;
}

/** A long-running command in a replay is stopped as if Ctrl-C came after this much virtual time. */
export const REPLAY_LONG_RUNNING_MS = 10_000;

class HostTarget implements ExecTarget {
  private pid = 100;
  constructor(
    readonly fs: Vfs,
    private readonly name: string,
  ) {}
  hostname(): string {
    return this.name;
  }
  resolve(): ResolvedProgram | null {
    return null;
  }
  spawnPid(): number {
    return this.pid++;
  }
}

export class Lab {
  readonly clock: Clock;
  readonly rng: Rng;
  private readonly target: HostTarget;

  constructor(opts: LabOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1);
    this.clock = new Clock(opts.epoch ?? Date.UTC(2026, 10, 23, 10, 29, 30));
    const fs = new Vfs(() => this.clock.now());
    fs.mkdir('/root', { parents: true });
    fs.mkdir('/tmp', { parents: true });
    this.target = new HostTarget(fs, 'docker-node1');
  }

  get hosts(): string[] {
    return [this.target.hostname()];
  }

  private newShell(interactive: boolean): Shell {
    return new Shell({
      dialect: 'bash',
      name: 'bash',
      target: this.target,
      cwd: '/root',
      interactive,
      builtins: shellBuiltins(),
      env: { HOME: '/root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', USER: 'root' },
    });
  }

  /** An interactive terminal on a host (the browser terminal, `dnlab shell`). */
  openSession(): Session {
    return new Session(this.newShell(true), (ms) => this.clock.advance(ms));
  }

  /**
   * Runs one command line as typed at a prompt, with no TTY and stdin closed, and returns its
   * merged output and exit status. Long-running commands are bounded (REPLAY_LONG_RUNNING_MS).
   */
  exec(command: string): ExecResult {
    const shell = this.newShell(true);
    const out = new BufferOutput(false);
    let exit: number;
    try {
      exit = runToCompletion(shell.run(command, { stdin: Input.empty(), stdout: out, stderr: out }), (ms) => this.clock.advance(ms), {
        sleepMs: REPLAY_LONG_RUNNING_MS,
      });
    } catch (e) {
      if (e instanceof ExitShell) exit = e.status;
      else if (e instanceof Incomplete) {
        out.write(`bash: syntax error: unexpected end of file\n`);
        exit = 2;
      } else throw e;
    }
    return { output: out.text(), exit };
  }
}

export function createLab(opts: LabOptions = {}): Lab {
  return new Lab(opts);
}
