/**
 * Reachability for `reach` checks, decided by the packet walk: a probe sends a real ICMP echo,
 * TCP SYN or UDP datagram through the model (routes, bridges, netfilter, conntrack, NAT) from
 * the source's namespace and reports what came back. Nothing here knows which pairs "should"
 * reach each other.
 *
 * A probe is traffic: it leaves conntrack and neighbour entries, bumps rule counters and draws
 * from the world's random generator (ephemeral ports). So graders probe a lab rebuilt by replay
 * (src/exercise/runner.ts), never the learner's live lab, whose state must stay a pure function
 * of (setup, seed, command log).
 */
import type { Netns } from '../net/netns.ts';
import type { World } from '../net/world.ts';
import { parseIp4 } from '../net/ip.ts';
import { ICMP_UNREACH, UNREACH_PORT } from '../net/packet.ts';
import { fileLines } from './canonical.ts';
import { effectiveEndpoints, findContainer } from './template.ts';
import type { HostSnapshot, Probe, ReachOutcome, ReachQuery, Snapshot } from './types.ts';

/** The ICMP echo identifier probes use (ping uses its pid; this one is out of the pid range). */
const PROBE_ECHO_ID = 0xfffe;

/** One packet exchange from a namespace; the walk decides the outcome. */
export function probeFromNetns(world: World, ns: Netns, dst: number, port: number | null, proto: 'tcp' | 'udp' | 'icmp'): ReachOutcome {
  const stack = world.stack;
  if (proto === 'icmp' || port === null) {
    const r = stack.echo(ns, dst, { id: PROBE_ECHO_ID, seq: 1, bytes: 56 });
    if (r.kind === 'reply') return 'open';
    if (r.kind === 'lost') return 'timeout';
    return 'unreachable';
  }
  if (proto === 'tcp') {
    const c = stack.tcpConnect(ns, dst, port);
    if (!('error' in c)) {
      c.close();
      return 'open';
    }
    if (c.error === 'ECONNREFUSED') return 'refused';
    if (c.error === 'ETIMEDOUT') return 'timeout';
    return 'unreachable';
  }
  const u = stack.udpExchange(ns, dst, port, '');
  if (u.replies.length) return 'open';
  if (u.error) return u.error.type === ICMP_UNREACH && u.error.code === UNREACH_PORT ? 'refused' : 'unreachable';
  if (u.errno) return 'unreachable';
  // No answer: a silent UDP service and a DROP look the same from outside (nmap's open|filtered).
  return 'timeout';
}

/**
 * The addresses a probe's target stands for, as seen from the source:
 *  - a container's name: that container's addresses (the grader's identity for "B");
 *  - an IPv4 address: itself;
 *  - any other name: resolved as a program in the source would, first its /etc/hosts (nsswitch
 *    `files`), then — on user-defined networks — Docker's embedded DNS, which answers the names
 *    and aliases of containers on the networks the source shares with them.
 */
export function targetAddresses(h: HostSnapshot, from: string, to: string): string[] {
  if (parseIp4(to) !== null) return [to];
  const target = findContainer(h, to);
  if (target) return effectiveEndpoints(h, target).flatMap((e) => (e.ip ? [e.ip] : []));
  const src = findContainer(h, from);
  if (!src) return [];
  for (const line of fileLines(src.files.hosts)) {
    const [ip, ...names] = line.trim().split(/\s+/);
    if (!ip || ip.startsWith('#')) continue;
    if (names.includes(to) && parseIp4(ip) !== null) return [ip];
  }
  const userNets = effectiveEndpoints(h, src)
    .map((e) => e.network)
    .filter((n) => !['bridge', 'host', 'none'].includes(n));
  for (const c of h.containers) {
    if (c.state !== 'running') continue;
    for (const ep of effectiveEndpoints(h, c)) {
      if (!userNets.includes(ep.network) || !ep.ip) continue;
      if (c.name === to || ep.aliases.includes(to)) return [ep.ip];
    }
  }
  return [];
}

/** Finds the namespace of a container (or of the host itself when `container` is null). */
export type NetnsLocator = (host: string, container: string | null) => Netns | null;

/**
 * A Probe over a lab: `from` is a container name, or `host` / `host:NAME` for a host's own
 * namespace. When the target stands for several addresses, the best outcome counts (A reaches
 * B if any of B's addresses answers).
 */
export function makeProbe(snapshot: Snapshot, world: World, locate: NetnsLocator): Probe {
  const rank: ReachOutcome[] = ['open', 'refused', 'timeout', 'unreachable', 'unresolved'];
  return (q: ReachQuery): ReachOutcome => {
    const h = (q.host !== undefined ? snapshot.hosts.find((x) => x.name === q.host) : snapshot.hosts[0]) ?? snapshot.hosts[0];
    if (!h) throw new Error('the snapshot has no host');
    const isHost = q.from === 'host' || q.from.startsWith('host:');
    const hostName = q.from.startsWith('host:') ? q.from.slice(5) : h.name;
    const ns = isHost ? locate(hostName, null) : locate(h.name, q.from);
    if (!ns) throw new Error(isHost ? `there is no host ${hostName}` : `\`${q.from}\` has no network namespace (is it running?)`);
    const addrs = targetAddresses(h, isHost ? '' : q.from, q.to);
    if (!addrs.length) return 'unresolved';
    let best: ReachOutcome = 'unresolved';
    for (const a of addrs) {
      const ip = parseIp4(a);
      if (ip === null) continue;
      const o = probeFromNetns(world, ns, ip, q.port, q.proto);
      if (rank.indexOf(o) < rank.indexOf(best)) best = o;
      if (best === 'open') break;
    }
    return best;
  };
}
