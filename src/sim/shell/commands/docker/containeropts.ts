/**
 * The container options of `docker run` and `docker create` (docker/cli v20.10.24
 * cli/command/container/opts.go addFlags — every flag, so that unknown-flag errors and
 * `--help` match) and their conversion into the create request (opts.go parse,
 * parseNetworkOpts), with the CLI-side validation texts.
 */
import type { FlagDef, ParsedFlags } from '../../../docker/format/flags.ts';
import { isIP, parseExpose, parsePortSpecs, PortSpecError } from '../../../docker/format/ports.ts';

/** opts.ValidateIPAddress: `x is not an ip address`. */
export function validateIP(v: string): string | null {
  return isIP(v.trim()) ? null : `${v} is not an ip address`;
}

/** opts.ValidateExtraHost. */
export function validateExtraHost(v: string): string | null {
  const i = v.indexOf(':');
  if (i <= 0) return `bad format for add-host: ${JSON.stringify(v)}`;
  const ip = v.slice(i + 1);
  if (ip !== 'host-gateway' && !isIP(ip.trim())) return `invalid IP address in add-host: ${JSON.stringify(ip)}`;
  return null;
}

/** opts.ValidateEnv. */
export function validateEnv(v: string): string | null {
  return v.split('=')[0] === '' ? `invalid environment variable: ${v}` : null;
}

/** opts.ValidateLabel. */
export function validateLabel(v: string): string | null {
  const key = v.split('=')[0].replace(/^[ \t\n\r\v\f]+/, '');
  if (key === '') return `invalid label '${v}': empty name`;
  if (/[ \t\n\r\v\f]/.test(key)) return `label '${key}' contains whitespaces`;
  return null;
}

/** opts.ValidateLink (ParseLink). */
export function validateLink(v: string): string | null {
  if (v === '') return 'empty string specified for links';
  if (v.split(':').length > 2) return `bad format for links: ${v}`;
  return null;
}

/** opts.ValidateDNSSearch. */
export function validateDNSSearch(v: string): string | null {
  const t = v.replace(/^ +| +$/g, '');
  if (t === '.') return null;
  if (!/[a-zA-Z]/.test(t)) return `${t} is not a valid domain`;
  const m =
    /^(:?(?:[a-zA-Z0-9]|(?:[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))(:?\.(?:[a-zA-Z0-9]|(?:[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])))*)\.?\s*$/.exec(
      t,
    );
  if (m && m[1].length < 255) return null;
  return `${t} is not a valid domain`;
}

/** addFlags of opts.go, in its order. */
export const CONTAINER_FLAGS: FlagDef[] = [
  { name: 'attach', kind: 'list', usage: 'Attach to STDIN, STDOUT or STDERR', short: 'a', typeName: 'list' },
  { name: 'device-cgroup-rule', kind: 'list', usage: 'Add a rule to the cgroup allowed devices list', typeName: 'list' },
  { name: 'device', kind: 'list', usage: 'Add a host device to the container', typeName: 'list' },
  { name: 'gpus', kind: 'list', usage: "GPU devices to add to the container ('all' to pass all GPUs)", typeName: 'gpu-request' },
  { name: 'env', kind: 'list', usage: 'Set environment variables', short: 'e', typeName: 'list', validate: validateEnv },
  { name: 'env-file', kind: 'list', usage: 'Read in a file of environment variables', typeName: 'list' },
  { name: 'entrypoint', kind: 'string', usage: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'group-add', kind: 'list', usage: 'Add additional groups to join', typeName: 'list' },
  { name: 'hostname', kind: 'string', usage: 'Container host name', short: 'h' },
  { name: 'domainname', kind: 'string', usage: 'Container NIS domain name' },
  { name: 'interactive', kind: 'bool', usage: 'Keep STDIN open even if not attached', short: 'i' },
  { name: 'label', kind: 'list', usage: 'Set meta data on a container', short: 'l', typeName: 'list', validate: validateLabel },
  { name: 'label-file', kind: 'list', usage: 'Read in a line delimited file of labels', typeName: 'list' },
  { name: 'read-only', kind: 'bool', usage: "Mount the container's root filesystem as read only" },
  { name: 'restart', kind: 'string', usage: 'Restart policy to apply when a container exits', defValue: 'no' },
  { name: 'stop-signal', kind: 'string', usage: 'Signal to stop a container', defValue: 'SIGTERM' },
  { name: 'stop-timeout', kind: 'int', usage: 'Timeout (in seconds) to stop a container', typeName: 'int' },
  { name: 'sysctl', kind: 'list', usage: 'Sysctl options', typeName: 'map' },
  { name: 'tty', kind: 'bool', usage: 'Allocate a pseudo-TTY', short: 't' },
  { name: 'ulimit', kind: 'list', usage: 'Ulimit options', typeName: 'ulimit' },
  { name: 'user', kind: 'string', usage: 'Username or UID (format: <name|uid>[:<group|gid>])', short: 'u' },
  { name: 'workdir', kind: 'string', usage: 'Working directory inside the container', short: 'w' },
  { name: 'rm', kind: 'bool', usage: 'Automatically remove the container when it exits' },
  { name: 'cap-add', kind: 'list', usage: 'Add Linux capabilities', typeName: 'list' },
  { name: 'cap-drop', kind: 'list', usage: 'Drop Linux capabilities', typeName: 'list' },
  { name: 'privileged', kind: 'bool', usage: 'Give extended privileges to this container' },
  { name: 'security-opt', kind: 'list', usage: 'Security Options', typeName: 'list' },
  { name: 'userns', kind: 'string', usage: 'User namespace to use' },
  {
    name: 'cgroupns',
    kind: 'string',
    usage:
      "Cgroup namespace to use (host|private)\n'host':    Run the container in the Docker host's cgroup namespace\n'private': Run the container in its own private cgroup namespace\n'':        Use the cgroup namespace as configured by the\n           default-cgroupns-mode option on the daemon (default)",
  },
  { name: 'add-host', kind: 'list', usage: 'Add a custom host-to-IP mapping (host:ip)', typeName: 'list', validate: validateExtraHost },
  { name: 'dns', kind: 'list', usage: 'Set custom DNS servers', typeName: 'list', validate: validateIP },
  { name: 'dns-opt', kind: 'list', usage: 'Set DNS options', typeName: 'list', hidden: true },
  { name: 'dns-option', kind: 'list', usage: 'Set DNS options', typeName: 'list' },
  { name: 'dns-search', kind: 'list', usage: 'Set custom DNS search domains', typeName: 'list', validate: validateDNSSearch },
  { name: 'expose', kind: 'list', usage: 'Expose a port or a range of ports', typeName: 'list' },
  { name: 'ip', kind: 'string', usage: 'IPv4 address (e.g., 172.30.100.104)' },
  { name: 'ip6', kind: 'string', usage: 'IPv6 address (e.g., 2001:db8::33)' },
  { name: 'link', kind: 'list', usage: 'Add link to another container', typeName: 'list', validate: validateLink },
  { name: 'link-local-ip', kind: 'list', usage: 'Container IPv4/IPv6 link-local addresses', typeName: 'list' },
  { name: 'mac-address', kind: 'string', usage: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' },
  { name: 'publish', kind: 'list', usage: "Publish a container's port(s) to the host", short: 'p', typeName: 'list' },
  { name: 'publish-all', kind: 'bool', usage: 'Publish all exposed ports to random ports', short: 'P' },
  { name: 'net', kind: 'list', usage: 'Connect a container to a network', typeName: 'network', hidden: true },
  { name: 'network', kind: 'list', usage: 'Connect a container to a network', typeName: 'network' },
  { name: 'net-alias', kind: 'list', usage: 'Add network-scoped alias for the container', typeName: 'list', hidden: true },
  { name: 'network-alias', kind: 'list', usage: 'Add network-scoped alias for the container', typeName: 'list' },
  { name: 'log-driver', kind: 'string', usage: 'Logging driver for the container' },
  { name: 'volume-driver', kind: 'string', usage: 'Optional volume driver for the container' },
  { name: 'log-opt', kind: 'list', usage: 'Log driver options', typeName: 'list' },
  { name: 'storage-opt', kind: 'list', usage: 'Storage driver options for the container', typeName: 'list' },
  { name: 'tmpfs', kind: 'list', usage: 'Mount a tmpfs directory', typeName: 'list' },
  { name: 'volumes-from', kind: 'list', usage: 'Mount volumes from the specified container(s)', typeName: 'list' },
  { name: 'volume', kind: 'list', usage: 'Bind mount a volume', short: 'v', typeName: 'list' },
  { name: 'mount', kind: 'list', usage: 'Attach a filesystem mount to the container', typeName: 'mount' },
  { name: 'health-cmd', kind: 'string', usage: 'Command to run to check health' },
  { name: 'health-interval', kind: 'duration', usage: 'Time between running the check (ms|s|m|h) (default 0s)' },
  { name: 'health-retries', kind: 'int', usage: 'Consecutive failures needed to report unhealthy', typeName: 'int' },
  { name: 'health-timeout', kind: 'duration', usage: 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' },
  {
    name: 'health-start-period',
    kind: 'duration',
    usage: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)',
  },
  { name: 'no-healthcheck', kind: 'bool', usage: 'Disable any container-specified HEALTHCHECK' },
  {
    name: 'blkio-weight',
    kind: 'uint',
    usage: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)',
    typeName: 'uint16',
  },
  { name: 'blkio-weight-device', kind: 'list', usage: 'Block IO weight (relative device weight)', typeName: 'list' },
  { name: 'cidfile', kind: 'string', usage: 'Write the container ID to the file' },
  { name: 'cpuset-cpus', kind: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
  { name: 'cpuset-mems', kind: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
  { name: 'cpu-count', kind: 'int', usage: 'CPU count (Windows only)', typeName: 'int', hidden: true },
  { name: 'cpu-percent', kind: 'int', usage: 'CPU percent (Windows only)', typeName: 'int', hidden: true },
  { name: 'cpu-period', kind: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) period', typeName: 'int' },
  { name: 'cpu-quota', kind: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) quota', typeName: 'int' },
  { name: 'cpu-rt-period', kind: 'int', usage: 'Limit CPU real-time period in microseconds', typeName: 'int' },
  { name: 'cpu-rt-runtime', kind: 'int', usage: 'Limit CPU real-time runtime in microseconds', typeName: 'int' },
  { name: 'cpu-shares', kind: 'int', usage: 'CPU shares (relative weight)', short: 'c', typeName: 'int' },
  { name: 'cpus', kind: 'list', usage: 'Number of CPUs', typeName: 'decimal' },
  { name: 'device-read-bps', kind: 'list', usage: 'Limit read rate (bytes per second) from a device', typeName: 'list' },
  { name: 'device-read-iops', kind: 'list', usage: 'Limit read rate (IO per second) from a device', typeName: 'list' },
  { name: 'device-write-bps', kind: 'list', usage: 'Limit write rate (bytes per second) to a device', typeName: 'list' },
  { name: 'device-write-iops', kind: 'list', usage: 'Limit write rate (IO per second) to a device', typeName: 'list' },
  {
    name: 'io-maxbandwidth',
    kind: 'list',
    usage: 'Maximum IO bandwidth limit for the system drive (Windows only)',
    typeName: 'bytes',
    hidden: true,
  },
  { name: 'io-maxiops', kind: 'uint', usage: 'Maximum IOps limit for the system drive (Windows only)', typeName: 'uint', hidden: true },
  { name: 'kernel-memory', kind: 'list', usage: 'Kernel memory limit', typeName: 'bytes' },
  { name: 'memory', kind: 'list', usage: 'Memory limit', short: 'm', typeName: 'bytes' },
  { name: 'memory-reservation', kind: 'list', usage: 'Memory soft limit', typeName: 'bytes' },
  { name: 'memory-swap', kind: 'list', usage: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", typeName: 'bytes' },
  { name: 'memory-swappiness', kind: 'int', usage: 'Tune container memory swappiness (0 to 100)', typeName: 'int', defValue: '-1' },
  { name: 'oom-kill-disable', kind: 'bool', usage: 'Disable OOM Killer' },
  { name: 'oom-score-adj', kind: 'int', usage: "Tune host's OOM preferences (-1000 to 1000)", typeName: 'int' },
  { name: 'pids-limit', kind: 'int', usage: 'Tune container pids limit (set -1 for unlimited)', typeName: 'int' },
  { name: 'cgroup-parent', kind: 'string', usage: 'Optional parent cgroup for the container' },
  { name: 'ipc', kind: 'string', usage: 'IPC mode to use' },
  { name: 'isolation', kind: 'string', usage: 'Container isolation technology' },
  { name: 'pid', kind: 'string', usage: 'PID namespace to use' },
  { name: 'shm-size', kind: 'list', usage: 'Size of /dev/shm', typeName: 'bytes' },
  { name: 'uts', kind: 'string', usage: 'UTS namespace to use' },
  { name: 'runtime', kind: 'string', usage: 'Runtime to use for this container' },
  { name: 'init', kind: 'bool', usage: 'Run an init inside the container that forwards signals and reaps processes' },
];

/** Flags `docker run` adds (run.go NewRunCommand). */
export const RUN_FLAGS: FlagDef[] = [
  { name: 'detach', short: 'd', kind: 'bool', usage: 'Run container in background and print container ID' },
  { name: 'sig-proxy', kind: 'bool', usage: 'Proxy received signals to the process', defValue: 'true' },
  { name: 'name', kind: 'string', usage: 'Assign a name to the container' },
  { name: 'detach-keys', kind: 'string', usage: 'Override the key sequence for detaching a container' },
  { name: 'pull', kind: 'string', usage: 'Pull image before running ("always"|"missing"|"never")', defValue: 'missing' },
  { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable', hidden: true },
  { name: 'disable-content-trust', kind: 'bool', usage: 'Skip image verification', defValue: 'true' },
  ...CONTAINER_FLAGS,
];

/** Flags `docker create` adds (create.go NewCreateCommand). */
export const CREATE_FLAGS: FlagDef[] = [
  { name: 'name', kind: 'string', usage: 'Assign a name to the container' },
  { name: 'pull', kind: 'string', usage: 'Pull image before creating ("always"|"missing"|"never")', defValue: 'missing' },
  { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable', hidden: true },
  { name: 'disable-content-trust', kind: 'bool', usage: 'Skip image verification', defValue: 'true' },
  ...CONTAINER_FLAGS,
];

/** POST /containers/create body (container.Config + HostConfig + NetworkingConfig), as the CLI fills it. */
export interface CreateRequest {
  name: string;
  image: string;
  /** Config */
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
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  stdinOnce: boolean;
  macAddress: string;
  /** HostConfig */
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
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  /** NetworkingConfig.EndpointsConfig for the network of --network (aliases, --ip, links). */
  endpoint: { aliases: string[]; ipv4: string; ipv6: string; linkLocalIPs: string[] } | null;
}

/** A CLI-side error of opts.go parse (printed as `docker: <msg>.` + See line, exit 125). */
export class OptsError extends Error {}

const isUserDefined = (mode: string): boolean =>
  !(mode === 'default' || mode === 'bridge' || mode === 'host' || mode === 'none' || mode.startsWith('container:'));

/** opts.ParseRestartPolicy. */
function parseRestartPolicy(policy: string): { Name: string; MaximumRetryCount: number } {
  if (policy === '') return { Name: '', MaximumRetryCount: 0 };
  const parts = policy.split(':');
  if (parts.length > 2) throw new OptsError('invalid restart policy format');
  let count = 0;
  if (parts.length === 2) {
    if (!/^[+-]?\d+$/.test(parts[1])) throw new OptsError('maximum retry count must be an integer');
    count = Number(parts[1]);
  }
  return { Name: parts[0], MaximumRetryCount: count };
}

/**
 * opts.go parse(): flags and positional arguments into the create request.
 * `cliEnv` resolves `-e NAME` without a value from the CLI's own environment.
 */
export function buildCreateRequest(f: ParsedFlags, args: string[], cliEnv: Map<string, string>): CreateRequest {
  const attach = f.list('attach').map((a) => a.toLowerCase());
  let attachStdin = attach.includes('stdin');
  let attachStdout = attach.includes('stdout');
  let attachStderr = attach.includes('stderr');
  const stdin = f.bool('interactive');
  if (stdin) attachStdin = true;
  if (attach.length === 0) {
    attachStdout = true;
    attachStderr = true;
  }
  const mac = f.str('mac-address');
  if (mac !== '' && !/^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(mac)) throw new OptsError(`${mac} is not a valid mac address`);
  const swappiness = f.num('memory-swappiness', -1);
  if (swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
    throw new OptsError(`invalid value: ${swappiness}. Valid memory swappiness range is 0-100`);
  }
  const [image, ...cmdArgs] = args;
  const cmd = cmdArgs.length ? cmdArgs : null;
  let entrypoint: string[] | null = null;
  if (f.str('entrypoint') !== '') entrypoint = [f.str('entrypoint')];
  else if (f.has('entrypoint')) entrypoint = [''];

  // ports
  const publish: string[] = [];
  for (const p of f.list('publish')) {
    if (p.includes('=')) {
      const params: Record<string, string> = { protocol: 'tcp' };
      for (const param of p.split(',')) {
        const opt = param.split('=');
        if (opt.length < 2) throw new OptsError(`invalid publish opts format (should be name=value but got '${param}')`);
        params[opt[0]] = opt[1];
      }
      publish.push(`${params['published'] ?? ''}:${params['target'] ?? ''}/${params['protocol']}`);
    } else publish.push(p);
  }
  let parsedPorts: ReturnType<typeof parsePortSpecs>;
  try {
    parsedPorts = parsePortSpecs(publish);
    for (const e of f.list('expose')) {
      for (const p of parseExpose(e)) if (!parsedPorts.exposed.includes(p)) parsedPorts.exposed.push(p);
    }
  } catch (e) {
    if (e instanceof PortSpecError) throw new OptsError(e.message);
    throw e;
  }

  // env: -e NAME takes the CLI's value when set
  const env = f.list('env').map((e) => (e.includes('=') ? e : cliEnv.has(e) ? `${e}=${cliEnv.get(e)}` : e));
  const labels: Record<string, string> = {};
  for (const l of f.list('label')) {
    const i = l.indexOf('=');
    labels[i >= 0 ? l.slice(0, i) : l] = i >= 0 ? l.slice(i + 1) : '';
  }
  const restart = parseRestartPolicy(f.str('restart') || 'no');
  const autoRemove = f.bool('rm');
  if (autoRemove && !(restart.Name === '' || restart.Name === 'no')) throw new OptsError('Conflicting options: --restart and --rm');

  // networks: --net and --network share one option; the first gives NetworkMode
  const nets = [...f.list('net'), ...f.list('network')];
  const networkMode = nets[0] ?? 'default';
  const aliases = [...f.list('net-alias'), ...f.list('network-alias')];
  const links = f.list('link');
  const ipv4 = f.str('ip');
  const ipv6 = f.str('ip6');
  const linkLocal = f.list('link-local-ip');
  let endpoint: CreateRequest['endpoint'] = null;
  for (let i = 0; i < nets.length; i++) {
    const target = nets[i];
    if (i === 0) {
      if (!isUserDefined(target)) {
        if (aliases.length > 0) throw new OptsError('network-scoped aliases are only supported for user-defined networks');
        if (links.length > 0) throw new OptsError('links are only supported for user-defined networks');
      }
      if (aliases.length || ipv4 || ipv6 || linkLocal.length) endpoint = { aliases, ipv4, ipv6, linkLocalIPs: linkLocal };
    }
  }
  if (nets.length > 1) {
    const seen = new Set<string>();
    let user = false;
    let nonUser = false;
    for (const n of nets) {
      if (seen.has(n)) throw new OptsError(`network ${JSON.stringify(n)} is specified multiple times`);
      seen.add(n);
      if (isUserDefined(n)) user = true;
      else nonUser = true;
    }
    if (user && nonUser) throw new OptsError('conflicting options: cannot attach both user-defined and non-user-defined network-modes');
  }

  return {
    name: f.str('name'),
    image: image ?? '',
    hostname: f.str('hostname'),
    domainname: f.str('domainname'),
    user: f.str('user'),
    env,
    cmd,
    entrypoint,
    workingDir: f.str('workdir'),
    exposedPorts: parsedPorts.exposed,
    labels,
    tty: f.bool('tty'),
    openStdin: stdin,
    attachStdin,
    attachStdout,
    attachStderr,
    stdinOnce: stdin && attachStdin,
    macAddress: mac,
    networkMode,
    portBindings: parsedPorts.bindings,
    publishAllPorts: f.bool('publish-all'),
    links,
    dns: f.list('dns'),
    dnsSearch: f.list('dns-search'),
    dnsOptions: [...f.list('dns-opt'), ...f.list('dns-option')],
    extraHosts: f.list('add-host'),
    restartPolicy: restart,
    autoRemove,
    privileged: f.bool('privileged'),
    capAdd: f.list('cap-add'),
    capDrop: f.list('cap-drop'),
    endpoint,
  };
}
