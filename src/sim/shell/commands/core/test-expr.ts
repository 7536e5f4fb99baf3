/**
 * The `test`/`[` expression evaluator (POSIX test with -a/-o/!/parentheses), with bash's
 * (builtins/test.c) and busybox ash's (coreutils/test.c) error texts.
 */
import type { CommandContext } from '../../interp.ts';
import { normalizePath } from '../../../base/vfs.ts';

class TestError extends Error {}

/** true/false, or the error message after the shell's prefix (`[: a: integer expression expected`). */
export function evalTest(args: string[], ctx: CommandContext, name = 'test'): boolean | string {
  const ash = ctx.shell.dialect === 'ash';
  const fs = ctx.target.fs;
  const path = (p: string): string => normalizePath(p, ctx.cwd);
  const e = (bashMsg: string, ashMsg: string): TestError => new TestError(ash ? ashMsg : `${name}: ${bashMsg}`);
  const int = (s: string): number => {
    if (!/^\s*[+-]?[0-9]+\s*$/.test(s)) throw e(`${s}: integer expression expected`, `${s}: bad number`);
    return Number(s);
  };
  const unary: Record<string, (a: string) => boolean> = {
    '-e': (a) => !!fs.stat(path(a)),
    '-f': (a) => fs.stat(path(a))?.kind === 'file',
    '-d': (a) => fs.stat(path(a))?.kind === 'dir',
    '-L': (a) => fs.lstat(path(a))?.kind === 'symlink',
    '-h': (a) => fs.lstat(path(a))?.kind === 'symlink',
    '-s': (a) => {
      const n = fs.stat(path(a));
      return !!n && (n.kind === 'dir' || !!(n.data ?? (n.dynamic ? n.dynamic.read() : '')).length);
    },
    '-r': (a) => !!fs.stat(path(a)),
    '-w': (a) => !!fs.stat(path(a)),
    '-x': (a) => {
      const n = fs.stat(path(a));
      return !!n && (n.kind === 'dir' || (n.mode & 0o111) !== 0);
    },
    '-z': (a) => a.length === 0,
    '-n': (a) => a.length > 0,
    // isatty(fd) on the command's own streams (after its redirections); other fds are not open.
    '-t': (a) => {
      const fd = int(a);
      return fd === 0 ? ctx.stdin.isTty : fd === 1 ? ctx.stdout.isTty : fd === 2 ? ctx.stderr.isTty : false;
    },
    '-b': () => false,
    '-c': (a) => a.startsWith('/dev/'),
    '-p': () => false,
    '-S': () => false,
  };
  const binary: Record<string, (a: string, b: string) => boolean> = {
    '=': (a, b) => a === b,
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
    '<': (a, b) => a < b,
    '>': (a, b) => a > b,
    '-eq': (a, b) => int(a) === int(b),
    '-ne': (a, b) => int(a) !== int(b),
    '-lt': (a, b) => int(a) < int(b),
    '-le': (a, b) => int(a) <= int(b),
    '-gt': (a, b) => int(a) > int(b),
    '-ge': (a, b) => int(a) >= int(b),
    '-nt': (a, b) => (fs.stat(path(a))?.mtime ?? -1) > (fs.stat(path(b))?.mtime ?? -1),
    '-ot': (a, b) => (fs.stat(path(a))?.mtime ?? Infinity) < (fs.stat(path(b))?.mtime ?? Infinity),
  };

  let pos = 0;
  const peek = (): string | undefined => args[pos];
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === '-o') {
      pos++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (peek() === '-a') {
      pos++;
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (peek() === '!' && args.length - pos > 1) {
      pos++;
      return !notExpr();
    }
    return primary();
  };
  const primary = (): boolean => {
    const a = args[pos];
    if (a === undefined) throw e('argument expected', 'argument expected');
    if (a === '(' && args.length - pos > 1) {
      pos++;
      const v = orExpr();
      if (args[pos] !== ')') throw e(`\`)' expected`, 'closing paren expected');
      pos++;
      return v;
    }
    const b = args[pos + 1];
    if (b !== undefined && binary[b] && args[pos + 2] !== undefined) {
      pos += 3;
      return binary[b](a, args[pos - 1]);
    }
    if (unary[a] && b !== undefined) {
      pos += 2;
      return unary[a](b);
    }
    if (b !== undefined && binary[b]) throw e(`${a}: unary operator expected`, `${b}: argument expected`);
    pos++;
    return a.length > 0;
  };

  try {
    if (!args.length) return false;
    // POSIX rules for 1-3 arguments come first (so `[ -n ]` and `[ = ]` are string tests).
    if (args.length === 1) return args[0].length > 0;
    if (args.length === 2) {
      if (args[0] === '!') return args[1].length === 0;
      if (unary[args[0]]) return unary[args[0]](args[1]);
      throw e(`${args[0]}: unary operator expected`, `${args[1]}: unknown operand`);
    }
    if (args.length === 3 && binary[args[1]]) return binary[args[1]](args[0], args[2]);
    const v = orExpr();
    if (pos < args.length) {
      if (args.length === 3) throw e(`${args[1]}: binary operator expected`, `${args[1]}: unknown operand`);
      throw e('too many arguments', `${args[pos]}: unknown operand`);
    }
    return v;
  } catch (err) {
    if (err instanceof TestError) return err.message;
    throw err;
  }
}
