/**
 * Running programs inside a container: a Target built from the engine's ContainerRuntime
 * (its file system, network namespace, PID namespace, userland and installed tools), and the
 * OCI runtime's errors when the program does not exist (runc 1.1 / containerd 1.6 texts).
 */
import { Shell, type CommandContext, type ExecTarget } from '../../interp.ts';
import type { Target } from '../../target.ts';
import { containerTarget as makeTarget, envMap } from '../../container-target.ts';
import { shellBuiltins } from '../../builtins.ts';
import { Input, throughPipe, type CommandResult, type Job } from '../../runtime.ts';
import type { ContainerRuntime } from '../../../docker/env.ts';

/** The place commands run in a container (src/sim/shell/container-target.ts). */
export function containerTarget(host: ExecTarget, rt: ContainerRuntime): Target {
  const t = makeTarget(rt, host.world);
  // `vi FILE` inside `docker exec -it`: the host's UI opens the container's file.
  const ui = host.ui;
  if (ui) t.ui = (req) => ui({ ...req, host: host.hostname(), container: rt.name });
  return t;
}

/** Why a program could not be started: the OCI runtime's message, or null when it can run. */
export function execFailure(target: ExecTarget, argv: string[], env: Map<string, string>, cwd: string): string | null {
  const name = argv[0] ?? '';
  const path = env.get('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  if (name === '') return 'exec: "": executable file not found in $PATH';
  if (target.resolve(name, path, cwd)) return null;
  if (name.includes('/')) {
    const st = target.fs.stat(name.startsWith('/') ? name : `${cwd.replace(/\/$/, '')}/${name}`);
    if (st?.kind === 'dir') return `exec: "${name}": is a directory`;
    if (st) return `exec: "${name}": permission denied`;
    return `exec: "${name}": stat ${name}: no such file or directory`;
  }
  return `exec: "${name}": executable file not found in $PATH`;
}

/**
 * Runs argv in the container the way runc execs it (no shell: argv[0] looked up on PATH).
 * The caller checks execFailure first.
 */
export function runIn(
  ctx: CommandContext,
  rt: ContainerRuntime,
  argv: string[],
  opts: { env: string[]; workdir?: string; stdin?: Input; tty?: boolean },
): CommandResult {
  const target = containerTarget(ctx.target, rt);
  const env = new Map(Object.entries(envMap(opts.env)));
  // runc (libcontainer) sets HOME from the user's passwd entry when the process has none.
  if (!env.has('HOME')) env.set('HOME', '/root');
  const cwd = opts.workdir || rt.workdir || '/';
  const sh = new Shell({
    dialect: rt.userland === 'busybox' ? 'ash' : 'bash',
    name: rt.userland === 'busybox' ? 'sh' : 'bash',
    target,
    cwd,
    builtins: shellBuiltins(),
    env: Object.fromEntries(env),
    cmdline: argv.join(' '),
  });
  const resolved = target.resolve(argv[0], env.get('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  if (!resolved) return 127;
  const child: CommandContext = {
    argv,
    env,
    stdin: opts.stdin ?? Input.empty(),
    // Without -t the process writes into pipes that containerd copies to the CLI, not into a
    // terminal: `ls` prints one name a line, `[ -t 1 ]` fails, as with `docker exec web ls | cat`.
    stdout: opts.tty ? ctx.stdout : throughPipe(ctx.stdout),
    stderr: opts.tty ? ctx.stdout : throughPipe(ctx.stderr),
    cwd,
    shell: sh,
    target,
    // The exec'd program is the process runc started (the stand-in shell is not another one in `ps`).
    pid: sh.pid,
  };
  return sh.runProgram(resolved.run, child) as Job;
}
