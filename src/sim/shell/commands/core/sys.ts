/**
 * Process and system tools: sleep, env, printenv, which, clear, whoami, id, hostname, uname,
 * date, ps, kill, true, false, basename, dirname, printf, test/[ as programs.
 */
import type { CommandContext, Shell } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { register } from '../registry.ts';
import type { Process } from '../../../apps/process.ts';
import { busyboxUsage, err, isBusybox, lq, parseOpts, progName, tryHelp } from './common.ts';
import { formatPrintf } from './printf.ts';
import { evalTest } from './test-expr.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

// ---- sleep ---------------------------------------------------------------------------------

export function* sleep(ctx: CommandContext): Gen {
  const bb = isBusybox(ctx);
  const args = ctx.argv.slice(1).filter((a) => a !== '--');
  if (!args.length) {
    if (bb) busyboxUsage(ctx);
    else {
      err(ctx, 'missing operand');
      tryHelp(ctx);
    }
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const m = /^([0-9]*\.?[0-9]+|[0-9]+\.)([smhd]?)$/.exec(a);
    if (!m || (bb && m[1].includes('.') && false)) {
      if (bb) err(ctx, `invalid number '${a}'`);
      else {
        err(ctx, `invalid time interval ${lq(a)}`);
        tryHelp(ctx);
      }
      return 1;
    }
    total += Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]]! * 1000;
  }
  // Sleep in steps of at most a second so Ctrl-C is noticed promptly and time can be paced.
  let left = Math.round(total);
  while (left > 0) {
    const step = Math.min(left, 1000);
    const r = yield { kind: 'sleep', ms: step };
    if (r?.interrupted) return 130;
    left -= step;
  }
  return 0;
}

// ---- env, printenv -------------------------------------------------------------------------

function* env(ctx: CommandContext): Gen {
  const o = parseOpts(ctx, { short: 'iu:0', long: { ignore: 'i', 'unset=': 'u', null: '0' }, stopAtOperand: true });
  if (!o) return 125;
  const vars = o.flags.has('i') ? new Map<string, string>() : new Map(ctx.env);
  for (const u of o.all.get('u') ?? []) vars.delete(u);
  const rest = o.operands.slice();
  if (rest[0] === '-') {
    rest.shift();
    vars.clear();
  }
  while (rest.length && /^[^=]+=/.test(rest[0])) {
    const a = rest.shift()!;
    const i = a.indexOf('=');
    vars.set(a.slice(0, i), a.slice(i + 1));
  }
  if (!rest.length) {
    for (const [k, v] of vars) ctx.stdout.write(`${k}=${v}${o.flags.has('0') ? '\0' : '\n'}`);
    return 0;
  }
  const name = rest[0];
  const bb = isBusybox(ctx);
  const found = ctx.target.resolve(name, vars.get('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ctx.cwd);
  if (!found) {
    err(ctx, bb ? `can't execute '${name}': No such file or directory` : `${lq(name)}: No such file or directory`);
    return 127;
  }
  return yield* ctx.shell.runProgram(found.run, { ...ctx, argv: rest, env: vars });
}

function printenv(ctx: CommandContext): number {
  const names = ctx.argv.slice(1);
  if (!names.length) {
    for (const [k, v] of ctx.env) ctx.stdout.write(`${k}=${v}\n`);
    return 0;
  }
  let status = 0;
  for (const n of names) {
    const v = ctx.env.get(n);
    if (v === undefined) status = 1;
    else ctx.stdout.write(v + '\n');
  }
  return status;
}

// ---- which ---------------------------------------------------------------------------------

function which(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'as' });
  if (!o) return 2;
  if (!o.operands.length) {
    if (isBusybox(ctx)) {
      busyboxUsage(ctx);
      return 1;
    }
    return 1;
  }
  const path = ctx.env.get('PATH') ?? '';
  let status = 0;
  for (const n of o.operands) {
    const r = ctx.target.resolve(n, path, ctx.cwd);
    if (r) ctx.stdout.write(r.path + '\n');
    else status = 1;
  }
  return status;
}

// ---- small identity tools -------------------------------------------------------------------

function clear(ctx: CommandContext): number {
  // ncurses clear writes clear_screen plus E3 (erase scrollback); busybox writes ESC[H ESC[J.
  ctx.stdout.write(isBusybox(ctx) ? '\x1b[H\x1b[J' : '\x1b[H\x1b[2J\x1b[3J');
  return 0;
}

function whoami(ctx: CommandContext): number {
  if (ctx.argv.length > 1) {
    err(ctx, `extra operand ${lq(ctx.argv[1])}`);
    tryHelp(ctx);
    return 1;
  }
  ctx.stdout.write('root\n');
  return 0;
}

/** Groups root belongs to, from the target's /etc/group (gid 0 first), as getgrouplist(3) finds them. */
function rootGroups(ctx: CommandContext): [number, string][] {
  const out: [number, string][] = [[0, 'root']];
  let text: string;
  try {
    text = ctx.target.fs.read('/etc/group');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const [name, , gid, members] = line.split(':');
    if (!name || gid === undefined || gid === '0') continue;
    if ((members ?? '').split(',').includes('root')) out.push([Number(gid), name]);
  }
  return out;
}

function id(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'ugGnr', long: { user: 'u', group: 'g', groups: 'G', name: 'n', real: 'r' } });
  if (!o) return 1;
  const groups = rootGroups(ctx);
  const name = o.flags.has('n');
  if (o.flags.has('u') || o.flags.has('g')) ctx.stdout.write(name ? 'root\n' : '0\n');
  else if (o.flags.has('G')) ctx.stdout.write(groups.map(([g, n]) => (name ? n : String(g))).join(' ') + '\n');
  else ctx.stdout.write(`uid=0(root) gid=0(root) groups=${groups.map(([g, n]) => `${g}(${n})`).join(',')}\n`);
  return 0;
}

function hostname(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'iIfsdF:', long: { 'ip-address': 'i', 'all-ip-addresses': 'I', fqdn: 'f', short: 's', domain: 'd' } });
  if (!o) return 1;
  const name = ctx.target.hostname();
  if (o.operands.length) {
    // Changing the name needs CAP_SYS_ADMIN in the UTS namespace, which containers lack.
    err(ctx, isBusybox(ctx) ? 'sethostname: Operation not permitted' : 'you must be root to change the host name');
    return 1;
  }
  if (o.flags.has('i')) {
    // Resolve the host name through /etc/hosts, like gethostbyname() with files first.
    let hosts = '';
    try {
      hosts = ctx.target.fs.read('/etc/hosts');
    } catch {
      /* no hosts file */
    }
    const addrs: string[] = [];
    for (const line of hosts.split('\n')) {
      const f = line.replace(/#.*/, '').trim().split(/\s+/);
      if (f.length > 1 && f.slice(1).includes(name)) addrs.push(f[0]);
    }
    if (!addrs.length) {
      err(ctx, isBusybox(ctx) ? `${name}: Unknown host` : 'Name or service not known');
      return 1;
    }
    ctx.stdout.write((isBusybox(ctx) ? addrs.join(' ') : addrs.join(' ') + ' ') + '\n');
    return 0;
  }
  if (o.flags.has('s')) ctx.stdout.write(name.split('.')[0] + '\n');
  else if (o.flags.has('d')) ctx.stdout.write(name.split('.').slice(1).join('.') + '\n');
  else ctx.stdout.write(name + '\n');
  return 0;
}

function readProc(ctx: CommandContext, path: string, fallback: string): string {
  try {
    return ctx.target.fs.read(path).trim() || fallback;
  } catch {
    return fallback;
  }
}

/** The kernel every host of the lab runs unless /proc says otherwise (Ubuntu 22.04 GA kernel). */
const KERNEL_RELEASE = '5.15.0-91-generic';
const KERNEL_VERSION = '#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023';

function uname(ctx: CommandContext): number {
  const o = parseOpts(ctx, {
    short: 'asnrvmpio',
    long: {
      all: 'a',
      'kernel-name': 's',
      nodename: 'n',
      'kernel-release': 'r',
      'kernel-version': 'v',
      machine: 'm',
      processor: 'p',
      'hardware-platform': 'i',
      'operating-system': 'o',
    },
  });
  if (!o) return 1;
  if (o.operands.length) {
    err(ctx, `extra operand ${lq(o.operands[0])}`);
    tryHelp(ctx);
    return 1;
  }
  const bb = isBusybox(ctx);
  const f = {
    s: 'Linux',
    n: ctx.target.hostname(),
    r: readProc(ctx, '/proc/sys/kernel/osrelease', KERNEL_RELEASE),
    v: readProc(ctx, '/proc/sys/kernel/version', KERNEL_VERSION),
    m: 'x86_64',
    p: bb ? 'unknown' : 'x86_64',
    i: bb ? 'unknown' : 'x86_64',
    o: 'GNU/Linux',
  };
  let keys: (keyof typeof f)[];
  if (o.flags.has('a')) keys = bb ? ['s', 'n', 'r', 'v', 'm', 'o'] : ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'];
  else keys = (['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'] as const).filter((k) => o.flags.has(k));
  if (!keys.length) keys = ['s'];
  ctx.stdout.write(keys.map((k) => f[k]).join(' ') + '\n');
  return 0;
}

// ---- date ----------------------------------------------------------------------------------

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p2 = (n: number, c = '0'): string => String(n).padStart(2, c);

/** strftime(3) in UTC (the lab's hosts run in UTC). */
export function strftime(fmt: string, ms: number): string {
  const d = new Date(ms);
  return fmt.replace(/%([-_0^#]?)([a-zA-Z%+])/g, (_m, _flag: string, c: string) => {
    switch (c) {
      case 'a':
        return DAYS[d.getUTCDay()].slice(0, 3);
      case 'A':
        return DAYS[d.getUTCDay()];
      case 'b':
      case 'h':
        return MONTHS[d.getUTCMonth()].slice(0, 3);
      case 'B':
        return MONTHS[d.getUTCMonth()];
      case 'c':
        return strftime('%a %b %e %H:%M:%S %Y', ms);
      case 'C':
        return p2(Math.floor(d.getUTCFullYear() / 100));
      case 'd':
        return p2(d.getUTCDate());
      case 'D':
        return strftime('%m/%d/%y', ms);
      case 'e':
        return p2(d.getUTCDate(), ' ');
      case 'F':
        return strftime('%Y-%m-%d', ms);
      case 'H':
        return p2(d.getUTCHours());
      case 'I':
        return p2(d.getUTCHours() % 12 || 12);
      case 'j':
        return String(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1).padStart(3, '0');
      case 'k':
        return p2(d.getUTCHours(), ' ');
      case 'm':
        return p2(d.getUTCMonth() + 1);
      case 'M':
        return p2(d.getUTCMinutes());
      case 'n':
        return '\n';
      case 'N':
        return String((ms % 1000) * 1_000_000).padStart(9, '0');
      case 'p':
        return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'r':
        return strftime('%I:%M:%S %p', ms);
      case 'R':
        return strftime('%H:%M', ms);
      case 's':
        return String(Math.floor(ms / 1000));
      case 'S':
        return p2(d.getUTCSeconds());
      case 't':
        return '\t';
      case 'T':
        return strftime('%H:%M:%S', ms);
      case 'u':
        return String(d.getUTCDay() || 7);
      case 'w':
        return String(d.getUTCDay());
      case 'x':
        return strftime('%m/%d/%y', ms);
      case 'X':
        return strftime('%H:%M:%S', ms);
      case 'y':
        return p2(d.getUTCFullYear() % 100);
      case 'Y':
        return String(d.getUTCFullYear());
      case 'z':
        return '+0000';
      case ':':
        return '+00:00';
      case 'Z':
        return 'UTC';
      case '%':
        return '%';
      case '+':
        return strftime('%a %b %e %H:%M:%S %Z %Y', ms);
    }
    return `%${c}`;
  });
}

function date(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'uRIs:d:r:', long: { utc: 'u', universal: 'u', 'rfc-email': 'R', 'iso-8601': 'I', 'date=': 'd' } });
  if (!o) return 1;
  const bb = isBusybox(ctx);
  let ms = ctx.target.clock.now();
  if (o.flags.has('d')) {
    const v = String(o.flags.get('d'));
    const t = /^@([0-9]+)$/.exec(v)
      ? Number(v.slice(1)) * 1000
      : Date.parse(v.includes('T') || /Z|UTC|[+-]\d\d:?\d\d$/.test(v) ? v : v + ' UTC');
    if (Number.isNaN(t)) {
      err(ctx, bb ? `invalid date '${v}'` : `invalid date ${lq(v)}`);
      return 1;
    }
    ms = t;
  }
  if (o.flags.has('s')) {
    err(ctx, bb ? 'cannot set date: Operation not permitted' : 'cannot set date: Operation not permitted');
    return 1;
  }
  const fmtArg = o.operands.find((a) => a.startsWith('+'));
  if (o.operands.some((a) => !a.startsWith('+'))) {
    const bad = o.operands.find((a) => !a.startsWith('+'))!;
    err(ctx, bb ? `invalid date '${bad}'` : `invalid date ${lq(bad)}`);
    return 1;
  }
  let fmt = '%a %b %e %H:%M:%S %Z %Y';
  if (o.flags.has('R')) fmt = '%a, %d %b %Y %H:%M:%S %z';
  if (o.flags.has('I')) fmt = '%Y-%m-%d';
  if (fmtArg) fmt = fmtArg.slice(1);
  ctx.stdout.write(strftime(fmt, ms) + '\n');
  return 0;
}

// ---- ps ------------------------------------------------------------------------------------

interface PsRow {
  pid: number;
  ppid: number;
  user: string;
  started: number;
  tty: string;
  cmd: string;
}

/** Every process of this PID namespace, plus the shells and pipeline running this `ps`. */
function psRows(ctx: CommandContext): PsRow[] {
  const rows = new Map<number, PsRow>();
  const now = ctx.target.clock.now();
  for (const p of ctx.target.procs.list() as Process[]) {
    // This table's own pids: a container's main process shows in the host's ps under its host
    // pid (the one `docker inspect` gives as State.Pid), not as the 1 it is inside.
    rows.set(p.pid, { pid: p.pid, ppid: p.ppid, user: p.user, started: p.started, tty: p.tty, cmd: p.cmdline });
  }
  const chain: Shell[] = [];
  for (let s: Shell | null = ctx.shell; s; s = s.parent) if (s.target === ctx.target) chain.unshift(s);
  for (const s of chain) {
    const tty = s.interactive ? 'pts/0' : '?';
    if (!rows.has(s.pid)) rows.set(s.pid, { pid: s.pid, ppid: s.parent?.pid ?? 0, user: 'root', started: now, tty, cmd: s.cmdline });
    for (const r of s.running) {
      if (!rows.has(r.pid)) rows.set(r.pid, { pid: r.pid, ppid: r.ppid, user: 'root', started: now, tty, cmd: r.cmdline });
    }
  }
  return [...rows.values()].sort((a, b) => a.pid - b.pid);
}

function stime(ms: number, now: number): string {
  const d = new Date(ms);
  if (new Date(now).toISOString().slice(0, 10) === d.toISOString().slice(0, 10)) return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
  return `${MONTHS[d.getUTCMonth()].slice(0, 3)}${p2(d.getUTCDate())}`;
}

function ps(ctx: CommandContext): number {
  const rows = psRows(ctx);
  const now = ctx.target.clock.now();
  if (isBusybox(ctx)) {
    // busybox procps/ps.c: "PID   USER     TIME  COMMAND", "%5u %-8.8s %5s %s" (FEATURE_PS_TIME).
    const args = ctx.argv.slice(1);
    const bad = args.find((a) => !/^-?[efAaxwlT]*$/.test(a) && a !== '-o');
    if (bad) {
      err(ctx, `invalid option -- '${bad.replace(/^-/, '')[0]}'`);
      busyboxUsage(ctx);
      return 1;
    }
    ctx.stdout.write('PID   USER     TIME  COMMAND\n');
    for (const r of rows) ctx.stdout.write(`${String(r.pid).padStart(5)} ${r.user.padEnd(8).slice(0, 8)} ${'0:00'.padStart(5)} ${r.cmd}\n`);
    return 0;
  }
  const args = ctx.argv.slice(1);
  const bsd = args.length > 0 && !args[0].startsWith('-');
  const flags = args.join('').replace(/-/g, '');
  if (bsd && /[^auxwfe]/.test(flags)) {
    ctx.stderr.write(
      `error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`,
    );
    return 1;
  }
  if (!bsd && /[^efAaxlF]/.test(flags)) {
    const c = flags.match(/[^efAaxlF]/)![0];
    ctx.stderr.write(
      `error: unsupported SysV option\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`,
    );
    void c;
    return 1;
  }
  if (bsd && flags.includes('u')) {
    ctx.stdout.write('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n');
    for (const r of rows) {
      const [vsz, rss] = memoryOf(r.cmd);
      const stat = r.tty.startsWith('pts') ? (r.cmd.startsWith('ps') ? 'R+' : 'Ss') : 'Ssl';
      ctx.stdout.write(
        `${r.user.padEnd(8)} ${String(r.pid).padStart(7)} ${'0.0'.padStart(4)} ${'0.1'.padStart(4)} ${String(vsz).padStart(6)} ${String(rss).padStart(5)} ${r.tty.padEnd(8)} ${stat.padEnd(4)} ${stime(r.started, now).padEnd(5)}   0:00 ${r.cmd}\n`,
      );
    }
    return 0;
  }
  if (flags.includes('e') || flags.includes('A') || (bsd && flags.includes('a'))) {
    if (flags.includes('f') || bsd) {
      ctx.stdout.write('UID          PID    PPID  C STIME TTY          TIME CMD\n');
      for (const r of rows)
        ctx.stdout.write(
          `${r.user.padEnd(8)} ${String(r.pid).padStart(7)} ${String(r.ppid).padStart(7)}  0 ${stime(r.started, now).padEnd(5)} ${r.tty.padEnd(8)} 00:00:00 ${r.cmd}\n`,
        );
      return 0;
    }
    ctx.stdout.write('    PID TTY          TIME CMD\n');
    for (const r of rows) ctx.stdout.write(`${String(r.pid).padStart(7)} ${r.tty.padEnd(8)} 00:00:00 ${comm(r.cmd)}\n`);
    return 0;
  }
  // Plain `ps`: the processes on this terminal.
  const tty = ctx.shell.interactive ? 'pts/0' : '?';
  ctx.stdout.write('    PID TTY          TIME CMD\n');
  for (const r of rows.filter((x) => x.tty === tty && tty !== '?'))
    ctx.stdout.write(`${String(r.pid).padStart(7)} ${r.tty.padEnd(8)} 00:00:00 ${comm(r.cmd)}\n`);
  return 0;
}

function comm(cmd: string): string {
  const first = cmd.split(' ')[0].replace(/^-/, '');
  return first.slice(first.lastIndexOf('/') + 1).slice(0, 15);
}

/** Typical VSZ/RSS in KiB of the programs a lab runs (procps reads them from /proc/PID/stat). */
function memoryOf(cmd: string): [number, number] {
  const c = comm(cmd);
  const table: Record<string, [number, number]> = {
    dockerd: [1793452, 78212],
    containerd: [1357264, 45120],
    'docker-proxy': [1155072, 3840],
    'containerd-shim': [720344, 10532],
    'containerd-shim-runc-v2': [720344, 10532],
    bash: [7236, 4060],
    sh: [1628, 900],
    ps: [10068, 1588],
    nginx: [8924, 5624],
    sleep: [1616, 4],
  };
  return table[c] ?? [5200, 3100];
}

// ---- kill ----------------------------------------------------------------------------------

const SIGNALS = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM'];

/** `kill [-SIG] PID...`, as bash's and ash's builtins answer. */
export function kill(ctx: CommandContext): number {
  const sh = ctx.shell;
  const ash = sh.dialect === 'ash';
  const args = ctx.argv.slice(1);
  if (args[0] === '-l' || args[0] === '-L') {
    if (ash) ctx.stdout.write(SIGNALS.map((s, i) => `${String(i + 1).padStart(2)}) ${s}\n`).join(''));
    else ctx.stdout.write(SIGNALS.map((s, i) => `${String(i + 1).padStart(2)}) SIG${s}`).join('\t') + '\n');
    return 0;
  }
  let signal = 'TERM';
  if (args[0] === '-s' || args[0] === '-n') signal = (args.splice(0, 2)[1] ?? 'TERM').toUpperCase().replace(/^SIG/, '');
  else if (args[0]?.startsWith('-') && args[0] !== '--') {
    const sig = args[0].slice(1).toUpperCase().replace(/^SIG/, '');
    signal = sig;
    if (!/^[0-9]+$/.test(sig) && !SIGNALS.includes(sig)) {
      ctx.stderr.write(
        ash
          ? `${sh.name}: kill: bad signal name '${args[0].slice(1)}'\n`
          : `${sh.errPrefix()}kill: ${args[0].slice(1)}: invalid signal specification\n`,
      );
      return 1;
    }
    args.shift();
  }
  if (args[0] === '--') args.shift();
  if (!args.length) {
    // bash's builtin_usage() prints without the shell's prefix.
    if (ash) ctx.stderr.write(`${sh.name}: you need to specify whom to kill\n`);
    else ctx.stderr.write(`kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n`);
    return ash ? 1 : 2;
  }
  let status = 0;
  for (const a of args) {
    if (!/^-?[0-9]+$/.test(a)) {
      ctx.stderr.write(
        ash ? `${sh.name}: kill: invalid number '${a}'\n` : `${sh.errPrefix()}kill: ${a}: arguments must be process or job IDs\n`,
      );
      status = 1;
      continue;
    }
    const pid = Number(a);
    const proc = ctx.target.procs.get(pid);
    if (!proc) {
      ctx.stderr.write(
        ash ? `${sh.name}: can't kill pid ${pid}: No such process\n` : `${sh.errPrefix()}kill: (${pid}) - No such process\n`,
      );
      status = 1;
      continue;
    }
    // A container's main process, seen from the host: the engine decides (it may ignore the
    // signal, as a namespace's init without a handler does, or exit and be restarted).
    const engine = ctx.target.engine;
    if (proc.container && engine) {
      const name = /^[0-9]+$/.test(signal) ? SIGNALS[Number(signal) - 1] : signal;
      const sig = name === 'KILL' ? 'KILL' : name === 'TERM' || name === 'INT' || name === 'QUIT' ? 'TERM' : null;
      if (sig) engine.signalMainProcess(pid, sig);
      continue;
    }
    ctx.target.procs.kill(proc.pid);
  }
  return status;
}

// ---- basename, dirname ---------------------------------------------------------------------

function basenameCmd(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'as:z', long: { multiple: 'a', 'suffix=': 's', zero: 'z' } });
  if (!o) return 1;
  if (!o.operands.length) {
    if (isBusybox(ctx)) busyboxUsage(ctx);
    else {
      err(ctx, 'missing operand');
      tryHelp(ctx);
    }
    return 1;
  }
  const multi = o.flags.has('a') || o.flags.has('s');
  let names = o.operands;
  let suffix = typeof o.flags.get('s') === 'string' ? String(o.flags.get('s')) : '';
  if (!multi) {
    if (names.length > 2) {
      err(ctx, `extra operand ${lq(names[2])}`);
      tryHelp(ctx);
      return 1;
    }
    suffix = names[1] ?? '';
    names = [names[0]];
  }
  for (const n of names) {
    let b = n.replace(/\/+$/, '');
    b = b === '' ? (n ? '/' : '') : b.slice(b.lastIndexOf('/') + 1);
    if (suffix && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length);
    ctx.stdout.write(b + '\n');
  }
  return 0;
}

function dirnameCmd(ctx: CommandContext): number {
  const o = parseOpts(ctx, { short: 'z' });
  if (!o) return 1;
  if (!o.operands.length) {
    if (isBusybox(ctx)) busyboxUsage(ctx);
    else {
      err(ctx, 'missing operand');
      tryHelp(ctx);
    }
    return 1;
  }
  for (const n of o.operands) {
    let p = n.replace(/\/+$/, '');
    if (n.startsWith('/') && p === '') {
      ctx.stdout.write('/\n');
      continue;
    }
    const i = p.lastIndexOf('/');
    if (i < 0) p = '.';
    else p = p.slice(0, i).replace(/\/+$/, '') || '/';
    ctx.stdout.write(p + '\n');
  }
  return 0;
}

// ---- printf, test as programs ---------------------------------------------------------------

export function printf(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const sh = ctx.shell;
  const builtin = sh.builtin(ctx.argv[0]) !== undefined;
  if (args[0] === '--') args.shift();
  if (!args.length) {
    if (!builtin && isBusybox(ctx)) busyboxUsage(ctx);
    else if (!builtin) {
      err(ctx, 'missing operand');
      tryHelp(ctx);
    } else if (sh.dialect === 'bash') ctx.stderr.write('printf: usage: printf [-v var] format [arguments]\n');
    else ctx.stderr.write(`${sh.name}: usage: printf FORMAT [ARGUMENT...]\n`);
    return builtin ? 2 : 1;
  }
  const r = formatPrintf(args[0], args.slice(1));
  ctx.stdout.write(r.out);
  for (const e of r.errors) {
    if (builtin && sh.dialect === 'bash') ctx.stderr.write(`${sh.errPrefix()}printf: ${e}\n`);
    else {
      const m = /^(.*): invalid number$/.exec(e);
      const text =
        m && (isBusybox(ctx) || sh.dialect === 'ash') ? `invalid number '${m[1]}'` : m ? `${lq(m[1])}: expected a numeric value` : e;
      ctx.stderr.write(`${builtin ? sh.name : progName(ctx)}: ${text}\n`);
    }
  }
  return r.errors.length ? 1 : 0;
}

export function testCmd(ctx: CommandContext): number {
  const sh = ctx.shell;
  const bracket = progName(ctx) === '[';
  const args = ctx.argv.slice(1);
  const builtin = sh.builtin(ctx.argv[0]) !== undefined;
  const ash = sh.dialect === 'ash';
  // bash: "bash: line 1: [: msg"; ash: "sh: msg"; coreutils /usr/bin/test: "test: msg".
  const report = (msg: string): number => {
    if (!builtin) ctx.stderr.write(`${progName(ctx)}: ${msg.replace(/^(\[|test): /, '')}\n`);
    else ctx.stderr.write(ash ? `${sh.name}: ${msg}\n` : `${sh.errPrefix()}${msg}\n`);
    return 2;
  };
  if (bracket) {
    if (args[args.length - 1] !== ']') return report(ash ? 'missing ]' : "[: missing `]'");
    args.pop();
  }
  const r = evalTest(args, ctx, bracket ? '[' : 'test');
  if (typeof r === 'string') return report(r);
  return r ? 0 : 1;
}

const b = (name: string, bbDir = '/bin'): { gnu: string; busybox: string } => ({ gnu: `/usr/bin/${name}`, busybox: `${bbDir}/${name}` });

register({ name: 'sleep', run: sleep, paths: b('sleep') });
register({ name: 'env', run: env, paths: b('env', '/usr/bin') });
register({ name: 'printenv', run: printenv, paths: b('printenv') });
register({ name: 'which', run: which, paths: b('which', '/usr/bin') });
register({ name: 'clear', run: clear, paths: b('clear', '/usr/bin') });
register({ name: 'whoami', run: whoami, paths: b('whoami', '/usr/bin') });
register({ name: 'id', run: id, paths: b('id', '/usr/bin') });
register({ name: 'hostname', run: hostname, paths: b('hostname') });
register({ name: 'uname', run: uname, paths: b('uname') });
register({ name: 'date', run: date, paths: b('date') });
register({ name: 'ps', run: ps, paths: b('ps') });
register({ name: 'kill', run: kill, paths: b('kill') });
register({ name: 'true', run: () => 0, paths: b('true') });
register({ name: 'false', run: () => 1, paths: b('false') });
register({ name: 'basename', run: basenameCmd, paths: b('basename', '/usr/bin') });
register({ name: 'dirname', run: dirnameCmd, paths: b('dirname', '/usr/bin') });
register({ name: 'printf', run: printf, paths: b('printf', '/usr/bin') });
register({ name: 'test', run: testCmd, paths: b('test', '/usr/bin') });
register({ name: '[', run: testCmd, paths: b('[', '/usr/bin') });
