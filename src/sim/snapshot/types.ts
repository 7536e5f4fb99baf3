/**
 * A snapshot: what the grader sees of a lab. It describes the state a learner produced, per
 * host, in the terms Docker and Linux use (`docker network inspect`, `docker inspect`,
 * `iptables -S`, `ip route`), never the learner's screen.
 *
 * Ids, MACs and veth names are kept (templates such as `{{shortId db}}` need them), but
 * `canonicalSnapshot()` (canonical.ts) turns a snapshot into its id-independent form, in which
 * two labs that differ only by seed compare equal.
 */

export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  version: typeof SNAPSHOT_VERSION;
  hosts: HostSnapshot[];
}

export interface HostSnapshot {
  /** The host name (`docker-node1`). */
  name: string;
  /** dockerd's options as given on its command line or daemon.json (`icc: false`, `bip: "10.0.0.1/24"`), in canonical (long flag, no dashes) form. */
  daemon: Record<string, string | number | boolean | string[]>;
  networks: NetworkSnapshot[];
  containers: ContainerSnapshot[];
  /** The host's netfilter tables, as `iptables -t TABLE -S` prints them (`-P`, `-N`, `-A` lines in order). */
  iptables: { nat: string[]; filter: string[] };
  /** The host's main routing table, as `ip route` prints it. */
  routes: string[];
}

export interface NetworkSnapshot {
  name: string;
  id: string;
  driver: string;
  scope: string;
  /** The first IPv4 IPAM pool (`172.18.0.0/16`), null when the network has none (host, none). */
  subnet: string | null;
  gateway: string | null;
  ipRange: string | null;
  internal: boolean;
  /** Driver options (`com.docker.network.bridge.name`, ...). */
  options: Record<string, string>;
  /** The Linux bridge behind a bridge network (`docker0`, `br-<12 hex of the id>`). */
  bridge: string | null;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead' | 'removing';

export interface EndpointSnapshot {
  /** The network's name. */
  network: string;
  ip: string | null;
  prefix: number | null;
  gateway: string | null;
  mac: string | null;
  /** Aliases on this network (user-defined networks), without the container's short id that Docker adds. */
  aliases: string[];
  /** Links on this network (`--link` on a user-defined network: `db:database`). */
  links: string[];
}

export interface PortBinding {
  /** `80/tcp` */
  containerPort: string;
  /** `0.0.0.0`, `127.0.0.1`, or '' when any. */
  hostIp: string;
  hostPort: number;
}

export interface ContainerSnapshot {
  name: string;
  id: string;
  image: string;
  state: ContainerState;
  hostname: string;
  /** HostConfig.NetworkMode: `default`, `bridge`, `host`, `none`, `container:<name>` (resolved to the name, never the id), or a network name. */
  networkMode: string;
  networks: EndpointSnapshot[];
  /** Legacy links as `NAME:ALIAS` (HostConfig.Links `/db:/web/database` becomes `db:database`). */
  links: string[];
  /** Published ports (NetworkSettings.Ports with a binding). */
  ports: PortBinding[];
  /** Exposed ports (`80/tcp`), from the image and `--expose`. */
  exposed: string[];
  /** The container's environment (Config.Env plus the variables links add), `KEY=VALUE`. */
  env: string[];
  dns: string[];
  dnsSearch: string[];
  extraHosts: string[];
  /** The container's /etc/hosts and /etc/resolv.conf as a program in it reads them; null when absent. */
  files: { hosts: string | null; resolvConf: string | null };
}

/** What a probe from one place to another found. The packet walk decides it, never a table. */
export type ReachOutcome =
  /** The connection was established / the echo was answered. */
  | 'open'
  /** The target answered that nothing listens (TCP RST, ICMP port unreachable). */
  | 'refused'
  /** No answer at all: a DROP on the way, or a silent host. */
  | 'timeout'
  /** An ICMP error or local routing failure (no route, host unreachable, REJECT). */
  | 'unreachable'
  /** The name did not resolve where the probe ran. */
  | 'unresolved';

export interface ReachQuery {
  /** A container name, or `host:NAME` for a host's own namespace. */
  from: string;
  /** A container name, a host name, an address, or a name as the source would resolve it. */
  to: string;
  port: number | null;
  proto: 'tcp' | 'udp' | 'icmp';
  /** The host the source lives on (the first host when omitted). */
  host?: string;
}

/** Computes reachability on demand, in the live lab (the grader never guesses it). */
export type Probe = (q: ReachQuery) => ReachOutcome;
