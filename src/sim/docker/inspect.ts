/**
 * Inspect objects shaped like the daemon's JSON (api/types ContainerJSON, NetworkResource,
 * ImageInspect): struct fields in declaration order, Go maps as `Map` (marshalled sorted).
 */
import { rfc3339Nano } from '../base/clock.ts';
import { formatIp4 } from '../net/ip.ts';
import type { JsonValue } from './format/gojson.ts';
import type { Container, Network } from './model.ts';
import type { ImageData } from './images/types.ts';
import type { DockerEngine } from './engine.ts';
import { digestOf } from './images/catalog.ts';
import { shortId } from './ids.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';
const DOCKER_VERSION = '20.10.24+dfsg1';

const strMap = (o: Record<string, string>): Map<string, JsonValue> => new Map(Object.entries(o));
const portSet = (keys: string[]): Map<string, JsonValue> => new Map(keys.map((k) => [k, {}]));

/** A stable 64-hex layer id for a container's or image's overlay2 directories. */
const layerId = (s: string): string => digestOf(`layer:${s}`);

export function inspectNetwork(e: DockerEngine, n: Network): JsonValue {
  const containers = new Map<string, JsonValue>();
  for (const { c, ep } of e.attached(n)) {
    containers.set(c.id, {
      Name: c.name,
      EndpointID: ep.id,
      MacAddress: ep.mac,
      IPv4Address: ep.ip !== null ? `${formatIp4(ep.ip)}/${ep.prefix}` : '',
      IPv6Address: '',
    });
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: rfc3339Nano(n.created, n.createdNanos),
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: n.enableIPv6,
    IPAM: {
      Driver: 'default',
      Options: n.ipamOptions === null ? null : strMap(n.ipamOptions),
      Config: n.ipamConfig.map((c) => ({ ...c })),
    },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: strMap(n.options),
    Labels: strMap(n.labels),
  };
}

function endpointSettings(c: Container, name: string): JsonValue {
  const s = c.networks.get(name);
  if (!s) return null;
  const ep = s.endpoint;
  const userNet = !!s.network.bridge && s.network.name !== 'bridge';
  let aliases: string[] | null = s.aliases.length || userNet ? [...s.aliases] : null;
  if (aliases && userNet) {
    if (!aliases.includes(shortId(c.id))) aliases.push(shortId(c.id));
    if (c.config.Hostname && !aliases.includes(c.config.Hostname)) aliases.push(c.config.Hostname);
  }
  if (aliases && !aliases.length) aliases = null;
  const live = c.running && ep;
  return {
    IPAMConfig: s.ipamGiven ? (s.ipv4 ? { IPv4Address: s.ipv4 } : {}) : null,
    Links: s.links.length ? s.links : null,
    Aliases: aliases,
    NetworkID: s.network.id,
    EndpointID: live ? ep.id : '',
    Gateway: live && ep.gateway !== null ? formatIp4(ep.gateway) : '',
    IPAddress: live && ep.ip !== null ? formatIp4(ep.ip) : '',
    IPPrefixLen: live && ep.ip !== null ? ep.prefix : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: live ? ep.mac : '',
    DriverOpts: s.driverOpts === null ? null : strMap(s.driverOpts),
  };
}

function portsJson(m: Map<string, { HostIp: string; HostPort: string }[] | null>): Map<string, JsonValue> {
  return new Map([...m].map(([k, v]) => [k, v === null ? null : v.map((b) => ({ HostIp: b.HostIp, HostPort: b.HostPort }))]));
}

export function inspectContainer(e: DockerEngine, c: Container): JsonValue {
  const dir = e.filesDir(c);
  const own = `/var/lib/docker/containers/${c.id}`;
  const bridgeEp = c.running ? c.networks.get('bridge')?.endpoint : null;
  const layer = layerId(c.id);
  const imgLayer = layerId(c.image.id);
  const nets = new Map<string, JsonValue>();
  for (const name of c.networks.keys()) nets.set(name, endpointSettings(c, name));
  const sandboxKey =
    c.sandboxId && c.hostConfig.NetworkMode !== 'host'
      ? `/var/run/docker/netns/${c.sandboxId.slice(0, 12)}`
      : c.hostConfig.NetworkMode === 'host'
        ? '/var/run/docker/netns/default'
        : '';
  return {
    Id: c.id,
    Created: rfc3339Nano(c.created),
    Path: c.path,
    Args: c.args,
    State: {
      Status: c.status,
      Running: c.running || c.status === 'restarting',
      Paused: false,
      Restarting: c.status === 'restarting',
      OOMKilled: false,
      Dead: c.status === 'dead',
      Pid: c.running ? c.pid : 0,
      ExitCode: c.exitCode,
      Error: c.error,
      StartedAt: c.startedAt ? rfc3339Nano(c.startedAt) : ZERO_TIME,
      FinishedAt: c.finishedAt ? rfc3339Nano(c.finishedAt) : ZERO_TIME,
    },
    Image: `sha256:${c.image.id}`,
    ResolvConfPath: `${dir}/resolv.conf`,
    HostnamePath: `${dir}/hostname`,
    HostsPath: `${dir}/hosts`,
    LogPath: `${own}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: {
      Binds: null,
      ContainerIDFile: '',
      LogConfig: { Type: 'json-file', Config: new Map() },
      NetworkMode: c.hostConfig.NetworkMode,
      PortBindings: new Map(
        [...c.hostConfig.PortBindings].map(([k, v]) => [k, v.map((b) => ({ HostIp: b.HostIp, HostPort: b.HostPort }))]),
      ),
      RestartPolicy: { Name: c.hostConfig.RestartPolicy.Name, MaximumRetryCount: c.hostConfig.RestartPolicy.MaximumRetryCount },
      AutoRemove: c.hostConfig.AutoRemove,
      VolumeDriver: '',
      VolumesFrom: null,
      CapAdd: null,
      CapDrop: null,
      CgroupnsMode: 'host',
      Dns: c.hostConfig.Dns,
      DnsOptions: c.hostConfig.DnsOptions,
      DnsSearch: c.hostConfig.DnsSearch,
      ExtraHosts: c.hostConfig.ExtraHosts,
      GroupAdd: null,
      IpcMode: 'private',
      Cgroup: '',
      Links: c.hostConfig.Links,
      OomScoreAdj: 0,
      PidMode: '',
      Privileged: false,
      PublishAllPorts: c.hostConfig.PublishAllPorts,
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
    },
    GraphDriver: {
      Data: {
        LowerDir: `/var/lib/docker/overlay2/${layer}-init/diff:/var/lib/docker/overlay2/${imgLayer}/diff`,
        MergedDir: `/var/lib/docker/overlay2/${layer}/merged`,
        UpperDir: `/var/lib/docker/overlay2/${layer}/diff`,
        WorkDir: `/var/lib/docker/overlay2/${layer}/work`,
      },
      Name: 'overlay2',
    },
    Mounts: [],
    Config: containerConfig(c),
    NetworkSettings: {
      Bridge: '',
      SandboxID: c.sandboxId,
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: portsJson(c.ports),
      SandboxKey: sandboxKey,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: bridgeEp ? bridgeEp.id : '',
      Gateway: bridgeEp?.gateway != null ? formatIp4(bridgeEp.gateway) : '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: bridgeEp?.ip != null ? formatIp4(bridgeEp.ip) : '',
      IPPrefixLen: bridgeEp?.ip != null ? bridgeEp.prefix : 0,
      IPv6Gateway: '',
      MacAddress: bridgeEp ? bridgeEp.mac : '',
      Networks: nets,
    },
  };
}

function containerConfig(c: Container): JsonValue {
  const cfg: Record<string, JsonValue> = {
    Hostname: c.config.Hostname,
    Domainname: c.config.Domainname,
    User: '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
  };
  if (c.config.ExposedPorts.length) cfg.ExposedPorts = portSet(c.config.ExposedPorts);
  Object.assign(cfg, {
    Tty: c.config.Tty,
    OpenStdin: c.config.OpenStdin,
    StdinOnce: false,
    Env: c.config.Env,
    Cmd: c.config.Cmd,
    Image: c.config.Image,
    Volumes: null,
    WorkingDir: c.config.WorkingDir,
    Entrypoint: c.config.Entrypoint,
  });
  if (c.config.MacAddress) cfg.MacAddress = c.config.MacAddress;
  cfg.OnBuild = null;
  cfg.Labels = strMap(c.config.Labels);
  return cfg;
}

function imageConfig(img: ImageData, withImage: boolean): JsonValue {
  const cfg: Record<string, JsonValue> = {
    Hostname: '',
    Domainname: '',
    User: '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
  };
  if (img.exposed.length) cfg.ExposedPorts = portSet(img.exposed);
  Object.assign(cfg, {
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: img.env,
    Cmd: withImage ? img.cmd : null,
    Image: '',
    Volumes: null,
    WorkingDir: img.workdir,
    Entrypoint: withImage ? img.entrypoint : null,
    OnBuild: null,
    Labels: img.labels ? strMap(img.labels) : null,
  });
  if (!withImage) {
    cfg.Env = null;
    cfg.WorkingDir = '';
    delete cfg.ExposedPorts;
  }
  return cfg;
}

export function inspectImage(img: ImageData): JsonValue {
  const layer = layerId(img.id);
  return {
    Id: `sha256:${img.id}`,
    RepoTags: [`${img.repo}:${img.tag}`],
    RepoDigests: [],
    Parent: img.parent ? `sha256:${img.parent}` : '',
    Comment: img.comment ?? '',
    Created: img.created,
    Container: '',
    ContainerConfig: imageConfig(img, false),
    DockerVersion: DOCKER_VERSION,
    Author: '',
    Config: imageConfig(img, true),
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
    RootFS: { Type: 'layers', Layers: [`sha256:${digestOf(`rootfs:${img.id}`)}`] },
    Metadata: { LastTagTime: img.created },
  };
}
