/**
 * Read-only views of the lab that the UI draws: the topology (hosts, bridges, veth pairs,
 * containers, published ports) and the trace of the last packet walk. They are plain data,
 * recomputed on demand from the simulator's state, so the UI never reaches into the model.
 */
import type { TraceEvent as NetTraceEvent } from '../net/trace.ts';

export interface TopologyView {
  hosts: TopoHost[];
  /** Links between hosts (the underlay LAN) and overlay networks spanning hosts. */
  lans: { id: string; name: string; cidr: string; hosts: string[] }[];
}

export interface TopoHost {
  /** Host name, e.g. `docker-node1`. */
  name: string;
  /** The host's own interfaces in its root namespace (eth0, docker0, br-…, veth…). */
  interfaces: TopoInterface[];
  bridges: TopoBridge[];
  containers: TopoContainer[];
  /** Published ports on the host edge: `0.0.0.0:8080 → web:80/tcp`. */
  ports: { hostIp: string; hostPort: number; proto: 'tcp' | 'udp'; container: string; containerPort: number }[];
}

export interface TopoInterface {
  name: string;
  kind: 'loopback' | 'ether' | 'veth' | 'bridge' | 'vxlan' | 'dummy';
  mac: string;
  addresses: string[]; // CIDR notation
  up: boolean;
  /** For a veth: where its peer lives (a container name or the host) and the peer's name. */
  peer?: { namespace: string; name: string };
  /** For a bridge port: the bridge it is attached to. */
  master?: string;
}

export interface TopoBridge {
  name: string; // docker0, br-1a2b3c4d5e6f
  network: string | null; // the Docker network it implements, if any
  cidr: string | null;
  ports: string[]; // veth names
}

export interface TopoContainer {
  name: string;
  id: string; // short id
  image: string;
  state: 'created' | 'running' | 'exited' | 'paused' | 'dead';
  /** bridge (default), host, none, container:<name>, or a user network name. */
  networkMode: string;
  /** The container whose namespace this one joined (container mode). */
  sharesNetnsWith?: string;
  endpoints: { network: string; ip: string; mac: string; iface: string; hostVeth: string; bridge: string; aliases: string[] }[];
  hostname: string;
}

/** One step of a packet walk, as the trace view shows it (the walk's own events, src/sim/net/trace.ts). */
export type TraceEvent = Exclude<NetTraceEvent, { kind: 'packet' }>;

export interface PacketTrace {
  /** The command that produced the walk, e.g. `curl localhost:8080`. */
  command: string;
  /** A one-line description of the packet: `TCP 127.0.0.1:41234 → 127.0.0.1:8080 SYN`. */
  packet: string;
  outcome: 'delivered' | 'dropped' | 'refused' | 'unreachable' | 'timeout';
  events: TraceEvent[];
  /** Hosts, interfaces and containers on the path, for highlighting on the topology. */
  path: { host: string; node: string }[];
}

/** A request from a program to the UI (e.g. `vi FILE` asks for an editor on that file). */
export type UiRequest = { kind: 'edit'; host: string; container: string | null; path: string; language: string };
