/**
 * The machines of a lab: the LAN (a switch namespace whose bridge br0 also carries the
 * router's address 192.168.100.1, like the golden recording's setup) and the Docker hosts
 * cabled to it, each with its root namespace, file system, processes and shell target.
 */
import { Vfs } from '../base/vfs.ts';
import type { World } from '../net/world.ts';
import type { Netns } from '../net/netns.ts';
import { parseCidr, parseIp4 } from '../net/ip.ts';
import { ProcessTable } from '../apps/process.ts';
import { mountProcSys } from '../shell/commands/net/sysctl.ts';
import { serveDns } from '../apps/dns.ts';
import { Target } from '../shell/target.ts';
import { debianRootSkeleton, installProgramFiles } from '../shell/program-files.ts';
import type { HostSpec, LabProfile } from './profiles.ts';
import { DockerEngine } from '../docker/engine.ts';
import { DEFAULT_PROFILE, GOLDEN_PROFILE } from '../docker/profiles.ts';
import type { Rng } from '../base/rng.ts';
import type { Scheduler } from './scheduler.ts';
import { startContainerProgram } from './programs.ts';

function ip4(s: string): number {
  const v = parseIp4(s);
  if (v === null) throw new Error(`bad address ${s}`);
  return v;
}

/** The switch and router of the lab's LAN, and the `lan$` machine of the transcripts. */
export class Lan {
  readonly ns: Netns;
  readonly fs: Vfs;
  readonly target: Target;
  private readonly bridge: number;
  private port = 0;

  constructor(
    readonly world: World,
    readonly profile: LabProfile,
  ) {
    this.ns = world.createNetns('lan');
    const br = this.ns.addLink({ name: 'br0', kind: 'bridge', mac: profile.lan.routerMac });
    this.bridge = br.ifindex;
    const net = parseCidr(profile.lan.subnet)!;
    this.ns.addAddr4(br.ifindex, ip4(profile.lan.routerIp), net.prefix);
    this.ns.setUp(br.ifindex, true);
    // The router's resolver knows no names (the recording's 192.168.100.1 answered NXDOMAIN).
    serveDns(this.ns, ip4(profile.lan.routerIp), (q) => ({ id: q.id, rcode: 'NXDOMAIN', records: [], authoritative: false }));
    this.fs = new Vfs(() => world.clock.now());
    for (const d of ['/root', '/tmp', '/etc']) this.fs.mkdir(d, { parents: true });
    debianRootSkeleton(this.fs);
    installProgramFiles(this.fs, 'gnu', 'all');
    this.fs.write('/etc/resolv.conf', `nameserver ${profile.lan.routerIp}\n`);
    this.fs.write('/etc/hosts', '127.0.0.1\tlocalhost\n');
    mountProcSys(this.fs, this.ns, () => world.clock.now());
    this.target = new Target({
      fs: this.fs,
      hostname: () => 'lan',
      userland: 'gnu',
      netns: this.ns,
      world,
      clock: world.clock,
      procs: new ProcessTable(500),
      tools: 'all',
    });
  }

  /** Plugs a host's `eth0` into the switch. */
  cable(host: Netns, spec: HostSpec): void {
    const n = ++this.port;
    // Made in the host and the far end moved into the switch, so eth0 is the host's ifindex 2.
    const pair = host.addVethPair(`lanp${n}`, 'eth0');
    host.moveLink(pair.link.ifindex, this.ns);
    const link = this.ns.linkByName(`lanp${n}`)!;
    const eth0 = host.linkByName('eth0')!;
    eth0.txqueuelen = 1000;
    if (spec.eth0.kind === 'nic') {
      // A host's NIC: an Ethernet device from the host's point of view (no peer shown).
      eth0.kind = 'ether';
      eth0.qdisc = 'pfifo_fast';
    }
    host.setMac(eth0.ifindex, spec.eth0.mac);
    this.ns.setMaster(link.ifindex, this.bridge);
    this.ns.setUp(link.ifindex, true);
    host.setUp(eth0.ifindex, true);
    host.addAddr4(eth0.ifindex, ip4(spec.eth0.ip), spec.eth0.prefix);
    host.addRoute({
      dst: 0,
      prefix: 0,
      gateway: ip4(spec.gateway),
      dev: eth0.ifindex,
      proto: 'boot',
      scope: 'global',
      src: null,
      metric: 0,
    });
  }
}

/** A Docker host: root namespace, root file system, process table and a shell target. */
export class HostMachine {
  readonly netns: Netns;
  readonly fs: Vfs;
  readonly procs: ProcessTable;
  readonly target: Target;
  readonly engine: DockerEngine;
  hostname: string;

  constructor(
    readonly world: World,
    readonly spec: HostSpec,
    lan: Lan,
    profile: LabProfile,
    rng: Rng,
    scheduler: Scheduler,
    opts: { replace?: HostMachine; emptyImageStore?: boolean } = {},
  ) {
    this.hostname = spec.name;
    // A fresh host takes the old one's place on the LAN: its namespace (and every link) goes.
    if (opts.replace) {
      opts.replace.engine.stop();
      world.destroyNetns(opts.replace.netns);
    }
    this.netns = world.createNetns(spec.name);
    lan.cable(this.netns, spec);
    const now = () => world.clock.now();
    this.fs = new Vfs(now);
    for (const d of ['/root', '/tmp', '/etc/docker', '/var/lib/docker/containers', '/var/log', '/usr/share'])
      this.fs.mkdir(d, { parents: true });
    debianRootSkeleton(this.fs);
    installProgramFiles(this.fs, 'gnu', 'all');
    for (const [path, content] of Object.entries(spec.files)) {
      this.fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', { parents: true });
      this.fs.write(path, content);
    }
    for (const [path, f] of Object.entries(spec.opaque ?? {}))
      this.fs.put(path, { kind: 'file', mode: 0o644, mtime: now(), data: '', size: f.size });
    mountProcSys(this.fs, this.netns, now);
    this.procs = new ProcessTable(1);
    this.procs.spawn({
      pid: 1,
      ppid: 0,
      cmdline: '/sbin/init',
      comm: 'systemd',
      user: 'root',
      started: now(),
      tty: '?',
      netnsId: this.netns.id,
    });
    this.procs.allocPid();
    this.target = new Target({
      fs: this.fs,
      hostname: () => this.hostname,
      userland: 'gnu',
      netns: this.netns,
      world,
      clock: world.clock,
      procs: this.procs,
      tools: 'all',
    });
    // Debian's docker.io: docker-proxy lives in /usr/sbin (golden `ps -ef`).
    this.engine = new DockerEngine({
      world,
      netns: this.netns,
      fs: this.fs,
      procs: this.procs,
      clock: world.clock,
      rng,
      hostname: () => this.hostname,
      // The course's images, or the recording's stand-ins (empty when the scenario builds the store).
      profile: (() => {
        const base = profile.images === 'golden' ? GOLDEN_PROFILE : DEFAULT_PROFILE;
        return opts.emptyImageStore ? { ...base, images: [] } : base;
      })(),
      stack: world.stack,
      startProgram: (rt) => startContainerProgram(rt, world, scheduler),
      installImage: (fs, img) => installProgramFiles(fs, img.userland, img.tools, img.programDir),
    });
    this.target.engine = this.engine;
  }
}
