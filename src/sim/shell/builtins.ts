/**
 * Shell builtins: commands that act on the shell itself (cd, export, exit, ...) or that bash
 * and busybox ash implement internally (echo, printf, true, false, test). Each follows the
 * real shell's output and exit status.
 */
import type { Program, CommandContext, Shell } from './interp.ts';
import { ExitShell } from './runtime.ts';
import { normalizePath } from '../base/vfs.ts';

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
  return m;
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
  if (!node) {
    ctx.stderr.write(`${sh.errPrefix()}cd: ${arg}: No such file or directory\n`);
    return 1;
  }
  if (node.kind !== 'dir') {
    ctx.stderr.write(`${sh.errPrefix()}cd: ${arg}: Not a directory\n`);
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
