/**
 * An in-memory file system with the parts of Linux semantics learners meet: directories,
 * regular files, symbolic links, executables, bind mounts (Docker bind-mounts the container's
 * /etc/hosts, /etc/resolv.conf and /etc/hostname from /var/lib/docker/containers/<id>/ on the
 * host), copy-on-write layers (a container's root is its image plus a writable upper layer),
 * and dynamic files whose content is computed on read (/proc/sys/net/ipv4/ip_forward).
 */

export type NodeKind = 'file' | 'dir' | 'symlink';

export interface DynamicFile {
  read(): string;
  write?(text: string): void;
}

export interface FsNode {
  kind: NodeKind;
  mode: number; // permission bits (0o755 ...)
  mtime: number;
  /** Regular file content. */
  data?: string;
  /** The size of a binary file whose bytes the simulator does not keep (a rootfs tarball). */
  size?: number;
  /** Content computed on read (and applied on write), for /proc and /sys. */
  dynamic?: DynamicFile;
  /** For executables: which simulated program runs (e.g. 'busybox', 'iproute2:ip'). */
  exec?: string;
  /** Symbolic link target. */
  target?: string;
  children?: Map<string, FsNode>;
  /** A whiteout in an upper layer hides the lower entry. */
  whiteout?: boolean;
}

export class FsError extends Error {
  constructor(
    public readonly code: 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'ENOTEMPTY' | 'ELOOP' | 'EACCES' | 'EROFS' | 'EINVAL',
    public readonly path: string,
  ) {
    super(`${code}: ${path}`);
  }

  /** The strerror(3) text, as coreutils and busybox print it. */
  get text(): string {
    return STRERROR[this.code];
  }
}

const STRERROR: Record<FsError['code'], string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  EACCES: 'Permission denied',
  EROFS: 'Read-only file system',
  EINVAL: 'Invalid argument',
};

export function normalizePath(path: string, cwd = '/'): string {
  const abs = path.startsWith('/') ? path : `${cwd.replace(/\/$/, '')}/${path}`;
  const out: string[] = [];
  for (const seg of abs.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

export function dirname(path: string): string {
  const p = normalizePath(path);
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function basename(path: string): string {
  const p = path.replace(/\/+$/, '');
  return p.slice(p.lastIndexOf('/') + 1) || '/';
}

const MAX_FILE = 16 * 1024 * 1024;

interface Mount {
  fs: Vfs;
  path: string;
}

/**
 * One file system tree. `lower`, when given, is a read-only layer seen through this one
 * (overlayfs): reads fall through, writes copy the node up.
 */
export class Vfs {
  readonly root: FsNode;
  private mounts = new Map<string, Mount>();

  constructor(
    private readonly now: () => number,
    private readonly lower: Vfs | null = null,
  ) {
    this.root = { kind: 'dir', mode: 0o755, mtime: now(), children: new Map() };
  }

  /** Bind-mounts `source` (a path in `fs`) over `path` in this tree (a file or a directory). */
  bind(path: string, fs: Vfs, source: string): void {
    this.mounts.set(normalizePath(path), { fs, path: normalizePath(source) });
  }

  unbind(path: string): void {
    this.mounts.delete(normalizePath(path));
  }

  // ---- lookup ------------------------------------------------------------------------------

  private mountFor(path: string): { fs: Vfs; rest: string } | null {
    if (!this.mounts.size) return null;
    for (const [mp, m] of this.mounts) {
      if (path === mp) return { fs: m.fs, rest: m.path };
      if (path.startsWith(mp + '/')) return { fs: m.fs, rest: m.path + path.slice(mp.length) };
    }
    return null;
  }

  private childOf(dirPath: string, dir: FsNode | null, name: string): FsNode | null {
    const own = dir?.children?.get(name);
    if (own) return own.whiteout ? null : own;
    if (this.lower) {
      const low = this.lower.lstat(dirPath === '/' ? `/${name}` : `${dirPath}/${name}`);
      return low;
    }
    return null;
  }

  /** The node at `path` without following a final symlink; null when absent. */
  lstat(path: string): FsNode | null {
    return this.walk(normalizePath(path), false, 0);
  }

  /** The node at `path`, following symlinks; null when absent. */
  stat(path: string): FsNode | null {
    return this.walk(normalizePath(path), true, 0);
  }

  private walk(path: string, follow: boolean, depth: number): FsNode | null {
    if (depth > 40) throw new FsError('ELOOP', path);
    const m = this.mountFor(path);
    if (m) return follow ? m.fs.stat(m.rest) : m.fs.lstat(m.rest);
    if (path === '/') return this.root;
    const segs = path.split('/').filter(Boolean);
    let node: FsNode | null = this.root;
    let cur = '/';
    for (let i = 0; i < segs.length; i++) {
      if (!node || node.kind !== 'dir') return null;
      const next = this.childOf(cur, node, segs[i]);
      const here = cur === '/' ? `/${segs[i]}` : `${cur}/${segs[i]}`;
      if (!next) {
        // A directory may exist only in the lower layer while this layer lacks its parent.
        if (this.lower && !node.children?.has(segs[i])) {
          const low = this.lower.walk(here, false, depth);
          if (!low) return null;
          node = low;
        } else return null;
      } else node = next;
      const last = i === segs.length - 1;
      if (node.kind === 'symlink' && (follow || !last)) {
        const target = normalizePath(node.target ?? '', cur);
        const rest = segs.slice(i + 1).join('/');
        return this.walk(rest ? `${target}/${rest}` : target, follow, depth + 1);
      }
      const mm = this.mountFor(here);
      if (mm) {
        const rest = segs.slice(i + 1).join('/');
        const p = rest ? `${mm.rest}/${rest}` : mm.rest;
        return follow || !last ? mm.fs.stat(p) : mm.fs.lstat(p);
      }
      cur = here;
    }
    return node;
  }

  /** Resolves symlinks in all but the last component; returns the real path. */
  realpath(path: string): string {
    const p = normalizePath(path);
    const segs = p.split('/').filter(Boolean);
    let cur = '/';
    for (let i = 0; i < segs.length; i++) {
      const here = cur === '/' ? `/${segs[i]}` : `${cur}/${segs[i]}`;
      const n = this.lstat(here);
      if (n && n.kind === 'symlink') {
        cur = this.realpath(normalizePath(n.target ?? '', cur));
      } else cur = here;
    }
    return cur;
  }

  exists(path: string): boolean {
    return this.stat(path) !== null;
  }

  isDir(path: string): boolean {
    return this.stat(path)?.kind === 'dir';
  }

  // ---- mutation helpers --------------------------------------------------------------------

  /** The directory node at `path` in *this* layer, copied up from the lower layer if needed. */
  private ownDir(path: string, create: boolean): FsNode {
    const p = normalizePath(path);
    const m = this.mountFor(p);
    if (m) return m.fs.ownDir(m.rest, create);
    const segs = p.split('/').filter(Boolean);
    let node = this.root;
    let cur = '/';
    for (const seg of segs) {
      const here = cur === '/' ? `/${seg}` : `${cur}/${seg}`;
      let next = node.children!.get(seg);
      if (next?.whiteout) next = undefined;
      if (next && next.kind === 'symlink') {
        return this.ownDir(normalizePath(next.target ?? '', cur) + p.slice(here.length), create);
      }
      if (!next) {
        const low = this.lower?.stat(here);
        if (low && low.kind === 'dir') {
          next = { kind: 'dir', mode: low.mode, mtime: low.mtime, children: new Map() };
        } else if (low && low.kind === 'symlink') {
          return this.ownDir(normalizePath(low.target ?? '', cur) + p.slice(here.length), create);
        } else if (low) throw new FsError('ENOTDIR', here);
        else if (create) next = { kind: 'dir', mode: 0o755, mtime: this.now(), children: new Map() };
        else throw new FsError('ENOENT', here);
        node.children!.set(seg, next);
      }
      if (next.kind !== 'dir') throw new FsError('ENOTDIR', here);
      node = next;
      cur = here;
    }
    return node;
  }

  mkdir(path: string, opts: { parents?: boolean; mode?: number } = {}): void {
    const p = normalizePath(path);
    const existing = this.stat(p);
    if (existing) {
      if (opts.parents && existing.kind === 'dir') return;
      throw new FsError('EEXIST', p);
    }
    const parentPath = dirname(p);
    if (!opts.parents && !this.isDir(parentPath)) {
      throw new FsError(this.exists(parentPath) ? 'ENOTDIR' : 'ENOENT', p);
    }
    const parent = this.ownDir(parentPath, !!opts.parents);
    parent.children!.set(basename(p), { kind: 'dir', mode: opts.mode ?? 0o755, mtime: this.now(), children: new Map() });
  }

  /** A file's text, or null when it is absent or unreadable (a directory): for optional files. */
  tryRead(path: string): string | null {
    try {
      return this.read(path);
    } catch {
      return null;
    }
  }

  /** Reads a file's text (following symlinks). */
  read(path: string): string {
    const n = this.stat(path);
    if (!n) throw new FsError('ENOENT', path);
    if (n.kind === 'dir') throw new FsError('EISDIR', path);
    if (n.dynamic) return n.dynamic.read();
    return n.data ?? '';
  }

  write(path: string, text: string, opts: { append?: boolean; mode?: number; exec?: string } = {}): void {
    const p = normalizePath(path);
    const m = this.mountFor(p);
    if (m) return m.fs.write(m.rest, text, opts);
    const existing = this.stat(p);
    if (existing?.kind === 'dir') throw new FsError('EISDIR', p);
    if (existing?.dynamic) {
      if (!existing.dynamic.write) throw new FsError('EACCES', p);
      // A /proc or /sys file has no content to truncate or append to: opening it with O_TRUNC
      // (`>` writes '' first) does nothing, and each write(2) hands the kernel just its bytes.
      if (text === '' && !opts.append) return;
      existing.dynamic.write(text);
      return;
    }
    const lnode = this.lstat(p);
    if (lnode?.kind === 'symlink') {
      return this.write(normalizePath(lnode.target ?? '', dirname(p)), text, opts);
    }
    if (!this.isDir(dirname(p))) throw new FsError(this.exists(dirname(p)) ? 'ENOTDIR' : 'ENOENT', p);
    const parent = this.ownDir(dirname(p), false);
    const name = basename(p);
    const own = parent.children!.get(name);
    const base = opts.append ? (existing?.data ?? '') : '';
    const data = base + text;
    if (data.length > MAX_FILE) throw new FsError('EINVAL', p);
    if (own && !own.whiteout && own.kind === 'file') {
      own.data = data;
      own.mtime = this.now();
      if (opts.exec !== undefined) own.exec = opts.exec;
      return;
    }
    parent.children!.set(name, {
      kind: 'file',
      mode: opts.mode ?? existing?.mode ?? 0o644,
      mtime: this.now(),
      data,
      exec: opts.exec ?? existing?.exec,
    });
  }

  /** Installs a node as is (used to build images and /proc). */
  put(path: string, node: FsNode): void {
    const p = normalizePath(path);
    const parent = this.ownDir(dirname(p), true);
    parent.children!.set(basename(p), node);
  }

  symlink(target: string, path: string): void {
    const p = normalizePath(path);
    if (this.lstat(p)) throw new FsError('EEXIST', p);
    const parent = this.ownDir(dirname(p), false);
    parent.children!.set(basename(p), { kind: 'symlink', mode: 0o777, mtime: this.now(), target });
  }

  unlink(path: string): void {
    const p = normalizePath(path);
    const n = this.lstat(p);
    if (!n) throw new FsError('ENOENT', p);
    if (n.kind === 'dir') throw new FsError('EISDIR', p);
    this.remove(p);
  }

  rmdir(path: string): void {
    const p = normalizePath(path);
    const n = this.lstat(p);
    if (!n) throw new FsError('ENOENT', p);
    if (n.kind !== 'dir') throw new FsError('ENOTDIR', p);
    if (this.list(p).length) throw new FsError('ENOTEMPTY', p);
    this.remove(p);
  }

  /** Removes a node (recursively for directories) from this layer, hiding any lower copy. */
  remove(path: string): void {
    const p = normalizePath(path);
    const m = this.mountFor(p);
    if (m && m.rest !== p) {
      if (normalizePath(path) === [...this.mounts.keys()].find((k) => k === p)) throw new FsError('EINVAL', p);
      return m.fs.remove(m.rest);
    }
    const parent = this.ownDir(dirname(p), false);
    const name = basename(p);
    if (this.lower?.lstat(p)) parent.children!.set(name, { kind: 'file', mode: 0, mtime: this.now(), whiteout: true });
    else parent.children!.delete(name);
  }

  /** Names in a directory, sorted as `ls` does in the C locale. */
  list(path: string): string[] {
    const p = normalizePath(path);
    const n = this.stat(p);
    if (!n) throw new FsError('ENOENT', p);
    if (n.kind !== 'dir') throw new FsError('ENOTDIR', p);
    const names = new Set<string>();
    const m = this.mountFor(p);
    if (m) return m.fs.list(m.rest);
    if (this.lower && this.lower.isDir(p)) for (const c of this.lower.list(p)) names.add(c);
    const own = this.ownDirIfExists(p);
    if (own) {
      for (const [k, v] of own.children!) {
        if (v.whiteout) names.delete(k);
        else names.add(k);
      }
    } else if (n.children) for (const k of n.children.keys()) names.add(k);
    return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private ownDirIfExists(path: string): FsNode | null {
    const segs = normalizePath(path).split('/').filter(Boolean);
    let node = this.root;
    for (const seg of segs) {
      const next = node.children!.get(seg);
      if (!next || next.whiteout) return null;
      if (next.kind === 'symlink') return null;
      if (next.kind !== 'dir') return null;
      node = next;
    }
    return node;
  }

  rename(from: string, to: string): void {
    const a = normalizePath(from);
    const b = normalizePath(to);
    const n = this.lstat(a);
    if (!n) throw new FsError('ENOENT', a);
    const copy = cloneNode(n);
    const parent = this.ownDir(dirname(b), false);
    parent.children!.set(basename(b), copy);
    this.remove(a);
  }
}

function cloneNode(n: FsNode): FsNode {
  const c: FsNode = { ...n };
  if (n.children) c.children = new Map([...n.children].map(([k, v]) => [k, cloneNode(v)]));
  return c;
}
