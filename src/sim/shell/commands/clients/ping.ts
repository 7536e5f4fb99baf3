/**
 * ping: iputils-ping (hosts, glibc images) and busybox ping (busybox, alpine). Every echo
 * request is walked through the network; the output and exit status follow the real tools:
 * iputils exits 1 when no reply came, 2 on errors; busybox exits 1 for both.
 */
import type { CommandContext } from '../../interp.ts';
import type { Job } from '../../runtime.ts';
import { register } from '../registry.ts';
import { formatIp4, resolve, reverseLookup, rttMs, stackOf } from './common.ts';
import { ICMP_TIME_EXCEEDED } from '../../../net/packet.ts';
import type { Ip4 } from '../../../net/types.ts';

interface PingOpts {
  count: number | null;
  timeoutS: number;
  deadlineS: number | null;
  intervalMs: number;
  quiet: boolean;
  size: number;
  ttl: number;
  numeric: boolean;
  target: string;
}

const UNREACH_TEXT: Record<number, string> = {
  0: 'Destination Net Unreachable',
  1: 'Destination Host Unreachable',
  2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable',
  9: 'Destination Net Prohibited',
  10: 'Destination Host Prohibited',
  13: 'Packet filtered',
};

function parse(ctx: CommandContext, busybox: boolean): PingOpts | string {
  const o: PingOpts = {
    count: null,
    timeoutS: 10,
    deadlineS: null,
    intervalMs: 1000,
    quiet: false,
    size: 56,
    ttl: 64,
    numeric: false,
    target: '',
  };
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        const needs = 'cWwisStI'.includes(f);
        let val: string | undefined;
        if (needs) {
          val = a.slice(j + 1) || args[++i];
          if (val === undefined)
            return busybox ? `ping: option requires an argument -- '${f}'` : `ping: option requires an argument -- '${f}'`;
        }
        const num = Number(val);
        switch (f) {
          case 'c':
            if (!Number.isInteger(num) || num < 1)
              return busybox
                ? `ping: invalid number '${val}'`
                : `ping: invalid argument: '${val}': out of range: 1 <= value <= 9223372036854775807`;
            o.count = num;
            break;
          case 'W':
            if (!(num >= 0)) return `ping: bad linger time: ${val}`;
            o.timeoutS = num;
            break;
          case 'w':
            if (!(num >= 0)) return `ping: bad wait time: ${val}`;
            o.deadlineS = num;
            break;
          case 'i':
            o.intervalMs = Math.max(busybox ? 0 : 2, num * 1000);
            break;
          case 's':
            o.size = num;
            break;
          case 't':
            o.ttl = num;
            break;
          case 'q':
            o.quiet = true;
            break;
          case 'n':
            o.numeric = true;
            break;
          case '4':
          case 'v':
            break;
          default:
            return busybox ? `ping: invalid option -- '${f}'` : `ping: invalid option -- '${f}'`;
        }
        if (needs) break;
      }
    } else if (!o.target) o.target = a;
    else return busybox ? 'BusyBox usage' : `ping: ${a}: Name or service not known`;
  }
  if (!o.target) return busybox ? 'BusyBox usage' : 'ping: usage error: Destination address required';
  return o;
}

function ping(ctx: CommandContext): Job {
  return (function* (): Job {
    const busybox = ctx.target.userland === 'busybox';
    const o = parse(ctx, busybox);
    if (typeof o === 'string') {
      ctx.stderr.write(
        o === 'BusyBox usage' ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n' : o + '\n',
      );
      return busybox ? 1 : 2;
    }
    const res = ctx.target.world ? resolve(ctx, o.target) : null;
    if (res && res.waitedMs) {
      const r = yield { kind: 'sleep', ms: res.waitedMs };
      if (r?.interrupted) return busybox ? 1 : 2;
    }
    if (!res || res.addrs.length === 0) {
      if (busybox) ctx.stderr.write(`ping: bad address '${o.target}'\n`);
      else
        ctx.stderr.write(
          `ping: ${o.target}: ${res?.failure === 'TIMEOUT' ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`,
        );
      return busybox ? 1 : 2;
    }
    const dst = res.addrs[0];
    const dstText = formatIp4(dst);
    const byName = res.source !== 'literal';
    const stack = stackOf(ctx);
    const ns = ctx.target.netns;
    const id = ctx.target.spawnPid() & 0xffff;
    // iputils connects a probe socket first: no route is reported before the header line.
    if (!busybox && stack.sourceFor(ns, dst) === 0) {
      ctx.stderr.write('ping: connect: Network is unreachable\n');
      return 2;
    }
    if (busybox) ctx.stdout.write(`PING ${o.target} (${dstText}): ${o.size} data bytes\n`);
    else ctx.stdout.write(`PING ${o.target} (${dstText}) ${o.size}(${o.size + 28}) bytes of data.\n`);
    const rtts: number[] = [];
    let sent = 0;
    let errors = 0;
    let elapsed = 0;
    let interrupted = false;
    const deadlineMs = o.deadlineS !== null ? o.deadlineS * 1000 : Infinity;
    const names = new Map<Ip4, string | null>();
    const fromText = (ip: Ip4): string => {
      if (busybox || !byName || o.numeric) return formatIp4(ip);
      if (!names.has(ip)) names.set(ip, reverseLookup(ctx, ip));
      const n = names.get(ip);
      return n ? `${n} (${formatIp4(ip)})` : formatIp4(ip);
    };
    for (let seq = busybox ? 0 : 1; ; seq++) {
      if (o.count !== null && sent >= o.count) break;
      if (elapsed >= deadlineMs) break;
      const outcome = stack.traced(() => stack.echo(ns, dst, { id, seq, bytes: o.size, ttl: o.ttl }));
      sent++;
      if (outcome.kind === 'errno') {
        // A failed neighbour lookup is reported asynchronously: busybox ignores it, iputils prints it.
        if (busybox && outcome.errno !== 'EHOSTUNREACH') {
          ctx.stderr.write(`ping: sendto: ${errnoText(outcome.errno)}\n`);
          return 1;
        }
        if (outcome.errno === 'EHOSTUNREACH') {
          if (!busybox) {
            errors++;
            if (!o.quiet) ctx.stdout.write(`From ${formatIp4(stack.sourceFor(ns, dst))} icmp_seq=${seq} Destination Host Unreachable\n`);
          }
        } else {
          ctx.stdout.write(`ping: sendmsg: ${errnoText(outcome.errno)}\n`);
          errors++;
        }
      } else if (outcome.kind === 'reply') {
        const t = rttMs(ctx, rtts.length === 0, outcome.reply.hops);
        rtts.push(t);
        if (!o.quiet) {
          if (busybox)
            ctx.stdout.write(
              `${outcome.reply.bytes} bytes from ${formatIp4(outcome.reply.from)}: seq=${seq} ttl=${outcome.reply.ttl} time=${t.toFixed(3)} ms\n`,
            );
          else
            ctx.stdout.write(
              `${outcome.reply.bytes} bytes from ${fromText(outcome.reply.from)}: icmp_seq=${seq} ttl=${outcome.reply.ttl} time=${fmtRtt(t)} ms\n`,
            );
        }
      } else if (outcome.kind === 'error' && !busybox) {
        errors++;
        const e = outcome.error;
        const text =
          e.type === ICMP_TIME_EXCEEDED ? 'Time to live exceeded' : (UNREACH_TEXT[e.code] ?? `Dest Unreachable, Bad Code: ${e.code}`);
        if (!o.quiet) ctx.stdout.write(`From ${fromText(e.from)} icmp_seq=${seq} ${text}\n`);
      }
      const last = (o.count !== null && sent >= o.count) || elapsed + o.intervalMs >= deadlineMs;
      const lost = outcome.kind !== 'reply';
      // After the last request, wait for its reply up to -W (or the deadline).
      const wait = last ? (lost ? Math.min(o.timeoutS * 1000, deadlineMs - elapsed) : 0) : o.intervalMs;
      if (wait > 0) {
        const r = yield { kind: 'sleep', ms: wait };
        elapsed += wait;
        if (r?.interrupted) {
          interrupted = true;
          break;
        }
      }
      if (last) break;
    }
    if (interrupted && ctx.stdout.isTty) ctx.stdout.write('^C');
    const received = rtts.length;
    const loss = sent === 0 ? 0 : Math.floor(((sent - received) * 100) / sent);
    ctx.stdout.write(`\n--- ${o.target} ping statistics ---\n`);
    if (busybox) {
      ctx.stdout.write(`${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`);
      if (received) {
        const min = Math.min(...rtts);
        const max = Math.max(...rtts);
        const avg = rtts.reduce((a, b) => a + b, 0) / received;
        ctx.stdout.write(`round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n`);
      }
      return received ? 0 : 1;
    }
    const timeMs = Math.max(0, (sent - 1) * o.intervalMs + (sent > 1 ? 3 + ctx.target.world.rng.int(30) : 0));
    ctx.stdout.write(
      `${sent} packets transmitted, ${received} received, ${errors ? `+${errors} errors, ` : ''}${loss}% packet loss, time ${timeMs}ms\n`,
    );
    if (received) {
      const min = Math.min(...rtts);
      const max = Math.max(...rtts);
      const avg = rtts.reduce((a, b) => a + b, 0) / received;
      const mdev = Math.sqrt(Math.max(0, rtts.reduce((a, b) => a + b * b, 0) / received - avg * avg));
      ctx.stdout.write(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`);
    } else {
      // finish() ends with putchar('\n') after the optional rtt line: with none, a blank line.
      ctx.stdout.write('\n');
    }
    return received ? 0 : 1;
  })();
}

/** iputils prints times below 1 ms with three decimals, then fewer as they grow. */
function fmtRtt(t: number): string {
  if (t >= 100) return t.toFixed(0);
  if (t >= 10) return t.toFixed(1);
  if (t >= 1) return t.toFixed(2);
  return t.toFixed(3);
}

export function errnoText(errno: string): string {
  switch (errno) {
    case 'ENETUNREACH':
      return 'Network is unreachable';
    case 'EHOSTUNREACH':
      return 'No route to host';
    case 'EPERM':
      return 'Operation not permitted';
    case 'EINVAL':
      return 'Invalid argument';
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'ETIMEDOUT':
      return 'Connection timed out';
    default:
      return errno;
  }
}

register({ name: 'ping', run: ping, paths: { gnu: '/usr/bin/ping', busybox: '/bin/ping' } });
