/**
 * What network clients share: the namespace's stack, name resolution through the caller's
 * /etc/hosts and /etc/resolv.conf, reverse lookups, and small option parsing helpers.
 */
import type { CommandContext } from '../../interp.ts';
import { resolveHost, queryServer, parseResolvConf, type ResolveOutcome } from '../../../apps/dns.ts';
import { formatIp4, parseIp4 } from '../../../net/ip.ts';
import type { Ip4 } from '../../../net/types.ts';
import type { NetStack, TcpClient } from '../../../net/stack.ts';
import type { Effect, Resume } from '../../runtime.ts';

export function stackOf(ctx: CommandContext): NetStack {
  return ctx.target.world.stack;
}

export function readFileOf(ctx: CommandContext): (p: string) => string | null {
  return (p) => ctx.target.fs.tryRead(p);
}

export function resolve(ctx: CommandContext, name: string): ResolveOutcome {
  return resolveHost(stackOf(ctx), ctx.target.netns, readFileOf(ctx), name);
}

/** getnameinfo(): /etc/hosts first, then a PTR query to the first nameserver; null when unknown. */
export function reverseLookup(ctx: CommandContext, ip: Ip4): string | null {
  const text = formatIp4(ip);
  const hosts = readFileOf(ctx)('/etc/hosts') ?? '';
  for (const raw of hosts.split('\n')) {
    const [addr, name] = raw.replace(/#.*$/, '').trim().split(/\s+/);
    if (addr === text && name) return name;
  }
  const conf = parseResolvConf(readFileOf(ctx)('/etc/resolv.conf') ?? '');
  for (const s of conf.nameservers) {
    const server = parseIp4(s);
    if (server === null) continue;
    const r = queryServer(stackOf(ctx), ctx.target.netns, server, text.split('.').reverse().join('.') + '.in-addr.arpa', 'PTR');
    if (r.kind === 'answer') return r.answer.rcode === 'NOERROR' && r.answer.records.length ? r.answer.records[0] : null;
  }
  return null;
}

/** Round-trip times of the simulated network: tens of microseconds, a little more for the first packet (ARP). */
export function rttMs(ctx: CommandContext, first: boolean, hops: number): number {
  const rng = ctx.target.world.rng;
  const base = 0.04 + hops * 0.01 + rng.int(80) / 1000;
  return first ? base + 0.05 + rng.int(150) / 1000 : base;
}

/** Parses `host:port`, `http://host:port/path` and friends into parts. */
export function parseUrl(raw: string, defaultScheme = 'http'): { scheme: string; host: string; port: number; path: string } | null {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?([/?#].*)?$/.exec(raw);
  if (!m) return null;
  const scheme = (m[1] ?? defaultScheme).toLowerCase();
  const host = m[2];
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80;
  if (!Number.isInteger(port) || port > 65535) return null;
  return { scheme, host, port, path: m[4] && m[4].startsWith('/') ? m[4] : '/' + (m[4] ?? '') };
}

export { formatIp4, parseIp4 };

/**
 * An interactive TCP client's loop (nc, telnet): what the server sends is shown, what is typed
 * is sent (through `encode`), until the server closes, stdin ends (Ctrl-D) or Ctrl-C.
 */
export function* relayTerminal(
  ctx: CommandContext,
  conn: TcpClient,
  encode: (typed: string) => string = (t) => t,
): Generator<Effect, 'peer-closed' | 'eof' | 'interrupted', Resume | undefined> {
  const stack = stackOf(ctx);
  conn.onData = (d) => ctx.stdout.write(d);
  if (conn.received) {
    ctx.stdout.write(conn.received);
    conn.received = '';
  }
  for (;;) {
    const typed = ctx.stdin.takeAll();
    if (typed) stack.traced(() => conn.send(encode(typed)));
    if (conn.peerClosed) return 'peer-closed';
    if (ctx.stdin.eof) return 'eof';
    const r = yield { kind: 'input' };
    if (r?.interrupted) return 'interrupted';
  }
}
