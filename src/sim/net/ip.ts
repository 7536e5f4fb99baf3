/** IPv4/IPv6/MAC helpers: parsing, formatting, prefixes — the arithmetic every layer needs. */
import type { Ip4 } from './types.ts';

export function parseIp4(s: string): Ip4 | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  if (m.slice(1).some((p) => p.length > 1 && p.startsWith('0'))) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIp4(ip: Ip4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkOf(ip: Ip4, prefix: number): Ip4 {
  return (ip & maskOf(prefix)) >>> 0;
}

export function broadcastOf(ip: Ip4, prefix: number): Ip4 {
  return (networkOf(ip, prefix) | (~maskOf(prefix) >>> 0)) >>> 0;
}

export function inSubnet(ip: Ip4, net: Ip4, prefix: number): boolean {
  return networkOf(ip, prefix) === networkOf(net, prefix);
}

export interface Cidr {
  ip: Ip4;
  prefix: number;
}

/** Parses `a.b.c.d/n` (or a bare address with `defaultPrefix`). */
export function parseCidr(s: string, defaultPrefix: number | null = null): Cidr | null {
  const [a, p] = s.split('/');
  const ip = parseIp4(a);
  if (ip === null) return null;
  if (p === undefined) return defaultPrefix === null ? null : { ip, prefix: defaultPrefix };
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return null;
  return { ip, prefix: Number(p) };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp4(c.ip)}/${c.prefix}`;
}

/** `255.255.0.0` */
export function formatMask(prefix: number): string {
  return formatIp4(maskOf(prefix));
}

export function prefixFromMask(mask: Ip4): number | null {
  let n = 0;
  let m = mask >>> 0;
  while (m & 0x80000000) {
    n++;
    m = (m << 1) >>> 0;
  }
  return m === 0 ? n : null;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return networkOf(a.ip, p) === networkOf(b.ip, p);
}

export function isLoopback4(ip: Ip4): boolean {
  return ip >>> 24 === 127;
}

export function isMulticast4(ip: Ip4): boolean {
  return ip >>> 28 === 0xe;
}

/** The EUI-64 IPv6 link-local address the kernel derives from a MAC (`fe80::42:acff:fe11:2`). */
export function linkLocalFromMac(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const eui = [b[0] ^ 0x02, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]];
  const groups = [0, 2, 4, 6].map((i) => ((eui[i] << 8) | eui[i + 1]).toString(16));
  return compress6(['fe80', '0', '0', '0', ...groups]);
}

/** RFC 5952 text form of eight hex groups (longest run of zero groups becomes `::`). */
export function compress6(groups: string[]): string {
  const g = groups.map((x) => parseInt(x, 16).toString(16));
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(':');
  const left = g.slice(0, best).join(':');
  const right = g.slice(best + bestLen).join(':');
  return `${left}::${right}`;
}

/** Docker 20.10's container MAC: 02:42 followed by the four bytes of the IPv4 address. */
export function macFromIp4(ip: Ip4): string {
  const bytes = [0x02, 0x42, ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255];
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function isValidMac(s: string): boolean {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(s);
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
