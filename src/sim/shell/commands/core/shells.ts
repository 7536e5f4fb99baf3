/**
 * Programs that run other programs: `sh`/`bash` (a command string, a script file, a script on
 * stdin, or an interactive shell on a terminal), `xargs`, `echo` as /bin/echo, and the editors
 * `vi`/`vim`/`nano`, which ask the UI to open its editor.
 */
import { Shell, type CommandContext, type Dialect } from '../../interp.ts';
import { ExitShell, Input, type Effect, type Resume } from '../../runtime.ts';
import { register } from '../registry.ts';
import { shellBuiltins, unescapeEcho } from '../../builtins.ts';
import { Incomplete } from '../../parser.ts';
import { err, isBusybox, resolvePath } from './common.ts';
import { interruptible, readStdin } from './input.ts';
import { defaultPrompt, runRepl } from '../../repl.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

/** Shells started from shells before the lab refuses, like a process limit stopping a fork bomb. */
export const MAX_SHELL_DEPTH = 64;

function shellDepth(sh: Shell | null): number {
  let n = 0;
  for (let s = sh; s; s = s.parent) n++;
  return n;
}

/** A new shell on the same machine, as `sh`/`bash` start it: exported variables and cwd inherited. */
export function childShell(ctx: CommandContext, opts: { name: string; interactive: boolean; cmdline: string; args?: string[] }): Shell {
  const dialect: Dialect = opts.name === 'bash' || !isBusybox(ctx) ? 'bash' : 'ash';
  const sh = new Shell({
    dialect,
    name: opts.name,
    target: ctx.target,
    cwd: ctx.cwd,
    interactive: opts.interactive,
    builtins: shellBuiltins(),
    env: Object.fromEntries(ctx.env),
    parent: ctx.shell,
    cmdline: opts.cmdline,
    pid: ctx.pid,
  });
  sh.positional = opts.args ?? [];
  return sh;
}

function* shellProgram(ctx: CommandContext): Gen {
  const argv0 = ctx.argv[0].slice(ctx.argv[0].lastIndexOf('/') + 1);
  const name = argv0 === 'bash' ? 'bash' : 'sh';
  const bb = isBusybox(ctx) && name === 'sh';
  if (shellDepth(ctx.shell) >= MAX_SHELL_DEPTH) {
    ctx.stderr.write(
      bb ? `${name}: can't fork: Resource temporarily unavailable\n` : `${ctx.shell.name}: fork: retry: Resource temporarily unavailable\n`,
    );
    return 254;
  }
  const args = ctx.argv.slice(1);
  let command: string | null = null;
  let forceInteractive = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--login' || a === '--norc' || a === '--noprofile' || a === '--posix') continue;
    let stop = false;
    for (const c of a.slice(1)) {
      if (c === 'c') command = '';
      else if (c === 'i') forceInteractive = true;
      else if (c === 'l' || c === 's') continue;
      else {
        if (bb) ctx.stderr.write(`${name}: illegal option -${c}\n`);
        else
          ctx.stderr.write(
            `${name}: -${c}: invalid option\nUsage:\t${name} [GNU long option] [option] ...\n\t${name} [GNU long option] [option] script-file ...\n`,
          );
        return 2;
      }
      if (stop) break;
      stop = false;
    }
  }
  const rest = args.slice(i);
  if (command !== null) {
    if (!rest.length) {
      ctx.stderr.write(bb ? `${name}: -c requires an argument\n` : `${name}: -c: option requires an argument\n`);
      return 2;
    }
    const src = rest[0];
    const sh = childShell(ctx, { name: rest[1] ?? name, interactive: false, cmdline: `${name} -c ${src}`, args: rest.slice(2) });
    return yield* runScript(sh, src, ctx);
  }
  if (rest.length) {
    const file = rest[0];
    let src: string;
    try {
      src = ctx.target.fs.read(resolvePath(ctx, file));
    } catch {
      // busybox ash; Debian's /bin/sh is dash ("sh: 0: cannot open"); bash.
      if (bb) ctx.stderr.write(`${name}: can't open '${file}': No such file or directory\n`);
      else if (name === 'sh') ctx.stderr.write(`${name}: 0: cannot open ${file}: No such file\n`);
      else ctx.stderr.write(`${name}: ${file}: No such file or directory\n`);
      return bb || name === 'sh' ? 2 : 127;
    }
    const sh = childShell(ctx, { name: file, interactive: false, cmdline: `${name} ${rest.join(' ')}`, args: rest.slice(1) });
    return yield* runScript(sh, src, ctx);
  }
  if (ctx.stdin.isTty || forceInteractive) {
    const sh = childShell(ctx, { name, interactive: true, cmdline: name, args: [] });
    return yield* runRepl(sh, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr }, defaultPrompt);
  }
  // A script on stdin (`echo 'echo hi' | sh`).
  const src = yield* readStdin(ctx);
  const sh = childShell(ctx, { name, interactive: false, cmdline: name, args: [] });
  return yield* runScript(sh, src, ctx);
}

/** Runs a whole script in `sh`; `exit N` ends it with N; an unterminated construct is a syntax error. */
function* runScript(sh: Shell, src: string, ctx: CommandContext): Gen {
  const io = { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr };
  try {
    return yield* sh.run(src, io);
  } catch (e) {
    if (e instanceof ExitShell) return e.status;
    if (e instanceof Incomplete) {
      const lines = src.split('\n').length;
      if (sh.dialect === 'ash') ctx.stderr.write(`${sh.name}: line ${lines}: syntax error: unexpected end of file\n`);
      else ctx.stderr.write(`${sh.name}: -c: line ${lines}: syntax error: unexpected end of file\n`);
      return 2;
    }
    throw e;
  }
}

// ---- xargs ---------------------------------------------------------------------------------

/** Splits xargs input into arguments: blanks and newlines separate, quotes and backslash group. */
function xargsSplit(text: string): string[] | string {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) return c === '"' ? 'double' : 'single';
      cur += text.slice(i + 1, end);
      has = true;
      i = end;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

function* xargs(ctx: CommandContext): Gen {
  const args = ctx.argv.slice(1);
  const bb = isBusybox(ctx);
  let maxArgs = Infinity;
  let replace: string | null = null;
  let noRunEmpty = false;
  let nul = false;
  let delim: string | null = null;
  let verbose = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '-r' || a === '--no-run-if-empty') noRunEmpty = true;
    else if (a === '-0' || a === '--null') nul = true;
    else if (a === '-t' || a === '--verbose') verbose = true;
    else if (a === '-n' || a.startsWith('-n') || a.startsWith('--max-args')) {
      const v = a === '-n' || a === '--max-args' ? args[++i] : a.startsWith('--max-args=') ? a.slice(11) : a.slice(2);
      const n = Number(v);
      if (v === undefined || !/^[0-9]+$/.test(v) || n < 1) {
        err(ctx, bb ? `invalid number '${v}'` : `value ${v} for -n option should be >= 1`);
        return 1;
      }
      maxArgs = n;
    } else if (a === '-I' || a.startsWith('-I') || a.startsWith('-i') || a.startsWith('--replace')) {
      replace = a === '-I' ? (args[++i] ?? '{}') : a.startsWith('-I') ? a.slice(2) : a.startsWith('-i') ? a.slice(2) || '{}' : '{}';
    } else if (a === '-d' || a.startsWith('-d')) {
      delim = unescapeEcho(a === '-d' ? (args[++i] ?? '\n') : a.slice(2));
    } else {
      err(ctx, `invalid option -- '${a[1]}'`);
      if (bb) ctx.stderr.write('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: xargs [OPTIONS] [PROG ARGS]\n');
      else ctx.stderr.write(`Try 'xargs --help' for more information.\n`);
      return 1;
    }
  }
  const cmd = args.slice(i);
  if (!cmd.length) cmd.push('echo');
  const input = yield* readStdin(ctx);
  let items: string[];
  if (nul) items = input.split('\0').filter((x, j, all) => x !== '' || j < all.length - 1);
  else if (delim !== null) items = input.split(delim).filter((x, j, all) => !(j === all.length - 1 && x === ''));
  else if (replace !== null)
    items = input
      .split('\n')
      .map((l) => l.replace(/^[ \t]+/, ''))
      .filter(Boolean);
  else {
    const r = xargsSplit(input);
    if (typeof r === 'string') {
      err(ctx, bb ? `unmatched ${r} quote` : `unmatched ${r} quote; by default quotes are special to xargs unless you use the -0 option`);
      return 1;
    }
    items = r;
  }
  const batches: string[][] = [];
  if (replace !== null) for (const it of items) batches.push(cmd.map((w) => w.split(replace!).join(it)));
  else if (!items.length) {
    if (!noRunEmpty) batches.push(cmd.slice());
  } else
    for (let j = 0; j < items.length; j += maxArgs === Infinity ? items.length : maxArgs)
      batches.push([...cmd, ...items.slice(j, j + (maxArgs === Infinity ? items.length : maxArgs))]);
  let status = 0;
  for (const argv of batches) {
    const found = ctx.target.resolve(argv[0], ctx.env.get('PATH') ?? '', ctx.cwd);
    if (!found) {
      err(ctx, `${argv[0]}: No such file or directory`);
      return 127;
    }
    if (verbose) ctx.stderr.write(argv.join(' ') + '\n');
    const r = yield* ctx.shell.runProgram(found.run, { ...ctx, argv, stdin: Input.empty() });
    if (r === 255) {
      err(ctx, `${argv[0]}: exited with status 255; aborting`);
      return 124;
    }
    if (r !== 0) status = 123;
  }
  return status;
}

// ---- echo ----------------------------------------------------------------------------------

/** /bin/echo (coreutils/busybox): -n, -e, -E like the builtin. */
function echoProgram(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    for (const f of args.shift()!.slice(1)) {
      if (f === 'n') newline = false;
      else escapes = f === 'e';
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

// ---- editors -------------------------------------------------------------------------------

function editor(ctx: CommandContext): number {
  const name = ctx.argv[0].slice(ctx.argv[0].lastIndexOf('/') + 1);
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-') && !a.startsWith('+'));
  const ui = ctx.target.ui;
  if (ui && ctx.stdout.isTty) {
    if (!files.length) {
      ctx.stderr.write(`${name}: the lab's editor opens files: type ${name} FILE\n`);
      return 1;
    }
    ui({ kind: 'edit', path: resolvePath(ctx, files[0]), host: ctx.target.hostname(), container: null });
    return 0;
  }
  // Without a terminal a full-screen editor cannot work; these are the real tools' complaints.
  if (name === 'nano') {
    ctx.stderr.write('Too many errors from stdin\n');
    return 1;
  }
  if (isBusybox(ctx)) {
    ctx.stderr.write("vi: can't read user input\n");
    return 1;
  }
  ctx.stderr.write('Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n');
  return 1;
}

register({ name: 'sh', run: interruptible(shellProgram), paths: { gnu: '/usr/bin/sh', busybox: '/bin/sh' } });
register({ name: 'bash', run: interruptible(shellProgram), paths: { gnu: '/usr/bin/bash', busybox: '/bin/bash' } });
register({ name: 'xargs', run: interruptible(xargs), paths: { gnu: '/usr/bin/xargs', busybox: '/usr/bin/xargs' } });
register({ name: 'echo', run: echoProgram, paths: { gnu: '/usr/bin/echo', busybox: '/bin/echo' } });
register({ name: 'vi', run: editor, paths: { gnu: '/usr/bin/vi', busybox: '/bin/vi' } });
register({ name: 'vim', run: editor, paths: { gnu: '/usr/bin/vim', busybox: '/usr/bin/vim' } });
register({ name: 'nano', run: editor, paths: { gnu: '/usr/bin/nano', busybox: '/usr/bin/nano' } });
