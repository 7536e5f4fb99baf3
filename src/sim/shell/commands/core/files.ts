/**
 * File commands: cat, ls, touch, mkdir, rmdir, rm, cp, mv. Messages follow GNU coreutils
 * (src/ls.c, src/cp.c, src/remove.c ...) or busybox (coreutils/ls.c, libbb/copy_file.c ...)
 * depending on the target's userland.
 */
import type { CommandContext } from '../../interp.ts';
import { register } from '../registry.ts';
import { FsError, basename, dirname, type FsNode, type Vfs } from '../../../base/vfs.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { Interrupted, readStdin } from './input.ts';
import { busyboxUsage, err, fsText, isBusybox, lq, parseOpts, q, readOperand, resolvePath, tryHelp } from './common.ts';

// ---- cat -----------------------------------------------------------------------------------

function* cat(ctx: CommandContext): Generator<Effect, number, Resume | undefined> {
  const o = parseOpts(ctx, { short: 'nbvteAsuET', long: { number: 'n', 'number-nonblank': 'b', 'show-all': 'A', 'squeeze-blank': 's' } });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  let status = 0;
  let lineNo = 0;
  for (const f of o.operands.length ? o.operands : ['-']) {
    let text: string;
    try {
      text = f === '-' ? yield* readStdin(ctx) : readOperand(ctx, f);
    } catch (e) {
      if (e instanceof Interrupted) return 130;
      const why = fsText(e);
      if (e instanceof FsError && e.code === 'EISDIR') err(ctx, bb ? `read error: ${why}` : `${f}: ${why}`);
      else err(ctx, bb ? `can't open '${f}': ${why}` : `${f}: ${why}`);
      status = 1;
      continue;
    }
    if (o.flags.has('n') || o.flags.has('b')) {
      const nonblank = o.flags.has('b');
      text = text.replace(/^.*(?:\n|$)/gm, (line) => {
        if (!line) return '';
        if (nonblank && line === '\n') return line;
        return `${String(++lineNo).padStart(6)}\t${line}`;
      });
    }
    if (o.flags.has('A') || o.flags.has('E') || o.flags.has('e')) text = text.replace(/\n/g, '$\n');
    ctx.stdout.write(text);
  }
  return status;
}

// ---- ls ------------------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function modeString(n: FsNode): string {
  const t = n.kind === 'dir' ? 'd' : n.kind === 'symlink' ? 'l' : '-';
  const m = n.kind === 'symlink' ? 0o777 : n.mode;
  let s = '';
  for (let i = 8; i >= 0; i--) s += m & (1 << i) ? 'rwx'[(8 - i) % 3] : '-';
  return t + s;
}

function sizeOf(fs: Vfs, path: string, n: FsNode): number {
  if (n.kind === 'dir') return 4096;
  if (n.kind === 'symlink') return (n.target ?? '').length;
  if (n.dynamic) return 0;
  void fs;
  void path;
  return n.size ?? (n.data ?? '').length;
}

function nlink(fs: Vfs, path: string, n: FsNode): number {
  if (n.kind !== 'dir') return 1;
  try {
    return 2 + fs.list(path).filter((c) => fs.lstat(`${path === '/' ? '' : path}/${c}`)?.kind === 'dir').length;
  } catch {
    return 2;
  }
}

/** `Nov 23 10:29`, or `Jan  2  2025` for files older than six months (or in the future). */
function lsDate(ms: number, now: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = ms <= now + 60_000 && now - ms < (365.2425 * 24 * 3600 * 1000) / 2;
  const tail = recent
    ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

interface Entry {
  name: string;
  path: string;
  node: FsNode;
}

function ls(ctx: CommandContext): number {
  const o = parseOpts(ctx, {
    short: '1aAlCdFhrtSRx',
    long: { all: 'a', 'almost-all': 'A', directory: 'd', 'human-readable': 'h', reverse: 'r', recursive: 'R', classify: 'F' },
  });
  if (!o) return 2;
  const bb = isBusybox(ctx);
  const fs = ctx.target.fs;
  const long = o.flags.has('l');
  const all = o.flags.has('a');
  const almost = o.flags.has('A');
  const one = o.flags.has('1') || (!ctx.stdout.isTty && !o.flags.has('C'));
  const now = ctx.target.clock.now();
  let status = 0;
  const operands = o.operands.length ? o.operands : ['.'];
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const name of operands) {
    const path = resolvePath(ctx, name);
    let node: FsNode | null;
    try {
      node = fs.lstat(path);
      if (node?.kind === 'symlink' && !long) node = fs.stat(path) ?? node;
      else if (node?.kind === 'symlink' && name.endsWith('/')) node = fs.stat(path) ?? node;
    } catch {
      node = null;
    }
    if (!node) {
      err(ctx, bb ? `${name}: No such file or directory` : `cannot access ${q(name)}: No such file or directory`);
      status = bb ? 1 : 2;
      continue;
    }
    if (node.kind === 'dir' && !o.flags.has('d')) dirs.push({ name, path, node });
    else files.push({ name, path, node });
  }
  const sortEntries = (es: Entry[]): Entry[] => {
    const s = es.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (o.flags.has('t')) s.sort((a, b) => b.node.mtime - a.node.mtime);
    if (o.flags.has('S')) s.sort((a, b) => sizeOf(fs, b.path, b.node) - sizeOf(fs, a.path, a.node));
    if (o.flags.has('r')) s.reverse();
    return s;
  };
  const suffix = (e: Entry): string => {
    if (!o.flags.has('F')) return '';
    if (e.node.kind === 'dir') return '/';
    if (e.node.kind === 'symlink') return '@';
    return e.node.mode & 0o111 ? '*' : '';
  };
  const render = (es: Entry[], withTotal: boolean): void => {
    if (!es.length && !withTotal) return;
    if (long) {
      const rows = es.map((e) => {
        const size = sizeOf(fs, e.path, e.node);
        return {
          mode: modeString(e.node),
          links: String(nlink(fs, e.path, e.node)),
          size: String(size),
          blocks: e.node.kind === 'file' ? Math.ceil(size / 4096) * 4 : e.node.kind === 'dir' ? 4 : 0,
          date: lsDate(e.node.mtime, now),
          name: e.name + (e.node.kind === 'symlink' ? ` -> ${e.node.target ?? ''}` : suffix(e)),
        };
      });
      if (withTotal) ctx.stdout.write(`total ${rows.reduce((n, r) => n + r.blocks, 0)}\n`);
      const lw = Math.max(0, ...rows.map((r) => r.links.length));
      const sw = Math.max(0, ...rows.map((r) => r.size.length));
      for (const r of rows) {
        ctx.stdout.write(
          bb
            ? `${r.mode} ${r.links.padStart(4)} root     root     ${r.size.padStart(9)} ${r.date} ${r.name}\n`
            : `${r.mode} ${r.links.padStart(lw)} root root ${r.size.padStart(sw)} ${r.date} ${r.name}\n`,
        );
      }
      return;
    }
    const names = es.map((e) => e.name + suffix(e));
    if (one) {
      for (const n of names) ctx.stdout.write(n + '\n');
      return;
    }
    ctx.stdout.write(columns(names, 80, bb));
  };
  render(sortEntries(files), false);
  const sortedDirs = sortEntries(dirs);
  const headers = operands.length > 1 || o.flags.has('R');
  sortedDirs.forEach((d, i) => {
    if (headers) ctx.stdout.write(`${files.length || i > 0 ? '\n' : ''}${d.name}:\n`);
    let names: string[];
    try {
      names = fs.list(d.path);
    } catch (e) {
      err(ctx, bb ? `${d.name}: ${fsText(e)}` : `cannot open directory ${q(d.name)}: ${fsText(e)}`);
      status = 2;
      return;
    }
    const entries: Entry[] = [];
    if (all) {
      entries.push({ name: '.', path: d.path, node: d.node });
      entries.push({ name: '..', path: dirname(d.path), node: fs.stat(dirname(d.path)) ?? d.node });
    }
    for (const n of names) {
      if (n.startsWith('.') && !all && !almost) continue;
      const path = d.path === '/' ? `/${n}` : `${d.path}/${n}`;
      const node = fs.lstat(path);
      if (node) entries.push({ name: n, path, node });
    }
    const sorted = all ? [...entries.slice(0, 2), ...sortEntries(entries.slice(2))] : sortEntries(entries);
    render(sorted, true);
  });
  return status;
}

/**
 * Lays names out in columns, down then across, like ls on a terminal. GNU (ls.c
 * calculate_columns/indent): each column as wide as its longest name plus 2, the most columns
 * whose line stays under the width, padding with tabs where a tab stop fits. busybox: one width
 * for all columns (longest name plus 2), as many as fit, spaces.
 */
function columns(names: string[], width: number, uniform: boolean): string {
  if (!names.length) return '';
  const n = names.length;
  let best = { cols: 1, rows: n, widths: [Math.max(...names.map((s) => s.length))] };
  const uw = Math.max(...names.map((s) => s.length)) + 2;
  for (let cols = n; cols > 1; cols--) {
    const rows = Math.ceil(n / cols);
    if (Math.ceil(n / rows) !== cols) continue;
    if (uniform) {
      if (cols * uw > width) continue;
      best = { cols, rows, widths: Array(cols).fill(uw - 2) };
      break;
    }
    const widths: number[] = [];
    for (let c = 0; c < cols; c++) widths.push(Math.max(...names.slice(c * rows, (c + 1) * rows).map((s) => s.length)));
    if (widths.reduce((a, b) => a + b, 0) + 2 * (cols - 1) < width) {
      best = { cols, rows, widths };
      break;
    }
  }
  let out = '';
  for (let r = 0; r < best.rows; r++) {
    let line = '';
    let pos = 0;
    for (let c = 0; c < best.cols; c++) {
      const i = c * best.rows + r;
      if (i >= n) break;
      line += names[i];
      pos += names[i].length;
      if ((c + 1) * best.rows + r >= n) break;
      const to = pos - names[i].length + best.widths[c] + 2;
      if (uniform) line += ' '.repeat(to - pos);
      else
        while (pos < to) {
          if (Math.floor(to / 8) > Math.floor((pos + 1) / 8)) {
            line += '\t';
            pos += 8 - (pos % 8);
          } else {
            line += ' ';
            pos++;
          }
        }
      pos = to;
    }
    out += line + '\n';
  }
  return out;
}

// ---- touch, mkdir, rmdir -------------------------------------------------------------------

function touch(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'acmd:t:r:h', long: { 'no-create': 'c' } });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  if (!o.operands.length) {
    if (bb) busyboxUsage(ctx);
    else {
      err(ctx, 'missing file operand');
      tryHelp(ctx);
    }
    return 1;
  }
  let status = 0;
  const fs = ctx.target.fs;
  for (const f of o.operands) {
    const path = resolvePath(ctx, f);
    try {
      const n = fs.stat(path);
      if (n) {
        if (n.kind === 'file' && !n.dynamic) fs.write(path, '', { append: true });
        else n.mtime = ctx.target.clock.now();
      } else if (!o.flags.has('c')) fs.write(path, '');
    } catch (e) {
      err(ctx, bb ? `${f}: ${fsText(e)}` : `cannot touch ${q(f)}: ${fsText(e)}`);
      status = 1;
    }
  }
  return status;
}

function missing(ctx: CommandContext, what = 'missing operand'): number {
  if (isBusybox(ctx)) busyboxUsage(ctx);
  else {
    err(ctx, what);
    tryHelp(ctx);
  }
  return 1;
}

function mkdir(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'pm:v', long: { parents: 'p', 'mode=': 'm', verbose: 'v' } });
  if (!o) return 1;
  if (!o.operands.length) return missing(ctx);
  const bb = isBusybox(ctx);
  let status = 0;
  for (const d of o.operands) {
    try {
      ctx.target.fs.mkdir(resolvePath(ctx, d), { parents: o.flags.has('p') });
      if (o.flags.has('v') && !bb) ctx.stdout.write(`mkdir: created directory ${q(d)}\n`);
    } catch (e) {
      err(ctx, bb ? `can't create directory '${d}': ${fsText(e)}` : `cannot create directory ${lq(d)}: ${fsText(e)}`);
      status = 1;
    }
  }
  return status;
}

function rmdir(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'pv', long: { parents: 'p' } });
  if (!o) return 1;
  if (!o.operands.length) return missing(ctx);
  const bb = isBusybox(ctx);
  let status = 0;
  for (const d of o.operands) {
    try {
      ctx.target.fs.rmdir(resolvePath(ctx, d));
    } catch (e) {
      err(ctx, bb ? `'${d}': ${fsText(e)}` : `failed to remove ${q(d)}: ${fsText(e)}`);
      status = 1;
    }
  }
  return status;
}

// ---- rm ------------------------------------------------------------------------------------

function rm(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'rRfiv', long: { recursive: 'r', force: 'f', verbose: 'v', 'no-preserve-root': 'P' } });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  const force = o.flags.has('f');
  const recursive = o.flags.has('r') || o.flags.has('R');
  if (!o.operands.length) {
    if (force) return 0;
    return missing(ctx);
  }
  const fs = ctx.target.fs;
  let status = 0;
  for (const f of o.operands) {
    const path = resolvePath(ctx, f);
    if (recursive && path === '/' && !o.flags.has('P')) {
      if (bb) err(ctx, `can't remove '${f}': Device or resource busy`);
      else {
        err(ctx, `it is dangerous to operate recursively on ${q('/')}`);
        err(ctx, 'use --no-preserve-root to override this failsafe');
      }
      status = 1;
      continue;
    }
    if (/(^|\/)\.\.?\/*$/.test(f)) {
      err(ctx, bb ? `can't remove '.' or '..'` : `refusing to remove '.' or '..' directory: skipping ${q(f)}`);
      status = 1;
      continue;
    }
    const n = fs.lstat(path);
    if (!n) {
      if (!force) {
        err(ctx, bb ? `can't remove '${f}': No such file or directory` : `cannot remove ${q(f)}: No such file or directory`);
        status = 1;
      }
      continue;
    }
    if (n.kind === 'dir' && !recursive) {
      err(ctx, bb ? `'${f}' is a directory` : `cannot remove ${q(f)}: Is a directory`);
      status = 1;
      continue;
    }
    try {
      fs.remove(path);
      if (o.flags.has('v')) ctx.stdout.write(bb ? `removed '${f}'\n` : `removed ${n.kind === 'dir' ? 'directory ' : ''}${q(f)}\n`);
    } catch (e) {
      err(ctx, bb ? `can't remove '${f}': ${fsText(e)}` : `cannot remove ${q(f)}: ${fsText(e)}`);
      status = 1;
    }
  }
  return status;
}

// ---- cp, mv --------------------------------------------------------------------------------

function copyTree(fs: Vfs, from: string, to: string, now: number, depth = 0): void {
  if (depth > 64) throw new FsError('ELOOP', from);
  const n = fs.lstat(from);
  if (!n) throw new FsError('ENOENT', from);
  if (n.kind === 'symlink') {
    if (fs.lstat(to)) fs.remove(to);
    fs.symlink(n.target ?? '', to);
  } else if (n.kind === 'dir') {
    if (!fs.isDir(to)) fs.mkdir(to);
    for (const c of fs.list(from)) copyTree(fs, `${from === '/' ? '' : from}/${c}`, `${to}/${c}`, now, depth + 1);
  } else {
    fs.write(to, fs.read(from), { mode: n.mode, exec: n.exec });
  }
}

function cpOrMv(ctx: CommandContext, move: boolean): number {
  const o = parseOpts(
    ctx,
    move
      ? { short: 'fintvT', long: { force: 'f', 'no-clobber': 'n', verbose: 'v' } }
      : { short: 'rRafpPdLvinT', long: { recursive: 'r', archive: 'a', force: 'f', verbose: 'v', 'no-clobber': 'n' } },
  );
  if (!o) return 1;
  const bb = isBusybox(ctx);
  const name = move ? 'mv' : 'cp';
  if (o.operands.length === 0) return missing(ctx, 'missing file operand');
  if (o.operands.length === 1) {
    if (bb) {
      busyboxUsage(ctx);
      return 1;
    }
    err(ctx, `missing destination file operand after ${q(o.operands[0])}`);
    tryHelp(ctx);
    return 1;
  }
  const fs = ctx.target.fs;
  const recursive = move || o.flags.has('r') || o.flags.has('R') || o.flags.has('a');
  const sources = o.operands.slice(0, -1);
  const dest = o.operands[o.operands.length - 1];
  const destPath = resolvePath(ctx, dest);
  const destIsDir = fs.isDir(destPath);
  if (sources.length > 1 && !destIsDir) {
    if (!bb) {
      err(ctx, fs.exists(destPath) ? `target ${q(dest)} is not a directory` : `target ${q(dest)}: No such file or directory`);
      return 1;
    }
    // busybox tries every source and fails on each (libbb/copy_file.c).
    if (fs.exists(destPath)) {
      err(ctx, `'${dest}' is not a directory`);
      return 1;
    }
    for (const s of sources) err(ctx, `can't ${move ? 'rename' : 'create'} '${dest}/${basename(s)}': No such file or directory`);
    return 1;
  }
  let status = 0;
  for (const s of sources) {
    const src = resolvePath(ctx, s);
    const n = fs.lstat(src);
    if (!n) {
      err(
        ctx,
        bb ? `can't ${move ? 'rename' : 'stat'} '${s}': No such file or directory` : `cannot stat ${q(s)}: No such file or directory`,
      );
      status = 1;
      continue;
    }
    if (n.kind === 'dir' && !recursive) {
      err(ctx, bb ? `omitting directory '${s}'` : `-r not specified; omitting directory ${q(s)}`);
      status = 1;
      continue;
    }
    const target = destIsDir ? `${destPath === '/' ? '' : destPath}/${basename(src)}` : destPath;
    if (target === src) {
      if (!move) {
        err(
          ctx,
          bb
            ? `'${s}' and '${dest}' are the same file`
            : `${q(s)} and ${q(target === destPath ? dest : `${dest}/${basename(src)}`)} are the same file`,
        );
        status = 1;
      }
      continue;
    }
    if (n.kind === 'dir' && (target + '/').startsWith(src + '/')) {
      err(
        ctx,
        bb
          ? `can't ${move ? 'move' : 'copy'} a directory into itself`
          : `cannot ${move ? 'move' : 'copy a directory,'} ${q(s)}${move ? ' to a subdirectory of itself,' : ', into itself,'} ${q(target)}`,
      );
      status = 1;
      continue;
    }
    if (o.flags.has('n') && fs.lstat(target)) continue;
    const existing = fs.stat(target);
    if (existing?.kind === 'dir' && n.kind !== 'dir') {
      err(ctx, bb ? `'${target}' is a directory` : `cannot overwrite directory ${q(target)} with non-directory`);
      status = 1;
      continue;
    }
    try {
      if (!fs.isDir(dirname(target))) throw new FsError(fs.exists(dirname(target)) ? 'ENOTDIR' : 'ENOENT', target);
      if (move) fs.rename(src, target);
      else copyTree(fs, src, target, ctx.target.clock.now());
      if (o.flags.has('v')) ctx.stdout.write(`${q(s)} -> ${q(destIsDir ? `${dest.replace(/\/$/, '')}/${basename(src)}` : dest)}\n`);
    } catch (e) {
      const why = fsText(e);
      if (bb) err(ctx, `can't ${move ? 'rename' : 'create'} '${destIsDir ? target : dest}': ${why}`);
      else if (move) err(ctx, `cannot move ${q(s)} to ${q(dest)}: ${why}`);
      else err(ctx, `cannot create regular file ${q(dest)}: ${why}`);
      status = 1;
    }
  }
  void name;
  return status;
}

register({ name: 'cat', run: cat, paths: { gnu: '/usr/bin/cat', busybox: '/bin/cat' } });
register({ name: 'ls', run: ls, paths: { gnu: '/usr/bin/ls', busybox: '/bin/ls' } });
register({ name: 'touch', run: touch, paths: { gnu: '/usr/bin/touch', busybox: '/bin/touch' } });
register({ name: 'mkdir', run: mkdir, paths: { gnu: '/usr/bin/mkdir', busybox: '/bin/mkdir' } });
register({ name: 'rmdir', run: rmdir, paths: { gnu: '/usr/bin/rmdir', busybox: '/bin/rmdir' } });
register({ name: 'rm', run: rm, paths: { gnu: '/usr/bin/rm', busybox: '/bin/rm' } });
register({ name: 'cp', run: (ctx) => cpOrMv(ctx, false), paths: { gnu: '/usr/bin/cp', busybox: '/bin/cp' } });
register({ name: 'mv', run: (ctx) => cpOrMv(ctx, true), paths: { gnu: '/usr/bin/mv', busybox: '/bin/mv' } });
