/**
 * What the network tools share: the kernel's view of a link as netlink and ioctls report it
 * (IFF_* flags, operstate, IFLA_LINK / IFLA_LINK_NETNSID of a veth), and small text helpers.
 * Every tool derives its output from these, never from its own idea of a link's state.
 */
import type { Link } from '../../../net/types.ts';
import type { Netns } from '../../../net/netns.ts';
import type { CommandContext } from '../../interp.ts';

// include/uapi/linux/if.h
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_MULTICAST = 0x1000;
export const IFF_LOWER_UP = 0x10000;

/** dev_get_flags(): the flags `ip link`, `ifconfig` and SIOCGIFFLAGS report. */
export function linkFlags(link: Link): number {
  let f = 0;
  switch (link.kind) {
    case 'loopback':
      f |= IFF_LOOPBACK;
      break;
    case 'dummy':
      // drivers/net/dummy.c: ether_setup() then IFF_NOARP, multicast cleared.
      f |= IFF_BROADCAST | IFF_NOARP;
      break;
    default:
      f |= IFF_BROADCAST | IFF_MULTICAST;
  }
  if (link.up) f |= IFF_UP;
  if (link.up && link.carrier) f |= IFF_RUNNING | IFF_LOWER_UP;
  return f;
}

export type OperState = 'UNKNOWN' | 'DOWN' | 'LOWERLAYERDOWN' | 'UP';

/**
 * RFC 2863 operstate as net/core/link_watch.c computes it: devices without carrier reporting
 * (loopback, dummy, vxlan) stay UNKNOWN when up; a stacked device (a veth, whose iflink is its
 * peer) without carrier is LOWERLAYERDOWN.
 */
export function operState(link: Link): OperState {
  if (!link.up) return 'DOWN';
  if (link.kind === 'loopback' || link.kind === 'dummy' || link.kind === 'vxlan') return 'UNKNOWN';
  if (link.carrier) return 'UP';
  return link.peer ? 'LOWERLAYERDOWN' : 'DOWN';
}

/** IFLA_LINK of a link: the peer's ifindex and, when the peer lives elsewhere, this namespace's id for it. */
export function iflinkOf(ns: Netns, link: Link): { index: number; netnsid: number | null; peer: Link | null } | null {
  if (!link.peer) return null;
  if (link.peer.ns === ns.id) return { index: link.peer.ifindex, netnsid: null, peer: ns.link(link.peer.ifindex) ?? null };
  return { index: link.peer.ifindex, netnsid: ns.nsidOf(link.peer.ns), peer: null };
}

/** `link/ether`, `link/loopback`, as ll_type_n2a names ARPHRD_* types. */
export function linkType(link: Link): string {
  return link.kind === 'loopback' ? 'loopback' : 'ether';
}

export function broadcastMac(link: Link): string {
  return link.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
}

/** Left-pads with spaces (printf `%*s`). */
export function padStart(s: string | number, n: number): string {
  return String(s).padStart(n, ' ');
}

/** Right-pads with spaces (printf `%-*s`). */
export function padEnd(s: string | number, n: number): string {
  return String(s).padEnd(n, ' ');
}

/** Writes a line (or lines) to stderr. */
export function err(ctx: CommandContext, text: string): void {
  ctx.stderr.write(text.endsWith('\n') ? text : text + '\n');
}

/** net-tools' nstrcmp: names compare with embedded numbers by value (eth2 < eth10). */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) return Number(x) - Number(y) || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Byte-wise strcmp order (busybox keeps its interface list sorted this way). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The full 8-group form of an IPv6 address (for /proc/net/if_inet6 style scopes). */
export function expand6(ip: string): number[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g || '0', 16));
}
