/**
 * The engine's objects: networks (with their driver state), endpoints, sandboxes and
 * containers. Plain data with small helpers; behaviour lives in engine.ts and its modules.
 */
import type { Cidr } from '../net/ip.ts';
import type { Netns } from '../net/netns.ts';
import type { Vfs } from '../base/vfs.ts';
import type { ProcessTable } from '../apps/process.ts';
import type { AddressPool } from './ipam.ts';
import type { ImageData } from './images/types.ts';

export type DriverName = 'bridge' | 'host' | 'null';

export interface IpamConfigEntry {
  Subnet: string;
  IPRange?: string;
  Gateway?: string;
}

export interface Network {
  id: string;
  name: string;
  driver: DriverName;
  created: number;
  createdNanos: number;
  internal: boolean;
  attachable: boolean;
  enableIPv6: boolean;
  /** IPAM.Options: null for the default bridge, {} for networks made with the CLI. */
  ipamOptions: Record<string, string> | null;
  /** IPAM.Config as inspect shows it. */
  ipamConfig: IpamConfigEntry[];
  options: Record<string, string>;
  labels: Record<string, string>;
  /** Was the subnet given by the user (`--subnet`)? `--ip` needs it. */
  userSubnet: boolean;
  /** Bridge driver state. */
  bridge?: {
    name: string;
    subnet: Cidr;
    gateway: number;
    pool: AddressPool;
    icc: boolean;
    masq: boolean;
    mtu: number;
    defaultBridge: boolean;
  };
}

/** An endpoint: a container's attachment to a network (operational while the container runs). */
export interface Endpoint {
  id: string;
  network: Network;
  ip: number | null;
  prefix: number;
  mac: string;
  gateway: number | null;
  /** The interface name in the sandbox (`eth0`…), and host-side veth. */
  ifName: string | null;
  hostVeth: string | null;
  /** The published ports programmed on this endpoint (it is the gateway endpoint). */
  ports: ProgrammedPort[];
}

export interface ProgrammedPort {
  proto: string;
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
  /** The docker-proxy pid (userland proxy) or null. */
  proxyPid: number | null;
  /** Whether iptables rules were added for it. */
  iptables: boolean;
}

/** What a container asked for on a network (NetworkingConfig.EndpointsConfig). */
export interface EndpointSettings {
  network: Network;
  aliases: string[];
  /** IPAMConfig: `--ip`. */
  ipv4: string | null;
  /** Was IPAMConfig given at all (connect gives `{}`)? */
  ipamGiven: boolean;
  links: string[];
  driverOpts: Record<string, string> | null;
  /** Operational data, filled while joined. */
  endpoint: Endpoint | null;
}

export interface Sandbox {
  id: string;
  netns: Netns;
  /** Next ethN index (osl nextIfIndex, never decremented). */
  nextIf: number;
  /** The embedded DNS server is running. */
  resolver: boolean;
  upstream: string[];
  /** Whether the sandbox owns its namespace (not host or container mode). */
  ownsNetns: boolean;
}

export interface PortBindingSpec {
  HostIp: string;
  HostPort: string;
}

export interface LinkRef {
  /** The child container object (kept even when the child is removed, as the daemon's linkIndex does). */
  child: Container;
  childName: string;
  alias: string;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  Env: string[] | null;
  Cmd: string[] | null;
  Entrypoint: string[] | null;
  Image: string;
  WorkingDir: string;
  ExposedPorts: string[];
  Tty: boolean;
  OpenStdin: boolean;
  Labels: Record<string, string>;
  MacAddress: string;
}

export interface HostConfig {
  NetworkMode: string;
  PortBindings: Map<string, PortBindingSpec[]>;
  PublishAllPorts: boolean;
  Dns: string[];
  DnsSearch: string[];
  DnsOptions: string[];
  ExtraHosts: string[] | null;
  Links: string[] | null;
  RestartPolicy: { Name: string; MaximumRetryCount: number };
  AutoRemove: boolean;
}

export interface Container {
  id: string;
  name: string;
  created: number;
  image: ImageData;
  /** The image reference as the user typed it (`busybox`, `centos:7`). */
  imageRef: string;
  path: string;
  args: string[];
  config: ContainerConfig;
  hostConfig: HostConfig;
  status: ContainerStatus;
  running: boolean;
  pid: number;
  exitCode: number;
  error: string;
  startedAt: number;
  finishedAt: number;
  restartCount: number;
  /** Removed from the daemon (a stale link may still point here). */
  removed: boolean;
  /** Stopped with `docker stop` (restart policy `unless-stopped` then keeps it down). */
  manuallyStopped: boolean;
  /** Networks in attach order. */
  networks: Map<string, EndpointSettings>;
  sandbox: Sandbox | null;
  /** Last sandbox id and key (inspect keeps showing them after a stop). */
  sandboxId: string;
  links: LinkRef[];
  /** NetworkSettings.Ports, filled while running. */
  ports: Map<string, { HostIp: string; HostPort: string }[] | null>;
  /** The container's root file system and processes. */
  fs: Vfs;
  procs: ProcessTable;
  /** The network asked for at create (`--network`, `--ip`, `--network-alias`, `--link` on it). */
  netRequest: { name: string; explicit: boolean; ip: string | null; aliases: string[]; links: string[]; pending: boolean } | null;
  /** When a container waiting under its restart policy starts again (virtual ms), or null. */
  restartAt: number | null;
  /** The owner of the shared network namespace in `container:` mode. */
  netOwner: Container | null;
  logs: { stream: 'stdout' | 'stderr'; text: string; time: number }[];
  /** Environment of the main process (PATH, HOSTNAME, links, Env), computed at start. */
  processEnv: string[];
  /** The program handle from the host environment. */
  program: { stop?: (signal: 'TERM' | 'KILL') => number | null } | null;
}
