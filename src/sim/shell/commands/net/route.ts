/**
 * `route` — net-tools 2.10 (route.c, lib/inet_gr.c, lib/inet_sr.c) and busybox
 * (networking/route.c). Lists the main table as /proc/net/route gives it, and adds or deletes
 * routes with the SIOCADDRT/SIOCDELRT semantics (`-net`/`-host`, `netmask`, `gw`, `dev`,
 * `metric`, `default`).
 */
import type { CommandContext } from '../../interp.ts';
import type { Route } from '../../../net/types.ts';
import type { Netns } from '../../../net/netns.ts';
import { NetError } from '../../../net/netns.ts';
import { formatIp4, formatMask, networkOf, parseIp4, prefixFromMask } from '../../../net/ip.ts';
import { register } from '../registry.ts';
import { err } from './common.ts';

/** RTF_* flags as route prints them. */
function routeFlags(r: Route): string {
  let f = 'U';
  if (r.gateway !== null) f += 'G';
  if (r.prefix === 32) f += 'H';
  if (r.type === 'unreachable' || r.type === 'prohibit' || r.type === 'blackhole') f = '!' + f.slice(1);
  return f;
}

/** Names from /etc/hosts, as gethostbyaddr would find them without DNS. */
function hostsName(ctx: CommandContext, ip: number): string | null {
  let text: string;
  try {
    text = ctx.target.fs.read('/etc/hosts');
  } catch {
    return null;
  }
  const want = formatIp4(ip);
  for (const line of text.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f[0] === want && f[1]) return f[1];
  }
  return null;
}

/**
 * The routing table as `route` prints it, or as `netstat -r` does (`netstatFmt`: the MSS,
 * Window and irtt columns instead of Metric, Ref and Use).
 */
export function printTable(ctx: CommandContext, ns: Netns, numeric: boolean, busybox: boolean, netstatFmt = false): void {
  let out = `Kernel IP routing table\nDestination     Gateway         Genmask         ${netstatFmt ? 'Flags   MSS Window  irtt' : 'Flags Metric Ref    Use'} Iface\n`;
  for (const r of ns.mainRoutes()) {
    if (r.type !== 'unicast' && r.type !== 'unreachable' && r.type !== 'prohibit' && r.type !== 'blackhole') continue;
    const dev = r.dev !== null ? (ns.link(r.dev)?.name ?? '*') : '*';
    let dst = formatIp4(r.dst);
    let gw = formatIp4(r.gateway ?? 0);
    if (!numeric) {
      if (r.dst === 0 && r.prefix === 0) dst = 'default';
      else if (r.prefix === 32) dst = hostsName(ctx, r.dst) ?? dst;
      if (r.gateway === null) gw = busybox ? '*' : '0.0.0.0';
      else gw = hostsName(ctx, r.gateway) ?? gw;
    }
    const flags = routeFlags(r);
    const iface = flags.startsWith('!') ? '-' : dev;
    if (busybox) {
      out += `${dst.slice(0, 15).padEnd(15)} ${gw.slice(0, 15).padEnd(15)} ${formatMask(r.prefix).padEnd(16)}${flags.padEnd(6)}`;
      out += netstatFmt
        ? `${'0'.padStart(5)} ${'0'.padEnd(5)} ${'0'.padStart(6)} ${iface}\n`
        : `${String(r.metric).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${iface}\n`;
    } else if (netstatFmt) {
      out += `${dst.padEnd(15)} ${gw.padEnd(15)} ${formatMask(r.prefix).padEnd(15)} ${flags.padEnd(5)} ${'0'.padStart(5)} ${'0'.padEnd(5)} ${'0'.padStart(6)} ${iface}\n`;
    } else {
      out += `${dst.padEnd(15)} ${gw.padEnd(15)} ${formatMask(r.prefix).padEnd(15)} ${flags.padEnd(5)} ${String(r.metric).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${iface}\n`;
    }
  }
  ctx.stdout.write(out);
}

const GNU_USAGE = `Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
       route {-V|--version}                  Display version/author and exit.

        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -e, --extend             display other/more information
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) x25 (CCITT X.25) 
`;

function routeMain(ctx: CommandContext): number {
  const busybox = ctx.target.userland === 'busybox';
  const ns = ctx.target.netns;
  const args = ctx.argv.slice(1);
  let numeric = false;
  while (args[0]?.startsWith('-') && !/^-(net|host)$/.test(args[0])) {
    const o = args.shift()!;
    if (o === '--numeric') {
      numeric = true;
      continue;
    }
    if (o === '-A' || o === '--inet' || o === '-4') {
      if (o === '-A') args.shift();
      continue;
    }
    for (const c of o.slice(1)) {
      if (c === 'n') numeric = true;
      else if (c === 'e' || c === 'v' || c === 'F' || c === 'N') continue;
      else {
        if (busybox) err(ctx, `route: invalid option -- '${c}'`);
        else ctx.stderr.write(GNU_USAGE);
        return busybox ? 1 : 4;
      }
    }
  }
  if (args.length === 0) {
    printTable(ctx, ns, numeric, busybox);
    return 0;
  }
  const cmd = args.shift()!;
  if (cmd !== 'add' && cmd !== 'del') {
    if (busybox) {
      err(ctx, `route: invalid argument '${cmd}' to 'add'|'del'`);
      return 1;
    }
    ctx.stderr.write(GNU_USAGE);
    return 4;
  }
  return modify(ctx, ns, cmd, args, busybox);
}

function modify(ctx: CommandContext, ns: Netns, cmd: 'add' | 'del', args: string[], busybox: boolean): number {
  let kind: 'net' | 'host' | null = null;
  let target: string | null = null;
  let mask: number | null = null;
  let gw: number | null = null;
  let dev: string | null = null;
  let metric = 0;
  let reject = false;
  const usage = (): number => {
    if (busybox) err(ctx, `route: invalid argument`);
    else ctx.stderr.write(GNU_USAGE);
    return busybox ? 1 : 4;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-net') kind = 'net';
    else if (a === '-host') kind = 'host';
    else if (a === 'netmask') {
      const m = parseIp4(args[++i] ?? '');
      const p = m === null ? null : prefixFromMask(m);
      if (p === null) {
        err(ctx, busybox ? `route: resolving ${args[i] ?? ''}` : `route: netmask ${args[i] ?? ''} invalid`);
        return busybox ? 1 : 4;
      }
      mask = p;
    } else if (a === 'gw' || a === 'gateway') {
      const g = parseIp4(args[++i] ?? '');
      if (g === null) {
        err(ctx, busybox ? `route: resolving ${args[i] ?? ''}` : `${args[i] ?? ''}: Unknown host`);
        return busybox ? 1 : 6;
      }
      gw = g;
    } else if (a === 'dev') dev = args[++i] ?? null;
    else if (a === 'metric') metric = Number(args[++i]) || 0;
    else if (a === 'reject') reject = true;
    else if (target === null) target = a;
    else if (dev === null) dev = a;
    else return usage();
  }
  if (target === null) return usage();
  let ip: number | null;
  let prefix: number;
  if (target === 'default') {
    ip = 0;
    prefix = 0;
  } else {
    const [addr, p] = target.split('/');
    ip = parseIp4(addr);
    if (ip === null) {
      err(ctx, busybox ? `route: resolving ${target}` : `${target}: Unknown host`);
      return busybox ? 1 : 6;
    }
    prefix = p !== undefined ? Number(p) : (mask ?? (kind === 'net' ? 32 : 32));
    if (kind === 'host') prefix = 32;
  }
  if (mask !== null && target !== 'default') prefix = mask;
  if (networkOf(ip, prefix) !== ip) {
    // inet_sr.c: "route: netmask doesn't match route address"
    err(ctx, busybox ? `route: netmask and route address conflict` : `route: netmask doesn't match route address`);
    if (!busybox) ctx.stderr.write(GNU_USAGE);
    return busybox ? 1 : 4;
  }
  let devIndex: number | null = null;
  if (dev !== null) {
    const l = ns.linkByName(dev);
    if (!l) {
      err(
        ctx,
        busybox
          ? `route: SIOC${cmd === 'add' ? 'ADD' : 'DEL'}RT: No such device`
          : `SIOC${cmd === 'add' ? 'ADD' : 'DEL'}RT: No such device`,
      );
      return busybox ? 1 : 7;
    }
    devIndex = l.ifindex;
  }
  const fail = (text: string): number => {
    err(ctx, `${busybox ? 'route: ' : ''}SIOC${cmd === 'add' ? 'ADD' : 'DEL'}RT: ${text}`);
    return busybox ? 1 : 7;
  };
  try {
    if (cmd === 'del') {
      ns.delRoute({ dst: ip, prefix, gateway: gw, dev: devIndex });
      return 0;
    }
    if (gw === null && devIndex === null && !reject) {
      // Without a gateway the kernel needs a device (SIOCADDRT picks none).
      return fail('No such device');
    }
    ns.addRoute({
      type: reject ? 'unreachable' : 'unicast',
      dst: ip,
      prefix,
      gateway: gw,
      dev: devIndex,
      proto: 'boot',
      scope: gw === null ? 'link' : 'global',
      src: null,
      metric,
    });
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    const text: Record<string, string> = {
      EEXIST: 'File exists',
      ESRCH: 'No such process',
      ENETUNREACH: 'Network is unreachable',
      ENODEV: 'No such device',
      EINVAL: 'Invalid argument',
    };
    return fail(text[e.code] ?? e.message.replace(/^RTNETLINK answers: /, ''));
  }
  return 0;
}

register({ name: 'route', run: routeMain, paths: { gnu: '/usr/sbin/route', busybox: '/sbin/route' } });
