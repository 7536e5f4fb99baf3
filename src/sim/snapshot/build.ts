/**
 * Building a snapshot. The engine side is read through the shapes of Docker's own API
 * (`docker network inspect` = types.NetworkResource, `docker inspect` = types.ContainerJSON in
 * docker/api/types), which the engine must produce anyway for the `docker inspect` command;
 * the kernel side through `iptables -S` and the main routing table. So the same builder can
 * describe the simulator's lab, or a real host's state captured with `docker inspect`.
 */
import type { Netns } from '../net/netns.ts';
import type { Route } from '../net/types.ts';
import { formatIp4 } from '../net/ip.ts';
import {
  SNAPSHOT_VERSION,
  type ContainerSnapshot,
  type ContainerState,
  type EndpointSnapshot,
  type HostSnapshot,
  type NetworkSnapshot,
  type PortBinding,
  type Snapshot,
} from './types.ts';

/** A Go map as the engine's inspect objects hold it: a Map (sorted on output) or a plain object. */
export type GoMap<T> = Record<string, T> | Map<string, T>;

function entriesOf<T>(m: GoMap<T> | null | undefined): [string, T][] {
  if (!m) return [];
  return m instanceof Map ? [...m.entries()] : Object.entries(m);
}

/** The fields of types.NetworkResource the snapshot uses. */
export interface DockerNetworkInspect {
  Name: string;
  Id: string;
  Driver: string;
  Scope?: string;
  Internal?: boolean;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null } | null;
  Options?: GoMap<string> | null;
}

export interface DockerEndpointInspect {
  IPAddress?: string;
  IPPrefixLen?: number;
  Gateway?: string;
  MacAddress?: string;
  Aliases?: string[] | null;
  Links?: string[] | null;
}

/** The fields of types.ContainerJSON the snapshot uses. */
export interface DockerContainerInspect {
  Id: string;
  /** With the leading slash: `/web`. */
  Name: string;
  State: { Status: string };
  Config: { Image: string; Hostname: string; Env?: string[] | null; ExposedPorts?: GoMap<unknown> | null };
  HostConfig: {
    NetworkMode: string;
    Links?: string[] | null;
    Dns?: string[] | null;
    DnsSearch?: string[] | null;
    ExtraHosts?: string[] | null;
  };
  NetworkSettings: {
    Networks?: GoMap<DockerEndpointInspect> | null;
    Ports?: GoMap<{ HostIp: string; HostPort: string }[] | null> | null;
  };
}

/** One docker host, as the builder reads it. */
export interface DockerHostSource {
  name: string;
  /** dockerd's options (see parseDaemonOptions). */
  daemon: Record<string, string | number | boolean | string[]>;
  networks: DockerNetworkInspect[];
  containers: DockerContainerInspect[];
  /** A file as a process in the container reads it (null when absent or the container is not running). */
  readFile(containerId: string, path: string): string | null;
  /** The environment of the container's main process (Config.Env plus link variables); Config.Env when omitted. */
  env?(containerId: string): string[] | null;
  /** `iptables -t TABLE -S` output. */
  iptables(table: 'nat' | 'filter'): string;
  /** `ip route` output (main table). */
  routes(): string;
}

const STATES: ContainerState[] = ['created', 'running', 'paused', 'restarting', 'exited', 'dead', 'removing'];

function stripSlash(s: string): string {
  return s.startsWith('/') ? s.slice(1) : s;
}

/** HostConfig.Links `/db:/web/database` → `db:database` (container/container_unix.go writes them so). */
export function linkOf(l: string): string {
  const [target, alias] = l.split(':');
  const a = (alias ?? target).split('/').pop() ?? '';
  return `${stripSlash(target)}:${a}`;
}

function networkOf(n: DockerNetworkInspect): NetworkSnapshot {
  const cfg = (n.IPAM?.Config ?? []).find((c) => c.Subnet && !c.Subnet.includes(':')) ?? null;
  const options: Record<string, string> = Object.fromEntries(entriesOf(n.Options));
  let bridge: string | null = null;
  if (n.Driver === 'bridge') bridge = options['com.docker.network.bridge.name'] ?? `br-${n.Id.slice(0, 12)}`;
  return {
    name: n.Name,
    id: n.Id,
    driver: n.Driver,
    scope: n.Scope ?? 'local',
    subnet: cfg?.Subnet ?? null,
    gateway: cfg?.Gateway ?? null,
    ipRange: cfg?.IPRange ?? null,
    internal: n.Internal ?? false,
    options,
    bridge,
  };
}

function containerOf(c: DockerContainerInspect, src: DockerHostSource, nameById: Map<string, string>): ContainerSnapshot {
  const shortId = c.Id.slice(0, 12);
  let mode = c.HostConfig.NetworkMode;
  if (mode.startsWith('container:')) {
    const ref = mode.slice('container:'.length);
    const byId = [...nameById].find(([id]) => id === ref || id.startsWith(ref));
    mode = `container:${byId ? byId[1] : stripSlash(ref)}`;
  }
  const networks: EndpointSnapshot[] = entriesOf(c.NetworkSettings.Networks).map(([network, ep]) => ({
    network,
    ip: ep.IPAddress || null,
    prefix: ep.IPAddress ? (ep.IPPrefixLen ?? null) : null,
    gateway: ep.Gateway || null,
    mac: ep.MacAddress || null,
    // Docker 20.10 adds the short id as an alias on user-defined networks; it is not the learner's.
    aliases: (ep.Aliases ?? []).filter((a) => a !== shortId),
    links: (ep.Links ?? []).map(linkOf),
  }));
  networks.sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : 0));
  const ports: PortBinding[] = [];
  for (const [containerPort, bindings] of entriesOf(c.NetworkSettings.Ports))
    for (const b of bindings ?? []) ports.push({ containerPort, hostIp: b.HostIp, hostPort: Number(b.HostPort) });
  const status = c.State.Status as ContainerState;
  return {
    name: stripSlash(c.Name),
    id: c.Id,
    image: c.Config.Image,
    state: STATES.includes(status) ? status : 'created',
    hostname: c.Config.Hostname,
    networkMode: mode,
    networks,
    links: (c.HostConfig.Links ?? []).map(linkOf),
    ports,
    exposed: entriesOf(c.Config.ExposedPorts)
      .map(([k]) => k)
      .sort(),
    env: src.env?.(c.Id) ?? c.Config.Env ?? [],
    dns: c.HostConfig.Dns ?? [],
    dnsSearch: c.HostConfig.DnsSearch ?? [],
    extraHosts: c.HostConfig.ExtraHosts ?? [],
    files: { hosts: src.readFile(c.Id, '/etc/hosts'), resolvConf: src.readFile(c.Id, '/etc/resolv.conf') },
  };
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

export function buildHostSnapshot(src: DockerHostSource): HostSnapshot {
  const nameById = new Map(src.containers.map((c) => [c.Id, stripSlash(c.Name)]));
  return {
    name: src.name,
    daemon: { ...src.daemon },
    networks: src.networks.map(networkOf).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    containers: src.containers.map((c) => containerOf(c, src, nameById)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    iptables: { nat: lines(src.iptables('nat')), filter: lines(src.iptables('filter')) },
    routes: lines(src.routes()),
  };
}

export function buildSnapshot(hosts: DockerHostSource[]): Snapshot {
  return { version: SNAPSHOT_VERSION, hosts: hosts.map(buildHostSnapshot) };
}

/**
 * dockerd's command line as options (`--icc=false --bip 10.0.0.1/24 -b br0` →
 * `{icc: false, bip: '10.0.0.1/24', bridge: 'br0'}`), repeated flags as lists.
 */
export function parseDaemonOptions(cmdline: string): Record<string, string | number | boolean | string[]> {
  const SHORT: Record<string, string> = { b: 'bridge', H: 'host', D: 'debug', l: 'log-level', G: 'group', p: 'pidfile' };
  const BOOL = new Set(['debug', 'icc', 'ip-masq', 'iptables', 'ip-forward', 'userland-proxy', 'live-restore', 'experimental', 'ipv6']);
  const REPEAT = new Set(['dns', 'dns-search', 'dns-opt', 'host', 'label', 'insecure-registry', 'default-address-pool']);
  const words = cmdline.trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'dockerd') words.shift();
  const out: Record<string, string | number | boolean | string[]> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-')) continue;
    let name = w.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (!w.startsWith('--')) name = SHORT[name] ?? name;
    if (value === undefined) value = BOOL.has(name) ? 'true' : words[++i];
    if (value === undefined) continue;
    const v: string | number | boolean = value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value;
    if (REPEAT.has(name)) out[name] = [...((out[name] as string[] | undefined) ?? []), String(v)];
    else out[name] = v;
  }
  return out;
}

/** A route as `ip route` prints it (iproute2 ip/iproute.c print_route). */
export function formatRoute(ns: Netns, r: Route): string {
  const parts: string[] = [];
  if (r.type !== 'unicast') parts.push(r.type);
  parts.push(r.prefix === 0 && r.dst === 0 ? 'default' : r.prefix === 32 ? formatIp4(r.dst) : `${formatIp4(r.dst)}/${r.prefix}`);
  if (r.gateway !== null) parts.push('via', formatIp4(r.gateway));
  if (r.dev !== null) parts.push('dev', ns.link(r.dev)?.name ?? `if${r.dev}`);
  if (r.proto !== 'boot') parts.push('proto', r.proto);
  if (r.scope !== 'global') parts.push('scope', r.scope);
  if (r.src !== null) parts.push('src', formatIp4(r.src));
  if (r.metric) parts.push('metric', String(r.metric));
  const line = parts.join(' ');
  const dev = r.dev !== null ? ns.link(r.dev) : undefined;
  return dev && !dev.carrier && r.type === 'unicast' ? `${line} linkdown` : line;
}

/** The kernel half of a host source: its netfilter (through the iptables front end) and routes. */
export function kernelSource(ns: Netns): Pick<DockerHostSource, 'iptables' | 'routes'> {
  return {
    // Read without loading the table (running `iptables -S` would instantiate it, and a
    // `--iptables=false` host's `iptables-save` would stop being empty).
    iptables: (table) => ns.netfilter.listRules(table) ?? '',
    routes: () =>
      ns
        .mainRoutes()
        .map((r) => formatRoute(ns, r))
        .join('\n'),
  };
}
