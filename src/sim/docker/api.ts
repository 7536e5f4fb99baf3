/**
 * The Engine API (v1.41) as the docker CLI uses it, over the engine: the operations of
 * src/sim/shell/commands/docker/backend.ts (DockerBackend), implemented structurally here so the
 * shell layer can hold this object as its backend. Requests and answers are shaped like the
 * HTTP API's JSON; errors are DockerError with the daemon's text.
 */
import type { JsonValue } from './format/gojson.ts';
import { apiPorts, type ApiPort } from './format/ports.ts';
import { containerStatus } from './format/units.ts';
import { DockerError, notFound } from './errors.ts';
import type { DockerEngine } from './engine.ts';
import type { Container } from './model.ts';
import type { ImageData } from './images/types.ts';
import type { ContainerRuntime } from './env.ts';
import { inspectContainer, inspectImage, inspectNetwork } from './inspect.ts';
import { generateId } from './ids.ts';

export interface ApiCreateRequest {
  name: string;
  image: string;
  hostname: string;
  domainname: string;
  user: string;
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  workingDir: string;
  exposedPorts: string[];
  labels: Record<string, string>;
  tty: boolean;
  openStdin: boolean;
  macAddress: string;
  networkMode: string;
  portBindings: Map<string, { HostIp: string; HostPort: string }[]>;
  publishAllPorts: boolean;
  links: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  extraHosts: string[];
  restartPolicy: { Name: string; MaximumRetryCount: number };
  autoRemove: boolean;
  endpoint: { aliases: string[]; ipv4: string; ipv6: string; linkLocalIPs: string[] } | null;
}

export interface ApiNetworkCreateRequest {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  ipam: { driver: string; config: { Subnet?: string; IPRange?: string; Gateway?: string }[]; options: Record<string, string> };
  internal: boolean;
  attachable: boolean;
  enableIPv6: boolean;
}

export class DockerApi {
  constructor(readonly engine: DockerEngine) {}

  now(): number {
    return this.engine.env.clock.now();
  }

  // ---- system -----------------------------------------------------------------------------

  version(): Record<string, unknown> {
    return {
      Version: '20.10.24+dfsg1',
      ApiVersion: '1.41',
      MinAPIVersion: '1.12',
      GitCommit: '5d6db84',
      GoVersion: 'go1.19.8',
      Os: 'linux',
      Arch: 'amd64',
      Experimental: false,
      Components: [
        { Name: 'containerd', Version: '1.6.20~ds1', Details: { GitCommit: '1.6.20~ds1-1+deb12u3' } },
        { Name: 'runc', Version: '1.1.5+ds1', Details: { GitCommit: '1.1.5+ds1-1+deb12u1' } },
        { Name: 'docker-init', Version: '0.19.0', Details: { GitCommit: '' } },
      ],
    };
  }

  info(): Record<string, unknown> {
    const all = this.engine.listContainers(true);
    const running = all.filter((c) => c.running).length;
    return {
      Containers: all.length,
      ContainersRunning: running,
      ContainersPaused: 0,
      ContainersStopped: all.length - running,
      Images: this.engine.images.length,
      Name: this.engine.env.hostname(),
      ServerVersion: '20.10.24+dfsg1',
      DockerRootDir: '/var/lib/docker',
      Driver: 'overlay2',
      IPv4Forwarding: this.engine.env.netns.sysctls.ipForward,
      BridgeNfIptables: this.engine.env.netns.sysctls.bridgeNfCallIptables,
    };
  }

  // ---- containers -------------------------------------------------------------------------

  containerCreate(req: ApiCreateRequest): { id: string; warnings: string[] } {
    const warnings: string[] = [];
    const mode = req.networkMode || 'default';
    if (mode === 'host' && (req.portBindings.size || req.publishAllPorts))
      warnings.push('Published ports are discarded when using host network mode');
    const c = this.engine.createContainer({
      name: req.name || undefined,
      image: req.image,
      cmd: req.cmd ?? undefined,
      entrypoint: req.entrypoint === null ? undefined : req.entrypoint,
      env: req.env,
      hostname: req.hostname || undefined,
      domainname: req.domainname || undefined,
      tty: req.tty,
      openStdin: req.openStdin,
      workdir: req.workingDir || undefined,
      networkMode: mode,
      ip: req.endpoint?.ipv4 || undefined,
      aliases: req.endpoint?.aliases,
      links: req.links,
      portBindings: Object.fromEntries(req.portBindings),
      exposedPorts: req.exposedPorts,
      publishAll: req.publishAllPorts,
      dns: req.dns,
      dnsSearch: req.dnsSearch,
      dnsOptions: req.dnsOptions,
      extraHosts: req.extraHosts,
      restart: { name: req.restartPolicy.Name || 'no', max: req.restartPolicy.MaximumRetryCount },
      autoRemove: req.autoRemove,
      macAddress: req.macAddress || undefined,
      labels: req.labels,
    });
    return { id: c.id, warnings };
  }

  containerStart(ref: string): void {
    this.engine.startContainer(ref);
  }

  containerStop(ref: string, timeoutSec?: number): void {
    this.engine.stopContainer(ref, timeoutSec);
  }

  containerRestart(ref: string, timeoutSec?: number): void {
    void timeoutSec;
    this.engine.restartContainer(ref);
  }

  containerKill(ref: string, signal: string): void {
    void signal;
    this.engine.killContainer(ref);
  }

  containerRemove(ref: string, opts: { force: boolean; volumes: boolean; link: boolean }): void {
    this.engine.removeContainer(ref, { force: opts.force });
  }

  containerList(opts: { all: boolean }): {
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
    Mounts: string[];
  }[] {
    const e = this.engine;
    const all = e.listContainers(true);
    return e.listContainers(opts.all).map((c) => {
      const names = [`/${c.name}`];
      for (const p of all) for (const l of p.links) if (l.child === c) names.push(`/${p.name}/${l.alias}`);
      return {
        Id: c.id,
        Names: names,
        Image: c.imageRef,
        Command: [c.path, ...c.args].join(' '),
        Created: Math.floor(c.created / 1000),
        Ports: apiPorts(c.ports),
        Labels: c.config.Labels,
        State: c.status,
        Status: containerStatus({
          now: this.now(),
          running: c.running || c.status === 'restarting',
          restarting: c.status === 'restarting',
          exitCode: c.exitCode,
          startedAt: c.startedAt || null,
          finishedAt: c.finishedAt || null,
        }),
        Networks: [...c.networks.keys()],
        Mounts: [],
      };
    });
  }

  containerInspect(ref: string): Record<string, unknown> {
    // The daemon restarts containers in the background: one whose back-off has elapsed is running.
    this.engine.runDue();
    return inspectContainer(this.engine, this.engine.findContainer(ref)) as Record<string, unknown>;
  }

  containerLogs(ref: string): { stream: 'stdout' | 'stderr'; text: string; time: number }[] {
    return this.engine.findContainer(ref).logs.slice();
  }

  containerTop(ref: string, psArgs: string): { titles: string[]; processes: string[][] } {
    void psArgs;
    const c = this.engine.findContainer(ref);
    if (!c.running) throw new DockerError('conflict', `Container ${c.id} is not running`);
    const procs = this.engine.env.procs.list().filter((p) => p.container === c.id);
    return {
      titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
      processes: procs.map((p) => [p.user, String(p.pid), String(p.ppid), '0', hhmm(p.started), p.tty, '00:00:00', p.cmdline]),
    };
  }

  containerState(ref: string): { running: boolean; exitCode: number; removed: boolean } {
    const c = this.engine.tryContainer(ref);
    if (!c) return { running: false, exitCode: 0, removed: true };
    return { running: c.running, exitCode: c.exitCode, removed: c.removed };
  }

  /** The runtime of a running container for `docker exec` (throws like the daemon). */
  containerExec(ref: string, env: string[] = [], tty = false): ContainerRuntime {
    return this.engine.execTarget(ref, env, tty);
  }

  /** The runtime of a container's main process (for `docker run` attached / `start -a`). */
  containerRuntime(ref: string): ContainerRuntime {
    const c = this.engine.findContainer(ref);
    return this.engine.runtime(c);
  }

  // ---- networks ---------------------------------------------------------------------------

  networkList(): Record<string, unknown>[] {
    return this.engine.listNetworks().map((n) => inspectNetwork(this.engine, n) as Record<string, unknown>);
  }

  networkInspect(ref: string): Record<string, unknown> {
    let n;
    try {
      n = this.engine.findNetwork(ref);
    } catch (e) {
      if (e instanceof DockerError && e.kind === 'notfound') throw notFound(`network ${ref} not found`);
      throw e;
    }
    return inspectNetwork(this.engine, n) as Record<string, unknown>;
  }

  networkCreate(req: ApiNetworkCreateRequest): { id: string; warning: string } {
    const cfg = req.ipam.config;
    const n = this.engine.createNetwork({
      name: req.name,
      driver: req.driver || 'bridge',
      subnet: cfg.map((c) => c.Subnet).filter((x): x is string => !!x),
      gateway: cfg.map((c) => c.Gateway).filter((x): x is string => !!x),
      ipRange: cfg.map((c) => c.IPRange).filter((x): x is string => !!x),
      internal: req.internal,
      attachable: req.attachable,
      ipv6: req.enableIPv6,
      options: req.options,
      labels: req.labels,
    });
    return { id: n.id, warning: '' };
  }

  networkRemove(ref: string): void {
    this.engine.removeNetwork(ref);
  }

  networkConnect(
    net: string,
    container: string,
    cfg: { aliases: string[]; ipv4: string; ipv6: string; links: string[]; linkLocalIPs: string[]; driverOpts: Record<string, string> },
  ): void {
    this.engine.connect(net, container, { ip: cfg.ipv4 || undefined, aliases: cfg.aliases, links: cfg.links });
  }

  networkDisconnect(net: string, container: string, force: boolean): void {
    this.engine.disconnect(net, container, force);
  }

  networksPrune(): string[] {
    return this.engine.pruneNetworks();
  }

  // ---- images -----------------------------------------------------------------------------

  imageList(opts: {
    all: boolean;
  }): { Id: string; RepoTags: string[]; RepoDigests: string[]; Created: number; Size: number; ParentId: string }[] {
    void opts;
    return this.engine.images
      .map((i) => ({
        Id: `sha256:${i.id}`,
        RepoTags: [`${i.repo}:${i.tag}`],
        RepoDigests: [],
        Created: Math.floor(Date.parse(i.created) / 1000),
        Size: i.size,
        ParentId: i.parent ? `sha256:${i.parent}` : '',
      }))
      .reverse();
  }

  private image(ref: string): ImageData {
    const img = this.engine.findImage(ref);
    if (!img) throw notFound(`No such image: ${ref}`);
    return img;
  }

  imageInspect(ref: string): Record<string, unknown> {
    return inspectImage(this.image(ref)) as Record<string, unknown>;
  }

  imageHistory(ref: string): { Id: string; Created: number; CreatedBy: string; Size: number; Comment: string; Tags: string[] | null }[] {
    const img = this.image(ref);
    return [
      {
        Id: `sha256:${img.id}`,
        Created: Math.floor(Date.parse(img.created) / 1000),
        CreatedBy: '',
        Size: img.size,
        Comment: img.comment ?? '',
        Tags: [`${img.repo}:${img.tag}`],
      },
    ];
  }

  /** Pulls from the profile's registry: progress messages as the daemon streams them. */
  imagePull(ref: string): { id?: string; status: string; progress?: string }[] {
    const [repo, tag] = ref.includes(':') ? ref.split(':') : [ref, 'latest'];
    const reg = this.engine.env.profile.registry ?? this.engine.env.profile.images;
    const img = reg.find((i) => i.repo === repo && i.tag === tag);
    if (!img)
      throw notFound(
        `pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
      );
    const have = this.engine.findImage(`${repo}:${tag}`);
    const official = repo.includes('/') ? repo : `library/${repo}`;
    const digest = `sha256:${img.id.split('').reverse().join('')}`;
    if (have?.id === img.id)
      return [
        { id: tag, status: `Pulling from ${official}` },
        { status: `Digest: ${digest}` },
        { status: `Status: Image is up to date for ${repo}:${tag}` },
      ];
    const layers = Math.max(1, Math.min(7, Math.round(img.size / 40_000_000) + 1));
    const out: { id?: string; status: string }[] = [{ id: tag, status: `Pulling from ${official}` }];
    const ids = Array.from({ length: layers }, (_, i) => img.id.slice(i * 7, i * 7 + 12).padEnd(12, '0'));
    for (const id of ids) out.push({ id, status: 'Pulling fs layer' });
    for (const id of ids) out.push({ id, status: 'Pull complete' });
    out.push({ status: `Digest: ${digest}` }, { status: `Status: Downloaded newer image for ${repo}:${tag}` });
    this.engine.addImage(img);
    return out;
  }

  /** `docker import`: a root file system tarball the profile knows, with `--change` instructions. */
  imageImport(source: string, ref: string, changes: string[], message: string): string {
    const tars = this.engine.env.profile.rootfsTarballs ?? {};
    const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
    const base = Object.entries(tars).find(([path]) => source === path || baseName(source) === baseName(path))?.[1];
    if (!base) throw new DockerError('system', `open ${source}: no such file or directory`);
    const [repo, tag] = ref ? (ref.includes(':') ? ref.split(':') : [ref, 'latest']) : ['<none>', '<none>'];
    const img: ImageData = {
      ...base,
      repo,
      tag,
      id: generateId(this.engine.env.rng),
      created: new Date(this.now()).toISOString(),
      comment: message || 'Imported from -',
      exposed: [],
      cmd: null,
      entrypoint: null,
      env: null,
      workdir: '',
    };
    for (const ch of changes) {
      const m = /^(\w+)\s+(.*)$/.exec(ch.trim());
      if (!m) continue;
      const [, instr, arg] = m;
      const json = (): string[] => {
        try {
          return JSON.parse(arg) as string[];
        } catch {
          return ['/bin/sh', '-c', arg];
        }
      };
      switch (instr.toUpperCase()) {
        case 'CMD':
          img.cmd = json();
          break;
        case 'ENTRYPOINT':
          img.entrypoint = json();
          break;
        case 'EXPOSE':
          img.exposed = [...img.exposed, ...arg.split(/\s+/).map((p) => (p.includes('/') ? p : `${p}/tcp`))];
          break;
        case 'WORKDIR':
          img.workdir = arg;
          break;
        case 'ENV':
          img.env = [...(img.env ?? []), arg.includes('=') ? arg : arg.replace(/\s+/, '=')];
          break;
      }
    }
    this.engine.addImage(img);
    return `sha256:${img.id}`;
  }

  imageTag(source: string, target: string): void {
    const img = this.image(source);
    const [repo, tag] = target.includes(':') ? target.split(':') : [target, 'latest'];
    this.engine.addImage({ ...img, repo, tag });
  }

  imageRemove(ref: string, force: boolean): { Untagged?: string; Deleted?: string }[] {
    const img = this.image(ref);
    const user = this.engine.listContainers(true).find((c) => c.image.id === img.id);
    if (user && !force)
      throw new DockerError(
        'conflict',
        `conflict: unable to remove repository reference "${ref}" (must force) - container ${user.id.slice(0, 12)} is using its referenced image ${img.id.slice(0, 12)}`,
      );
    this.engine.removeImage(img);
    const still = this.engine.images.some((i) => i.id === img.id);
    return still ? [{ Untagged: `${img.repo}:${img.tag}` }] : [{ Untagged: `${img.repo}:${img.tag}` }, { Deleted: `sha256:${img.id}` }];
  }

  /** Raw JSON for `docker inspect` of either kind (containers first, then images, then networks). */
  inspectAny(ref: string): JsonValue {
    this.engine.runDue();
    const c = this.engine.tryContainer(ref);
    if (c) return inspectContainer(this.engine, c);
    const img = this.engine.findImage(ref);
    if (img) return inspectImage(img);
    return inspectNetwork(this.engine, this.engine.findNetwork(ref));
  }

  /** For snapshots and the topology view. */
  containers(all = true): Container[] {
    return this.engine.listContainers(all);
  }
}

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
