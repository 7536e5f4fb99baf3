/**
 * awk: a small but real POSIX awk interpreter (mawk on Debian hosts, busybox awk in busybox
 * images): BEGIN/END, pattern-action rules, regex and expression patterns and ranges, fields
 * ($0, $N, $NF, assignment rebuilds $0 with OFS), NR/NF/FNR/FS/OFS/ORS/FILENAME, -F and -v,
 * print/printf (with `>`/`>>` to files), if/while/do/for/for-in, next/exit/break/continue,
 * associative arrays with `in` and delete, string/number semantics, and the common builtins
 * (length, substr, index, split, sub, gsub, match, sprintf, tolower, toupper, int, sqrt...).
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { register } from '../registry.ts';
import { breToJs, busyboxUsage, isBusybox, resolvePath, splitLines } from './common.ts';
import { interruptible, readInputs } from './input.ts';
import { formatPrintf } from './printf.ts';

// ---- lexer ---------------------------------------------------------------------------------

type Tok =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'ere'; v: string }
  | { t: 'name'; v: string }
  | { t: 'func'; v: string }
  | { t: 'kw'; v: string }
  | { t: 'op'; v: string }
  | { t: 'nl' }
  | { t: 'eof' };

const KEYWORDS = new Set([
  'BEGIN',
  'END',
  'if',
  'else',
  'while',
  'for',
  'do',
  'in',
  'next',
  'exit',
  'print',
  'printf',
  'delete',
  'break',
  'continue',
  'getline',
  'function',
  'return',
  'nextfile',
]);
const BUILTINS = new Set([
  'length',
  'substr',
  'index',
  'split',
  'sub',
  'gsub',
  'match',
  'sprintf',
  'tolower',
  'toupper',
  'int',
  'sqrt',
  'exp',
  'log',
  'sin',
  'cos',
  'atan2',
  'rand',
  'srand',
  'system',
  'close',
  'fflush',
]);
const OPS = [
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '^=',
  '==',
  '<=',
  '>=',
  '!=',
  '++',
  '--',
  '&&',
  '||',
  '>>',
  '!~',
  '**',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '!',
  '>',
  '<',
  '|',
  '?',
  ':',
  '~',
  '$',
  '=',
];

export class AwkError extends Error {}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const regexAllowed = (): boolean => {
    const p = toks[toks.length - 1];
    if (!p) return true;
    if (p.t === 'num' || p.t === 'str' || p.t === 'name' || p.t === 'ere') return false;
    if (p.t === 'op' && (p.v === ')' || p.v === ']' || p.v === '$' || p.v === '++' || p.v === '--')) return false;
    if (p.t === 'kw' && p.v === 'getline') return false;
    return true;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      toks.push({ t: 'nl' });
      i++;
      continue;
    }
    if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? (src[i + 1] ?? '') : c)) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?)/.exec(src.slice(i))!;
      toks.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      i += m.length;
      if (KEYWORDS.has(m)) toks.push({ t: 'kw', v: m });
      else if (BUILTINS.has(m)) toks.push({ t: 'func', v: m });
      else toks.push({ t: 'name', v: m });
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\n') throw new AwkError('runaway string constant');
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[++i];
          const map: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            '\\': '\\',
            '"': '"',
            '/': '/',
            a: '\x07',
            b: '\b',
            f: '\f',
            v: '\v',
          };
          if (/[0-7]/.test(n)) {
            const o = /^[0-7]{1,3}/.exec(src.slice(i))![0];
            s += String.fromCharCode(parseInt(o, 8));
            i += o.length;
            continue;
          }
          s += map[n] ?? '\\' + n;
          i++;
          continue;
        }
        s += src[i++];
      }
      if (i >= src.length) throw new AwkError('runaway string constant');
      i++;
      toks.push({ t: 'str', v: s });
      continue;
    }
    if (c === '/' && regexAllowed()) {
      let s = '';
      i++;
      let inBracket = false;
      while (i < src.length && (src[i] !== '/' || inBracket)) {
        if (src[i] === '\n') throw new AwkError('runaway regular expression');
        if (src[i] === '\\' && i + 1 < src.length) {
          s += src[i + 1] === '/' ? '/' : src[i] + src[i + 1];
          i += 2;
          continue;
        }
        if (src[i] === '[') inBracket = true;
        else if (src[i] === ']') inBracket = false;
        s += src[i++];
      }
      if (i >= src.length) throw new AwkError('runaway regular expression');
      i++;
      toks.push({ t: 'ere', v: s });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new AwkError(`syntax error at or near ${c}`);
    toks.push({ t: 'op', v: op === '**' ? '^' : op });
    i += op.length;
  }
  toks.push({ t: 'eof' });
  return toks;
}

// ---- parser --------------------------------------------------------------------------------

type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 're'; re: RegExp }
  | { k: 'var'; name: string }
  | { k: 'field'; e: Expr }
  | { k: 'index'; name: string; keys: Expr[] }
  | { k: 'assign'; op: string; target: Expr; e: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'un'; op: string; e: Expr }
  | { k: 'incdec'; op: string; prefix: boolean; target: Expr }
  | { k: 'match'; neg: boolean; a: Expr; re: Expr }
  | { k: 'in'; keys: Expr[]; name: string }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'ucall'; name: string; args: Expr[] }
  | { k: 'getline' };

type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'print'; args: Expr[]; dest: { op: string; e: Expr } | null }
  | { k: 'printf'; args: Expr[]; dest: { op: string; e: Expr } | null }
  | { k: 'if'; c: Expr; a: Stmt[]; b: Stmt[] | null }
  | { k: 'while'; c: Expr; body: Stmt[] }
  | { k: 'do'; c: Expr; body: Stmt[] }
  | { k: 'for'; init: Stmt | null; c: Expr | null; step: Stmt | null; body: Stmt[] }
  | { k: 'forin'; v: string; arr: string; body: Stmt[] }
  | { k: 'next' }
  | { k: 'exit'; e: Expr | null }
  | { k: 'return'; e: Expr | null }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'delete'; name: string; keys: Expr[] | null }
  | { k: 'block'; body: Stmt[] };

interface Rule {
  kind: 'begin' | 'end' | 'main';
  pattern: Expr | null;
  pattern2: Expr | null;
  inRange: boolean;
  body: Stmt[] | null;
}

interface Program {
  rules: Rule[];
  funcs: Map<string, { params: string[]; body: Stmt[] }>;
}

class Parser {
  private p = 0;
  private noIn = 0;
  private noGt = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.p + o, this.toks.length - 1)];
  }
  private next(): Tok {
    return this.toks[this.p++] ?? { t: 'eof' };
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isKw(v: string): boolean {
    const t = this.peek();
    return t.t === 'kw' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) this.fail();
    this.p++;
  }
  private fail(): never {
    const t = this.peek();
    const near = t.t === 'eof' ? 'end of file' : t.t === 'nl' ? 'end of line' : String((t as { v: unknown }).v);
    throw new AwkError(`syntax error at or near ${near}`);
  }
  private nls(): void {
    while (this.peek().t === 'nl') this.p++;
  }
  private terms(): void {
    while (this.peek().t === 'nl' || this.isOp(';')) this.p++;
  }

  program(): Program {
    const rules: Rule[] = [];
    const funcs = new Map<string, { params: string[]; body: Stmt[] }>();
    this.terms();
    while (this.peek().t !== 'eof') {
      if (this.isKw('function')) {
        this.p++;
        const n = this.next();
        if (n.t !== 'name' && n.t !== 'func') this.fail();
        this.expectOp('(');
        const params: string[] = [];
        while (!this.isOp(')')) {
          const a = this.next();
          if (a.t !== 'name') this.fail();
          params.push(a.v);
          if (this.isOp(',')) this.p++;
        }
        this.p++;
        this.nls();
        funcs.set((n as { v: string }).v, { params, body: this.block() });
      } else if (this.isKw('BEGIN') || this.isKw('END')) {
        const kind = this.next() as { v: string };
        this.nls();
        if (!this.isOp('{')) this.fail();
        rules.push({ kind: kind.v === 'BEGIN' ? 'begin' : 'end', pattern: null, pattern2: null, inRange: false, body: this.block() });
      } else {
        let pattern: Expr | null = null;
        let pattern2: Expr | null = null;
        if (!this.isOp('{')) {
          pattern = this.expr();
          if (this.isOp(',')) {
            this.p++;
            this.nls();
            pattern2 = this.expr();
          }
        }
        const body = this.isOp('{') ? this.block() : null;
        rules.push({ kind: 'main', pattern, pattern2, inRange: false, body });
      }
      this.terms();
    }
    return { rules, funcs };
  }

  private block(): Stmt[] {
    this.expectOp('{');
    const body: Stmt[] = [];
    this.terms();
    while (!this.isOp('}')) {
      if (this.peek().t === 'eof') this.fail();
      body.push(this.stmt());
      this.terms();
    }
    this.p++;
    return body;
  }

  private simpleOrBlock(): Stmt[] {
    this.nls();
    if (this.isOp('{')) return this.block();
    if (this.isOp(';')) {
      this.p++;
      return [];
    }
    return [this.stmt()];
  }

  private stmt(): Stmt {
    const t = this.peek();
    if (t.t === 'op' && t.v === '{') return { k: 'block', body: this.block() };
    if (t.t === 'kw') {
      switch (t.v) {
        case 'if': {
          this.p++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          const a = this.simpleOrBlock();
          const save = this.p;
          this.terms();
          if (this.isKw('else')) {
            this.p++;
            return { k: 'if', c, a, b: this.simpleOrBlock() };
          }
          this.p = save;
          return { k: 'if', c, a, b: null };
        }
        case 'while': {
          this.p++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          return { k: 'while', c, body: this.simpleOrBlock() };
        }
        case 'do': {
          this.p++;
          const body = this.simpleOrBlock();
          this.terms();
          if (!this.isKw('while')) this.fail();
          this.p++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          return { k: 'do', c, body };
        }
        case 'for': {
          this.p++;
          this.expectOp('(');
          const a = this.peek();
          const b = this.peek(1);
          const c2 = this.peek(2);
          if (a.t === 'name' && b.t === 'kw' && b.v === 'in' && c2.t === 'name' && this.peek(3).t === 'op') {
            this.p += 3;
            this.expectOp(')');
            return { k: 'forin', v: a.v, arr: c2.v, body: this.simpleOrBlock() };
          }
          const init = this.isOp(';') ? null : this.simpleStmt();
          this.expectOp(';');
          this.nls();
          const c = this.isOp(';') ? null : this.expr();
          this.expectOp(';');
          this.nls();
          const step = this.isOp(')') ? null : this.simpleStmt();
          this.expectOp(')');
          return { k: 'for', init, c, step, body: this.simpleOrBlock() };
        }
        case 'next':
          this.p++;
          return { k: 'next' };
        case 'break':
          this.p++;
          return { k: 'break' };
        case 'continue':
          this.p++;
          return { k: 'continue' };
        case 'exit':
        case 'return': {
          this.p++;
          const e = this.peek().t === 'nl' || this.isOp(';') || this.isOp('}') || this.peek().t === 'eof' ? null : this.expr();
          return t.v === 'exit' ? { k: 'exit', e } : { k: 'return', e };
        }
        case 'delete': {
          this.p++;
          const n = this.next();
          if (n.t !== 'name') this.fail();
          if (this.isOp('[')) {
            this.p++;
            const keys = this.exprList(']');
            return { k: 'delete', name: n.v, keys };
          }
          return { k: 'delete', name: n.v, keys: null };
        }
      }
    }
    return this.simpleStmt();
  }

  private simpleStmt(): Stmt {
    if (this.isKw('print') || this.isKw('printf')) {
      const kind = (this.next() as { v: string }).v as 'print' | 'printf';
      let args: Expr[] = [];
      this.noGt++;
      if (this.isOp('(')) {
        // `print (a, b)` or `print (a) b`.
        const save = this.p;
        this.p++;
        const list = this.exprList(')');
        if (
          this.peek().t === 'nl' ||
          this.isOp(';') ||
          this.isOp('}') ||
          this.isOp('>') ||
          this.isOp('>>') ||
          this.isOp('|') ||
          this.peek().t === 'eof'
        )
          args = list;
        else {
          this.p = save;
          args = this.printArgs();
        }
      } else if (!(
        this.peek().t === 'nl' ||
        this.isOp(';') ||
        this.isOp('}') ||
        this.isOp('>') ||
        this.isOp('>>') ||
        this.peek().t === 'eof'
      ))
        args = this.printArgs();
      this.noGt--;
      let dest: { op: string; e: Expr } | null = null;
      if (this.isOp('>') || this.isOp('>>') || this.isOp('|')) {
        const op = (this.next() as { v: string }).v;
        dest = { op, e: this.concat() };
      }
      return { k: kind, args, dest };
    }
    return { k: 'expr', e: this.expr() };
  }

  private printArgs(): Expr[] {
    const out = [this.expr()];
    while (this.isOp(',')) {
      this.p++;
      this.nls();
      out.push(this.expr());
    }
    return out;
  }

  private exprList(close: string): Expr[] {
    const out: Expr[] = [];
    this.nls();
    while (!this.isOp(close)) {
      out.push(this.expr());
      this.nls();
      if (this.isOp(',')) {
        this.p++;
        this.nls();
      } else if (!this.isOp(close)) this.fail();
    }
    this.p++;
    return out;
  }

  expr(): Expr {
    return this.ternary();
  }

  private ternary(): Expr {
    const c = this.or();
    if (this.isOp('?')) {
      this.p++;
      this.nls();
      const a = this.ternary();
      this.nls();
      this.expectOp(':');
      this.nls();
      const b = this.ternary();
      return { k: 'cond', c, a, b };
    }
    if (this.peek().t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes((this.peek() as { v: string }).v)) {
      if (c.k === 'var' || c.k === 'field' || c.k === 'index') {
        const op = (this.next() as { v: string }).v;
        this.nls();
        return { k: 'assign', op, target: c, e: this.ternary() };
      }
    }
    return c;
  }

  private or(): Expr {
    let a = this.and();
    while (this.isOp('||')) {
      this.p++;
      this.nls();
      a = { k: 'bin', op: '||', a, b: this.and() };
    }
    return a;
  }

  private and(): Expr {
    let a = this.inExpr();
    while (this.isOp('&&')) {
      this.p++;
      this.nls();
      a = { k: 'bin', op: '&&', a, b: this.inExpr() };
    }
    return a;
  }

  private inExpr(): Expr {
    let a = this.matchExpr();
    while (this.isKw('in') && !this.noIn) {
      this.p++;
      const n = this.next();
      if (n.t !== 'name') this.fail();
      a = { k: 'in', keys: [a], name: n.v };
    }
    return a;
  }

  private matchExpr(): Expr {
    let a = this.comparison();
    while (this.isOp('~') || this.isOp('!~')) {
      const neg = (this.next() as { v: string }).v === '!~';
      a = { k: 'match', neg, a, re: this.comparison() };
    }
    return a;
  }

  private comparison(): Expr {
    const a = this.concat();
    const t = this.peek();
    if (t.t === 'op' && ['<', '<=', '==', '!=', '>=', '>'].includes(t.v) && !(t.v === '>' && this.noGt)) {
      this.p++;
      return { k: 'bin', op: t.v, a, b: this.concat() };
    }
    return a;
  }

  private concat(): Expr {
    let a = this.additive();
    for (;;) {
      const t = this.peek();
      const startsExpr =
        t.t === 'num' ||
        t.t === 'str' ||
        t.t === 'ere' ||
        t.t === 'name' ||
        t.t === 'func' ||
        (t.t === 'op' && ['$', '!', '(', '-', '+', '++', '--'].includes(t.v));
      if (!startsExpr) return a;
      if (t.t === 'op' && (t.v === '-' || t.v === '+')) return a;
      a = { k: 'bin', op: 'concat', a, b: this.additive() };
    }
  }

  private additive(): Expr {
    let a = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.next() as { v: string }).v;
      a = { k: 'bin', op, a, b: this.mul() };
    }
    return a;
  }

  private mul(): Expr {
    let a = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.next() as { v: string }).v;
      a = { k: 'bin', op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.isOp('!')) {
      this.p++;
      return { k: 'un', op: '!', e: this.unary() };
    }
    if (this.isOp('-') || this.isOp('+')) {
      const op = (this.next() as { v: string }).v;
      return { k: 'un', op, e: this.unary() };
    }
    return this.power();
  }

  private power(): Expr {
    const a = this.postfix();
    if (this.isOp('^')) {
      this.p++;
      return { k: 'bin', op: '^', a, b: this.unary() };
    }
    return a;
  }

  private postfix(): Expr {
    if (this.isOp('++') || this.isOp('--')) {
      const op = (this.next() as { v: string }).v;
      return { k: 'incdec', op, prefix: true, target: this.primary() };
    }
    const e = this.primary();
    if ((this.isOp('++') || this.isOp('--')) && (e.k === 'var' || e.k === 'field' || e.k === 'index')) {
      const op = (this.next() as { v: string }).v;
      return { k: 'incdec', op, prefix: false, target: e };
    }
    return e;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { k: 'num', v: t.v };
      case 'str':
        return { k: 'str', v: t.v };
      case 'ere':
        return { k: 're', re: compileAwkRe(t.v) };
      case 'name':
        if (this.isOp('[')) {
          this.p++;
          return { k: 'index', name: t.v, keys: this.exprList(']') };
        }
        if (this.isOp('(') && this.toks[this.p - 1] && this.isCallAdjacent()) {
          this.p++;
          return { k: 'ucall', name: t.v, args: this.exprList(')') };
        }
        return { k: 'var', name: t.v };
      case 'func': {
        if (t.v === 'length' && !this.isOp('(')) return { k: 'call', name: 'length', args: [] };
        this.expectOp('(');
        this.noIn++;
        this.noIn--;
        return { k: 'call', name: t.v, args: this.exprList(')') };
      }
      case 'kw':
        if (t.v === 'getline') return { k: 'getline' };
        break;
      case 'op':
        if (t.v === '$') return { k: 'field', e: this.postfixNoIncr() };
        if (t.v === '(') {
          this.noGt++;
          const save = this.noGt;
          this.noGt = 0;
          const list = this.exprList(')');
          this.noGt = save - 1;
          if (list.length > 1 && this.isKw('in')) {
            this.p++;
            const n = this.next();
            if (n.t !== 'name') this.fail();
            return { k: 'in', keys: list, name: n.v };
          }
          if (list.length !== 1) this.fail();
          return list[0];
        }
        if (t.v === '-' || t.v === '+' || t.v === '!') return { k: 'un', op: t.v, e: this.unary() };
        break;
    }
    this.p--;
    return this.fail();
  }

  private isCallAdjacent(): boolean {
    return true;
  }

  private postfixNoIncr(): Expr {
    if (this.isOp('++') || this.isOp('--')) return this.postfix();
    if (this.isOp('-')) {
      this.p++;
      return { k: 'un', op: '-', e: this.primary() };
    }
    return this.primary();
  }
}

function compileAwkRe(src: string): RegExp {
  try {
    return new RegExp(breToJs(src, true));
  } catch {
    throw new AwkError(`regular expression compile failed (missing operand)\n${src}`);
  }
}

// ---- interpreter ---------------------------------------------------------------------------

class Next extends Error {}
class Exit extends Error {
  constructor(readonly status: number) {
    super('exit');
  }
}
class Break extends Error {}
class Continue extends Error {}
class Return extends Error {
  constructor(readonly value: Value) {
    super('return');
  }
}

/** A value: number, string, or a "strnum" (input that looks numeric compares as a number). */
type Value = number | string | { s: string; n: number };

const STEP_LIMIT = 2_000_000;

function isNumLike(s: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(s);
}

function strnum(s: string): Value {
  return isNumLike(s) ? { s, n: Number(s) } : s;
}

function toNum(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'object') return v.n;
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(v);
  return m ? Number(m[0]) : 0;
}

/** Integers print as integers (mawk: only those that fit in an int; busybox: up to 1e16), others with OFMT/CONVFMT. */
let intLimit = 2 ** 31;

function numToStr(n: number, fmt = '%.6g'): string {
  if (Number.isInteger(n) && Math.abs(n) < intLimit) return String(n);
  return formatPrintf(fmt, [String(n)]).out;
}

/** awk's printf: like printf(1), except that %c of a number prints the character with that code. */
function awkFormat(fmt: string, vals: Value[]): string {
  const convs = [...fmt.matchAll(/%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([a-zA-Z%])/g)].flatMap((m) =>
    m[4] === '%' ? [] : [...(m[2] === '*' ? ['*'] : []), ...(m[3] === '*' ? ['*'] : []), m[4]],
  );
  const args = vals.map((v, i) => {
    const conv = convs[i % Math.max(1, convs.length)];
    if (conv === 'c' && typeof v === 'number') return String.fromCharCode(v);
    return typeof v === 'number' ? numToStr(v, '%.17g') : toStr(v);
  });
  return formatPrintf(fmt, args).out;
}

function toStr(v: Value, convfmt = '%.6g'): string {
  if (typeof v === 'number') return numToStr(v, convfmt);
  if (typeof v === 'object') return v.s;
  return v;
}

function truthy(v: Value): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'object') return v.n !== 0;
  return v !== '';
}

class Interp {
  vars = new Map<string, Value>();
  arrays = new Map<string, Map<string, Value>>();
  fields: string[] = [''];
  out: string[] = [];
  steps = 0;
  files = new Map<string, string>();
  private rng = 0;
  private locals: Map<string, Value | Map<string, Value>>[] = [];

  constructor(
    readonly prog: Program,
    readonly ctx: CommandContext,
  ) {
    for (const [k, v] of [
      ['FS', ' '],
      ['OFS', ' '],
      ['ORS', '\n'],
      ['RS', '\n'],
      ['NR', 0],
      ['NF', 0],
      ['FNR', 0],
      ['SUBSEP', '\x1c'],
      ['FILENAME', ''],
      ['CONVFMT', '%.6g'],
      ['OFMT', '%.6g'],
      ['RSTART', 0],
      ['RLENGTH', -1],
    ] as [string, Value][])
      this.vars.set(k, v);
    const env = new Map<string, Value>();
    for (const [k, v] of ctx.env) env.set(k, strnum(v));
    this.arrays.set('ENVIRON', env);
  }

  tick(): void {
    if (++this.steps > STEP_LIMIT) throw new AwkError('the lab stopped this awk program after 2000000 steps');
    // A thousand awk steps cost the shell one, so a loop of busy awks stops too.
    if (this.steps % 1000 === 0) this.ctx.shell.charge(1);
  }

  setRecord(line: string): void {
    this.fields = [line, ...this.split(line, toStr(this.vars.get('FS')!))];
    this.vars.set('NF', this.fields.length - 1);
  }

  split(s: string, fs: string): string[] {
    if (fs === ' ') return s.split(/[ \t\n]+/).filter(Boolean);
    if (s === '') return [];
    if (fs.length === 1 && fs !== '\\') return s.split(fs);
    return s.split(new RegExp(breToJs(fs, true)));
  }

  private rebuild(): void {
    const nf = toNum(this.vars.get('NF')!);
    this.fields.length = nf + 1;
    for (let i = 1; i <= nf; i++) if (this.fields[i] === undefined) this.fields[i] = '';
    this.fields[0] = this.fields.slice(1).join(toStr(this.vars.get('OFS')!));
  }

  private array(name: string): Map<string, Value> {
    const local = this.locals[this.locals.length - 1];
    if (local?.has(name)) {
      const v = local.get(name);
      if (v instanceof Map) return v;
      const m = new Map<string, Value>();
      local.set(name, m);
      return m;
    }
    let a = this.arrays.get(name);
    if (!a) {
      a = new Map();
      this.arrays.set(name, a);
    }
    return a;
  }

  private getVar(name: string): Value {
    const local = this.locals[this.locals.length - 1];
    if (local?.has(name)) {
      const v = local.get(name)!;
      return v instanceof Map ? '' : v;
    }
    return this.vars.get(name) ?? '';
  }

  private setVar(name: string, v: Value): void {
    const local = this.locals[this.locals.length - 1];
    if (local?.has(name)) {
      local.set(name, v);
      return;
    }
    this.vars.set(name, v);
    if (name === 'NF') this.rebuild();
  }

  private key(keys: Expr[]): string {
    return keys.map((k) => toStr(this.eval(k))).join(toStr(this.vars.get('SUBSEP')!));
  }

  private assignTo(target: Expr, v: Value): void {
    if (target.k === 'var') this.setVar(target.name, v);
    else if (target.k === 'index') this.array(target.name).set(this.key(target.keys), v);
    else if (target.k === 'field') {
      const i = Math.trunc(toNum(this.eval(target.e)));
      if (i < 0) throw new AwkError(`trying to access out of range field ${i}`);
      const s = toStr(v);
      if (i === 0) this.setRecord(s);
      else {
        while (this.fields.length <= i) this.fields.push('');
        this.fields[i] = s;
        if (i > toNum(this.vars.get('NF')!)) this.vars.set('NF', i);
        this.rebuild();
      }
    }
  }

  private regexOf(e: Expr): RegExp {
    if (e.k === 're') return e.re;
    return compileAwkRe(toStr(this.eval(e)));
  }

  eval(e: Expr): Value {
    this.tick();
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 're':
        return e.re.test(this.fields[0]) ? 1 : 0;
      case 'var':
        return this.getVar(e.name);
      case 'field': {
        const i = Math.trunc(toNum(this.eval(e.e)));
        if (i < 0) throw new AwkError(`trying to access out of range field ${i}`);
        const f = this.fields[i];
        return f === undefined ? '' : strnum(f);
      }
      case 'index':
        return this.array(e.name).get(this.key(e.keys)) ?? (this.array(e.name).set(this.key(e.keys), ''), '');
      case 'in':
        return this.array(e.name).has(this.key(e.keys)) ? 1 : 0;
      case 'assign': {
        let v = this.eval(e.e);
        if (e.op !== '=') v = this.arith(e.op[0], this.eval(e.target), v);
        else if (typeof v === 'object') v = { ...v };
        this.assignTo(e.target, v);
        return v;
      }
      case 'cond':
        return truthy(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b);
      case 'un': {
        const v = this.eval(e.e);
        if (e.op === '!') return truthy(v) ? 0 : 1;
        return e.op === '-' ? -toNum(v) : toNum(v);
      }
      case 'incdec': {
        const old = toNum(this.eval(e.target));
        const nv = e.op === '++' ? old + 1 : old - 1;
        this.assignTo(e.target, nv);
        return e.prefix ? nv : old;
      }
      case 'match': {
        const r = this.regexOf(e.re).test(toStr(this.eval(e.a)));
        return r !== e.neg ? 1 : 0;
      }
      case 'bin':
        return this.binary(e);
      case 'call':
        return this.call(e.name, e.args);
      case 'ucall':
        return this.userCall(e.name, e.args);
      case 'getline':
        return 0;
    }
  }

  private arith(op: string, a: Value, b: Value): number {
    const x = toNum(a);
    const y = toNum(b);
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (y === 0) throw new AwkError('division by zero');
        return x / y;
      case '%':
        if (y === 0) throw new AwkError('division by zero in %');
        return x % y;
      case '^':
        return Math.pow(x, y);
    }
    return 0;
  }

  private binary(e: Extract<Expr, { k: 'bin' }>): Value {
    if (e.op === '&&') return truthy(this.eval(e.a)) && truthy(this.eval(e.b)) ? 1 : 0;
    if (e.op === '||') return truthy(this.eval(e.a)) || truthy(this.eval(e.b)) ? 1 : 0;
    const a = this.eval(e.a);
    const b = this.eval(e.b);
    if (e.op === 'concat') return toStr(a, toStr(this.vars.get('CONVFMT')!)) + toStr(b, toStr(this.vars.get('CONVFMT')!));
    if (['<', '<=', '==', '!=', '>=', '>'].includes(e.op)) {
      const numeric = typeof a !== 'string' && typeof b !== 'string';
      let c: number;
      if (numeric) c = toNum(a) - toNum(b);
      else {
        const x = toStr(a);
        const y = toStr(b);
        c = x < y ? -1 : x > y ? 1 : 0;
      }
      const r =
        e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '==' ? c === 0 : e.op === '!=' ? c !== 0 : e.op === '>=' ? c >= 0 : c > 0;
      return r ? 1 : 0;
    }
    return this.arith(e.op, a, b);
  }

  private call(name: string, args: Expr[]): Value {
    const s = (i: number): string => (args[i] ? toStr(this.eval(args[i])) : this.fields[0]);
    const n = (i: number): number => toNum(this.eval(args[i]));
    switch (name) {
      case 'length': {
        if (
          args[0]?.k === 'var' &&
          (this.arrays.has(args[0].name) || this.locals[this.locals.length - 1]?.get(args[0].name) instanceof Map)
        )
          return this.array(args[0].name).size;
        return [...s(0)].length;
      }
      case 'substr': {
        const str = s(0);
        const start = Math.round(n(1));
        const len = args[2] ? Math.round(n(2)) : Infinity;
        const from = Math.max(1, start);
        const to = len === Infinity ? str.length + 1 : Math.min(str.length + 1, start + len);
        return to > from ? str.slice(from - 1, to - 1) : '';
      }
      case 'index':
        return s(0).indexOf(s(1)) + 1;
      case 'split': {
        const target = args[1];
        if (!target || target.k !== 'var') throw new AwkError('split: second argument must be an array');
        const fs = args[2] ? (args[2].k === 're' ? args[2].re.source : s(2)) : toStr(this.vars.get('FS')!);
        const parts =
          args[2]?.k === 're'
            ? s(0)
                .split(args[2].re)
                .filter((_x, i, all) => !(all.length === 1 && all[0] === ''))
            : this.split(s(0), fs);
        const arr = this.array(target.name);
        arr.clear();
        parts.forEach((p, i) => arr.set(String(i + 1), strnum(p)));
        return parts.length;
      }
      case 'sub':
      case 'gsub': {
        const re = this.regexOf(args[0]);
        const repl = s(1);
        const target = args[2] ?? ({ k: 'field', e: { k: 'num', v: 0 } } as Expr);
        const text = toStr(this.eval(target));
        let count = 0;
        const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
        const result = text.replace(g, (m) => {
          if (name === 'sub' && count > 0) return m;
          count++;
          return repl.replace(/\\\\|\\&|&/g, (x) => (x === '&' ? m : x === '\\&' ? '&' : '\\'));
        });
        if (count) this.assignTo(target, result);
        return count;
      }
      case 'match': {
        const m = this.regexOf(args[1]).exec(s(0));
        this.vars.set('RSTART', m ? m.index + 1 : 0);
        this.vars.set('RLENGTH', m ? m[0].length : -1);
        return m ? m.index + 1 : 0;
      }
      case 'sprintf': {
        const vals = args.map((a) => this.eval(a));
        return awkFormat(toStr(vals[0] ?? ''), vals.slice(1));
      }
      case 'tolower':
        return s(0).toLowerCase();
      case 'toupper':
        return s(0).toUpperCase();
      case 'int':
        return Math.trunc(n(0));
      case 'sqrt':
        return Math.sqrt(n(0));
      case 'exp':
        return Math.exp(n(0));
      case 'log':
        return Math.log(n(0));
      case 'sin':
        return Math.sin(n(0));
      case 'cos':
        return Math.cos(n(0));
      case 'atan2':
        return Math.atan2(n(0), n(1));
      case 'rand':
        // A fixed LCG: awk's rand() is deterministic without srand() too.
        this.rng = (this.rng * 1103515245 + 12345) % 2147483648;
        return this.rng / 2147483648;
      case 'srand': {
        const old = this.rng;
        this.rng = args[0] ? Math.trunc(n(0)) : 0;
        return old;
      }
      case 'system':
        throw new AwkError('system() is not available in the lab');
      case 'close':
      case 'fflush':
        return 0;
    }
    return '';
  }

  private userCall(name: string, args: Expr[]): Value {
    const f = this.prog.funcs.get(name);
    if (!f) throw new AwkError(`function ${name} never defined`);
    if (this.locals.length > 200) throw new AwkError('function call nesting too deep');
    const frame = new Map<string, Value | Map<string, Value>>();
    f.params.forEach((p, i) => {
      const a = args[i];
      if (a && a.k === 'var' && (this.arrays.has(a.name) || this.locals[this.locals.length - 1]?.get(a.name) instanceof Map))
        frame.set(p, this.array(a.name));
      else frame.set(p, a ? this.eval(a) : '');
    });
    this.locals.push(frame);
    try {
      this.exec(f.body);
      return '';
    } catch (e) {
      if (e instanceof Return) return e.value;
      throw e;
    } finally {
      this.locals.pop();
    }
  }

  private emit(text: string, dest: { op: string; e: Expr } | null): void {
    if (!dest) {
      this.out.push(text);
      return;
    }
    if (dest.op === '|') throw new AwkError('output to a pipe is not available in the lab');
    const name = toStr(this.eval(dest.e));
    if (name === '/dev/stdout' || name === '-') this.out.push(text);
    else if (name === '/dev/stderr') this.ctx.stderr.write(text);
    else {
      const path = resolvePath(this.ctx, name);
      if (!this.files.has(path)) {
        this.files.set(path, '');
        if (dest.op === '>') this.ctx.target.fs.write(path, '');
      }
      this.ctx.target.fs.write(path, text, { append: true });
    }
  }

  exec(body: Stmt[]): void {
    for (const s of body) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    this.tick();
    switch (s.k) {
      case 'expr':
        this.eval(s.e);
        return;
      case 'print': {
        const ofs = toStr(this.vars.get('OFS')!);
        const ofmt = toStr(this.vars.get('OFMT')!);
        const text = s.args.length ? s.args.map((a) => toStr(this.eval(a), ofmt)).join(ofs) : this.fields[0];
        this.emit(text + toStr(this.vars.get('ORS')!), s.dest);
        return;
      }
      case 'printf': {
        if (!s.args.length) throw new AwkError('printf: no format');
        const vals = s.args.map((a) => this.eval(a));
        this.emit(awkFormat(toStr(vals[0]), vals.slice(1)), s.dest);
        return;
      }
      case 'if':
        if (truthy(this.eval(s.c))) this.exec(s.a);
        else if (s.b) this.exec(s.b);
        return;
      case 'while':
        while (truthy(this.eval(s.c))) if (this.loopBody(s.body)) break;
        return;
      case 'do':
        do {
          if (this.loopBody(s.body)) break;
        } while (truthy(this.eval(s.c)));
        return;
      case 'for':
        if (s.init) this.stmt(s.init);
        while (!s.c || truthy(this.eval(s.c))) {
          if (this.loopBody(s.body)) break;
          if (s.step) this.stmt(s.step);
        }
        return;
      case 'forin':
        for (const k of [...this.array(s.arr).keys()]) {
          this.setVar(s.v, strnum(k));
          if (this.loopBody(s.body)) break;
        }
        return;
      case 'block':
        this.exec(s.body);
        return;
      case 'next':
        throw new Next();
      case 'exit':
        throw new Exit(s.e ? Math.trunc(toNum(this.eval(s.e))) : 0);
      case 'return':
        throw new Return(s.e ? this.eval(s.e) : '');
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
      case 'delete':
        if (s.keys) this.array(s.name).delete(this.key(s.keys));
        else this.array(s.name).clear();
        return;
    }
  }

  /** Runs a loop body; true when it did `break`. */
  private loopBody(body: Stmt[]): boolean {
    this.tick();
    try {
      this.exec(body);
    } catch (e) {
      if (e instanceof Break) return true;
      if (e instanceof Continue) return false;
      throw e;
    }
    return false;
  }

  /** Runs the main rules on the current record; false after `next`. */
  record(): void {
    for (const r of this.prog.rules) {
      if (r.kind !== 'main') continue;
      let hit: boolean;
      if (!r.pattern) hit = true;
      else if (r.pattern2) {
        if (r.inRange) {
          hit = true;
          if (truthy(this.eval(r.pattern2))) r.inRange = false;
        } else if (truthy(this.eval(r.pattern))) {
          hit = true;
          r.inRange = !truthy(this.eval(r.pattern2));
        } else hit = false;
      } else hit = truthy(this.eval(r.pattern));
      if (!hit) continue;
      if (r.body) this.exec(r.body);
      else this.out.push(this.fields[0] + toStr(this.vars.get('ORS')!));
    }
  }
}

function* awk(ctx: CommandContext): Generator<Effect, number, Resume | undefined> {
  const bb = isBusybox(ctx);
  const args = ctx.argv.slice(1);
  let fs: string | null = null;
  const assigns: [string, string][] = [];
  let src: string | null = null;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-F') fs = args[++i] ?? '';
    else if (a.startsWith('-F')) fs = a.slice(2);
    else if (a === '-v') {
      const v = args[++i] ?? '';
      const eq = v.indexOf('=');
      if (eq > 0) assigns.push([v.slice(0, eq), v.slice(eq + 1)]);
    } else if (a.startsWith('-v')) {
      const v = a.slice(2);
      const eq = v.indexOf('=');
      if (eq > 0) assigns.push([v.slice(0, eq), v.slice(eq + 1)]);
    } else if (a === '-f') {
      try {
        src = ctx.target.fs.read(resolvePath(ctx, args[++i] ?? ''));
      } catch {
        ctx.stderr.write(bb ? `awk: can't open '${args[i]}': No such file or directory\n` : `awk: couldn't open file ${args[i]}\n`);
        return 2;
      }
    } else if (a.startsWith('-') && a !== '-') {
      if (bb) {
        ctx.stderr.write(`awk: invalid option -- '${a[1]}'\n`);
        busyboxUsage(ctx);
      } else ctx.stderr.write(`mawk: not an option: ${a}\n`);
      return 2;
    } else break;
  }
  if (src === null) {
    if (i >= args.length) {
      if (bb) busyboxUsage(ctx);
      else
        ctx.stderr.write(
          "usage: mawk [-F value] [-v var=value] [--] 'program text' [file ...]\nusage: mawk [-F value] [-v var=value] [-f program-file] [--] [file ...]\n",
        );
      return 2;
    }
    src = args[i++];
  }
  const operands = args.slice(i);
  let prog: Program;
  try {
    prog = new Parser(lex(src)).program();
  } catch (e) {
    if (e instanceof AwkError) {
      ctx.stderr.write(
        bb ? `awk: cmd. line:1: ${e.message.replace(/^syntax error at or near .*/, 'Unexpected token')}\n` : `mawk: line 1: ${e.message}\n`,
      );
      return 2;
    }
    throw e;
  }
  intLimit = bb ? 1e16 : 2 ** 31;
  const it = new Interp(prog, ctx);
  if (fs !== null) it.vars.set('FS', fs === 't' ? '\t' : fs.replace(/\\t/g, '\t'));
  for (const [k, v] of assigns) it.vars.set(k, strnum(v.replace(/\\n/g, '\n').replace(/\\t/g, '\t')));
  let status = 0;
  const flush = (): void => {
    if (it.out.length) ctx.stdout.write(it.out.join(''));
    it.out = [];
  };
  const runEnd = (): void => {
    for (const r of prog.rules) if (r.kind === 'end') it.exec(r.body!);
  };
  try {
    try {
      for (const r of prog.rules) if (r.kind === 'begin') it.exec(r.body!);
      const hasMain = prog.rules.some((r) => r.kind !== 'begin');
      if (hasMain) {
        const files = operands.filter((o) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(o));
        const inputs = yield* readInputs(ctx, files);
        let nr = 0;
        for (const inp of inputs) {
          if (inp.text === null) {
            flush();
            ctx.stderr.write(bb ? `awk: cannot open ${inp.name} (${inp.error})\n` : `mawk: cannot open ${inp.name} (${inp.error})\n`);
            status = 2;
            continue;
          }
          it.vars.set('FILENAME', inp.name === '-' ? '' : inp.name);
          let fnr = 0;
          const rs = toStr(it.vars.get('RS')!);
          const records = rs === '\n' ? splitLines(inp.text) : rs === '' ? inp.text.split(/\n\n+/).filter(Boolean) : inp.text.split(rs);
          for (const line of records) {
            it.vars.set('NR', ++nr);
            it.vars.set('FNR', ++fnr);
            it.setRecord(line);
            try {
              it.record();
            } catch (e) {
              if (!(e instanceof Next)) throw e;
            }
            if (it.out.length > 1000) flush();
          }
        }
      }
      runEnd();
    } catch (e) {
      if (e instanceof Exit) {
        status = e.status;
        try {
          runEnd();
        } catch (e2) {
          if (e2 instanceof Exit) status = e2.status;
          else throw e2;
        }
      } else throw e;
    }
  } catch (e) {
    if (e instanceof AwkError || e instanceof Next || e instanceof Break || e instanceof Continue || e instanceof Return) {
      flush();
      const msg = e instanceof AwkError ? e.message : 'improper use of next, break, continue or return';
      ctx.stderr.write(
        bb
          ? `awk: cmd. line:1: ${msg}\n`
          : `mawk: run time error: ${msg}\n\tFILENAME="${toStr(it.vars.get('FILENAME')!)}" FNR=${toStr(it.vars.get('FNR')!)} NR=${toStr(it.vars.get('NR')!)}\n`,
      );
      return 2;
    }
    throw e;
  }
  flush();
  return status;
}

register({ name: 'awk', run: interruptible(awk), paths: { gnu: '/usr/bin/awk', busybox: '/usr/bin/awk' } });
