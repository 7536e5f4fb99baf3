/**
 * How `ip link` and `ip addr` print a link and its addresses: iproute2's print_linkinfo /
 * print_addrinfo (ip/ipaddress.c, v6.1) and busybox's (networking/libiproute/ipaddress.c),
 * which differ in what they know (busybox has no `state`/`group`/`mode`/`link-netnsid`, looks
 * a veth peer's index up in its own namespace and so shows `@if13` with `M-DOWN`).
 */
import type { Addr4, Addr6, Link } from '../../../net/types.ts';
import type { Netns } from '../../../net/netns.ts';
import { formatIp4 } from '../../../net/ip.ts';
import { broadcastMac, iflinkOf, IFF_LOWER_UP, IFF_RUNNING, IFF_UP, linkFlags, linkType, operState } from './common.ts';

export interface IpOptions {
  /** 0 = any, 4 = -4, 6 = -6, 'link' = -0. */
  family: 0 | 4 | 6 | 'link';
  brief: boolean;
  oneline: boolean;
  stats: number;
  details: boolean;
  busybox: boolean;
}

const FLAG_NAMES: [number, string][] = [
  [0x8, 'LOOPBACK'],
  [0x2, 'BROADCAST'],
  [0x10, 'POINTOPOINT'],
  [0x1000, 'MULTICAST'],
  [0x80, 'NOARP'],
  [0x200, 'ALLMULTI'],
  [0x100, 'PROMISC'],
  [0x400, 'MASTER'],
  [0x800, 'SLAVE'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
];

/** `<BROADCAST,MULTICAST,UP,LOWER_UP>` (print_link_flags), with NO-CARRIER and M-DOWN. */
export function flagsText(flags: number, mdown: boolean, busybox: boolean): string {
  const out: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) out.push('NO-CARRIER');
  let rest = flags & ~IFF_RUNNING;
  // busybox knows fewer names; the ones a simulated link can have are in both lists.
  for (const [bit, name] of FLAG_NAMES) {
    if (busybox && (name === 'ALLMULTI' || name === 'PROMISC' || name === 'MASTER' || name === 'SLAVE')) continue;
    if (rest & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  let s = '<' + out.join(',');
  if (rest) s += (out.length ? ',' : '') + rest.toString(16);
  if (mdown) s += ',M-DOWN';
  return s + '>';
}

/** `name@peer` and whether the peer is down (M-DOWN), as each implementation works it out. */
function nameAndLink(ns: Netns, link: Link, busybox: boolean): { name: string; mdown: boolean; netnsid: number | null } {
  const il = iflinkOf(ns, link);
  if (!il) return { name: link.name, mdown: false, netnsid: null };
  if (busybox) {
    // ll_index_to_name/ll_index_to_flags look the index up among this namespace's links.
    const local = ns.link(il.index);
    return { name: `${link.name}@${local ? local.name : `if${il.index}`}`, mdown: !(local && local.up), netnsid: null };
  }
  if (il.netnsid !== null) return { name: `${link.name}@if${il.index}`, mdown: false, netnsid: il.netnsid };
  const peer = il.peer;
  return { name: `${link.name}@${peer ? peer.name : `if${il.index}`}`, mdown: !(peer && peer.up), netnsid: null };
}

/** The lines `ip link` (doLink) or `ip addr` prints for a link's header. */
export function linkHeader(ns: Netns, link: Link, o: IpOptions, doLink: boolean): string {
  const { name, mdown, netnsid } = nameAndLink(ns, link, o.busybox);
  const flags = linkFlags(link);
  const master = link.master !== null ? ns.link(link.master)?.name : undefined;
  let s = `${link.ifindex}: ${name}: ${flagsText(flags, mdown, o.busybox)} mtu ${link.mtu} qdisc ${link.qdisc} `;
  if (master) s += `master ${master} `;
  if (o.busybox) {
    if (link.txqueuelen) s += `qlen ${link.txqueuelen}`;
  } else {
    s += `state ${operState(link)} `;
    if (doLink) s += 'mode DEFAULT ';
    s += 'group default ';
    if (link.txqueuelen) s += `qlen ${link.txqueuelen}`;
  }
  const sep = o.oneline ? '\\' : '\n';
  if (o.family === 0 || o.family === 'link' || (o.details && !o.busybox)) {
    s += `${sep}    link/${linkType(link)} ${link.mac} brd ${broadcastMac(link)}`;
    if (!o.busybox && netnsid !== null) s += ` link-netnsid ${netnsid}`;
  }
  if (o.stats && !o.busybox) s += statsLines(link, sep);
  return s;
}

/** `ip -s link`: iproute2 6.1's print_link_stats64, columns widened to fit the numbers. */
function statsLines(link: Link, sep: string): string {
  const st = link.stats;
  const rx = [st.rxBytes, st.rxPackets, 0, st.rxDropped, 0, 0];
  const tx = [st.txBytes, st.txPackets, 0, st.txDropped, 0, 0];
  const cols = [10, 7, 6, 7, 7, 7, 10];
  for (const v of [rx, tx]) v.forEach((n, i) => (cols[i] = Math.max(cols[i], String(n).length)));
  const head = (h: string[]) =>
    `${h[0].padStart(cols[0] - 4)} ${h
      .slice(1)
      .map((x, i) => x.padStart(cols[i + 1]))
      .join(' ')} ${''.padStart(cols[6])}`;
  const nums = (v: number[]) => v.map((n, i) => `${String(n).padStart(cols[i])} `).join('');
  return (
    `${sep}    RX: ${head(['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'])}${sep}    ${nums(rx)}` +
    `${sep}    TX: ${head(['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'])}${sep}    ${nums(tx)}`
  );
}

function scopeName(scope: Addr4['scope']): string {
  return scope;
}

/** One `inet` line pair of `ip addr` (print_addrinfo). */
export function addr4Lines(link: Link, a: Addr4, o: IpOptions, secondary: boolean): string {
  const head = o.oneline ? `${link.ifindex}: ${link.name}` : '';
  let s = `${head}    inet ${formatIp4(a.ip)}/${a.prefix} `;
  if (a.brd !== null) s += `brd ${formatIp4(a.brd)} `;
  s += `scope ${scopeName(a.scope)} `;
  if (secondary) s += 'secondary ';
  s += a.label;
  s += `${o.oneline ? '\\' : '\n'}       valid_lft forever preferred_lft forever`;
  return s;
}

/** One `inet6` line pair. */
export function addr6Lines(link: Link, a: Addr6, o: IpOptions): string {
  const head = o.oneline ? `${link.ifindex}: ${link.name}` : '';
  let s = `${head}    inet6 ${a.ip}/${a.prefix} scope ${a.scope} `;
  if (a.tentative) s += 'tentative ';
  s += `${o.oneline ? '\\' : '\n'}       valid_lft forever preferred_lft forever`;
  return s;
}

/**
 * Which IPv4 addresses are secondary: the kernel marks an address secondary when another
 * address of the same subnet was already on the link (net/ipv4/devinet.c).
 */
export function secondaryFlags(link: Link): boolean[] {
  return link.addrs4.map((a, i) =>
    link.addrs4
      .slice(0, i)
      .some((p) => p.prefix === a.prefix && p.ip >>> (32 - p.prefix || 0) === a.ip >>> (32 - a.prefix || 0) && a.prefix > 0),
  );
}

/** `ip -br link` / `ip -br addr` lines (print_linkinfo_brief). */
export function briefLine(ns: Netns, link: Link, o: IpOptions, doLink: boolean): string {
  const { name, mdown } = nameAndLink(ns, link, false);
  let s = `${name.padEnd(16)} ${operState(link).padEnd(14)} `;
  if (doLink) {
    s += `${link.mac} ${flagsText(linkFlags(link), mdown, false)} `;
    return s;
  }
  if (o.family !== 6) for (const a of link.addrs4) s += `${formatIp4(a.ip)}/${a.prefix} `;
  if (o.family !== 4) for (const a of link.addrs6) s += `${a.ip}/${a.prefix} `;
  return s;
}
