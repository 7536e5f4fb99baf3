/** The syntax tree of a shell command line (a bash/POSIX sh subset). */

/** One piece of a word, before expansion. */
export type WordPart =
  | { kind: 'lit'; text: string } // unquoted literal (subject to globbing)
  | { kind: 'sq'; text: string } // '...'  or backslash-escaped: literal, never split or globbed
  | { kind: 'dq'; parts: WordPart[] } // "..."  expansions inside are not split or globbed
  | { kind: 'param'; name: string; op?: string; arg?: Word } // $x ${x} ${x:-y}
  | { kind: 'cmdsub'; source: string; list: List } // $(...) or `...`
  | { kind: 'arith'; expr: string } // $((...))
  | { kind: 'tilde'; user: string }; // ~ at the start of a word

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: number; // the fd being redirected (0 for <, 1 for >)
  op: '>' | '>>' | '<' | '>&' | '<&' | '<<' | '<<<' | '&>' | '>|';
  target: Word; // file name, fd number (for >&), or the here-document body
  /** For here-documents: the body, and whether it undergoes expansion (unquoted delimiter). */
  heredoc?: { body: string; expand: boolean; stripTabs: boolean };
}

export interface Assignment {
  name: string;
  value: Word;
}

export interface SimpleCommand {
  kind: 'simple';
  assigns: Assignment[];
  words: Word[];
  redirects: Redirect[];
  line: number;
}

export interface Subshell {
  kind: 'subshell';
  body: List;
  redirects: Redirect[];
}

export interface Group {
  kind: 'group';
  body: List;
  redirects: Redirect[];
}

export interface ForLoop {
  kind: 'for';
  name: string;
  items: Word[] | null; // null: "$@"
  body: List;
  redirects: Redirect[];
}

export interface WhileLoop {
  kind: 'while';
  until: boolean;
  cond: List;
  body: List;
  redirects: Redirect[];
}

export interface IfClause {
  kind: 'if';
  branches: { cond: List; body: List }[];
  elseBody: List | null;
  redirects: Redirect[];
}

export interface CaseClause {
  kind: 'case';
  subject: Word;
  items: { patterns: Word[]; body: List }[];
  redirects: Redirect[];
}

/** `name() compound-command` (POSIX) or `function name { ... }` (bash). */
export interface FunctionDef {
  kind: 'funcdef';
  name: string;
  body: Command;
  redirects: Redirect[];
}

export type Command = SimpleCommand | Subshell | Group | ForLoop | WhileLoop | IfClause | CaseClause | FunctionDef;

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
  background: boolean;
}

export interface List {
  items: AndOr[];
}
