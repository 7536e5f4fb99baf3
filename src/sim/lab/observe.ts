/**
 * What the UI and the grader observe of a lab, computed from the model on demand: the topology
 * view, the last packet trace, and the snapshot (through src/sim/snapshot's builder over the
 * engine's inspect data).
 */
import type { HostMachine } from './host.ts';
import type { TopoContainer, TopoHost, TopoInterface, TopologyView, PacketTrace, TraceEvent } from './views.ts';
import type { Netns } from '../net/netns.ts';
import type { Link } from '../net/types.ts';
import { formatIp4 } from '../net/ip.ts';
import { inspectContainer, inspectNetwork } from '../docker/inspect.ts';
import {
  buildSnapshot,
  kernelSource,
  parseDaemonOptions,
  type DockerContainerInspect,
  type DockerHostSource,
  type DockerNetworkInspect,
} from '../snapshot/index.ts';
import type { Snapshot } from '../snapshot/types.ts';
import type { TraceEvent as NetTraceEvent } from '../net/trace.ts';

function iface(ns: Netns, l: Link, labelOf: (ns: Netns) => string): TopoInterface {
  const peer = ns.peerOf(l);
  const out: TopoInterface = {
    name: l.name,
    kind: l.kind,
    mac: l.mac,
    addresses: l.addrs4.map((a) => `${formatIp4(a.ip)}/${a.prefix}`),
    up: l.up,
  };
  if (peer) out.peer = { namespace: labelOf(peer.ns), name: peer.link.name };
  if (l.master !== null) out.master = ns.link(l.master)?.name;
  return out;
}

export function topologyOf(machines: HostMachine[], lanCidr: string): TopologyView {
  const hosts: TopoHost[] = machines.map((m) => {
    const e = m.engine;
    const nsLabel = new Map<number, string>([[m.netns.id, m.hostname]]);
    const containers = e.listContainers(true);
    for (const c of containers) if (c.sandbox) nsLabel.set(c.sandbox.netns.id, c.name);
    const labelOf = (ns: Netns): string => nsLabel.get(ns.id) ?? ns.label;
    const links = m.netns.sortedLinks().filter((l) => l.kind !== 'loopback');
    const networks = e.listNetworks();
    const bridges = links
      .filter((l) => l.kind === 'bridge')
      .map((b) => {
        const n = networks.find((x) => x.bridge?.name === b.name);
        const a = b.addrs4[0];
        return {
          name: b.name,
          network: n?.name ?? null,
          cidr: n?.bridge ? `${formatIp4(n.bridge.subnet.ip)}/${n.bridge.subnet.prefix}` : a ? `${formatIp4(a.ip)}/${a.prefix}` : null,
          ports: m.netns.portsOf(b.ifindex).map((p) => p.name),
        };
      });
    const topoContainers: TopoContainer[] = containers.map((c) => {
      const mode = c.hostConfig.NetworkMode;
      const endpoints: TopoContainer['endpoints'] = [];
      for (const [name, s] of c.networks) {
        const ep = s.endpoint;
        if (!ep) continue;
        endpoints.push({
          network: name,
          ip: ep.ip !== null ? `${formatIp4(ep.ip)}/${ep.prefix}` : '',
          mac: ep.mac,
          iface: ep.ifName ?? '',
          hostVeth: ep.hostVeth ?? '',
          bridge: s.network.bridge?.name ?? '',
          aliases: s.aliases,
        });
      }
      const state = c.running ? 'running' : c.status === 'created' ? 'created' : 'exited';
      return {
        name: c.name,
        id: c.id.slice(0, 12),
        image: c.imageRef,
        state,
        networkMode: mode,
        ...(c.netOwner ? { sharesNetnsWith: c.netOwner.name } : {}),
        endpoints,
        hostname: e.hostnameOf(c),
      };
    });
    const ports: TopoHost['ports'] = [];
    for (const c of containers) {
      if (!c.running) continue;
      for (const p of e.portBindings(c))
        ports.push({
          hostIp: p.hostIp,
          hostPort: p.hostPort,
          proto: p.proto === 'udp' ? 'udp' : 'tcp',
          container: c.name,
          containerPort: p.containerPort,
        });
    }
    return { name: m.hostname, interfaces: links.map((l) => iface(m.netns, l, labelOf)), bridges, containers: topoContainers, ports };
  });
  return { hosts, lans: [{ id: 'lan', name: 'LAN', cidr: lanCidr, hosts: machines.map((m) => m.hostname) }] };
}

/** The packet trace view of the walk a command started last. */
export function traceOf(command: string, events: NetTraceEvent[], nsHost: (label: string) => string): PacketTrace {
  const packetEv = events.find((e) => e.kind === 'conntrack');
  const last = [...events].reverse().find((e) => e.kind === 'deliver' || e.kind === 'drop');
  const outcome: PacketTrace['outcome'] =
    last?.kind === 'deliver'
      ? 'delivered'
      : events.some((e) => e.kind === 'route' && e.result === 'unreachable')
        ? 'unreachable'
        : last?.kind === 'drop'
          ? 'dropped'
          : 'timeout';
  const path: PacketTrace['path'] = [];
  for (const e of events) {
    if (e.kind === 'hop') {
      const node = `${e.ns}:${e.iface}`;
      if (!path.some((p) => p.node === node)) path.push({ host: nsHost(e.ns), node });
    }
  }
  return {
    command,
    packet: packetEv && packetEv.kind === 'conntrack' ? packetEv.tuple : '',
    outcome,
    events: events.filter((e) => e.kind !== 'packet') as TraceEvent[],
    path,
  };
}

/** The snapshot of every host (the grader's input). */
export function snapshotOf(machines: HostMachine[]): Snapshot {
  const sources: DockerHostSource[] = machines.map((m) => {
    const e = m.engine;
    const dockerd = m.procs.list().find((p) => p.comm === 'dockerd');
    return {
      name: m.hostname,
      daemon: parseDaemonOptions(dockerd ? dockerd.cmdline.replace(/^\S+/, '').replace(/-H fd:\/\//, '') : ''),
      networks: e.listNetworks().map((n) => inspectNetwork(e, n) as unknown as DockerNetworkInspect),
      containers: e.listContainers(true).map((c) => inspectContainer(e, c) as unknown as DockerContainerInspect),
      readFile: (id, path) => e.tryContainer(id)?.fs.tryRead(path) ?? null,
      env: (id) => e.tryContainer(id)?.processEnv ?? null,
      ...kernelSource(m.netns),
    };
  });
  return buildSnapshot(sources);
}
