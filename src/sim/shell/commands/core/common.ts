/**
 * Helpers shared by the coreutils/busybox commands: getopt-style option parsing with the real
 * error texts (GNU `Try 'x --help'`, busybox's usage block), reading operands or stdin, and the
 * quoting GNU uses in diagnostics.
 */
import type { CommandContext } from '../../interp.ts';
import { FsError, normalizePath } from '../../../base/vfs.ts';
import { BUSYBOX_USAGE } from './busybox-usage.ts';

/** The banner busybox prints before an applet's usage (libbb/appletlib.c). */
export const BUSYBOX_BANNER = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.';

export const isBusybox = (ctx: CommandContext): boolean => ctx.target.userland === 'busybox';

/** The program's name as invoked (`egrep`, `/bin/ls` → `ls`). */
export function progName(ctx: CommandContext): string {
  const a = ctx.argv[0] ?? '';
  return a.slice(a.lastIndexOf('/') + 1);
}

/** `name: msg` on stderr. */
export function err(ctx: CommandContext, msg: string): void {
  ctx.stderr.write(`${progName(ctx)}: ${msg}\n`);
}

/** GNU's `Try 'x --help' for more information.`; busybox's banner and usage. */
export function tryHelp(ctx: CommandContext, name = progName(ctx)): void {
  if (isBusybox(ctx)) busyboxUsage(ctx, name);
  else ctx.stderr.write(`Try '${name} --help' for more information.\n`);
}

export function busyboxUsage(ctx: CommandContext, name = progName(ctx)): void {
  const usage = BUSYBOX_USAGE[name] ?? `Usage: ${name}`;
  ctx.stderr.write(`${BUSYBOX_BANNER}\n\n${usage}\n`);
}

/** GNU's `'x'` quoting in "cannot access" messages (shell-escape style). */
export function q(s: string): string {
  if (/^[A-Za-z0-9_./@%+=:,-]+$/.test(s)) return `'${s}'`;
  if (!s.includes("'")) return `'${s}'`;
  return `"${s}"`;
}

/** GNU's locale quoting, as in `mkdir: cannot create directory ‘x’` (UTF-8 locale). */
export function lq(s: string): string {
  return `‘${s}’`;
}

export interface ParsedOpts {
  /** Flags seen, with their argument for options that take one (last one wins). */
  flags: Map<string, string | true>;
  /** Every value of options that may repeat (`-e`), in order. */
  all: Map<string, string[]>;
  operands: string[];
}

export interface OptSpec {
  /** getopt string: letters, `:` after one that takes an argument (`n:rf`). */
  short: string;
  /** Long options mapped to a short letter (`recursive: 'r'`); `=` suffix in the key when it takes an argument. */
  long?: Record<string, string>;
  /** Stop at the first operand (POSIX order, like `xargs`, `sh -c`, `env`). */
  stopAtOperand?: boolean;
  /** Accept `-NUM` as the value of this letter (`head -5`, `tail -3`). */
  numberFlag?: string;
}

/**
 * Parses options like getopt_long: bundled short flags, option arguments attached or separate,
 * `--` ends options, GNU permutes operands and options. Returns null after reporting an error.
 */
export function parseOpts(ctx: CommandContext, spec: OptSpec, args = ctx.argv.slice(1)): ParsedOpts | null {
  const flags = new Map<string, string | true>();
  const all = new Map<string, string[]>();
  const operands: string[] = [];
  const set = (k: string, v: string | true): void => {
    flags.set(k, v);
    if (typeof v === 'string') all.set(k, [...(all.get(k) ?? []), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && spec.long) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const keys = Object.keys(spec.long).filter((k) => k.replace(/=$/, '').startsWith(name));
      const exact = keys.find((k) => k.replace(/=$/, '') === name);
      const key = exact ?? (keys.length === 1 ? keys[0] : undefined);
      if (!key) {
        if (keys.length > 1 && !isBusybox(ctx)) err(ctx, `option '${a}' is ambiguous`);
        else err(ctx, `unrecognized option '${a}'`);
        tryHelp(ctx);
        return null;
      }
      const letter = spec.long[key];
      if (key.endsWith('=')) {
        const v: string | undefined = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) {
          err(ctx, `option '--${key.slice(0, -1)}' requires an argument`);
          tryHelp(ctx);
          return null;
        }
        set(letter, v);
      } else set(letter, true);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (spec.numberFlag && /^-[0-9]+$/.test(a)) {
        set(spec.numberFlag, a.slice(1));
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const idx = spec.short.indexOf(c);
        if (idx < 0 || c === ':') {
          err(ctx, `invalid option -- '${c}'`);
          tryHelp(ctx);
          return null;
        }
        if (spec.short[idx + 1] === ':') {
          const rest = a.slice(j + 1);
          const v = rest || args[++i];
          if (v === undefined) {
            err(ctx, `option requires an argument -- '${c}'`);
            tryHelp(ctx);
            return null;
          }
          set(c, v);
          break;
        }
        set(c, true);
      }
      continue;
    }
    operands.push(a);
    if (spec.stopAtOperand) {
      operands.push(...args.slice(i + 1));
      break;
    }
  }
  return { flags, all, operands };
}

export function resolvePath(ctx: CommandContext, p: string): string {
  return normalizePath(p, ctx.cwd);
}

/** Reads a file operand (`-` is stdin). Throws FsError. */
export function readOperand(ctx: CommandContext, name: string): string {
  if (name === '-') return charged(ctx, ctx.stdin.takeAll());
  if (name === '/dev/null') return '';
  if (name === '/dev/stdin') return charged(ctx, ctx.stdin.takeAll());
  return charged(ctx, ctx.target.fs.read(resolvePath(ctx, name)));
}

/** Bytes of input that cost the command line one step: a loop re-reading a growing file stops. */
const BYTES_PER_STEP = 4096;

/** Charges reading `text` to the shell's step budget and returns it. */
export function charged(ctx: CommandContext, text: string): string {
  if (text.length >= BYTES_PER_STEP) ctx.shell.charge(Math.floor(text.length / BYTES_PER_STEP));
  return text;
}

export function fsText(e: unknown): string {
  if (e instanceof FsError) return e.text;
  throw e;
}

/** Splits text into lines without their newlines (a missing final newline still ends a line). */
export function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Runs `each` over the text of every operand (or stdin when none), reporting unreadable files
 * with `report(name, strerror)`. Returns false when any file failed.
 */
export function forEachInput(
  ctx: CommandContext,
  files: string[],
  each: (text: string, name: string) => void,
  report: (name: string, why: string) => void,
): boolean {
  let ok = true;
  const list = files.length ? files : ['-'];
  for (const f of list) {
    let text: string;
    try {
      text = readOperand(ctx, f);
    } catch (e) {
      report(f, fsText(e));
      ok = false;
      continue;
    }
    each(text, f);
  }
  return ok;
}

/** Converts a POSIX basic regular expression to a JavaScript one (grep, sed). */
export function breToJs(re: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i];
      if (!extended && '(){}|+?'.includes(n)) out += n;
      else if (n === '<' || n === '>') out += '\\b';
      else if (/[0-9wWsSbB.*[\]^$\\/]/.test(n)) out += '\\' + n;
      else if (n === 'n') out += '\\n';
      else if (n === 't') out += '\\t';
      else out += escapeJs(n);
      continue;
    }
    if (c === '[') {
      // Bracket expression: copy through, translating POSIX classes.
      let j = i + 1;
      if (re[j] === '^') j++;
      if (re[j] === ']') j++;
      while (j < re.length && re[j] !== ']') {
        if (re[j] === '[' && re[j + 1] === ':') {
          const end = re.indexOf(':]', j + 2);
          j = end < 0 ? j + 1 : end + 2;
        } else j++;
      }
      if (j >= re.length) {
        out += '\\[';
        continue;
      }
      let body = re.slice(i + 1, j);
      let neg = '';
      if (body.startsWith('^')) {
        neg = '^';
        body = body.slice(1);
      }
      body = body
        .replace(/\[:(\w+):\]/g, (_m, cls: string) => POSIX_CLASSES[cls] ?? '')
        .replace(/\\/g, '\\\\')
        .replace(/^\]/, '\\]')
        .replace(/\[/g, '\\[');
      out += `[${neg}${body}]`;
      i = j;
      continue;
    }
    if (!extended && '(){}|+?'.includes(c)) {
      out += '\\' + c;
      continue;
    }
    if (!extended && c === '*' && (out === '' || out.endsWith('(') || out === '^')) {
      out += '\\*';
      continue;
    }
    if (c === '/') {
      out += '\\/';
      continue;
    }
    out += c;
  }
  return out;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
};

function escapeJs(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles a POSIX regular expression; null when JavaScript rejects it. */
export function compileRe(re: string, extended: boolean, flags = ''): RegExp | null {
  try {
    return new RegExp(breToJs(re, extended), flags);
  } catch {
    return null;
  }
}

/** Bounded wait while an endless producer (`yes`, `tail -f`) has nothing to do. */
export const IDLE_MS = 1000;

/** Bytes of `s` in UTF-8 (what `wc -c` and `ls -l` count). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
