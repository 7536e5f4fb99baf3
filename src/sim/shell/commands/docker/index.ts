/**
 * The `docker` command (docker/cli v20.10 cmd/docker/docker.go): the root flags, the
 * subcommands and management commands (`container`, `image`, `network`, `system`), cobra's
 * `'x' is not a docker command` for unknown names, and Tab completion of subcommands, flags and
 * object names. Each subcommand group lives in its own module.
 *
 * The CLI reaches the daemon through DockerApi (src/sim/docker/api.ts) over Target.engine.
 * NEEDED FROM THE ENGINE (the CLI works around these today, or shows the gap):
 * - errors the real daemon raises at *start*, not create (the CLI prints no `See 'docker run
 *   --help'.` for them; golden 03/07/08): `user specified IP address is supported on user
 *   defined networks only` / `…only when connecting to networks with user configured subnets`,
 *   `network X not found`, `Cannot link to a non running container` (default bridge),
 *   `No such container: X` for `--net container:X`. The container then exists (Created).
 * - a failed start of an AutoRemove container removes it (daemon/start.go); container.ts
 *   does it after the error until startContainer does.
 * - `--hostname` with `--net host` is kept (golden 06 prints `foo`).
 * - ApiCreateRequest without attach flags/user: inspect shows AttachStdout false for
 *   attached runs.
 * - DockerApi.containerList: Command should quote args with spaces (daemon/list.go; the CLI
 *   builds it from the container's argv), and its link-name loop is O(n²) (33 ms at 300
 *   containers).
 * - `docker import` needs profile.rootfsTarballs and the tar files on the golden host.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Job, Resume } from '../../runtime.ts';
import { register } from '../registry.ts';
import { registerCompleter, type CompletionContext } from '../../completion.ts';
import type { DockerApi } from '../../../docker/api.ts';
import { FlagError, flagErrorText, parseFlags, checkArgs, type CommandDef, type FlagDef } from '../../../docker/format/flags.ts';
import { apiOf, NO_DAEMON } from './util.ts';
import {
  CONTAINER_DEFS,
  CREATE_DEF,
  RUN_DEF,
  runContainerInspect,
  runContainerPrune,
  runCreate,
  runExec,
  runKill,
  runLogs,
  runPort,
  runPs,
  runRm,
  runRun,
  runStart,
  runStop,
  runTop,
} from './container.ts';
import { IMAGE_DEFS, runHistory, runImageInspect, runImages, runPull, runRmi, runTag } from './image.ts';
import { NETWORK_DEFS, runNetwork } from './network.ts';
import { INSPECT_DEF, runInspect } from './inspect.ts';
import { runInfo, runVersion } from './system.ts';
import { BUILD_DEF, IMPORT_DEF, runBuild, runImport } from './build.ts';
import { CP_DEF, WAIT_DEF, runCp, runWait } from './cp.ts';

type Gen = Generator<Effect, number, Resume | undefined>;
type Sub = (ctx: CommandContext, api: DockerApi, argv: string[]) => number | Gen;

/** cli/flags/common.go and docker.go: the root command's flags. */
const ROOT_FLAGS: FlagDef[] = [
  { name: 'config', kind: 'string', usage: 'Location of client config files', defValue: '/root/.docker' },
  {
    name: 'context',
    short: 'c',
    kind: 'string',
    usage:
      'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")',
  },
  { name: 'debug', short: 'D', kind: 'bool', usage: 'Enable debug mode' },
  { name: 'host', short: 'H', kind: 'list', usage: 'Daemon socket(s) to connect to' },
  {
    name: 'log-level',
    short: 'l',
    kind: 'string',
    usage: 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal")',
    defValue: 'info',
  },
  { name: 'tls', kind: 'bool', usage: 'Use TLS; implied by --tlsverify' },
  { name: 'tlscacert', kind: 'string', usage: 'Trust certs signed only by this CA', defValue: '/root/.docker/ca.pem' },
  { name: 'tlscert', kind: 'string', usage: 'Path to TLS certificate file', defValue: '/root/.docker/cert.pem' },
  { name: 'tlskey', kind: 'string', usage: 'Path to TLS key file', defValue: '/root/.docker/key.pem' },
  { name: 'tlsverify', kind: 'bool', usage: 'Use TLS and verify the remote' },
  { name: 'version', short: 'v', kind: 'bool', usage: 'Print version information and quit' },
];

const ROOT_DEF: CommandDef = {
  path: 'docker',
  use: '[OPTIONS] COMMAND [ARG...]',
  short: 'A self-sufficient runtime for containers',
  flags: ROOT_FLAGS,
  interspersed: false,
};

/** Top-level commands: name → implementation (and its CommandDef for completion). */
const COMMANDS: Record<string, { run: Sub; def?: CommandDef; needsDaemon?: boolean }> = {
  run: { run: runRun, def: RUN_DEF },
  create: { run: runCreate, def: CREATE_DEF },
  start: { run: runStart, def: CONTAINER_DEFS.start },
  stop: { run: (c, a, v) => runStop(c, a, v), def: CONTAINER_DEFS.stop },
  restart: { run: (c, a, v) => runStop(c, a, v, true), def: CONTAINER_DEFS.restart },
  rm: { run: runRm, def: CONTAINER_DEFS.rm },
  kill: { run: runKill, def: CONTAINER_DEFS.kill },
  ps: { run: runPs, def: CONTAINER_DEFS.ps },
  logs: { run: runLogs, def: CONTAINER_DEFS.logs },
  port: { run: runPort, def: CONTAINER_DEFS.port },
  top: { run: runTop, def: CONTAINER_DEFS.top },
  exec: { run: runExec, def: CONTAINER_DEFS.exec },
  inspect: { run: runInspect, def: INSPECT_DEF },
  network: { run: runNetwork, def: NETWORK_DEFS.network },
  images: { run: (c, a, v) => runImages(c, a, v), def: IMAGE_DEFS.images },
  pull: { run: runPull, def: IMAGE_DEFS.pull },
  tag: { run: runTag, def: IMAGE_DEFS.tag },
  rmi: { run: runRmi, def: IMAGE_DEFS.rmi },
  history: { run: runHistory, def: IMAGE_DEFS.history },
  build: { run: runBuild, def: BUILD_DEF },
  import: { run: runImport, def: IMPORT_DEF },
  cp: { run: runCp, def: CP_DEF },
  wait: { run: runWait, def: WAIT_DEF },
};

/** `docker container X` and `docker image X` map onto the same implementations. */
const CONTAINER_SUBS: Record<string, string> = {
  run: 'run',
  create: 'create',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  rm: 'rm',
  kill: 'kill',
  ls: 'ps',
  list: 'ps',
  ps: 'ps',
  logs: 'logs',
  port: 'port',
  top: 'top',
  exec: 'exec',
  cp: 'cp',
  wait: 'wait',
};
const IMAGE_SUBS: Record<string, string> = { pull: 'pull', tag: 'tag', rm: 'rmi', history: 'history', build: 'build', import: 'import' };

/** Real docker commands this lab's Docker does not have. */
const NOT_IN_LAB = new Set([
  'attach',
  'builder',
  'commit',
  'config',
  'context',
  'diff',
  'events',
  'export',
  'load',
  'login',
  'logout',
  'manifest',
  'node',
  'pause',
  'plugin',
  'rename',
  'save',
  'search',
  'secret',
  'service',
  'stack',
  'stats',
  'swarm',
  'trust',
  'unpause',
  'update',
  'volume',
]);

const ROOT_USAGE = `
Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers

Options:
      --config string      Location of client config files (default "/root/.docker")
  -c, --context string     Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")
  -D, --debug              Enable debug mode
  -H, --host list          Daemon socket(s) to connect to
  -l, --log-level string   Set the logging level ("debug"|"info"|"warn"|"error"|"fatal") (default "info")
      --tls                Use TLS; implied by --tlsverify
      --tlscacert string   Trust certs signed only by this CA (default "/root/.docker/ca.pem")
      --tlscert string     Path to TLS certificate file (default "/root/.docker/cert.pem")
      --tlskey string      Path to TLS key file (default "/root/.docker/key.pem")
      --tlsverify          Use TLS and verify the remote
  -v, --version            Print version information and quit

Management Commands:
  builder     Manage builds
  config      Manage Docker configs
  container   Manage containers
  context     Manage contexts
  image       Manage images
  manifest    Manage Docker image manifests and manifest lists
  network     Manage networks
  node        Manage Swarm nodes
  plugin      Manage plugins
  secret      Manage Docker secrets
  service     Manage services
  stack       Manage Docker stacks
  swarm       Manage Swarm
  system      Manage Docker
  trust       Manage trust on Docker images
  volume      Manage volumes

Commands:
  attach      Attach local standard input, output, and error streams to a running container
  build       Build an image from a Dockerfile
  commit      Create a new image from a container's changes
  cp          Copy files/folders between a container and the local filesystem
  create      Create a new container
  diff        Inspect changes to files or directories on a container's filesystem
  events      Get real time events from the server
  exec        Run a command in a running container
  export      Export a container's filesystem as a tar archive
  history     Show the history of an image
  images      List images
  import      Import the contents from a tarball to create a filesystem image
  info        Display system-wide information
  inspect     Return low-level information on Docker objects
  kill        Kill one or more running containers
  load        Load an image from a tar archive or STDIN
  login       Log in to a Docker registry
  logout      Log out from a Docker registry
  logs        Fetch the logs of a container
  pause       Pause all processes within one or more containers
  port        List port mappings or a specific mapping for the container
  ps          List containers
  pull        Pull an image or a repository from a registry
  push        Push an image or a repository to a registry
  rename      Rename a container
  restart     Restart one or more containers
  rm          Remove one or more containers
  rmi         Remove one or more images
  run         Run a command in a new container
  save        Save one or more images to a tar archive (streamed to STDOUT by default)
  search      Search the Docker Hub for images
  start       Start one or more stopped containers
  stats       Display a live stream of container(s) resource usage statistics
  stop        Stop one or more running containers
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
  top         Display the running processes of a container
  unpause     Unpause all processes within one or more paused containers
  update      Update configuration of one or more containers
  version     Show the Docker version information
  wait        Block until one or more containers stop, then return their exit code

Run 'docker COMMAND --help' for more information on a command.

To get more help with docker, check out our guides at https://docs.docker.com/go/guides/
`;

function result(r: number | Gen): Gen | number {
  return r;
}

function* docker(ctx: CommandContext): Gen {
  let parsed;
  try {
    parsed = parseFlags(ROOT_DEF, ctx.argv.slice(1));
  } catch (e) {
    if (e instanceof FlagError) {
      // FlagErrorFunc: the root command has subcommands, so its usage follows.
      ctx.stderr.write(`${flagErrorText(ROOT_DEF, e)}\n${ROOT_USAGE}`);
      return 125;
    }
    throw e;
  }
  const api = apiOf(ctx);
  if (parsed.bool('version')) {
    const v = api?.engine.env.profile.name === 'golden' ? '20.10.24+dfsg1' : '20.10.24';
    ctx.stdout.write(`Docker version ${v}, build 297e128\n`);
    return 0;
  }
  const [name, ...rest] = parsed.args;
  if (parsed.help || name === undefined) {
    (parsed.help ? ctx.stdout : ctx.stderr).write(ROOT_USAGE);
    return 0;
  }
  if (name === 'version') return runVersion(ctx, api, rest);
  if (name === 'help') {
    const sub = rest[0];
    if (sub && COMMANDS[sub]) return yield* dispatch(ctx, api, sub, ['--help']);
    ctx.stdout.write(ROOT_USAGE);
    return 0;
  }
  let cmd = name;
  let args = rest;
  if (name === 'container' || name === 'image' || name === 'system') {
    const table = name === 'container' ? CONTAINER_SUBS : name === 'image' ? IMAGE_SUBS : {};
    const sub = rest[0];
    if (name === 'image' && (sub === 'ls' || sub === 'list'))
      return needDaemon(ctx, api) ?? runImages(ctx, api!, rest.slice(1), `docker image ${sub}`);
    if (name === 'image' && sub === 'inspect') return needDaemon(ctx, api) ?? runImageInspect(ctx, api!, rest.slice(1));
    if (name === 'container' && sub === 'inspect') return needDaemon(ctx, api) ?? runContainerInspect(ctx, api!, rest.slice(1));
    if (name === 'container' && sub === 'prune') return needDaemon(ctx, api) ?? (yield* runContainerPrune(ctx, api!, rest.slice(1)));
    if (name === 'system' && sub === 'info') return runInfo(ctx, api, rest.slice(1));
    if (sub && table[sub]) {
      cmd = table[sub];
      args = rest.slice(1);
    } else {
      const word = sub ?? '';
      if (word === '' || word === '--help') {
        ctx.stderr.write(
          `\nUsage:  docker ${name} COMMAND\n\nManage ${name === 'system' ? 'Docker' : name + 's'}\n\nRun 'docker ${name} COMMAND --help' for more information on a command.\n`,
        );
        return 0;
      }
      ctx.stderr.write(`docker ${name} ${word}: not available in this lab's Docker\n`);
      return 1;
    }
  }
  if (cmd === 'info') return runInfo(ctx, api, args);
  if (COMMANDS[cmd]) return yield* dispatch(ctx, api, cmd, args);
  if (NOT_IN_LAB.has(cmd)) {
    ctx.stderr.write(`docker ${cmd}: not available in this lab's Docker\n`);
    return 1;
  }
  ctx.stderr.write(`docker: '${cmd}' is not a docker command.\nSee 'docker --help'\n`);
  return 1;
}

function needDaemon(ctx: CommandContext, api: DockerApi | null): number | null {
  if (api && api.engine.running) return null;
  ctx.stderr.write(NO_DAEMON + '\n');
  return 1;
}

function* dispatch(ctx: CommandContext, api: DockerApi | null, cmd: string, args: string[]): Gen {
  const entry = COMMANDS[cmd];
  // Flag and argument errors come before the daemon is contacted (cobra parses first).
  if (!api || !api.engine.running) {
    if (entry.def && args.includes('--help')) {
      // fall through to the command's own parsing: --help and argument checks need no daemon
    } else {
      const probe = entry.def ? safeParse(entry.def, args) : null;
      if (probe !== 'error') {
        ctx.stderr.write(NO_DAEMON + '\n');
        return 1;
      }
    }
  }
  const r = entry.run(ctx, api as DockerApi, args);
  const out = result(r);
  return typeof out === 'number' ? out : yield* out;
}

function safeParse(def: CommandDef, args: string[]): 'ok' | 'error' {
  try {
    const parsed = parseFlags(def, args);
    // cobra checks the number of arguments before anything talks to the daemon.
    if (checkArgs(def, parsed.args)) return 'error';
    return 'ok';
  } catch {
    return 'error';
  }
}

register({ name: 'docker', run: (ctx) => docker(ctx) as Job, paths: { gnu: '/usr/bin/docker' } });

// ---------------------------------------------------------------- completion

const ROOT_WORDS = [...Object.keys(COMMANDS), 'container', 'image', 'system', 'version', 'info', 'help'].sort();

function flagWords(def: CommandDef | undefined): string[] {
  if (!def) return [];
  return def.flags.filter((f) => !f.hidden).flatMap((f) => [`--${f.name}`]);
}

function containerNames(api: DockerApi, running: boolean | null): string[] {
  return api.engine
    .listContainers(true)
    .filter((c) => running === null || c.running === running)
    .map((c) => c.name);
}

function completeDocker(c: CompletionContext): string[] | null {
  const api = apiOf({ target: c.target } as CommandContext);
  const words = c.args.slice(1).filter((w) => !w.startsWith('-'));
  const w = c.word;
  const pick = (xs: string[]): string[] => [...new Set(xs)].filter((x) => x.startsWith(w)).sort();
  if (words.length === 0) return pick(w.startsWith('-') ? flagWords(ROOT_DEF) : ROOT_WORDS);
  const sub = words[1];
  let cmd = words[0];
  if (cmd === 'container' && words.length === 1) return pick([...Object.keys(CONTAINER_SUBS), 'inspect']);
  if (cmd === 'image' && words.length === 1) return pick([...Object.keys(IMAGE_SUBS), 'ls', 'inspect']);
  if (cmd === 'network' && words.length === 1) return pick(NETWORK_DEFS.network.subcommands!.map((s) => s.name));
  if (cmd === 'container' && sub) cmd = CONTAINER_SUBS[sub] ?? sub;
  const def = cmd === 'network' ? NETWORK_DEFS[sub ?? ''] : COMMANDS[cmd]?.def;
  if (w.startsWith('-')) return pick(flagWords(def));
  const prev = c.args[c.args.length - 1] ?? '';
  if (!api) return null;
  const nets = api.engine.listNetworks().map((n) => n.name);
  const images = api.engine.images.map((i) => (i.tag === 'latest' ? i.repo : `${i.repo}:${i.tag}`));
  if (prev === '--network' || prev === '--net')
    return pick([...nets, 'host', 'none', 'bridge', ...containerNames(api, true).map((n) => `container:${n}`)]);
  if (prev === '--link') return pick(containerNames(api, true));
  switch (cmd) {
    case 'run':
    case 'create':
      return words.length === 1 ? pick(images) : null;
    case 'start':
      return pick(containerNames(api, false));
    case 'stop':
    case 'restart':
    case 'kill':
    case 'exec':
    case 'top':
    case 'port':
      return words.length === 1 || cmd !== 'exec' ? pick(containerNames(api, true)) : null;
    case 'rm':
    case 'logs':
      return pick(containerNames(api, null));
    case 'inspect':
      return pick([...containerNames(api, null), ...nets, ...images]);
    case 'rmi':
    case 'history':
    case 'tag':
    case 'pull':
      return pick(images);
    case 'network':
      if (sub === 'connect' || sub === 'disconnect') return pick(words.length === 2 ? nets : containerNames(api, null));
      if (sub === 'inspect' || sub === 'rm') return pick(nets);
      return null;
  }
  return null;
}

registerCompleter('docker', completeDocker);
