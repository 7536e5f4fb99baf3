/**
 * Go's encoding/json as Docker prints with it.
 *
 * - `marshal` is json.Marshal (go1.19, which Docker 20.10 is built with): object keys in the
 *   order given (the daemon marshals structs in field order and maps sorted, so callers build
 *   objects in that order; a JS `Map` is a Go map and is sorted here), `<`, `>`, `&`, U+2028
 *   and U+2029 escaped as `\u003c`…, control characters as `\u00XX` except `\n`, `\r`, `\t`
 *   (go1.19 has no `\b`/`\f` short forms). `escapeHTML: false` is json.Encoder with
 *   SetEscapeHTML(false), which the `{{json}}` template function of docker/cli uses.
 * - `indent` is json.Indent(dst, src, "", "    ") as `docker inspect` applies it to the raw
 *   daemon JSON: empty arrays and objects stay `[]` and `{}`, `null` stays `null`.
 */

export type JsonValue = string | number | boolean | null | undefined | JsonValue[] | { [k: string]: JsonValue } | Map<string, JsonValue>;

export interface MarshalOptions {
  escapeHTML?: boolean;
}

/** A Go string literal as encoding/json writes it. */
export function quote(s: string, escapeHTML = true): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else out += '\\u00' + c.toString(16).padStart(2, '0');
    } else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) {
      out += '\\u00' + c.toString(16);
    } else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else out += ch;
  }
  return out + '"';
}

/** strconv.FormatFloat(f, 'g'-like, -1, 64) as encoding/json's floatEncoder writes numbers. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const abs = Math.abs(n);
  // encoding/json uses 'e' format for exponents < -6 or >= 21, and cleans e-07 into e-7.
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return n
      .toExponential()
      .replace(/e([+-])(\d)$/, 'e$10$2')
      .replace(/e-0(\d)$/, 'e-$1');
  }
  return String(n);
}

export function marshal(v: JsonValue, opts: MarshalOptions = {}): string {
  const esc = opts.escapeHTML ?? true;
  const enc = (x: JsonValue): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return quote(x, esc);
    if (typeof x === 'number') return formatNumber(x);
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (Array.isArray(x)) return '[' + x.map(enc).join(',') + ']';
    if (x instanceof Map) {
      const keys = [...x.keys()].sort();
      return '{' + keys.map((k) => quote(k, esc) + ':' + enc(x.get(k))).join(',') + '}';
    }
    return (
      '{' +
      Object.keys(x)
        .filter((k) => typeof x[k] !== 'function')
        .map((k) => quote(k, esc) + ':' + enc(x[k]))
        .join(',') +
      '}'
    );
  };
  return enc(v);
}

/**
 * json.Indent(dst, src, prefix, indent): re-indents compact or indented JSON text without
 * re-encoding it (so escapes and key order are kept). Empty `[]`/`{}` stay on one line.
 */
export function indent(src: string, prefix = '', ind = '    '): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  let inString = false;
  let escaped = false;
  const newline = (): string => '\n' + prefix + ind.repeat(depth);
  for (const ch of src) {
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (needIndent && ch !== ']' && ch !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '{' || ch === '[') {
      out += ch;
      needIndent = true;
    } else if (ch === ',') {
      out += ch + newline();
    } else if (ch === ':') {
      out += ': ';
    } else if (ch === '}' || ch === ']') {
      if (needIndent) {
        // An empty object or array: json.Indent keeps it compact.
        needIndent = false;
      } else {
        depth--;
        out += newline();
      }
      out += ch;
    } else out += ch;
  }
  return out;
}

/** json.MarshalIndent(v, "", "    "). */
export function marshalIndent(v: JsonValue, prefix = '', ind = '    '): string {
  return indent(marshal(v), prefix, ind);
}
