/**
 * `ifconfig` — net-tools 2.10 (lib/interface.c ife_print_long) on hosts and glibc images,
 * busybox (networking/interface.c ife_print) on busybox/alpine. Listing shows the interfaces
 * that are up (all with -a), sorted by name as both keep their interface list; setting an
 * address goes through the SIOCSIFADDR/SIOCSIFNETMASK semantics (classful default mask,
 * broadcast derived from the mask, the old primary address replaced).
 */
import type { CommandContext } from '../../interp.ts';
import type { Link } from '../../../net/types.ts';
import type { Netns } from '../../../net/netns.ts';
import { broadcastOf, formatIp4, formatMask, isValidMac, parseIp4, prefixFromMask } from '../../../net/ip.ts';
import { register } from '../registry.ts';
import {
  byteCompare,
  err,
  expand6,
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_RUNNING,
  IFF_UP,
  linkFlags,
  naturalCompare,
} from './common.ts';

/** /proc/net/if_inet6 scope bits for an IPv6 address (ipv6_addr_scope). */
function scope6(ip: string): number {
  const g = expand6(ip);
  if (g.every((x, i) => (i < 7 ? x === 0 : x === 1))) return 0x10;
  if ((g[0] & 0xffc0) === 0xfe80) return 0x20;
  if ((g[0] & 0xffc0) === 0xfec0) return 0x40;
  return 0;
}

/** net-tools ife_unit: `572.0 B`, `1.5 KiB`. */
function netToolsUnit(v: number): string {
  const units: [number, string][] = [
    [1073741824, 'GiB'],
    [1048576, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [d, u] of units) {
    if (v > d) {
      const short = Math.floor((v * 10) / d);
      return `${Math.floor(short / 10)}.${short % 10} ${u}`;
    }
  }
  return `${v}.0 B`;
}

/** busybox print_bytes_scaled: `572 (572.0 B)`. */
function busyboxBytes(v: number): string {
  let int = v;
  let frac = 0;
  const ext = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let e = 0;
  for (let i = 0; i < 4; i++) {
    if (int >= 1024) {
      frac = Math.floor(((int & 1023) * 10) / 1024);
      int = Math.floor(int / 1024);
      e++;
    }
  }
  return `${v} (${int}.${frac} ${ext[e]}B)`;
}

const NET_TOOLS_FLAGS: [number, string][] = [
  [IFF_UP, 'UP'],
  [IFF_BROADCAST, 'BROADCAST'],
  [0x4, 'DEBUG'],
  [IFF_LOOPBACK, 'LOOPBACK'],
  [0x10, 'POINTOPOINT'],
  [0x20, 'NOTRAILERS'],
  [IFF_RUNNING, 'RUNNING'],
  [IFF_NOARP, 'NOARP'],
  [0x100, 'PROMISC'],
  [0x200, 'ALLMULTI'],
  [0x800, 'SLAVE'],
  [0x400, 'MASTER'],
  [IFF_MULTICAST, 'MULTICAST'],
];

/** SIOCGIFFLAGS only carries the low 16 bits (no LOWER_UP). */
function ioctlFlags(link: Link): number {
  return linkFlags(link) & 0xffff;
}

function netToolsBlock(link: Link): string {
  const flags = ioctlFlags(link);
  const names = NET_TOOLS_FLAGS.filter(([b]) => flags & b).map(([, n]) => n);
  let s = `${link.name}: flags=${flags}<${names.join(',')}>  mtu ${link.mtu}\n`;
  const a = link.addrs4[0];
  if (a) {
    s += `        inet ${formatIp4(a.ip)}  netmask ${formatMask(a.prefix)}`;
    if (flags & IFF_BROADCAST) s += `  broadcast ${formatIp4(a.brd ?? 0)}`;
    s += '\n';
  }
  for (const a6 of link.addrs6) {
    const sc = scope6(a6.ip);
    const tag = sc === 0x10 ? 'host' : sc === 0x20 ? 'link' : sc === 0x40 ? 'site' : 'global';
    s += `        inet6 ${a6.ip}  prefixlen ${a6.prefix}  scopeid 0x${sc.toString(16)}<${tag}>\n`;
  }
  if (link.kind === 'loopback') s += `        loop  txqueuelen ${link.txqueuelen}  (Local Loopback)\n`;
  else s += `        ether ${link.mac}  txqueuelen ${link.txqueuelen}  (Ethernet)\n`;
  const st = link.stats;
  s += `        RX packets ${st.rxPackets}  bytes ${st.rxBytes} (${netToolsUnit(st.rxBytes)})\n`;
  s += `        RX errors 0  dropped ${st.rxDropped}  overruns 0  frame 0\n`;
  s += `        TX packets ${st.txPackets}  bytes ${st.txBytes} (${netToolsUnit(st.txBytes)})\n`;
  s += `        TX errors 0  dropped ${st.txDropped} overruns 0  carrier 0  collisions 0\n`;
  return s + '\n';
}

const BUSYBOX_FLAGS = NET_TOOLS_FLAGS.filter(([b]) => b !== 0x800 && b !== 0x400).concat([
  [0x800, 'SLAVE'],
  [0x400, 'MASTER'],
]);

function busyboxBlock(link: Link): string {
  const flags = ioctlFlags(link);
  let s = `${link.name.padEnd(9)} Link encap:${link.kind === 'loopback' ? 'Local Loopback' : 'Ethernet'}  `;
  if (link.kind !== 'loopback') s += `HWaddr ${link.mac.toUpperCase()}  `;
  s += '\n';
  const a = link.addrs4[0];
  if (a) {
    s += `          inet addr:${formatIp4(a.ip)} `;
    if (flags & IFF_BROADCAST) s += ` Bcast:${formatIp4(a.brd ?? 0)} `;
    s += ` Mask:${formatMask(a.prefix)}\n`;
  }
  for (const a6 of link.addrs6) {
    const sc = scope6(a6.ip);
    const tag = sc === 0x10 ? 'Host' : sc === 0x20 ? 'Link' : sc === 0x40 ? 'Site' : 'Global';
    s += `          inet6 addr: ${a6.ip}/${a6.prefix} Scope:${tag}\n`;
  }
  s += '          ';
  if (flags === 0) s += '[NO FLAGS] ';
  else for (const [b, n] of BUSYBOX_FLAGS) if (flags & b) s += `${n} `;
  s += ` MTU:${link.mtu}  Metric:1\n`;
  const st = link.stats;
  s += `          RX packets:${st.rxPackets} errors:0 dropped:${st.rxDropped} overruns:0 frame:0\n`;
  s += `          TX packets:${st.txPackets} errors:0 dropped:${st.txDropped} overruns:0 carrier:0\n`;
  s += `          collisions:0 txqueuelen:${link.txqueuelen} \n`;
  s += `          RX bytes:${busyboxBytes(st.rxBytes)}  TX bytes:${busyboxBytes(st.txBytes)}\n`;
  return s + '\n';
}

function block(link: Link, busybox: boolean): string {
  return busybox ? busyboxBlock(link) : netToolsBlock(link);
}

/** SIOCSIFADDR: the kernel's classful default prefix (inet_abc_len). */
function classfulPrefix(ip: number): number {
  const a = ip >>> 24;
  if (a < 128) return 8;
  if (a < 192) return 16;
  if (a < 224) return 24;
  return 32;
}

function ifconfigMain(ctx: CommandContext): number {
  const busybox = ctx.target.userland === 'busybox';
  const ns = ctx.target.netns;
  const args = ctx.argv.slice(1);
  let all = false;
  while (args[0]?.startsWith('-') && args[0] !== '-') {
    const o = args.shift()!;
    if (o === '-a') all = true;
    else if (o === '-s' || o === '-v') {
      // -s (short list) and -v are not modelled; -v only adds error detail.
      if (o === '-s') {
        err(ctx, busybox ? `ifconfig: invalid option -- 's'` : `ifconfig: option \`-s' not recognised.`);
        return 1;
      }
    } else {
      if (busybox) {
        err(ctx, `ifconfig: invalid option -- '${o.slice(1, 2)}'`);
        return 1;
      }
      err(ctx, `ifconfig: option \`${o}' not recognised.\nifconfig: \`--help' gives usage information.`);
      return 1;
    }
  }
  if (args.length === 0) {
    const links = ns
      .sortedLinks()
      .filter((l) => all || l.up)
      .sort((a, b) => (busybox ? byteCompare(a.name, b.name) : naturalCompare(a.name, b.name)));
    ctx.stdout.write(links.map((l) => block(l, busybox)).join(''));
    return 0;
  }
  const name = args.shift()!;
  const link = ns.linkByName(name);
  if (args.length === 0) {
    if (!link) {
      err(ctx, `${busybox ? 'ifconfig: ' : ''}${name}: error fetching interface information: Device not found`);
      return 1;
    }
    ctx.stdout.write(block(link, busybox));
    return 0;
  }
  return configure(ctx, ns, name, link, args, busybox);
}

function configure(ctx: CommandContext, ns: Netns, name: string, link: Link | undefined, args: string[], busybox: boolean): number {
  const fail = (op: string, text: string): number => {
    err(ctx, busybox ? `ifconfig: ${op}: ${text}` : `${op}: ${text}`);
    return 1;
  };
  if (!link) return fail(args.some((a) => /^\d/.test(a)) ? 'SIOCSIFADDR' : 'SIOCGIFFLAGS', 'No such device');
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'up') ns.setUp(link.ifindex, true);
    else if (a === 'down') ns.setUp(link.ifindex, false);
    else if (a === 'mtu') {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 68 || v > 65535) return fail('SIOCSIFMTU', 'Invalid argument');
      ns.setMtu(link.ifindex, v);
    } else if (a === 'netmask') {
      const m = parseIp4(args[++i] ?? '');
      const p = m === null ? null : prefixFromMask(m);
      if (p === null) return fail('SIOCSIFNETMASK', 'Invalid argument');
      const cur = link.addrs4[0];
      if (!cur) return fail('SIOCSIFNETMASK', 'Cannot assign requested address');
      const oldDefault = cur.brd === broadcastOf(cur.ip, cur.prefix);
      replacePrimary(ns, link, cur.ip, p, oldDefault && p < 31 ? broadcastOf(cur.ip, p) : cur.brd);
    } else if (a === 'broadcast') {
      const b = parseIp4(args[++i] ?? '');
      const cur = link.addrs4[0];
      if (b === null) return fail('SIOCSIFBRDADDR', 'Invalid argument');
      if (cur) cur.brd = b;
    } else if (a === 'hw') {
      const cls = args[++i];
      const mac = args[++i];
      if (cls !== 'ether' || !mac || !isValidMac(mac)) {
        err(ctx, busybox ? `ifconfig: invalid hw-addr ${mac ?? ''}` : `${mac ?? ''}: invalid ether address.`);
        return 1;
      }
      if (link.up) return fail('SIOCSIFHWADDR', 'Device or resource busy');
      ns.setMac(link.ifindex, mac);
    } else if (a === 'txqueuelen') {
      link.txqueuelen = Number(args[++i]) || 0;
    } else if (
      a === 'arp' ||
      a === '-arp' ||
      a === 'promisc' ||
      a === '-promisc' ||
      a === 'multicast' ||
      a === 'allmulti' ||
      a === '-allmulti'
    ) {
      // Flags the model does not use.
    } else {
      const cidr = a.split('/');
      const ip = parseIp4(cidr[0]);
      if (ip === null) {
        if (busybox) {
          err(ctx, `ifconfig: bad address '${a}'`);
          return 1;
        }
        err(ctx, `${a}: Unknown host\nifconfig: \`--help' gives usage information.`);
        return 1;
      }
      const prefix = cidr[1] !== undefined ? Number(cidr[1]) : classfulPrefix(ip);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return fail('SIOCSIFNETMASK', 'Invalid argument');
      replacePrimary(ns, link, ip, prefix, prefix < 31 ? broadcastOf(ip, prefix) : null);
      // SIOCSIFADDR brings the interface up, as ifconfig's address form does.
      ns.setUp(link.ifindex, true);
    }
  }
  return 0;
}

/** devinet_ioctl: the primary address is changed in place (its routes follow). */
function replacePrimary(ns: Netns, link: Link, ip: number, prefix: number, brd: number | null): void {
  const cur = link.addrs4[0];
  if (cur) ns.delAddr4(link.ifindex, cur.ip, cur.prefix);
  const added = ns.addAddr4(link.ifindex, ip, prefix, brd);
  // Keep it primary: first in the list, as the ioctl edits the first ifa.
  const i = link.addrs4.indexOf(added);
  if (i > 0) {
    link.addrs4.splice(i, 1);
    link.addrs4.unshift(added);
  }
}

register({ name: 'ifconfig', run: ifconfigMain, paths: { gnu: '/usr/sbin/ifconfig', busybox: '/sbin/ifconfig' } });
