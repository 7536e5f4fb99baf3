/**
 * The daemon's API views of engine objects, as dockerd 20.10 serialises them for the CLI:
 * types.ContainerJSON (daemon/inspect.go), types.Container for `docker ps` (daemon/list.go),
 * types.NetworkResource (daemon/network.go buildNetworkResource), types.ImageInspect and
 * ImageSummary. Objects are built with keys in the order encoding/json writes them (struct
 * field order, map keys sorted), so the CLI can print them as the daemon's JSON.
 *
 * The engine keeps what drives behaviour; the few request fields it does not keep (attach
 * flags, user, privileged…) are remembered here per container (`requestExtras`).
 */
import { rfc3339Nano } from '../../../base/clock.ts';
import type { DockerEngine } from '../../../docker/engine.ts';
import type { Container, Network } from '../../../docker/model.ts';
import type { ImageData } from '../../../docker/images/types.ts';
import { formatIp4 } from '../../../net/ip.ts';
import { apiPorts, type ApiPort } from '../../../docker/format/ports.ts';
import { containerStatus } from '../../../docker/format/units.ts';

type Json = Record<string, unknown>;

/** Request fields the engine does not keep but inspect shows. */
export interface RequestExtras {
  user: string;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  stdinOnce: boolean;
  privileged: boolean;
  capAdd: string[] | null;
  capDrop: string[] | null;
  dnsGiven: boolean;
}

const extras = new WeakMap<Container, RequestExtras>();

export function setRequestExtras(c: Container, x: RequestExtras): void {
  extras.set(c, x);
}

const DEFAULT_EXTRAS: RequestExtras = {
  user: '',
  attachStdin: false,
  attachStdout: false,
  attachStderr: false,
  stdinOnce: false,
  privileged: false,
  capAdd: null,
  capDrop: null,
  dnsGiven: false,
};

/** A stable 64-hex value derived from a seed string (layer ids that a real host draws at random). */
export function derivedHex(seed: string): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (const ch of seed + ':' + round) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** Nanoseconds for a timestamp that the clock only knows in ms: stable per object. */
function nanosOf(seed: string): number {
  return parseInt(derivedHex(seed).slice(0, 6), 16) % 1_000_000;
}

const time = (ms: number, seed: string): string => rfc3339Nano(ms, nanosOf(seed));
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Go map[string]X marshals with sorted keys. */
function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const arr = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const o: Record<string, T> = {};
  for (const [k, v] of arr) o[k] = v;
  return o;
}

export function imageLayerDir(img: ImageData): string {
  return derivedHex('layer:' + img.id);
}

function graphDriverOfContainer(c: Container): Json {
  const d = derivedHex('rw:' + c.id);
  const base = `/var/lib/docker/overlay2`;
  return {
    Data: {
      LowerDir: `${base}/${d}-init/diff:${base}/${imageLayerDir(c.image)}/diff`,
      MergedDir: `${base}/${d}/merged`,
      UpperDir: `${base}/${d}/diff`,
      WorkDir: `${base}/${d}/work`,
    },
    Name: 'overlay2',
  };
}

function endpointSettingsJson(engine: DockerEngine, c: Container, name: string): Json {
  const s = c.networks.get(name)!;
  const ep = c.running ? s.endpoint : null;
  const n = s.network;
  const userNet = n.name !== 'bridge' && n.name !== 'host' && n.name !== 'none';
  let ipam: Json | null = null;
  if (s.ipamGiven) ipam = s.ipv4 ? { IPv4Address: s.ipv4 } : {};
  let aliases: string[] | null = null;
  if (userNet && n.bridge) {
    aliases = [...s.aliases];
    if (c.running || s.aliases.length) {
      // updateNetworkConfig adds the short id (and a custom hostname) while running.
      if (c.running) {
        aliases.push(c.id.slice(0, 12));
        if (c.config.Hostname && c.config.Hostname !== c.id.slice(0, 12)) aliases.push(c.config.Hostname);
      }
    }
    if (!aliases.length) aliases = null;
  }
  void engine;
  return {
    IPAMConfig: ipam,
    Links: s.links.length ? s.links : null,
    Aliases: aliases,
    NetworkID: n.id,
    EndpointID: ep ? ep.id : '',
    Gateway: ep && ep.gateway !== null ? formatIp4(ep.gateway) : '',
    IPAddress: ep && ep.ip !== null ? formatIp4(ep.ip) : '',
    IPPrefixLen: ep && ep.ip !== null ? ep.prefix : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: ep && ep.ip !== null ? ep.mac : '',
    DriverOpts: s.driverOpts,
  };
}

function portsJson(m: Map<string, { HostIp: string; HostPort: string }[] | null>): Json {
  return sortedObject([...m].map(([k, v]) => [k, v ? v.map((b) => ({ HostIp: b.HostIp, HostPort: b.HostPort })) : null]));
}

/** types.ContainerJSON as GET /containers/{id}/json returns it. */
export function containerJSON(engine: DockerEngine, c: Container): Json {
  const x = extras.get(c) ?? DEFAULT_EXTRAS;
  const dir = engine.filesDir(c);
  const ownDir = `/var/lib/docker/containers/${c.id}`;
  const mode = c.hostConfig.NetworkMode;
  const containerMode = mode.startsWith('container:');
  const started = c.startedAt > 0;
  const state: Json = {
    Status: c.running ? 'running' : c.status === 'created' ? 'created' : c.status === 'dead' ? 'dead' : 'exited',
    Running: c.running,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: c.status === 'dead',
    Pid: c.running ? c.pid : 0,
    ExitCode: c.exitCode,
    Error: c.error,
    StartedAt: started ? time(c.startedAt, 'start:' + c.id + c.startedAt) : ZERO_TIME,
    FinishedAt: c.finishedAt > 0 ? time(c.finishedAt, 'fin:' + c.id + c.finishedAt) : ZERO_TIME,
  };
  const hc = c.hostConfig;
  const hostConfig: Json = {
    Binds: null,
    ContainerIDFile: '',
    LogConfig: { Type: 'json-file', Config: {} },
    NetworkMode: mode,
    PortBindings: portsJson(hc.PortBindings),
    RestartPolicy: { Name: hc.RestartPolicy.Name, MaximumRetryCount: hc.RestartPolicy.MaximumRetryCount },
    AutoRemove: hc.AutoRemove,
    VolumeDriver: '',
    VolumesFrom: null,
    CapAdd: x.capAdd,
    CapDrop: x.capDrop,
    CgroupnsMode: 'host',
    Dns: hc.Dns,
    DnsOptions: hc.DnsOptions,
    DnsSearch: hc.DnsSearch,
    ExtraHosts: hc.ExtraHosts,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: hc.Links,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: x.privileged,
    PublishAllPorts: hc.PublishAllPorts,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'runc',
    ConsoleSize: [0, 0],
    Isolation: '',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: null,
    BlkioDeviceWriteBps: null,
    BlkioDeviceReadIOps: null,
    BlkioDeviceWriteIOps: null,
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: [],
    DeviceCgroupRules: null,
    DeviceRequests: null,
    KernelMemory: 0,
    KernelMemoryTCP: 0,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: false,
    PidsLimit: null,
    Ulimits: null,
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    MaskedPaths: [
      '/proc/asound',
      '/proc/acpi',
      '/proc/kcore',
      '/proc/keys',
      '/proc/latency_stats',
      '/proc/timer_list',
      '/proc/timer_stats',
      '/proc/sched_debug',
      '/proc/scsi',
      '/sys/firmware',
    ],
    ReadonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
  const cfg = c.config;
  const hostname = cfg.Hostname || (mode === 'host' || containerMode ? engine.hostnameOf(c) : '');
  const config: Json = {
    Hostname: hostname,
    Domainname: cfg.Domainname,
    User: x.user,
    AttachStdin: x.attachStdin,
    AttachStdout: x.attachStdout,
    AttachStderr: x.attachStderr,
  };
  if (cfg.ExposedPorts.length) config.ExposedPorts = sortedObject(cfg.ExposedPorts.map((p) => [p, {}]));
  Object.assign(config, {
    Tty: cfg.Tty,
    OpenStdin: cfg.OpenStdin,
    StdinOnce: x.stdinOnce,
    Env: cfg.Env,
    Cmd: cfg.Cmd,
    Image: cfg.Image,
    Volumes: null,
    WorkingDir: cfg.WorkingDir,
    Entrypoint: cfg.Entrypoint,
    OnBuild: null,
    Labels: cfg.Labels,
  });
  if (cfg.MacAddress) config.MacAddress = cfg.MacAddress;

  // NetworkSettings: the deprecated top-level fields come from the network named "bridge".
  const bridge = c.networks.has('bridge') ? endpointSettingsJson(engine, c, 'bridge') : null;
  const hasSandbox = !containerMode && c.sandboxId !== '';
  const ports = c.running && !containerMode ? portsJson(engine.networkSettingsPorts(c)) : {};
  const networks = containerMode ? {} : sortedObject([...c.networks.keys()].map((n) => [n, endpointSettingsJson(engine, c, n)]));
  const netSettings: Json = {
    Bridge: '',
    SandboxID: hasSandbox ? c.sandboxId : '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: ports,
    SandboxKey: hasSandbox ? (mode === 'host' ? '/var/run/docker/netns/default' : `/var/run/docker/netns/${c.sandboxId.slice(0, 12)}`) : '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: (bridge?.EndpointID as string) ?? '',
    Gateway: (bridge?.Gateway as string) ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: (bridge?.IPAddress as string) ?? '',
    IPPrefixLen: (bridge?.IPPrefixLen as number) ?? 0,
    IPv6Gateway: '',
    MacAddress: (bridge?.MacAddress as string) ?? '',
    Networks: networks,
  };
  return {
    Id: c.id,
    Created: time(c.created, 'created:' + c.id),
    Path: c.path,
    Args: c.args,
    State: state,
    Image: `sha256:${c.image.id}`,
    ResolvConfPath: `${dir}/resolv.conf`,
    HostnamePath: `${dir}/hostname`,
    HostsPath: `${dir}/hosts`,
    LogPath: `${ownDir}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: hostConfig,
    GraphDriver: graphDriverOfContainer(c),
    Mounts: [],
    Config: config,
    NetworkSettings: netSettings,
  };
}

/** types.NetworkResource (GET /networks/{id}). */
export function networkResource(engine: DockerEngine, n: Network, verbose = true): Json {
  const containers = verbose
    ? sortedObject(
        engine.attached(n).map(({ c, ep }) => [
          c.id,
          {
            Name: c.name,
            EndpointID: ep.id,
            MacAddress: ep.ip !== null ? ep.mac : '',
            IPv4Address: ep.ip !== null ? `${formatIp4(ep.ip)}/${ep.prefix}` : '',
            IPv6Address: '',
          },
        ]),
      )
    : {};
  return {
    Name: n.name,
    Id: n.id,
    Created: time(n.created, 'net:' + n.id),
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: n.enableIPv6,
    IPAM: {
      Driver: 'default',
      Options: n.ipamOptions === null ? null : sortedObject(Object.entries(n.ipamOptions)),
      Config: n.ipamConfig.map((e) => {
        const o: Json = { Subnet: e.Subnet };
        if (e.IPRange) o.IPRange = e.IPRange;
        if (e.Gateway) o.Gateway = e.Gateway;
        return o;
      }),
    },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: sortedObject(Object.entries(n.options)),
    Labels: sortedObject(Object.entries(n.labels)),
  };
}

/** The COMMAND column's source: entrypoint and cmd joined as the daemon lists it. */
function commandOf(c: Container): string {
  return [c.path, ...c.args].join(' ');
}

/** types.Container as GET /containers/json returns it. */
export function containerSummary(engine: DockerEngine, c: Container, now: number): {
  Id: string;
  Names: string[];
  Image: string;
  Command: string;
  Created: number;
  Ports: ApiPort[];
  Labels: Record<string, string>;
  State: string;
  Status: string;
  Networks: string[];
} {
  const names = [`/${c.name}`];
  for (const p of engine.listContainers(true)) {
    for (const l of p.links) if (l.child === c) names.push(`/${p.name}/${l.alias}`);
  }
  const ports = c.running && !c.hostConfig.NetworkMode.startsWith('container:') ? apiPorts(portsJson(engine.networkSettingsPorts(c)) as never) : [];
  return {
    Id: c.id,
    Names: names,
    Image: c.imageRef,
    Command: commandOf(c),
    Created: Math.floor(c.created / 1000),
    Ports: ports,
    Labels: c.config.Labels,
    State: c.running ? 'running' : c.status,
    Status: containerStatus({
      now,
      running: c.running,
      exitCode: c.exitCode,
      startedAt: c.startedAt > 0 ? c.startedAt : null,
      finishedAt: c.finishedAt > 0 ? c.finishedAt : null,
      dead: c.status === 'dead',
    }),
    Networks: [...c.networks.keys()],
  };
}

/** types.ImageInspect (GET /images/{name}/json), as golden 00 shows for an imported image. */
export function imageJSON(engine: DockerEngine, img: ImageData): Json {
  const tags = engine.images.filter((i) => i.id === img.id).map((i) => `${i.repo}:${i.tag}`);
  const emptyConfig = (): Json => ({
    Hostname: '',
    Domainname: '',
    User: '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: null,
    Cmd: null,
    Image: '',
    Volumes: null,
    WorkingDir: '',
    Entrypoint: null,
    OnBuild: null,
    Labels: null,
  });
  const config: Json = {
    Hostname: '',
    Domainname: '',
    User: '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
  };
  if (img.exposed.length) config.ExposedPorts = sortedObject(img.exposed.map((p) => [p, {}]));
  Object.assign(config, {
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: img.env,
    Cmd: img.cmd,
    Image: img.parent ? `sha256:${img.parent}` : '',
    Volumes: null,
    WorkingDir: img.workdir,
    Entrypoint: img.entrypoint,
    OnBuild: null,
    Labels: img.labels ?? null,
  });
  const layer = imageLayerDir(img);
  return {
    Id: `sha256:${img.id}`,
    RepoTags: tags,
    RepoDigests: [],
    Parent: img.parent ? `sha256:${img.parent}` : '',
    Comment: img.comment ?? '',
    Created: img.created,
    Container: '',
    ContainerConfig: emptyConfig(),
    DockerVersion: '20.10.24+dfsg1',
    Author: '',
    Config: config,
    Architecture: 'amd64',
    Os: 'linux',
    Size: img.size,
    VirtualSize: img.size,
    GraphDriver: {
      Data: {
        MergedDir: `/var/lib/docker/overlay2/${layer}/merged`,
        UpperDir: `/var/lib/docker/overlay2/${layer}/diff`,
        WorkDir: `/var/lib/docker/overlay2/${layer}/work`,
      },
      Name: 'overlay2',
    },
    RootFS: { Type: 'layers', Layers: [`sha256:${derivedHex('diffid:' + img.id)}`] },
    Metadata: { LastTagTime: img.created },
  };
}
