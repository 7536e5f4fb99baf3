/**
 * The shell interpreter: expands words, wires redirections and pipes, and runs builtins and
 * programs. One class serves both dialects the course meets: bash (hosts, glibc images) and
 * busybox ash (busybox/alpine images); they differ mostly in their error messages.
 *
 * Everything is a generator so that a command deep inside a loop or a pipeline can pause on
 * the virtual clock or be interrupted, and so that hostile input (`while true; do :; done`)
 * is bounded by a step budget instead of hanging the page.
 */
import type { AndOr, Command, List, Pipeline, Redirect, SimpleCommand, Word, WordPart } from './ast.ts';
import { BadSubstitution, Incomplete, parse, SyntaxError } from './parser.ts';
import {
  BrokenPipe,
  BufferOutput,
  ExitShell,
  Input,
  type CommandResult,
  type Effect,
  type Job,
  type Output,
  type Resume,
} from './runtime.ts';
import { FsError, normalizePath, type Vfs } from '../base/vfs.ts';
import { globMatch, expandGlob, hasGlobChars } from './glob.ts';
import { evalArith } from './arith.ts';
import type { Netns } from '../net/netns.ts';
import type { World } from '../net/world.ts';
import type { Clock } from '../base/clock.ts';
import type { ProcessTable } from '../apps/process.ts';
import type { DockerEngine } from '../docker/engine.ts';

export type Dialect = 'bash' | 'ash';

/** GNU coreutils/iproute2/net-tools/iputils (hosts, glibc images) or busybox applets (busybox, alpine). */
export type Userland = 'gnu' | 'busybox';

/** Where commands run: a host's root namespace or a container. */
export interface ExecTarget {
  readonly fs: Vfs;
  hostname(): string;
  /** Finds an executable for `name` along PATH; `null` when there is none. */
  resolve(name: string, path: string, cwd: string): ResolvedProgram | null;
  /** Allocates a process id for a new command (shown by `$$`, `ps`, `[1] 1234`). */
  spawnPid(): number;
  /** Which implementation answers `ip`, `ping`, `ps`...: picks output formats and error texts. */
  readonly userland: Userland;
  /** The network namespace commands run in. */
  readonly netns: Netns;
  readonly world: World;
  readonly clock: Clock;
  /** The PID namespace (a container's own, or the host's). */
  readonly procs: ProcessTable;
  /** Names of the programs installed here (completion, `which`). */
  installed(): string[];
  /** The host's Docker engine (absent inside containers and on the LAN machine). */
  readonly engine?: DockerEngine | null;
  /** Asks the user interface for something a terminal program needs (`vi FILE` opens an editor). */
  ui?: (req: UiEditRequest) => void;
}

/** `vi`/`vim`/`nano FILE`: the UI opens its editor on `path` of this host or container. */
export interface UiEditRequest {
  kind: 'edit';
  path: string;
  host: string;
  container?: string | null;
}

export interface ResolvedProgram {
  path: string;
  run: Program;
}

export interface CommandContext {
  argv: string[];
  env: Map<string, string>;
  stdin: Input;
  stdout: Output;
  stderr: Output;
  cwd: string;
  shell: Shell;
  target: ExecTarget;
  /** The process id this command runs as (what `$$` is in a shell it starts). */
  pid?: number;
}

export type Program = (ctx: CommandContext) => CommandResult;

/** Counts work done by one top-level command so runaway loops stop with a clear message. */
const STEP_LIMIT = 10_000;
/** A long loop pauses (a zero-length sleep) this often, so the page stays responsive and Ctrl-C works. */
const YIELD_EVERY = 500;
const MAX_ARGS_BYTES = 2 * 1024 * 1024;
/** bash's xmalloc failure text, for work past the lab's memory or stack limits. */
const OUT_OF_MEMORY = 'xmalloc: cannot allocate memory (the lab stopped this command)';
/** Nested eval/source/`sh -c` levels before a shell refuses to go deeper. */
const MAX_NESTING = 200;

export class StepLimit extends Error {
  constructor() {
    super('step limit');
  }
}

/** Ctrl-C reached the shell itself while it ran a loop: the whole command line stops. */
class ShellInterrupted extends Error {}

/** Thrown by the `return` builtin to leave the function being run. */
export class ReturnFromFunction extends Error {
  constructor(readonly status: number) {
    super('return');
  }
}

/** Thrown by `break [N]` and `continue [N]` to the enclosing loop. */
export class LoopControl extends Error {
  constructor(
    readonly kind: 'break' | 'continue',
    readonly levels: number,
  ) {
    super(kind);
  }
}

/**
 * What a loop does with an exception from its body: `break`/`continue` aimed at this loop are
 * returned; one aimed further out (`break 2`) is passed on one level less; anything else rethrown.
 */
function loopControlHere(e: unknown): 'break' | 'continue' {
  if (!(e instanceof LoopControl)) throw e;
  if (e.levels > 1) throw new LoopControl(e.kind, e.levels - 1);
  return e.kind;
}

/** Function calls nested deeper than this stop (bash's FUNCNEST; the lab's JavaScript stack). */
const MAX_FUNC_DEPTH = 100;

interface Var {
  value: string;
  exported: boolean;
}

export interface ShellOptions {
  dialect: Dialect;
  target: ExecTarget;
  /** Name used in error messages: `bash`, `sh`. */
  name: string;
  cwd?: string;
  env?: Record<string, string>;
  interactive?: boolean;
  builtins?: Map<string, Program>;
  /** The shell that started this one (`sh` typed at a prompt, `bash -c`): `ps` shows the chain. */
  parent?: Shell;
  /** What `ps` shows as this shell's command line (`-bash` for a login shell, `sh -c ...`). */
  cmdline?: string;
  /** The process id, when the shell runs as a process already numbered (`sh` typed at a prompt). */
  pid?: number;
}

/** A process of a running pipeline, as `ps` lists it. */
export interface RunningProcess {
  pid: number;
  ppid: number;
  cmdline: string;
}

export class Shell {
  readonly dialect: Dialect;
  readonly target: ExecTarget;
  readonly name: string;
  readonly interactive: boolean;
  cwd: string;
  status = 0;
  pid: number;
  readonly vars = new Map<string, Var>();
  positional: string[] = [];
  readonly history: string[] = [];
  private steps = 0;
  /** How many `run`s (eval, `.`, nested command strings) are active. */
  private depth = 0;
  private readonly builtins: Map<string, Program>;
  /** Background jobs started with `&` that have not finished. */
  readonly jobs: { id: number; pid: number; job: Job; command: string }[] = [];
  private nextJobId = 1;
  readonly parent: Shell | null;
  /** This shell's command line for `ps`. */
  cmdline: string;
  /** The commands of the pipeline running now (for `ps`), with the pids they were given. */
  readonly running: RunningProcess[] = [];
  /** The pid of the pipeline stage being started (a program's own pid). */
  private currentPid = 0;
  /** Shell functions defined with `name() { ...; }`. */
  readonly functions = new Map<string, Command>();
  /** How many function calls are active (`return` is valid inside one). */
  funcDepth = 0;
  /** How many loops enclose the running command (`break`/`continue` are valid inside one). */
  loopDepth = 0;

  constructor(opts: ShellOptions) {
    this.dialect = opts.dialect;
    this.target = opts.target;
    this.name = opts.name;
    this.interactive = opts.interactive ?? false;
    this.cwd = opts.cwd ?? '/';
    this.pid = opts.pid ?? opts.target.spawnPid();
    for (const [k, v] of Object.entries(opts.env ?? {})) this.vars.set(k, { value: v, exported: true });
    this.builtins = opts.builtins ?? new Map();
    this.parent = opts.parent ?? null;
    this.cmdline = opts.cmdline ?? opts.name;
    if (this.dialect === 'ash') {
      // busybox ash's init: SHLVL incremented and PWD set, both exported (ash.c, init()).
      const lvl = Number(this.vars.get('SHLVL')?.value ?? '0');
      this.vars.set('SHLVL', { value: String((Number.isFinite(lvl) ? lvl : 0) + 1), exported: true });
      this.vars.set('PWD', { value: this.cwd, exported: true });
    }
  }

  /** Names a user can run here: builtins, for completion. */
  commandNames(): string[] {
    return [...this.builtins.keys()];
  }

  /** The builtin called `name`, if this shell has one (`type`, `command -v`). */
  builtin(name: string): Program | undefined {
    return this.builtins.get(name);
  }

  // ---- variables ---------------------------------------------------------------------------

  get(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return String(this.pid);
      case '#':
        return String(this.positional.length);
      case '@':
      case '*':
        return this.positional.join(' ');
      case '0':
        return this.name;
    }
    if (/^[1-9][0-9]*$/.test(name)) return this.positional[Number(name) - 1];
    if (name === 'PWD' && !this.vars.has('PWD')) return this.cwd;
    return this.vars.get(name)?.value;
  }

  set(name: string, value: string, exported?: boolean): void {
    const v = this.vars.get(name);
    this.vars.set(name, { value, exported: exported ?? v?.exported ?? false });
  }

  unset(name: string): void {
    this.vars.delete(name);
  }

  export(name: string, value?: string): void {
    const v = this.vars.get(name);
    this.vars.set(name, { value: value ?? v?.value ?? '', exported: true });
  }

  environment(): Map<string, string> {
    const env = new Map<string, string>();
    const names = [...this.vars.keys()].filter((k) => this.vars.get(k)!.exported);
    // busybox ash builds a child's environment by walking its variable hash table: buckets in
    // order, the newest variable of a bucket first (ash.c hashvar(), listvars()).
    if (this.dialect === 'ash') {
      const bucket = (n: string): number => {
        let h = n.charCodeAt(0) << 4;
        for (const c of n) h += c.charCodeAt(0);
        return h % 39;
      };
      const age = new Map(names.map((n, i) => [n, i]));
      names.sort((a, b) => bucket(a) - bucket(b) || age.get(b)! - age.get(a)!);
    }
    for (const k of names) env.set(k, this.vars.get(k)!.value);
    return env;
  }

  // ---- running -----------------------------------------------------------------------------

  /**
   * Runs one line (possibly several commands). Throws `Incomplete` when the line needs more
   * input (the caller shows `> `); syntax errors are reported like bash and set status 2.
   */
  *run(src: string, io: { stdin: Input; stdout: Output; stderr: Output }): Job {
    let list: List;
    try {
      list = parse(src);
    } catch (e) {
      if (e instanceof Incomplete) throw e;
      if (e instanceof RangeError) {
        io.stderr.write(`${this.name}: ${OUT_OF_MEMORY}\n`);
        this.status = 2;
        return 2;
      }
      if (e instanceof SyntaxError) {
        io.stderr.write(this.syntaxErrorText(e.token, src, e.line, e.ashText));
        this.status = 2;
        return 2;
      }
      if (e instanceof BadSubstitution) {
        io.stderr.write(`${this.errPrefix()}${e.message}\n`);
        this.status = 1;
        return 1;
      }
      throw e;
    }
    // Only the outermost run starts a fresh step budget; `eval`, `.` and `sh -c` nested in a
    // loop share it, so they cannot reset the bound.
    const outer = this.depth === 0;
    if (outer) this.steps = 0;
    if (this.depth >= MAX_NESTING) {
      io.stderr.write(`${this.errPrefix()}maximum nesting level exceeded (${MAX_NESTING})\n`);
      this.status = 1;
      return 1;
    }
    this.depth++;
    try {
      this.status = yield* this.execList(list, io);
    } catch (e) {
      if (e instanceof ExitShell) {
        this.status = e.status;
        throw e;
      }
      if (e instanceof ShellInterrupted && outer) {
        this.status = 130;
        return 130;
      }
      if (e instanceof RangeError && outer) {
        // A string or the JavaScript stack hit the engine's limit (`a=$a$a` thirty times,
        // `printf '%*d' 1000000000`): what a real shell reports when malloc fails.
        io.stderr.write(`${this.name}: ${OUT_OF_MEMORY}\n`);
        this.status = 1;
        return 1;
      }
      if (e instanceof StepLimit && outer) {
        io.stderr.write(`${this.name}: command stopped after ${STEP_LIMIT} steps (the lab bounds loops so the page never hangs)\n`);
        this.status = 130;
        return 130;
      }
      throw e;
    } finally {
      this.depth--;
    }
    return this.status;
  }

  private syntaxErrorText(token: string, src: string, line = 1, ashText?: string): string {
    if (this.dialect === 'ash')
      return `${this.name}: syntax error: unexpected ${ashText ?? (token === 'newline' ? 'newline' : `"${token}"`)}\n`;
    if (this.interactive) return `${this.name}: syntax error near unexpected token \`${token}'\n`;
    const text = src.split('\n')[line - 1] ?? src;
    return `${this.name}: -c: line ${line}: syntax error near unexpected token \`${token}'\n${this.name}: -c: line ${line}: \`${text}'\n`;
  }

  /** `bash: ` in an interactive shell, `bash: line 1: ` under `bash -c`, `sh: ` for busybox. */
  errPrefix(line = 1): string {
    if (this.dialect === 'ash') return `${this.name}: `;
    return this.interactive ? `${this.name}: ` : `${this.name}: line ${line}: `;
  }

  private tick(): void {
    if (++this.steps > STEP_LIMIT) throw new StepLimit();
  }

  /** Charges work a program did itself (awk's loops) to this command line's step budget. */
  charge(steps: number): void {
    this.steps += steps;
    if (this.steps > STEP_LIMIT) throw new StepLimit();
  }

  *execList(list: List, io: Io): Job {
    let status = this.status;
    for (const item of list.items) {
      if (item.background) {
        status = this.startBackground(item, io);
      } else {
        status = yield* this.execAndOr(item, io);
      }
      this.status = status;
    }
    return status;
  }

  private startBackground(item: AndOr, io: Io): number {
    const job = this.execAndOr({ ...item, background: false }, { ...io, stdin: Input.empty() });
    // Run until the job first waits; a job that is done already leaves nothing behind.
    let step = job.next();
    while (!step.done && step.value.kind === 'sleep' && step.value.ms === 0) step = job.next({ interrupted: false });
    const pid = this.target.spawnPid();
    if (!step.done) {
      const id = this.nextJobId++;
      this.jobs.push({ id, pid, job, command: '' });
      if (this.interactive) io.stderr.write(`[${id}] ${pid}\n`);
    }
    return 0;
  }

  private *execAndOr(ao: AndOr, io: Io): Job {
    let status = yield* this.execPipeline(ao.first, io);
    this.status = status;
    for (const { op, pipeline } of ao.rest) {
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      status = yield* this.execPipeline(pipeline, io);
      this.status = status;
    }
    return status;
  }

  private *execPipeline(p: Pipeline, io: Io): Job {
    this.tick();
    if (this.steps % YIELD_EVERY === 0) {
      const r = yield { kind: 'sleep', ms: 0 };
      if (r?.interrupted) throw new ShellInterrupted();
    }
    // Every stage is a process of its own (what `ps -ef | grep x` shows).
    const procs = p.commands.map((c) => ({ pid: this.target.spawnPid(), ppid: this.pid, cmdline: renderCommand(c) }));
    this.running.push(...procs);
    try {
      return yield* this.execPipelineStages(p, io, procs);
    } finally {
      this.running.splice(this.running.length - procs.length, procs.length);
    }
  }

  private *execPipelineStages(p: Pipeline, io: Io, procs: RunningProcess[]): Job {
    let status: number;
    if (p.commands.length === 1) {
      this.currentPid = procs[0].pid;
      status = yield* this.execCommand(p.commands[0], io);
    } else {
      // Stages run one after another, each reading what the previous one wrote; a pipe has
      // a bounded buffer, so an endless producer (`yes | head`) stops with EPIPE.
      let input = io.stdin;
      status = 0;
      for (let i = 0; i < p.commands.length; i++) {
        const last = i === p.commands.length - 1;
        const out = last ? io.stdout : new BufferOutput(false, 1024 * 1024);
        this.currentPid = procs[i].pid;
        status = yield* this.execCommand(p.commands[i], { stdin: input, stdout: out, stderr: io.stderr });
        if (!last) input = new Input((out as BufferOutput).text(), true);
      }
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  private *execCommand(cmd: Command, io: Io): Job {
    this.tick();
    let rio: Io;
    try {
      rio = yield* this.applyRedirects(cmd.redirects, io);
    } catch (e) {
      if (e instanceof RedirectError) {
        io.stderr.write(e.message + '\n');
        return 1;
      }
      throw e;
    }
    switch (cmd.kind) {
      case 'simple':
        return yield* this.execSimple(cmd, rio);
      case 'group':
        return yield* this.execList(cmd.body, rio);
      case 'subshell': {
        const saved = { cwd: this.cwd, vars: new Map(this.vars) };
        try {
          return yield* this.execList(cmd.body, rio);
        } catch (e) {
          if (e instanceof ExitShell) return e.status;
          throw e;
        } finally {
          this.cwd = saved.cwd;
          this.vars.clear();
          for (const [k, v] of saved.vars) this.vars.set(k, v);
        }
      }
      case 'for': {
        const items = cmd.items ? yield* this.expandWords(cmd.items, rio) : this.positional.slice();
        let status = 0;
        this.loopDepth++;
        try {
          for (const item of items) {
            this.tick();
            this.set(cmd.name, item);
            try {
              status = yield* this.execList(cmd.body, rio);
            } catch (e) {
              status = 0;
              if (loopControlHere(e) === 'break') break;
            }
          }
        } finally {
          this.loopDepth--;
        }
        return status;
      }
      case 'while': {
        let status = 0;
        this.loopDepth++;
        try {
          for (;;) {
            this.tick();
            try {
              const c = yield* this.execList(cmd.cond, rio);
              if (cmd.until ? c === 0 : c !== 0) break;
              status = yield* this.execList(cmd.body, rio);
            } catch (e) {
              status = 0;
              if (loopControlHere(e) === 'break') break;
            }
          }
        } finally {
          this.loopDepth--;
        }
        return status;
      }
      case 'if': {
        for (const b of cmd.branches) {
          const c = yield* this.execList(b.cond, rio);
          if (c === 0) return yield* this.execList(b.body, rio);
        }
        return cmd.elseBody ? yield* this.execList(cmd.elseBody, rio) : 0;
      }
      case 'funcdef':
        this.functions.set(cmd.name, cmd.body);
        return 0;
      case 'case': {
        const subject = (yield* this.expandWordNoSplit(cmd.subject, rio)).text;
        for (const item of cmd.items) {
          for (const pw of item.patterns) {
            const pat = yield* this.expandPattern(pw, rio);
            if (globMatch(pat, subject)) return yield* this.execList(item.body, rio);
          }
        }
        return 0;
      }
    }
  }

  private *execSimple(cmd: SimpleCommand, io: Io): Job {
    let argv: string[];
    try {
      argv = yield* this.expandWords(cmd.words, io);
    } catch (e) {
      if (e instanceof ExpansionError) {
        io.stderr.write(`${this.errPrefix(cmd.line)}${e.message}\n`);
        if (e.fatal && !this.interactive) throw new ExitShell(this.dialect === 'ash' ? 2 : 127);
        return 1;
      }
      throw e;
    }
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, (yield* this.expandWordNoSplit(a.value, io)).text]);
    if (!argv.length) {
      for (const [k, v] of assigns) this.set(k, v);
      return 0;
    }
    if (argv.reduce((n, a) => n + a.length, 0) > MAX_ARGS_BYTES) {
      io.stderr.write(`${this.errPrefix(cmd.line)}${argv[0]}: Argument list too long\n`);
      return 126;
    }
    const env = this.environment();
    for (const [k, v] of assigns) env.set(k, v);
    const name = argv[0];
    const builtin = this.builtins.get(name);
    const ctx: CommandContext = {
      argv,
      env,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      cwd: this.cwd,
      shell: this,
      target: this.target,
      pid: this.currentPid,
    };
    const fn = this.functions.get(name);
    if (fn) return yield* this.callFunction(name, fn, argv.slice(1), io, cmd.line);
    if (builtin) return yield* this.runProgram(builtin, ctx);
    const resolved = this.target.resolve(name, env.get('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', this.cwd);
    if (!resolved) {
      if (name.includes('/') && this.dialect === 'ash') {
        // ash reports every failed exec of a path as "not found", a directory as EACCES.
        const st = this.target.fs.stat(normalizePath(name, this.cwd));
        io.stderr.write(st ? `${this.name}: ${name}: Permission denied\n` : `${this.name}: ${name}: not found\n`);
        return st ? 126 : 127;
      }
      if (name.includes('/')) {
        const st = this.target.fs.stat(normalizePath(name, this.cwd));
        if (st?.kind === 'dir') {
          io.stderr.write(`${this.errPrefix(cmd.line)}${name}: Is a directory\n`);
          return 126;
        }
        if (st) {
          io.stderr.write(`${this.errPrefix(cmd.line)}${name}: Permission denied\n`);
          return 126;
        }
        io.stderr.write(`${this.errPrefix(cmd.line)}${name}: No such file or directory\n`);
        return 127;
      }
      io.stderr.write(
        this.dialect === 'ash' ? `${this.name}: ${name}: not found\n` : `${this.errPrefix(cmd.line)}${name}: command not found\n`,
      );
      return 127;
    }
    return yield* this.runProgram(resolved.run, ctx);
  }

  /** Runs a shell function with its own positional parameters. */
  private *callFunction(name: string, body: Command, args: string[], io: Io, line: number): Job {
    if (this.funcDepth >= MAX_FUNC_DEPTH) {
      io.stderr.write(`${this.errPrefix(line)}${name}: maximum function nesting level exceeded (${MAX_FUNC_DEPTH})\n`);
      return 1;
    }
    const saved = this.positional;
    const savedLoops = this.loopDepth;
    this.positional = args;
    this.funcDepth++;
    this.loopDepth = 0;
    try {
      return yield* this.execCommand(body, io);
    } catch (e) {
      if (e instanceof ReturnFromFunction) return e.status;
      throw e;
    } finally {
      this.funcDepth--;
      this.loopDepth = savedLoops;
      this.positional = saved;
    }
  }

  /**
   * Runs a program, turning a broken pipe into status 141 like SIGPIPE does. A program that
   * Ctrl-C killed (it returns 130 after an interrupt) stops the whole command line, as bash
   * stops a loop whose child died of SIGINT; one that handles SIGINT (ping's summary) does not.
   */
  *runProgram(program: Program, ctx: CommandContext): Job {
    try {
      const r = program(ctx);
      if (typeof r === 'number') return r;
      let resume: Resume | undefined;
      let interrupted = false;
      for (;;) {
        const step = r.next(resume);
        if (step.done) {
          if (interrupted && step.value === 130) throw new ShellInterrupted();
          return step.value;
        }
        resume = yield step.value;
        if (resume?.interrupted) interrupted = true;
      }
    } catch (e) {
      if (e instanceof BrokenPipe) return 141;
      if (e instanceof FsError) {
        // A write to a redirected file failed (the file grew past the lab's size limit).
        ctx.stderr.write(`${ctx.argv[0]}: write error: ${e.code === 'EINVAL' ? 'File too large' : e.text}\n`);
        return 1;
      }
      throw e;
    }
  }

  // ---- redirections ------------------------------------------------------------------------

  private *applyRedirects(redirects: Redirect[], io: Io): Generator<Effect, Io, Resume | undefined> {
    if (!redirects.length) return io;
    const fds: (Input | Output)[] = [io.stdin, io.stdout, io.stderr];
    for (const r of redirects) {
      if (r.heredoc) {
        const body = r.heredoc.expand ? yield* this.expandHeredoc(r.heredoc.body, io) : r.heredoc.body;
        fds[r.fd] = new Input(body, true);
        continue;
      }
      const target = (yield* this.expandWordNoSplit(r.target, io)).text;
      switch (r.op) {
        case '<<<':
          fds[r.fd] = new Input(target + '\n', true);
          break;
        case '<': {
          const path = normalizePath(target, this.cwd);
          try {
            fds[r.fd] = new Input(target === '/dev/null' ? '' : this.target.fs.read(path), true);
          } catch (e) {
            if (!(e instanceof FsError)) throw e;
            // ash (shell/ash.c openredirect): "can't open F: no such file" for ENOENT/ENOTDIR.
            if (this.dialect === 'ash')
              throw new RedirectError(
                `${this.name}: can't open ${target}: ${e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 'no such file' : e.text}`,
              );
            throw new RedirectError(`${this.errPrefix()}${target}: ${e.text}`);
          }
          break;
        }
        case '>':
        case '>|':
        case '>>':
        case '&>': {
          const out = this.fileOutput(target, r.op === '>>');
          if (r.op === '&>') {
            fds[1] = out;
            fds[2] = out;
          } else fds[r.fd] = out;
          break;
        }
        case '>&':
        case '<&': {
          if (target === '-') {
            fds[r.fd] = r.op === '<&' ? Input.empty() : new NullOutput();
          } else if (/^[0-9]+$/.test(target)) {
            const src = fds[Number(target)];
            if (!src) throw new RedirectError(`${this.errPrefix()}${target}: Bad file descriptor`);
            fds[r.fd] = src;
          } else if (r.op === '>&') {
            const out = this.fileOutput(target, false);
            fds[1] = out;
            fds[2] = out;
          } else throw new RedirectError(`${this.errPrefix()}${target}: ambiguous redirect`);
          break;
        }
      }
    }
    return { stdin: fds[0] as Input, stdout: fds[1] as Output, stderr: fds[2] as Output };
  }

  private fileOutput(target: string, append: boolean): Output {
    if (target === '/dev/null') return new NullOutput();
    if (target === '/dev/stdout' || target === '/dev/stderr') return new NullOutput();
    if (!target) throw new RedirectError(`${this.errPrefix()}: No such file or directory`);
    const path = normalizePath(target, this.cwd);
    const fs = this.target.fs;
    try {
      if (!append) fs.write(path, '');
      else if (!fs.exists(path)) fs.write(path, '');
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (this.dialect === 'ash')
        throw new RedirectError(
          `${this.name}: can't create ${target}: ${e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 'nonexistent directory' : e.text}`,
        );
      throw new RedirectError(`${this.errPrefix()}${target}: ${e.text}`);
    }
    return new FileOutput(fs, path);
  }

  // ---- expansion ---------------------------------------------------------------------------

  /** Expands words into fields: parameter/command substitution, field splitting, globbing. */
  *expandWords(words: Word[], io: Io): Generator<Effect, string[], Resume | undefined> {
    const out: string[] = [];
    for (const word of words) {
      // bash expands braces first (`{a,b}`, `{1..3}`); busybox ash has no brace expansion.
      const expanded = this.dialect === 'bash' ? braceExpand(word) : [word];
      for (const w of expanded) {
        const fields = yield* this.expandWordFields(w, io);
        for (const f of fields) out.push(f);
      }
    }
    return out;
  }

  private *expandWordFields(word: Word, io: Io): Generator<Effect, string[], Resume | undefined> {
    // Build fields: text pieces carry whether they are quoted (not split, not globbed).
    type Piece = { text: string; quoted: boolean; split: boolean };
    const pieces: Piece[] = [];
    let sawQuoted = false;
    let atFields: string[] | null = null;
    for (const part of word.parts) {
      if (part.kind === 'lit') pieces.push({ text: part.text, quoted: false, split: false });
      else if (part.kind === 'sq') {
        sawQuoted = true;
        pieces.push({ text: part.text, quoted: true, split: false });
      } else if (part.kind === 'dq') {
        sawQuoted = true;
        if (part.parts.length === 1 && part.parts[0].kind === 'param' && part.parts[0].name === '@' && !part.parts[0].op) {
          atFields = this.positional.slice();
          continue;
        }
        const r = yield* this.expandParts(part.parts, io, true);
        pieces.push({ text: r, quoted: true, split: false });
      } else {
        const r = yield* this.expandParts([part], io, false);
        pieces.push({ text: r, quoted: false, split: part.kind !== 'tilde' });
      }
    }
    if (atFields) return atFields;
    // Field splitting on unquoted expansion results (IFS = space, tab, newline).
    const fields: { text: string; globbable: string; glob: boolean }[] = [];
    let cur: { text: string; globbable: string; glob: boolean } | null = null;
    const ensure = (): { text: string; globbable: string; glob: boolean } => {
      if (!cur) {
        cur = { text: '', globbable: '', glob: false };
        fields.push(cur);
      }
      return cur;
    };
    for (const p of pieces) {
      if (p.split) {
        const segs = p.text.split(/[ \t\n]+/);
        segs.forEach((seg, i) => {
          if (i > 0) cur = null;
          if (seg === '' && (i === 0 || i === segs.length - 1)) {
            if (i === 0 && segs.length > 1) return;
            return;
          }
          const c = ensure();
          c.text += seg;
          c.globbable += escapeGlob(seg, false);
          if (hasGlobChars(seg)) c.glob = true;
        });
        if (p.text.length && /[ \t\n]$/.test(p.text)) cur = null;
      } else {
        const c = ensure();
        c.text += p.text;
        c.globbable += escapeGlob(p.text, p.quoted);
        if (!p.quoted && hasGlobChars(p.text)) c.glob = true;
      }
    }
    if (!fields.length) return sawQuoted ? [''] : [];
    const out: string[] = [];
    for (const f of fields) {
      if (f.glob) {
        const matches = expandGlob(this.target.fs, f.globbable, this.cwd);
        if (matches.length) {
          out.push(...matches);
          continue;
        }
      }
      out.push(f.text);
    }
    return out;
  }

  /** A word expanded as one string (assignments, redirection targets, case subjects). */
  *expandWordNoSplit(word: Word, io: Io): Generator<Effect, { text: string }, Resume | undefined> {
    const text = yield* this.expandParts(word.parts, io, false);
    return { text };
  }

  private *expandPattern(word: Word, io: Io): Generator<Effect, string, Resume | undefined> {
    let out = '';
    for (const part of word.parts) {
      if (part.kind === 'lit') out += part.text;
      else out += escapeGlob(yield* this.expandParts([part], io, false), true);
    }
    return out;
  }

  private *expandHeredoc(body: string, io: Io): Generator<Effect, string, Resume | undefined> {
    // A here-document body expands like double-quoted text.
    return yield* this.expandParts(this.heredocWord(body), io, true);
  }

  private heredocWord(body: string): WordPart[] {
    // Parse `body` as the inside of a double-quoted string, where `"` is ordinary.
    const escaped = body.replace(/\\(?=")/g, '\\\\').replace(/"/g, '\\"');
    const w = parse(`: "${escaped}"`).items[0].first.commands[0] as SimpleCommand;
    const part = w.words[1].parts[0];
    return part.kind === 'dq' ? part.parts : [part];
  }

  private *expandParts(parts: WordPart[], io: Io, inDq: boolean): Generator<Effect, string, Resume | undefined> {
    let out = '';
    for (const part of parts) {
      switch (part.kind) {
        case 'lit':
        case 'sq':
          out += part.text;
          break;
        case 'dq':
          out += yield* this.expandParts(part.parts, io, true);
          break;
        case 'tilde':
          out += part.user ? `/home/${part.user}` : (this.get('HOME') ?? '/root');
          break;
        case 'param':
          out += yield* this.expandParam(part, io, inDq);
          break;
        case 'arith':
          try {
            out += String(evalArith(part.expr, (n) => this.get(n) ?? ''));
          } catch (e) {
            const msg = (e as Error).message;
            // ash: "sh: divide by zero" (and a non-interactive ash exits); bash names the expression.
            if (this.dialect === 'ash')
              throw new ExpansionError(msg === 'division by 0' ? 'divide by zero' : `arithmetic syntax error`, true);
            throw new ExpansionError(
              `${part.expr}: ${msg}${msg === 'division by 0' ? ` (error token is "${part.expr.replace(/^.*[/%]\s*/, '')}")` : ''}`,
            );
          }
          break;
        case 'cmdsub': {
          const buf = new BufferOutput(false, 4 * 1024 * 1024);
          try {
            yield* this.execList(part.list, { stdin: io.stdin, stdout: buf, stderr: io.stderr });
          } catch (e) {
            if (!(e instanceof BrokenPipe) && !(e instanceof ExitShell)) throw e;
          }
          out += buf.text().replace(/\n+$/, '');
          break;
        }
      }
    }
    return out;
  }

  private *expandParam(part: Extract<WordPart, { kind: 'param' }>, io: Io, inDq: boolean): Generator<Effect, string, Resume | undefined> {
    const val = this.get(part.name);
    const op = part.op;
    if (!op) return val ?? '';
    if (op === '#len') return String((val ?? '').length);
    if (op === ':substr') {
      // ${x:offset} ${x:offset:length}: arithmetic, negative counts from the end.
      const spec = part.arg?.parts.map((p) => (p.kind === 'lit' ? p.text : '')).join('') ?? '';
      const [o, l] = spec.split(':');
      const v = part.name === '@' || part.name === '*' ? this.positional.join(' ') : (val ?? '');
      let off: number;
      let len: number | undefined;
      try {
        off = evalArith(o.trim() || '0', (n) => this.get(n) ?? '');
        len = l === undefined ? undefined : evalArith(l.trim() || '0', (n) => this.get(n) ?? '');
      } catch (e) {
        throw new ExpansionError(`${spec}: ${(e as Error).message}`);
      }
      const start = off < 0 ? Math.max(0, v.length + off) : Math.min(off, v.length);
      if (len === undefined) return v.slice(start);
      if (len < 0) {
        const end = v.length + len;
        if (end < start) throw new ExpansionError(`${l.trim()}: substring expression < 0`);
        return v.slice(start, end);
      }
      return v.slice(start, start + len);
    }
    if (op === '/' || op === '//') {
      const full = yield* this.expandParts(part.arg?.parts ?? [], io, inDq);
      const cut = full.indexOf('\u0000');
      const pat = full.slice(0, cut);
      const to = full.slice(cut + 1);
      const v = val ?? '';
      if (!pat) return v;
      let out = '';
      let i = 0;
      while (i <= v.length) {
        let matched = -1;
        for (let j = v.length; j > i; j--)
          if (globMatch(pat, v.slice(i, j))) {
            matched = j;
            break;
          }
        if (matched > 0) {
          out += to;
          i = matched;
          if (op === '/') return out + v.slice(i);
        } else {
          if (i < v.length) out += v[i];
          i++;
        }
      }
      return out;
    }
    if (op === '^^') return (val ?? '').toUpperCase();
    if (op === ',,') return (val ?? '').toLowerCase();
    if (op === '^') return (val ?? '').charAt(0).toUpperCase() + (val ?? '').slice(1);
    if (op === ',') return (val ?? '').charAt(0).toLowerCase() + (val ?? '').slice(1);
    const arg = (): Generator<Effect, string, Resume | undefined> => this.expandParts(part.arg?.parts ?? [], io, inDq);
    const unsetOrEmpty = op.startsWith(':') ? !val : val === undefined;
    switch (op.replace(':', '')) {
      case '-':
        return unsetOrEmpty ? yield* arg() : (val ?? '');
      case '=': {
        if (unsetOrEmpty) {
          const v = yield* arg();
          this.set(part.name, v);
          return v;
        }
        return val ?? '';
      }
      case '+':
        return unsetOrEmpty ? '' : yield* arg();
      case '?': {
        if (unsetOrEmpty) {
          const msg = yield* arg();
          throw new ExpansionError(`${part.name}: ${msg || 'parameter null or not set'}`, true);
        }
        return val ?? '';
      }
      case '#':
      case '##':
      case '%':
      case '%%': {
        const pat = yield* arg();
        const v = val ?? '';
        const longest = op.length === 2;
        if (op[0] === '#') {
          const idx = longest ? range(v.length, -1) : range(0, v.length + 1);
          for (const i of idx) if (globMatch(pat, v.slice(0, i))) return v.slice(i);
        } else {
          const idx = longest ? range(0, v.length + 1) : range(v.length, -1);
          for (const i of idx) if (globMatch(pat, v.slice(i))) return v.slice(0, i);
        }
        return v;
      }
    }
    return val ?? '';
  }

  /** Runs a nested command line in this shell's context (eval, sh -c in the same shell). */
  *evalString(src: string, io: Io): Job {
    try {
      return yield* this.run(src, io);
    } catch (e) {
      if (e instanceof Incomplete) {
        io.stderr.write(`${this.errPrefix()}syntax error: unexpected end of file\n`);
        return 2;
      }
      throw e;
    }
  }
}

export interface Io {
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

class RedirectError extends Error {}
class ExpansionError extends Error {
  /** `${x:?}` and ash's arithmetic errors end a non-interactive shell (bash: 127, ash: 2). */
  constructor(
    message: string,
    readonly fatal = false,
  ) {
    super(message);
  }
}

export class NullOutput implements Output {
  readonly isTty = false;
  write(): void {}
}

/** Output appended to a file as it is written (like an O_APPEND descriptor). */
export class FileOutput implements Output {
  readonly isTty = false;
  constructor(
    private readonly fs: Vfs,
    private readonly path: string,
  ) {}
  write(text: string): void {
    this.fs.write(this.path, text, { append: true });
  }
}

/** Brace expansions in one word before the lab refuses (bash fails to allocate past its memory). */
const MAX_BRACE_WORDS = 1_000_000;

/**
 * bash's brace expansion on the unquoted literal text of a word: `pre{a,b}post` and
 * `{1..10}`, `{01..10..3}`, `{a..e}`, nested and repeated (braceexpand.c). A brace group must
 * lie within one unquoted piece of the word.
 */
function braceExpand(word: Word): Word[] {
  const k = word.parts.findIndex((p) => p.kind === 'lit' && findBraceGroup(p.text) !== null);
  if (k < 0) return [word];
  const text = (word.parts[k] as { text: string }).text;
  const g = findBraceGroup(text)!;
  const pre = text.slice(0, g.start);
  const post = text.slice(g.end + 1);
  const out: Word[] = [];
  for (const alt of g.alternatives) {
    const parts: WordPart[] = [...word.parts.slice(0, k), { kind: 'lit', text: pre + alt + post }, ...word.parts.slice(k + 1)];
    for (const w of braceExpand({ parts })) {
      out.push(w);
      if (out.length > MAX_BRACE_WORDS) throw new ExpansionError(`brace expansion: failed to allocate memory for ${out.length} elements`);
    }
  }
  return out;
}

/** The first expandable `{...}` in `text`: its span and alternatives; null when there is none. */
function findBraceGroup(text: string): { start: number; end: number; alternatives: string[] } | null {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    if (text[start - 1] === '$') continue;
    let depth = 0;
    const commas: number[] = [];
    let end = -1;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          end = i;
          break;
        }
      } else if (c === ',' && depth === 1) commas.push(i);
    }
    if (end < 0) return null;
    const body = text.slice(start + 1, end);
    if (commas.length) {
      const alternatives: string[] = [];
      let from = start + 1;
      for (const c of commas) {
        alternatives.push(text.slice(from, c));
        from = c + 1;
      }
      alternatives.push(text.slice(from, end));
      return { start, end, alternatives };
    }
    const range = braceRange(body);
    if (range) return { start, end, alternatives: range };
  }
  return null;
}

function braceRange(body: string): string[] | null {
  const num = /^(-?[0-9]+)\.\.(-?[0-9]+)(?:\.\.(-?[0-9]+))?$/.exec(body);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    const step = Math.abs(Number(num[3] ?? 1)) || 1;
    const count = Math.floor(Math.abs(b - a) / step) + 1;
    if (count > MAX_BRACE_WORDS) throw new ExpansionError(`brace expansion: failed to allocate memory for ${count} elements`);
    const width = /^-?0[0-9]/.test(num[1]) || /^-?0[0-9]/.test(num[2]) ? Math.max(num[1].length, num[2].length) : 0;
    const out: string[] = [];
    for (let i = 0, v = a; i < count; i++, v += a <= b ? step : -step) {
      const s = String(Math.abs(v)).padStart(width - (v < 0 ? 1 : 0), '0');
      out.push(v < 0 ? '-' + s : s);
    }
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?[0-9]+))?$/.exec(body);
  if (chr) {
    const a = chr[1].charCodeAt(0);
    const b = chr[2].charCodeAt(0);
    const step = Math.abs(Number(chr[3] ?? 1)) || 1;
    const out: string[] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) out.push(String.fromCharCode(v));
    return out;
  }
  return null;
}

/** A command as `ps` shows it: the words as typed, without quotes (expansions unexpanded). */
function renderCommand(c: Command): string {
  if (c.kind !== 'simple') return 'bash';
  const render = (parts: WordPart[]): string =>
    parts
      .map((p) => {
        switch (p.kind) {
          case 'lit':
          case 'sq':
            return p.text;
          case 'dq':
            return render(p.parts);
          case 'param':
            return '$' + p.name;
          case 'cmdsub':
            return `$(${p.source})`;
          case 'arith':
            return `$((${p.expr}))`;
          case 'tilde':
            return '~' + p.user;
        }
        return '';
      })
      .join('');
  return c.words.map((w) => render(w.parts)).join(' ');
}

function escapeGlob(text: string, quoted: boolean): string {
  return quoted ? text.replace(/[*?[\]\\]/g, (c) => '\\' + c) : text;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  if (from <= to) for (let i = from; i < to; i++) out.push(i);
  else for (let i = from; i > to; i--) out.push(i);
  return out;
}
