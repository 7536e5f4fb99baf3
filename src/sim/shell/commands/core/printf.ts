/**
 * printf(1) formatting, shared by the bash/ash builtin and /usr/bin/printf: `%s %d %i %u %x %X
 * %o %c %f %e %g %b %%` with flags, width and precision (also `*`), the format reused until the
 * arguments run out, backslash escapes in the format. Follows bash's builtins/printf.def.
 */

export interface PrintfResult {
  out: string;
  /** Diagnostics (`invalid number`), without the program prefix. */
  errors: string[];
  /** `\c` in a %b argument stops all output. */
}

function unescape(s: string, inB: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      e: '\x1b',
      E: '\x1b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (n in simple && !(inB && (n === '"' || n === "'"))) out += simple[n];
    else if (n === 'c' && inB) return { text: out, stop: true };
    else if (/[0-7]/.test(n) || (inB && n === '0')) {
      const m = /^[0-7]{1,3}/.exec(s.slice(inB && n === '0' ? i + 1 : i));
      const digits = m ? m[0] : '';
      out += String.fromCharCode(parseInt(digits || '0', 8) & 0xff);
      i += (inB && n === '0' ? 1 : 0) + digits.length - 1;
      if (inB && n === '0' && !digits) i -= 0;
    } else if (n === 'x' && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else out += '\\' + n;
  }
  return { text: out, stop: false };
}

function toNumber(arg: string | undefined, errors: string[]): number {
  if (arg === undefined || arg === '') return 0;
  if (/^['"]/.test(arg)) return arg.length > 1 ? arg.codePointAt(1)! : 0;
  const t = arg.trim();
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]/, ''), 16);
  if (/^[+-]?0[0-7]+$/.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]/, ''), 8);
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return Number(t);
  // Not a number: the valid prefix counts, with a complaint (printf(1): "invalid number").
  errors.push(`${arg}: invalid number`);
  const m = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(t);
  return m ? Number(m[0]) : 0;
}

function pad(s: string, flags: string, width: number, numeric: boolean): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (numeric && flags.includes('0')) {
    const sign = /^[+ -]/.test(s) ? s[0] : '';
    const prefix = /^[+ -]?0[xX]/.test(s) ? s.slice(sign.length, sign.length + 2) : '';
    const rest = s.slice(sign.length + prefix.length);
    return sign + prefix + rest.padStart(width - sign.length - prefix.length, '0');
  }
  return s.padStart(width);
}

export function formatPrintf(format: string, args: string[]): PrintfResult {
  const errors: string[] = [];
  let out = '';
  let ai = 0;
  const next = (): string | undefined => args[ai++];
  const spec = /%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([hlLqjzt]*)([a-zA-Z%])/y;
  let guard = 0;
  do {
    const startAi = ai;
    let i = 0;
    while (i < format.length) {
      const c = format[i];
      if (c === '\\') {
        const end = format[i + 1] === 'x' ? i + 4 : format[i + 1] && /[0-7]/.test(format[i + 1]) ? i + 4 : i + 2;
        let j = Math.min(end, format.length);
        // Only take the characters that belong to this escape.
        const piece = format.slice(i, j);
        const m = /^\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/s.exec(piece);
        j = i + (m ? m[0].length : 1);
        out += unescape(format.slice(i, j), false).text;
        i = j;
        continue;
      }
      if (c !== '%') {
        out += c;
        i++;
        continue;
      }
      spec.lastIndex = i;
      const m = spec.exec(format);
      if (!m) {
        errors.push(`\`${format.slice(i + 1, i + 2) || '%'}': missing format character`);
        out += format.slice(i);
        return { out, errors };
      }
      i = spec.lastIndex;
      const [, flags, w, p, , conv] = m;
      if (conv === '%') {
        out += '%';
        continue;
      }
      const width = w === '*' ? toNumber(next(), errors) : w ? Number(w) : 0;
      const precRaw = p === '*' ? String(toNumber(next(), errors)) : p;
      const prec = precRaw === undefined ? undefined : Number(precRaw || 0);
      const fl = width < 0 ? flags + '-' : flags;
      const wd = Math.abs(width);
      const arg = next();
      switch (conv) {
        case 's': {
          let s = arg ?? '';
          if (prec !== undefined) s = s.slice(0, prec);
          out += pad(s, fl, wd, false);
          break;
        }
        case 'b': {
          const r = unescape(arg ?? '', true);
          let s = r.text;
          if (prec !== undefined) s = s.slice(0, prec);
          out += pad(s, fl, wd, false);
          if (r.stop) return { out, errors };
          break;
        }
        case 'c':
          out += pad((arg ?? '').slice(0, 1), fl, wd, false);
          break;
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
          let n = Math.trunc(toNumber(arg, errors));
          if (conv === 'u' && n < 0) n = Number(BigInt.asUintN(64, BigInt(n)));
          let s: string;
          const neg = n < 0 && conv !== 'x' && conv !== 'X' && conv !== 'o';
          const abs = neg ? -n : n;
          const un = n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n);
          if (conv === 'x') s = un.toString(16);
          else if (conv === 'X') s = un.toString(16).toUpperCase();
          else if (conv === 'o') s = un.toString(8);
          else s = String(abs);
          if (prec !== undefined) s = s.padStart(prec, '0');
          if (fl.includes('#') && n !== 0) s = (conv === 'x' ? '0x' : conv === 'X' ? '0X' : conv === 'o' ? '0' : '') + s;
          const sign = neg ? '-' : fl.includes('+') ? '+' : fl.includes(' ') ? ' ' : '';
          out += pad(sign + s, prec !== undefined ? fl.replace('0', '') : fl, wd, true);
          break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G': {
          const n = toNumber(arg, errors);
          const pr = prec ?? 6;
          let s: string;
          if (conv === 'f' || conv === 'F') s = n.toFixed(pr);
          else if (conv === 'e' || conv === 'E') s = cExp(n, pr);
          else s = cG(n, pr === 0 ? 1 : pr, fl.includes('#'));
          if (conv === 'E' || conv === 'G') s = s.toUpperCase();
          const sign = n >= 0 && fl.includes('+') ? '+' : n >= 0 && fl.includes(' ') ? ' ' : '';
          out += pad(sign + s, fl, wd, true);
          break;
        }
        default:
          errors.push(`%${conv}: invalid format character`);
          return { out, errors };
      }
    }
    if (ai === startAi) break;
    if (++guard > 100_000) break;
  } while (ai < args.length);
  return { out, errors };
}

function cExp(n: number, prec: number): string {
  const s = n.toExponential(prec);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function cG(n: number, prec: number, alt: boolean): string {
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  let s: string;
  if (exp < -4 || exp >= prec) s = cExp(n, prec - 1);
  else s = n.toFixed(Math.max(0, prec - 1 - exp));
  if (!alt) s = s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
  return s;
}
