/**
 * Text filters for pipelines: grep/egrep, head, tail, wc, sort, uniq, cut, tr, tee, seq, yes.
 * Output formats and messages follow GNU coreutils/grep or busybox by the target's userland.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { register } from '../registry.ts';
import { FsError } from '../../../base/vfs.ts';
import {
  busyboxUsage,
  compileRe,
  err,
  utf8Length,
  isBusybox,
  lq,
  parseOpts,
  progName,
  resolvePath,
  splitLines,
  tryHelp,
  IDLE_MS,
} from './common.ts';
import { interruptible, readInputs } from './input.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

// ---- grep ----------------------------------------------------------------------------------

function* grep(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, {
    short: 'EFGivonchHlLqswxe:m:rRA:B:C:',
    long: {
      'extended-regexp': 'E',
      'fixed-strings': 'F',
      'ignore-case': 'i',
      'invert-match': 'v',
      'only-matching': 'o',
      'line-number': 'n',
      count: 'c',
      'with-filename': 'H',
      'no-filename': 'h',
      'files-with-matches': 'l',
      quiet: 'q',
      silent: 'q',
      'no-messages': 's',
      'word-regexp': 'w',
      'line-regexp': 'x',
      'regexp=': 'e',
      'max-count=': 'm',
      'color=': 'K',
      'colour=': 'K',
    },
  });
  if (!o) return 2;
  const bb = isBusybox(ctx);
  const operands = o.operands.slice();
  let patterns: string[];
  if (o.all.has('e')) patterns = o.all.get('e')!;
  else {
    if (!operands.length) {
      if (bb) busyboxUsage(ctx, 'grep');
      else {
        ctx.stderr.write(`Usage: ${progName(ctx)} [OPTION]... PATTERNS [FILE]...\n`);
        tryHelp(ctx);
      }
      return 2;
    }
    patterns = operands.shift()!.split('\n');
  }
  const extended = o.flags.has('E') || progName(ctx) === 'egrep';
  const fixed = o.flags.has('F') || progName(ctx) === 'fgrep';
  const sources = patterns.map((p) => (fixed ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : p));
  let body = sources.map((s) => (fixed ? s : `(?:${toJs(s, extended)})`)).join('|');
  if (body === null) return 2;
  if (o.flags.has('w')) body = `(?<![A-Za-z0-9_])(?:${body})(?![A-Za-z0-9_])`;
  if (o.flags.has('x')) body = `^(?:${body})$`;
  let re: RegExp;
  try {
    re = new RegExp(body, o.flags.has('i') ? 'gi' : 'g');
  } catch {
    err(ctx, regexError(patterns.join('\n')));
    return 2;
  }
  const invert = o.flags.has('v');
  const inputs = yield* readInputs(ctx, operands);
  const withName = o.flags.has('H') || (operands.length > 1 && !o.flags.has('h'));
  const maxCount = o.flags.has('m') ? Number(o.flags.get('m')) : Infinity;
  let any = false;
  let trouble = false;
  for (const inp of inputs) {
    const label = inp.name === '-' ? '(standard input)' : inp.name;
    if (inp.text === null) {
      if (!o.flags.has('s')) err(ctx, `${inp.name}: ${inp.error}`);
      trouble = true;
      continue;
    }
    let count = 0;
    const lines = splitLines(inp.text);
    for (let i = 0; i < lines.length && count < maxCount; i++) {
      const line = lines[i];
      re.lastIndex = 0;
      const hit = re.test(line);
      if (hit === invert) continue;
      count++;
      any = true;
      if (o.flags.has('q')) return 0;
      if (o.flags.has('c') || o.flags.has('l') || o.flags.has('L')) continue;
      const prefix = (withName ? `${label}:` : '') + (o.flags.has('n') ? `${i + 1}:` : '');
      if (o.flags.has('o') && !invert) {
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) if (m[0]) ctx.stdout.write(`${prefix}${m[0]}\n`);
      } else ctx.stdout.write(`${prefix}${line}\n`);
    }
    if (o.flags.has('c')) ctx.stdout.write(`${withName ? `${label}:` : ''}${count}\n`);
    if (o.flags.has('l') && count) ctx.stdout.write(`${label}\n`);
    if (o.flags.has('L') && !count) ctx.stdout.write(`${label}\n`);
  }
  if (trouble && !(o.flags.has('q') && any)) return 2;
  return any ? 0 : 1;
}

function toJs(src: string, extended: boolean): string {
  const re = compileRe(src, extended);
  return re ? re.source : src.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function regexError(p: string): string {
  if (/\[/.test(p)) return 'Unmatched [, [^, [:, [., or [=';
  if (/\(/.test(p)) return 'Unmatched ( or \\(';
  if (/\)/.test(p)) return 'Unmatched ) or \\)';
  return 'Invalid regular expression';
}

// ---- head, tail ----------------------------------------------------------------------------

function parseCount(ctx: CommandContext, v: string, what: 'lines' | 'bytes'): number | null {
  const m = /^[+-]?([0-9]+)([bkm]?)$/.exec(v);
  if (!m) {
    err(ctx, isBusybox(ctx) ? `invalid number '${v}'` : `invalid number of ${what}: ${lq(v)}`);
    return null;
  }
  return Number(m[1]) * ({ '': 1, b: 512, k: 1024, m: 1048576 }[m[2]] ?? 1);
}

/** Offset just past the first `n` lines of `text` (scans, so a huge input costs little). */
function lineEnd(text: string, n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}

/** Offset where the last `n` lines of `text` start (a final line without newline counts). */
function lastLinesStart(text: string, n: number): number {
  if (n === 0) return text.length;
  let pos = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let i = 0; i < n; i++) {
    const nl = text.lastIndexOf('\n', pos - 1);
    if (nl < 0) return 0;
    pos = nl;
  }
  return pos + 1;
}

function* head(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, {
    short: 'n:c:qv',
    long: { 'lines=': 'n', 'bytes=': 'c', quiet: 'q', silent: 'q', verbose: 'v' },
    numberFlag: 'n',
  });
  if (!o) return 1;
  const nv = String(o.flags.get('n') ?? '10');
  const cv = o.flags.get('c');
  const n = parseCount(ctx, nv, 'lines');
  if (n === null) return 1;
  const c = typeof cv === 'string' ? parseCount(ctx, cv, 'bytes') : null;
  if (typeof cv === 'string' && c === null) return 1;
  const inputs = yield* readInputs(ctx, o.operands);
  const headers = (inputs.length > 1 && !o.flags.has('q')) || o.flags.has('v');
  let status = 0;
  inputs.forEach((inp, i) => {
    if (inp.text === null) {
      const bb = isBusybox(ctx);
      if (inp.code === 'EISDIR') err(ctx, bb ? `${inp.name}: Input/output error` : `error reading '${inp.name}': Is a directory`);
      else err(ctx, bb ? `can't open '${inp.name}': ${inp.error}` : `cannot open '${inp.name}' for reading: ${inp.error}`);
      status = 1;
      return;
    }
    if (headers) ctx.stdout.write(`${i ? '\n' : ''}==> ${inp.name === '-' ? 'standard input' : inp.name} <==\n`);
    if (c !== null) {
      ctx.stdout.write(cv!.toString().startsWith('-') ? inp.text.slice(0, Math.max(0, inp.text.length - c)) : inp.text.slice(0, c));
      return;
    }
    if (nv.startsWith('-')) {
      const lines = inp.text.split(/(?<=\n)/);
      ctx.stdout.write(lines.slice(0, Math.max(0, lines.length - n)).join(''));
    } else ctx.stdout.write(inp.text.slice(0, lineEnd(inp.text, n)));
  });
  return status;
}

function* tail(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, {
    short: 'n:c:fFqvs:',
    long: { 'lines=': 'n', 'bytes=': 'c', follow: 'f', quiet: 'q', silent: 'q', verbose: 'v' },
    numberFlag: 'n',
  });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  const nv = String(o.flags.get('n') ?? '10');
  const n = parseCount(ctx, nv, 'lines');
  if (n === null) return 1;
  const cv = o.flags.get('c');
  const c = typeof cv === 'string' ? parseCount(ctx, cv, 'bytes') : null;
  if (typeof cv === 'string' && c === null) return 1;
  const follow = o.flags.has('f') || o.flags.has('F');
  const inputs = yield* readInputs(ctx, o.operands);
  const headers = (inputs.length > 1 && !o.flags.has('q')) || o.flags.has('v');
  let status = 0;
  let ok = 0;
  const sizes = new Map<string, number>();
  inputs.forEach((inp, i) => {
    if (inp.text === null) {
      if (inp.code === 'EISDIR') err(ctx, bb ? `${inp.name}: Is a directory` : `error reading '${inp.name}': Is a directory`);
      else err(ctx, bb ? `can't open '${inp.name}': ${inp.error}` : `cannot open '${inp.name}' for reading: ${inp.error}`);
      status = 1;
      return;
    }
    ok++;
    sizes.set(inp.name, inp.text.length);
    if (headers) ctx.stdout.write(`${i ? '\n' : ''}==> ${inp.name === '-' ? 'standard input' : inp.name} <==\n`);
    if (c !== null) {
      const s = String(cv);
      ctx.stdout.write(s.startsWith('+') ? inp.text.slice(Math.max(0, c - 1)) : inp.text.slice(Math.max(0, inp.text.length - c)));
      return;
    }
    if (nv.startsWith('+')) ctx.stdout.write(inp.text.slice(lineEnd(inp.text, Math.max(0, n - 1))));
    else ctx.stdout.write(inp.text.slice(lastLinesStart(inp.text, n)));
  });
  if (bb && !ok) {
    err(ctx, 'no files');
    return 1;
  }
  const followed = inputs.filter((i) => i.text !== null && i.name !== '-');
  if (!follow || !followed.length) return status;
  // `tail -f`: poll the files once a second until Ctrl-C, printing what was appended.
  let last = followed[followed.length - 1].name;
  for (;;) {
    const r = yield { kind: 'sleep', ms: IDLE_MS };
    if (r?.interrupted) return 130;
    for (const f of followed) {
      let text: string;
      try {
        text = ctx.target.fs.read(resolvePath(ctx, f.name));
      } catch {
        continue;
      }
      const before = sizes.get(f.name) ?? 0;
      if (text.length < before) {
        err(ctx, `${f.name}: file truncated`);
        sizes.set(f.name, 0);
        ctx.stdout.write(text);
      } else if (text.length > before) {
        if (headers && last !== f.name) ctx.stdout.write(`\n==> ${f.name} <==\n`);
        ctx.stdout.write(text.slice(before));
      } else continue;
      last = f.name;
      sizes.set(f.name, text.length);
    }
  }
}

// ---- wc ------------------------------------------------------------------------------------

function* wc(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, { short: 'lwcmL', long: { lines: 'l', words: 'w', bytes: 'c', chars: 'm', 'max-line-length': 'L' } });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  let which = ['l', 'w', 'c', 'm', 'L'].filter((f) => o.flags.has(f));
  if (!which.length) which = ['l', 'w', 'c'];
  const inputs = yield* readInputs(ctx, o.operands);
  const rows: { counts: number[]; name: string }[] = [];
  const total = which.map(() => 0);
  let status = 0;
  let stdinSeen = false;
  let regularBytes = 0;
  for (const inp of inputs) {
    if (inp.name === '-') stdinSeen = true;
    if (inp.text === null) {
      err(ctx, `${inp.name}: ${inp.error}`);
      status = 1;
      if (inp.code !== 'EISDIR') continue;
    }
    const t = inp.text ?? '';
    if (inp.name !== '-') regularBytes += utf8Length(t);
    const counts = which.map((f) => {
      switch (f) {
        case 'l':
          return (t.match(/\n/g) ?? []).length;
        case 'w':
          return t.split(/[ \t\n\r\f\v]+/).filter(Boolean).length;
        case 'c':
          return utf8Length(t);
        case 'm':
          return [...t].length;
        default:
          return Math.max(0, ...t.split('\n').map((l) => l.length));
      }
    });
    counts.forEach((c, i) => (total[i] += c));
    rows.push({ counts, name: inp.name === '-' && !o.operands.length ? '' : inp.name });
  }
  if (rows.length > 1) rows.push({ counts: total, name: 'total' });
  let width: number;
  if (bb) width = which.length === 1 && rows.length === 1 ? 1 : 9;
  else if (which.length === 1 && rows.length === 1) width = 1;
  else if (stdinSeen) width = 7;
  else width = Math.max(1, String(regularBytes).length);
  for (const r of rows) {
    const nums = r.counts.map((c) => String(c).padStart(width)).join(' ');
    ctx.stdout.write(r.name ? `${nums} ${r.name}\n` : `${nums}\n`);
  }
  return status;
}

// ---- sort, uniq ----------------------------------------------------------------------------

interface KeySpec {
  field: number;
  endField: number | null;
  numeric: boolean;
  reverse: boolean;
}

function* sort(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, {
    short: 'nrufk:t:hbcsV',
    long: {
      'numeric-sort': 'n',
      reverse: 'r',
      unique: 'u',
      'ignore-case': 'f',
      'key=': 'k',
      'field-separator=': 't',
      'human-numeric-sort': 'h',
      'version-sort': 'V',
    },
  });
  if (!o) return 2;
  const bb = isBusybox(ctx);
  const sep = o.flags.get('t');
  const keys: KeySpec[] = [];
  for (const k of o.all.get('k') ?? []) {
    const m = /^([0-9]+)(?:\.[0-9]+)?([a-zA-Z]*)(?:,([0-9]+)(?:\.[0-9]+)?([a-zA-Z]*))?$/.exec(k);
    if (!m || Number(m[1]) === 0) {
      err(ctx, bb ? `invalid number '${k}'` : `invalid number at field start: invalid count at start of ${lq(k)}`);
      if (!bb) tryHelp(ctx);
      return 2;
    }
    const mods = (m[2] ?? '') + (m[4] ?? '');
    keys.push({ field: Number(m[1]), endField: m[3] ? Number(m[3]) : null, numeric: mods.includes('n'), reverse: mods.includes('r') });
  }
  const inputs = yield* readInputs(ctx, o.operands);
  let lines: string[] = [];
  for (const inp of inputs) {
    if (inp.text === null) {
      err(
        ctx,
        bb
          ? `${inp.name}: ${inp.error}`
          : inp.code === 'EISDIR'
            ? `read failed: ${inp.name}: ${inp.error}`
            : `cannot read: ${inp.name}: ${inp.error}`,
      );
      return 2;
    }
    lines.push(...splitLines(inp.text));
  }
  const fieldsOf = (line: string): string[] => {
    if (typeof sep === 'string') return line.split(sep);
    // Without -t, a field is a run of blanks followed by non-blanks (leading blanks belong to it).
    return line.match(/[ \t]*[^ \t]+|[ \t]+$/g) ?? [''];
  };
  const keyOf = (line: string, k: KeySpec): string => {
    const f = fieldsOf(line);
    const end = k.endField ?? f.length;
    return f.slice(k.field - 1, end).join(typeof sep === 'string' ? sep : '');
  };
  const num = (s: string): number => {
    const m = /^\s*(-?[0-9]*\.?[0-9]+)/.exec(s);
    return m ? Number(m[1]) : 0;
  };
  const fold = o.flags.has('f');
  const cmpStr = (a: string, b: string): number => {
    if (fold) {
      a = a.toUpperCase();
      b = b.toUpperCase();
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const globalNumeric = o.flags.has('n') || o.flags.has('h');
  const cmp = (a: string, b: string): number => {
    for (const k of keys) {
      const ka = keyOf(a, k);
      const kb = keyOf(b, k);
      let c = k.numeric || globalNumeric ? num(ka) - num(kb) : cmpStr(ka.trimStart(), kb.trimStart());
      if (k.reverse) c = -c;
      if (c) return c;
    }
    if (!keys.length && globalNumeric) {
      const c = num(a) - num(b);
      if (c) return c;
    }
    if (o.flags.has('u') && (keys.length || globalNumeric)) return 0;
    return cmpStr(a, b);
  };
  lines = lines
    .map((l, i) => [l, i] as const)
    .sort((x, y) => cmp(x[0], y[0]) || x[1] - y[1])
    .map(([l]) => l);
  if (o.flags.has('r')) lines.reverse();
  if (o.flags.has('u')) lines = lines.filter((l, i) => i === 0 || cmp(lines[i - 1], l) !== 0);
  ctx.stdout.write(lines.map((l) => l + '\n').join(''));
  return 0;
}

function* uniq(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, { short: 'cdui', long: { count: 'c', repeated: 'd', unique: 'u', 'ignore-case': 'i' } });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  const inputs = yield* readInputs(ctx, o.operands.slice(0, 1));
  const inp = inputs[0];
  if (inp.text === null) {
    err(ctx, bb ? `can't open '${inp.name}': ${inp.error}` : `${inp.name}: ${inp.error}`);
    return 1;
  }
  const same = (a: string, b: string): boolean => (o.flags.has('i') ? a.toLowerCase() === b.toLowerCase() : a === b);
  const groups: { line: string; n: number }[] = [];
  for (const l of splitLines(inp.text)) {
    const g = groups[groups.length - 1];
    if (g && same(g.line, l)) g.n++;
    else groups.push({ line: l, n: 1 });
  }
  let out = '';
  for (const g of groups) {
    if (o.flags.has('d') && g.n < 2) continue;
    if (o.flags.has('u') && g.n > 1) continue;
    out += o.flags.has('c') ? `${String(g.n).padStart(7)} ${g.line}\n` : `${g.line}\n`;
  }
  if (o.operands[1]) ctx.target.fs.write(resolvePath(ctx, o.operands[1]), out);
  else ctx.stdout.write(out);
  return 0;
}

// ---- cut -----------------------------------------------------------------------------------

function parseList(list: string, zeroOk = false): ((n: number) => boolean) | null {
  const parts = list.split(',');
  const ranges: [number, number][] = [];
  for (const p of parts) {
    const m = /^([0-9]*)(-?)([0-9]*)$/.exec(p);
    if (!m || (!m[1] && !m[3])) return null;
    let a = m[1] ? Number(m[1]) : 1;
    if (a === 0 && !zeroOk) return null;
    if (a === 0) a = 1;
    const b = m[2] ? (m[3] ? Number(m[3]) : Infinity) : a;
    ranges.push([a, b]);
  }
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}

function* cut(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, {
    short: 'b:c:d:f:sn',
    long: { 'bytes=': 'b', 'characters=': 'c', 'delimiter=': 'd', 'fields=': 'f', 'only-delimited': 's', 'output-delimiter=': 'O' },
  });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  const mode = (['f', 'c', 'b'] as const).filter((m) => o.flags.has(m));
  if (mode.length !== 1) {
    if (mode.length > 1) err(ctx, bb ? 'only one list may be specified' : 'only one type of list may be specified');
    else err(ctx, bb ? 'expected a list of bytes, characters, or fields' : 'you must specify a list of bytes, characters, or fields');
    if (!bb) tryHelp(ctx);
    return 1;
  }
  const m = mode[0];
  const listText = String(o.flags.get(m));
  const sel = parseList(listText, bb);
  if (!sel) {
    const zero = /(^|[,-])0/.test(listText);
    err(
      ctx,
      bb
        ? `invalid range`
        : zero
          ? m === 'f'
            ? 'fields are numbered from 1'
            : 'byte/character positions are numbered from 1'
          : m === 'f'
            ? 'invalid field range'
            : 'invalid byte or character range',
    );
    if (!bb) tryHelp(ctx);
    return 1;
  }
  const d = o.flags.has('d') ? String(o.flags.get('d')) : '\t';
  if (d.length !== 1) {
    err(ctx, bb ? 'the delimiter must be a single character' : 'the delimiter must be a single character');
    if (!bb) tryHelp(ctx);
    return 1;
  }
  const outDelim = o.flags.has('O') ? String(o.flags.get('O')) : d;
  const inputs = yield* readInputs(ctx, o.operands);
  let status = 0;
  for (const inp of inputs) {
    if (inp.text === null) {
      err(ctx, `${inp.name}: ${inp.error}`);
      status = 1;
      continue;
    }
    let out = '';
    for (const line of splitLines(inp.text)) {
      if (m === 'f') {
        if (!line.includes(d)) {
          if (!o.flags.has('s')) out += line + '\n';
          continue;
        }
        out +=
          line
            .split(d)
            .filter((_f, i) => sel(i + 1))
            .join(outDelim) + '\n';
      } else {
        out += [...line].filter((_c, i) => sel(i + 1)).join('') + '\n';
      }
    }
    ctx.stdout.write(out);
  }
  return status;
}

// ---- tr ------------------------------------------------------------------------------------

const TR_CLASSES: Record<string, string> = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digit: '0123456789',
  space: ' \t\n\r\f\v',
  blank: ' \t',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  alnum: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  xdigit: '0123456789ABCDEFabcdef',
};

function expandSet(s: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s[i];
    if (c === '[' && s[i + 1] === ':') {
      const end = s.indexOf(':]', i + 2);
      if (end > 0 && TR_CLASSES[s.slice(i + 2, end)]) {
        chars.push(...TR_CLASSES[s.slice(i + 2, end)]);
        i = end + 1;
        continue;
      }
    }
    if (c === '\\' && i + 1 < s.length) {
      const n = s[++i];
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(s.slice(i))![0];
        c = String.fromCharCode(parseInt(m, 8));
        i += m.length - 1;
      } else c = map[n] ?? n;
    }
    if (s[i + 1] === '-' && i + 2 < s.length) {
      let end = s[i + 2];
      let skip = 2;
      if (end === '\\' && i + 3 < s.length) {
        end = s[i + 3];
        skip = 3;
      }
      const a = c.charCodeAt(0);
      const b = end.charCodeAt(0);
      if (b >= a && b - a < 65536) {
        for (let x = a; x <= b; x++) chars.push(String.fromCharCode(x));
        i += skip;
        continue;
      }
    }
    chars.push(c);
  }
  return chars;
}

function* tr(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, { short: 'cdsCt', long: { delete: 'd', 'squeeze-repeats': 's', complement: 'c', truncate: 't' } });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  const del = o.flags.has('d');
  const squeeze = o.flags.has('s');
  const need = del || (squeeze && o.operands.length === 1) ? 1 : 2;
  if (o.operands.length < need) {
    if (bb) busyboxUsage(ctx);
    else {
      err(ctx, o.operands.length ? `missing operand after ${q1(o.operands[0])}` : 'missing operand');
      if (o.operands.length) ctx.stderr.write('Two strings must be given when translating.\n');
      tryHelp(ctx);
    }
    return 1;
  }
  const set1 = expandSet(o.operands[0]);
  const set2 = o.operands[1] !== undefined ? expandSet(o.operands[1]) : [];
  const complement = o.flags.has('c') || o.flags.has('C');
  const in1 = (ch: string): boolean => set1.includes(ch) !== complement;
  const input = (yield* readInputs(ctx, []))[0].text ?? '';
  let out = '';
  let prev = '';
  for (const ch of input) {
    let c = ch;
    if (del) {
      if (in1(c)) continue;
    } else if (set2.length && in1(c)) {
      const i = complement ? set2.length - 1 : set1.lastIndexOf(c);
      c = set2[Math.min(i, set2.length - 1)];
    }
    const squeezeSet = del || set2.length ? set2 : set1;
    if (squeeze && c === prev && (del || set2.length ? squeezeSet.includes(c) : in1(c))) continue;
    out += c;
    prev = c;
  }
  ctx.stdout.write(out);
  return 0;
}

function q1(s: string): string {
  return `'${s}'`;
}

// ---- tee, seq, yes -------------------------------------------------------------------------

function* tee(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, { short: 'ai', long: { append: 'a', 'ignore-interrupts': 'i' } });
  if (!o) return 1;
  const fs = ctx.target.fs;
  let status = 0;
  const files: string[] = [];
  for (const f of o.operands) {
    const p = resolvePath(ctx, f);
    try {
      if (!o.flags.has('a') || !fs.exists(p)) fs.write(p, '');
      files.push(p);
    } catch (e) {
      err(ctx, `${f}: ${e instanceof FsError ? e.text : String(e)}`);
      status = 1;
    }
  }
  const write = (t: string): void => {
    for (const p of files) fs.write(p, t, { append: true });
    ctx.stdout.write(t);
  };
  // Pass interactive input through as it arrives; a pipe's input is complete already.
  for (;;) {
    const t = ctx.stdin.takeAll();
    if (t) write(t);
    if (ctx.stdin.isClosed) break;
    const r = yield { kind: 'input' };
    if (r?.interrupted) return 130;
  }
  return status;
}

function seq(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const bb = isBusybox(ctx);
  let sepr = '\n';
  let equal = false;
  const nums: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s') sepr = args[++i] ?? '\n';
    else if (a.startsWith('-s') && a.length > 2) sepr = a.slice(2);
    else if (a === '-w') equal = true;
    else if (/^-[^0-9.]/.test(a)) {
      err(ctx, `invalid option -- '${a[1]}'`);
      tryHelp(ctx);
      return 1;
    } else nums.push(a);
  }
  if (!nums.length || nums.length > 3) {
    if (bb) busyboxUsage(ctx);
    else {
      err(ctx, nums.length ? `extra operand ${q1(nums[3])}` : 'missing operand');
      tryHelp(ctx);
    }
    return 1;
  }
  for (const n of nums) {
    if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/i.test(n)) {
      if (bb) busyboxUsage(ctx);
      else {
        err(ctx, `invalid floating point argument: ${lq(n)}`);
        tryHelp(ctx);
      }
      return 1;
    }
  }
  const [first, inc, last] = nums.length === 1 ? ['1', '1', nums[0]] : nums.length === 2 ? [nums[0], '1', nums[1]] : nums;
  const f = Number(first);
  const s = Number(inc);
  const l = Number(last);
  if (s === 0) {
    err(ctx, bb ? 'invalid increment' : `invalid Zero increment value: ${lq(inc)}`);
    if (!bb) tryHelp(ctx);
    return 1;
  }
  const decimals = Math.max(...[first, inc].map((x) => (x.includes('.') ? x.length - x.indexOf('.') - 1 : 0)));
  const out: string[] = [];
  const count = Math.floor((l - f) / s + 1e-9) + 1;
  if (count > 1_000_000) {
    // Real seq would print them all; the lab caps the output so the page stays responsive.
    err(ctx, 'write error: the lab stops seq after 1000000 numbers');
    return 1;
  }
  for (let i = 0; i < count; i++) out.push((f + i * s).toFixed(decimals));
  const w = equal ? Math.max(...out.map((x) => x.replace('-', '').length)) : 0;
  ctx.stdout.write(out.map((x) => (equal ? x.padStart(w, '0') : x)).join(sepr) + (out.length ? '\n' : ''));
  return 0;
}

function* yes(ctx: CommandContext): Gen {
  const text = (ctx.argv.length > 1 ? ctx.argv.slice(1).join(' ') : 'y') + '\n';
  const chunk = text.repeat(Math.max(1, Math.floor(65536 / text.length)));
  // Into a pipe, `yes` runs until the reader goes away (EPIPE, exit 141). On a terminal or into
  // a file it runs until Ctrl-C: pace it on the clock so it can be interrupted.
  for (let i = 0; ; i++) {
    ctx.stdout.write(chunk);
    if (ctx.stdout.isTty || i % 16 === 15) {
      const r = yield { kind: 'sleep', ms: 100 };
      if (r?.interrupted) return 130;
    }
  }
}

const bin = (name: string): { gnu: string; busybox: string } => ({ gnu: `/usr/bin/${name}`, busybox: `/usr/bin/${name}` });

register({ name: 'grep', run: interruptible(grep), paths: { gnu: '/usr/bin/grep', busybox: '/bin/grep' } });
register({ name: 'egrep', run: interruptible(grep), paths: { gnu: '/usr/bin/egrep', busybox: '/bin/egrep' } });
register({ name: 'fgrep', run: interruptible(grep), paths: { gnu: '/usr/bin/fgrep', busybox: '/bin/fgrep' } });
register({ name: 'head', run: interruptible(head), paths: bin('head') });
register({ name: 'tail', run: interruptible(tail), paths: bin('tail') });
register({ name: 'wc', run: interruptible(wc), paths: bin('wc') });
register({ name: 'sort', run: interruptible(sort), paths: { gnu: '/usr/bin/sort', busybox: '/usr/bin/sort' } });
register({ name: 'uniq', run: interruptible(uniq), paths: bin('uniq') });
register({ name: 'cut', run: interruptible(cut), paths: bin('cut') });
register({ name: 'tr', run: interruptible(tr), paths: bin('tr') });
register({ name: 'tee', run: tee, paths: bin('tee') });
register({ name: 'seq', run: seq, paths: bin('seq') });
register({ name: 'yes', run: yes, paths: bin('yes') });
