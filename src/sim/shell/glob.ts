/** Pathname expansion (`*`, `?`, `[...]`) and pattern matching for `case` and `${x#pat}`. */
import type { Vfs } from '../base/vfs.ts';

export function hasGlobChars(s: string): boolean {
  return /[*?[]/.test(s);
}

/** Converts a shell pattern (with `\` escapes) to an anchored regular expression. */
export function patternToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]);
    } else if (c === '*') re += '[^]*';
    else if (c === '?') re += '[^]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      let neg = false;
      if (body[0] === '!' || body[0] === '^') {
        neg = true;
        body = body.slice(1);
      }
      re += `[${neg ? '^' : ''}${bracketItems(body)}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

/**
 * A bracket expression's characters and ranges for a RegExp class. A range whose end sorts
 * before its start matches nothing, as in bash's fnmatch (`[x-?]` is not an error); an empty
 * class matches nothing, and negated (`[!x-?]`) any character.
 */
function bracketItems(body: string): string {
  const esc = (ch: string): string => (/[\\\]^-]/.test(ch) ? '\\' + ch : ch);
  let out = '';
  for (let k = 0; k < body.length; k++) {
    const from = body[k];
    if (body[k + 1] === '-' && k + 2 < body.length) {
      const to = body[k + 2];
      if (from <= to) out += `${esc(from)}-${esc(to)}`;
      k += 2;
    } else out += esc(from);
  }
  return out;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function globMatch(pattern: string, text: string): boolean {
  return patternToRegExp(pattern).test(text);
}

/** Expands a pattern against the file system; sorted matches, or [] when nothing matches. */
export function expandGlob(fs: Vfs, pattern: string, cwd: string): string[] {
  const absolute = pattern.startsWith('/');
  const segs = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let paths: string[] = [absolute ? '/' : ''];
  for (const seg of segs) {
    if (seg === '') continue;
    const next: string[] = [];
    for (const base of paths) {
      const dir = base === '' ? cwd : base;
      if (!hasGlobChars(seg.replace(/\\./g, ''))) {
        const name = seg.replace(/\\(.)/g, '$1');
        const p = join(base, name);
        if (fs.lstat(resolveFrom(p, cwd))) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = fs.list(resolveFrom(dir, cwd));
      } catch {
        continue;
      }
      const re = patternToRegExp(seg);
      for (const n of names) {
        if (n.startsWith('.') && !seg.startsWith('.')) continue;
        if (re.test(n)) next.push(join(base, n));
      }
    }
    paths = next;
    if (!paths.length) return [];
  }
  return paths.sort();
}

function join(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

function resolveFrom(p: string, cwd: string): string {
  return p.startsWith('/') ? p : `${cwd.replace(/\/$/, '')}/${p}`;
}
