/**
 * `ip` — iproute2 on hosts and glibc images, busybox's applet on busybox/alpine images.
 * Objects: address, link, route, neigh, rule, netns. Reads and changes the namespace through
 * the model's own operations (netns.ts), so that what it prints is what the packet walk uses.
 * Sources: iproute2 ip/ip.c, ipaddress.c, iplink.c, iproute.c, ipneigh.c (v6.1, Debian 12);
 * busybox networking/ip.c and networking/libiproute/*.
 */
import type { CommandContext } from '../../interp.ts';
import type { Link, LinkKind } from '../../../net/types.ts';
import { NetError, type Netns } from '../../../net/netns.ts';
import { formatIp4, isValidMac, parseCidr, parseIp4, broadcastOf } from '../../../net/ip.ts';
import { register } from '../registry.ts';
import { err } from './common.ts';
import { addr4Lines, addr6Lines, briefLine, linkHeader, secondaryFlags, type IpOptions } from './ip-show.ts';
import { ipRoute } from './ip-route.ts';
import { IP_ADDRESS_USAGE, IP_LINK_USAGE } from './ip-usage.ts';
import { inNetns, ipNetns, namedNetns, netnsArg } from './ip-netns.ts';
import type { CommandResult } from '../../runtime.ts';

/** iproute2's matches(): the word is a prefix of the keyword. */
function matches(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

const GNU_OBJECTS = [
  'address',
  'addrlabel',
  'maddress',
  'route',
  'rule',
  'neighbor',
  'neighbour',
  'ntable',
  'link',
  'l2tp',
  'fou',
  'ila',
  'macsec',
  'tunnel',
  'tunl',
  'tuntap',
  'tap',
  'token',
  'tcpmetrics',
  'tcp_metrics',
  'monitor',
  'xfrm',
  'mroute',
  'mrule',
  'netns',
  'netconf',
  'vrf',
  'sr',
  'nexthop',
  'mptcp',
  'ioam',
  'help',
  'stats',
];

const BUSYBOX_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]

OPTIONS := -f[amily] inet|inet6|link | -o[neline]

ip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]
ip route list|flush|add|del|change|append|replace|test ROUTE
ip link set IFACE [up|down] [arp on|off] [multicast on|off]
	[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MACADDR]
	[master IFACE | nomaster] [netns PID]
ip tunnel add|change|del|show [NAME]
	[mode ipip|gre|sit] [remote ADDR] [local ADDR] [ttl TTL]
ip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]
ip rule [list] | add|del SELECTOR ACTION
`;

const GNU_USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |
                   macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

function ipMain(ctx: CommandContext): CommandResult {
  const busybox = ctx.target.userland === 'busybox';
  let ns = ctx.target.netns;
  const o: IpOptions = { family: 0, brief: false, oneline: false, stats: 0, details: false, busybox };
  const argv = ctx.argv.slice(1);
  while (argv.length && argv[0].startsWith('-')) {
    const raw = argv.shift()!;
    if (raw === '--') break;
    const opt = raw.startsWith('--') ? raw.slice(1) : raw;
    if (opt === '-4') o.family = 4;
    else if (opt === '-6') o.family = 6;
    else if (opt === '-0') o.family = 'link';
    else if (matches(opt, '-family') && opt.length >= 2) {
      const f = argv.shift();
      if (f === 'inet') o.family = 4;
      else if (f === 'inet6') o.family = 6;
      else if (f === 'link') o.family = 'link';
      else {
        err(
          ctx,
          busybox ? `ip: invalid argument '${f ?? ''}' to 'family'` : `Error: argument "${f ?? ''}" is wrong: invalid protocol family`,
        );
        return busybox ? 1 : 255;
      }
    } else if (!busybox && (opt === '-n' || matches(opt, '-netns'))) {
      // netns_switch(): the rest of the command runs in the named namespace.
      const name = argv.shift();
      const target = name === undefined ? undefined : namedNetns(ctx, name);
      if (!target) {
        err(ctx, `Cannot open network namespace "${name ?? ''}": No such file or directory`);
        return 255;
      }
      ns = target;
      ctx = { ...ctx, target: inNetns(ctx.target, target) };
    } else if (matches(opt, '-oneline')) o.oneline = true;
    else if (!busybox && matches(opt, '-brief') && opt.length >= 3) o.brief = true;
    else if ((!busybox && matches(opt, '-stats')) || (!busybox && matches(opt, '-statistics'))) o.stats++;
    else if (!busybox && matches(opt, '-details')) o.details = true;
    else if (!busybox && (matches(opt, '-color') || matches(opt, '-human') || matches(opt, '-Numeric') || matches(opt, '-resolve'))) {
      // Colour only applies to a terminal; numeric/resolve do not change what the model prints.
    } else if (!busybox && matches(opt, '-Version')) {
      ctx.stdout.write('ip utility, iproute2-6.1.0, libbpf 1.1.0\n');
      return 0;
    } else if (!busybox && (opt === '-help' || opt === '-h')) {
      ctx.stderr.write(GNU_USAGE);
      return 255;
    } else {
      if (busybox) {
        ctx.stderr.write(BUSYBOX_USAGE);
        return 1;
      }
      err(ctx, `Option "${raw}" is unknown, try "ip -help".`);
      return 255;
    }
  }
  const obj = argv.shift();
  if (obj === undefined) {
    ctx.stderr.write(busybox ? BUSYBOX_USAGE : GNU_USAGE);
    return busybox ? 1 : 255;
  }
  let object: string | undefined;
  if (busybox) {
    object = ['address', 'route', 'link', 'tunnel', 'rule', 'neigh'].find((k) => matches(obj, k));
    if (obj === 'r') object = 'route';
  } else {
    object = GNU_OBJECTS.find((k) => matches(obj, k));
  }
  switch (object) {
    case 'address':
      return ipAddr(ctx, ns, argv, o);
    case 'link':
      return ipLink(ctx, ns, argv, o);
    case 'route':
      return ipRoute(ctx, ns, argv, o);
    case 'neighbor':
    case 'neighbour':
    case 'neigh':
      return ipNeigh(ctx, ns, argv, o);
    case 'rule':
      return ipRule(ctx, argv, o);
    case 'netns':
      return ipNetns(ctx, argv);
    case 'help':
      ctx.stderr.write(GNU_USAGE);
      return 255;
    case undefined:
      if (busybox) {
        ctx.stderr.write(BUSYBOX_USAGE);
        return 1;
      }
      err(ctx, `Object "${obj}" is unknown, try "ip help".`);
      return 1;
    default:
      // A real iproute2 object this simulator does not model (tunnels, xfrm, ...).
      err(ctx, `Object "${obj}" is unknown, try "ip help".`);
      return 1;
  }
}

function noDevice(ctx: CommandContext, name: string, o: IpOptions): number {
  err(ctx, o.busybox ? `ip: can't find device '${name}'` : `Cannot find device "${name}"`);
  return 1;
}

const STRERROR: Record<NetError['code'], string> = {
  EEXIST: 'File exists',
  ENOENT: 'No such file or directory',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  EBUSY: 'Device or resource busy',
  ENETUNREACH: 'Network is unreachable',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPERM: 'Operation not permitted',
  ESRCH: 'No such process',
};

/** A kernel refusal: iproute2 prints the extack message or `RTNETLINK answers: <strerror>`; busybox only the latter. */
export function rtnl(ctx: CommandContext, e: unknown, o: IpOptions): number {
  if (!(e instanceof NetError)) throw e;
  if (o.busybox) {
    const text = e.message.startsWith('RTNETLINK answers: ') ? e.message.slice('RTNETLINK answers: '.length) : STRERROR[e.code];
    err(ctx, `ip: RTNETLINK answers: ${text}`);
  } else err(ctx, e.message);
  return 2;
}

// ---- ip address ----------------------------------------------------------------------------

function ipAddr(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  const cmd = args[0];
  if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst')
    return listLinks(ctx, ns, args.slice(1), o, false);
  if (matches(cmd, 'add') || matches(cmd, 'replace') || matches(cmd, 'change'))
    return addrModify(ctx, ns, args.slice(1), o, 'add', matches(cmd, 'add'));
  if (matches(cmd, 'delete')) return addrModify(ctx, ns, args.slice(1), o, 'del', true);
  if (matches(cmd, 'flush')) return addrFlush(ctx, ns, args.slice(1), o);
  if (!o.busybox && matches(cmd, 'help')) {
    ctx.stderr.write(IP_ADDRESS_USAGE);
    return 255;
  }
  if (o.busybox) {
    err(ctx, `ip: invalid argument '${cmd}' to 'ip'`);
    return 1;
  }
  err(ctx, `Command "${cmd}" is unknown, try "ip address help".`);
  return 255;
}

interface ListFilter {
  dev: Link | null;
  master: number | null;
  kind: LinkKind | null;
  up: boolean;
}

/** `ip addr show` / `ip link show` with their filters (dev, master, type, up). */
function listLinks(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions, doLink: boolean): number {
  const f: ListFilter = { dev: null, master: null, kind: null, up: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'up') f.up = true;
    else if (a === 'master' && !o.busybox) {
      const name = args[++i];
      const m = name === undefined ? undefined : ns.linkByName(name);
      if (!m) {
        // invarg() prints its message, which ends in a newline, and a newline.
        ctx.stderr.write(`Error: argument "${name ?? ''}" is wrong: Device does not exist\n\n`);
        return 255;
      }
      f.master = m.ifindex;
    } else if (a === 'type' && !o.busybox) {
      const t = args[++i];
      const kinds: Record<string, LinkKind> = { bridge: 'bridge', veth: 'veth', dummy: 'dummy', vxlan: 'vxlan' };
      f.kind = kinds[t ?? ''] ?? ('none' as LinkKind);
    } else if ((a === 'scope' || a === 'label' || a === 'to') && !doLink) {
      i++;
    } else {
      const name = a === 'dev' ? args[++i] : a;
      if (name === undefined) {
        err(ctx, o.busybox ? 'ip: command line is not complete, try "help"' : 'Command line is not complete. Try option "help"');
        return o.busybox ? 1 : 255;
      }
      if (f.dev) {
        err(
          ctx,
          o.busybox
            ? `ip: either "dev" is duplicate, or "${name}" is garbage`
            : `Error: either "dev" is duplicate, or "${name}" is a garbage.`,
        );
        return o.busybox ? 1 : 255;
      }
      const l = ns.linkByName(name);
      if (!l) {
        if (o.busybox) return noDevice(ctx, name, o);
        err(ctx, `Device "${name}" does not exist.`);
        return 1;
      }
      f.dev = l;
    }
  }
  const out: string[] = [];
  for (const l of ns.sortedLinks()) {
    if (f.dev && l !== f.dev) continue;
    if (f.up && !l.up) continue;
    if (f.master !== null && l.master !== f.master) continue;
    if (f.kind !== null && l.kind !== f.kind) continue;
    const fam = o.family;
    const v4 = !doLink && fam !== 6 && fam !== 'link' ? l.addrs4 : [];
    const v6 = !doLink && fam !== 4 && fam !== 'link' ? l.addrs6 : [];
    // With -4/-6, links without an address of that family are left out.
    if (!doLink && (fam === 4 || fam === 6) && v4.length + v6.length === 0) continue;
    if (o.brief) {
      out.push(briefLine(ns, l, o, doLink || fam === 'link'));
      continue;
    }
    if (o.oneline && !doLink && fam !== 'link') {
      const sec = secondaryFlags(l);
      v4.forEach((a, i) => out.push(addr4Lines(l, a, o, sec[i])));
      for (const a of v6) out.push(addr6Lines(l, a, o));
      continue;
    }
    out.push(linkHeader(ns, l, o, doLink));
    const sec = secondaryFlags(l);
    v4.forEach((a, i) => out.push(addr4Lines(l, a, o, sec[i])));
    for (const a of v6) out.push(addr6Lines(l, a, o));
  }
  if (out.length) ctx.stdout.write(out.join('\n') + '\n');
  return 0;
}

function addrModify(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions, op: 'add' | 'del', strictAdd: boolean): number {
  let local: { ip: number; prefix: number } | null = null;
  let explicitPrefix = false;
  let dev: string | null = null;
  let brd: number | '+' | '-' | null = null;
  let label: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev') {
      dev = args[++i] ?? null;
      if (dev === null) {
        err(ctx, o.busybox ? 'ip: command line is not complete, try "help"' : 'Command line is not complete. Try option "help"');
        return o.busybox ? 1 : 255;
      }
    } else if (a === 'broadcast' || a === 'brd') {
      const v = args[++i];
      if (v === '+' || v === '-') brd = v;
      else {
        const ip = v === undefined ? null : parseIp4(v);
        if (ip === null) {
          err(ctx, `Error: inet address is expected rather than "${v}".`);
          return 1;
        }
        brd = ip;
      }
    } else if (a === 'label') {
      label = args[++i] ?? null;
    } else if (a === 'scope' || a === 'valid_lft' || a === 'preferred_lft' || a === 'metric') {
      i++;
    } else if (a === 'noprefixroute' || a === 'nodad' || a === 'home') {
      // Flags the model does not distinguish.
    } else {
      const t = a === 'local' ? args[++i] : a;
      if (local) {
        err(
          ctx,
          o.busybox
            ? `ip: either "local" is duplicate, or "${t}" is garbage`
            : `Error: either "local" is duplicate, or "${t}" is a garbage.`,
        );
        return o.busybox ? 1 : 255;
      }
      const c = parseCidr(t ?? '', 32);
      if (!c) {
        err(
          ctx,
          o.busybox ? `ip: an inet prefix is expected rather than "${t}"` : `Error: any valid prefix is expected rather than "${t}".`,
        );
        return 1;
      }
      explicitPrefix = (t ?? '').includes('/');
      local = c;
    }
  }
  if (dev === null) {
    err(ctx, o.busybox ? 'ip: need "dev IFACE"' : 'Not enough information: "dev" argument is required.');
    return o.busybox ? 1 : 1;
  }
  const link = ns.linkByName(dev);
  if (!link) return noDevice(ctx, dev, o);
  if (!local) {
    if (op === 'del' && !o.busybox) {
      err(ctx, 'RTNETLINK answers: Operation not supported');
      return 2;
    }
    err(ctx, o.busybox ? 'ip: need at least a local address' : 'Not enough information: "local" argument is required.');
    return o.busybox ? 1 : 1;
  }
  try {
    if (op === 'del') {
      if (!explicitPrefix && !o.busybox) {
        ctx.stderr.write(
          `Warning: Executing wildcard deletion to stay compatible with old scripts.\n` +
            `         Explicitly specify the prefix length (${formatIp4(local.ip)}/32) to avoid this warning.\n` +
            `         This special behaviour is likely to disappear in further releases,\n` +
            `         fix your scripts!\n`,
        );
      }
      ns.delAddr4(link.ifindex, local.ip, explicitPrefix ? local.prefix : null);
      return 0;
    }
    const existing = link.addrs4.find((a) => a.ip === local.ip && a.prefix === local.prefix);
    if (existing && !strictAdd) return 0;
    const b = brd === '+' ? broadcastOf(local.ip, local.prefix) : brd === '-' ? null : brd;
    // A netlink RTM_NEWADDR carries no broadcast unless asked for (`brd +`); ifconfig's ioctl computes one.
    const addr = ns.addAddr4(link.ifindex, local.ip, local.prefix, local.prefix >= 31 ? null : b);
    if (label) addr.label = label;
  } catch (e) {
    return rtnl(ctx, e, o);
  }
  return 0;
}

function addrFlush(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  if (!args.length) {
    err(ctx, o.busybox ? "ip: 'flush' requires argument" : 'Flush requires arguments.');
    return o.busybox ? 1 : 255;
  }
  const name = args[0] === 'dev' ? args[1] : args[0];
  const link = name === undefined ? undefined : ns.linkByName(name);
  if (!link) {
    if (o.busybox) return noDevice(ctx, name ?? '', o);
    err(ctx, `Device "${name}" does not exist.`);
    return 1;
  }
  for (const a of [...link.addrs4]) ns.delAddr4(link.ifindex, a.ip, a.prefix);
  if (o.family !== 4) link.addrs6 = link.addrs6.filter((a) => a.scope === 'host');
  return 0;
}

// ---- ip link -------------------------------------------------------------------------------

function ipLink(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  const cmd = args[0];
  if (cmd === undefined) return listLinks(ctx, ns, [], o, true);
  // do_iplink's order: `ip link s` is `set`.
  if (matches(cmd, 'add')) return linkAdd(ctx, ns, args.slice(1), o);
  if (matches(cmd, 'set') || matches(cmd, 'change')) return linkSet(ctx, ns, args.slice(1), o);
  if (matches(cmd, 'delete')) return linkDel(ctx, ns, args.slice(1), o);
  if (matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst') return listLinks(ctx, ns, args.slice(1), o, true);
  if (!o.busybox && matches(cmd, 'help')) {
    ctx.stderr.write(IP_LINK_USAGE);
    return 255;
  }
  if (o.busybox) {
    err(ctx, `ip: invalid argument '${cmd}' to 'ip'`);
    return 1;
  }
  err(ctx, `Command "${cmd}" is unknown, try "ip link help".`);
  return 255;
}

function linkSet(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  let dev: string | null = null;
  let up: boolean | null = null;
  let name: string | null = null;
  let mtu: number | null = null;
  let mac: string | null = null;
  let master: string | null | undefined;
  let qlen: number | null = null;
  let moveTo: Netns | null = null;
  const garbage = (key: string, w: string): number => {
    err(
      ctx,
      o.busybox ? `ip: either "${key}" is duplicate, or "${w}" is garbage` : `Error: either "${key}" is duplicate, or "${w}" is a garbage.`,
    );
    return o.busybox ? 1 : 255;
  };
  const invalid = (what: string, v: string | undefined): number => {
    if (o.busybox) err(ctx, `ip: invalid argument '${v ?? ''}' to '${what}'`);
    else ctx.stderr.write(`Error: argument "${v ?? ''}" is wrong: Invalid "${what}" value\n\n`);
    return o.busybox ? 1 : 255;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'up') up = true;
    else if (a === 'down') up = false;
    else if (a === 'name') name = args[++i] ?? null;
    else if (a === 'mtu') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) return invalid('mtu', v);
      mtu = Number(v);
    } else if (a === 'address') {
      const v = args[++i];
      if (v === undefined || !isValidMac(v)) {
        err(ctx, o.busybox ? `ip: invalid argument '${v ?? ''}' to 'address'` : `"${v ?? ''}" is invalid lladdr.`);
        return o.busybox ? 1 : 255;
      }
      mac = v.toLowerCase();
    } else if (a === 'netns') {
      const v = args[++i];
      const target = v === undefined ? undefined : netnsArg(ctx, v);
      if (!target) {
        if (o.busybox) err(ctx, `ip: invalid argument '${v ?? ''}' to 'netns'`);
        else ctx.stderr.write(`Error: argument "${v ?? ''}" is wrong: Invalid "netns" value\n\n`);
        return o.busybox ? 1 : 255;
      }
      moveTo = target;
    } else if (a === 'master') master = args[++i] ?? null;
    else if (a === 'nomaster') master = null;
    else if (a === 'txqueuelen' || a === 'qlen' || a === 'txqlen') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) return invalid('qlen', v);
      qlen = Number(v);
    } else if (a === 'arp' || a === 'multicast' || a === 'promisc' || a === 'allmulticast') {
      i++;
    } else {
      const d = a === 'dev' ? args[++i] : a;
      if (dev !== null || d === undefined) return garbage('dev', d ?? '');
      dev = d;
    }
  }
  if (dev === null) {
    err(ctx, o.busybox ? 'ip: need "dev IFACE"' : 'Not enough information: "dev" argument is required.');
    return o.busybox ? 1 : 255;
  }
  const link = ns.linkByName(dev);
  if (!link) return noDevice(ctx, dev, o);
  try {
    // do_setlink's order: name, address, mtu, master, then the flags (up/down).
    if (name !== null && name !== link.name) ns.renameLink(link.ifindex, name);
    if (mac !== null) ns.setMac(link.ifindex, mac);
    if (mtu !== null) {
      if (mtu > 65535 || (link.kind !== 'loopback' && mtu > 65535)) {
        throw new NetError('EINVAL', `Error: mtu greater than device maximum.`);
      }
      ns.setMtu(link.ifindex, mtu);
    }
    if (master !== undefined) {
      if (master === null) ns.setMaster(link.ifindex, null);
      else {
        const br = ns.linkByName(master);
        if (!br) return noDevice(ctx, master, o);
        ns.setMaster(link.ifindex, br.ifindex);
      }
    }
    if (qlen !== null) link.txqueuelen = qlen;
    if (up !== null) ns.setUp(link.ifindex, up);
    // dev_change_net_namespace(): the device goes down and loses its addresses on the way.
    if (moveTo && moveTo !== ns) ns.moveLink(link.ifindex, moveTo);
  } catch (e) {
    return rtnl(ctx, e, o);
  }
  return 0;
}

function linkAdd(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  let name: string | null = null;
  let type: string | null = null;
  let peer: string | null = null;
  let mtu: number | undefined;
  let mac: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'type') {
      type = args[++i] ?? null;
      const rest = args.slice(i + 1);
      // Type-specific arguments: `peer name P` for veth.
      for (let j = 0; j < rest.length; j++) {
        if (rest[j] === 'peer') {
          if (rest[j + 1] === 'name') j++;
          peer = rest[j + 1] ?? null;
          j++;
        }
      }
      break;
    } else if (a === 'name' || a === 'dev') name = args[++i] ?? null;
    else if (a === 'link' || a === 'txqueuelen' || a === 'numtxqueues' || a === 'numrxqueues' || a === 'index') i++;
    else if (a === 'mtu') mtu = Number(args[++i]);
    else if (a === 'address') mac = args[++i];
    else if (name === null) name = a;
    else {
      err(ctx, `Error: either "dev" is duplicate, or "${a}" is a garbage.`);
      return 255;
    }
  }
  if (type === null) {
    err(ctx, o.busybox ? 'ip: RTNETLINK answers: Operation not supported' : 'Not enough information: "type" argument is required');
    return o.busybox ? 2 : 255;
  }
  if (name === null) {
    err(ctx, 'Not enough information: "dev" argument is required.');
    return 255;
  }
  const kinds: Record<string, LinkKind> = { bridge: 'bridge', dummy: 'dummy', veth: 'veth' };
  const kind = kinds[type];
  if (!kind) {
    err(ctx, o.busybox ? `ip: RTNETLINK answers: Operation not supported` : `Error: Unknown device type.`);
    return 2;
  }
  try {
    if (kind === 'veth') {
      const p = peer ?? nextVethName(ns, name);
      if (p === name) throw new NetError('EEXIST', 'RTNETLINK answers: File exists');
      const { link, peer: other } = ns.addVethPair(name, p, mtu ?? 1500);
      newDevice(link);
      newDevice(other);
      if (mac) ns.setMac(link.ifindex, mac);
    } else {
      newDevice(ns.addLink({ name, kind, mtu, mac: mac?.toLowerCase() }));
    }
  } catch (e) {
    return rtnl(ctx, e, o);
  }
  return 0;
}

/**
 * A device as rtnl_newlink leaves it: ether_setup()'s DEFAULT_TX_QUEUE_LEN (no IFLA_TXQLEN
 * given) and no qdisc until its first up (`qdisc noop`).
 */
export function newDevice(l: Link): void {
  l.txqueuelen = 1000;
  l.qdisc = 'noop';
}

/** The kernel names an unnamed veth peer `veth%d`, the first free number. */
function nextVethName(ns: Netns, taken: string): string {
  for (let i = 0; ; i++) if (!ns.linkByName(`veth${i}`) && `veth${i}` !== taken) return `veth${i}`;
}

function linkDel(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  const name = args[0] === 'dev' ? args[1] : args[0];
  if (name === undefined) {
    err(ctx, 'Not enough information: "dev" argument is required.');
    return 255;
  }
  const link = ns.linkByName(name);
  if (!link) return noDevice(ctx, name, o);
  try {
    ns.deleteLink(link.ifindex);
  } catch (e) {
    return rtnl(ctx, e, o);
  }
  return 0;
}

// ---- ip neigh ------------------------------------------------------------------------------

function ipNeigh(ctx: CommandContext, ns: Netns, args: string[], o: IpOptions): number {
  const cmd = args[0];
  if (cmd !== undefined && !(matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst')) {
    if (matches(cmd, 'flush')) {
      const name = args[1] === 'dev' ? args[2] : args[1];
      const l = name ? ns.linkByName(name) : undefined;
      if (name && !l) return noDevice(ctx, name, o);
      ns.neighbors = ns.neighbors.filter((n) => n.state === 'PERMANENT' || (l && n.dev !== l.ifindex));
      return 0;
    }
    err(ctx, o.busybox ? `ip: invalid argument '${cmd}' to 'ip'` : `Command "${cmd}" is unknown, try "ip neigh help".`);
    return o.busybox ? 1 : 255;
  }
  let dev: Link | null = null;
  const rest = args.slice(1);
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === 'dev') {
      const name = rest[++i] ?? '';
      const l = ns.linkByName(name);
      if (!l) return noDevice(ctx, name, o);
      dev = l;
    }
  }
  if (o.family === 6) return 0;
  for (const n of ns.neighbors) {
    if (dev && n.dev !== dev.ifindex) continue;
    const l = ns.link(n.dev);
    const devName = l?.name ?? `if${n.dev}`;
    if (o.busybox) {
      // busybox print_neigh: `lladdr X` without a trailing space, then ` STATE`.
      let s = `${formatIp4(n.ip)} ${dev ? '' : `dev ${devName} `}${n.mac ? `lladdr ${n.mac}` : ''}`;
      if (n.router) s += ' router';
      ctx.stdout.write(`${s} ${n.state}\n`);
      continue;
    }
    let s = `${formatIp4(n.ip)} `;
    if (!dev) s += `dev ${devName} `;
    if (n.mac) s += `lladdr ${n.mac} `;
    if (n.router) s += 'router ';
    ctx.stdout.write(`${s}${n.state} \n`);
  }
  return 0;
}

// ---- ip rule, ip netns ---------------------------------------------------------------------

function ipRule(ctx: CommandContext, args: string[], o: IpOptions): number {
  const cmd = args[0];
  if (cmd !== undefined && !(matches(cmd, 'show') || matches(cmd, 'list'))) {
    err(ctx, o.busybox ? `ip: invalid argument '${cmd}' to 'ip'` : `Command "${cmd}" is unknown, try "ip rule help".`);
    return o.busybox ? 1 : 255;
  }
  // The model routes with the main table only: the default policy rules.
  ctx.stdout.write('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
  return 0;
}

register({ name: 'ip', run: ipMain, paths: { gnu: '/usr/sbin/ip', busybox: '/sbin/ip' } });

export { ipMain };
