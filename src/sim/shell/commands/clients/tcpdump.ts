/**
 * tcpdump: captures what crosses an interface of the caller's namespace (a tap on the packet
 * walk) and prints tcpdump 4.99's one-line decodes; busybox traceroute.
 */
import type { CommandContext } from '../../interp.ts';
import type { Job } from '../../runtime.ts';
import { register } from '../registry.ts';
import { formatIp4, parseIp4, resolve, stackOf } from './common.ts';
import type { Packet } from '../../../net/packet.ts';
import type { Captured } from '../../../net/stack.ts';

type Pred = (p: Packet) => boolean;

const PORT_NAMES: Record<number, string> = {
  22: 'ssh',
  53: 'domain',
  80: 'http',
  443: 'https',
  6379: 'redis',
  3306: 'mysql',
  8080: 'http-alt',
  4789: '4789',
};

/** A small pcap-filter: protocols, host/net/port with src/dst qualifiers, and/or/not, parentheses. */
export function compileFilter(tokens: string[]): Pred | string {
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string | undefined => tokens[i++];
  const primary = (): Pred | string => {
    const t = next();
    if (t === undefined) return 'syntax error';
    if (t === 'not' || t === '!') {
      const p = primary();
      return typeof p === 'string' ? p : (x) => !p(x);
    }
    if (t === '(') {
      const e = expr();
      if (typeof e === 'string') return e;
      if (next() !== ')') return 'syntax error';
      return e;
    }
    if (t === 'icmp' || t === 'tcp' || t === 'udp') {
      if ((t === 'tcp' || t === 'udp') && peek() === 'port') {
        next();
        const port = Number(next());
        return (p) => p.proto === t && (p.sport === port || p.dport === port);
      }
      return (p) => p.proto === t;
    }
    if (t === 'ip' || t === 'arp') return (p) => t === 'ip' && !!p;
    let dir: 'src' | 'dst' | null = null;
    let word = t;
    if (word === 'src' || word === 'dst') {
      dir = word;
      word = next() ?? '';
    }
    if (word === 'host') {
      const ip = parseIp4(next() ?? '');
      if (ip === null) return "can't resolve host";
      return (p) => (dir !== 'dst' && p.src === ip) || (dir !== 'src' && p.dst === ip);
    }
    if (word === 'port') {
      const port = Number(next());
      if (!Number.isInteger(port)) return 'illegal port number';
      return (p) => p.proto !== 'icmp' && ((dir !== 'dst' && p.sport === port) || (dir !== 'src' && p.dport === port));
    }
    const ip = parseIp4(word);
    if (ip !== null) return (p) => (dir !== 'dst' && p.src === ip) || (dir !== 'src' && p.dst === ip);
    return `syntax error in filter expression: syntax error`;
  };
  const and = (): Pred | string => {
    let l = primary();
    while (typeof l !== 'string' && (peek() === 'and' || peek() === '&&')) {
      next();
      const r = primary();
      if (typeof r === 'string') return r;
      const a = l;
      l = (p) => a(p) && r(p);
    }
    return l;
  };
  const expr = (): Pred | string => {
    let l = and();
    while (typeof l !== 'string' && (peek() === 'or' || peek() === '||')) {
      next();
      const r = and();
      if (typeof r === 'string') return r;
      const a = l;
      l = (p) => a(p) || r(p);
    }
    return l;
  };
  if (!tokens.length) return () => true;
  const e = expr();
  if (typeof e !== 'string' && i < tokens.length) return 'syntax error in filter expression: syntax error';
  return e;
}

function ts(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(us % 1_000_000, 6)}`;
}

/** One packet as tcpdump prints it (`-n` numeric hosts, `-nn` numeric ports too). */
export function decode(p: Packet, opts: { verbose: boolean; nnPorts: boolean }): string {
  const port = (n: number): string => (opts.nnPorts ? String(n) : (PORT_NAMES[n] ?? String(n)));
  const ep = (ip: number, pt: number | null): string => (pt === null ? formatIp4(ip) : `${formatIp4(ip)}.${port(pt)}`);
  let body: string;
  switch (p.proto) {
    case 'icmp': {
      const payloadLen = p.len - 20;
      if (p.icmpType === 8 || p.icmpType === 0)
        body = `${ep(p.src, null)} > ${ep(p.dst, null)}: ICMP echo ${p.icmpType === 8 ? 'request' : 'reply'}, id ${p.sport}, seq ${p.seq ?? 0}, length ${payloadLen}`;
      else if (p.icmpType === 3 && p.inner) {
        const inner = p.inner;
        const what =
          p.icmpCode === 3
            ? `${formatIp4(inner.dst)} ${inner.proto} port ${port(inner.dport)} unreachable`
            : p.icmpCode === 1
              ? `host ${formatIp4(inner.dst)} unreachable`
              : p.icmpCode === 0
                ? `net ${formatIp4(inner.dst)} unreachable`
                : `${formatIp4(inner.dst)} unreachable - admin prohibited filter`;
        body = `${ep(p.src, null)} > ${ep(p.dst, null)}: ICMP ${what}, length ${payloadLen}`;
      } else if (p.icmpType === 11) body = `${ep(p.src, null)} > ${ep(p.dst, null)}: ICMP time exceeded in-transit, length ${payloadLen}`;
      else body = `${ep(p.src, null)} > ${ep(p.dst, null)}: ICMP type-#${p.icmpType}, length ${payloadLen}`;
      break;
    }
    case 'tcp': {
      const f = p.tcp ?? { syn: false, ack: false, fin: false, rst: false };
      const flags = (f.syn ? 'S' : '') + (f.fin ? 'F' : '') + (f.rst ? 'R' : '') + (p.payload ? 'P' : '') + (f.ack ? '.' : '');
      body = `${ep(p.src, p.sport)} > ${ep(p.dst, p.dport)}: Flags [${flags || 'none'}], length ${p.payload.length}`;
      break;
    }
    case 'udp':
      body = `${ep(p.src, p.sport)} > ${ep(p.dst, p.dport)}: UDP, length ${p.payload.length}`;
      break;
  }
  if (!opts.verbose) return `IP ${body}`;
  const proto = p.proto === 'icmp' ? 'ICMP (1)' : p.proto === 'tcp' ? 'TCP (6)' : 'UDP (17)';
  return `IP (tos 0x0, ttl ${p.ttl}, id ${p.ipId}, offset 0, flags [${p.df ? 'DF' : 'none'}], proto ${proto}, length ${p.len})\n    ${body}`;
}

function tcpdump(ctx: CommandContext): Job {
  return (function* (): Job {
    let iface: string | null = null;
    let nCount = 0;
    let verbose = false;
    let count: number | null = null;
    const expr: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-i') iface = args[++i] ?? null;
      else if (a === '-c') count = Number(args[++i]);
      else if (/^-[nvle]+$/.test(a)) {
        for (const f of a.slice(1)) {
          if (f === 'n') nCount++;
          else if (f === 'v') verbose = true;
        }
      } else if (a.startsWith('-i')) iface = a.slice(2);
      else if (a.startsWith('-c')) count = Number(a.slice(2));
      else if (a.startsWith('-')) {
        ctx.stderr.write(`tcpdump: invalid option -- '${a.slice(1, 2)}'\n`);
        return 1;
      } else expr.push(...a.split(/\s+/).filter(Boolean));
    }
    const ns = ctx.target.netns;
    const link = iface && iface !== 'any' ? ns.linkByName(iface) : (ns.sortedLinks().find((l) => l.kind !== 'loopback' && l.up) ?? null);
    if (iface && iface !== 'any' && !link) {
      ctx.stderr.write(`tcpdump: ${iface}: No such device exists\n(No such device exists)\n`);
      return 1;
    }
    const filter = compileFilter(expr.flatMap((t) => t.split(/(?=[()])|(?<=[()])/)));
    if (typeof filter === 'string') {
      ctx.stderr.write(`tcpdump: ${filter}\n`);
      return 1;
    }
    const name = iface ?? link?.name ?? 'any';
    if (!verbose) ctx.stderr.write('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n');
    ctx.stderr.write(
      `${verbose ? 'tcpdump: ' : ''}listening on ${name}, link-type ${name === 'any' ? 'LINUX_SLL2 (Linux cooked v2)' : 'EN10MB (Ethernet)'}, snapshot length 262144 bytes\n`,
    );
    const lines: string[] = [];
    let captured = 0;
    const stop = stackOf(ctx).addTap((c: Captured) => {
      if (c.ns !== ns || (link && c.link !== link) || (!link && c.link.kind === 'loopback')) return;
      if (count !== null && captured >= count) return;
      if (!filter(c.pkt)) return;
      captured++;
      lines.push(`${ts(c.timeUs)} ${decode(c.pkt, { verbose, nnPorts: nCount >= 2 })}\n`);
    });
    try {
      for (;;) {
        for (const l of lines.splice(0)) ctx.stdout.write(l);
        if (count !== null && captured >= count) break;
        const r = yield { kind: 'sleep', ms: 100 };
        if (r?.interrupted) {
          for (const l of lines.splice(0)) ctx.stdout.write(l);
          if (ctx.stdout.isTty) ctx.stdout.write('^C\n');
          break;
        }
      }
    } finally {
      stop();
    }
    ctx.stderr.write(
      `${captured} packet${captured === 1 ? '' : 's'} captured\n${captured} packet${captured === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`,
    );
    return 0;
  })();
}

/** busybox traceroute: UDP probes to 33434+ with growing TTL; routers answer "time exceeded". */
function traceroute(ctx: CommandContext): Job {
  return (function* (): Job {
    const args = ctx.argv.slice(1);
    let maxHops = 30;
    let waitS = 5;
    let queries = 3;
    let target: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-m') maxHops = Number(args[++i]);
      else if (a === '-w') waitS = Number(args[++i]);
      else if (a === '-q') queries = Number(args[++i]);
      else if (a === '-n' || a === '-I' || a === '-4') continue;
      else if (a.startsWith('-')) {
        ctx.stderr.write(`traceroute: invalid option -- '${a.slice(1)}'\n`);
        return 1;
      } else target = a;
    }
    if (!target) {
      ctx.stderr.write(
        'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: traceroute [-46IFlnrv] [-f 1ST_TTL] [-m MAXTTL] [-q PROBES] [-p PORT]\n',
      );
      return 1;
    }
    const res = resolve(ctx, target);
    if (!res.addrs.length) {
      ctx.stderr.write(`traceroute: bad address '${target}'\n`);
      return 1;
    }
    const dst = res.addrs[0];
    const stack = stackOf(ctx);
    ctx.stdout.write(`traceroute to ${target} (${formatIp4(dst)}), ${maxHops} hops max, 46 byte packets\n`);
    for (let ttl = 1; ttl <= maxHops; ttl++) {
      let line = ttl < 10 ? ` ${ttl} ` : `${ttl} `;
      let reached = false;
      let lastFrom: number | null = null;
      for (let q = 0; q < queries; q++) {
        const r = stack.udpExchange(ctx.target.netns, dst, 33434 + ttl * queries + q, '', { ttl });
        if (r.error) {
          if (r.error.from !== lastFrom) line += ` ${formatIp4(r.error.from)} `;
          lastFrom = r.error.from;
          line += ` ${(0.003 + ctx.target.world.rng.int(10) / 1000).toFixed(3)} ms`;
          if (r.error.type === 3) reached = true;
        } else {
          const s = yield { kind: 'sleep', ms: waitS * 1000 };
          if (s?.interrupted) return 130;
          line += ' *';
        }
      }
      ctx.stdout.write(line + '\n');
      if (reached) break;
    }
    return 0;
  })();
}

register({ name: 'tcpdump', run: tcpdump, paths: { gnu: '/usr/bin/tcpdump', busybox: '/usr/bin/tcpdump' } });
register({ name: 'traceroute', run: traceroute, paths: { gnu: '/usr/bin/traceroute', busybox: '/usr/bin/traceroute' } });
