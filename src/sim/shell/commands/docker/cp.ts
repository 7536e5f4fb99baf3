/**
 * `docker cp` (cli/command/container/cp.go) and `docker wait` (container/wait.go).
 * cp copies files and directories between a container's file system (running or not) and
 * the host's, following the destination rules of `docker cp`: an existing directory receives
 * the source under its own name; a missing destination takes the source's content.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import type { DockerApi } from '../../../docker/api.ts';
import type { Vfs } from '../../../base/vfs.ts';
import { normalizePath } from '../../../base/vfs.ts';
import { DockerError } from '../../../docker/errors.ts';
import type { CommandDef } from '../../../docker/format/flags.ts';
import { daemonMessage, parseCommand, wrapNotFound } from './util.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

export const CP_DEF: CommandDef = {
  path: 'docker cp',
  use: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files/folders between a container and the local filesystem',
  flags: [
    { name: 'archive', short: 'a', kind: 'bool', usage: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', kind: 'bool', usage: 'Always follow symbol link in SRC_PATH' },
  ],
  args: { exact: 2 },
};

export const WAIT_DEF: CommandDef = {
  path: 'docker wait',
  use: 'CONTAINER [CONTAINER...]',
  short: 'Block until one or more containers stop, then print their exit codes',
  flags: [],
  args: { min: 1 },
};

/** `name:path` (a container path), or null for a local path (cp.go splitCpArg). */
function splitCpArg(arg: string): { container: string; path: string } | null {
  if (arg.startsWith('/') || arg.startsWith('.')) return null;
  const i = arg.indexOf(':');
  if (i <= 0) return null;
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

function copyTree(from: Vfs, src: string, to: Vfs, dst: string): void {
  if (from.isDir(src)) {
    if (!to.exists(dst)) to.mkdir(dst, { parents: true });
    for (const name of from.list(src)) copyTree(from, `${src.replace(/\/$/, '')}/${name}`, to, `${dst.replace(/\/$/, '')}/${name}`);
  } else {
    to.write(dst, from.read(src));
  }
}

export function runCp(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const p = parseCommand(ctx, CP_DEF, argv);
  if (typeof p === 'number') return p;
  const [srcArg, dstArg] = p.args;
  const src = splitCpArg(srcArg);
  const dst = splitCpArg(dstArg);
  if ((src && dst) || (!src && !dst)) {
    ctx.stderr.write(src ? 'copying between containers is not supported\n' : 'must specify at least one container source\n');
    return 1;
  }
  const ref = (src ?? dst)!;
  let cfs: Vfs;
  try {
    cfs = api.engine.findContainer(ref.container).fs;
  } catch (e) {
    if (e instanceof DockerError) {
      ctx.stderr.write(wrapNotFound(e, 'container', ref.container) + '\n');
      return 1;
    }
    throw e;
  }
  const host = ctx.target.fs;
  const [fromFs, fromPath, toFs, toPath] = src
    ? [cfs, normalizePath(src.path || '/', '/'), host, normalizePath(dstArg, ctx.cwd)]
    : [host, normalizePath(srcArg, ctx.cwd), cfs, normalizePath(dst!.path || '/', '/')];
  if (!fromFs.exists(fromPath)) {
    ctx.stderr.write(src ? `Error: No such container:path: ${srcArg}\n` : `lstat ${fromPath}: no such file or directory\n`);
    return 1;
  }
  const base = fromPath.slice(fromPath.lastIndexOf('/') + 1);
  let target = toPath;
  if (toFs.isDir(toPath)) target = `${toPath.replace(/\/$/, '')}/${base}`;
  else if ((src ? dstArg : dst!.path).endsWith('/')) {
    ctx.stderr.write(
      src
        ? `mkdir ${toPath}: no such file or directory\n`
        : `Error response from daemon: Could not find the file ${toPath} in container ${ref.container}\n`,
    );
    return 1;
  } else {
    const parent = toPath.slice(0, toPath.lastIndexOf('/')) || '/';
    if (!toFs.isDir(parent)) {
      ctx.stderr.write(
        src
          ? `lstat ${parent}: no such file or directory\n`
          : `Error response from daemon: Could not find the file ${parent} in container ${ref.container}\n`,
      );
      return 1;
    }
  }
  try {
    copyTree(fromFs, fromPath, toFs, target);
  } catch (e) {
    ctx.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}

export function* runWait(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const p = parseCommand(ctx, WAIT_DEF, argv);
  if (typeof p === 'number') return p;
  const errs: string[] = [];
  for (const name of p.args) {
    let c;
    try {
      c = api.engine.findContainer(name);
    } catch (e) {
      if (!(e instanceof DockerError)) throw e;
      errs.push(daemonMessage(e));
      continue;
    }
    while (c.running) {
      const r = yield { kind: 'sleep', ms: 100 };
      if (r?.interrupted) return 130;
    }
    ctx.stdout.write(`${c.exitCode}\n`);
  }
  if (errs.length) {
    ctx.stderr.write(errs.join('\n') + '\n');
    return 1;
  }
  return 0;
}
