/**
 * Tab completion, as bash's programmable completion does it: the first word of a command
 * completes to builtins and installed programs (or to paths when it has a `/`); later words go
 * to the completer a command registered (the docker CLI: subcommands, flags, container/image/
 * network names) and otherwise to file names from the machine's file system.
 */
import type { ExecTarget, Shell } from './interp.ts';
import { normalizePath } from '../base/vfs.ts';

export interface CompletionContext {
  /** The words of the current command before the one being completed (argv[0] first). */
  args: string[];
  /** The (unquoted) text of the word being completed, up to the cursor. */
  word: string;
  target: ExecTarget;
  shell: Shell;
}

/**
 * Candidate words for the word being completed, or null to fall back to file names. Return
 * full words (`--network`, `web1`); a candidate ending in `/` or `=` is not followed by a space.
 */
export type Completer = (ctx: CompletionContext) => string[] | null;

const completers = new Map<string, Completer>();

/** Registers completion for a command's arguments (`docker`, `ip`...). */
export function registerCompleter(command: string, fn: Completer): void {
  completers.set(command, fn);
}

export interface CompletionResult {
  /** Where the completed word starts in the line. */
  start: number;
  /** Text that replaces line[start, cursor): the longest common completion, plus a space when unique. */
  replacement: string;
  /** What to list on a second Tab (bash shows file names without their directory). */
  candidates: string[];
  /** The longest common prefix of the candidates (full words). */
  common: string;
}

const SEPARATORS = new Set([';', '|', '&', '(', ')', '`']);

/** Splits the line before the cursor into the current command's words (quotes removed). */
function lexBefore(text: string): { words: string[]; current: string; start: number; quote: string } {
  let words: string[] = [];
  let cur = '';
  let start = 0;
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      if (!inWord) start = i;
      inWord = true;
      quote = c;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      if (!inWord) start = i;
      inWord = true;
      cur += text[++i];
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    if (SEPARATORS.has(c) || c === '<' || c === '>') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      // A redirection's target is a file name, not a new command.
      if (SEPARATORS.has(c)) words = [];
      else words.push(c);
      continue;
    }
    if (!inWord) start = i;
    inWord = true;
    cur += c;
  }
  if (!inWord) start = text.length;
  return { words, current: cur, start, quote };
}

function commonPrefix(words: string[]): string {
  if (!words.length) return '';
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Quotes characters the shell would split on or expand. */
function escapeWord(w: string): string {
  return w.replace(/([ \t\\'"$`&|;<>()*?[\]!#{}])/g, '\\$1');
}

/** File names matching `word` (relative to the shell's cwd, `~` for HOME). */
export function completePath(word: string, target: ExecTarget, shell: Shell, onlyDirsAndExec = false): string[] {
  const slash = word.lastIndexOf('/');
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
  const base = slash >= 0 ? word.slice(slash + 1) : word;
  let dir = dirPart || '.';
  if (dir.startsWith('~')) dir = (shell.get('HOME') ?? '/root') + dir.slice(1);
  const abs = normalizePath(dir, shell.cwd);
  let names: string[];
  try {
    names = target.fs.list(abs);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    if (!n.startsWith(base)) continue;
    if (n.startsWith('.') && !base.startsWith('.')) continue;
    const node = target.fs.stat(abs === '/' ? `/${n}` : `${abs}/${n}`);
    const isDir = node?.kind === 'dir';
    if (onlyDirsAndExec && !isDir && !((node?.mode ?? 0) & 0o111)) continue;
    out.push(dirPart + n + (isDir ? '/' : ''));
  }
  return out;
}

/** Completes the word before `cursor` in `line` for a shell running on `target`. */
export function complete(line: string, cursor: number, target: ExecTarget, shell: Shell): CompletionResult {
  const before = line.slice(0, cursor);
  const { words, current, start } = lexBefore(before);
  const cmdWords = words;
  // Leading assignments (`FOO=1 cmd`) do not count as the command.
  let first = 0;
  while (first < cmdWords.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(cmdWords[first])) first++;
  const args = cmdWords.slice(first);
  const afterRedirect = args.length > 0 && (args[args.length - 1] === '<' || args[args.length - 1] === '>');
  let full: string[];
  let files = false;
  if (!args.length && !afterRedirect) {
    if (current.includes('/')) {
      full = completePath(current, target, shell, true);
      files = true;
    } else {
      const names = new Set([...shell.commandNames(), ...target.installed()]);
      full = [...names].filter((n) => n.startsWith(current)).sort();
    }
  } else {
    const fn = afterRedirect ? undefined : completers.get(args[0].slice(args[0].lastIndexOf('/') + 1));
    const custom = fn ? fn({ args: args.filter((a) => a !== '<' && a !== '>'), word: current, target, shell }) : null;
    if (custom) full = [...new Set(custom.filter((c) => c.startsWith(current)))].sort();
    else {
      full = completePath(current, target, shell);
      files = true;
    }
  }
  const common = commonPrefix(full);
  if (!full.length) return { start, replacement: before.slice(start), candidates: [], common: '' };
  const unique = full.length === 1 && !/[/=]$/.test(full[0]);
  const replacement = escapeWord(common.length >= current.length ? common : current) + (unique ? ' ' : '');
  const candidates = files ? full.map((f) => f.replace(/\/$/, '').replace(/^.*\//, '') + (f.endsWith('/') ? '/' : '')) : full;
  return { start, replacement, candidates, common };
}
