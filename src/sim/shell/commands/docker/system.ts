/**
 * `docker version` (cli/command/system/version.go: its template through
 * tabwriter.NewWriter(out, 20, 1, 1, ' ', 0)) and `docker info` (info.go prettyPrintInfo).
 * The client's own build data depends on the package the profile installs: Debian's
 * docker.io 20.10.24+dfsg1 (golden machine) or docker-ce 20.10.24 (course profile).
 */
import type { CommandContext } from '../../interp.ts';
import type { DockerApi } from '../../../docker/api.ts';
import type { CommandDef } from '../../../docker/format/flags.ts';
import { tabwrite } from '../../../docker/format/tabwriter.ts';
import { bytesSize } from '../../../docker/format/units.ts';
import { parse as parseTemplate, TemplateError } from '../../../docker/format/gotemplate.ts';
import { NO_DAEMON, parseCommand } from './util.ts';

interface ClientBuild {
  Version: string;
  GoVersion: string;
  GitCommit: string;
  BuildTime: string;
  EngineBuildTime: string;
}

const CLIENTS: Record<string, ClientBuild> = {
  golden: {
    Version: '20.10.24+dfsg1',
    GoVersion: 'go1.19.8',
    GitCommit: '297e128',
    BuildTime: 'Thu May  7 21:09:36 2026',
    EngineBuildTime: 'Thu May  7 21:09:36 2026',
  },
  course: {
    Version: '20.10.24',
    GoVersion: 'go1.19.7',
    GitCommit: '297e128',
    BuildTime: 'Tue Apr  4 18:21:00 2023',
    EngineBuildTime: 'Tue Apr  4 18:18:29 2023',
  },
};

function clientBuild(api: DockerApi | null): ClientBuild {
  return CLIENTS[api?.engine.env.profile.name ?? 'course'] ?? CLIENTS.course;
}

export const SYSTEM_DEFS: Record<string, CommandDef> = {
  version: {
    path: 'docker version',
    use: '[OPTIONS]',
    short: 'Show the Docker version information',
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format the output using the given Go template' },
      { name: 'kubeconfig', kind: 'string', usage: 'Kubernetes config file', hidden: true },
    ],
    args: { none: true },
  },
  info: {
    path: 'docker info',
    use: '[OPTIONS]',
    short: 'Display system-wide information',
    flags: [{ name: 'format', short: 'f', kind: 'string', usage: 'Format the output using the given Go template' }],
    args: { none: true },
  },
};

export function runVersion(ctx: CommandContext, api: DockerApi | null, argv: string[]): number {
  const p = parseCommand(ctx, SYSTEM_DEFS.version, argv);
  if (typeof p === 'number') return p;
  const cb = clientBuild(api);
  const client = {
    Platform: { Name: '' },
    Version: cb.Version,
    ApiVersion: '1.41',
    GitCommit: cb.GitCommit,
    GoVersion: cb.GoVersion,
    Os: 'linux',
    Arch: 'amd64',
    BuildTime: cb.BuildTime,
    Context: 'default',
    Experimental: true,
  };
  const running = api?.engine.running ?? false;
  const sv = running && api ? api.version() : null;
  if (p.str('format')) {
    try {
      const t = parseTemplate(p.str('format'));
      ctx.stdout.write(t.execute({ Client: client, Server: sv }, { structs: true }) + '\n');
    } catch (e) {
      if (e instanceof TemplateError) {
        ctx.stderr.write(`template: ${e.message.replace(/^template: /, '')}\n`);
        return 64;
      }
      throw e;
    }
    return running ? 0 : 1;
  }
  let text =
    'Client:\n' +
    ` Version:\t${client.Version}\n API version:\t${client.ApiVersion}\n Go version:\t${client.GoVersion}\n Git commit:\t${client.GitCommit}\n` +
    ` Built:\t${client.BuildTime}\n OS/Arch:\t${client.Os}/${client.Arch}\n Context:\t${client.Context}\n Experimental:\t${client.Experimental}`;
  if (sv) {
    text +=
      '\n\nServer:\n Engine:\n' +
      `  Version:\t${sv.Version}\n  API version:\t${sv.ApiVersion} (minimum version ${sv.MinAPIVersion})\n  Go version:\t${sv.GoVersion}\n` +
      `  Git commit:\t${sv.GitCommit}\n  Built:\t${cb.EngineBuildTime}\n  OS/Arch:\t${sv.Os}/${sv.Arch}\n  Experimental:\t${sv.Experimental}`;
    for (const comp of (sv.Components as { Name: string; Version: string; Details: Record<string, string> }[]) ?? []) {
      text += `\n ${comp.Name}:\n  Version:\t${comp.Version}`;
      for (const [k, v] of Object.entries(comp.Details)) text += `\n  ${k}:\t${v}`;
    }
  }
  ctx.stdout.write(tabwrite(text + '\n', { minwidth: 20, tabwidth: 1, padding: 1, padchar: ' ' }));
  if (!sv) {
    ctx.stderr.write(NO_DAEMON + '\n');
    return 1;
  }
  return 0;
}

function hostFile(ctx: CommandContext, path: string): string | null {
  return ctx.target.fs.tryRead(path);
}

export function runInfo(ctx: CommandContext, api: DockerApi | null, argv: string[]): number {
  const p = parseCommand(ctx, SYSTEM_DEFS.info, argv);
  if (typeof p === 'number') return p;
  const out: string[] = ['Client:', ' Context:    default', ' Debug Mode: false', '', 'Server:'];
  if (!api || !api.engine.running) {
    ctx.stdout.write(out.join('\n') + '\n');
    ctx.stdout.write(`ERROR: ${NO_DAEMON}\nerrors pretty printing info\n`);
    return 1;
  }
  const i = api.info();
  const cb = clientBuild(api);
  const comps = (api.version().Components as { Name: string; Details: Record<string, string> }[]) ?? [];
  const commitOf = (n: string): string => comps.find((c) => c.Name === n)?.Details.GitCommit ?? '';
  const osRelease = hostFile(ctx, '/etc/os-release') ?? '';
  const pretty = /PRETTY_NAME="([^"]*)"/.exec(osRelease)?.[1] ?? 'Linux';
  // The host's own facts, from its files: kernel release, memory, and whether dockerd itself
  // runs in a container (operatingsystem.IsContainerized: /.dockerenv and friends).
  const kernel = (hostFile(ctx, '/proc/sys/kernel/osrelease') ?? '').trim() || '5.15.0-91-generic';
  const memKb = Number(/MemTotal:\s+(\d+) kB/.exec(hostFile(ctx, '/proc/meminfo') ?? '')?.[1] ?? 4009080);
  const memTotal = memKb * 1024;
  const containerized = ctx.target.fs.exists('/.dockerenv') || ctx.target.fs.exists('/run/.containerenv');
  const cfg = api.engine.config as { liveRestore?: boolean };
  if (p.str('format')) {
    // types.Info fields for `docker info --format` (the ones this lab knows).
    const info = {
      ID: daemonId(ctx, api),
      Containers: i.Containers,
      ContainersRunning: i.ContainersRunning,
      ContainersPaused: i.ContainersPaused,
      ContainersStopped: i.ContainersStopped,
      Images: i.Images,
      Driver: 'overlay2',
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      CgroupVersion: '1',
      IPv4Forwarding: i.IPv4Forwarding,
      BridgeNfIptables: i.BridgeNfIptables,
      KernelVersion: kernel,
      OperatingSystem: `${pretty}${containerized ? ' (containerized)' : ''}`,
      OSType: 'linux',
      Architecture: 'x86_64',
      NCPU: 2,
      MemTotal: memTotal,
      DockerRootDir: i.DockerRootDir,
      Name: i.Name,
      ServerVersion: i.ServerVersion ?? cb.Version,
      DefaultRuntime: 'runc',
      LiveRestoreEnabled: !!cfg.liveRestore,
      Swarm: { LocalNodeState: 'inactive' },
    };
    try {
      ctx.stdout.write(parseTemplate(p.str('format')).execute(info, { structs: true }) + '\n');
      return 0;
    } catch (e) {
      if (e instanceof TemplateError) {
        ctx.stderr.write(`template: ${e.message.replace(/^template: /, '')}\n`);
        return 64;
      }
      throw e;
    }
  }
  out.push(
    ` Containers: ${i.Containers}`,
    `  Running: ${i.ContainersRunning}`,
    `  Paused: ${i.ContainersPaused}`,
    `  Stopped: ${i.ContainersStopped}`,
    ` Images: ${i.Images}`,
    ` Server Version: ${i.ServerVersion ?? cb.Version}`,
    ' Storage Driver: overlay2',
    '  Backing Filesystem: extfs',
    '  Supports d_type: true',
    '  Native Overlay Diff: true',
    '  userxattr: false',
    ' Logging Driver: json-file',
    ' Cgroup Driver: cgroupfs',
    ' Cgroup Version: 1',
    ' Plugins:',
    '  Volume: local',
    '  Network: bridge host ipvlan macvlan null overlay',
    '  Log: awslogs fluentd gcplogs gelf journald json-file local logentries splunk syslog',
    ' Swarm: inactive',
    ' Runtimes: io.containerd.runc.v2 io.containerd.runtime.v1.linux runc',
    ' Default Runtime: runc',
    ' Init Binary: docker-init',
    ` containerd version: ${commitOf('containerd')}`,
    ` runc version: ${commitOf('runc')}`,
    ` init version: ${commitOf('docker-init')}`,
    ' Security Options:',
    '  seccomp',
    '   Profile: default',
    ` Kernel Version: ${kernel}`,
    ` Operating System: ${pretty}${containerized ? ' (containerized)' : ''}`,
    ' OSType: linux',
    ' Architecture: x86_64',
    ' CPUs: 2',
    ` Total Memory: ${bytesSize(memTotal)}`,
    ` Name: ${i.Name}`,
    ` ID: ${daemonId(ctx, api)}`,
    ` Docker Root Dir: ${i.DockerRootDir}`,
    ' Debug Mode: false',
    ' Registry: https://index.docker.io/v1/',
    ' Labels:',
    ' Experimental: false',
    ' Insecure Registries:',
    '  127.0.0.0/8',
    ` Live Restore Enabled: ${cfg.liveRestore ? 'true' : 'false'}`,
    '',
  );
  ctx.stdout.write(out.join('\n') + '\n');
  const warnings: string[] = [];
  if (!i.IPv4Forwarding) warnings.push('WARNING: IPv4 forwarding is disabled');
  if (!i.BridgeNfIptables) warnings.push('WARNING: bridge-nf-call-iptables is disabled');
  if (warnings.length) ctx.stderr.write(warnings.join('\n') + '\n');
  return 0;
}

/**
 * The daemon's ID: the key id of its trust key (/etc/docker/key.json `kid`, 12 base32 groups
 * of 4). Without that file, a stable one derived from the host name.
 */
function daemonId(ctx: CommandContext, api: DockerApi): string {
  const kid = /"kid"\s*:\s*"([A-Z2-7:]+)"/.exec(hostFile(ctx, '/etc/docker/key.json') ?? '')?.[1];
  if (kid) return kid;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let h = 0x811c9dc5;
  let s = '';
  for (let g = 0; g < 12; g++) {
    if (g) s += ':';
    for (let k = 0; k < 4; k++) {
      for (const ch of api.engine.env.hostname() + g + k) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      s += alphabet[h % 32];
    }
  }
  return s;
}
