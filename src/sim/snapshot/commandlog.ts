/**
 * What the learner typed, as the `forbid` checks see it: every simple command of every logged
 * line (through pipes, `&&`, `;`, loops, subshells and command substitutions), with its words
 * as written (quotes removed; an expansion such as `$x` stays as written, since the grader does
 * not run the line again).
 */
import { parse } from '../shell/parser.ts';
import type { Command, List, Word, WordPart } from '../shell/ast.ts';

export interface LogEntry {
  host: string;
  command: string;
  /** A line typed into a running program (a nested shell), not at the host's prompt. */
  input?: boolean;
}

function partText(p: WordPart): string {
  switch (p.kind) {
    case 'lit':
    case 'sq':
      return p.text;
    case 'dq':
      return p.parts.map(partText).join('');
    case 'param':
      return `$${p.name}`;
    case 'cmdsub':
      return `$(${p.source})`;
    case 'arith':
      return `$((${p.expr}))`;
    case 'tilde':
      return `~${p.user}`;
  }
}

function wordText(w: Word): string {
  return w.parts.map(partText).join('');
}

function walkList(list: List, out: string[][]): void {
  for (const ao of list.items)
    for (const pl of [ao.first, ...ao.rest.map((r) => r.pipeline)]) for (const c of pl.commands) walkCommand(c, out);
}

function walkWord(w: Word, out: string[][]): void {
  const visit = (p: WordPart): void => {
    if (p.kind === 'cmdsub') walkList(p.list, out);
    else if (p.kind === 'dq') p.parts.forEach(visit);
  };
  w.parts.forEach(visit);
}

function walkCommand(c: Command, out: string[][]): void {
  switch (c.kind) {
    case 'simple':
      if (c.words.length) out.push(c.words.map(wordText));
      c.words.forEach((w) => walkWord(w, out));
      return;
    case 'subshell':
    case 'group':
      return walkList(c.body, out);
    case 'for':
      return walkList(c.body, out);
    case 'while':
      walkList(c.cond, out);
      return walkList(c.body, out);
    case 'if':
      for (const b of c.branches) {
        walkList(b.cond, out);
        walkList(b.body, out);
      }
      if (c.elseBody) walkList(c.elseBody, out);
      return;
    case 'case':
      for (const it of c.items) walkList(it.body, out);
      return;
  }
}

/** The simple commands of one logged line; a line that does not parse is split on blanks. */
export function simpleCommands(line: string): string[][] {
  const out: string[][] = [];
  try {
    walkList(parse(line), out);
  } catch {
    out.push(line.trim().split(/\s+/).filter(Boolean));
  }
  return out;
}

/** docker's boolean flags (they take no value); every other flag takes one (docker/cli's flag sets). */
const BOOL_LONG = new Set([
  '--detach',
  '--interactive',
  '--tty',
  '--publish-all',
  '--rm',
  '--privileged',
  '--init',
  '--read-only',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--disable-content-trust',
  '--quiet',
  '--all',
  '--force',
  '--internal',
  '--attachable',
  '--ingress',
  '--ipv6',
  '--no-trunc',
  '--help',
  '--latest',
  '--size',
  '--volumes',
  '--link-local-ip-not',
  '--verbose',
  '--debug',
]);
/** Short boolean flags of run/create/exec (`-h` is --hostname there, `-a` --attach, `-v` --volume). */
const BOOL_SHORT_RUN = new Set(['d', 'i', 't', 'P']);
/** Short boolean flags of the other subcommands (`ps -a -q`, `rm -f -v`, `network ls -q`). */
const BOOL_SHORT_OTHER = new Set(['a', 'q', 's', 'l', 'f', 'v', 'd', 'i', 't', 'h']);
/** Subcommands whose options stop at the first positional argument (the image or container): SetInterspersed(false). */
const NON_INTERSPERSED = new Set(['run', 'create', 'exec', 'container run', 'container create', 'container exec']);

/**
 * A docker command line (argv after `docker`) split the way docker/cli's flag sets read it:
 * `run -dp 80:80 --name=web nginx sh -c x` has the subcommand [run], the flags -d, -p, --name
 * (as written) and the positionals [nginx, sh, -c, x]; for run/create/exec, everything from
 * the first positional on belongs to the container's command, not to docker.
 */
export function parseDockerArgs(argv: string[]): { sub: string[]; flags: string[]; positionals: string[] } {
  const flags: string[] = [];
  const positionals: string[] = [];
  let i = 0;
  const sub: string[] = [];
  // The subcommand path: `run`, `container run`, `network connect`, ...
  while (i < argv.length && !argv[i].startsWith('-') && sub.length < 2) {
    sub.push(argv[i]);
    i++;
    if (sub.length === 1 && !['container', 'network', 'image', 'volume', 'system', 'swarm', 'node', 'service'].includes(sub[0])) break;
  }
  const stopAtPositional = NON_INTERSPERSED.has(sub.join(' '));
  const boolShort = stopAtPositional ? BOOL_SHORT_RUN : BOOL_SHORT_OTHER;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      flags.push(name);
      if (eq < 0 && !BOOL_LONG.has(name)) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        flags.push('-' + a[k]);
        if (!boolShort.has(a[k])) {
          if (k === a.length - 1) i++;
          break;
        }
      }
    } else if (stopAtPositional) {
      positionals.push(...argv.slice(i));
      break;
    } else positionals.push(a);
  }
  return { sub, flags, positionals };
}

/** The flags a docker command line uses, in the form written (see parseDockerArgs). */
export function dockerFlags(argv: string[]): string[] {
  return parseDockerArgs(argv).flags;
}

/** The images `docker run`/`docker create` commands in some command lines start. */
export function imagesRun(lines: string[]): string[] {
  const out = new Set<string>();
  for (const line of lines)
    for (const argv of simpleCommands(line)) {
      if (argv[0] !== 'docker') continue;
      const p = parseDockerArgs(argv.slice(1));
      const path = p.sub.join(' ');
      if (['run', 'create', 'container run', 'container create'].includes(path) && p.positionals[0]) out.add(p.positionals[0]);
    }
  return [...out];
}

/** Whether a docker command line (argv after `docker`) uses a flag; `-p` and `--publish` are the same flag only when the exercise lists both. */
export function usesFlag(argv: string[], flag: string): boolean {
  return dockerFlags(argv).includes(flag);
}

/** The first logged command that starts with `words` (`docker network create`), or null. */
export function findCommand(log: LogEntry[], words: string[]): string | null {
  for (const e of log)
    for (const argv of simpleCommands(e.command)) {
      if (words.every((w, i) => argv[i] === w)) return e.command;
    }
  return null;
}

/** The first logged `docker` command that uses a flag, or null. */
export function findFlag(log: LogEntry[], flag: string): string | null {
  for (const e of log)
    for (const argv of simpleCommands(e.command)) {
      if (argv[0] === 'docker' && usesFlag(argv.slice(1), flag)) return e.command;
    }
  return null;
}
