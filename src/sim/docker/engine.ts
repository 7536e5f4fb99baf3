/**
 * The Docker engine (dockerd 20.10 + libnetwork) of one host: daemon start/stop with its
 * options, images, containers and their lifecycle, networks with the bridge/host/null drivers,
 * sandboxes and endpoints plumbed into the kernel model (veth pairs, bridges, addresses,
 * routes, sysctls), the files Docker writes, legacy links, the embedded DNS, published ports
 * with docker-proxy, and iptables programmed through the host's netfilter exactly as dockerd does.
 */
import { Vfs } from '../base/vfs.ts';
import { rfc3339Nano } from '../base/clock.ts';
import { ProcessTable } from '../apps/process.ts';
import type { Netns } from '../net/netns.ts';
import { BindError } from '../net/sockets.ts';
import { type Cidr, cidrsOverlap, formatCidr, formatIp4, inSubnet, macFromIp4, networkOf, parseCidr, parseIp4 } from '../net/ip.ts';
import { queryServer, type DnsAnswer, type DnsQuery } from '../apps/dns.ts';
import { startResolver } from './resolver.ts';
import { bindingOrder } from './portorder.ts';
import { proxyHandler } from './proxy.ts';
import { resolveServiceName, reverseServiceName } from './servicenames.ts';
import { DockerError, conflict, invalid, notFound } from './errors.ts';
import { DockerNames, VALID_CONTAINER_NAME, generateId, shortId } from './ids.ts';
import { Ipam, DEFAULT_LOCAL_POOLS } from './ipam.ts';
import { PortAllocator } from './portalloc.ts';
import { Iptables } from './iptables.ts';
import { type DaemonConfig, applyDaemonJson, defaultConfig, parseDaemonFlags, verifyConfig } from './config.ts';
import {
  buildHosts,
  buildResolv,
  embeddedResolv,
  filterResolv,
  ownHostsRecord,
  parseResolv,
  updateHostsIp,
  type HostsRecord,
} from './etcfiles.ts';
import { linkEnv, type ExposedPort } from './links.ts';
import type { ImageData } from './images/types.ts';
import type { ContainerRuntime, HostEnv } from './env.ts';
import type { Container, Endpoint, EndpointSettings, Network, PortBindingSpec, ProgrammedPort, Sandbox } from './model.ts';

export interface CreateOptions {
  name?: string;
  image: string;
  /** Command (replaces the image's Cmd); undefined keeps it. */
  cmd?: string[];
  entrypoint?: string[] | null;
  env?: string[];
  hostname?: string;
  domainname?: string;
  tty?: boolean;
  openStdin?: boolean;
  workdir?: string;
  /** `default`, `bridge`, `host`, `none`, `container:NAME`, or a network name. */
  networkMode?: string;
  ip?: string;
  aliases?: string[];
  links?: string[];
  /** `80/tcp` → bindings. */
  portBindings?: Record<string, PortBindingSpec[]>;
  exposedPorts?: string[];
  publishAll?: boolean;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  extraHosts?: string[];
  restart?: { name: string; max: number };
  autoRemove?: boolean;
  macAddress?: string;
  labels?: Record<string, string>;
}

export interface NetworkCreateOptions {
  name: string;
  driver?: string;
  subnet?: string[];
  gateway?: string[];
  ipRange?: string[];
  internal?: boolean;
  attachable?: boolean;
  ipv6?: boolean;
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

const DOCKER_ROOT = '/var/lib/docker/containers';
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Containers per host the simulator accepts (documented in KNOWN-DIFFERENCES.md). */
export const MAX_CONTAINERS = 5000;

export class DockerEngine {
  running = false;
  config: DaemonConfig = defaultConfig();
  /** The flags dockerd was last started with (for snapshots: `dockerd --icc=false`). */
  argv: string[] = [];
  /** The last daemon start error (`failed to start daemon: …`). */
  lastError: string | null = null;
  readonly ipt: Iptables;
  readonly images: ImageData[] = [];
  private readonly containers: Container[] = [];
  private readonly networks: Network[] = [];
  private ipam = new Ipam();
  private ports: PortAllocator;
  private dockerdPid = 0;
  /** dockerd's next file descriptor for the listeners it holds itself (dummy proxies). */
  private dockerdFd = 24;
  private readonly names;
  private imageRootfs = new Map<string, Vfs>();

  constructor(readonly env: HostEnv) {
    this.ipt = new Iptables(env.netns);
    this.ports = new PortAllocator(() => env.netns.sysctls.ipLocalPortRange);
    this.names = env.names ?? new DockerNames(env.rng);
    this.images.push(...env.profile.images);
  }

  private get host(): Netns {
    return this.env.netns;
  }

  private now(): number {
    return this.env.clock.now();
  }

  // ================================================================== daemon =================

  /** Starts dockerd with these flags (and /etc/docker/daemon.json). Returns an error text or null. */
  start(argv: string[] = []): string | null {
    if (this.running) return null;
    const parsed = parseDaemonFlags(argv);
    if ('error' in parsed) return this.fail(parsed.error);
    const json = this.readHost('/etc/docker/daemon.json');
    if (json !== null && json.trim()) {
      const err = applyDaemonJson(parsed, json);
      if (err) return this.fail(err);
    }
    const verr = verifyConfig(parsed.config);
    if (verr) return this.fail(verr);
    const config = parsed.config;
    // Validate the default bridge settings before touching anything.
    if (config.bip && !config.bip.includes('/'))
      return this.fail(`Error initializing network controller: invalid CIDR address: ${config.bip}`);
    if (config.bip && !parseCidr(config.bip))
      return this.fail(`Error initializing network controller: invalid CIDR address: ${config.bip}`);
    if (config.bridge && config.bridge !== 'none' && !this.host.linkByName(config.bridge))
      return this.fail(
        `Error initializing network controller: Error creating default "bridge" network: bridge device with non default name ${config.bridge} must be created manually`,
      );
    this.config = config;
    this.argv = argv.slice();
    this.ipam = new Ipam(config.defaultAddressPools ?? DEFAULT_LOCAL_POOLS);
    this.ports = new PortAllocator(() => this.host.sysctls.ipLocalPortRange);
    this.dockerdPid = this.env.procs.spawn({
      ppid: 1,
      cmdline: [this.env.profile.dockerdCmdline, ...argv].join(' '),
      comm: 'dockerd',
      user: 'root',
      started: this.now(),
      tty: '?',
      netnsId: this.host.id,
    }).pid;
    // Bridge driver configure: br_netfilter, Docker's chains, ip_forward.
    const hairpin = !config.userlandProxy;
    if (config.iptables) {
      this.host.sysctls.bridgeNfCallIptables = true;
      this.ipt.setupChains(hairpin);
    }
    if (config.ipForward && !this.host.sysctls.ipForward) {
      this.host.sysctls.ipForward = true;
      if (config.iptables) this.ipt.setForwardPolicyDrop();
    }
    // Stored networks: none and host keep their ids; user bridge networks are restored first.
    for (const n of this.networks) {
      if (n.bridge && !n.bridge.defaultBridge) {
        this.ipam.requestExplicit(n.bridge.subnet, null);
        this.setupBridgeDevice(n);
        this.programNetwork(n, true);
      }
    }
    if (!this.networks.some((n) => n.name === 'none')) this.addNetwork(this.newNetworkObject('none', 'null'));
    if (!this.networks.some((n) => n.name === 'host')) this.addNetwork(this.newNetworkObject('host', 'host'));
    // The default bridge is deleted and created again at every start.
    const stale = this.networks.find((n) => n.name === 'bridge');
    if (stale) {
      this.programNetwork(stale, false);
      this.networks.splice(this.networks.indexOf(stale), 1);
    }
    if (config.bridge !== 'none') {
      const err = this.createDefaultBridge();
      if (err) {
        this.env.procs.kill(this.dockerdPid);
        return this.fail(`Error initializing network controller: Error creating default "bridge" network: ${err}`);
      }
    }
    this.running = true;
    this.lastError = null;
    // Restart policies (always, unless-stopped when not stopped by hand).
    for (const c of this.containers) {
      const p = c.hostConfig.RestartPolicy.Name;
      if (p === 'always' || (p === 'unless-stopped' && !c.manuallyStopped)) {
        try {
          this.startContainer(c.id);
        } catch {
          /* the daemon logs and carries on */
        }
      }
    }
    return null;
  }

  private fail(msg: string): string {
    this.lastError = `failed to start daemon: ${msg}`;
    return this.lastError;
  }

  /** Stops dockerd: running containers are stopped (SIGTERM, then SIGKILL after 10 s). Rules stay. */
  stop(): void {
    if (!this.running) return;
    for (const c of this.containers) if (c.running) this.terminate(c, 'daemon');
    if (this.dockerdPid) this.env.procs.kill(this.dockerdPid);
    this.running = false;
  }

  /** `systemctl restart docker` or the harness's `#> dockerd OPTIONS`. */
  restart(argv: string[] = []): string | null {
    this.stop();
    return this.start(argv);
  }

  private readHost(path: string): string | null {
    return this.env.fs.tryRead(path);
  }

  private ensureRunning(): void {
    if (!this.running)
      throw new DockerError(
        'unavailable',
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      );
    this.runDue();
  }

  // ================================================================== networks ===============

  private newNetworkObject(name: string, driver: Network['driver']): Network {
    return {
      id: generateId(this.env.rng),
      name,
      driver,
      created: this.now(),
      createdNanos: this.env.rng.int(1_000_000),
      internal: false,
      attachable: false,
      enableIPv6: false,
      ipamOptions: null,
      ipamConfig: [],
      options: {},
      labels: {},
      userSubnet: false,
    };
  }

  private addNetwork(n: Network): void {
    this.networks.push(n);
    if (this.config.iptables) this.ipt.arrangeUserChain();
  }

  /** Does a candidate pool overlap a host route or a nameserver (requestPoolHelper / FindAvailableNetwork)? */
  private reservedByHost = (c: Cidr): boolean => {
    for (const r of this.host.routes) {
      if (r.prefix === 0 || r.table !== 'main') continue;
      if (this.networks.some((n) => n.bridge && this.host.linkByName(n.bridge.name)?.ifindex === r.dev)) continue;
      if (cidrsOverlap({ ip: r.dst, prefix: r.prefix }, c)) return true;
    }
    for (const ns of parseResolv(this.readHost('/etc/resolv.conf') ?? '').nameservers) {
      const ip = parseIp4(ns);
      if (ip !== null && inSubnet(ip, c.ip, c.prefix)) return true;
    }
    return false;
  };

  /** initBridgeDriver: docker0 from --bip, the existing device, or the first free pool. */
  private createDefaultBridge(): string | null {
    const cfg = this.config;
    const brName = cfg.bridge ?? 'docker0';
    let subnet: Cidr;
    let gw: number;
    const existing = this.host.linkByName(brName);
    if (cfg.bip) {
      const c = parseCidr(cfg.bip) as Cidr;
      subnet = { ip: networkOf(c.ip, c.prefix), prefix: c.prefix };
      gw = c.ip;
    } else if (existing && existing.addrs4.length) {
      const a = existing.addrs4[0];
      subnet = { ip: networkOf(a.ip, a.prefix), prefix: a.prefix };
      gw = a.ip;
    } else {
      const pool = this.ipam.requestAuto(this.reservedByHost);
      this.ipam.releasePool(pool.subnet);
      subnet = pool.subnet;
      gw = (subnet.ip + 1) >>> 0;
    }
    let range: Cidr | null = null;
    if (cfg.fixedCidr) {
      const fc = parseCidr(cfg.fixedCidr);
      if (!fc) return `invalid CIDR address: ${cfg.fixedCidr}`;
      range = { ip: networkOf(fc.ip, fc.prefix), prefix: fc.prefix };
    }
    let pool;
    try {
      // A --fixed-cidr outside the bridge's subnet is reported but not used for allocation.
      const inside = range && range.prefix >= subnet.prefix && inSubnet(range.ip, subnet.ip, subnet.prefix);
      pool = this.ipam.requestExplicit(subnet, inside ? range : null);
    } catch (e) {
      return (e as Error).message;
    }
    if (gw === subnet.ip) {
      this.ipam.releasePool(subnet);
      return `failed to allocate gateway (${formatIp4(gw)}): Address already in use`;
    }
    pool.request(gw);
    const n = this.newNetworkObject('bridge', 'bridge');
    const cfgEntry: Network['ipamConfig'][number] = { Subnet: formatCidr(subnet) };
    if (range) cfgEntry.IPRange = formatCidr(range);
    cfgEntry.Gateway = formatIp4(gw);
    n.ipamConfig = [cfgEntry];
    n.options = {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.enable_icc': String(cfg.icc),
      'com.docker.network.bridge.enable_ip_masquerade': String(cfg.ipMasq),
      'com.docker.network.bridge.host_binding_ipv4': cfg.ip,
      'com.docker.network.bridge.name': brName,
      'com.docker.network.driver.mtu': String(cfg.mtu),
    };
    n.bridge = { name: brName, subnet, gateway: gw, pool, icc: cfg.icc, masq: cfg.ipMasq, mtu: cfg.mtu, defaultBridge: true };
    this.setupBridgeDevice(n);
    this.programNetwork(n, true);
    this.addNetwork(n);
    return null;
  }

  /** setupDevice + setupBridgeIPv4 + setupDeviceUp: the bridge with its gateway address. */
  private setupBridgeDevice(n: Network): void {
    const b = n.bridge;
    if (!b) return;
    let link = this.host.linkByName(b.name);
    if (!link) {
      const r = this.env.rng;
      const mac = ['02', '42', ...[0, 0, 0, 0].map(() => r.int(256).toString(16).padStart(2, '0'))].join(':');
      link = this.host.addLink({ name: b.name, kind: 'bridge', mac, mtu: 1500 });
    }
    // setupVerifyAndReconcile: the device carries exactly the network's gateway address.
    for (const a of link.addrs4.slice())
      if (a.ip !== b.gateway || a.prefix !== b.subnet.prefix) this.host.delAddr4(link.ifindex, a.ip, a.prefix);
    if (!link.addrs4.length) this.host.addAddr4(link.ifindex, b.gateway, b.subnet.prefix);
    if (!this.config.userlandProxy) link.routeLocalnet = true;
    this.host.setUp(link.ifindex, true);
  }

  private ruleOpts(n: Network): Parameters<Iptables['setupNetwork']>[0] {
    const b = n.bridge as NonNullable<Network['bridge']>;
    return {
      bridge: b.name,
      subnet: formatCidr(b.subnet),
      icc: b.icc,
      masq: b.masq,
      hairpin: !this.config.userlandProxy,
      internal: n.internal,
    };
  }

  private programNetwork(n: Network, enable: boolean): void {
    if (!n.bridge || !this.config.iptables) return;
    if (enable) this.ipt.setupNetwork(this.ruleOpts(n));
    else this.ipt.teardownNetwork(this.ruleOpts(n));
  }

  /** FindNetwork: exact id, exact name, then a unique id prefix. */
  findNetwork(ref: string): Network {
    const byId = this.networks.find((n) => n.id === ref);
    if (byId) return byId;
    const byName = this.networks.filter((n) => n.name === ref);
    if (byName.length === 1) return byName[0];
    const byPrefix = this.networks.filter((n) => n.id.startsWith(ref));
    if (byPrefix.length === 1) return byPrefix[0];
    if (byPrefix.length > 1)
      throw new DockerError('invalid', `network ${ref} is ambiguous (${byPrefix.length} matches found based on ID prefix)`);
    throw notFound(`network ${ref} not found`);
  }

  listNetworks(): Network[] {
    return this.networks.slice();
  }

  createNetwork(o: NetworkCreateOptions): Network {
    this.ensureRunning();
    const driver = o.driver ?? 'bridge';
    if (o.name === 'bridge' || o.name === 'host' || o.name === 'none')
      throw new DockerError('forbidden', `operation is not permitted on predefined ${o.name} network`);
    if (this.networks.some((n) => n.name === o.name)) throw conflict(`network with name ${o.name} already exists`);
    if (driver === 'host' || driver === 'null') throw new DockerError('forbidden', `only one instance of "${driver}" network is allowed`);
    if (driver === 'overlay')
      throw new DockerError(
        'unavailable',
        'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
      );
    if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
    const opts = o.options ?? {};
    const subnets = o.subnet ?? [];
    let pool;
    let range: Cidr | null = null;
    if (subnets.length) {
      const s = parseCidr(subnets[0]);
      if (!s) throw invalid(`invalid CIDR address: ${subnets[0]}`);
      if (o.ipRange?.length) {
        const r = parseCidr(o.ipRange[0]);
        if (!r) throw invalid(`invalid CIDR address: ${o.ipRange[0]}`);
        range = { ip: networkOf(r.ip, r.prefix), prefix: r.prefix };
      }
      pool = this.ipam.requestExplicit(s, range);
    } else {
      pool = this.ipam.requestAuto(this.reservedByHost);
    }
    let gw: number;
    try {
      gw = o.gateway?.length ? pool.request(parseIp4(o.gateway[0]) ?? -1) : pool.request();
    } catch (e) {
      this.ipam.releasePool(pool.subnet);
      throw new DockerError('system', `failed to allocate gateway (${o.gateway?.[0] ?? ''}): ${(e as Error).message}`);
    }
    const n = this.newNetworkObject(o.name, 'bridge');
    n.internal = !!o.internal;
    n.attachable = !!o.attachable;
    n.ipamOptions = {};
    n.options = { ...opts };
    n.labels = { ...(o.labels ?? {}) };
    n.userSubnet = subnets.length > 0;
    const entry: Network['ipamConfig'][number] = { Subnet: formatCidr(pool.subnet) };
    if (range) entry.IPRange = formatCidr(range);
    // Inspect shows the user's configuration when a subnet was given, operational data otherwise.
    if (!subnets.length || o.gateway?.length) entry.Gateway = formatIp4(gw);
    n.ipamConfig = [entry];
    const mtu = Number(opts['com.docker.network.driver.mtu'] ?? 1500);
    n.bridge = {
      name: opts['com.docker.network.bridge.name'] ?? `br-${n.id.slice(0, 12)}`,
      subnet: pool.subnet,
      gateway: gw,
      pool,
      icc: opts['com.docker.network.bridge.enable_icc'] !== 'false',
      masq: opts['com.docker.network.bridge.enable_ip_masquerade'] !== 'false',
      mtu,
      defaultBridge: false,
    };
    this.setupBridgeDevice(n);
    this.programNetwork(n, true);
    this.addNetwork(n);
    return n;
  }

  removeNetwork(ref: string): void {
    this.ensureRunning();
    const n = this.findNetwork(ref);
    if (n.name === 'bridge' || n.name === 'host' || n.name === 'none')
      throw new DockerError('forbidden', `${n.name} is a pre-defined network and cannot be removed`);
    if (this.containers.some((c) => c.running && c.networks.get(n.name)?.endpoint))
      throw new DockerError('forbidden', `error while removing network: network ${n.name} id ${n.id} has active endpoints`);
    this.deleteNetwork(n);
  }

  private deleteNetwork(n: Network): void {
    this.programNetwork(n, false);
    if (n.bridge) {
      const link = this.host.linkByName(n.bridge.name);
      if (link && !n.bridge.defaultBridge) this.host.deleteLink(link.ifindex);
      this.ipam.releasePool(n.bridge.subnet);
    }
    // Stopped containers keep their entry: their next start fails with `network X not found`.
    this.networks.splice(this.networks.indexOf(n), 1);
  }

  /** `docker network prune`: user networks with no container attached; returns their names. */
  pruneNetworks(): string[] {
    this.ensureRunning();
    const out: string[] = [];
    for (const n of this.networks.slice().reverse()) {
      if (n.name === 'bridge' || n.name === 'host' || n.name === 'none') continue;
      // Only active endpoints (running containers) keep a network (NetworksPrune).
      if (this.containers.some((c) => c.running && c.networks.get(n.name)?.endpoint)) continue;
      this.deleteNetwork(n);
      out.push(n.name);
    }
    return out;
  }

  // ================================================================== images =================

  findImage(ref: string): ImageData | null {
    const r = ref.replace(/^sha256:/, '');
    const [repo, tag] = splitRef(ref);
    return (
      this.images.find((i) => i.repo === repo && i.tag === tag) ??
      (r.length >= 4 && /^[0-9a-f]+$/.test(r) ? (this.images.find((i) => i.id.startsWith(r)) ?? null) : null)
    );
  }

  /** Adds (or retags) an image: `docker build`, `docker import`, `docker pull`. */
  addImage(img: ImageData): void {
    const old = this.images.findIndex((i) => i.repo === img.repo && i.tag === img.tag);
    if (old >= 0) this.images.splice(old, 1);
    this.images.push(img);
  }

  removeImage(img: ImageData): void {
    const i = this.images.indexOf(img);
    if (i >= 0) this.images.splice(i, 1);
  }

  private rootfsOf(img: ImageData): Vfs {
    let fs = this.imageRootfs.get(img.id);
    if (!fs) {
      fs = new Vfs(() => this.now());
      for (const d of ['/bin', '/etc', '/root', '/tmp', '/usr/bin', '/usr/sbin', '/var', '/proc', '/sys', '/dev'])
        fs.mkdir(d, { parents: true });
      fs.write('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
      fs.write('/etc/group', 'root:x:0:\n');
      this.env.installImage?.(fs, img);
      for (const [p, text] of Object.entries(img.files ?? {})) {
        const dir = p.slice(0, p.lastIndexOf('/')) || '/';
        fs.mkdir(dir, { parents: true });
        fs.write(p, text);
      }
      if (img.workdir) fs.mkdir(img.workdir, { parents: true });
      this.imageRootfs.set(img.id, fs);
    }
    return fs;
  }

  // ================================================================== containers =============

  /** GetContainer: exact id, exact name, then a unique id prefix. */
  findContainer(ref: string): Container {
    const name = ref.replace(/^\//, '');
    const c =
      this.containers.find((x) => x.id === ref) ??
      this.containers.find((x) => x.name === name) ??
      (() => {
        const m = this.containers.filter((x) => x.id.startsWith(ref));
        if (m.length > 1) throw new DockerError('invalid', `Multiple IDs found with provided prefix: ${ref}`);
        return m[0];
      })();
    if (!c) throw notFound(`No such container: ${ref}`);
    return c;
  }

  tryContainer(ref: string): Container | null {
    try {
      return this.findContainer(ref);
    } catch {
      return null;
    }
  }

  /** Containers, newest first (daemon/list.go). */
  listContainers(all = false): Container[] {
    this.runDue();
    return this.containers.filter((c) => all || c.running).reverse();
  }

  createContainer(o: CreateOptions): Container {
    this.ensureRunning();
    // The lab's own limit (not Docker's): past it a browser tab would run out of memory.
    if (this.containers.length >= MAX_CONTAINERS)
      throw new DockerError(
        'unavailable',
        `this lab allows at most ${MAX_CONTAINERS} containers per host; remove some (docker rm -f $(docker ps -aq)) before creating more`,
        'create',
      );
    const img = this.findImage(o.image);
    if (!img) throw notFound(`No such image: ${o.image.includes(':') ? o.image : o.image + ':latest'}`);
    if (o.name !== undefined && !VALID_CONTAINER_NAME.test(o.name))
      throw new DockerError('invalid', `Invalid container name (${o.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 'create');
    const name = o.name?.replace(/^\//, '');
    if (name !== undefined) {
      const holder = this.containers.find((c) => c.name === name);
      if (holder)
        throw new DockerError(
          'conflict',
          `Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
          'create',
        );
    }
    let mode = o.networkMode ?? 'default';
    const fail = (msg: string): never => {
      throw new DockerError('invalid', msg, 'create');
    };
    // Network mode checks (daemon/create*.go, runconfig/hostconfig_unix.go).
    let netOwner: Container | null = null;
    if (mode.startsWith('container:')) {
      if (o.hostname) fail('conflicting options: hostname and the network mode');
      if (o.links?.length) fail('conflicting options: container type network mode and links');
      if (o.dns?.length) fail('conflicting options: dns and the network mode');
      if (o.extraHosts?.length) fail('conflicting options: custom host-to-IP mapping and the network mode');
      if (o.macAddress) fail('conflicting options: mac-address and the network mode');
      if ((o.portBindings && Object.keys(o.portBindings).length) || o.publishAll)
        fail('conflicting options: port publishing and the container type network mode');
      if (o.exposedPorts?.length) fail('conflicting options: port exposing and the container type network mode');
      // Resolved to the owner's id when it exists; otherwise the start fails (No such container).
      const ref = mode.slice('container:'.length);
      const owner = this.tryContainer(ref);
      if (owner) {
        netOwner = owner;
        mode = `container:${owner.id}`;
      }
    } else if (mode === 'host') {
      if (o.macAddress) fail('conflicting options: mac-address and the network mode');
      if (o.links?.length)
        fail("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
    }
    // The network is looked up (and --ip / aliases checked) when the container starts, as
    // connectToNetwork does; inspect shows it from create on when it exists.
    const netName = mode === 'default' ? 'bridge' : mode.startsWith('container:') ? null : mode;
    let net0: Network | undefined;
    if (netName) {
      try {
        net0 = this.findNetwork(netName);
      } catch {
        net0 = undefined;
      }
    }
    // Links: resolved at create (daemon/daemon_unix.go registerLinks).
    const links: Container['links'] = [];
    const onUserNet = !!net0?.bridge && net0.name !== 'bridge';
    for (const l of o.links ?? []) {
      const [ref, aliasGiven] = l.split(':');
      const child = this.tryContainer(ref);
      if (!child) throw new DockerError('notfound', `could not get container for ${ref}: No such container: ${ref}`, 'create');
      const alias = aliasGiven ?? ref.replace(/^\//, '');
      // registerLink: a second link under the same alias finds the name reserved and is ignored.
      if (links.some((x) => x.alias === alias)) continue;
      links.push({ child, childName: child.name, alias });
    }
    const id = generateId(this.env.rng);
    const finalName = name ?? this.names.generate((n) => this.containers.some((c) => c.name === n), shortId(id));
    const exposed = new Set<string>(img.exposed);
    for (const p of o.exposedPorts ?? []) exposed.add(normPort(p));
    const bindings = new Map<string, PortBindingSpec[]>();
    if (mode !== 'host') {
      for (const [k, v] of Object.entries(o.portBindings ?? {})) {
        bindings.set(normPort(k), v);
        exposed.add(normPort(k));
      }
    }
    const cmd = o.cmd?.length ? o.cmd : o.entrypoint !== undefined ? null : img.cmd;
    const entrypoint = o.entrypoint !== undefined ? o.entrypoint : img.entrypoint;
    const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
    const hostname = mode === 'host' || mode.startsWith('container:') ? (o.hostname ?? '') : (o.hostname ?? shortId(id));
    const envList = [...(img.env ?? []), ...(o.env ?? [])];
    const c: Container = {
      id,
      name: finalName,
      created: this.now(),
      image: img,
      imageRef: o.image,
      path: argv[0] ?? '',
      args: argv.slice(1),
      config: {
        Hostname: hostname,
        Domainname: o.domainname ?? '',
        Env: envList.length ? mergeEnv(envList) : null,
        Cmd: cmd,
        Entrypoint: entrypoint,
        Image: o.image,
        WorkingDir: o.workdir ?? img.workdir,
        ExposedPorts: sortPortKeys([...exposed]),
        Tty: !!o.tty,
        OpenStdin: !!o.openStdin,
        Labels: o.labels ?? {},
        MacAddress: o.macAddress ?? '',
      },
      hostConfig: {
        NetworkMode: mode,
        PortBindings: bindings,
        PublishAllPorts: !!o.publishAll,
        Dns: o.dns ?? [],
        DnsSearch: o.dnsSearch ?? [],
        DnsOptions: o.dnsOptions ?? [],
        ExtraHosts: o.extraHosts?.length ? o.extraHosts : null,
        Links: links.length ? links.map((l) => `/${l.childName}:/${finalName}/${l.alias}`) : null,
        RestartPolicy: { Name: o.restart?.name ?? 'no', MaximumRetryCount: o.restart?.max ?? 0 },
        AutoRemove: !!o.autoRemove,
      },
      status: 'created',
      running: false,
      pid: 0,
      exitCode: 0,
      error: '',
      startedAt: 0,
      finishedAt: 0,
      restartCount: 0,
      removed: false,
      manuallyStopped: false,
      networks: new Map(),
      sandbox: null,
      sandboxId: '',
      links: onUserNet ? [] : links,
      ports: new Map(),
      fs: new Vfs(() => this.now(), this.rootfsOf(img)),
      procs: new ProcessTable(1),
      netOwner,
      netRequest: null,
      restartAt: null,
      logs: [],
      processEnv: [],
      program: null,
    };
    c.netRequest = netName
      ? {
          name: netName,
          explicit: mode !== 'default',
          ip: o.ip ?? null,
          aliases: [...(o.aliases ?? [])],
          links: (o.links ?? []).map((l) => (l.includes(':') ? l : `${l}:${l}`)),
          pending: !net0,
        }
      : null;
    if (net0) c.networks.set(net0.name, this.endpointSettingsFor(c, net0));
    // Files Docker keeps for every container.
    const dir = `${DOCKER_ROOT}/${id}`;
    this.env.fs.mkdir(dir, { parents: true });
    this.env.fs.write(`${dir}/hostname`, '');
    this.env.fs.write(`${dir}/hosts`, '');
    this.env.fs.write(`${dir}/resolv.conf`, '');
    this.containers.push(c);
    return c;
  }

  /** The directory of a container's files on the host, and the files its /etc entries are bound to. */
  filesDir(c: Container): string {
    return `${DOCKER_ROOT}/${(c.netOwner && c.hostConfig.NetworkMode.startsWith('container:') ? c.netOwner : c).id}`;
  }

  /** The endpoint configuration of the container's own network (NetworkingConfig at create). */
  private endpointSettingsFor(c: Container, n: Network): EndpointSettings {
    const req = c.netRequest;
    const userNet = !!n.bridge && n.name !== 'bridge';
    return {
      network: n,
      aliases: userNet ? [...(req?.aliases ?? [])] : [],
      ipv4: n.name === 'bridge' && !req?.explicit ? null : (req?.ip ?? null),
      ipamGiven: !!req?.ip && !(n.name === 'bridge' && !req.explicit),
      links: userNet ? [...(req?.links ?? [])] : [],
      driverOpts: null,
      endpoint: null,
    };
  }

  /**
   * connectToNetwork's lookups at start: each network by id, else by name (the default bridge is
   * recreated at every daemon start), and the checks of --ip and aliases for the first one.
   */
  private resolveNetworks(c: Container): void {
    const req = c.netRequest;
    if (req?.pending) {
      c.networks.set(req.name, this.endpointSettingsFor(c, this.findNetwork(req.name)));
      req.pending = false;
    }
    for (const [name, s] of [...c.networks]) {
      const cur = this.networks.find((n) => n.id === s.network.id) ?? this.networks.find((n) => n.name === name);
      if (!cur) throw notFound(`network ${name} not found`);
      s.network = cur;
    }
    if (!req) return;
    const s = c.networks.get(req.name);
    if (!s) return;
    const n = s.network;
    if (s.ipv4) {
      if (n.name === 'bridge' || !n.bridge)
        throw new DockerError('invalid', 'user specified IP address is supported on user defined networks only');
      if (!n.userSubnet)
        throw new DockerError(
          'invalid',
          'user specified IP address is supported only when connecting to networks with user configured subnets',
        );
    }
    if (req.aliases.length && req.explicit && (n.name === 'bridge' || !n.bridge))
      throw new DockerError('invalid', 'network-scoped alias is supported only for containers in user defined networks');
  }

  startContainer(ref: string): Container {
    this.ensureRunning();
    const c = this.findContainer(ref);
    if (c.running) return c;
    try {
      this.startInner(c);
    } catch (e) {
      // daemon/start.go: the error is recorded, the exit code becomes 128 if it was 0, and a
      // container with --rm is removed.
      const err = e instanceof DockerError ? new DockerError(e.kind, e.message, 'start') : (e as Error);
      c.error = err.message;
      if (c.exitCode === 0) c.exitCode = 128;
      if (c.hostConfig.AutoRemove && !c.removed) this.removeContainer(c.id, { force: true });
      throw err;
    }
    return c;
  }

  private startInner(c: Container): void {
    try {
      this.checkLinks(c);
    } catch (e) {
      // The daemon found this after setting up the endpoint: the exposed ports stay listed.
      c.ports = this.portMap(c, null);
      throw e;
    }
    let owner: Container | null = null;
    if (c.hostConfig.NetworkMode.startsWith('container:')) {
      owner = c.netOwner ?? this.tryContainer(c.hostConfig.NetworkMode.slice('container:'.length));
      if (!owner || owner.removed) throw notFound(`No such container: ${c.hostConfig.NetworkMode.slice('container:'.length)}`);
      if (!owner.running) throw conflict(`cannot join network of a non running container: ${owner.id}`);
    }
    if (!owner) this.resolveNetworks(c);
    try {
      this.initializeNetworking(c, owner);
    } catch (e) {
      this.releaseNetwork(c);
      throw e;
    }
    c.running = true;
    c.status = 'running';
    c.startedAt = this.now();
    c.exitCode = 0;
    c.error = '';
    c.manuallyStopped = false;
    this.spawnMain(c);
  }

  private checkLinks(c: Container): void {
    for (const l of c.links)
      if (!l.child.running || l.child.removed)
        throw new DockerError('invalid', `Cannot link to a non running container: /${l.childName} AS /${c.name}/${l.alias}`, 'start');
  }

  /** The environment of the main process and of `docker exec` (container.CreateDaemonEnvironment). */
  private daemonEnv(c: Container, tty: boolean): string[] {
    const env = [PATH_ENV, `HOSTNAME=${this.hostnameOf(c)}`];
    if (tty) env.push('TERM=xterm');
    for (const l of c.links) {
      const child = l.child;
      const ep = child.networks.get('bridge')?.endpoint;
      const ports: ExposedPort[] = child.config.ExposedPorts.map((k) => ({ port: Number(k.split('/')[0]), proto: k.split('/')[1] }));
      env.push(
        ...linkEnv({
          parentName: c.name,
          alias: l.alias,
          childIp: ep?.ip != null ? formatIp4(ep.ip) : '',
          ports,
          childEnv: child.config.Env ?? [],
        }),
      );
    }
    return mergeEnv([...env, ...(c.config.Env ?? [])]);
  }

  hostnameOf(c: Container): string {
    if (c.hostConfig.NetworkMode === 'host') return c.config.Hostname || this.env.hostname();
    if (c.netOwner && c.hostConfig.NetworkMode.startsWith('container:')) return this.hostnameOf(c.netOwner);
    return c.config.Hostname;
  }

  private spawnMain(c: Container): void {
    const cmdline = [c.path, ...c.args].join(' ');
    const hostProc = this.env.procs.spawn({
      ppid: this.dockerdPid,
      cmdline,
      comm: (c.path.split('/').pop() ?? c.path).slice(0, 15),
      user: 'root',
      started: this.now(),
      tty: c.config.Tty ? 'pts/0' : '?',
      netnsId: c.sandbox?.netns.id ?? this.host.id,
      container: c.id,
      nsPid: 1,
    });
    c.pid = hostProc.pid;
    c.procs = new ProcessTable(1);
    c.procs.spawn({
      pid: 1,
      ppid: 0,
      cmdline,
      comm: hostProc.comm,
      user: 'root',
      started: this.now(),
      tty: hostProc.tty,
      netnsId: hostProc.netnsId,
      container: c.id,
    });
    c.processEnv = withHome(this.daemonEnv(c, c.config.Tty));
    const rt = this.runtime(c);
    const h = this.env.startProgram?.(rt);
    c.program = h ?? null;
  }

  /** The view a program (the main process or `docker exec`) has of a running container. */
  runtime(c: Container, extraEnv: string[] = [], tty = false, exec = false): ContainerRuntime {
    const netns = c.sandbox?.netns ?? this.host;
    return {
      id: c.id,
      name: c.name,
      fs: c.fs,
      netns,
      procs: c.procs,
      userland: c.image.userland,
      tools: c.image.tools,
      hostname: this.hostnameOf(c),
      env: exec ? withHome(mergeEnv([...this.daemonEnv(c, tty), ...extraEnv])) : c.processEnv,
      workdir: c.config.WorkingDir || '/',
      argv: [c.path, ...c.args],
      tty: c.config.Tty,
      openStdin: c.config.OpenStdin,
      image: c.image,
      log: (stream, text) => c.logs.push({ stream, text, time: this.now() }),
      exit: (code) => this.onExit(c, code),
    };
  }

  /** `docker exec` target: fails like the daemon when the container is not running or a linked child is gone. */
  execTarget(ref: string, env: string[] = [], tty = false): ContainerRuntime {
    this.ensureRunning();
    const c = this.findContainer(ref);
    if (!c.running) throw conflict(`Container ${c.id} is not running`);
    this.checkLinks(c);
    return this.runtime(c, env, tty, true);
  }

  /**
   * A signal sent from the host to a container's main process by its host pid (`kill PID`,
   * `kill -9 PID`). The container's init ignores a signal it has no handler for, except SIGKILL,
   * which the kernel forces from the parent namespace; a handled signal ends it, and the
   * restart policy applies as for any exit.
   */
  signalMainProcess(pid: number, signal: 'TERM' | 'KILL'): void {
    const c = this.containers.find((x) => x.running && x.pid === pid);
    if (!c) return;
    const code = c.program?.stop?.(signal) ?? (signal === 'KILL' ? 137 : null);
    if (code === null) return;
    c.program = null;
    this.onExit(c, code);
  }

  /** The main process ended by itself. */
  private onExit(c: Container, code: number): void {
    if (!c.running) return;
    this.terminate(c, 'exit', code);
    if (c.hostConfig.AutoRemove) {
      this.removeContainer(c.id, { force: true });
      return;
    }
    // restartmanager: always, unless-stopped, on-failure[:max]. The container waits in
    // `restarting` for the back-off (100 ms, doubling, at most 1 min) on the virtual clock.
    const p = c.hostConfig.RestartPolicy;
    const again =
      p.Name === 'always' ||
      p.Name === 'unless-stopped' ||
      (p.Name === 'on-failure' && code !== 0 && (p.MaximumRetryCount === 0 || c.restartCount < p.MaximumRetryCount));
    if (again && this.running) {
      c.restartCount++;
      c.status = 'restarting';
      c.restartAt = this.now() + Math.min(100 * 2 ** (c.restartCount - 1), 60_000);
    }
  }

  /** Starts the containers whose restart back-off has elapsed (checked at every API call). */
  runDue(): void {
    if (!this.running) return;
    for (const c of this.containers) {
      if (c.restartAt === null || c.restartAt > this.now()) continue;
      c.restartAt = null;
      try {
        this.startContainer(c.id);
      } catch (e) {
        c.error = (e as Error).message;
        c.status = 'exited';
      }
    }
  }

  private terminate(c: Container, why: 'exit' | 'stop' | 'kill' | 'daemon', code = 0): void {
    if (why !== 'exit') {
      const handled = why === 'kill' ? null : (c.program?.stop?.('TERM') ?? null);
      code = handled ?? 137;
      if (handled === null) c.program?.stop?.('KILL');
    }
    for (const p of this.env.procs.list()) if (p.container === c.id) this.env.procs.kill(p.pid);
    c.running = false;
    c.status = 'exited';
    c.exitCode = code;
    c.finishedAt = this.now();
    c.pid = 0;
    c.program = null;
    c.procs = new ProcessTable(1);
    this.releaseNetwork(c);
  }

  /** `docker stop`: SIGTERM, then SIGKILL after the timeout. Returns the virtual time it took. */
  stopContainer(ref: string, timeoutSec = 10): { container: Container; waitedMs: number } {
    this.ensureRunning();
    const c = this.findContainer(ref);
    if (c.restartAt !== null) {
      c.restartAt = null;
      c.status = 'exited';
      c.manuallyStopped = true;
    }
    if (!c.running) return { container: c, waitedMs: 0 };
    const handled = c.program?.stop?.('TERM') ?? null;
    c.manuallyStopped = true;
    if (handled !== null) {
      c.program = null;
      this.terminate(c, 'exit', handled);
      if (c.hostConfig.AutoRemove) this.removeContainer(c.id, { force: true });
      return { container: c, waitedMs: 0 };
    }
    this.terminate(c, 'kill');
    if (c.hostConfig.AutoRemove) this.removeContainer(c.id, { force: true });
    return { container: c, waitedMs: timeoutSec * 1000 };
  }

  killContainer(ref: string): Container {
    this.ensureRunning();
    const c = this.findContainer(ref);
    if (!c.running) throw conflict(`Cannot kill container: ${ref}: Container ${c.id} is not running`);
    c.manuallyStopped = true;
    this.terminate(c, 'kill');
    if (c.hostConfig.AutoRemove) this.removeContainer(c.id, { force: true });
    return c;
  }

  restartContainer(ref: string): { container: Container; waitedMs: number } {
    const r = this.stopContainer(ref);
    try {
      this.startContainer(r.container.id);
    } catch (e) {
      throw new DockerError((e as DockerError).kind ?? 'system', `Cannot restart container ${ref}: ${(e as Error).message}`);
    }
    r.container.restartCount = 0;
    return r;
  }

  removeContainer(ref: string, o: { force?: boolean } = {}): Container {
    this.ensureRunning();
    const c = this.findContainer(ref);
    if (c.running) {
      if (!o.force)
        throw conflict(`You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`);
      this.terminate(c, 'kill');
    }
    c.removed = true;
    c.restartAt = null;
    c.status = 'dead';
    this.containers.splice(this.containers.indexOf(c), 1);
    try {
      this.env.fs.remove(`${DOCKER_ROOT}/${c.id}`);
    } catch {
      /* already gone */
    }
    return c;
  }

  // ================================================================== networking =============

  /** initializeNetworking: the sandbox for the container's network mode, then each network joined. */
  private initializeNetworking(c: Container, owner: Container | null): void {
    const mode = c.hostConfig.NetworkMode;
    const dir = `${DOCKER_ROOT}/${c.id}`;
    if (owner) {
      // container:X shares X's namespace, files, hostname and domain name.
      c.sandbox = owner.sandbox;
      c.config.Hostname = owner.config.Hostname;
      c.config.Domainname = owner.config.Domainname;
      this.bindEtc(c, `${DOCKER_ROOT}/${owner.id}`);
      return;
    }
    c.sandboxId = generateId(this.env.rng);
    if (mode === 'host') {
      if (!c.config.Hostname) c.config.Hostname = this.env.hostname();
      c.sandbox = { id: c.sandboxId, netns: this.host, nextIf: 0, resolver: false, upstream: [], ownsNetns: false };
      this.env.fs.write(`${dir}/hostname`, `${this.hostnameOf(c)}\n`);
      const extra = this.extraHosts(c);
      this.env.fs.write(`${dir}/hosts`, extra.length ? buildHosts(extra) : (this.readHost('/etc/hosts') ?? ''));
      const custom = c.hostConfig.Dns.length || c.hostConfig.DnsSearch.length || c.hostConfig.DnsOptions.length;
      this.env.fs.write(`${dir}/resolv.conf`, custom ? this.customResolv(c) : (this.readHost('/etc/resolv.conf') ?? ''));
      this.bindEtc(c, dir);
      const s = c.networks.get('host');
      if (s) s.endpoint = this.newEndpoint(s.network);
      return;
    }
    const netns = this.env.world.createNetns(`container ${c.name}`, { ipv6: false });
    c.sandbox = { id: c.sandboxId, netns, nextIf: 0, resolver: false, upstream: [], ownsNetns: true };
    this.env.fs.write(`${dir}/hostname`, `${c.config.Hostname}${c.config.Domainname ? '' : ''}\n`);
    // buildHostsFile: base, add-hosts, then legacy links.
    const extra = this.extraHosts(c);
    for (const l of c.links) {
      const ep = l.child.networks.get('bridge')?.endpoint;
      if (ep?.ip == null) continue;
      const names = [l.alias, this.hostnameOf(l.child)];
      if (l.alias !== l.child.name) names.push(l.child.name);
      extra.push({ ip: formatIp4(ep.ip), names: names.join(' ') });
    }
    this.env.fs.write(`${dir}/hosts`, buildHosts(extra));
    const custom = c.hostConfig.Dns.length || c.hostConfig.DnsSearch.length || c.hostConfig.DnsOptions.length;
    this.env.fs.write(`${dir}/resolv.conf`, custom ? this.customResolv(c) : filterResolv(this.readHost('/etc/resolv.conf') ?? ''));
    this.bindEtc(c, dir);
    if (mode === 'none') {
      const s = c.networks.get('none');
      if (s) s.endpoint = this.newEndpoint(s.network);
      return;
    }
    // The default bridge is joined first, the others in attach order.
    const order = [...c.networks.values()].sort((a, b) => (a.network.name === 'bridge' ? -1 : b.network.name === 'bridge' ? 1 : 0));
    for (const s of order) this.join(c, s);
    this.updateParents(c);
  }

  private bindEtc(c: Container, dir: string): void {
    for (const f of ['hosts', 'resolv.conf', 'hostname']) c.fs.bind(`/etc/${f}`, this.env.fs, `${dir}/${f}`);
  }

  private extraHosts(c: Container): HostsRecord[] {
    const out: HostsRecord[] = [];
    for (const h of c.hostConfig.ExtraHosts ?? []) {
      const i = h.indexOf(':');
      let ip = h.slice(i + 1);
      if (ip === 'host-gateway') {
        const br = this.networks.find((n) => n.name === 'bridge')?.bridge;
        ip = br ? formatIp4(br.gateway) : '';
      }
      out.push({ ip, names: h.slice(0, i) });
    }
    return out;
  }

  /** resolvconf.Build with --dns/--dns-search/--dns-option (daemon-level ones as fallbacks). */
  private customResolv(c: Container): string {
    const host = parseResolv(filterResolv(this.readHost('/etc/resolv.conf') ?? ''));
    const hc = c.hostConfig;
    return buildResolv({
      nameservers: hc.Dns.length ? hc.Dns : this.config.dns.length ? this.config.dns : host.nameservers,
      search: hc.DnsSearch.length ? hc.DnsSearch : this.config.dnsSearch.length ? this.config.dnsSearch : host.search,
      options: hc.DnsOptions.length ? hc.DnsOptions : this.config.dnsOpts.length ? this.config.dnsOpts : host.options,
    });
  }

  private newEndpoint(n: Network): Endpoint {
    return {
      id: generateId(this.env.rng),
      network: n,
      ip: null,
      prefix: 0,
      mac: '',
      gateway: null,
      ifName: null,
      hostVeth: null,
      ports: [],
    };
  }

  private vethName(): string {
    for (;;) {
      const name = `veth${this.env.rng.hex(7)}`;
      if (!this.host.linkByName(name)) return name;
    }
  }

  /** Endpoint creation and sbJoin on a bridge network. */
  private join(c: Container, s: EndpointSettings): void {
    const n = s.network;
    const b = n.bridge;
    const sb = c.sandbox as Sandbox;
    if (!b) return;
    const ep = this.newEndpoint(n);
    const preferred = s.ipv4 ? parseIp4(s.ipv4) : null;
    if (s.ipv4 && preferred === null) throw invalid(`invalid IP address: ${s.ipv4}`);
    ep.ip = b.pool.request(preferred);
    ep.prefix = b.subnet.prefix;
    ep.gateway = b.gateway;
    ep.mac = c.config.MacAddress && sb.nextIf === 0 ? c.config.MacAddress : macFromIp4(ep.ip);
    s.endpoint = ep;
    // CreateEndpoint: the veth pair, host end on the bridge; Join: the other end moves in.
    const hostName = this.vethName();
    const tmp = this.vethName();
    const mtu = b.defaultBridge ? this.config.mtu : b.mtu;
    const { link: hostEnd, peer } = this.host.addVethPair(hostName, tmp, mtu);
    const br = this.host.linkByName(b.name);
    if (br) this.host.setMaster(hostEnd.ifindex, br.ifindex);
    this.host.setUp(hostEnd.ifindex, true);
    ep.hostVeth = hostName;
    const ifName = `eth${sb.nextIf++}`;
    const inside = this.host.moveLink(peer.ifindex, sb.netns, ifName);
    inside.ipv6Disabled = true;
    sb.netns.setMac(inside.ifindex, ep.mac);
    sb.netns.addAddr4(inside.ifindex, ep.ip, ep.prefix);
    sb.netns.setUp(inside.ifindex, true);
    ep.ifName = ifName;
    // The container's own hosts line, appended at each join.
    const hostsPath = `${DOCKER_ROOT}/${c.id}/hosts`;
    if (this.env.fs.exists(hostsPath)) {
      const own = ownHostsRecord(formatIp4(ep.ip), c.config.Hostname, c.config.Domainname);
      this.env.fs.write(hostsPath, `${own.ip}\t${own.names}\n`, { append: true });
    }
    // Embedded DNS on user-defined networks.
    if (n.name !== 'bridge') this.startEmbeddedDns(c);
    this.updateGateway(c);
  }

  /** The endpoint that gives the default route and carries published ports (sandbox.go Less). */
  private gatewayEndpoint(c: Container): EndpointSettings | null {
    const eps = [...c.networks.values()].filter((s) => s.endpoint?.ip != null && s.network.bridge);
    eps.sort(
      (a, b) =>
        Number(a.network.internal) - Number(b.network.internal) ||
        (a.network.name < b.network.name ? -1 : a.network.name > b.network.name ? 1 : 0),
    );
    return eps[0] ?? null;
  }

  /** Sets the default route and moves external connectivity (published ports) to the gateway endpoint. */
  private updateGateway(c: Container): void {
    const sb = c.sandbox;
    if (!sb) return;
    const gw = this.gatewayEndpoint(c);
    const current = [...c.networks.values()].find((s) => s.endpoint && s.endpoint.ports.length);
    const dflt = sb.netns.routes.find((r) => r.dst === 0 && r.prefix === 0 && r.table === 'main');
    const gwEp = gw?.endpoint;
    if (gwEp && gwEp.gateway !== null) {
      const dev = sb.netns.linkByName(gwEp.ifName ?? '');
      if (dev && (!dflt || dflt.gateway !== gwEp.gateway || dflt.dev !== dev.ifindex)) {
        if (dflt) sb.netns.routes.splice(sb.netns.routes.indexOf(dflt), 1);
        sb.netns.addRoute({
          dst: 0,
          prefix: 0,
          gateway: gwEp.gateway,
          dev: dev.ifindex,
          proto: 'boot',
          scope: 'global',
          src: null,
          metric: 0,
        });
      }
    }
    if (current && current !== gw) this.revokePorts(c, current.endpoint as Endpoint);
    if (gw && gw !== current && !gw.network.internal) {
      try {
        this.programPorts(c, gw.endpoint as Endpoint);
      } catch (e) {
        throw new DockerError(
          'system',
          `driver failed programming external connectivity on endpoint ${c.name} (${gw.endpoint?.id}): ${(e as Error).message}`,
        );
      }
    }
  }

  /** allocatePorts: IPv4 then IPv6 per binding, up to 10 attempts for a dynamic port. */
  private programPorts(c: Container, ep: Endpoint): void {
    const b = ep.network.bridge;
    if (!b || ep.ip === null) return;
    const cip = formatIp4(ep.ip);
    const defIp = b.defaultBridge ? this.config.ip : (ep.network.options['com.docker.network.bridge.host_binding_ipv4'] ?? this.config.ip);
    try {
      for (const bnd of bindingOrder(c.config.ExposedPorts, c.hostConfig.PortBindings, c.hostConfig.PublishAllPorts)) {
        const v6 = bnd.hostIp.includes(':');
        if (!v6) this.allocatePort(c, ep, { ...bnd, hostIp: bnd.hostIp || defIp }, cip);
        // The IPv6 twin: with the userland proxy, a container without IPv6 is reached over IPv4
        // (20.10.2+); without the proxy there is nothing to forward IPv6 to.
        if (!this.config.userlandProxy && !v6) continue;
        // validatePortBindingIPv6: an unspecified host IP (none, or 0.0.0.0) becomes `::`.
        if (!bnd.hostIp || bnd.hostIp === '0.0.0.0' || v6) {
          if (!bnd.hostIp && defIp !== '0.0.0.0') continue;
          this.allocatePort(c, ep, { ...bnd, hostIp: v6 ? bnd.hostIp : '::' }, cip);
        }
      }
    } catch (e) {
      this.revokePorts(c, ep);
      throw e;
    }
    c.ports = this.portMap(c, ep);
  }

  private allocatePort(
    c: Container,
    ep: Endpoint,
    bnd: { port: number; proto: string; hostIp: string; hostStart: number; hostEnd: number },
    cip: string,
  ): void {
    let last: Error | null = null;
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        ep.ports.push(this.mapRange(ep, bnd, cip));
        return;
      } catch (e) {
        last = e as Error;
        if (bnd.hostStart !== 0) break;
      }
    }
    throw last as Error;
  }

  /** portmapper.MapRange: allocate, add the forwarding rules, start the proxy (undoing both on failure). */
  private mapRange(
    ep: Endpoint,
    bnd: { port: number; proto: string; hostIp: string; hostStart: number; hostEnd: number },
    cip: string,
  ): ProgrammedPort {
    const b = ep.network.bridge as NonNullable<Network['bridge']>;
    const hostPort = this.ports.request(bnd.hostIp, bnd.proto, bnd.hostStart, bnd.hostEnd);
    const v4 = !bnd.hostIp.includes(':');
    const pp: ProgrammedPort = {
      proto: bnd.proto,
      hostIp: bnd.hostIp,
      hostPort,
      containerIp: cip,
      containerPort: bnd.port,
      proxyPid: null,
      iptables: false,
    };
    const fwd = {
      hostIp: bnd.hostIp,
      hostPort,
      proto: bnd.proto,
      containerIp: cip,
      containerPort: bnd.port,
      bridge: b.name,
      hairpin: !this.config.userlandProxy,
    };
    if (v4 && this.config.iptables) {
      this.ipt.forward('-A', fwd);
      pp.iptables = true;
    }
    try {
      pp.proxyPid = this.startProxy(pp);
    } catch (e) {
      if (pp.iptables) this.ipt.forward('-D', fwd);
      this.ports.release(bnd.hostIp, bnd.proto, hostPort);
      throw e;
    }
    return pp;
  }

  /** docker-proxy (or the dummy proxy with --userland-proxy=false): binds the host port. */
  private startProxy(pp: ProgrammedPort): number | null {
    const v6 = pp.hostIp.includes(':');
    const useProxy = this.config.userlandProxy;
    const proc = useProxy
      ? this.env.procs.spawn({
          ppid: this.dockerdPid,
          cmdline: `${this.env.profile.proxyPath} -proto ${pp.proto} -host-ip ${pp.hostIp} -host-port ${pp.hostPort} -container-ip ${pp.containerIp} -container-port ${pp.containerPort}`,
          comm: 'docker-proxy',
          user: 'root',
          started: this.now(),
          tty: '?',
          netnsId: this.host.id,
        })
      : null;
    const owner = proc ? { pid: proc.pid, name: 'docker-proxy', fd: 4 } : { pid: this.dockerdPid, name: 'dockerd', fd: this.dockerdFd++ };
    const ip = v6 ? null : parseIp4(pp.hostIp);
    try {
      this.host.sockets.bind({
        proto: pp.proto === 'udp' ? 'udp' : 'tcp',
        local: v6 ? { family: 6, ip: pp.hostIp } : { family: 4, ip: ip ?? 0 },
        port: pp.hostPort,
        v6only: v6,
        owner,
        handler: useProxy ? proxyHandler(this.env.stack, this.host, parseIp4(pp.containerIp) ?? 0, pp.containerPort, pp.proto) : null,
      });
    } catch (e) {
      if (proc) this.env.procs.kill(proc.pid);
      if (e instanceof BindError) {
        const fam = v6 ? `${pp.proto}6` : `${pp.proto}4`;
        const addr = v6 ? `[${pp.hostIp}]:${pp.hostPort}` : `${pp.hostIp}:${pp.hostPort}`;
        const what = e.code === 'EADDRINUSE' ? 'bind: address already in use' : 'bind: cannot assign requested address';
        throw new Error(useProxy ? `Error starting userland proxy: listen ${fam} ${addr}: ${what}` : `listen ${fam} ${addr}: ${what}`, {
          cause: e,
        });
      }
      throw e;
    }
    return proc ? proc.pid : null;
  }

  private revokePorts(c: Container, ep: Endpoint): void {
    const b = ep.network.bridge;
    for (const pp of ep.ports) {
      if (pp.proxyPid !== null) {
        this.host.sockets.closeOwnedBy(pp.proxyPid);
        this.env.procs.kill(pp.proxyPid);
      } else {
        for (const s of this.host.sockets.all()) if (s.port === pp.hostPort && s.owner?.pid === this.dockerdPid) this.host.sockets.close(s);
      }
      if (pp.iptables && b)
        this.ipt.forward('-D', {
          hostIp: pp.hostIp,
          hostPort: pp.hostPort,
          proto: pp.proto,
          containerIp: pp.containerIp,
          containerPort: pp.containerPort,
          bridge: b.name,
          hairpin: !this.config.userlandProxy,
        });
      this.ports.release(pp.hostIp, pp.proto, pp.hostPort);
    }
    ep.ports = [];
    c.ports = new Map();
  }

  /** NetworkSettings.Ports: every exposed port, with its bindings or null. */
  private portMap(c: Container, ep: Endpoint | null): Map<string, { HostIp: string; HostPort: string }[] | null> {
    const m = new Map<string, { HostIp: string; HostPort: string }[] | null>();
    for (const key of c.config.ExposedPorts) m.set(key, null);
    for (const pp of ep?.ports ?? []) {
      const key = `${pp.containerPort}/${pp.proto}`;
      const list = m.get(key) ?? [];
      list.push({ HostIp: pp.hostIp, HostPort: String(pp.hostPort) });
      m.set(key, list);
    }
    return m;
  }

  /** Programs the icc=false link rules and updates the hosts files of running parents (child restart). */
  private updateParents(c: Container): void {
    const ep = c.networks.get('bridge')?.endpoint;
    if (ep?.ip == null) return;
    for (const p of this.containers) {
      if (!p.running || p === c) continue;
      for (const l of p.links) {
        if (l.child !== c) continue;
        const path = `${DOCKER_ROOT}/${p.id}/hosts`;
        if (this.env.fs.exists(path)) this.env.fs.write(path, updateHostsIp(this.env.fs.read(path), l.alias, formatIp4(ep.ip)));
      }
    }
    // Links this container makes, with --icc=false on the default bridge (drivers/bridge/link.go).
    const br = this.networks.find((n) => n.name === 'bridge')?.bridge;
    if (br && !br.icc && this.config.iptables) {
      for (const l of c.links) {
        const cep = l.child.networks.get('bridge')?.endpoint;
        if (cep?.ip == null) continue;
        for (const key of l.child.config.ExposedPorts) {
          const [port, proto] = key.split('/');
          this.ipt.link('-A', { parentIp: formatIp4(ep.ip), childIp: formatIp4(cep.ip), port: Number(port), proto, bridge: br.name });
        }
      }
    }
  }

  /** releaseNetwork: endpoints leave, addresses go back to the pools, the namespace goes away. */
  private releaseNetwork(c: Container): void {
    const sb = c.sandbox;
    const br = this.networks.find((n) => n.name === 'bridge')?.bridge;
    const bep = c.networks.get('bridge')?.endpoint;
    if (br && !br.icc && this.config.iptables && bep?.ip != null) {
      for (const l of c.links) {
        const cep = l.child.networks.get('bridge')?.endpoint;
        if (cep?.ip == null) continue;
        for (const key of l.child.config.ExposedPorts) {
          const [port, proto] = key.split('/');
          this.ipt.link('-D', { parentIp: formatIp4(bep.ip), childIp: formatIp4(cep.ip), port: Number(port), proto, bridge: br.name });
        }
      }
    }
    for (const s of c.networks.values()) {
      const ep = s.endpoint;
      if (!ep) continue;
      this.leave(c, s);
    }
    c.sandbox = null;
    c.ports = new Map();
    // A namespace lives while a process is in it: containers that joined it keep it (with
    // only `lo` once the owner's endpoints are gone).
    if (sb && sb.netns !== this.host && !this.containers.some((o) => o.running && o !== c && o.sandbox?.netns === sb.netns)) {
      sb.netns.sockets.closeAll();
      this.env.world.destroyNetns(sb.netns);
    }
  }

  private leave(c: Container, s: EndpointSettings): void {
    const ep = s.endpoint as Endpoint;
    if (ep.ports.length) this.revokePorts(c, ep);
    const b = s.network.bridge;
    if (b && ep.ip !== null) b.pool.release(ep.ip);
    if (ep.hostVeth) {
      const l = this.host.linkByName(ep.hostVeth);
      if (l) this.host.deleteLink(l.ifindex);
    }
    s.endpoint = null;
  }

  // ---- connect / disconnect ---------------------------------------------------------------

  connect(netRef: string, ctrRef: string, o: { ip?: string; aliases?: string[]; links?: string[] } = {}): void {
    this.ensureRunning();
    const n = this.findNetwork(netRef);
    const c = this.findContainer(ctrRef);
    const mode = c.hostConfig.NetworkMode;
    if (mode === 'host' || mode.startsWith('container:'))
      throw new DockerError(
        'forbidden',
        'container sharing network namespace with another container or host cannot be connected to any other network',
      );
    if (n.name === 'host')
      throw new DockerError('forbidden', 'container cannot be disconnected from host network or connected to host network');
    // updateNetworkSettings: an existing entry for the same network is not an error here (the
    // endpoint creation of a running container then fails); `none` conflicts with any other.
    if (c.networks.has(n.name)) {
      if (c.running) throw new DockerError('forbidden', `endpoint with name ${c.name} already exists in network ${n.name}`);
      return;
    }
    if (c.networks.size && (c.networks.has('none') || n.name === 'none'))
      throw new DockerError(
        'forbidden',
        'container cannot be connected to multiple networks with one of the networks in private (none) mode',
      );
    if (o.aliases?.length && n.name === 'bridge')
      throw new DockerError('forbidden', 'network-scoped alias is supported only for containers in user defined networks');
    if (o.ip) {
      if (n.name === 'bridge') throw new DockerError('forbidden', 'user specified IP address is supported on user defined networks only');
      if (!n.userSubnet)
        throw new DockerError(
          'forbidden',
          'user specified IP address is supported only when connecting to networks with user configured subnets',
        );
    }
    const s: EndpointSettings = {
      network: n,
      aliases: n.name === 'bridge' ? [] : [...(o.aliases ?? [])],
      ipv4: o.ip ?? null,
      ipamGiven: n.name !== 'bridge',
      links: (o.links ?? []).map((l) => (l.includes(':') ? l : `${l}:${l}`)),
      driverOpts: {},
      endpoint: null,
    };
    c.networks.set(n.name, s);
    if (c.running && c.sandbox) {
      try {
        this.join(c, s);
      } catch (e) {
        if (s.endpoint) this.leave(c, s);
        c.networks.delete(n.name);
        throw e;
      }
    }
  }

  disconnect(netRef: string, ctrRef: string, force = false): void {
    this.ensureRunning();
    void force;
    const n = this.findNetwork(netRef);
    const c = this.findContainer(ctrRef);
    if (c.hostConfig.NetworkMode === 'host' || n.name === 'host')
      throw new DockerError('forbidden', 'container cannot be disconnected from host network or connected to host network');
    const s = c.networks.get(n.name);
    if (!s) throw new DockerError('forbidden', `container ${c.id} is not connected to ${c.running ? 'network' : 'the network'} ${n.name}`);
    if (s.endpoint && c.sandbox) {
      const wasGw = this.gatewayEndpoint(c) === s;
      if (s.endpoint.ip !== null && c.sandbox.netns) {
        const dflt = c.sandbox.netns.routes.find((r) => r.dst === 0 && r.prefix === 0 && r.gateway === s.endpoint?.gateway);
        if (wasGw && dflt) c.sandbox.netns.routes.splice(c.sandbox.netns.routes.indexOf(dflt), 1);
      }
      this.leave(c, s);
      c.networks.delete(n.name);
      if (wasGw) this.updateGateway(c);
    } else c.networks.delete(n.name);
  }

  // ================================================================== embedded DNS ===========

  private startEmbeddedDns(c: Container): void {
    const sb = c.sandbox;
    if (!sb || sb.resolver) return;
    const path = `${DOCKER_ROOT}/${c.id}/resolv.conf`;
    const current = this.env.fs.exists(path) ? this.env.fs.read(path) : '';
    const { text, upstream } = embeddedResolv(current);
    this.env.fs.write(path, text);
    sb.upstream = upstream;
    sb.resolver = true;
    startResolver(sb.netns, this.env.rng, (q) => this.answerDns(c, q));
  }

  /**
   * Resolver.ServeDNS: names of the networks the querying container is on (container names,
   * aliases, short ids, `name.network`, its own link aliases), PTR for their addresses;
   * anything else goes to the upstream servers from the host namespace.
   */
  answerDns(c: Container, q: DnsQuery): DnsAnswer {
    const name = q.name.replace(/\.$/, '');
    if (q.type === 'PTR') {
      const ip = ptrToIp(name);
      const hit = ip !== null ? this.reverseLookup(c, ip) : null;
      // libnetwork 20.10's resolver never sets the AA bit (setCommonFlags sets only RA): busybox
      // nslookup prints "Non-authoritative answer:".
      if (hit) return { id: q.id, rcode: 'NOERROR', records: [hit], authoritative: false };
    } else {
      const ips = this.resolveName(c, name);
      if (ips.length) return { id: q.id, rcode: 'NOERROR', records: q.type === 'A' ? ips.map(formatIp4) : [], authoritative: false };
    }
    const stack = this.env.stack;
    for (const up of c.sandbox?.upstream.slice(0, 3) ?? []) {
      const server = parseIp4(up);
      if (server === null || !stack) continue;
      const r = queryServer(stack, this.host, server, q.name, q.type);
      if (r.kind === 'answer') return { ...r.answer, id: q.id, authoritative: false };
    }
    return { id: q.id, rcode: 'SERVFAIL', records: [], authoritative: false };
  }

  /** The IPs `name` resolves to for container `c` through the embedded DNS (empty: not ours). */
  resolveName(c: Container, name: string): number[] {
    return resolveServiceName(this.containers, (ref) => this.tryContainer(ref), c, name);
  }

  reverseLookup(c: Container, ip: number): string | null {
    return reverseServiceName(this.containers, c, ip);
  }

  // ================================================================== queries ================

  /** Published ports of a running container: `80/tcp -> 0.0.0.0:8080` data, in binding order. */
  portBindings(c: Container): ProgrammedPort[] {
    return [...c.networks.values()].flatMap((s) => s.endpoint?.ports ?? []);
  }

  networkSettingsPorts(c: Container): Map<string, { HostIp: string; HostPort: string }[] | null> {
    if (!c.running) return new Map();
    const gw = [...c.networks.values()].find((s) => s.endpoint?.ports.length)?.endpoint ?? null;
    return this.portMap(c, gw);
  }

  createdString(ms: number, nanos = 0): string {
    return rfc3339Nano(ms, nanos);
  }

  /** The containers attached (running) to a network, for inspect's Containers map. */
  attached(n: Network): { c: Container; ep: Endpoint }[] {
    const out: { c: Container; ep: Endpoint }[] = [];
    for (const c of this.containers) {
      const ep = c.networks.get(n.name)?.endpoint;
      if (ep && c.running) out.push({ c, ep });
    }
    return out.sort((a, b) => (a.c.id < b.c.id ? -1 : 1));
  }
}

function splitRef(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return [ref.slice(0, colon), ref.slice(colon + 1)];
  return [ref, 'latest'];
}

/** `80` → `80/tcp`. */
export function normPort(p: string): string {
  return p.includes('/') ? p.toLowerCase() : `${p}/tcp`;
}

function sortPortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** runc sets HOME from the user's passwd entry when the environment has none (root: /root). */
function withHome(env: string[]): string[] {
  return env.some((kv) => kv.startsWith('HOME=')) ? env : [...env, 'HOME=/root'];
}

/** Later entries of the same variable replace earlier ones in place (container.ReplaceOrAppendEnvValues). */
export function mergeEnv(list: string[]): string[] {
  const out: string[] = [];
  const idx = new Map<string, number>();
  for (const kv of list) {
    const k = kv.split('=')[0];
    const i = idx.get(k);
    if (i !== undefined) out[i] = kv;
    else {
      idx.set(k, out.length);
      out.push(kv);
    }
  }
  return out;
}

function ptrToIp(name: string): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
  return m ? parseIp4(`${m[4]}.${m[3]}.${m[2]}.${m[1]}`) : null;
}
