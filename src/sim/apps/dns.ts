/**
 * DNS as the simulator carries it: a query and an answer travel as UDP datagrams to port 53
 * through the packet walk (so a DROP rule, a missing route or a closed port break resolution
 * exactly as on Linux), but their payload is a small text encoding instead of RFC 1035 wire
 * format. Every DNS speaker in the lab (resolver clients, Docker's embedded DNS at
 * 127.0.0.11, the LAN's DNS server) uses this module.
 */
import type { Ip4 } from '../net/types.ts';
import type { Netns } from '../net/netns.ts';
import type { NetStack } from '../net/stack.ts';
import { parseIp4 } from '../net/ip.ts';

export type RrType = 'A' | 'AAAA' | 'PTR';

export interface DnsQuery {
  id: number;
  name: string;
  type: RrType;
}

export interface DnsAnswer {
  id: number;
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  /** The answer records' data: IPv4 addresses for A, names for PTR. */
  records: string[];
  /** The server answered from data it does not own (a forwarder): nslookup prints "Non-authoritative answer:". */
  authoritative: boolean;
}

export function encodeQuery(q: DnsQuery): string {
  return JSON.stringify({ dns: 'q', ...q });
}

export function decodeQuery(payload: string): DnsQuery | null {
  try {
    const v = JSON.parse(payload) as { dns?: string; id?: number; name?: string; type?: string };
    if (v.dns !== 'q' || typeof v.name !== 'string' || typeof v.id !== 'number') return null;
    if (v.type !== 'A' && v.type !== 'AAAA' && v.type !== 'PTR') return null;
    return { id: v.id, name: v.name, type: v.type };
  } catch {
    return null;
  }
}

export function encodeAnswer(a: DnsAnswer): string {
  return JSON.stringify({ dns: 'r', ...a });
}

export function decodeAnswer(payload: string): DnsAnswer | null {
  try {
    const v = JSON.parse(payload) as Partial<DnsAnswer> & { dns?: string };
    if (v.dns !== 'r' || typeof v.id !== 'number' || !Array.isArray(v.records)) return null;
    return { id: v.id, rcode: v.rcode ?? 'SERVFAIL', records: v.records.map(String), authoritative: !!v.authoritative };
  } catch {
    return null;
  }
}

/** Answers one query; returning null means "no answer" (the client times out). */
export type DnsResolverFn = (q: DnsQuery, from: { ip: Ip4; port: number }) => DnsAnswer | null;

/** Binds a DNS server on `ip:53/udp` in `ns`. Throws BindError like bind(2). */
export function serveDns(ns: Netns, ip: Ip4, answer: DnsResolverFn, owner: { pid: number; name: string; fd: number } | null = null): void {
  ns.sockets.bind({
    proto: 'udp',
    local: { family: 4, ip },
    port: 53,
    owner,
    handler: {
      onDatagram(d, reply) {
        const q = decodeQuery(d.data);
        if (!q) return;
        const a = answer(q, { ip: d.src, port: d.sport });
        if (a) reply(encodeAnswer(a));
      },
    },
  });
}

/** The outcome of asking one server. */
export type LookupResult =
  | { kind: 'answer'; answer: DnsAnswer }
  /** Nothing came back (dropped, or no server). */
  | { kind: 'timeout' }
  /** ICMP port unreachable: nothing listens on port 53 there. */
  | { kind: 'refused' }
  | { kind: 'unreachable'; errno: string };

let nextQueryId = 1;

/** Sends one query from `ns` to `server:53` and waits for the answer. */
export function queryServer(stack: NetStack, ns: Netns, server: Ip4, name: string, type: RrType): LookupResult {
  const id = nextQueryId++ & 0xffff;
  const r = stack.udpExchange(ns, server, 53, encodeQuery({ id, name, type }));
  if (r.errno) return { kind: 'unreachable', errno: r.errno };
  for (const rep of r.replies) {
    const a = decodeAnswer(rep.data);
    if (a && a.id === id) return { kind: 'answer', answer: a };
  }
  if (r.error) return { kind: 'refused' };
  return { kind: 'timeout' };
}

/** Parses /etc/resolv.conf: nameservers, search domains and options, as glibc and musl read them. */
export function parseResolvConf(text: string): { nameservers: string[]; search: string[]; options: string[] } {
  const out = { nameservers: [] as string[], search: [] as string[], options: [] as string[] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

/** Looks `name` up in an /etc/hosts text: all addresses (IPv4 first as written) for it. */
export function hostsLookup(hosts: string, name: string): { ip: string; canonical: string }[] {
  const out: { ip: string; canonical: string }[] = [];
  for (const raw of hosts.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    if (names.includes(name)) out.push({ ip: addr, canonical: names[0] });
  }
  return out;
}

export interface ResolveOutcome {
  /** IPv4 addresses found, in order. */
  addrs: Ip4[];
  /** The name the address is known under (the first name on the hosts line), for ping's "from NAME (IP)". */
  canonical: string | null;
  /** Where the answer came from. */
  source: 'literal' | 'hosts' | 'dns' | null;
  /** When nothing was found: NXDOMAIN, or no server answered. */
  failure: 'NXDOMAIN' | 'TIMEOUT' | null;
  /** Virtual time spent waiting for servers that did not answer (resolv.conf timeout:5, attempts:2). */
  waitedMs: number;
}

/** glibc's and musl's default per-query timeout (resolv.conf `timeout:5`) times the default attempts (2). */
export const DNS_TIMEOUT_MS = 5000 * 2;

/**
 * getaddrinfo(AF_INET) as glibc and musl do it: a dotted quad is itself; then /etc/hosts; then
 * each nameserver of /etc/resolv.conf in turn. `readFile` reads the caller's file system.
 */
export function resolveHost(stack: NetStack, ns: Netns, readFile: (p: string) => string | null, name: string): ResolveOutcome {
  const lit = parseIp4(name);
  if (lit !== null) return { addrs: [lit], canonical: null, source: 'literal', failure: null, waitedMs: 0 };
  const hosts = hostsLookup(readFile('/etc/hosts') ?? '', name)
    .map((h) => ({ ip: parseIp4(h.ip), canonical: h.canonical }))
    .filter((h): h is { ip: Ip4; canonical: string } => h.ip !== null);
  if (hosts.length) return { addrs: hosts.map((h) => h.ip), canonical: hosts[0].canonical, source: 'hosts', failure: null, waitedMs: 0 };
  const conf = parseResolvConf(readFile('/etc/resolv.conf') ?? '');
  let failure: 'NXDOMAIN' | 'TIMEOUT' = 'TIMEOUT';
  let waitedMs = 0;
  for (const s of conf.nameservers) {
    const server = parseIp4(s);
    if (server === null) continue;
    const r = queryServer(stack, ns, server, name, 'A');
    if (r.kind === 'answer') {
      if (r.answer.rcode === 'NOERROR' && r.answer.records.length) {
        const addrs = r.answer.records.map((x) => parseIp4(x)).filter((x): x is Ip4 => x !== null);
        return { addrs, canonical: name, source: 'dns', failure: null, waitedMs };
      }
      if (r.answer.rcode === 'NXDOMAIN') failure = 'NXDOMAIN';
      if (r.answer.rcode === 'NXDOMAIN' || r.answer.rcode === 'NOERROR')
        return { addrs: [], canonical: null, source: null, failure, waitedMs };
    } else if (r.kind === 'timeout') waitedMs += DNS_TIMEOUT_MS;
  }
  return { addrs: [], canonical: null, source: null, failure, waitedMs };
}
