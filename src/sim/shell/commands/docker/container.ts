/**
 * Container commands of docker/cli v20.10 (cli/command/container/*.go): run, create, start,
 * stop, restart, rm, kill, ps, logs, port, top, exec, and container inspect — their flags,
 * outputs, error texts and exit codes, against the engine through the daemon API views.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Job, Resume } from '../../runtime.ts';
import { DockerError } from '../../../docker/errors.ts';
import type { DockerEngine } from '../../../docker/engine.ts';
import type { Container } from '../../../docker/model.ts';
import type { CommandDef, FlagDef } from '../../../docker/format/flags.ts';
import { parseNormalizedNamed, ReferenceError } from '../../../docker/format/reference.ts';
import { displayablePorts, portLines, PortSpecError, type PortBinding } from '../../../docker/format/ports.ts';
import { humanDuration } from '../../../docker/format/units.ts';
import { goStruct } from '../../../docker/format/gotemplate.ts';
import { tabwrite } from '../../../docker/format/tabwriter.ts';
import { buildCreateRequest, CREATE_FLAGS, OptsError, RUN_FLAGS, type CreateRequest } from './containeropts.ts';
import type { DockerApi } from '../../../docker/api.ts';
import { CliExit, confirm, daemonMessage, formatRows, parseCommand, report, wrapNotFound } from './util.ts';
import { execFailure, runIn, containerTarget } from './exec.ts';
import { envMap } from '../../container-target.ts';
import { inspectObjects } from './inspect.ts';
import { pullImage } from './image.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

export const RUN_DEF: CommandDef = {
  path: 'docker run',
  use: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Run a command in a new container',
  flags: RUN_FLAGS,
  interspersed: false,
  args: { min: 1 },
};

export const CREATE_DEF: CommandDef = {
  path: 'docker create',
  use: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new container',
  flags: CREATE_FLAGS,
  interspersed: false,
  args: { min: 1 },
};

const START_FLAGS: FlagDef[] = [
  { name: 'attach', short: 'a', kind: 'bool', usage: 'Attach STDOUT/STDERR and forward signals' },
  { name: 'interactive', short: 'i', kind: 'bool', usage: "Attach container's STDIN" },
  { name: 'detach-keys', kind: 'string', usage: 'Override the key sequence for detaching a container' },
  { name: 'checkpoint', kind: 'string', usage: 'Restore from this checkpoint', hidden: true },
  { name: 'checkpoint-dir', kind: 'string', usage: 'Use a custom checkpoint storage directory', hidden: true },
];

const defs = {
  start: {
    path: 'docker start',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    short: 'Start one or more stopped containers',
    flags: START_FLAGS,
    args: { min: 1 },
  },
  stop: {
    path: 'docker stop',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    short: 'Stop one or more running containers',
    flags: [
      { name: 'time', short: 't', kind: 'int', typeName: 'int', usage: 'Seconds to wait for stop before killing it', defValue: '10' },
    ],
    args: { min: 1 },
  },
  restart: {
    path: 'docker restart',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    short: 'Restart one or more containers',
    flags: [
      {
        name: 'time',
        short: 't',
        kind: 'int',
        typeName: 'int',
        usage: 'Seconds to wait for stop before killing the container',
        defValue: '10',
      },
    ],
    args: { min: 1 },
  },
  rm: {
    path: 'docker rm',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    short: 'Remove one or more containers',
    flags: [
      { name: 'volumes', short: 'v', kind: 'bool', usage: 'Remove anonymous volumes associated with the container' },
      { name: 'link', short: 'l', kind: 'bool', usage: 'Remove the specified link' },
      { name: 'force', short: 'f', kind: 'bool', usage: 'Force the removal of a running container (uses SIGKILL)' },
    ],
    args: { min: 1 },
  },
  kill: {
    path: 'docker kill',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    short: 'Kill one or more running containers',
    flags: [{ name: 'signal', short: 's', kind: 'string', usage: 'Signal to send to the container', defValue: 'KILL' }],
    args: { min: 1 },
  },
  ps: {
    path: 'docker ps',
    use: '[OPTIONS]',
    short: 'List containers',
    flags: [
      { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display container IDs' },
      { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes' },
      { name: 'all', short: 'a', kind: 'bool', usage: 'Show all containers (default shows just running)' },
      { name: 'no-trunc', kind: 'bool', usage: "Don't truncate output" },
      { name: 'latest', short: 'l', kind: 'bool', usage: 'Show the latest created container (includes all states)' },
      {
        name: 'last',
        short: 'n',
        kind: 'int',
        typeName: 'int',
        usage: 'Show n last created containers (includes all states)',
        defValue: '-1',
      },
      { name: 'format', kind: 'string', usage: 'Pretty-print containers using a Go template' },
      { name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage: 'Filter output based on conditions provided' },
    ],
    args: { none: true },
  },
  logs: {
    path: 'docker logs',
    use: '[OPTIONS] CONTAINER',
    short: 'Fetch the logs of a container',
    flags: [
      { name: 'follow', short: 'f', kind: 'bool', usage: 'Follow log output' },
      {
        name: 'since',
        kind: 'string',
        usage: 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)',
      },
      {
        name: 'until',
        kind: 'string',
        usage: 'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)',
      },
      { name: 'timestamps', short: 't', kind: 'bool', usage: 'Show timestamps' },
      { name: 'details', kind: 'bool', usage: 'Show extra details provided to logs' },
      { name: 'tail', short: 'n', kind: 'string', usage: 'Number of lines to show from the end of the logs', defValue: 'all' },
    ],
    args: { exact: 1 },
  },
  port: {
    path: 'docker port',
    use: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
    short: 'List port mappings or a specific mapping for the container',
    flags: [],
    args: { min: 1, max: 2 },
  },
  top: {
    path: 'docker top',
    use: 'CONTAINER [ps OPTIONS]',
    short: 'Display the running processes of a container',
    flags: [],
    interspersed: false,
    args: { min: 1 },
  },
  exec: {
    path: 'docker exec',
    use: '[OPTIONS] CONTAINER COMMAND [ARG...]',
    short: 'Run a command in a running container',
    interspersed: false,
    flags: [
      { name: 'detach-keys', kind: 'string', usage: 'Override the key sequence for detaching a container' },
      { name: 'interactive', short: 'i', kind: 'bool', usage: 'Keep STDIN open even if not attached' },
      { name: 'tty', short: 't', kind: 'bool', usage: 'Allocate a pseudo-TTY' },
      { name: 'detach', short: 'd', kind: 'bool', usage: 'Detached mode: run command in the background' },
      { name: 'user', short: 'u', kind: 'string', usage: 'Username or UID (format: <name|uid>[:<group|gid>])' },
      { name: 'privileged', kind: 'bool', usage: 'Give extended privileges to the command' },
      { name: 'env', short: 'e', kind: 'list', usage: 'Set environment variables' },
      { name: 'env-file', kind: 'list', usage: 'Read in a file of environment variables' },
      { name: 'workdir', short: 'w', kind: 'string', usage: 'Working directory inside the container' },
    ],
    args: { min: 2 },
  },
  prune: {
    path: 'docker container prune',
    use: '[OPTIONS]',
    short: 'Remove all stopped containers',
    flags: [
      { name: 'force', short: 'f', kind: 'bool', usage: 'Do not prompt for confirmation' },
      { name: 'filter', kind: 'list', typeName: 'filter', usage: "Provide filter values (e.g. 'until=<timestamp>')" },
    ],
    args: { none: true },
  },
  inspect: {
    path: 'docker container inspect',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    short: 'Display detailed information on one or more containers',
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format the output using the given Go template' },
      { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes' },
    ],
    args: { min: 1 },
  },
} satisfies Record<string, CommandDef>;

export const CONTAINER_DEFS: Record<string, CommandDef> = defs;

/** `docker: <msg>.` (run.go reportError) with the help line for create-time errors. */
function reportRunError(ctx: CommandContext, cmd: string, msg: string, withHelp: boolean): void {
  let s = msg.replace(/\.$/, '') + '.';
  if (withHelp) s += `\nSee 'docker ${cmd} --help'.`;
  ctx.stderr.write(`docker: ${s}\n`);
}

/** runStartContainerErr: 127 for a missing executable, 126 for permission denied, else 125. */
function startErrStatus(msg: string): number {
  const t = msg.replace(/^Error response from daemon: /, '');
  if (
    t.includes('executable file not found') ||
    t.includes('no such file or directory') ||
    t.includes('system cannot find the file specified')
  )
    return 127;
  if (t.includes('permission denied')) return 126;
  return 125;
}

/** The `time="…" level=error msg="…"` line logrus writes on the CLI's stderr. */
function logrusError(engine: DockerEngine, msg: string): string {
  const t = new Date(engine.env.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  return `time="${t}" level=error msg="${msg}"\n`;
}

/** POST /containers/create; the daemon's warnings are printed as `WARNING: …` (create.go). */
function apiCreate(ctx: CommandContext, api: DockerApi, req: CreateRequest): Container {
  const r = api.containerCreate(req);
  for (const w of r.warnings) ctx.stderr.write(`WARNING: ${w}\n`);
  return api.engine.findContainer(r.id);
}

/**
 * createContainer of create.go: the image is pulled first when it is missing
 * (`Unable to find image 'x:latest' locally` on stderr, then the pull's progress).
 */
function* createWithPull(
  ctx: CommandContext,
  api: DockerApi,
  req: CreateRequest,
  pull: string,
): Generator<Effect, Container, Resume | undefined> {
  // The CLI validates the reference before it talks to the daemon.
  try {
    parseNormalizedNamed(req.image);
  } catch (e) {
    if (e instanceof ReferenceError) throw new OptsError(e.message);
    throw e;
  }
  const missing = !api.engine.findImage(req.image);
  if (pull === 'always' || (missing && pull !== 'never')) {
    if (missing) ctx.stderr.write(`Unable to find image '${withTag(req.image)}' locally\n`);
    yield* pullImage(ctx, api, req.image, ctx.stderr, { printRef: false });
  }
  return apiCreate(ctx, api, req);
}

/** TagNameOnly for display: `busybox` → `busybox:latest`. */
function withTag(image: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash || image.includes('@') ? image : `${image}:latest`;
}

export function* runCreate(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const p = parseCommand(ctx, CREATE_DEF, argv);
  if (typeof p === 'number') return p;
  let req: CreateRequest;
  try {
    req = buildCreateRequest(p, p.args, ctx.env);
  } catch (e) {
    if (e instanceof OptsError) {
      reportRunError(ctx, 'create', e.message, true);
      return 125;
    }
    throw e;
  }
  try {
    const c = yield* createWithPull(ctx, api, req, p.str('pull') || 'missing');
    ctx.stdout.write(c.id + '\n');
    return 0;
  } catch (e) {
    if (e instanceof OptsError || e instanceof DockerError || e instanceof CliExit) {
      const msg = e instanceof DockerError ? daemonMessage(e) : e.message;
      ctx.stderr.write(`${msg}\n`);
      return e instanceof CliExit ? e.status : 1;
    }
    throw e;
  }
}

/** `docker run` (run.go runRun/runContainer). */
export function* runRun(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const engine = api.engine;
  const p = parseCommand(ctx, RUN_DEF, argv);
  if (typeof p === 'number') return p;
  let req: CreateRequest;
  try {
    req = buildCreateRequest(p, p.args, ctx.env);
  } catch (e) {
    if (e instanceof OptsError) {
      reportRunError(ctx, 'run', e.message, true);
      return 125;
    }
    throw e;
  }
  const detach = p.bool('detach');
  if (detach) {
    if (p.list('attach').length) {
      ctx.stderr.write('Conflicting options: -a and -d\n');
      return 1;
    }
    req.attachStdin = false;
    req.attachStdout = false;
    req.attachStderr = false;
    req.stdinOnce = false;
  } else if (req.tty && req.attachStdin && !ctx.stdin.isTty) {
    ctx.stderr.write('the input device is not a TTY\n');
    return 1;
  }
  let c: Container;
  try {
    c = yield* createWithPull(ctx, api, req, p.str('pull') || 'missing');
  } catch (e) {
    if (e instanceof OptsError) {
      reportRunError(ctx, 'run', e.message, true);
      return 125;
    }
    if (e instanceof DockerError || e instanceof CliExit) {
      const msg = e instanceof DockerError ? daemonMessage(e) : e.text;
      reportRunError(ctx, 'run', msg, true);
      return e instanceof CliExit ? 125 : startErrStatus(msg);
    }
    throw e;
  }
  const attached = req.attachStdout || req.attachStderr;
  if (!attached) ctx.stdout.write(c.id + '\n');

  // The OCI runtime looks the program up when the task is created.
  const failure = mainExecFailure(ctx, engine, c);
  try {
    if (failure)
      throw new DockerError(
        'system',
        `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${failure}: unknown`,
        'start',
      );
    engine.startContainer(c.id);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    const msg = daemonMessage(e);
    reportRunError(ctx, 'run', msg, false);
    // daemon/start.go containerStart: a failed start of an AutoRemove container removes it.
    // TODO(engine): this belongs in DockerEngine.startContainer; done here until it is there.
    const autoRemoved = req.autoRemove && !!engine.tryContainer(c.id);
    if (autoRemoved) {
      try {
        engine.removeContainer(c.id, { force: true });
      } catch {
        /* already gone */
      }
    }
    // With --rm the CLI waits for the removal; if the container is still there when the attach
    // cancels the context, the waiter logs its error (run.go runContainer / waitExitOrRemoved).
    if (req.autoRemove && attached && engine.tryContainer(c.id)) {
      ctx.stderr.write(logrusError(engine, 'error waiting for container: context canceled'));
    }
    return startErrStatus(msg);
  }
  if (!attached) return 0;
  return yield* attachMain(ctx, engine, c, req);
}

/** The main program's lookup before start, as runc does it in the container's root. */
function mainExecFailure(ctx: CommandContext, engine: DockerEngine, c: Container): string | null {
  if (!c.path) return null;
  const rt = engine.runtime(c);
  // Programs of the image (servers such as httpd or nginx are programs the engine starts).
  const base = c.path.slice(c.path.lastIndexOf('/') + 1);
  if (rt.tools.includes(base)) return null;
  const target = containerTarget(ctx.target, rt);
  const env = new Map<string, string>([['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']]);
  return execFailure(target, [c.path, ...c.args], env, c.config.WorkingDir || '/');
}

/**
 * An attached `docker run`: the container's output as it is logged, until the main process
 * exits; the exit status is the container's. With `-it` on a terminal the main process is the
 * interactive program, driven here on the user's terminal.
 */
function* attachMain(ctx: CommandContext, engine: DockerEngine, c: Container, req: CreateRequest): Gen {
  // With -i the main process reads this terminal (or the pipe into `docker run -i`): it is
  // driven here, on the CLI's streams.
  if (req.attachStdin && c.running) {
    const rt = engine.runtime(c, [], req.tty);
    const r = runIn(ctx, rt, [c.path, ...c.args], { env: rt.env, stdin: ctx.stdin, tty: req.tty });
    const status = typeof r === 'number' ? r : yield* r;
    if (c.running) rt.exit(status);
    return c.exitCode;
  }
  let shown = 0;
  const flush = (): void => {
    while (shown < c.logs.length) {
      const l = c.logs[shown++];
      (l.stream === 'stderr' && !req.tty ? ctx.stderr : ctx.stdout).write(l.text);
    }
  };
  for (;;) {
    flush();
    if (!c.running) break;
    const r = yield { kind: 'sleep', ms: 100 };
    if (r?.interrupted) {
      // sig-proxy forwards SIGINT; the simulated programs end as on SIGTERM.
      try {
        engine.stopContainer(c.id, 0);
      } catch {
        /* already gone */
      }
      flush();
      break;
    }
  }
  return c.exitCode;
}

/** Applies `op` to each container; successes print the name as typed, errors are collected (rm/stop/kill). */
function eachContainer(ctx: CommandContext, names: string[], op: (name: string) => void, wrap: boolean): number {
  const errs: string[] = [];
  for (const n of names) {
    try {
      op(n);
      ctx.stdout.write(n + '\n');
    } catch (e) {
      if (!(e instanceof DockerError)) throw e;
      errs.push(wrap ? wrapNotFound(e, 'container', n) : daemonMessage(e));
    }
  }
  if (errs.length) {
    ctx.stderr.write(errs.join('\n') + '\n');
    return 1;
  }
  return 0;
}

export function* runStart(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.start, argv);
  if (typeof p === 'number') return p;
  if (p.bool('attach') || p.bool('interactive')) {
    if (p.args.length > 1) {
      ctx.stderr.write('you cannot start and attach multiple containers at once\n');
      return 1;
    }
    let c: Container;
    try {
      c = engine.findContainer(p.args[0]);
      engine.startContainer(c.id);
    } catch (e) {
      if (!(e instanceof DockerError)) throw e;
      ctx.stderr.write(daemonMessage(e) + '\n');
      return 1;
    }
    const x = { tty: c.config.Tty, attachStdin: p.bool('interactive') } as CreateRequest;
    return yield* attachMain(ctx, engine, c, x);
  }
  const failed: string[] = [];
  for (const n of p.args) {
    try {
      engine.startContainer(n);
      ctx.stdout.write(n + '\n');
    } catch (e) {
      if (!(e instanceof DockerError)) throw e;
      ctx.stderr.write(daemonMessage(e) + '\n');
      failed.push(n);
    }
  }
  if (failed.length) {
    ctx.stderr.write(`Error: failed to start containers: ${failed.join(', ')}\n`);
    return 1;
  }
  return 0;
}

export function* runStop(ctx: CommandContext, api: DockerApi, argv: string[], restart = false): Gen {
  const engine = api.engine;
  const p = parseCommand(ctx, restart ? defs.restart : defs.stop, argv);
  if (typeof p === 'number') return p;
  const t = p.has('time') ? p.num('time') : 10;
  let waited = 0;
  const status = eachContainer(
    ctx,
    p.args,
    (n) => {
      const r = restart ? engine.restartContainer(n) : engine.stopContainer(n, t);
      waited += r.waitedMs;
    },
    false,
  );
  if (waited > 0) {
    // The client waits for the daemon's SIGKILL deadline.
    yield { kind: 'sleep', ms: waited };
  }
  return status;
}

export function runRm(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.rm, argv);
  if (typeof p === 'number') return p;
  const force = p.bool('force');
  return eachContainer(
    ctx,
    p.args,
    (n) => {
      if (n.trim() === '') throw new DockerError('invalid', 'Container name cannot be empty');
      engine.removeContainer(n, { force });
    },
    true,
  );
}

export function runKill(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.kill, argv);
  if (typeof p === 'number') return p;
  return eachContainer(ctx, p.args, (n) => void engine.killContainer(n), false);
}

/** formatter.ContainerContext: the fields and methods `docker ps --format` can use. */
/**
 * daemon/list.go: Path followed by the arguments, an argument with a space in single quotes.
 * (The engine's API summary joins them plainly; the argv is taken from the container.)
 */
function commandOf(fallback: string, argv: string[] | null): string {
  if (!argv) return fallback;
  const [path, ...args] = argv;
  return args.length ? `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}` : path;
}

function psContext(
  s: ReturnType<DockerApi['containerList']>[number],
  trunc: boolean,
  now: number,
  cmdArgs: string[] | null = null,
): object {
  const command = (): string => {
    let cmd = commandOf(s.Command, cmdArgs);
    if (trunc) cmd = ellipsis(cmd, 20);
    return JSON.stringify(cmd)
      .replace(/\\u003c/g, '<')
      .replace(/\\u003e/g, '>')
      .replace(/\\u0026/g, '&');
  };
  const names = (): string => {
    const out: string[] = [];
    for (const n of s.Names) {
      const parts = n.split('/');
      if (trunc) {
        if (parts.length === 2) out.push(parts[1]);
      } else out.push(n.slice(1));
    }
    return out.join(',');
  };
  return goStruct(
    {
      ID: () => (trunc ? s.Id.slice(0, 12) : s.Id),
      Names: names,
      Image: () => s.Image,
      Command: command,
      CreatedAt: () =>
        new Date(s.Created * 1000)
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, ' +0000 UTC'),
      RunningFor: () => humanDuration(now - s.Created * 1000) + ' ago',
      Ports: () => displayablePorts(s.Ports),
      State: () => s.State,
      Status: () => s.Status,
      Size: () => '0B (virtual 0B)',
      Labels: () =>
        Object.entries(s.Labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      Label: (name: unknown) => s.Labels[String(name)] ?? '',
      Mounts: () => '',
      LocalVolumes: () => '0',
      Networks: () => s.Networks.join(','),
    },
    '*formatter.ContainerContext',
  );
}

/** formatter.Ellipsis: cut to maxDisplayWidth runes with `…` as the last one. */
function ellipsis(s: string, max: number): string {
  const runes = [...s];
  if (runes.length <= max) return s;
  if (max <= 1) return runes.slice(0, max).join('');
  return runes.slice(0, max - 1).join('') + '…';
}

const PS_HEADER = {
  ID: 'CONTAINER ID',
  Names: 'NAMES',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Labels: 'LABELS',
  Label: 'LABEL',
  Mounts: 'MOUNTS',
  LocalVolumes: 'LOCAL VOLUMES',
  Networks: 'NETWORKS',
};

export function runPs(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.ps, argv);
  if (typeof p === 'number') return p;
  try {
    const now = engine.env.clock.now();
    let list = engine.listContainers(p.bool('all') || p.bool('latest') || p.num('last', -1) > 0);
    if (p.bool('latest')) list = list.slice(0, 1);
    else if (p.num('last', -1) > 0) list = list.slice(0, p.num('last'));
    for (const f of p.list('filter')) list = applyFilter(list, f);
    const keep = new Set(list.map((c) => c.id));
    const summaries = api.containerList({ all: true }).filter((s) => keep.has(s.Id));
    const byId = new Map(list.map((c) => [c.id, [c.path, ...c.args]]));
    const rows = summaries.map((s) => psContext(s, !p.bool('no-trunc'), now, byId.get(s.Id) ?? null));
    let format = p.str('format');
    if (p.bool('quiet')) format = '{{.ID}}';
    else if (!format) format = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
    if (p.bool('size') && format.startsWith('table') && !p.bool('quiet')) format += '\t{{.Size}}';
    ctx.stdout.write(formatRows(format, PS_HEADER, rows));
    return 0;
  } catch (e) {
    return report(ctx, e);
  }
}

/** The `--filter` keys people use with ps: name, id, status, network, ancestor, label. */
function applyFilter(list: Container[], f: string): Container[] {
  const i = f.indexOf('=');
  if (i < 0) throw new CliExit(1, `Error response from daemon: Bad format of filter (expected name=value)`);
  const key = f.slice(0, i);
  const val = f.slice(i + 1);
  switch (key) {
    case 'name':
      return list.filter((c) => new RegExp(val).test(c.name));
    case 'id':
      return list.filter((c) => c.id.startsWith(val));
    case 'status':
      return list.filter((c) => (c.running ? 'running' : c.status) === val);
    case 'network':
      return list.filter((c) => [...c.networks.values()].some((s) => s.network.name === val || s.network.id.startsWith(val)));
    case 'ancestor':
      return list.filter((c) => c.imageRef === val || `${c.image.repo}:${c.image.tag}` === val || c.image.repo === val);
    case 'label':
      return list.filter((c) => {
        const [k, v] = val.split('=');
        return k in c.config.Labels && (v === undefined || c.config.Labels[k] === v);
      });
    default:
      throw new CliExit(1, `Error response from daemon: Invalid filter '${key}'`);
  }
}

export function* runLogs(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.logs, argv);
  if (typeof p === 'number') return p;
  let c: Container;
  try {
    c = engine.findContainer(p.args[0]);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    ctx.stderr.write(wrapNotFound(e, 'container', p.args[0]) + '\n');
    return 1;
  }
  const tail = p.str('tail') || 'all';
  let entries = c.logs.slice();
  if (tail !== 'all' && /^\d+$/.test(tail)) entries = Number(tail) === 0 ? [] : entries.slice(-Number(tail));
  const print = (list: typeof entries): void => {
    for (const l of list) {
      const ts = p.bool('timestamps')
        ? new Date(l.time).toISOString().replace(/\.(\d+)Z$/, (_m, f: string) => `.${f.padEnd(9, '0')}Z `)
        : '';
      const out = l.stream === 'stderr' && !c.config.Tty ? ctx.stderr : ctx.stdout;
      out.write(ts + l.text);
    }
  };
  print(entries);
  let shown = c.logs.length;
  if (!p.bool('follow')) return 0;
  for (;;) {
    if (!c.running || c.removed) return 0;
    const r = yield { kind: 'sleep', ms: 100 };
    print(c.logs.slice(shown));
    shown = c.logs.length;
    if (r?.interrupted) return 0;
  }
}

export function runPort(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.port, argv);
  if (typeof p === 'number') return p;
  let c: Container;
  try {
    c = engine.findContainer(p.args[0]);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    ctx.stderr.write(wrapNotFound(e, 'container', p.args[0]) + '\n');
    return 1;
  }
  const ports: Record<string, PortBinding[] | null> = {};
  for (const [k, v] of engine.networkSettingsPorts(c)) ports[k] = v;
  try {
    const lines = portLines(p.args[0], ports, p.args[1]);
    if (lines.length) ctx.stdout.write(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    if (e instanceof PortSpecError) {
      ctx.stderr.write(e.message + '\n');
      return 1;
    }
    throw e;
  }
}

export function runTop(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.top, argv);
  if (typeof p === 'number') return p;
  let c: Container;
  try {
    c = engine.findContainer(p.args[0]);
    if (!c.running) throw new DockerError('conflict', `Container ${c.id} is not running`);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    ctx.stderr.write(daemonMessage(e) + '\n');
    return 1;
  }
  // ps -ef on the host, filtered to the container's processes (daemon/top_unix.go).
  const rows = engine.env.procs
    .list()
    .filter((pr) => pr.container === c.id)
    .map((pr) => ['root', String(pr.pid), String(pr.ppid), '0', clockHM(pr.started), pr.tty, '00:00:00', pr.cmdline]);
  const text = ['UID\tPID\tPPID\tC\tSTIME\tTTY\tTIME\tCMD', ...rows.map((r) => r.join('\t'))].join('\n') + '\n';
  // cli/command/container/top.go: tabwriter.NewWriter(out, 20, 1, 3, ' ', 0)
  ctx.stdout.write(topWrite(text));
  return 0;
}

function topWrite(text: string): string {
  return tabwrite(text, { minwidth: 20, tabwidth: 1, padding: 3, padchar: ' ' });
}

function clockHM(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** `docker exec` (exec.go runExec): inspect first, the TTY check, then the process. */
export function* runExec(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.exec, argv);
  if (typeof p === 'number') return p;
  const [name, ...cmd] = p.args;
  try {
    engine.findContainer(name);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    ctx.stderr.write(wrapNotFound(e, 'container', name) + '\n');
    return 1;
  }
  const interactive = p.bool('interactive');
  const tty = p.bool('tty');
  if (!p.bool('detach') && tty && interactive && !ctx.stdin.isTty) {
    ctx.stderr.write('the input device is not a TTY\n');
    return 1;
  }
  const env = p.list('env').map((e) => (e.includes('=') ? e : ctx.env.has(e) ? `${e}=${ctx.env.get(e)}` : e));
  let rt;
  try {
    rt = engine.execTarget(name, env, tty);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    ctx.stderr.write(daemonMessage(e) + '\n');
    return 1;
  }
  const target = containerTarget(ctx.target, rt);
  const workdir = p.str('workdir') || rt.workdir;
  const failure = execFailure(target, cmd, new Map(Object.entries(envMap(rt.env))), workdir);
  if (failure) {
    ctx.stdout.write(`OCI runtime exec failed: exec failed: unable to start container process: ${failure}: unknown\n`);
    return 126;
  }
  if (p.bool('detach')) {
    // The process runs in the background; its output goes nowhere.
    return 0;
  }
  const r = runIn(ctx, rt, cmd, { env: rt.env, workdir, stdin: interactive ? ctx.stdin : undefined, tty });
  return typeof r === 'number' ? r : yield* r as Job;
}

export function runContainerInspect(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const p = parseCommand(ctx, defs.inspect, argv);
  if (typeof p === 'number') return p;
  return inspectObjects(ctx, p.args, p.str('format'), (ref) => {
    try {
      return api.containerInspect(ref);
    } catch (e) {
      if (e instanceof DockerError) throw new CliExit(1, wrapNotFound(e, 'container', ref));
      throw e;
    }
  });
}

/** `docker container prune` (container/prune.go): every stopped container, by full id. */
export function* runContainerPrune(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const engine = api.engine;
  const p = parseCommand(ctx, defs.prune, argv);
  if (typeof p === 'number') return p;
  if (!p.bool('force')) {
    const ok = yield* confirm(ctx, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?');
    if (!ok) return 0;
  }
  const gone: string[] = [];
  for (const c of engine.listContainers(true)) {
    if (c.running) continue;
    engine.removeContainer(c.id);
    gone.push(c.id);
  }
  if (gone.length) ctx.stdout.write('Deleted Containers:\n' + gone.map((id) => id + '\n').join('') + '\n');
  ctx.stdout.write('Total reclaimed space: 0B\n');
  return 0;
}
