/**
 * A recursive-descent parser for the shell language learners type: words and quoting,
 * parameter and command substitution, pipelines, and-or lists, redirections, here-documents,
 * and the compound commands (for, while/until, if, case, subshells and brace groups).
 *
 * It reports two kinds of failure the way bash does: input that is merely incomplete (an open
 * quote, a trailing `|`, an unterminated `for`), for which the terminal shows the `> `
 * continuation prompt, and real syntax errors (`syntax error near unexpected token`).
 */
import type { AndOr, Assignment, Command, List, Pipeline, Redirect, SimpleCommand, Word, WordPart } from './ast.ts';

export class Incomplete extends Error {
  constructor(public readonly reason: string) {
    super(reason);
  }
}

export class SyntaxError extends Error {
  /** The line of the source the unexpected token is on (1-based). */
  line = 1;
  /** busybox ash's own wording, when it differs (`end of file (expecting ")")`). */
  ashText?: string;
  constructor(public readonly token: string) {
    super(`syntax error near unexpected token \`${token}'`);
  }
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', '{', '}', '!']);
/** Limits that keep a hostile line from exhausting the stack or the heap. */
const MAX_DEPTH = 200;

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  stripTabs: boolean;
}

type Tok = { t: 'word'; word: Word; raw: string } | { t: 'op'; op: string } | { t: 'nl' } | { t: 'eof' };

const OPERATORS = ['&&', '||', ';;', '<<<', '<<-', '<<', '>>', '>&', '<&', '&>', '>|', '|', '&', ';', '<', '>', '(', ')'];

export function parse(src: string): List {
  const p = new Parser(src);
  try {
    return p.parseProgram();
  } catch (e) {
    if (e instanceof SyntaxError) e.line = p.currentLine();
    throw e;
  }
}

class Parser {
  private pos = 0;
  private peeked: Tok | null = null;
  private heredocs: PendingHeredoc[] = [];
  private depth = 0;
  private line = 1;

  constructor(private readonly src: string) {}

  /** The line the lexer has reached (a peeked newline counts as not yet read). */
  currentLine(): number {
    return this.peeked?.t === 'nl' ? this.line - 1 : this.line;
  }

  parseProgram(): List {
    const list = this.parseList(new Set());
    const tok = this.next();
    if (tok.t !== 'eof') throw new SyntaxError(tokText(tok));
    return list;
  }

  // ---- lexer -------------------------------------------------------------------------------

  private peek(): Tok {
    if (!this.peeked) this.peeked = this.lex();
    return this.peeked;
  }

  private next(): Tok {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  private lex(): Tok {
    const s = this.src;
    for (;;) {
      // blanks and line continuations
      while (this.pos < s.length && (s[this.pos] === ' ' || s[this.pos] === '\t')) this.pos++;
      if (s[this.pos] === '\\' && s[this.pos + 1] === '\n') {
        this.pos += 2;
        continue;
      }
      if (s[this.pos] === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
        continue;
      }
      break;
    }
    if (this.pos >= s.length) {
      if (this.heredocs.length) throw new Incomplete('here-document');
      return { t: 'eof' };
    }
    const c = s[this.pos];
    if (c === '\n') {
      this.pos++;
      this.line++;
      if (this.heredocs.length) this.readHeredocBodies();
      return { t: 'nl' };
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { t: 'op', op };
      }
    }
    const start = this.pos;
    const word = this.lexWord();
    return { t: 'word', word, raw: s.slice(start, this.pos) };
  }

  /** Reads one word up to an unquoted blank or operator. */
  private lexWord(): Word {
    const s = this.src;
    const parts: WordPart[] = [];
    let lit = '';
    const flush = (): void => {
      if (lit) parts.push({ kind: 'lit', text: lit });
      lit = '';
    };
    const wordStart = this.pos;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')')
        break;
      if (c === '\\') {
        if (this.pos + 1 >= s.length) throw new Incomplete('backslash');
        const n = s[this.pos + 1];
        this.pos += 2;
        if (n === '\n') continue;
        flush();
        parts.push({ kind: 'sq', text: n });
        continue;
      }
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new Incomplete("'");
        flush();
        parts.push({ kind: 'sq', text: s.slice(this.pos + 1, end) });
        this.countLines(s.slice(this.pos, end));
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        flush();
        this.pos++;
        parts.push({ kind: 'dq', parts: this.lexDoubleQuoted() });
        continue;
      }
      if (c === '$' || c === '`') {
        const p = this.lexDollar(false);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
      }
      if (c === '~' && this.pos === wordStart) {
        let j = this.pos + 1;
        while (j < s.length && /[A-Za-z0-9_.-]/.test(s[j])) j++;
        if (j >= s.length || /[\s/;&|<>()]/.test(s[j])) {
          flush();
          parts.push({ kind: 'tilde', user: s.slice(this.pos + 1, j) });
          this.pos = j;
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    flush();
    return { parts };
  }

  private countLines(text: string): void {
    for (const ch of text) if (ch === '\n') this.line++;
  }

  private lexDoubleQuoted(): WordPart[] {
    const s = this.src;
    const parts: WordPart[] = [];
    let lit = '';
    const flush = (): void => {
      if (lit) parts.push({ kind: 'sq', text: lit });
      lit = '';
    };
    for (;;) {
      if (this.pos >= s.length) throw new Incomplete('"');
      const c = s[this.pos];
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = s[this.pos + 1];
        if (n === undefined) throw new Incomplete('"');
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          lit += n;
          this.pos += 2;
          continue;
        }
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        lit += '\\';
        this.pos++;
        continue;
      }
      if (c === '$' || c === '`') {
        const p = this.lexDollar(true);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
      }
      if (c === '\n') this.line++;
      lit += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  /** `$name`, `${...}`, `$(...)`, `$((...))`, backquotes; null when `$` is just a character. */
  private lexDollar(inDq: boolean): WordPart | null {
    const s = this.src;
    const c = s[this.pos];
    if (c === '`') {
      let j = this.pos + 1;
      let body = '';
      for (;;) {
        if (j >= s.length) throw new Incomplete('`');
        if (s[j] === '\\' && (s[j + 1] === '`' || s[j + 1] === '\\' || s[j + 1] === '$')) {
          body += s[j + 1];
          j += 2;
          continue;
        }
        if (s[j] === '`') break;
        body += s[j++];
      }
      this.pos = j + 1;
      return { kind: 'cmdsub', source: body, list: this.subParse(body) };
    }
    const n = s[this.pos + 1];
    if (n === '(' && s[this.pos + 2] === '(') {
      const end = findArithEnd(s, this.pos + 3);
      if (end < 0) throw new Incomplete('$((');
      const expr = s.slice(this.pos + 3, end);
      this.pos = end + 2;
      return { kind: 'arith', expr };
    }
    if (n === '(') {
      const end = findMatchingParen(s, this.pos + 2);
      if (end < 0) throw new Incomplete('$(');
      const body = s.slice(this.pos + 2, end);
      this.pos = end + 1;
      return { kind: 'cmdsub', source: body, list: this.subParse(body) };
    }
    if (n === '{') {
      const end = findBraceEnd(s, this.pos + 2);
      if (end < 0) throw new Incomplete('${');
      const inner = s.slice(this.pos + 2, end);
      this.pos = end + 1;
      // bash's substring, pattern substitution and case modification: ${x:1:2} ${x/a/b} ${x^^}.
      const sub = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*]):(?![-=+?])([\s\S]*)$/.exec(inner);
      if (sub) return { kind: 'param', name: sub[1], op: ':substr', arg: { parts: [{ kind: 'lit', text: sub[2] }] } };
      const rep = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)(\/\/?)([^/]*)(?:\/([\s\S]*))?$/.exec(inner);
      if (rep) {
        const pat = new Parser('').wordFromText(rep[3], inDq);
        const to = new Parser('').wordFromText(rep[4] ?? '', inDq);
        return {
          kind: 'param',
          name: rep[1],
          op: rep[2],
          arg: { parts: [{ kind: 'dq', parts: pat.parts }, { kind: 'lit', text: '\u0000' }, ...to.parts] },
        };
      }
      const cas = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)(\^\^|,,|\^|,)$/.exec(inner);
      if (cas) return { kind: 'param', name: cas[1], op: cas[2] };
      const m = /^(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!-])(?:(:?[-=+?]|##?|%%?)([\s\S]*))?$/.exec(inner);
      if (!m) throw new BadSubstitution(inner);
      if (m[1]) return { kind: 'param', name: m[2], op: '#len' };
      const arg = m[3] !== undefined ? new Parser('').wordFromText(m[4], inDq) : undefined;
      return { kind: 'param', name: m[2], op: m[3], arg };
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]|[?$#@*!-])/.exec(s.slice(this.pos + 1, this.pos + 200));
    if (!m) return null;
    this.pos += 1 + m[1].length;
    return { kind: 'param', name: m[1] };
  }

  /** Parses the operand of ${x:-word}: double-quoted text inside "...", a loose word outside. */
  wordFromText(text: string, inDq: boolean): Word {
    const p = new Parser(inDq ? text + '"' : text);
    if (inDq) return { parts: [{ kind: 'dq', parts: p.lexDoubleQuoted() }] };
    const parts: WordPart[] = [];
    while (p.pos < text.length) {
      parts.push(...p.lexWord().parts);
      if (p.pos < text.length) parts.push({ kind: 'sq', text: text[p.pos++] });
    }
    return { parts };
  }

  private subParse(body: string): List {
    if (++this.depth > MAX_DEPTH) throw new SyntaxError('(');
    try {
      // The nested parser inherits the depth, so `$($($(...)))` is bounded too.
      const p = new Parser(body);
      p.depth = this.depth;
      return p.parseProgram();
    } finally {
      this.depth--;
    }
  }

  private readHeredocBodies(): void {
    const s = this.src;
    for (const h of this.heredocs) {
      let body = '';
      for (;;) {
        if (this.pos >= s.length) throw new Incomplete('here-document');
        let end = s.indexOf('\n', this.pos);
        const atEof = end < 0;
        if (atEof) end = s.length;
        let lineText = s.slice(this.pos, end);
        this.pos = atEof ? end : end + 1;
        this.line++;
        if (h.stripTabs) lineText = lineText.replace(/^\t+/, '');
        if (lineText === h.delimiter) break;
        if (atEof) throw new Incomplete('here-document');
        body += lineText + '\n';
      }
      if (h.redirect.heredoc) h.redirect.heredoc.body = body;
    }
    this.heredocs = [];
  }

  // ---- grammar -----------------------------------------------------------------------------

  /** A list ends at EOF, `)` or one of the given reserved words (e.g. `done`, `fi`). */
  private parseList(terminators: Set<string>): List {
    if (++this.depth > MAX_DEPTH) throw new SyntaxError('(');
    const items: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      const tok = this.peek();
      if (tok.t === 'eof') break;
      if (tok.t === 'op' && (tok.op === ')' || tok.op === ';;')) break;
      if (tok.t === 'word' && isReserved(tok) && terminators.has(tok.raw)) break;
      const ao = this.parseAndOr();
      items.push(ao);
      const sep = this.peek();
      if (sep.t === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.next();
        if (sep.op === '&') ao.background = true;
        continue;
      }
      if (sep.t === 'nl') continue;
      if (sep.t === 'eof') break;
      if (sep.t === 'op' && (sep.op === ')' || sep.op === ';;')) break;
      if (sep.t === 'word' && isReserved(sep) && terminators.has(sep.raw)) break;
      throw new SyntaxError(tokText(sep));
    }
    this.depth--;
    return { items };
  }

  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.next();
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'op' && (tok.op === '&&' || tok.op === '||')) {
        this.next();
        this.skipNewlinesOrIncomplete();
        rest.push({ op: tok.op, pipeline: this.parsePipeline() });
        continue;
      }
      break;
    }
    return { first, rest, background: false };
  }

  private skipNewlinesOrIncomplete(): void {
    this.skipNewlines();
    if (this.peek().t === 'eof') throw new Incomplete('continuation');
  }

  private parsePipeline(): Pipeline {
    let negate = false;
    const tok = this.peek();
    if (tok.t === 'word' && tok.raw === '!') {
      this.next();
      negate = true;
    }
    const commands: Command[] = [this.parseCommand()];
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && t.op === '|') {
        this.next();
        this.skipNewlinesOrIncomplete();
        commands.push(this.parseCommand());
        continue;
      }
      break;
    }
    return { negate, commands };
  }

  private parseCommand(): Command {
    const tok = this.peek();
    if (tok.t === 'eof') throw new Incomplete('command');
    if (tok.t === 'op' && tok.op === '(') {
      this.next();
      const body = this.parseBody(new Set());
      this.expectOp(')');
      return { kind: 'subshell', body, redirects: this.parseTrailingRedirects() };
    }
    // A function definition: `name ( )` followed by a compound command, or `function name`.
    if (
      tok.t === 'word' &&
      /^[A-Za-z_:][A-Za-z0-9_.:-]*$/.test(tok.raw) &&
      !RESERVED.has(tok.raw) &&
      /^[ \t]*\([ \t]*\)/.test(this.src.slice(this.pos))
    ) {
      this.next();
      this.expectOp('(');
      this.expectOp(')');
      return this.parseFunctionBody(tok.raw);
    }
    if (tok.t === 'word' && tok.raw === 'function') {
      this.next();
      const name = this.next();
      if (name.t === 'eof') throw new Incomplete('function');
      if (name.t !== 'word') throw new SyntaxError(tokText(name));
      if (/^[ \t]*\([ \t]*\)/.test(this.src.slice(this.pos))) {
        this.expectOp('(');
        this.expectOp(')');
      }
      return this.parseFunctionBody(name.raw);
    }
    if (tok.t === 'word' && isReserved(tok)) {
      switch (tok.raw) {
        case '{': {
          this.next();
          const body = this.parseBody(new Set(['}']));
          this.expectWord('}');
          return { kind: 'group', body, redirects: this.parseTrailingRedirects() };
        }
        case 'for':
          return this.parseFor();
        case 'while':
        case 'until':
          return this.parseWhile(tok.raw === 'until');
        case 'if':
          return this.parseIf();
        case 'case':
          return this.parseCase();
        default:
          throw new SyntaxError(tok.raw);
      }
    }
    return this.parseSimple();
  }

  private parseFunctionBody(name: string): Command {
    this.skipNewlinesOrIncomplete();
    const t = this.peek();
    const compound = (t.t === 'op' && t.op === '(') || (t.t === 'word' && ['{', 'for', 'while', 'until', 'if', 'case'].includes(t.raw));
    if (!compound) throw new SyntaxError(tokText(t));
    const body = this.parseCommand();
    return { kind: 'funcdef', name, body, redirects: [] };
  }

  private expectOp(op: string): void {
    const t = this.next();
    if (t.t === 'eof') throw new Incomplete(op);
    if (!(t.t === 'op' && t.op === op)) throw new SyntaxError(tokText(t));
  }

  private expectWord(w: string): void {
    this.skipNewlines();
    const t = this.next();
    if (t.t === 'eof') throw new Incomplete(w);
    if (!(t.t === 'word' && t.raw === w)) throw new SyntaxError(tokText(t));
  }

  private parseFor(): Command {
    this.next();
    const nameTok = this.next();
    if (nameTok.t === 'eof') throw new Incomplete('for');
    if (nameTok.t !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(nameTok.raw)) throw new SyntaxError(tokText(nameTok));
    let items: Word[] | null = null;
    this.skipNewlines();
    const t = this.peek();
    if (t.t === 'word' && t.raw === 'in') {
      this.next();
      items = [];
      for (;;) {
        const w = this.peek();
        if (w.t === 'word') {
          this.next();
          items.push(w.word);
          continue;
        }
        if (w.t === 'eof') throw new Incomplete('for');
        if (w.t === 'op' && w.op === ';') {
          this.next();
          break;
        }
        if (w.t === 'nl') break;
        throw new SyntaxError(tokText(w));
      }
    } else if (t.t === 'op' && t.op === ';') {
      this.next();
    }
    this.expectWord('do');
    const body = this.parseBody(new Set(['done']));
    this.expectWord('done');
    return { kind: 'for', name: nameTok.raw, items, body, redirects: this.parseTrailingRedirects() };
  }

  private parseWhile(until: boolean): Command {
    this.next();
    const cond = this.parseBody(new Set(['do']));
    this.expectWord('do');
    const body = this.parseBody(new Set(['done']));
    this.expectWord('done');
    return { kind: 'while', until, cond, body, redirects: this.parseTrailingRedirects() };
  }

  private parseIf(): Command {
    this.next();
    const branches: { cond: List; body: List }[] = [];
    let elseBody: List | null = null;
    const cond = this.parseBody(new Set(['then']));
    this.expectWord('then');
    branches.push({ cond, body: this.parseBody(new Set(['elif', 'else', 'fi'])) });
    for (;;) {
      this.skipNewlines();
      const t = this.next();
      if (t.t === 'eof') throw new Incomplete('if');
      if (t.t === 'word' && t.raw === 'fi') break;
      if (t.t === 'word' && t.raw === 'elif') {
        const c = this.parseBody(new Set(['then']));
        this.expectWord('then');
        branches.push({ cond: c, body: this.parseBody(new Set(['elif', 'else', 'fi'])) });
        continue;
      }
      if (t.t === 'word' && t.raw === 'else') {
        elseBody = this.parseBody(new Set(['fi']));
        this.expectWord('fi');
        break;
      }
      throw new SyntaxError(tokText(t));
    }
    return { kind: 'if', branches, elseBody, redirects: this.parseTrailingRedirects() };
  }

  private parseCase(): Command {
    this.next();
    const subj = this.next();
    if (subj.t === 'eof') throw new Incomplete('case');
    if (subj.t !== 'word') throw new SyntaxError(tokText(subj));
    this.skipNewlines();
    const inTok = this.next();
    if (inTok.t === 'eof') throw new Incomplete('case');
    if (!(inTok.t === 'word' && inTok.raw === 'in')) throw new SyntaxError(tokText(inTok));
    const items: { patterns: Word[]; body: List }[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') throw new Incomplete('case');
      if (t.t === 'word' && t.raw === 'esac') {
        this.next();
        break;
      }
      if (t.t === 'op' && t.op === '(') this.next();
      const patterns: Word[] = [];
      for (;;) {
        const p = this.next();
        if (p.t === 'eof') throw new Incomplete('case');
        if (p.t !== 'word') throw new SyntaxError(tokText(p));
        patterns.push(p.word);
        const sep = this.next();
        if (sep.t === 'op' && sep.op === '|') continue;
        if (sep.t === 'op' && sep.op === ')') break;
        if (sep.t === 'eof') throw new Incomplete('case');
        throw new SyntaxError(tokText(sep));
      }
      const body = this.parseList(new Set(['esac']));
      items.push({ patterns, body });
      const end = this.peek();
      if (end.t === 'op' && end.op === ';;') {
        this.next();
        continue;
      }
      if (end.t === 'word' && end.raw === 'esac') continue;
      if (end.t === 'eof') throw new Incomplete('case');
      throw new SyntaxError(tokText(end));
    }
    return { kind: 'case', subject: subj.word, items, redirects: this.parseTrailingRedirects() };
  }

  private parseTrailingRedirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      // `{ ...; } 2>&1`: an io-number before the operator, as in a simple command.
      const tok = this.peek();
      if (tok.t === 'word' && /^[0-9]+$/.test(tok.raw) && (this.src[this.pos] === '>' || this.src[this.pos] === '<')) {
        this.next();
        const r = this.tryRedirect(Number(tok.raw));
        if (!r) throw new SyntaxError(tok.raw);
        out.push(r);
        continue;
      }
      const r = this.tryRedirect(null);
      if (!r) break;
      out.push(r);
    }
    return out;
  }

  /** A compound command's body: bash and ash reject an empty one (`if true; then fi`). */
  private parseBody(stops: Set<string>): List {
    const list = this.parseList(stops);
    if (!list.items.length) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') throw new Incomplete('body');
      throw new SyntaxError(tokText(t));
    }
    return list;
  }

  private parseSimple(): SimpleCommand {
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    const line = this.line;
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'word') {
        // An io-number: digits immediately followed by a redirection operator.
        if (/^[0-9]+$/.test(tok.raw) && this.src[this.pos] !== undefined && (this.src[this.pos] === '>' || this.src[this.pos] === '<')) {
          this.next();
          const r = this.tryRedirect(Number(tok.raw));
          if (r) {
            redirects.push(r);
            continue;
          }
        }
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(tok.raw);
        if (m && words.length === 0) {
          this.next();
          assigns.push({ name: m[1], value: stripPrefix(tok.word, m[1].length + 1) });
          continue;
        }
        if (words.length === 0 && isReserved(tok) && tok.raw !== '!') {
          if (tok.raw === '{' || tok.raw === '}' || RESERVED.has(tok.raw)) break;
        }
        this.next();
        words.push(tok.word);
        continue;
      }
      const r = this.tryRedirect(null);
      if (r) {
        redirects.push(r);
        continue;
      }
      break;
    }
    // `name (` starts a function definition in the grammar: what follows must be `)`.
    const open = this.peek();
    if (words.length === 1 && !assigns.length && open.t === 'op' && open.op === '(') {
      this.next();
      const t = this.peek();
      if (t.t === 'eof' || t.t === 'nl') {
        const e = new SyntaxError('newline');
        e.ashText = 'end of file (expecting ")")';
        throw e;
      }
      const e = new SyntaxError(tokText(t));
      if (t.t === 'word') e.ashText = 'word (expecting ")")';
      throw e;
    }
    if (!words.length && !assigns.length && !redirects.length) {
      const t = this.peek();
      if (t.t === 'eof') throw new Incomplete('command');
      throw new SyntaxError(tokText(t));
    }
    return { kind: 'simple', assigns, words, redirects, line };
  }

  private tryRedirect(ioNumber: number | null): Redirect | null {
    const tok = this.peek();
    if (tok.t !== 'op') return null;
    const op = tok.op;
    if (!['<', '>', '>>', '>&', '<&', '<<', '<<-', '<<<', '&>', '>|'].includes(op)) return null;
    this.next();
    const target = this.next();
    if (target.t === 'eof' || target.t === 'nl') {
      if (target.t === 'nl') throw new SyntaxError('newline');
      throw new SyntaxError('newline');
    }
    if (target.t !== 'word') throw new SyntaxError(tokText(target));
    const defaultFd = op.startsWith('<') ? 0 : 1;
    const fd = ioNumber ?? defaultFd;
    if (op === '<<' || op === '<<-') {
      const quoted = target.word.parts.some((p) => p.kind !== 'lit');
      const delimiter = target.word.parts
        .map((p) =>
          p.kind === 'lit' || p.kind === 'sq'
            ? p.text
            : p.kind === 'dq'
              ? p.parts.map((q) => (q.kind === 'sq' ? q.text : '')).join('')
              : '',
        )
        .join('');
      const redirect: Redirect = { fd, op: '<<', target: target.word, heredoc: { body: '', expand: !quoted, stripTabs: op === '<<-' } };
      this.heredocs.push({ redirect, delimiter, stripTabs: op === '<<-' });
      return redirect;
    }
    return { fd, op: op as Redirect['op'], target: target.word };
  }
}

export class BadSubstitution extends Error {
  constructor(public readonly text: string) {
    super(`\${${text}}: bad substitution`);
  }
}

function isReserved(tok: Tok): tok is Extract<Tok, { t: 'word' }> {
  return tok.t === 'word' && RESERVED.has(tok.raw) && tok.word.parts.length === 1 && tok.word.parts[0].kind === 'lit';
}

function tokText(tok: Tok): string {
  switch (tok.t) {
    case 'word':
      return tok.raw;
    case 'op':
      return tok.op;
    case 'nl':
      return 'newline';
    case 'eof':
      return 'newline';
  }
}

function stripPrefix(word: Word, n: number): Word {
  const parts = word.parts.slice();
  const first = parts[0];
  if (first && first.kind === 'lit') {
    const rest = first.text.slice(n);
    if (rest) parts[0] = { kind: 'lit', text: rest };
    else parts.shift();
  }
  return { parts };
}

function findMatchingParen(s: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'") {
      const e = s.indexOf("'", i + 1);
      if (e < 0) return -1;
      i = e + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

function findArithEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length - 1; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      if (depth === 0 && s[i + 1] === ')') return i;
      depth--;
    }
  }
  return -1;
}

function findBraceEnd(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === '{') depth++;
    else if (s[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
