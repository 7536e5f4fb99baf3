/**
 * The files behind installed programs. `which ls` answers /usr/bin/ls, so `ls /usr/bin`,
 * `ls -l $(which docker)` and `[ -x /bin/ping ]` must find a file there too. The simulator runs
 * programs from its command registry, not from these files: they are executable placeholders
 * (empty, size 0), written once into a host's file system or an image's root file system.
 */
import type { Vfs } from '../base/vfs.ts';
import type { Userland } from './interp.ts';
import { commandNames } from './commands/registry.ts';
import { programPath } from './target.ts';

export function installProgramFiles(fs: Vfs, userland: Userland, tools: readonly string[] | 'all', programDir?: string): void {
  // Directory → its real path and time; the files are put in directly (a lab builds hundreds).
  const dirs = new Map<string, { real: string; mtime: number }>();
  for (const name of tools === 'all' ? commandNames() : tools) {
    const path = programPath(name, userland, programDir);
    if (!path) continue;
    const cut = path.lastIndexOf('/');
    const dir = path.slice(0, cut) || '/';
    let d = dirs.get(dir);
    if (!d) {
      fs.mkdir(dir, { parents: true });
      const real = fs.realpath(dir);
      d = { real: real === '/' ? '' : real, mtime: fs.stat(real)!.mtime };
      dirs.set(dir, d);
    }
    const file = `${d.real}${path.slice(cut)}`;
    if (!fs.lstat(file)) fs.put(file, { kind: 'file', mode: 0o755, mtime: d.mtime, data: '' });
  }
}

/**
 * A Debian 12 host's top-level directories: merged /usr (bin, sbin and lib are links into it),
 * as `ls /` shows them on the hosts the course was recorded on.
 */
export function debianRootSkeleton(fs: Vfs): void {
  for (const d of [
    '/usr/bin',
    '/usr/sbin',
    '/usr/lib',
    '/usr/lib64',
    '/usr/local/bin',
    '/boot',
    '/dev',
    '/home',
    '/media',
    '/mnt',
    '/opt',
    '/run',
    '/srv',
    '/sys',
    '/var/tmp',
  ])
    fs.mkdir(d, { parents: true });
  for (const [link, to] of [
    ['/bin', 'usr/bin'],
    ['/sbin', 'usr/sbin'],
    ['/lib', 'usr/lib'],
    ['/lib64', 'usr/lib64'],
  ])
    if (!fs.lstat(link)) fs.symlink(to, link);
}
