/**
 * The data of the Linux network model, as plain structures: what `ip`, `ifconfig`, `route`,
 * `ss`, `bridge` print and what the packet walk reads. Behaviour lives in the modules that
 * own each part (netns.ts, walk.ts, netfilter/, conntrack.ts, sockets.ts).
 */

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ip4 = number;

export type LinkKind = 'loopback' | 'ether' | 'veth' | 'bridge' | 'dummy' | 'vxlan';

export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  rxDropped: number;
  txDropped: number;
}

export interface Addr4 {
  ip: Ip4;
  prefix: number;
  /** Broadcast address, when set (`brd`). */
  brd: Ip4 | null;
  scope: 'host' | 'link' | 'global';
  /** The interface label (usually the interface name). */
  label: string;
}

export interface Addr6 {
  /** Canonical text form, e.g. `fe80::42:acff:fe11:2`. */
  ip: string;
  prefix: number;
  scope: 'host' | 'link' | 'global';
  /** DAD still in progress: iproute2 prints `tentative`. */
  tentative: boolean;
}

export interface Link {
  ifindex: number;
  name: string;
  kind: LinkKind;
  mac: string; // lowercase aa:bb:cc:dd:ee:ff
  mtu: number;
  /** Administratively up (IFF_UP). */
  up: boolean;
  /** Carrier (IFF_LOWER_UP / no NO-CARRIER). */
  carrier: boolean;
  /** IFF_NOARP etc. are derived from the kind. */
  qdisc: 'noqueue' | 'pfifo_fast' | 'fq_codel' | 'noop';
  txqueuelen: number;
  addrs4: Addr4[];
  addrs6: Addr6[];
  /** Index of the bridge this link is a port of (`master docker0`). */
  master: number | null;
  /** For a veth or an underlay ether: the peer end, possibly in another namespace. */
  peer: { ns: NetnsId; ifindex: number } | null;
  /** For a bridge: its forwarding database and port state. */
  bridge?: BridgeState;
  /** For a vxlan device. */
  vxlan?: VxlanState;
  stats: LinkStats;
  /** The device has been up at least once (first-up effects happen once). */
  upBefore?: boolean;
  /** IPv6 is disabled on the link (Docker disables it in containers without IPv6). */
  ipv6Disabled: boolean;
  /** Link-level knobs: per-device sysctls such as route_localnet. */
  routeLocalnet: boolean;
}

export interface BridgeState {
  /** MAC → port ifindex, learned or static (the bridge's own address is `local`). */
  fdb: Map<string, { port: number; local: boolean; ageMs: number }>;
  stp: boolean;
  /** Port ifindex → hairpin mode. */
  hairpin: Set<number>;
}

export interface VxlanState {
  vni: number;
  local: Ip4 | null;
  /** Underlay device the tunnel uses, if pinned. */
  dev: number | null;
  dstport: number;
  learning: boolean;
  /** Static/learned FDB: inner MAC → remote VTEP IP. `00:00:00:00:00:00` is the flood entry. */
  fdb: Map<string, Ip4>;
}

export type NetnsId = number;

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit';

export interface Route {
  table: 'main' | 'local';
  type: RouteType;
  dst: Ip4;
  prefix: number;
  gateway: Ip4 | null;
  dev: number | null;
  /** `proto kernel` for connected routes, `boot`/`static` for user routes. */
  proto: 'kernel' | 'boot' | 'static';
  scope: 'host' | 'link' | 'global';
  src: Ip4 | null;
  metric: number;
}

export type NeighState = 'REACHABLE' | 'STALE' | 'DELAY' | 'FAILED' | 'INCOMPLETE' | 'PERMANENT';

export interface Neighbor {
  ip: Ip4;
  dev: number;
  mac: string | null;
  state: NeighState;
  router: boolean;
}

export type Proto = 'tcp' | 'udp' | 'icmp';

export interface Sysctls {
  ipForward: boolean;
  /** net.bridge.bridge-nf-call-iptables (br_netfilter loaded and enabled). */
  bridgeNfCallIptables: boolean;
  ipLocalPortRange: [number, number];
  /** net.ipv4.icmp_echo_ignore_all */
  icmpEchoIgnoreAll: boolean;
}
