/**
 * Helpers shared by the iptables front end and its extensions, ported from libxtables
 * (iptables 1.8.9, libxtables/xtables.c): number and address parsing, protocol and service
 * names, the error type that `xtables_error()` raises and how the programs print it.
 */
import { formatIp4 } from '../ip.ts';

/** The version Debian 12 ships with Docker 20.10 (see the golden transcripts' `# engine:` line). */
export const IPT_VERSION = '1.8.9';
export const PROGRAM_VERSION = `${IPT_VERSION} (legacy)`;

/** xtables_exittype. */
export const OTHER_PROBLEM = 1;
export const PARAMETER_PROBLEM = 2;
export const VERSION_PROBLEM = 3;
export const RESOURCE_PROBLEM = 4;

/**
 * `xtables_error(status, fmt, ...)`: the program prints `PROG vVERSION: MSG`, and for a
 * parameter problem the `Try ... --help` line (basic_exit_err in libxtables/xtables.c).
 * `raw` errors are printed as they are, followed by exit_tryhelp() (`Bad argument` in do_parse).
 */
export class XtError extends Error {
  constructor(
    readonly status: number,
    msg: string,
    readonly raw = false,
  ) {
    super(msg);
  }
}

export function xtError(status: number, msg: string): never {
  throw new XtError(status, msg);
}

export const paramError = (msg: string): never => xtError(PARAMETER_PROBLEM, msg);

/** Formats an XtError as the program would print it on stderr. `line` is iptables-restore's current line. */
export function formatXtError(e: XtError, prog: string, line = -1): string {
  let out = e.raw ? e.message : `${prog} v${PROGRAM_VERSION}: ${e.message}\n`;
  if (e.status === PARAMETER_PROBLEM) {
    if (line !== -1) out += `Error occurred at line: ${line}\n`;
    out += `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
  } else if (e.status === VERSION_PROBLEM) {
    out += `Perhaps ${prog} or your kernel needs to be upgraded.\n`;
  }
  return out;
}

/** xtables_strtoui with base 0 (decimal, 0x hex, leading-0 octal); the whole string must be a number. */
export function strtoui(s: string, min: number, max: number): number | null {
  let m: RegExpMatchArray | null;
  let v: number;
  if ((m = /^\s*\+?0[xX]([0-9a-fA-F]+)$/.exec(s))) v = parseInt(m[1]!, 16);
  else if ((m = /^\s*\+?0([0-7]*)$/.exec(s))) v = m[1] ? parseInt(m[1], 8) : 0;
  else if ((m = /^\s*\+?([1-9][0-9]*)$/.exec(s))) v = Number(m[1]);
  else return null;
  if (!Number.isFinite(v) || v < min || v > max) return null;
  return v;
}

/** `__numeric_to_ipaddr`: dotted quad, or fewer parts for a network address (`10.1` = 10.1.0.0). */
export function numericToIpaddr(dotted: string, isMask: boolean): number | null {
  const parts = dotted.slice(0, 19).split('.');
  if (parts.length > 4) {
    // strchr-based parsing: the fourth part keeps its dots and fails strtoui.
    return null;
  }
  const bytes = [0, 0, 0, 0];
  if (parts.length < 4 && isMask) return null;
  for (let i = 0; i < parts.length; i++) {
    const b = strtoui(parts[i]!, 0, 255);
    if (b === null) return null;
    bytes[i] = b;
  }
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** Resolves names the way getaddrinfo/getnetbyname would on the host (hosts file, networks file). */
export interface NameResolver {
  /** Host name → addresses (`/etc/hosts`); null when unknown. */
  hostToAddrs?(name: string): number[] | null;
  /** Address → host name (reverse lookup for `iptables -L` without `-n`). */
  addrToHost?(ip: number): string | null;
}

/** Debian's /etc/networks (netbase): what getnetbyname/getnetbyaddr find. */
const NETWORKS: Record<string, number> = { default: 0, loopback: 0x7f000000, 'link-local': 0xa9fe0000 };

function parseIpmask(mask: string | null): number {
  if (mask === null) return 0xffffffff;
  const m = numericToIpaddr(mask, true);
  if (m !== null) return m;
  const bits = strtoui(mask, 0, 32);
  if (bits === null) return paramError(`invalid mask \`${mask}' specified`);
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function hostnetwork(name: string, res: NameResolver | undefined): number[] {
  const n = numericToIpaddr(name, false);
  if (n !== null) return [n];
  if (name in NETWORKS) return [NETWORKS[name]!];
  const byHost = res?.hostToAddrs?.(name) ?? (name === 'localhost' ? [0x7f000001] : null);
  if (byHost && byHost.length) return byHost;
  return paramError(`host/network \`${name}' not found`);
}

export interface AddrMask {
  addr: number;
  mask: number;
}

/** xtables_ipparse_multiple: `a[/m][,b[/m]...]`; names may expand to several addresses. */
export function ipparseMultiple(spec: string, res?: NameResolver): AddrMask[] {
  const out: AddrMask[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.replace(/^\s+/, '');
    if (item.length > 255) paramError('Hostname too long');
    const slash = item.lastIndexOf('/');
    let host = slash >= 0 ? item.slice(0, slash) : item;
    const mask = parseIpmask(slash >= 0 ? item.slice(slash + 1) : null);
    if (mask === 0) host = '0.0.0.0';
    for (const a of hostnetwork(host, res)) out.push({ addr: (a & mask) >>> 0, mask });
  }
  return out;
}

/** Number of leading one bits, or -1 when the mask is not contiguous (xtables_ipmask_to_cidr). */
export function maskToCidr(mask: number): number {
  if (mask === 0xffffffff) return 32;
  let bits = 0xfffffffe;
  for (let i = 31; i >= 0; i--) {
    if (mask >>> 0 === bits >>> 0) return i;
    bits = (bits << 1) >>> 0;
  }
  return -1;
}

/** xtables_ipmask_to_numeric: nothing for /32, `/N`, or a dotted mask. */
export function ipmaskToNumeric(mask: number): string {
  const c = maskToCidr(mask);
  if (c === -1) return `/${formatIp4(mask)}`;
  if (c === 32) return '';
  return `/${c}`;
}

/** mask_to_str in xshared.c (iptables-save): `32`, `N`, or a dotted mask. */
export function maskToStr(mask: number): string {
  const c = maskToCidr(mask);
  return c === -1 ? formatIp4(mask) : String(c);
}

/** xtables_chain_protos, then /etc/protocols for the rest. */
const CHAIN_PROTOS: [string, number][] = [
  ['tcp', 6],
  ['sctp', 132],
  ['udp', 17],
  ['udplite', 136],
  ['icmp', 1],
  ['ipv6-icmp', 58],
  ['icmpv6', 58],
  ['esp', 50],
  ['ah', 51],
  ['mobility-header', 135],
  ['ipv6-mh', 135],
  ['mh', 135],
  ['all', 0],
];
/** Debian's /etc/protocols (netbase), the entries a learner may meet. */
const ETC_PROTOCOLS: [string, number][] = [
  ['ip', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['ipencap', 4],
  ['tcp', 6],
  ['egp', 8],
  ['udp', 17],
  ['ipv6', 41],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['ipv6-icmp', 58],
  ['ospf', 89],
  ['pim', 103],
  ['vrrp', 112],
  ['l2tp', 115],
  ['sctp', 132],
];

/** xtables_parse_protocol. */
export function parseProtocol(s: string): number {
  const n = strtoui(s, 0, 255);
  if (n !== null) return n;
  for (const [name, num] of CHAIN_PROTOS) if (name === s) return num;
  for (const [name, num] of ETC_PROTOCOLS) if (name === s) return num;
  return paramError(`unknown protocol "${s}" specified`);
}

/** proto_to_name in xshared.c: the chain protos first, then getprotobynumber unless numeric. */
export function protoToName(proto: number, nolookup: boolean): string | null {
  for (const [name, num] of CHAIN_PROTOS) if (num === proto) return name;
  if (proto && !nolookup) for (const [name, num] of ETC_PROTOCOLS) if (num === proto) return name;
  return null;
}

/** Debian's /etc/services (netbase), the common entries: getservbyname/getservbyport. */
const SERVICES: [string, number, ('tcp' | 'udp')[]][] = [
  ['ftp-data', 20, ['tcp']],
  ['ftp', 21, ['tcp']],
  ['ssh', 22, ['tcp']],
  ['telnet', 23, ['tcp']],
  ['smtp', 25, ['tcp']],
  ['domain', 53, ['tcp', 'udp']],
  ['bootps', 67, ['udp']],
  ['bootpc', 68, ['udp']],
  ['tftp', 69, ['udp']],
  ['http', 80, ['tcp']],
  ['kerberos', 88, ['tcp', 'udp']],
  ['pop3', 110, ['tcp']],
  ['sunrpc', 111, ['tcp', 'udp']],
  ['ntp', 123, ['udp']],
  ['imap2', 143, ['tcp']],
  ['snmp', 161, ['tcp', 'udp']],
  ['ldap', 389, ['tcp', 'udp']],
  ['https', 443, ['tcp', 'udp']],
  ['submission', 587, ['tcp']],
  ['imaps', 993, ['tcp']],
  ['pop3s', 995, ['tcp']],
  ['openvpn', 1194, ['tcp', 'udp']],
  ['mysql', 3306, ['tcp']],
  ['postgresql', 5432, ['tcp']],
  ['x11', 6000, ['tcp']],
  ['http-alt', 8080, ['tcp']],
];
const SERVICE_ALIASES: Record<string, string> = {
  www: 'http',
  nameserver: 'domain',
  imap: 'imap2',
  postgres: 'postgresql',
  webcache: 'http-alt',
};

/** getservbyname: `proto` null means any protocol. */
export function serviceToPort(name: string, proto: string | null): number | null {
  const n = SERVICE_ALIASES[name] ?? name;
  for (const [s, port, protos] of SERVICES) if (s === n && (!proto || protos.includes(proto as 'tcp'))) return port;
  return null;
}

/** getservbyport. */
export function portToService(port: number, proto: string | null): string | null {
  for (const [s, p, protos] of SERVICES) if (p === port && (!proto || protos.includes(proto as 'tcp'))) return s;
  return null;
}

/** xtables_parse_port. */
export function parsePort(port: string, proto: string | null): number {
  const n = strtoui(port, 0, 65535);
  if (n !== null) return n;
  const s = serviceToPort(port, proto);
  if (s !== null) return s;
  return paramError(`invalid port/service \`${port}' specified`);
}

/** xtables_save_string: bare when safe, else double-quoted with `"\'` escaped. */
export function saveString(value: string): string {
  if (/^[-_0-9a-zA-Z]+$/.test(value)) return ` ${value}`;
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** `%-Ns`: left-justified, never truncated. */
export const padR = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
/** `%Ns`: right-justified, never truncated. */
export const padL = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
