/**
 * `ip route`: listing (iproute2 ip/iproute.c print_route, busybox libiproute/iproute.c
 * print_route — busybox never prints `proto` and puts two spaces before `src`), `add`, `del`,
 * `get`, `flush`, with the kernel's answers (RTNETLINK / extack texts) and iproute2's exit codes.
 */
import type { Route } from '../../../net/types.ts';
import type { Netns } from '../../../net/netns.ts';
import { NetError } from '../../../net/netns.ts';
import { broadcastOf, formatIp4, networkOf, parseCidr, parseIp4 } from '../../../net/ip.ts';
import type { CommandContext } from '../../interp.ts';
import { err } from './common.ts';
import type { IpOptions } from './ip-show.ts';
import { IP_ROUTE_USAGE } from './ip-usage.ts';

export function routeDst(r: Route): string {
  if (r.prefix === 0 && r.dst === 0) return 'default';
  return r.prefix === 32 ? formatIp4(r.dst) : `${formatIp4(r.dst)}/${r.prefix}`;
}

/** One line of `ip route`. `hideDev` when the listing is filtered by device (iproute2 omits it). */
export function routeLine(ns: Netns, r: Route, busybox: boolean, hideDev = false): string {
  let s = '';
  if (r.type !== 'unicast') s += `${r.type} `;
  s += `${routeDst(r)} `;
  if (r.gateway !== null) s += `via ${formatIp4(r.gateway)} `;
  const dev = r.dev !== null ? ns.link(r.dev) : undefined;
  if (dev && !hideDev) s += `dev ${dev.name} `;
  if (busybox) {
    if (r.table === 'local') s += 'table local ';
    if (r.scope !== 'global') s += `scope ${r.scope} `;
    if (r.src !== null) s += ` src ${formatIp4(r.src)} `;
    if (r.metric) s += ` metric ${r.metric} `;
    return s;
  }
  if (r.table === 'local') s = `${r.type} ${routeDst(r)} ${dev && !hideDev ? `dev ${dev.name} ` : ''}`;
  if (r.proto !== 'boot') s += `proto ${r.proto} `;
  if (r.scope !== 'global') s += `scope ${r.scope} `;
  if (r.src !== null) s += `src ${formatIp4(r.src)} `;
  if (r.metric) s += `metric ${r.metric} `;
  // RTNH_F_LINKDOWN: the nexthop's device has no carrier.
  if (dev && !dev.carrier) s += 'linkdown ';
  return s;
}

/** `ip -6 route`: the kernel's routes for the IPv6 addresses the model keeps (link-local, ::1). */
function routes6(ns: Netns, devFilter: number | null, busybox: boolean): string[] {
  const out: string[] = [];
  for (const l of ns.sortedLinks()) {
    if (!l.up || (devFilter !== null && l.ifindex !== devFilter)) continue;
    const dev = devFilter === null ? `dev ${l.name} ` : '';
    for (const a of l.addrs6) {
      if (a.scope === 'host') out.push(busybox ? `${a.ip} ${dev} metric 256 ` : `${a.ip} ${dev}proto kernel metric 256 pref medium`);
    }
  }
  for (const l of ns.sortedLinks()) {
    if (!l.up || (devFilter !== null && l.ifindex !== devFilter)) continue;
    const dev = devFilter === null ? `dev ${l.name} ` : '';
    if (l.addrs6.some((a) => a.scope === 'link'))
      out.push(busybox ? `fe80::/64 ${dev} metric 256 ` : `fe80::/64 ${dev}proto kernel metric 256 pref medium`);
  }
  return out;
}

/**
 * The local table the kernel keeps beside the addresses (fib_add_ifaddr): a `local` route per
 * address (the whole 127/8 for loopback) and `broadcast` routes for the subnet broadcast, in
 * the table's order (by destination).
 */
function localTable(ns: Netns): Route[] {
  const out: Route[] = [...ns.routes.filter((r) => r.table === 'local')];
  const mk = (type: Route['type'], dst: number, prefix: number, dev: number, scope: Route['scope'], src: number): Route => ({
    table: 'local',
    type,
    dst,
    prefix,
    gateway: null,
    dev,
    proto: 'kernel',
    scope,
    src,
    metric: 0,
  });
  for (const l of ns.sortedLinks()) {
    if (!l.up) continue;
    for (const a of l.addrs4) {
      if (l.kind === 'loopback' && a.prefix < 32) out.push(mk('local', networkOf(a.ip, a.prefix), a.prefix, l.ifindex, 'host', a.ip));
      out.push(mk('local', a.ip, 32, l.ifindex, 'host', a.ip));
      // fib_add_ifaddr adds the subnet broadcast for prefixes shorter than /31.
      if (a.prefix < 31) out.push(mk('broadcast', broadcastOf(a.ip, a.prefix), 32, l.ifindex, 'link', a.ip));
    }
  }
  return out.sort((x, y) => x.dst - y.dst || x.prefix - y.prefix);
}

function matches(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

export function ipRoute(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  const cmd = args[0];
  if (cmd === undefined) return listRoutes(ctx, ns, [], o);
  if (matches(cmd, 'list') || matches(cmd, 'show') || cmd === 'lst') return listRoutes(ctx, ns, args.slice(1), o);
  if (matches(cmd, 'add') || matches(cmd, 'append')) return modifyRoute(ctx, ns, args.slice(1), o, 'add');
  if (matches(cmd, 'replace')) return modifyRoute(ctx, ns, args.slice(1), o, 'replace');
  if (matches(cmd, 'change') || cmd === 'chg') return modifyRoute(ctx, ns, args.slice(1), o, 'change');
  if (matches(cmd, 'delete')) return modifyRoute(ctx, ns, args.slice(1), o, 'del');
  if (matches(cmd, 'get')) return getRoute(ctx, ns, args.slice(1), o);
  if (matches(cmd, 'flush')) return flushRoutes(ctx, ns, args.slice(1), o);
  if (!o.busybox && matches(cmd, 'help')) {
    ctx.stderr.write(IP_ROUTE_USAGE);
    return 255;
  }
  if (o.busybox) {
    err(ctx, `ip: unknown command ${cmd}`);
    return 1;
  }
  err(ctx, `Command "${cmd}" is unknown, try "ip route help".`);
  return 255;
}

function devIndex(ctx: CommandContext, ns: Netns, name: string, o: IpOptions): number | null {
  const l = ns.linkByName(name);
  if (l) return l.ifindex;
  err(ctx, o.busybox ? `ip: can't find device '${name}'` : `Cannot find device "${name}"`);
  return null;
}

function listRoutes(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  let dev: number | null = null;
  let table: 'main' | 'local' | 'all' = 'main';
  let match: { ip: number; prefix: number } | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev' || a === 'oif') {
      const name = args[++i];
      if (name === undefined) return missingArg(ctx, o);
      const idx = devIndex(ctx, ns, name, o);
      if (idx === null) return 1;
      dev = idx;
    } else if (a === 'table') {
      const t = args[++i];
      if (t === 'local' || t === 'main' || t === 'all') table = t;
      else if (t === '255') table = 'local';
      else if (t === '254') table = 'main';
      else {
        err(ctx, `Error: argument "${t}" is wrong: table id value is invalid`);
        return 255;
      }
    } else if (a === 'scope' || a === 'proto' || a === 'type' || a === 'via' || a === 'src') {
      i++;
    } else {
      const target = a === 'to' || a === 'root' || a === 'match' || a === 'exact' ? args[++i] : a;
      const c = target === 'default' ? { ip: 0, prefix: 0 } : parseCidr(target ?? '', 32);
      if (!c) {
        err(ctx, `Error: any valid prefix is expected rather than "${target}".`);
        return 1;
      }
      match = c;
    }
  }
  if (o.family === 6) {
    for (const line of routes6(ns, dev, o.busybox)) ctx.stdout.write(line + '\n');
    return 0;
  }
  let routes = ns.mainRoutes();
  if (table === 'local') routes = localTable(ns);
  else if (table === 'all') routes = [...routes, ...localTable(ns)];
  for (const r of routes) {
    if (dev !== null && r.dev !== dev) continue;
    if (match && !(r.prefix >= match.prefix && networkOf(r.dst, match.prefix) === networkOf(match.ip, match.prefix))) continue;
    ctx.stdout.write(routeLine(ns, r, o.busybox, dev !== null) + '\n');
  }
  return 0;
}

function missingArg(ctx: CommandContext, o: IpOptions): number {
  err(ctx, o.busybox ? 'ip: command line is not complete, try "help"' : 'Command line is not complete. Try option "help"');
  return 255;
}

function modifyRoute(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions, op: 'add' | 'replace' | 'change' | 'del'): number {
  let dst: { ip: number; prefix: number } | null = null;
  let gateway: number | null = null;
  let dev: number | null = null;
  let metric = 0;
  let src: number | null = null;
  let proto: Route['proto'] = 'boot';
  let scope: Route['scope'] | null = null;
  let type: Route['type'] = 'unicast';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | undefined => args[++i];
    if (a === 'via') {
      const v = next();
      if (v === undefined) return missingArg(ctx, o);
      const ip = parseIp4(v);
      if (ip === null) {
        err(ctx, `Error: inet address is expected rather than "${v}".`);
        return 1;
      }
      gateway = ip;
    } else if (a === 'dev' || a === 'oif') {
      const v = next();
      if (v === undefined) return missingArg(ctx, o);
      const idx = devIndex(ctx, ns, v, o);
      if (idx === null) return 1;
      dev = idx;
    } else if (a === 'metric' || a === 'priority' || a === 'preference') {
      const v = next();
      if (v === undefined || !/^\d+$/.test(v)) {
        err(ctx, `Error: argument "${v}" is wrong: "metric" value is invalid`);
        return 255;
      }
      metric = Number(v);
    } else if (a === 'src') {
      const v = next();
      const ip = v === undefined ? null : parseIp4(v);
      if (ip === null) {
        err(ctx, `Error: inet address is expected rather than "${v}".`);
        return 1;
      }
      src = ip;
    } else if (a === 'proto' || a === 'protocol') {
      const v = next();
      if (v === 'kernel' || v === 'boot' || v === 'static') proto = v;
      else {
        err(ctx, `Error: argument "${v}" is wrong: "protocol" value is invalid`);
        return 255;
      }
    } else if (a === 'scope') {
      const v = next();
      if (v === 'link' || v === 'host' || v === 'global') scope = v;
      else {
        err(ctx, `Error: argument "${v}" is wrong: invalid "scope" value`);
        return 255;
      }
    } else if (a === 'table') {
      next();
    } else if (a === 'blackhole' || a === 'unreachable' || a === 'prohibit') {
      type = a;
    } else {
      const t = a === 'to' ? next() : a;
      if (dst) {
        err(
          ctx,
          o.busybox ? `ip: either "to" is duplicate, or "${t}" is garbage` : `Error: either "to" is duplicate, or "${t}" is a garbage.`,
        );
        return o.busybox ? 1 : 255;
      }
      const c = t === 'default' || t === 'all' ? { ip: 0, prefix: 0 } : parseCidr(t ?? '', 32);
      if (!c) {
        err(
          ctx,
          o.busybox ? `ip: an inet prefix is expected rather than "${t}"` : `Error: any valid prefix is expected rather than "${t}".`,
        );
        return 1;
      }
      dst = c;
    }
  }
  if (!dst) {
    if (op === 'del' && !o.busybox) {
      err(ctx, 'RTNETLINK answers: No such process');
      return 2;
    }
    err(ctx, o.busybox ? 'ip: need at least a destination address' : 'Command line is not complete. Try option "help"');
    return o.busybox ? 1 : 255;
  }
  const rtnl = (msg: string): number => {
    err(ctx, o.busybox ? `ip: RTNETLINK answers: ${msg.replace(/^RTNETLINK answers: /, '')}` : msg);
    return o.busybox ? 2 : 2;
  };
  if (op === 'del') {
    try {
      ns.delRoute({ dst: dst.ip, prefix: dst.prefix, gateway, dev });
    } catch (e) {
      if (e instanceof NetError) return rtnl(e.message);
      throw e;
    }
    return 0;
  }
  if (networkOf(dst.ip, dst.prefix) !== dst.ip) {
    // fib_table_insert's extack for host bits in the destination.
    return rtnl(o.busybox ? 'RTNETLINK answers: Invalid argument' : 'Error: Invalid prefix for given prefix length.');
  }
  if (gateway === null && dev === null && type === 'unicast') {
    return rtnl(o.busybox ? 'RTNETLINK answers: No such device' : 'Error: Device for nexthop is not up.');
  }
  if (dev !== null && !ns.link(dev)?.up)
    return rtnl(o.busybox ? 'RTNETLINK answers: Network is down' : 'Error: Device for nexthop is not up.');
  if (op === 'replace' || op === 'change') {
    const i = ns.routes.findIndex((r) => r.table === 'main' && r.dst === dst.ip && r.prefix === dst.prefix && r.metric === metric);
    // `change` (NLM_F_REPLACE without NLM_F_CREATE) needs the route to exist.
    if (i < 0 && op === 'change')
      return rtnl(o.busybox ? 'RTNETLINK answers: No such file or directory' : 'RTNETLINK answers: No such file or directory');
    if (i >= 0) ns.routes.splice(i, 1);
  }
  try {
    ns.addRoute({
      type,
      dst: dst.ip,
      prefix: dst.prefix,
      gateway,
      dev,
      proto,
      scope: scope ?? (gateway === null && type === 'unicast' ? 'link' : 'global'),
      src,
      metric,
    });
  } catch (e) {
    if (e instanceof NetError) {
      if (e.code === 'ENETUNREACH')
        return rtnl(o.busybox ? 'RTNETLINK answers: Network is unreachable' : 'Error: Nexthop has invalid gateway.');
      return rtnl(e.message);
    }
    throw e;
  }
  return 0;
}

/** `ip route get ADDR`: the route lookup the kernel would do for an outgoing packet. */
function getRoute(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  const target = args.find((a) => a !== 'to');
  const ip = target ? parseIp4(target) : null;
  if (ip === null) {
    err(ctx, o.busybox ? `ip: invalid argument '${target}' to 'to'` : `Error: inet prefix is expected rather than "${target}".`);
    return 1;
  }
  if (ns.isLocal(ip)) {
    const a = formatIp4(ip);
    ctx.stdout.write(
      o.busybox ? `local ${a} dev lo  src ${a} \n    cache <local> \n` : `local ${a} dev lo src ${a} uid 0 \n    cache <local> \n`,
    );
    return 0;
  }
  const r = ns.lookupRoute(ip);
  if (!r) {
    err(ctx, o.busybox ? 'ip: RTNETLINK answers: Network is unreachable' : 'RTNETLINK answers: Network is unreachable');
    return 2;
  }
  const dev = r.dev !== null ? ns.link(r.dev) : undefined;
  const src = r.src ?? dev?.addrs4[0]?.ip ?? null;
  let s = `${formatIp4(ip)} `;
  if (r.gateway !== null) s += `via ${formatIp4(r.gateway)} `;
  if (dev) s += `dev ${dev.name} `;
  if (o.busybox) {
    if (src !== null) s += ` src ${formatIp4(src)} `;
    ctx.stdout.write(`${s}\n    cache \n`);
    return 0;
  }
  if (src !== null) s += `src ${formatIp4(src)} `;
  s += 'uid 0 ';
  ctx.stdout.write(`${s}\n    cache \n`);
  return 0;
}

function flushRoutes(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  if (!args.length) {
    err(ctx, o.busybox ? 'ip: "ip route flush" requires arguments' : '"ip route flush" requires arguments.');
    return o.busybox ? 1 : 255;
  }
  let dev: number | null = null;
  let all = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') {
      const idx = devIndex(ctx, ns, args[++i] ?? '', o);
      if (idx === null) return 1;
      dev = idx;
    } else if (args[i] === 'table' || args[i] === 'all' || args[i] === 'cache') {
      if (args[i] === 'table') i++;
      all = true;
    }
  }
  ns.routes = ns.routes.filter((r) => r.table !== 'main' || !(all || dev === null || r.dev === dev));
  return 0;
}
