/**
 * telnet: GNU inetutils 2.4's on a Debian 12 host (the `telnet` package is its transitional
 * name there), busybox's in busybox images. Used in the course to ask "does anything answer on
 * this port?" (`telnet 192.168.0.1 80`): what matters is the connect outcome and its words.
 * Lines typed are sent with CR LF (the NVT end of line), what the server sends is shown.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Job, Resume } from '../../runtime.ts';
import type { TcpClient } from '../../../net/stack.ts';
import { register } from '../registry.ts';
import { isBusybox } from '../core/common.ts';
import { formatIp4, relayTerminal, resolve, stackOf } from './common.ts';
import { errnoText } from './ping.ts';

/** Linux gives up a SYN after 6 retransmissions (tcp_syn_retries): 1+2+4+…+64 s. */
const SYN_TIMEOUT_MS = 127_000;

const BUSYBOX_USAGE =
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: telnet [-a] [-l USER] HOST [PORT]\n\nConnect to telnet server\n\n\t-a\tAutomatic login with $USER variable\n\t-l USER\tAutomatic login as USER\n';

/** inetutils' command table (commands.c cmdtab), for `?` at the `telnet> ` prompt. */
const INETUTILS_HELP = [
  ['close', 'close current connection'],
  ['logout', 'forcibly logout remote user and close the connection'],
  ['display', 'display operating parameters'],
  ['mode', "try to enter line or character mode ('mode ?' for more)"],
  ['open', 'connect to a site'],
  ['quit', 'exit telnet'],
  ['send', "transmit special characters ('send ?' for more)"],
  ['set', "set operating parameters ('set ?' for more)"],
  ['unset', "unset operating parameters ('unset ?' for more)"],
  ['status', 'print status information'],
  ['toggle', "toggle operating parameters ('toggle ?' for more)"],
  ['slc', "change state of special characters ('slc ?' for more)"],
  ['z', 'suspend telnet'],
  ['!', 'invoke a subshell'],
  ['environ', "change environment variables ('environ ?' for more)"],
  ['?', 'print help information'],
];

type Outcome = { exit: number } | { conn: TcpClient; shown: string };

function telnet(ctx: CommandContext): Job {
  return isBusybox(ctx) ? busyboxTelnet(ctx) : inetutilsTelnet(ctx);
}

/** Resolves and connects; the connect's wait and failure are the caller's words. */
function* connect(
  ctx: CommandContext,
  host: string,
  port: number,
  say: { lookupFailed: () => void; refused: (ip: string, errno: string) => string; trying?: (ip: string) => string },
): Generator<Effect, Outcome, Resume | undefined> {
  const res = resolve(ctx, host);
  if (res.waitedMs) {
    const r = yield { kind: 'sleep', ms: res.waitedMs };
    if (r?.interrupted) return { exit: 130 };
  }
  if (!res.addrs.length) {
    say.lookupFailed();
    return { exit: 1 };
  }
  const ip = formatIp4(res.addrs[0]);
  if (say.trying) ctx.stdout.write(say.trying(ip));
  const stack = stackOf(ctx);
  const conn = stack.traced(() => stack.tcpConnect(ctx.target.netns, res.addrs[0], port));
  if ('error' in conn) {
    if (conn.error === 'ETIMEDOUT') {
      const r = yield { kind: 'sleep', ms: SYN_TIMEOUT_MS };
      if (r?.interrupted) return { exit: 130 };
    }
    ctx.stderr.write(say.refused(ip, conn.error));
    return { exit: 1 };
  }
  return { conn, shown: ip };
}

/** Typed lines go out with the NVT's CR LF end of line. */
const crlf = (typed: string): string => typed.replace(/\r?\n/g, '\r\n');

function busyboxTelnet(ctx: CommandContext): Job {
  return (function* (): Job {
    const pos: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-a') continue;
      if (a === '-l') {
        if (args[++i] === undefined) {
          ctx.stderr.write("telnet: option requires an argument -- 'l'\n" + BUSYBOX_USAGE);
          return 1;
        }
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        ctx.stderr.write(`telnet: invalid option -- '${a[1]}'\n${BUSYBOX_USAGE}`);
        return 1;
      }
      pos.push(a);
    }
    if (pos.length < 1 || pos.length > 2) {
      ctx.stderr.write(BUSYBOX_USAGE);
      return 1;
    }
    const port = pos[1] === undefined ? 23 : Number(pos[1]);
    if (!/^\d+$/.test(pos[1] ?? '23') || port > 65535) {
      ctx.stderr.write(`telnet: bad port '${pos[1]}'\n`);
      return 1;
    }
    const out = yield* connect(ctx, pos[0], port, {
      lookupFailed: () => ctx.stderr.write(`telnet: bad address '${pos[0]}'\n`),
      refused: (ip, errno) => `telnet: can't connect to remote host (${ip}): ${errnoText(errno)}\n`,
    });
    if ('exit' in out) return out.exit;
    const end = yield* relayTerminal(ctx, out.conn, crlf);
    out.conn.close();
    if (end === 'peer-closed') {
      ctx.stdout.write('Connection closed by foreign host\r\n');
      return 1;
    }
    return end === 'interrupted' ? 130 : 0;
  })();
}

function inetutilsTelnet(ctx: CommandContext): Job {
  return (function* (): Job {
    const args = ctx.argv.slice(1);
    const pos: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (['-4', '-6', '-8', '-E', '-K', '-L', '-a', '-c', '-d', '-r', '-F', '-f', '-x'].includes(a)) continue;
      if (['-e', '-l', '-n', '-b', '-k', '-X'].includes(a)) {
        i++;
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        ctx.stderr.write(`telnet: invalid option -- '${a[1]}'\nTry 'telnet --help' or 'telnet --usage' for more information.\n`);
        return 64;
      }
      pos.push(a);
    }
    if (!pos.length) return yield* commandMode(ctx);
    return yield* open(ctx, pos);
  })();
}

/** `open HOST [PORT]` (also what `telnet HOST PORT` does): commands.c tn(). */
function* open(ctx: CommandContext, pos: string[]): Job {
  if (pos.length > 2) {
    ctx.stdout.write('usage: telnet [-4] [-6] [-l user] [-b addr] [-a] host-name [port]\n');
    return 1;
  }
  const [host, portArg = 'telnet'] = pos;
  let port = 23;
  if (portArg !== 'telnet') {
    const p = portArg.replace(/^-/, '');
    if (/^\d/.test(p)) {
      const m = /^(\d+)(.*)$/.exec(p)!;
      if (m[2]) {
        ctx.stdout.write(`Invalid port name '${p}'.\n`);
        return 1;
      }
      port = Number(m[1]);
      if (port < 1 || port > 65535) {
        ctx.stdout.write(`Port number ${p} is out of range.\n`);
        return 1;
      }
    } else if (p === 'http' || p === 'www') port = 80;
    else if (p !== 'telnet') {
      ctx.stdout.write(`Server lookup failure:  ${host}:${p}, Servname not supported for ai_socktype\n`);
      return 1;
    }
  }
  const out = yield* connect(ctx, host, port, {
    // tn() prints getaddrinfo's failure on stdout.
    lookupFailed: () => ctx.stdout.write(`Server lookup failure:  ${host}:${portArg}, Name or service not known\n`),
    refused: (_ip, errno) => `telnet: Unable to connect to remote host: ${errnoText(errno)}\n`,
    trying: (ip) => `Trying ${ip}...\n`,
  });
  if ('exit' in out) return out.exit;
  ctx.stdout.write(`Connected to ${host}.\nEscape character is '^]'.\n`);
  const end = yield* relayTerminal(ctx, out.conn, crlf);
  out.conn.close();
  if (end === 'peer-closed') {
    // ExitString(): on stderr, status 1 when the peer went away.
    ctx.stderr.write('Connection closed by foreign host.\n');
    return 1;
  }
  // Ctrl-C or Ctrl-D here stand for `^]` then `quit` (bye(): "Connection closed.").
  ctx.stdout.write('Connection closed.\n');
  return 0;
}

/** `telnet` with no host: the `telnet> ` command prompt (open, quit, close, help). */
function* commandMode(ctx: CommandContext): Job {
  for (;;) {
    ctx.stdout.write('telnet> ');
    let line = ctx.stdin.takeLine();
    while (line === null && !ctx.stdin.eof) {
      const r = yield { kind: 'input' };
      if (r?.interrupted) return 130;
      line = ctx.stdin.takeLine();
    }
    if (line === null) {
      ctx.stdout.write('\n');
      return 0;
    }
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (!words.length) return 0;
    const [cmd, ...rest] = words;
    const matches = INETUTILS_HELP.map(([n]) => n).filter((n) => n.startsWith(cmd));
    const name = matches.includes(cmd) ? cmd : matches.length === 1 ? matches[0] : cmd === 'help' ? '?' : null;
    if (matches.length > 1 && !name) {
      ctx.stdout.write('?Ambiguous command\n');
      continue;
    }
    if (name === 'quit') return 0;
    if (name === '?') {
      ctx.stdout.write('Commands may be abbreviated.  Commands are:\n\n');
      for (const [n, h] of INETUTILS_HELP) ctx.stdout.write(`${n.padEnd(8)}\t${h}\n`);
      continue;
    }
    if (name === 'open') {
      if (!rest.length) {
        ctx.stdout.write('usage: open [-4] [-6] [-l user] [-b addr] [-a] host-name [port]\n');
        continue;
      }
      return yield* open(ctx, rest);
    }
    if (name === 'close' || name === 'logout' || name === 'send' || name === 'status') {
      ctx.stdout.write(name === 'status' ? "No connection.\nEscape character is '^]'.\n" : '?Need to be connected first.\n');
      continue;
    }
    if (name === null) ctx.stdout.write('?Invalid command\n');
    // display, mode, set, toggle…: the lab's telnet has no settings to show or change
    // (KNOWN-DIFFERENCES); they print nothing.
  }
}

register({ name: 'telnet', run: telnet, paths: { gnu: '/usr/bin/telnet', busybox: '/usr/bin/telnet' } });
