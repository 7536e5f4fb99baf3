/**
 * The network sysctls of a namespace as /proc/sys files (`mountProcSys`), and the `sysctl`
 * command (procps-ng 4 on hosts and glibc images, busybox's applet elsewhere), which reads and
 * writes them through the file system exactly as the real one does through /proc/sys — so
 * `echo 1 > /proc/sys/net/ipv4/ip_forward`, `cat` and `sysctl -w` all change the same model
 * field that the packet walk reads.
 */
import type { CommandContext } from '../../interp.ts';
import { FsError, type FsNode, type Vfs } from '../../../base/vfs.ts';
import type { Netns } from '../../../net/netns.ts';
import type { Link } from '../../../net/types.ts';
import { register } from '../registry.ts';
import { err } from './common.ts';

/** An empty write(2) changes nothing (the kernel parses no value from it). */
function written(text: string): string | null {
  return text === '' ? null : text;
}

/** A /proc/sys file: the kernel's proc_dointvec-style parsing of what is written. */
function intFile(path: string, get: () => number, set: (v: number) => void, min = 0, max = 1): FsNode {
  return {
    kind: 'file',
    mode: 0o644,
    mtime: 0,
    dynamic: {
      read: () => `${get()}\n`,
      write: (raw: string) => {
        const text = written(raw);
        if (text === null) return;
        const t = text.trim();
        if (!/^-?\d+$/.test(t)) throw new FsError('EINVAL', path);
        const v = Number(t);
        // proc_dointvec_minmax answers EINVAL outside the range.
        if (v < min || v > max) throw new FsError('EINVAL', path);
        set(v);
      },
    },
  };
}

function dir(entries: [string, FsNode][]): FsNode {
  return { kind: 'dir', mode: 0o555, mtime: 0, children: new Map(entries) };
}

/**
 * /proc/sys/net/ipv4/conf: one directory per link of the namespace (plus `all` and
 * `default`), following the links as they come and go.
 */
class ConfDirs extends Map<string, FsNode> {
  private readonly cache = new Map<string, { link: Link | null; node: FsNode }>();

  constructor(private readonly ns: Netns) {
    super();
  }

  private names(): string[] {
    return ['all', 'default', ...this.ns.sortedLinks().map((l) => l.name)];
  }

  private nodeFor(name: string): FsNode | undefined {
    const link = name === 'all' || name === 'default' ? null : (this.ns.linkByName(name) ?? undefined);
    if (link === undefined) return undefined;
    const hit = this.cache.get(name);
    if (hit && hit.link === link) return hit.node;
    const ns = this.ns;
    const base = `/proc/sys/net/ipv4/conf/${name}`;
    const entries: [string, FsNode][] = [];
    if (link) {
      entries.push([
        'route_localnet',
        intFile(
          `${base}/route_localnet`,
          () => (link.routeLocalnet ? 1 : 0),
          (v) => (link.routeLocalnet = v === 1),
        ),
      ]);
    } else {
      // conf/all/forwarding mirrors net.ipv4.ip_forward (devinet_sysctl_forward).
      entries.push([
        'forwarding',
        intFile(
          `${base}/forwarding`,
          () => (ns.sysctls.ipForward ? 1 : 0),
          (v) => (ns.sysctls.ipForward = v === 1),
        ),
      ]);
    }
    const node = dir(entries);
    this.cache.set(name, { link, node });
    return node;
  }

  override get(key: string): FsNode | undefined {
    return this.nodeFor(key);
  }

  override has(key: string): boolean {
    return this.nodeFor(key) !== undefined;
  }

  override set(): this {
    // /proc/sys does not take new entries.
    return this;
  }

  override delete(): boolean {
    return false;
  }

  override get size(): number {
    return this.names().length;
  }

  override keys(): MapIterator<string> {
    return this.names()[Symbol.iterator]() as MapIterator<string>;
  }

  override entries(): MapIterator<[string, FsNode]> {
    const list = this.names().map((n) => [n, this.nodeFor(n)!] as [string, FsNode]);
    return list[Symbol.iterator]() as MapIterator<[string, FsNode]>;
  }

  override [Symbol.iterator](): MapIterator<[string, FsNode]> {
    return this.entries();
  }

  override values(): MapIterator<FsNode> {
    const list = this.names().map((n) => this.nodeFor(n)!);
    return list[Symbol.iterator]() as MapIterator<FsNode>;
  }

  override forEach(cb: (value: FsNode, key: string, map: Map<string, FsNode>) => void): void {
    for (const [k, v] of this.entries()) cb(v, k, this);
  }
}

/** Installs /proc/sys/net for a namespace into a file system (a host's or a container's). */
export function mountProcSys(fs: Vfs, ns: Netns, now: () => number = () => 0): void {
  const s = ns.sysctls;
  const t = now();
  const put = (path: string, node: FsNode): void => fs.put(path, { ...node, mtime: t });
  const ipv4 = '/proc/sys/net/ipv4';
  fs.mkdir(ipv4, { parents: true });
  put(
    `${ipv4}/ip_forward`,
    intFile(
      `${ipv4}/ip_forward`,
      () => (s.ipForward ? 1 : 0),
      (v) => (s.ipForward = v === 1),
    ),
  );
  put(
    `${ipv4}/icmp_echo_ignore_all`,
    intFile(
      `${ipv4}/icmp_echo_ignore_all`,
      () => (s.icmpEchoIgnoreAll ? 1 : 0),
      (v) => (s.icmpEchoIgnoreAll = v === 1),
    ),
  );
  put(`${ipv4}/ip_local_port_range`, {
    kind: 'file',
    mode: 0o644,
    mtime: 0,
    dynamic: {
      read: () => `${s.ipLocalPortRange[0]}\t${s.ipLocalPortRange[1]}\n`,
      write: (raw: string) => {
        const text = written(raw);
        if (text === null) return;
        const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
        if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 65535) throw new FsError('EINVAL', `${ipv4}/ip_local_port_range`);
        s.ipLocalPortRange = [Number(m[1]), Number(m[2])];
      },
    },
  });
  put(`${ipv4}/conf`, { kind: 'dir', mode: 0o555, mtime: 0, children: new ConfDirs(ns) });
  const bridge = '/proc/sys/net/bridge';
  fs.mkdir(bridge, { parents: true });
  put(
    `${bridge}/bridge-nf-call-iptables`,
    intFile(
      `${bridge}/bridge-nf-call-iptables`,
      () => (s.bridgeNfCallIptables ? 1 : 0),
      (v) => (s.bridgeNfCallIptables = v !== 0),
      0,
      2147483647,
    ),
  );
}

// ---- the sysctl command --------------------------------------------------------------------

function keyToPath(key: string): string {
  // procps: dots separate levels; a slash form is accepted as is.
  const parts = key.includes('/') ? key.replace(/^\/+/, '').split('/') : key.split('.');
  return '/proc/sys/' + parts.join('/');
}

function pathToKey(path: string): string {
  return path
    .replace(/^\/proc\/sys\//, '')
    .split('/')
    .join('.');
}

function walk(fs: Vfs, path: string, out: string[]): void {
  let names: string[];
  try {
    names = fs.list(path);
  } catch {
    return;
  }
  for (const n of names) {
    const p = `${path}/${n}`;
    if (fs.isDir(p)) walk(fs, p, out);
    else out.push(p);
  }
}

function sysctlMain(ctx: CommandContext): number {
  const busybox = ctx.target.userland === 'busybox';
  const fs = ctx.target.fs;
  const args = ctx.argv.slice(1);
  let valueOnly = false;
  let write = false;
  let all = false;
  let quiet = false;
  const keys: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1 && !keys.length) {
      for (const c of a.slice(1)) {
        if (c === 'n') valueOnly = true;
        else if (c === 'w') write = true;
        else if (c === 'a' || c === 'A' || c === 'X') all = true;
        else if (c === 'q') quiet = true;
        else if (c === 'e' || c === 'N') continue;
        else {
          err(ctx, busybox ? `sysctl: invalid option -- '${c}'` : `sysctl: invalid option -- '${c}'`);
          return busybox ? 1 : 255;
        }
      }
    } else keys.push(a);
  }
  const show = (key: string, value: string): void => {
    if (quiet) return;
    ctx.stdout.write(valueOnly ? `${value}\n` : `${key} = ${value}\n`);
  };
  if (all) {
    const files: string[] = [];
    walk(fs, '/proc/sys', files);
    for (const f of files) {
      try {
        show(pathToKey(f), fs.read(f).replace(/\n$/, ''));
      } catch {
        // unreadable entries are skipped, as procps does for EACCES
      }
    }
    return 0;
  }
  if (!keys.length) {
    if (busybox) {
      ctx.stderr.write('Usage: sysctl [-enq] { -a | -w VAR=VAL... | VAR... | -p [FILE...] }\n');
      return 1;
    }
    ctx.stderr.write(`\nUsage:\n sysctl [options] [variable[=value] ...]\n`);
    return 255;
  }
  let status = 0;
  for (const arg of keys) {
    const eq = arg.indexOf('=');
    if (write && eq < 0) {
      err(ctx, busybox ? `sysctl: error: '${arg}' must be of the form name=value` : `sysctl: "${arg}" must be of the form name=value`);
      status = busybox ? 1 : 255;
      continue;
    }
    const key = (eq >= 0 ? arg.slice(0, eq) : arg).trim();
    const value = eq >= 0 ? arg.slice(eq + 1).trim() : null;
    const path = keyToPath(key);
    const outKey = key.includes('/') ? pathToKey(path) : key;
    if (!fs.exists(path) || fs.isDir(path)) {
      if (busybox) err(ctx, `sysctl: error: '${outKey}' is an unknown key`);
      else err(ctx, `sysctl: cannot stat ${path}: No such file or directory`);
      status = busybox ? 1 : 255;
      continue;
    }
    if (value !== null) {
      try {
        fs.write(path, value + '\n');
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        if (busybox) err(ctx, `sysctl: error setting key '${outKey}': ${e.text}`);
        else err(ctx, `sysctl: setting key "${outKey}": ${e.text}`);
        status = busybox ? 1 : 255;
        continue;
      }
      show(outKey, value);
      continue;
    }
    show(outKey, fs.read(path).replace(/\n$/, ''));
  }
  return status;
}

register({ name: 'sysctl', run: sysctlMain, paths: { gnu: '/usr/sbin/sysctl', busybox: '/sbin/sysctl' } });
