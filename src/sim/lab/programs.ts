/**
 * What runs as a container's main process. Network daemons (nginx, httpd, redis-server, nc -l,
 * the flask app...) come from src/sim/apps/servers.ts; anything else (`sh`, `sleep 3600`,
 * `cat /etc/hosts`, `env`) runs through the shell machinery with the image's tools, its output
 * going to the container log. Processes that wait are parked on the scheduler.
 */
import type { ContainerRuntime, ProgramHandle } from '../docker/env.ts';
import type { World } from '../net/world.ts';
import { findDaemon } from '../apps/servers.ts';
import { Shell } from '../shell/interp.ts';
import { shellBuiltins } from '../shell/builtins.ts';
import { Input, type Output } from '../shell/runtime.ts';
import { containerTarget, envMap } from '../shell/container-target.ts';
import type { Scheduler } from './scheduler.ts';

/** Shell-quotes one argument so argv survives being run as a command line. */
export function shellQuote(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** Programs that keep running as PID 1 without a SIGTERM handler: `docker stop` waits 10 s and kills them. */
const IGNORES_TERM = new Set(['sh', 'bash', 'ash', 'sleep', 'httpd', 'nc', 'top', 'cat', 'tail', 'ping']);

/** Official images' entrypoint scripts end with `exec "$@"`: the process that runs is their argument. */
const ENTRYPOINT_WRAPPERS = new Set(['docker-entrypoint.sh', 'entrypoint.sh', 'docker-php-entrypoint']);

export function startContainerProgram(rt: ContainerRuntime, world: World, scheduler: Scheduler): ProgramHandle | void {
  let argv = rt.argv;
  while (argv.length > 1 && ENTRYPOINT_WRAPPERS.has(argv[0].slice(argv[0].lastIndexOf('/') + 1))) {
    if (argv[1] === 'nginx') rt.log('stdout', '/docker-entrypoint.sh: Configuration complete; ready for start up\n');
    argv = argv.slice(1);
  }
  const [argv0 = '', ...rest] = argv;
  const comm = argv0.slice(argv0.lastIndexOf('/') + 1);
  const env = envMap(rt.env);
  const daemon = findDaemon(argv0);
  // `nc` and `sh` are shell programs; a daemon is used only for real servers.
  if (daemon && comm !== 'nc') {
    const started = daemon(
      {
        ns: rt.netns,
        fs: rt.fs,
        clock: world.clock,
        world,
        pid: 1,
        env: { ...env, PWD: rt.workdir },
        hostname: rt.hostname,
        log: (t) => rt.log('stdout', t),
        interactive: rt.openStdin,
      },
      argv,
    );
    if ('exit' in started) {
      rt.exit(started.exit);
      return;
    }
    return {
      stop: (sig) => {
        if (sig === 'TERM' && IGNORES_TERM.has(comm)) return null;
        started.stop();
        return sig === 'KILL' ? 137 : 0;
      },
    };
  }
  const target = containerTarget(rt, world);
  const shell = new Shell({
    dialect: rt.userland === 'busybox' ? 'ash' : 'bash',
    name: rt.userland === 'busybox' ? 'sh' : 'bash',
    target,
    cwd: rt.workdir || '/',
    builtins: shellBuiltins(),
    env,
  });
  // This Shell only stands in for runc's exec of argv: it is not a shell level of its own.
  for (const v of ['SHLVL', 'PWD']) if (!(v in env)) shell.unset(v);
  const out: Output = { write: (t) => rt.log('stdout', t), isTty: rt.tty };
  const err: Output = { write: (t) => rt.log('stderr', t), isTty: rt.tty };
  // Without -i the process's stdin is /dev/null: an interactive shell reads EOF and exits.
  const stdin = new Input('', !rt.openStdin, rt.tty);
  const job = shell.run([argv0, ...rest].map(shellQuote).join(' '), { stdin, stdout: out, stderr: err });
  let ended = false;
  const handle = scheduler.start(job, (status) => {
    ended = true;
    rt.exit(status);
  });
  if (!handle || ended) return;
  return {
    stop: (sig) => {
      if (sig === 'TERM' && IGNORES_TERM.has(comm)) return null;
      handle.stop();
      return sig === 'KILL' ? 137 : 143;
    },
  };
}
