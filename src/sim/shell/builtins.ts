/**
 * Shell builtins: commands that act on the shell itself (cd, export, exit, ...) or that bash
 * and busybox ash implement internally (echo, printf, true, false, test). Each follows the
 * real shell's output and exit status.
 */
import { LoopControl, ReturnFromFunction, type Program, type CommandContext, type Shell } from './interp.ts';
import { ExitShell, Input, type Job } from './runtime.ts';
import { normalizePath } from '../base/vfs.ts';
import { kill, printf, testCmd } from './commands/core/sys.ts';

export function shellBuiltins(): Map<string, Program> {
  const m = new Map<string, Program>();
  m.set('echo', echo);
  m.set('true', () => 0);
  m.set(':', () => 0);
  m.set('false', () => 1);
  m.set('exit', exit);
  m.set('cd', cd);
  m.set('pwd', (ctx) => {
    ctx.stdout.write(ctx.shell.cwd + '\n');
    return 0;
  });
  m.set('export', exportBuiltin);
  m.set('unset', (ctx) => {
    for (const n of ctx.argv.slice(1)) ctx.shell.unset(n);
    return 0;
  });
  m.set('help', help);
  m.set('type', type);
  m.set('history', history);
  m.set('test', testCmd);
  m.set('[', testCmd);
  m.set('printf', printf);
  m.set('kill', kill);
  m.set('eval', evalBuiltin);
  m.set('read', read);
  m.set('shift', shift);
  m.set('command', command);
  m.set('.', source);
  m.set('source', source);
  m.set('return', returnBuiltin);
  m.set('break', (ctx) => loopControl(ctx, 'break'));
  m.set('continue', (ctx) => loopControl(ctx, 'continue'));
  return m;
}

/** Reserved words, as `type` reports them (bash: "if is a shell keyword"). */
const KEYWORDS = ['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'while', 'until', 'do', 'done', '{', '}', '!', 'in'];

/** `break [N]` / `continue [N]`: leave or restart the Nth enclosing loop. */
function loopControl(ctx: CommandContext, kind: 'break' | 'continue'): number {
  const sh = ctx.shell;
  const arg = ctx.argv[1];
  let n = 1;
  if (arg !== undefined) {
    if (!/^[0-9]+$/.test(arg) || Number(arg) < 1) {
      ctx.stderr.write(
        sh.dialect === 'ash'
          ? `${sh.name}: ${kind}: Illegal number: ${arg}\n`
          : `${sh.errPrefix()}${kind}: ${arg}: loop count out of range\n`,
      );
      return 1;
    }
    n = Number(arg);
  }
  // Outside a loop bash says so and goes on; ash silently does nothing.
  if (sh.loopDepth === 0) {
    if (sh.dialect === 'bash') ctx.stderr.write(`${sh.errPrefix()}${kind}: only meaningful in a \`for', \`while', or \`until' loop\n`);
    return 0;
  }
  throw new LoopControl(kind, Math.min(n, sh.loopDepth));
}

/** `return [N]`: leaves the current function (or sourced file) with N or the last status. */
function returnBuiltin(ctx: CommandContext): number {
  const sh = ctx.shell;
  const arg = ctx.argv[1];
  let status = sh.status;
  if (arg !== undefined) {
    if (!/^-?[0-9]+$/.test(arg)) {
      ctx.stderr.write(`${sh.errPrefix()}return: ${arg}: numeric argument required\n`);
      status = 2;
    } else status = ((Number(arg) % 256) + 256) % 256;
  }
  if (sh.funcDepth === 0) {
    ctx.stderr.write(
      sh.dialect === 'ash'
        ? `${sh.name}: return: not in a function\n`
        : `${sh.errPrefix()}return: can only \`return' from a function or sourced script\n`,
    );
    return 1;
  }
  throw new ReturnFromFunction(status);
}

function type(ctx: CommandContext): number {
  const sh = ctx.shell;
  const ash = sh.dialect === 'ash';
  let status = 0;
  for (const name of ctx.argv.slice(1)) {
    if (KEYWORDS.includes(name)) ctx.stdout.write(`${name} is a shell keyword\n`);
    else if (sh.functions.has(name)) ctx.stdout.write(`${name} is a function\n`);
    else if (sh.builtin(name)) ctx.stdout.write(`${name} is a shell builtin\n`);
    else {
      const r = ctx.target.resolve(name, ctx.env.get('PATH') ?? '', sh.cwd);
      if (r) ctx.stdout.write(`${name} is ${r.path}\n`);
      else if (ash) {
        ctx.stdout.write(`${name}: not found\n`);
        status = 127;
      } else {
        ctx.stderr.write(`${sh.errPrefix()}type: ${name}: not found\n`);
        status = 1;
      }
    }
  }
  return status;
}

/** `history [N]`: bash numbers from 1 ("%5d  %s"), busybox ash from 0 ("%4d %s"). */
function history(ctx: CommandContext): number {
  const sh = ctx.shell;
  const arg = ctx.argv[1];
  if (arg === '-c') {
    sh.history.length = 0;
    return 0;
  }
  let entries = sh.history.map((line, i) => ({ line, n: sh.dialect === 'ash' ? i : i + 1 }));
  if (arg !== undefined) {
    if (!/^[0-9]+$/.test(arg)) {
      ctx.stderr.write(`${sh.errPrefix()}history: ${arg}: numeric argument required\n`);
      return 1;
    }
    entries = entries.slice(Math.max(0, entries.length - Number(arg)));
  }
  for (const e of entries)
    ctx.stdout.write(sh.dialect === 'ash' ? `${String(e.n).padStart(4)} ${e.line}\n` : `${String(e.n).padStart(5)}  ${e.line}\n`);
  return 0;
}

function* evalBuiltin(ctx: CommandContext): Job {
  const src = ctx.argv.slice(1).join(' ');
  if (!src.trim()) return 0;
  return yield* ctx.shell.evalString(src, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
}

/** `read [-r] [-p PROMPT] NAME...`: one line of stdin split on IFS into the names. */
function* read(ctx: CommandContext): Job {
  const args = ctx.argv.slice(1);
  let raw = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-r') raw = true;
    else if (args[i] === '-p') ctx.stderr.write(args[++i] ?? '');
    else if (args[i].startsWith('-')) continue;
    else names.push(args[i]);
  }
  if (!names.length) names.push('REPLY');
  let line: string | null = ctx.stdin.takeLine();
  while (line === null && !ctx.stdin.isClosed) {
    const r = yield { kind: 'input' };
    if (r?.interrupted) return 130;
    line = ctx.stdin.takeLine();
  }
  if (line === null) return 1;
  const complete = line.endsWith('\n');
  let text = line.replace(/\n$/, '');
  if (!raw) text = text.replace(/\\(.)/g, '$1');
  const fields = text.trim().split(/[ \t]+/);
  names.forEach((n, i) => {
    const v = i === names.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? '');
    ctx.shell.set(n, v);
  });
  return complete ? 0 : 1;
}

function shift(ctx: CommandContext): number {
  const n = ctx.argv[1] === undefined ? 1 : Number(ctx.argv[1]);
  if (!Number.isInteger(n) || n < 0 || n > ctx.shell.positional.length) return 1;
  ctx.shell.positional = ctx.shell.positional.slice(n);
  return 0;
}

/** `command -v NAME` (what scripts use to test for a tool) and `command NAME ARGS`. */
function* command(ctx: CommandContext): Job {
  const args = ctx.argv.slice(1);
  if (args[0] === '-v' || args[0] === '-V') {
    let status = 0;
    for (const n of args.slice(1)) {
      if (ctx.shell.builtin(n)) ctx.stdout.write(args[0] === '-v' ? `${n}\n` : `${n} is a shell builtin\n`);
      else {
        const r = ctx.target.resolve(n, ctx.env.get('PATH') ?? '', ctx.cwd);
        if (r) ctx.stdout.write(args[0] === '-v' ? `${r.path}\n` : `${n} is ${r.path}\n`);
        else status = 1;
      }
    }
    return status;
  }
  if (!args.length) return 0;
  const r = ctx.target.resolve(args[0], ctx.env.get('PATH') ?? '', ctx.cwd);
  if (!r) {
    ctx.stderr.write(
      ctx.shell.dialect === 'ash'
        ? `${ctx.shell.name}: ${args[0]}: not found\n`
        : `${ctx.shell.errPrefix()}${args[0]}: command not found\n`,
    );
    return 127;
  }
  return yield* ctx.shell.runProgram(r.run, { ...ctx, argv: args });
}

/** `. FILE` / `source FILE`: runs a file's commands in this shell. */
function* source(ctx: CommandContext): Job {
  const sh = ctx.shell;
  const file = ctx.argv[1];
  if (file === undefined) {
    ctx.stderr.write(
      sh.dialect === 'ash'
        ? `${sh.name}: .: filename argument required\n`
        : `${sh.errPrefix()}${ctx.argv[0]}: filename argument required\n${ctx.argv[0]}: usage: ${ctx.argv[0]} filename [arguments]\n`,
    );
    return 2;
  }
  let text: string;
  try {
    text = ctx.target.fs.read(normalizePath(file, sh.cwd));
  } catch {
    ctx.stderr.write(
      sh.dialect === 'ash' ? `${sh.name}: .: can't open '${file}'\n` : `${sh.errPrefix()}${file}: No such file or directory\n`,
    );
    return sh.dialect === 'ash' ? 2 : 1;
  }
  return yield* sh.evalString(text, { stdin: ctx.stdin ?? Input.empty(), stdout: ctx.stdout, stderr: ctx.stderr });
}

/** `echo`: bash's builtin knows -n, -e and -E; busybox's too. */
function echo(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    const flag = args.shift()!;
    for (const f of flag.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = unescapeEcho(text);
  }
  ctx.stdout.write(text + (newline ? '\n' : ''));
  return 0;
}

export function unescapeEcho(s: string): string {
  return s.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|[abefnrtv\\])/g, (_m, e: string) => {
    switch (e[0]) {
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'e':
        return '\x1b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case '\\':
        return '\\';
      case '0':
        return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
    }
    return e;
  });
}

function exit(ctx: CommandContext): number {
  const arg = ctx.argv[1];
  let status = ctx.shell.status;
  if (arg !== undefined) {
    if (!/^-?[0-9]+$/.test(arg)) {
      ctx.stderr.write(`${ctx.shell.errPrefix()}exit: ${arg}: numeric argument required\n`);
      status = 2;
    } else status = ((Number(arg) % 256) + 256) % 256;
  }
  throw new ExitShell(status);
}

function cd(ctx: CommandContext): number {
  const sh: Shell = ctx.shell;
  const arg = ctx.argv[1] ?? sh.get('HOME') ?? '/';
  const dest = arg === '-' ? (sh.get('OLDPWD') ?? sh.cwd) : arg;
  const path = normalizePath(dest, sh.cwd);
  const node = ctx.target.fs.stat(path);
  if (!node || node.kind !== 'dir') {
    const why = node ? 'Not a directory' : 'No such file or directory';
    // busybox ash: "sh: cd: can't cd to X: ..." (with "line N: " when not interactive), status 2.
    if (sh.dialect === 'ash') {
      ctx.stderr.write(`${sh.name}: cd: ${sh.interactive ? '' : 'line 0: '}can't cd to ${arg}: ${why}\n`);
      return 2;
    }
    ctx.stderr.write(`${sh.errPrefix()}cd: ${arg}: ${why}\n`);
    return 1;
  }
  sh.set('OLDPWD', sh.cwd);
  sh.cwd = path;
  if (sh.vars.has('PWD')) sh.set('PWD', path);
  if (arg === '-') ctx.stdout.write(path + '\n');
  return 0;
}

function exportBuiltin(ctx: CommandContext): number {
  const args = ctx.argv.slice(1).filter((a) => a !== '-n');
  if (!args.length || (args.length === 1 && args[0] === '-p')) {
    const names = [...ctx.shell.vars.entries()].filter(([, v]) => v.exported).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [k, v] of names)
      ctx.stdout.write(ctx.shell.dialect === 'bash' ? `declare -x ${k}="${v.value}"\n` : `export ${k}='${v.value}'\n`);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=([\s\S]*))?$/.exec(a);
    if (!m) {
      ctx.stderr.write(`${ctx.shell.errPrefix()}export: \`${a}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    ctx.shell.export(m[1], m[2]);
  }
  return status;
}

function help(ctx: CommandContext): number {
  ctx.stdout.write(
    [
      'Docker Networking Lab — a simulated Linux host with a Docker 20.10 engine.',
      'Type commands as you would on a real host, for example:',
      '  docker run -d --name web -p 8080:80 nginx',
      '  curl localhost:8080',
      '  ip addr          iptables -t nat -S          docker network ls',
      'Commands this lab does not know answer like bash: "command not found".',
      '',
    ].join('\n'),
  );
  return 0;
}
