/**
 * The contract between the packet walk and netfilter. The walk builds a PacketView at each hook,
 * asks the netfilter of the namespace to traverse a table's chain, and applies the verdict
 * (dropping, rejecting, or recording a NAT mapping in conntrack).
 */
import type { Ip4, Proto } from '../types.ts';

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export type AddrType = 'LOCAL' | 'UNICAST' | 'BROADCAST' | 'MULTICAST' | 'UNSPEC' | 'BLACKHOLE' | 'UNREACHABLE' | 'PROHIBIT';

/** One direction of a conntrack entry (ports are absent for ICMP). */
export interface CtTupleView {
  src: Ip4;
  dst: Ip4;
  sport?: number;
  dport?: number;
}

/** The packet as a rule sees it at one point of the walk. */
export interface PacketView {
  src: Ip4;
  dst: Ip4;
  proto: Proto;
  sport?: number;
  dport?: number;
  /** ICMP type (8 echo request, 0 echo reply, 3 unreachable). */
  icmpType?: number;
  icmpCode?: number;
  /** TCP flags of this segment. */
  tcpFlags?: { syn: boolean; ack: boolean; fin: boolean; rst: boolean };
  /** Interface names as iptables matches them (`-i`/`-o`): for bridged traffic, the bridge. */
  inIface: string | null;
  outIface: string | null;
  /** The bridge ports for bridged traffic (`-m physdev`). */
  physIn?: string | null;
  physOut?: string | null;
  ctState: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';
  ctDir: 'ORIGINAL' | 'REPLY';
  /**
   * The packet's conntrack entry, when it has one (`-m conntrack --ctorigdst`, `--ctdir`...):
   * its original and reply tuples (the reply one after NAT). Without it those options never
   * match, as for an untracked packet.
   */
  ct?: { proto: Proto; orig: CtTupleView; reply: CtTupleView };
  /** Total length of the IP packet in bytes (for the byte counters). */
  len: number;
  ttl: number;
  /** `-m addrtype`: how the namespace classifies an address. */
  addrType(ip: Ip4): AddrType;
}

/** A NAT action chosen by a rule in the nat table (applied by the walk through conntrack). */
export type NatAction =
  | { kind: 'DNAT'; ip: Ip4; port?: number; portEnd?: number }
  | { kind: 'SNAT'; ip: Ip4; port?: number; portEnd?: number }
  | { kind: 'MASQUERADE'; portMin?: number; portMax?: number }
  | { kind: 'REDIRECT'; port?: number };

export interface HookResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** `--reject-with`, default icmp-port-unreachable. */
  rejectWith?: string;
  nat?: NatAction;
}

/** Receives one event per rule evaluated (for the packet-trace view). */
export interface RuleTraceSink {
  rule(
    table: TableName,
    chain: string,
    ruleText: string,
    verdict: 'match' | 'nomatch' | 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN' | 'jump' | 'policy-ACCEPT' | 'policy-DROP',
  ): void;
}
