/**
 * The lab: the whole simulated world (hosts, their file systems and, in later layers, their
 * network namespaces and Docker engines), driven by a seed and a command log. This is the
 * simulator's public face; the UI and the CLI use nothing below it.
 */
import { Clock } from '../base/clock.ts';
import { Rng } from '../base/rng.ts';
import { Shell } from '../shell/interp.ts';
import type { Vfs } from '../base/vfs.ts';
import type { Target } from '../shell/target.ts';
import { World } from '../net/world.ts';
import '../shell/commands/index.ts';
import { HostMachine, Lan } from './host.ts';
import { Scheduler } from './scheduler.ts';
import { serviceBooted } from '../shell/commands/system/systemctl.ts';
import { snapshotOf, topologyOf, traceOf } from './observe.ts';
import { makeProbe, type Probe, type Snapshot } from '../snapshot/index.ts';
import { PROFILES, type LabProfile } from './profiles.ts';
import { shellBuiltins } from '../shell/builtins.ts';
import { BufferOutput, ExitShell, Input, runToCompletion, type Job } from '../shell/runtime.ts';
import { Incomplete } from '../shell/parser.ts';
import { Session, type StepResult } from './session.ts';
import type { PacketTrace, TopologyView, UiRequest } from './views.ts';

export interface LabOptions {
  seed?: number;
  /** `course` (default) or `golden` (the machine the golden transcripts were recorded on). */
  profile?: LabProfile['name'];
  /** How many Docker hosts (1 or 2). */
  hosts?: number;
  /** dockerd flags per host (the transcripts' `# daemon:` header). */
  daemonArgs?: string[][];
  /** Start with no images (the recording's scenario 00, which creates the image store). */
  emptyImageStore?: boolean;
  /** The starting time of the virtual clock (ms since the epoch, UTC). */
  epoch?: number;
}

/** One line of the lab's command log; `input` marks a line typed into a running program (`docker exec -it … sh`). */
export interface LabLogEntry {
  host: string;
  command: string;
  input?: boolean;
}

export interface ExecResult {
  output: string;
  exit: number;
}

/** A long-running command in a replay is stopped as if Ctrl-C came after this much virtual time. */
export const REPLAY_LONG_RUNNING_MS = 10_000;

export class Lab {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly world: World;
  readonly profile: LabProfile;
  readonly lan: Lan;
  readonly machines: HostMachine[] = [];
  readonly scheduler: Scheduler;
  /** The command line running now, and the one that made the last packet trace. */
  private running = '';
  private traceCommand = '';
  /** Every line submitted to an interactive session or run with exec(), in order (for persistence and grading). */
  readonly log: LabLogEntry[] = [];
  private uiListeners: ((r: UiRequest) => void)[] = [];
  private changeListeners: (() => void)[] = [];

  constructor(opts: LabOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1);
    this.clock = new Clock(opts.epoch ?? Date.UTC(2026, 10, 23, 10, 29, 30));
    this.world = new World(this.rng.fork(), this.clock);
    // A packet trace is labelled with the command that made it, not with whatever ran after it.
    this.world.stack.onTrace = () => (this.traceCommand = this.running);
    this.profile = PROFILES[opts.profile ?? 'course'];
    this.lan = new Lan(this.world, this.profile);
    const n = Math.max(1, Math.min(opts.hosts ?? 1, this.profile.hosts.length));
    this.scheduler = new Scheduler(this.clock);
    for (let i = 0; i < n; i++) {
      const m = new HostMachine(this.world, this.profile.hosts[i], this.lan, this.profile, this.rng.fork(), this.scheduler, {
        emptyImageStore: opts.emptyImageStore,
      });
      m.engine.start(opts.daemonArgs?.[i] ?? []);
      serviceBooted(m.target, m.engine);
      // `vi FILE` / `nano FILE` at a host's terminal ask the UI for its editor.
      m.target.ui = (req) =>
        this.emitUi({
          kind: 'edit',
          host: m.hostname,
          container: req.container ?? null,
          path: req.path,
          language: editorLanguage(req.path),
        });
      this.machines.push(m);
    }
  }

  get hosts(): string[] {
    return this.machines.map((m) => m.hostname);
  }

  /** A host by name (`docker-node1`, or the transcripts' short `node1`); `lan` is the LAN's machine. */
  machine(host?: string): HostMachine | undefined {
    if (host === undefined) return this.machines[0];
    return this.machines.find((m) => m.hostname === host || m.hostname === `docker-${host}`);
  }

  private targetFor(host?: string): Target {
    if (host === 'lan') return this.lan.target;
    const m = this.machine(host);
    if (!m) throw new Error(`no such host: ${host}`);
    return m.target;
  }

  private newShell(interactive: boolean, host?: string, cmdline?: string): Shell {
    return new Shell({
      dialect: 'bash',
      name: 'bash',
      target: this.targetFor(host),
      cwd: '/root',
      interactive,
      cmdline,
      builtins: shellBuiltins(),
      env: { HOME: '/root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', USER: 'root' },
    });
  }

  /**
   * The environment directives of a transcript (`#> dockerd OPTIONS`, `#> dockerd stop`,
   * `#> fresh-host`): what an operator does outside the learner's shell. Returns an error text.
   */
  directive(text: string, host?: string): string | null {
    const m = this.machine(host);
    if (!m) return `no such host: ${host}`;
    const words = text.trim().split(/\s+/);
    if (words[0] === 'dockerd') {
      if (words[1] === 'stop') {
        m.engine.stop();
        return null;
      }
      return m.engine.restart(words.slice(1));
    }
    if (words[0] === 'fresh-host') {
      const i = this.machines.indexOf(m);
      const fresh = new HostMachine(this.world, m.spec, this.lan, this.profile, this.rng.fork(), this.scheduler, { replace: m });
      this.machines[i] = fresh;
      return null;
    }
    return null;
  }

  /** An interactive terminal on a host (the browser terminal, `dnlab shell`). */
  openSession(host?: string): Session {
    const name = host ?? this.hosts[0];
    return new Session(
      this.newShell(true, host),
      (ms) => this.clock.advance(ms),
      (line, input) => {
        this.log.push(input ? { host: name, command: line, input: true } : { host: name, command: line });
        this.emitChange();
      },
      (line) => (this.running = line),
    );
  }

  /** The network topology, for the topology view. */
  topology(): TopologyView {
    return topologyOf(this.machines, this.profile.lan.subnet);
  }

  /** The trace of the most recent packet walk started by a command (ping, curl, ...), if any. */
  lastTrace(): PacketTrace | null {
    const events = this.world.stack.lastTrace;
    if (!events) return null;
    const hostOfNs = (label: string): string =>
      this.machines.some((m) => m.hostname === label) ? label : label === 'lan' ? 'lan' : (this.machines[0]?.hostname ?? '');
    return traceOf(this.traceCommand, events, hostOfNs);
  }

  /** The lab's state for grading (src/sim/snapshot): networks, containers, files, rules, routes. */
  snapshot(): Snapshot {
    return snapshotOf(this.machines);
  }

  /** Reachability from a container (or `host`) to a target, decided by the packet walk. */
  readonly probe: Probe = (q) =>
    makeProbe(this.snapshot(), this.world, (host, container) => {
      const m = this.machine(host) ?? this.machines[0];
      if (!container) return m.netns;
      const c = m.engine.tryContainer(container);
      return c?.running ? (c.sandbox?.netns ?? (c.hostConfig.NetworkMode === 'host' ? m.netns : null)) : null;
    })(q);

  /** Restarts dockerd on a host with these options (`--icc=false --bip=...`), as an exercise setup does. */
  restartDaemon(options: string, host?: string): string | null {
    return this.directive(`dockerd ${options}`, host);
  }

  /** Reads a file on a host (or inside a container) for the editor; null when it does not exist. */
  readFile(path: string, where: { host?: string; container?: string | null } = {}): string | null {
    try {
      return this.filesOf(where).read(path);
    } catch {
      return null;
    }
  }

  /** Writes a file from the editor (Save). Returns an error text, or null on success. */
  writeFile(path: string, text: string, where: { host?: string; container?: string | null } = {}): string | null {
    try {
      this.filesOf(where).write(path, text);
      this.emitChange();
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** The file system of a host, or of a container on it (by name or id). */
  private filesOf(where: { host?: string; container?: string | null }): Vfs {
    if (where.container) {
      const c = this.machine(where.host)?.engine.tryContainer(where.container);
      if (!c) throw new Error(`No such container: ${where.container}`);
      return c.fs;
    }
    return this.targetFor(where.host).fs;
  }

  /** Subscribes to requests from programs to the UI (`vi FILE` opens the editor). */
  onUiRequest(listener: (r: UiRequest) => void): () => void {
    this.uiListeners.push(listener);
    return () => (this.uiListeners = this.uiListeners.filter((l) => l !== listener));
  }

  /** Subscribes to "the lab state may have changed" (after every command, file save, ...). */
  onChange(listener: () => void): () => void {
    this.changeListeners.push(listener);
    return () => (this.changeListeners = this.changeListeners.filter((l) => l !== listener));
  }

  protected emitUi(r: UiRequest): void {
    for (const l of this.uiListeners) l(r);
  }

  protected emitChange(): void {
    for (const l of this.changeListeners) l();
  }

  /**
   * Replays a command log as it was typed, one terminal session per host: lines typed into a
   * running program (a nested shell) go to that program, as they did. Long-running commands are
   * stopped as if Ctrl-C came after REPLAY_LONG_RUNNING_MS of virtual time.
   */
  replayLog(entries: readonly LabLogEntry[]): ExecResult[] {
    const sessions = new Map<string, Session>();
    const results: ExecResult[] = [];
    for (const e of entries) {
      const host = e.host === this.hosts[0] ? undefined : e.host;
      const key = host ?? '';
      let s = sessions.get(key);
      if (!s) {
        s = this.openSession(host);
        sessions.set(key, s);
      }
      let r: StepResult;
      try {
        r = s.submit(e.command);
      } catch {
        // A command still running (it was interrupted live): stop it first, then type the line.
        s.interrupt();
        r = s.submit(e.command);
      }
      let slept = 0;
      while (r.state === 'sleeping') {
        slept += r.ms;
        r = slept > REPLAY_LONG_RUNNING_MS ? s.interrupt() : s.resume();
      }
      results.push({ output: s.drain(), exit: r.state === 'done' || r.state === 'closed' ? r.exit : 0 });
      if (r.state === 'closed') sessions.delete(key);
    }
    this.emitChange();
    return results;
  }

  /**
   * Starts a command as if in a second terminal (a transcript's `#> concurrent`): it runs until
   * it first waits — a tcpdump is then listening — and the clock moves on a second, as the
   * recording harness waited before the command it watched. finish() runs the rest of it (its
   * waits already overlapped what ran meanwhile) and returns its output.
   */
  background(command: string, host?: string): { finish(): ExecResult } {
    this.log.push({ host: host ?? this.hosts[0], command });
    const shell = this.harnessShell(command, host);
    const out = new BufferOutput(false);
    // The job while it waits; the result at once when it ended (or failed) before waiting.
    let job: Job | null = null;
    let early: ExecResult = { output: '', exit: 0 };
    try {
      const started = shell.run(command, { stdin: Input.empty(), stdout: out, stderr: out });
      if (typeof started === 'number') early = { output: out.text(), exit: started };
      else {
        const first = started.next();
        if (first.done) early = { output: out.text(), exit: first.value };
        else job = started;
      }
    } catch (e) {
      early = { output: out.text(), exit: this.execFailure(e, out) };
    }
    this.clock.advance(1000);
    return {
      finish: (): ExecResult => {
        if (!job) return early;
        let exit: number;
        try {
          exit = runToCompletion(job, (ms) => this.clock.advance(ms), { sleepMs: REPLAY_LONG_RUNNING_MS });
        } catch (e) {
          exit = this.execFailure(e, out);
        }
        this.emitChange();
        return { output: out.text(), exit };
      },
    };
  }

  /** The shell a command of exec()/background() runs in. */
  private harnessShell(command: string, host?: string): Shell {
    // The golden machine ran every command as `bash -c "cd /root; CMD"` (no job control, `bash:
    // line 1:` error prefixes, that wrapper in `ps`); the course's lab answers like a prompt.
    return this.profile.name === 'golden' ? this.newShell(false, host, `bash -c cd /root; ${command}`) : this.newShell(true, host);
  }

  /** The status of a command that threw: `exit` unwinding, or a syntax error at the end of input. */
  private execFailure(e: unknown, out: BufferOutput): number {
    if (e instanceof ExitShell) return e.status;
    if (e instanceof Incomplete) {
      out.write(`bash: syntax error: unexpected end of file\n`);
      return 2;
    }
    throw e;
  }

  /**
   * Runs one command line as typed at a prompt, with no TTY and stdin closed, and returns its
   * merged output and exit status. Long-running commands are bounded (REPLAY_LONG_RUNNING_MS).
   */
  exec(command: string, host?: string): ExecResult {
    this.running = command;
    this.log.push({ host: host ?? this.hosts[0], command });
    const shell = this.harnessShell(command, host);
    const out = new BufferOutput(false);
    let exit: number;
    try {
      exit = runToCompletion(shell.run(command, { stdin: Input.empty(), stdout: out, stderr: out }), (ms) => this.clock.advance(ms), {
        sleepMs: REPLAY_LONG_RUNNING_MS,
      });
    } catch (e) {
      exit = this.execFailure(e, out);
    }
    this.emitChange();
    return { output: out.text(), exit };
  }
}

/** The editor's syntax for a file, from its name (daemon.json, Dockerfile, app.py, *.sh, *.conf). */
export function editorLanguage(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/\.json$/.test(base)) return 'json';
  if (/^Dockerfile/.test(base) || /\.dockerfile$/i.test(base)) return 'dockerfile';
  if (/\.py$/.test(base)) return 'python';
  if (/\.(sh|bash)$/.test(base)) return 'shell';
  if (/\.(ya?ml)$/.test(base)) return 'yaml';
  if (/\.(ini|conf|cfg|service)$/.test(base)) return 'ini';
  return 'plaintext';
}

export function createLab(opts: LabOptions = {}): Lab {
  return new Lab(opts);
}
