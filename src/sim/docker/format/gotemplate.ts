/**
 * Go's text/template (go1.19, as docker/cli 20.10 is built with) for `docker … --format`:
 * lexer (`{{- -}}` trimming, comments, strings, raw strings, chars, numbers), parser (actions,
 * if/else if/else, range (with $i, $v and else), with/else, break/continue, variables,
 * pipelines, parenthesised sub-pipelines, field chains) and executor with Go's builtins (and,
 * or, not, eq, ne, lt, le, gt, ge, len, index, slice, print, printf, println, html, js,
 * urlquery, call) plus the functions docker/cli's templates/templates.go adds.
 *
 * Go values in JS: string, number (ints print as ints), boolean, `null` (nil: `<nil>`),
 * `undefined` (an invalid value: `<no value>`), arrays (slices: `[a b]`), `Map` or plain
 * objects (maps: `map[k:v]`, iterated in sorted key order). A plain object registered with
 * `goStruct(obj, typeName)` is a struct instead: a missing field is an error naming the type,
 * and a function-valued field is a method that may take arguments.
 *
 * Error texts follow text/template/parse and text/template/exec.go:
 * `template: :1: function "foo" not defined`,
 * `template: :1:2: executing "" at <.Foo>: can't evaluate field Foo in type string`.
 */
import { marshal, type JsonValue } from './gojson.ts';

// ---------------------------------------------------------------- values

const structTypes = new WeakMap<object, string>();

/** Marks a plain object as a Go struct of the given type name (e.g. `*formatter.ContainerContext`). */
export function goStruct<T extends object>(obj: T, typeName: string): T {
  structTypes.set(obj, typeName);
  return obj;
}

export function structTypeOf(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? structTypes.get(v) : undefined;
}

/** A number that prints as a Go float (`%v` of float64), e.g. from json.Number-less decoding. */
export class GoFloat {
  constructor(readonly value: number) {}
}

export type GoFunc = (...args: unknown[]) => unknown;
export type FuncMap = Record<string, GoFunc>;

export class TemplateError extends Error {}

/** Go's name for a value's dynamic type, as exec.go prints it in errors. */
export function goTypeName(v: unknown, raw = false): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return raw ? 'json.Number' : Number.isInteger(v) ? 'int' : 'float64';
  if (v instanceof GoFloat) return 'float64';
  if (Array.isArray(v)) {
    if (!raw && v.length > 0 && v.every((x) => typeof x === 'string')) return '[]string';
    return '[]interface {}';
  }
  const st = structTypeOf(v);
  if (st && !raw) return st;
  if (typeof v === 'function') return 'func';
  return raw ? 'map[string]interface {}' : 'map[string]interface {}';
}

/** Whether plain objects are Go structs (typed inspect data) rather than maps; set per execution. */
let plainObjectsAreStructs = false;

function isMap(v: unknown, raw: boolean): v is Map<string, unknown> | Record<string, unknown> {
  if (v instanceof Map) return true;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof GoFloat) return false;
  if (raw) return true;
  return !plainObjectsAreStructs && !structTypes.has(v);
}

function mapKeys(m: Map<string, unknown> | Record<string, unknown>): string[] {
  const keys = m instanceof Map ? [...m.keys()] : Object.keys(m);
  return keys.map(String).sort(goStringLess);
}

function goStringLess(a: string, b: string): number {
  // Go compares strings bytewise; for our (mostly ASCII) keys code-unit order agrees.
  return a < b ? -1 : a > b ? 1 : 0;
}

function mapGet(m: Map<string, unknown> | Record<string, unknown>, k: string): unknown {
  if (m instanceof Map) return m.has(k) ? m.get(k) : undefined;
  return Object.prototype.hasOwnProperty.call(m, k) ? m[k] : undefined;
}

function mapHas(m: Map<string, unknown> | Record<string, unknown>, k: string): boolean {
  return m instanceof Map ? m.has(k) : Object.prototype.hasOwnProperty.call(m, k);
}

/** fmt's %v of a float64: shortest repr, exponent form below 1e-4 or from 1e21. */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const abs = Math.abs(f);
  if (abs < 1e-4 || abs >= 1e21) {
    const [m, e] = f.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}

/** fmt.Sprint of one value (%v). */
export function formatValue(v: unknown, raw = false, top = true): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatGoFloat(v);
  if (v instanceof GoFloat) return formatGoFloat(v.value);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'function') return '0x4a2b40';
  if (Array.isArray(v)) return '[' + v.map((x) => formatValue(x, raw, false)).join(' ') + ']';
  if (isMap(v, raw)) {
    return (
      'map[' +
      mapKeys(v)
        .map((k) => `${k}:${formatValue(mapGet(v, k), raw, false)}`)
        .join(' ') +
      ']'
    );
  }
  const o = v as Record<string, unknown>;
  const fields = Object.keys(o)
    .filter((k) => typeof o[k] !== 'function')
    .map((k) => formatValue(o[k], raw, false));
  return (top ? '&{' : '{') + fields.join(' ') + '}';
}

// ---------------------------------------------------------------- lexer

type ItemType =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'ident'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawstring'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'keyword'
  | 'comment'
  | 'eof'
  | 'error';

interface Item {
  t: ItemType;
  val: string;
  pos: number;
  line: number;
}

const KEYWORDS = new Set(['range', 'if', 'else', 'end', 'with', 'define', 'template', 'block', 'break', 'continue']);

function itemString(i: Item): string {
  if (i.t === 'eof') return 'EOF';
  if (i.t === 'error') return i.val;
  if (i.t === 'keyword') return `<${i.val}>`;
  if (i.val.length > 10) return goQuote(i.val.slice(0, 10)) + '...';
  return goQuote(i.val);
}

/** strconv.Quote for the ASCII texts that show up in error messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string): boolean => /[\p{L}\p{Nd}_]/u.test(c);

function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth: number;
  const emit = (t: ItemType): void => {
    items.push({ t, val: input.slice(start, pos), pos: start, line: startLine });
    start = pos;
    startLine = line;
  };
  const fail = (msg: string): never => {
    items.push({ t: 'error', val: msg, pos: start, line: startLine });
    throw new LexStop();
  };
  const advance = (n: number): void => {
    for (let i = 0; i < n; i++) if (input[pos + i] === '\n') line++;
    pos += n;
  };
  class LexStop extends Error {}
  try {
    for (;;) {
      // lexText
      const x = input.indexOf('{{', pos);
      if (x < 0) {
        advance(input.length - pos);
        if (pos > start) emit('text');
        items.push({ t: 'eof', val: '', pos, line });
        return items;
      }
      let trimLen = 0;
      const hasLeftTrim =
        input.startsWith('{{- ', x) || input.startsWith('{{-\t', x) || input.startsWith('{{-\n', x) || input.startsWith('{{-\r', x);
      advance(x - pos);
      if (hasLeftTrim) {
        // trailing white space of the text before is trimmed
        let end = pos;
        while (end > start && isSpace(input[end - 1])) end--;
        trimLen = pos - end;
      }
      if (pos - trimLen > start) {
        const saveLine = line;
        items.push({ t: 'text', val: input.slice(start, pos - trimLen), pos: start, line: startLine });
        startLine = saveLine;
      }
      start = pos;
      startLine = line;
      // lexLeftDelim
      advance(2);
      if (hasLeftTrim) advance(2);
      const afterMarker = pos;
      if (input.startsWith('/*', pos)) {
        // comment
        const end = input.indexOf('*/', pos + 2);
        if (end < 0) fail('unclosed comment');
        advance(end + 2 - pos);
        let trimAfter = false;
        if (input.startsWith(' -}}', pos) || input.startsWith('\t-}}', pos) || input.startsWith('\n-}}', pos)) {
          trimAfter = true;
          advance(4);
        } else if (input.startsWith('}}', pos)) advance(2);
        else fail('comment ends before closing delimiter');
        start = pos;
        startLine = line;
        if (trimAfter) {
          while (pos < input.length && isSpace(input[pos])) advance(1);
          start = pos;
          startLine = line;
        }
        continue;
      }
      items.push({ t: 'left', val: '{{', pos: afterMarker - (hasLeftTrim ? 4 : 2), line: startLine });
      start = pos;
      startLine = line;
      parenDepth = 0;
      // lexInsideAction
      for (;;) {
        const rightTrim =
          input.startsWith(' -}}', pos) ||
          input.startsWith('\t-}}', pos) ||
          input.startsWith('\n-}}', pos) ||
          input.startsWith('\r-}}', pos);
        if (rightTrim || input.startsWith('}}', pos)) {
          if (parenDepth > 0) fail('unclosed left paren');
          if (rightTrim) {
            advance(1);
            start = pos;
          }
          const rpos = pos;
          advance(rightTrim ? 3 : 2);
          items.push({ t: 'right', val: '}}', pos: rpos, line: startLine });
          start = pos;
          startLine = line;
          if (rightTrim) {
            while (pos < input.length && isSpace(input[pos])) advance(1);
            start = pos;
            startLine = line;
          }
          break;
        }
        if (pos >= input.length) fail('unclosed action');
        const c = input[pos];
        if (isSpace(c)) {
          // go1.16+: newlines are spaces inside actions too
          while (pos < input.length && isSpace(input[pos]) && !input.startsWith('-}}', pos + 1)) advance(1);
          emit('space');
          continue;
        }
        if (c === '=') {
          advance(1);
          emit('assign');
          continue;
        }
        if (c === ':') {
          if (input[pos + 1] !== '=') fail('expected :=');
          advance(2);
          emit('declare');
          continue;
        }
        if (c === '|') {
          advance(1);
          emit('pipe');
          continue;
        }
        if (c === '"') {
          advance(1);
          for (;;) {
            const d = input[pos];
            if (d === '\\') {
              advance(1);
              if (pos >= input.length || input[pos] === '\n') fail('unterminated quoted string');
              advance(1);
              continue;
            }
            if (d === undefined || d === '\n') fail('unterminated quoted string');
            advance(1);
            if (d === '"') break;
          }
          emit('string');
          continue;
        }
        if (c === '`') {
          advance(1);
          const end = input.indexOf('`', pos);
          if (end < 0) fail('unterminated raw quoted string');
          advance(end + 1 - pos);
          emit('rawstring');
          continue;
        }
        if (c === "'") {
          advance(1);
          for (;;) {
            const d = input[pos];
            if (d === '\\') {
              advance(2);
              continue;
            }
            if (d === undefined || d === '\n') fail('unterminated character constant');
            advance(1);
            if (d === "'") break;
          }
          emit('char');
          continue;
        }
        if (c === '$') {
          advance(1);
          while (pos < input.length && isAlnum(input[pos])) advance(1);
          emit('variable');
          continue;
        }
        if (c === '.') {
          const n = input[pos + 1];
          if (n !== undefined && n >= '0' && n <= '9') {
            lexNumber();
            continue;
          }
          advance(1);
          if (n !== undefined && isAlnum(n)) {
            while (pos < input.length && isAlnum(input[pos])) advance(1);
            emit('field');
          } else emit('dot');
          continue;
        }
        if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
          lexNumber();
          continue;
        }
        if (isAlnum(c)) {
          while (pos < input.length && isAlnum(input[pos])) advance(1);
          const word = input.slice(start, pos);
          const next = input[pos];
          if (KEYWORDS.has(word)) emit('keyword');
          else if (word === 'true' || word === 'false') emit('bool');
          else if (word === 'nil') emit('nil');
          else emit('ident');
          if (
            next !== undefined &&
            !(
              isSpace(next) ||
              next === '.' ||
              next === ')' ||
              next === '(' ||
              next === '|' ||
              next === '}' ||
              next === '=' ||
              next === ':' ||
              next === ','
            )
          ) {
            fail(`bad character ${goQuoteRune(next)}`);
          }
          continue;
        }
        if (c === '(') {
          advance(1);
          emit('lparen');
          parenDepth++;
          continue;
        }
        if (c === ')') {
          advance(1);
          emit('rparen');
          parenDepth--;
          if (parenDepth < 0) fail(`unexpected right paren ${goQuoteRune(')')}`);
          continue;
        }
        if (c === ',') {
          advance(1);
          emit('comma');
          continue;
        }
        fail(`unrecognized character in action: ${goQuoteRune(c)}`);
      }
    }
  } catch (e) {
    if (e instanceof LexStop) return items;
    throw e;
  }

  function lexNumber(): void {
    if (input[pos] === '+' || input[pos] === '-') advance(1);
    const m = /^(0[xX][0-9a-fA-F_]+(\.[0-9a-fA-F_]*)?([pP][+-]?\d+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?i?)/.exec(
      input.slice(pos),
    );
    const len = m ? m[0].length : 0;
    advance(len);
    const next = input[pos];
    if (next !== undefined && isAlnum(next)) {
      advance(1);
      fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
    }
    emit('number');
  }
}

/** fmt's %#U: `U+007D '}'`. */
function goQuoteRune(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

// ---------------------------------------------------------------- parse tree

type Node =
  | { k: 'text'; pos: number; text: string }
  | { k: 'action'; pos: number; line: number; pipe: Pipe }
  | { k: 'if' | 'with'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList: Node[] | null }
  | { k: 'range'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList: Node[] | null }
  | { k: 'break' | 'continue'; pos: number; line: number };

interface Pipe {
  pos: number;
  line: number;
  isAssign: boolean;
  decl: { pos: number; name: string }[];
  cmds: Command[];
}

interface Command {
  pos: number;
  args: Arg[];
}

type Arg =
  | { k: 'field'; pos: number; ident: string[] }
  | { k: 'variable'; pos: number; ident: string[] }
  | { k: 'dot'; pos: number }
  | { k: 'nil'; pos: number }
  | { k: 'ident'; pos: number; name: string }
  | { k: 'string'; pos: number; quoted: string; text: string }
  | { k: 'number'; pos: number; text: string; value: number }
  | { k: 'bool'; pos: number; value: boolean }
  | { k: 'pipe'; pos: number; pipe: Pipe }
  | { k: 'chain'; pos: number; node: Arg; field: string[] };

function argString(a: Arg): string {
  switch (a.k) {
    case 'field':
      return '.' + a.ident.join('.');
    case 'variable':
      return a.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'ident':
      return a.name;
    case 'string':
      return a.quoted;
    case 'number':
      return a.text;
    case 'bool':
      return a.value ? 'true' : 'false';
    case 'pipe':
      return '(' + pipeString(a.pipe) + ')';
    case 'chain': {
      const inner = a.node.k === 'pipe' ? argString(a.node) : argString(a.node);
      return inner + '.' + a.field.join('.');
    }
  }
}

function cmdString(c: Command): string {
  return c.args.map(argString).join(' ');
}

function pipeString(p: Pipe): string {
  let s = '';
  if (p.decl.length) s = p.decl.map((d) => d.name).join(', ') + (p.isAssign ? ' = ' : ' := ');
  return s + p.cmds.map(cmdString).join(' | ');
}

function nodeString(n: Node | Arg | Command): string {
  if ('args' in n) return cmdString(n);
  if (n.k === 'action') return `{{${pipeString(n.pipe)}}}`;
  if (n.k === 'if' || n.k === 'with' || n.k === 'range') {
    const els = n.elseList ? '{{else}}' + n.elseList.map(nodeString).join('') : '';
    return `{{${n.k} ${pipeString(n.pipe)}}}${n.list.map(nodeString).join('')}${els}{{end}}`;
  }
  if (n.k === 'text') return n.text;
  if (n.k === 'break' || n.k === 'continue') return `{{${n.k}}}`;
  return argString(n as Arg);
}

/** A parsed template. */
export class Template {
  constructor(
    readonly source: string,
    readonly root: Node[],
    readonly funcs: FuncMap,
    readonly name = '',
  ) {}

  /** Executes with `dot` as data. `missingKey: 'error'` is Option("missingkey=error"). */
  execute(dot: unknown, opts: { missingKey?: 'default' | 'error'; raw?: boolean; funcs?: FuncMap; structs?: boolean } = {}): string {
    const st = new ExecState(this, opts.missingKey ?? 'default', opts.raw ?? false, { ...this.funcs, ...(opts.funcs ?? {}) });
    st.vars.push({ name: '$', value: dot });
    const saved = plainObjectsAreStructs;
    plainObjectsAreStructs = opts.structs ?? false;
    try {
      st.walkList(dot, this.root);
    } finally {
      plainObjectsAreStructs = saved;
    }
    return st.out;
  }
}

class Parser {
  private items: Item[];
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  constructor(
    private readonly src: string,
    private readonly funcs: FuncMap,
    private readonly name: string,
  ) {
    this.items = lex(src);
  }

  private errorf(msg: string, item?: Item): never {
    const it = item ?? this.items[Math.max(0, Math.min(this.i - 1, this.items.length - 1))];
    throw new TemplateError(`template: ${this.name}:${it.line}: ${msg}`);
  }

  private next(): Item {
    const it = this.items[this.i];
    if (this.i < this.items.length - 1) this.i++;
    else this.i = this.items.length;
    return it ?? this.items[this.items.length - 1];
  }
  private peek(): Item {
    return this.items[Math.min(this.i, this.items.length - 1)];
  }
  private backup(): void {
    this.i--;
  }
  private nextNonSpace(): Item {
    let it: Item;
    do it = this.next();
    while (it.t === 'space');
    return it;
  }
  private peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }

  parse(): Node[] {
    const list: Node[] = [];
    for (;;) {
      const it = this.peek();
      if (it.t === 'eof') break;
      const n = this.textOrAction();
      if (n === 'end' || n === 'else') this.errorf(`unexpected {{${n}}}`);
      if (n) list.push(n);
    }
    return list;
  }

  private textOrAction(): Node | 'end' | 'else' | null {
    const it = this.nextNonSpace();
    switch (it.t) {
      case 'text':
        return { k: 'text', pos: it.pos, text: it.val };
      case 'left':
        return this.action();
      case 'error':
        this.errorf(it.val, it);
        break;
      default:
        this.errorf(`unexpected ${itemString(it)} in input`, it);
    }
    return null;
  }

  private action(): Node | 'end' | 'else' | null {
    const it = this.nextNonSpace();
    if (it.t === 'keyword') {
      switch (it.val) {
        case 'end':
          this.expectRight('end');
          return 'end';
        case 'else':
          return this.elseControl();
        case 'if':
          return this.control('if', it);
        case 'with':
          return this.control('with', it);
        case 'range':
          return this.control('range', it);
        case 'break':
        case 'continue': {
          if (this.rangeDepth === 0) this.errorf(`{{${it.val}}} outside {{range}}`, it);
          this.expectRight(it.val);
          return { k: it.val, pos: it.pos, line: it.line };
        }
        default:
          this.errorf(`{{${it.val}}} is not supported by this simulator`, it);
      }
    }
    this.backup();
    const p = this.pipeline('command', 'right');
    return { k: 'action', pos: it.pos, line: it.line, pipe: p };
  }

  private expectRight(ctx: string): void {
    const it = this.nextNonSpace();
    if (it.t !== 'right') this.errorf(`unexpected ${itemString(it)} in ${ctx}`, it);
  }

  private pendingElse: { kind: 'if' | 'with' } | null = null;

  private elseControl(): 'else' {
    const p = this.peekNonSpace();
    if (p.t === 'keyword' && (p.val === 'if' || p.val === 'with')) {
      // "{{else if ...}}" is "{{else}}{{if ...}}…{{end}}{{end}}" (parse.go elseControl)
      this.pendingElse = { kind: p.val };
      this.nextNonSpace();
      return 'else';
    }
    this.expectRight('else');
    this.pendingElse = null;
    return 'else';
  }

  private itemList(): { list: Node[]; end: 'end' | 'else' } {
    const list: Node[] = [];
    for (;;) {
      const it = this.peekNonSpace();
      if (it.t === 'eof') this.errorf('unexpected EOF', it);
      const n = this.textOrAction();
      if (n === 'end' || n === 'else') return { list, end: n };
      if (n) list.push(n);
    }
  }

  private control(kind: 'if' | 'with' | 'range', it: Item): Node {
    const saveVars = this.vars.length;
    const pipe = this.pipeline(kind, 'right');
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${kind}`, it);
    if (kind === 'range') this.rangeDepth++;
    const body = this.itemList();
    const list = body.list;
    let end = body.end;
    if (kind === 'range') this.rangeDepth--;
    let elseList: Node[] | null = null;
    if (end === 'else') {
      const chained = this.pendingElse;
      this.pendingElse = null;
      if (chained && kind !== 'range') {
        // The nested if/with consumes the single {{end}} that closes the whole chain.
        const inner = this.control(chained.kind, this.items[this.i - 1]);
        elseList = [inner];
        end = 'end';
      } else {
        if (chained) this.errorf(`unexpected <${chained.kind}> in range`);
        const r = this.itemList();
        if (r.end === 'else') this.errorf(`expected end; found {{else}}`);
        elseList = r.list;
      }
    }
    void end;
    this.vars.length = saveVars;
    return { k: kind, pos: pipe.pos, line: it.line, pipe, list, elseList } as Node;
  }

  private pipeline(context: string, end: 'right' | 'rparen'): Pipe {
    const first = this.peekNonSpace();
    const pipe: Pipe = { pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    // declarations
    decls: if (first.t === 'variable') {
      const save = this.i;
      const v = this.nextNonSpace();
      const nx = this.nextNonSpace();
      if (nx.t === 'declare' || nx.t === 'assign') {
        pipe.isAssign = nx.t === 'assign';
        pipe.decl.push({ pos: v.pos, name: v.val });
        if (!pipe.isAssign) this.vars.push(v.val);
        else if (!this.vars.includes(v.val)) this.errorf(`undefined variable "${v.val}"`, v);
        break decls;
      }
      if (nx.t === 'comma' && context === 'range') {
        const v2 = this.nextNonSpace();
        const d = this.nextNonSpace();
        if (v2.t === 'variable' && (d.t === 'declare' || d.t === 'assign')) {
          pipe.isAssign = d.t === 'assign';
          pipe.decl.push({ pos: v.pos, name: v.val }, { pos: v2.pos, name: v2.val });
          if (!pipe.isAssign) this.vars.push(v.val, v2.val);
          break decls;
        }
        this.errorf(`range can only initialize variables`, v2);
      }
      this.i = save;
    }
    for (;;) {
      const it = this.nextNonSpace();
      if ((end === 'right' && it.t === 'right') || (end === 'rparen' && it.t === 'rparen')) {
        if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`, it);
        return pipe;
      }
      switch (it.t) {
        case 'bool':
        case 'char':
        case 'dot':
        case 'field':
        case 'ident':
        case 'number':
        case 'nil':
        case 'rawstring':
        case 'string':
        case 'variable':
        case 'lparen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        case 'error':
          this.errorf(it.val, it);
          break;
        default:
          this.errorf(`unexpected ${itemString(it)} in ${context}`, it);
      }
    }
  }

  private command(): Command {
    const cmd: Command = { pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const it = this.next();
      switch (it.t) {
        case 'space':
          continue;
        case 'right':
        case 'rparen':
          this.backup();
          break;
        case 'pipe':
          break;
        case 'error':
          this.errorf(it.val, it);
          break;
        default:
          this.errorf(`unexpected ${itemString(it)} in operand`, it);
      }
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Arg | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().t === 'field') {
      const chain: string[] = [];
      while (this.peek().t === 'field') chain.push(this.next().val.slice(1));
      switch (node.k) {
        case 'field':
          return { k: 'field', pos: node.pos, ident: [...node.ident, ...chain] };
        case 'variable':
          return { k: 'variable', pos: node.pos, ident: [...node.ident, ...chain] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(argString(node))}`);
          break;
        default:
          return { k: 'chain', pos: node.pos, node, field: chain };
      }
    }
    return node;
  }

  private term(): Arg | null {
    const it = this.nextNonSpace();
    switch (it.t) {
      case 'ident':
        if (!(it.val in this.funcs) && !BUILTIN_NAMES.has(it.val)) this.errorf(`function ${goQuote(it.val)} not defined`, it);
        return { k: 'ident', pos: it.pos, name: it.val };
      case 'dot':
        return { k: 'dot', pos: it.pos };
      case 'nil':
        return { k: 'nil', pos: it.pos };
      case 'variable': {
        if (!this.vars.includes(it.val)) this.errorf(`undefined variable ${goQuote(it.val)}`, it);
        return { k: 'variable', pos: it.pos, ident: [it.val] };
      }
      case 'field':
        return { k: 'field', pos: it.pos, ident: [it.val.slice(1)] };
      case 'bool':
        return { k: 'bool', pos: it.pos, value: it.val === 'true' };
      case 'char':
      case 'number': {
        const value = it.t === 'char' ? unquoteChar(it.val) : parseGoNumber(it.val);
        if (value === null) this.errorf(`illegal number syntax: ${goQuote(it.val)}`, it);
        return { k: 'number', pos: it.pos, text: it.val, value };
      }
      case 'lparen': {
        const p = this.pipeline('parenthesized pipeline', 'rparen');
        return { k: 'pipe', pos: it.pos, pipe: p };
      }
      case 'string':
      case 'rawstring': {
        const text = it.t === 'rawstring' ? it.val.slice(1, -1).replace(/\r/g, '') : unquoteString(it.val);
        if (text === null) this.errorf(`invalid syntax`, it);
        return { k: 'string', pos: it.pos, quoted: it.val, text };
      }
    }
    this.backup();
    return null;
  }
}

function parseGoNumber(s: string): number | null {
  const t = s.replace(/_/g, '');
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.replace(/0[xX]/, ''), 16) * (t.startsWith('-') ? -1 : 1);
  if (/^[+-]?0[bB][01]+$/.test(t)) return parseInt(t.replace(/^[+-]?0[bB]/, ''), 2) * (t.startsWith('-') ? -1 : 1);
  if (/^[+-]?0[oO]?[0-7]+$/.test(t) && /^[+-]?0/.test(t) && t.replace(/^[+-]/, '').length > 1)
    return parseInt(t.replace(/^[+-]?0[oO]?/, ''), 8) * (t.startsWith('-') ? -1 : 1);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return null;
}

function unquoteChar(s: string): number | null {
  const inner = unquoteString('"' + s.slice(1, -1).replace(/"/g, '\\"') + '"');
  if (inner === null || [...inner].length !== 1) return null;
  return inner.codePointAt(0)!;
}

function unquoteString(q: string): string | null {
  let out = '';
  const s = q.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (e in simple) out += simple[e];
    else if (e === 'x') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u') {
      out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (e === 'U') {
      out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 9), 16));
      i += 8;
    } else if (e >= '0' && e <= '7') {
      out += String.fromCharCode(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else return null;
  }
  return out;
}

/** Parses `src` with docker's functions (or `funcs`); throws TemplateError with Go's text. */
export function parse(src: string, funcs: FuncMap = dockerFuncs, name = ''): Template {
  const p = new Parser(src, funcs, name);
  return new Template(src, p.parse(), funcs, name);
}

// ---------------------------------------------------------------- execution

class BreakSignal {}
class ContinueSignal {}

const BUILTIN_NAMES = new Set([
  'and',
  'or',
  'not',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'html',
  'js',
  'urlquery',
  'call',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
]);

class ExecState {
  out = '';
  vars: { name: string; value: unknown }[] = [];
  private at: Node | Arg | Command | null = null;

  constructor(
    private readonly tmpl: Template,
    private readonly missingKey: 'default' | 'error',
    private readonly raw: boolean,
    private readonly funcs: FuncMap,
  ) {}

  private errorf(msg: string): never {
    const n = this.at;
    if (n) {
      const pos = n.pos;
      const before = this.tmpl.source.slice(0, pos);
      const line = 1 + (before.match(/\n/g)?.length ?? 0);
      const col = pos - (before.lastIndexOf('\n') + 1);
      const loc = `${line}:${col}`;
      let ctx = nodeString(n);
      if (ctx.length > 20) ctx = ctx.slice(0, 20) + '...';
      throw new TemplateError(`template: ${this.tmpl.name}:${loc}: executing "${this.tmpl.name}" at <${ctx}>: ${msg}`);
    }
    throw new TemplateError(`template: ${this.tmpl.name}: executing "${this.tmpl.name}": ${msg}`);
  }

  private setAt(n: Node | Arg | Command): void {
    this.at = n;
  }

  walkList(dot: unknown, list: Node[]): void {
    for (const n of list) this.walk(dot, n);
  }

  private walk(dot: unknown, n: Node): void {
    this.setAt(n);
    switch (n.k) {
      case 'text':
        this.out += n.text;
        return;
      case 'action': {
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.printValue(n, v);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, n.pipe);
        const t = this.truth(v);
        if (t) this.walkList(n.k === 'with' ? v : dot, n.list);
        else if (n.elseList) this.walkList(dot, n.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, n);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private walkRange(dot: unknown, n: Extract<Node, { k: 'range' }>): void {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, n.pipe);
    const mark2 = this.vars.length;
    const one = (key: unknown, elem: unknown): boolean => {
      if (n.pipe.decl.length > 0) {
        if (n.pipe.isAssign) this.assignVar(n.pipe.decl[n.pipe.decl.length === 2 ? 1 : 0].name, elem);
        else this.vars[this.vars.length - 1].value = elem;
      }
      if (n.pipe.decl.length > 1) {
        if (n.pipe.isAssign) this.assignVar(n.pipe.decl[0].name, key);
        else this.vars[this.vars.length - 2].value = key;
      }
      try {
        this.walkList(elem, n.list);
      } catch (e) {
        if (e instanceof BreakSignal) return false;
        if (!(e instanceof ContinueSignal)) throw e;
      }
      this.vars.length = mark2;
      return true;
    };
    let any = false;
    if (Array.isArray(val)) {
      for (let i = 0; i < val.length; i++) {
        any = true;
        if (!one(i, val[i])) break;
      }
    } else if (isMap(val, this.raw)) {
      for (const k of mapKeys(val)) {
        any = true;
        if (!one(k, mapGet(val, k))) break;
      }
    } else if (typeof val === 'number' && Number.isInteger(val)) {
      this.setAt(n);
      this.errorf(`range can't iterate over ${formatValue(val, this.raw)}`);
    } else if (val === undefined || val === null) {
      // ranging over nil does nothing (invalid value: nothing either)
    } else {
      this.setAt(n);
      this.errorf(`range can't iterate over ${formatValue(val, this.raw)}`);
    }
    if (!any && n.elseList) this.walkList(dot, n.elseList);
    this.vars.length = mark;
  }

  private assignVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  private truth(v: unknown): boolean {
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') return v.length > 0;
    if (typeof v === 'number') return v !== 0;
    if (v instanceof GoFloat) return v.value !== 0;
    if (Array.isArray(v)) return v.length > 0;
    if (v instanceof Map) return v.size > 0;
    if (isMap(v, this.raw)) return Object.keys(v).length > 0;
    return true;
  }

  private evalPipeline(dot: unknown, pipe: Pipe): unknown {
    let value: unknown = undefined;
    let hasFinal = false;
    for (const c of pipe.cmds) {
      value = this.evalCommand(dot, c, hasFinal, value);
      hasFinal = true;
    }
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.assignVar(d.name, value);
      else this.vars.push({ name: d.name, value });
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: Command, hasFinal: boolean, final: unknown): unknown {
    const first = cmd.args[0];
    this.setAt(first);
    switch (first.k) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, hasFinal, final);
      case 'chain': {
        const recv = this.evalArg(dot, first.node);
        return this.evalFieldChain(dot, recv, first, first.field, cmd.args, hasFinal, final);
      }
      case 'ident':
        return this.evalFunction(dot, first, cmd, cmd.args, hasFinal, final);
      case 'pipe':
        this.notAFunction(cmd.args, hasFinal);
        return this.evalPipeline(dot, first.pipe);
      case 'variable': {
        const v = this.varValue(first.ident[0]);
        if (first.ident.length === 1) {
          this.notAFunction(cmd.args, hasFinal);
          return v;
        }
        return this.evalFieldChain(dot, v, first, first.ident.slice(1), cmd.args, hasFinal, final);
      }
    }
    this.notAFunction(cmd.args, hasFinal);
    switch (first.k) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
        break;
      case 'number':
        return first.value;
      case 'string':
        return first.text;
    }
    this.errorf(`can't evaluate command ${goQuote(argString(first))}`);
  }

  private notAFunction(args: Arg[], hasFinal: boolean): void {
    if (args.length > 1 || hasFinal) this.errorf(`can't give argument to non-function ${argString(args[0])}`);
  }

  private evalArg(dot: unknown, a: Arg): unknown {
    this.setAt(a);
    switch (a.k) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'field':
        return this.evalFieldChain(dot, dot, a, a.ident, [a], false, undefined);
      case 'variable': {
        const v = this.varValue(a.ident[0]);
        return a.ident.length === 1 ? v : this.evalFieldChain(dot, v, a, a.ident.slice(1), [a], false, undefined);
      }
      case 'pipe':
        return this.evalPipeline(dot, a.pipe);
      case 'ident':
        return this.evalFunction(dot, a, { pos: a.pos, args: [a] }, [a], false, undefined);
      case 'chain': {
        const recv = this.evalArg(dot, a.node);
        return this.evalFieldChain(dot, recv, a, a.field, [a], false, undefined);
      }
      case 'bool':
        return a.value;
      case 'number':
        return a.value;
      case 'string':
        return a.text;
    }
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Arg,
    ident: string[],
    args: Arg[],
    hasFinal: boolean,
    final: unknown,
  ): unknown {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = this.evalField(dot, ident[i], node, [], false, undefined, r);
    return this.evalField(dot, ident[ident.length - 1], node, args, hasFinal, final, r);
  }

  private evalField(dot: unknown, name: string, node: Arg, args: Arg[], hasFinal: boolean, final: unknown, receiver: unknown): unknown {
    this.setAt(node);
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(name)}`);
      return undefined;
    }
    const hasArgs = args.length > 1 || hasFinal;
    if (receiver !== null && typeof receiver === 'object' && !Array.isArray(receiver) && !(receiver instanceof GoFloat)) {
      if (isMap(receiver, this.raw)) {
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        if (!mapHas(receiver, name)) {
          if (this.missingKey === 'error') this.errorf(`map has no entry for key ${goQuote(name)}`);
          return undefined;
        }
        return mapGet(receiver, name);
      }
      const o = receiver as Record<string, unknown>;
      if (name in o) {
        const f = o[name];
        if (typeof f === 'function') {
          const argv = args.slice(1).map((a) => this.evalArg(dot, a));
          if (hasFinal) argv.push(final);
          this.setAt(node);
          return this.callFunc(name, f as GoFunc, argv, f.length);
        }
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return f;
      }
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    this.errorf(`can't evaluate field ${name} in type ${goTypeName(receiver, this.raw)}`);
  }

  private evalFunction(
    dot: unknown,
    node: Extract<Arg, { k: 'ident' }>,
    cmd: Command,
    args: Arg[],
    hasFinal: boolean,
    final: unknown,
  ): unknown {
    const name = node.name;
    this.setAt(node);
    // and/or short-circuit (go1.18+)
    if (name === 'and' || name === 'or') {
      const rest = args.slice(1);
      if (rest.length === 0 && !hasFinal) this.errorf(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: unknown;
      for (const a of rest) {
        v = this.evalArg(dot, a);
        if (name === 'and' ? !this.truth(v) : this.truth(v)) return v;
      }
      if (hasFinal) v = final;
      return v;
    }
    const f = this.funcs[name] ?? (BUILTINS as Record<string, GoFunc>)[name];
    const arity = FUNC_ARITY[name] ?? (this.funcs[name] ? this.funcs[name].length : 0);
    // exec.go evalCall: the argument count is checked first (at the function's name)…
    const [min, max] = Array.isArray(arity) ? arity : [arity, arity];
    const n = args.length - 1 + (hasFinal ? 1 : 0);
    if (n < min || (max !== null && n > max)) {
      const want = max === null ? `at least ${min}` : String(min);
      this.errorf(`wrong number of args for ${name}: want ${want} got ${n}`);
    }
    // …then each argument is evaluated and checked against the parameter type (at the argument)…
    const types = FUNC_TYPES[name];
    const argv: unknown[] = [];
    args.slice(1).forEach((a, i) => {
      const v = this.evalArg(dot, a);
      this.checkType(types, i, v);
      argv.push(v);
    });
    if (hasFinal) {
      this.checkType(types, argv.length, final);
      argv.push(final);
    }
    // …and an error the function returns is reported at the whole command.
    try {
      return f.call(this, ...argv);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      if (e instanceof ArgTypeError) this.errorf(`wrong type for value; expected ${e.expected}; got ${goTypeName(e.got, this.raw)}`);
      if (e instanceof FuncError) {
        this.setAt(cmd);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  /** validateType of exec.go for the declared parameter types of docker's functions. */
  private checkType(types: string[] | undefined, i: number, v: unknown): void {
    const t = types?.[Math.min(i, types.length - 1)];
    if (!t || t === 'any') return;
    const ok =
      t === 'string'
        ? typeof v === 'string'
        : t === 'int'
          ? typeof v === 'number' && Number.isInteger(v)
          : t === '[]string'
            ? Array.isArray(v) && (v.length === 0 || (!this.raw && v.every((x) => typeof x === 'string')))
            : true;
    if (!ok) this.errorf(`wrong type for value; expected ${t}; got ${goTypeName(v, this.raw)}`);
  }

  private callFunc(name: string, f: GoFunc, argv: unknown[], arity: number | [number, number | null]): unknown {
    const [min, max] = Array.isArray(arity) ? arity : [arity, arity];
    if (argv.length < min || (max !== null && argv.length > max)) {
      const want = max === null ? `at least ${min}` : String(min);
      this.errorf(`wrong number of args for ${name}: want ${want} got ${argv.length}`);
    }
    try {
      return f.call(this, ...argv);
    } catch (e) {
      if (e instanceof ArgTypeError) this.errorf(`wrong type for value; expected ${e.expected}; got ${goTypeName(e.got, this.raw)}`);
      if (e instanceof TemplateError) throw e;
      if (e instanceof FuncError) this.errorf(`error calling ${name}: ${e.message}`);
      throw e;
    }
  }

  private printValue(_n: Node, v: unknown): void {
    this.out += formatValue(v, this.raw);
  }
}

/** A Go function's argument had the wrong type. */
export class ArgTypeError extends Error {
  constructor(
    readonly expected: string,
    readonly got: unknown,
  ) {
    super('wrong type');
  }
}

/** A Go function returned a non-nil error. */
export class FuncError extends Error {}

function wantString(v: unknown): string {
  if (typeof v !== 'string') throw new ArgTypeError('string', v);
  return v;
}
function wantInt(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgTypeError('int', v);
  return v;
}
function wantStrings(v: unknown): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string') || (v.length === 0 && false)) throw new ArgTypeError('[]string', v);
  return v as string[];
}

/** The UTF-8 bytes of a string (Go strings are byte sequences). */
function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Decodes UTF-8 bytes; an incomplete trailing sequence becomes U+FFFD as Go prints it. */
function utf8Decode(b: number[]): string {
  let out = '';
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (i + n > b.length) {
      out += '\uFFFD';
      break;
    }
    let cp = n === 1 ? c : c & (0xff >> (n + 1));
    for (let j = 1; j < n; j++) cp = (cp << 6) | (b[i + j] & 63);
    out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}

// --- comparison (exec/funcs.go)
type Kind = 'bool' | 'int' | 'float' | 'string' | 'nil' | 'other';
function basicKind(v: unknown): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'string') return 'string';
  if (v === null || v === undefined) return 'nil';
  return 'other';
}
function numOf(v: unknown): number {
  return v instanceof GoFloat ? v.value : (v as number);
}
function eqPair(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'other' || kb === 'other') {
    if (ka === 'nil' || kb === 'nil') return false;
    throw new FuncError('incompatible types for comparison');
  }
  if (ka === 'nil' && kb === 'nil') return true;
  if ((ka === 'int' || ka === 'float') && (kb === 'int' || kb === 'float')) return numOf(a) === numOf(b);
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return a === b;
}
function ltPair(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'bool' || ka === 'other' || ka === 'nil' || kb === 'other' || kb === 'nil') throw new FuncError('invalid type for comparison');
  if ((ka === 'int' || ka === 'float') && (kb === 'int' || kb === 'float')) return numOf(a) < numOf(b);
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return (a as string) < (b as string);
}

function lengthOf(v: unknown): number {
  if (typeof v === 'string') return utf8Bytes(v).length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  if (isMap(v, false)) return Object.keys(v).length;
  throw new FuncError(`len of type ${goTypeName(v)}`);
}

function indexOne(item: unknown, idx: unknown): unknown {
  if (item === null || item === undefined) throw new FuncError('index of untyped nil');
  if (Array.isArray(item) || typeof item === 'string') {
    if (typeof idx !== 'number' || !Number.isInteger(idx)) throw new FuncError(`cannot index slice/array with type ${goTypeName(idx)}`);
    const len = typeof item === 'string' ? item.length : item.length;
    if (idx < 0 || idx >= len) throw new FuncError(`index out of range: ${idx}`);
    return typeof item === 'string' ? item.charCodeAt(idx) : item[idx];
  }
  if (isMap(item, false)) {
    if (typeof idx !== 'string') throw new FuncError(`value has type ${goTypeName(idx)}; should be string`);
    const m = item as Map<string, unknown> | Record<string, unknown>;
    // a missing key gives the zero value of the element type: nil for interface{}
    return mapHas(m, idx) ? mapGet(m, idx) : null;
  }
  throw new FuncError(`can't index item of type ${goTypeName(item)}`);
}

/** fmt.Sprint: spaces between operands when neither is a string. */
function sprint(args: unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(args[i]);
  }
  return out;
}

/** fmt.Sprintf for the verbs templates use: %v %s %d %q %t %x %X %f %e %g %c %%, flags - + 0 space #, width, precision. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])/.exec(format.slice(i + 1));
    if (!m) {
      out += '%!(NOVERB)';
      break;
    }
    i += m[0].length;
    const flags = m[1];
    const width = m[2] === '*' ? Number(args[argi++]) : m[2] ? Number(m[2]) : undefined;
    const precision = m[3] === '*' ? Number(args[argi++]) : m[3] !== undefined ? Number(m[3]) : m[0].includes('.') ? 0 : undefined;
    const verb = m[4];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    let s: string;
    const kind = basicKind(a);
    switch (verb) {
      case 'v':
        s = flags.includes('#') && typeof a === 'string' ? goQuote(a) : formatValue(a);
        break;
      case 's':
        s =
          typeof a === 'string'
            ? a
            : Array.isArray(a)
              ? '[' + a.map((x) => formatValue(x)).join(' ') + ']'
              : kind === 'other'
                ? formatValue(a)
                : `%!s(${goTypeName(a)}=${formatValue(a)})`;
        if (precision !== undefined && typeof a === 'string') s = [...s].slice(0, precision).join('');
        break;
      case 'q':
        s = typeof a === 'string' ? goQuote(a) : `%!q(${goTypeName(a)}=${formatValue(a)})`;
        break;
      case 'd':
        s = kind === 'int' ? String(a) : `%!d(${goTypeName(a)}=${formatValue(a)})`;
        if (kind === 'int' && flags.includes('+') && (a as number) >= 0) s = '+' + s;
        break;
      case 't':
        s = kind === 'bool' ? String(a) : `%!t(${goTypeName(a)}=${formatValue(a)})`;
        break;
      case 'x':
      case 'X': {
        if (kind === 'int') s = (a as number).toString(16);
        else if (typeof a === 'string')
          s = utf8Bytes(a)
            .map((b) => b.toString(16).padStart(2, '0'))
            .join('');
        else s = `%!${verb}(${goTypeName(a)}=${formatValue(a)})`;
        if (verb === 'X') s = s.toUpperCase();
        break;
      }
      case 'c':
        s = kind === 'int' ? String.fromCodePoint(a as number) : `%!c(${goTypeName(a)}=${formatValue(a)})`;
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'g': {
        if (kind !== 'int' && kind !== 'float') {
          s = `%!${verb}(${goTypeName(a)}=${formatValue(a)})`;
          break;
        }
        if (kind === 'int') {
          s = `%!${verb}(int=${a})`;
          break;
        }
        const n = numOf(a);
        if (verb === 'e') s = n.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
        else if (verb === 'g') s = precision !== undefined ? String(Number(n.toPrecision(precision))) : formatGoFloat(n);
        else s = n.toFixed(precision ?? 6);
        break;
      }
      default:
        s = `%!${verb}(${goTypeName(a)}=${formatValue(a)})`;
    }
    if (width !== undefined && [...s].length < width) {
      const pad = width - [...s].length;
      if (flags.includes('-')) s = s + ' '.repeat(pad);
      else if (flags.includes('0') && (verb === 'd' || verb === 'f' || verb === 'x')) {
        const neg = s.startsWith('-') || s.startsWith('+');
        s = neg ? s[0] + '0'.repeat(pad) + s.slice(1) : '0'.repeat(pad) + s;
      } else s = ' '.repeat(pad) + s;
    }
    out += s;
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) => `${goTypeName(a)}=${formatValue(a)}`)
        .join(', ') +
      ')';
  }
  return out;
}

const htmlEscape = (s: string): string =>
  s.replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c]!);

const BUILTINS = {
  not: (v: unknown): boolean => !truthOf(v),
  len: (v: unknown): number => lengthOf(v),
  index: (item: unknown, ...idx: unknown[]): unknown => idx.reduce((acc, i) => indexOne(acc, i), item),
  slice: (item: unknown, ...idx: unknown[]): unknown => {
    if (typeof item === 'string' || Array.isArray(item)) {
      const [i = 0, j = item.length] = idx as number[];
      if (i < 0 || j > item.length || i > j) throw new FuncError(`index out of range: ${j > item.length ? j : i}`);
      return item.slice(i, j);
    }
    throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  },
  print: (...a: unknown[]): string => sprint(a),
  println: (...a: unknown[]): string => a.map((x) => formatValue(x)).join(' ') + '\n',
  printf: (f: unknown, ...a: unknown[]): string => sprintf(wantString(f), a),
  html: (...a: unknown[]): string => htmlEscape(sprint(a)),
  js: (...a: unknown[]): string =>
    sprint(a).replace(
      /[\\'"<>&=\n\r\t]/g,
      (c) =>
        ({
          '\\': '\\\\',
          "'": "\\'",
          '"': '\\"',
          '<': '\\u003C',
          '>': '\\u003E',
          '&': '\\u0026',
          '=': '\\u003D',
          '\n': '\\n',
          '\r': '\\r',
          '\t': '\\t',
        })[c]!,
    ),
  urlquery: (...a: unknown[]): string =>
    encodeURIComponent(sprint(a))
      .replace(/%20/g, '+')
      .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()),
  call: (fn: unknown, ...a: unknown[]): unknown => {
    if (typeof fn !== 'function') throw new FuncError(`non-function of type ${goTypeName(fn)}`);
    return (fn as GoFunc)(...a);
  },
  eq: (a: unknown, ...bs: unknown[]): boolean => {
    for (const b of bs) if (eqPair(a, b)) return true;
    return false;
  },
  ne: (a: unknown, b: unknown): boolean => !eqPair(a, b),
  lt: (a: unknown, b: unknown): boolean => ltPair(a, b),
  le: (a: unknown, b: unknown): boolean => ltPair(a, b) || eqPair(a, b),
  gt: (a: unknown, b: unknown): boolean => !ltPair(a, b) && !eqPair(a, b),
  ge: (a: unknown, b: unknown): boolean => !ltPair(a, b),
};

function truthOf(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (isMap(v, false)) return Object.keys(v).length > 0;
  return true;
}

/** Parameter types of docker's functions (templates.go) and the typed builtins; the last repeats. */
const FUNC_TYPES: Record<string, string[]> = {
  split: ['string', 'string'],
  join: ['[]string', 'string'],
  title: ['string'],
  lower: ['string'],
  upper: ['string'],
  pad: ['string', 'int', 'int'],
  truncate: ['string', 'int'],
  printf: ['string', 'any'],
};

/** Arity of builtins and docker's functions: n, or [min, max|null]. */
const FUNC_ARITY: Record<string, number | [number, number | null]> = {
  not: 1,
  len: 1,
  index: [1, null],
  slice: [1, 4],
  print: [0, null],
  println: [0, null],
  printf: [1, null],
  html: [0, null],
  js: [0, null],
  urlquery: [0, null],
  call: [1, null],
  eq: [1, null],
  ne: 2,
  lt: 2,
  le: 2,
  gt: 2,
  ge: 2,
  json: 1,
  split: 2,
  join: 2,
  title: 1,
  lower: 1,
  upper: 1,
  pad: 3,
  truncate: 2,
};

/** strings.Title (deprecated in Go, used by docker): upper-cases the first letter of each word. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const isSep = !/[\p{L}\p{N}_']/u.test(prev);
    out += isSep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

/** docker/cli templates/templates.go basicFunctions. */
export const dockerFuncs: FuncMap = {
  json: (v: unknown): string => marshal(toJson(v), { escapeHTML: false }).trim(),
  split: (s: unknown, sep: unknown): string[] => {
    const str = wantString(s);
    const sp = wantString(sep);
    if (sp === '') return [...str];
    return str.split(sp);
  },
  join: (a: unknown, sep: unknown): string => wantStrings(a).join(wantString(sep)),
  title: (s: unknown): string => title(wantString(s)),
  lower: (s: unknown): string => wantString(s).toLowerCase(),
  upper: (s: unknown): string => wantString(s).toUpperCase(),
  pad: (s: unknown, prefix: unknown, suffix: unknown): string => {
    const str = wantString(s);
    const p = wantInt(prefix);
    const q = wantInt(suffix);
    return str === '' ? str : ' '.repeat(p) + str + ' '.repeat(q);
  },
  truncate: (s: unknown, n: unknown): string => {
    const str = wantString(s);
    const len = wantInt(n);
    const bytes = utf8Bytes(str);
    if (bytes.length < len) return str;
    return utf8Decode(bytes.slice(0, len));
  },
};

/** HeaderFunctions of templates.go: the header row keeps the column names intact. */
export const headerFuncs: FuncMap = {
  json: (v: unknown): string => wantString(v),
  split: (v: unknown): string => wantString(v),
  join: (v: unknown): string => wantString(v),
  title: (v: unknown): string => wantString(v),
  lower: (v: unknown): string => wantString(v),
  upper: (v: unknown): string => wantString(v),
  truncate: (v: unknown): string => wantString(v),
};

function toJson(v: unknown): JsonValue {
  if (v === undefined) return null;
  if (v instanceof GoFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), toJson(x)]));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') o[k] = toJson(x);
    return o;
  }
  return v as JsonValue;
}
