/**
 * Daemon options that shape networking, from dockerd's flags (cmd/dockerd/config*.go) and
 * /etc/docker/daemon.json (daemon/config/config.go: a key given both ways is an error).
 */
import { parseCidr } from '../net/ip.ts';
import type { PoolSpec } from './ipam.ts';

export interface DaemonConfig {
  bip: string | null;
  fixedCidr: string | null;
  mtu: number;
  icc: boolean;
  ipMasq: boolean;
  iptables: boolean;
  ipForward: boolean;
  bridge: string | null;
  dns: string[];
  dnsSearch: string[];
  dnsOpts: string[];
  defaultAddressPools: PoolSpec[] | null;
  userlandProxy: boolean;
  /** --ip: the default host IP for published ports. */
  ip: string;
}

export const defaultConfig = (): DaemonConfig => ({
  bip: null,
  fixedCidr: null,
  mtu: 1500,
  icc: true,
  ipMasq: true,
  iptables: true,
  ipForward: true,
  bridge: null,
  dns: [],
  dnsSearch: [],
  dnsOpts: [],
  defaultAddressPools: null,
  userlandProxy: true,
  ip: '0.0.0.0',
});

type Key = keyof DaemonConfig;

/** flag name → config key; `bool` flags accept `--x`, `--x=true|false`. */
const FLAGS: Record<string, { key: Key | null; kind: 'string' | 'bool' | 'int' | 'list' | 'pool' }> = {
  // Accepted and not modelled (they do not change networking): the unit file's usual flags.
  H: { key: null, kind: 'list' },
  host: { key: null, kind: 'list' },
  containerd: { key: null, kind: 'string' },
  'data-root': { key: null, kind: 'string' },
  'log-level': { key: null, kind: 'string' },
  debug: { key: null, kind: 'bool' },
  D: { key: null, kind: 'bool' },
  'live-restore': { key: null, kind: 'bool' },
  bip: { key: 'bip', kind: 'string' },
  'fixed-cidr': { key: 'fixedCidr', kind: 'string' },
  mtu: { key: 'mtu', kind: 'int' },
  icc: { key: 'icc', kind: 'bool' },
  'ip-masq': { key: 'ipMasq', kind: 'bool' },
  iptables: { key: 'iptables', kind: 'bool' },
  'ip-forward': { key: 'ipForward', kind: 'bool' },
  bridge: { key: 'bridge', kind: 'string' },
  b: { key: 'bridge', kind: 'string' },
  dns: { key: 'dns', kind: 'list' },
  'dns-search': { key: 'dnsSearch', kind: 'list' },
  'dns-opt': { key: 'dnsOpts', kind: 'list' },
  'default-address-pool': { key: 'defaultAddressPools', kind: 'pool' },
  'userland-proxy': { key: 'userlandProxy', kind: 'bool' },
  ip: { key: 'ip', kind: 'string' },
};

/** daemon.json key → config key. */
const JSON_KEYS: Record<string, Key> = {
  bip: 'bip',
  'fixed-cidr': 'fixedCidr',
  mtu: 'mtu',
  icc: 'icc',
  'ip-masq': 'ipMasq',
  iptables: 'iptables',
  'ip-forward': 'ipForward',
  bridge: 'bridge',
  dns: 'dns',
  'dns-search': 'dnsSearch',
  'dns-opts': 'dnsOpts',
  'default-address-pools': 'defaultAddressPools',
  'userland-proxy': 'userlandProxy',
  ip: 'ip',
};

function parsePool(v: string): PoolSpec | string {
  let base: string | null = null;
  let size: number | null = null;
  for (const part of v.split(',')) {
    const [k, val] = part.split('=');
    if (k === 'base') base = val;
    else if (k === 'size') size = Number(val);
    else return `invalid field key: ${k}`;
  }
  const c = base ? parseCidr(base) : null;
  if (!c || size === null || !Number.isInteger(size)) return `invalid argument "${v}" for "--default-address-pool" flag`;
  return { base: c, size };
}

export interface ParsedDaemon {
  config: DaemonConfig;
  /** The keys set from flags (for the daemon.json conflict check). */
  fromFlags: Map<Key, string>;
}

/** Parses dockerd's argv (without the program name). Returns an error text on a bad flag. */
export function parseDaemonFlags(argv: string[]): ParsedDaemon | { error: string } {
  const config = defaultConfig();
  const fromFlags = new Map<Key, string>();
  const listsSeen = new Set<Key>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--?([A-Za-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) return { error: `unknown shorthand flag or argument: ${a}` };
    const name = m[1];
    if (a.startsWith('-') && !a.startsWith('--') && !['b', 'H', 'D'].includes(name))
      return { error: `unknown shorthand flag: '${name[0]}' in ${a}` };
    const spec = FLAGS[name];
    if (!spec) return { error: `unknown flag: --${name}` };
    let value = m[2];
    if (value === undefined && spec.kind !== 'bool') {
      if (i + 1 >= argv.length) return { error: `flag needs an argument: --${name}` };
      value = argv[++i];
    }
    const rec = config as unknown as Record<string, unknown>;
    if (spec.key === null) {
      if (spec.kind === 'bool' && value !== undefined && value !== 'true' && value !== 'false')
        return { error: `invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax` };
      continue;
    }
    switch (spec.kind) {
      case 'bool':
        if (value !== undefined && value !== 'true' && value !== 'false')
          return { error: `invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax` };
        rec[spec.key] = value === undefined ? true : value === 'true';
        break;
      case 'int': {
        const n = Number(value);
        if (!/^-?\d+$/.test(value ?? ''))
          return { error: `invalid argument "${value}" for "--${name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax` };
        rec[spec.key] = n;
        break;
      }
      case 'list':
        if (!listsSeen.has(spec.key)) {
          rec[spec.key] = [];
          listsSeen.add(spec.key);
        }
        (rec[spec.key] as string[]).push(value as string);
        break;
      case 'pool': {
        const p = parsePool(value as string);
        if (typeof p === 'string') return { error: p };
        config.defaultAddressPools = [...(config.defaultAddressPools ?? []), p];
        break;
      }
      default:
        rec[spec.key] = value;
    }
    fromFlags.set(spec.key, value ?? 'true');
  }
  return { config, fromFlags };
}

/** Merges /etc/docker/daemon.json into flags' config; errors as dockerd prints them. */
export function applyDaemonJson(parsed: ParsedDaemon, json: string): string | null {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(json) as Record<string, unknown>;
  } catch (e) {
    return `unable to configure the Docker daemon with file /etc/docker/daemon.json: ${(e as Error).message}`;
  }
  const conflicts: string[] = [];
  const rec = parsed.config as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const key = JSON_KEYS[k];
    if (!key) continue;
    if (parsed.fromFlags.has(key)) {
      conflicts.push(`${k}: (from flag: ${parsed.fromFlags.get(key)}, from file: ${String(v)})`);
      continue;
    }
    if (key === 'defaultAddressPools') {
      const pools = (v as { base: string; size: number }[]).map((p) => ({ base: parseCidr(p.base), size: p.size }));
      if (pools.some((p) => !p.base))
        return `unable to configure the Docker daemon with file /etc/docker/daemon.json: invalid default address pool`;
      parsed.config.defaultAddressPools = pools as PoolSpec[];
    } else rec[key] = v;
  }
  if (conflicts.length)
    return `unable to configure the Docker daemon with file /etc/docker/daemon.json: the following directives are specified both as a flag and in the configuration file: ${conflicts.join(', ')}`;
  return null;
}

/** Checks made before the network controller starts (daemon/daemon_unix.go verifyDaemonSettings). */
export function verifyConfig(c: DaemonConfig): string | null {
  if (c.bridge && c.bip) return 'You specified -b & --bip, mutually exclusive options. Please specify only one';
  if (!c.iptables && !c.icc)
    return 'You specified --iptables=false with --icc=false. ICC=false uses iptables to function. Please set --icc or --iptables to true.';
  if (!c.iptables && c.ipMasq) {
    // --ip-masq defaults to true; dockerd turns it off silently when iptables is off.
    c.ipMasq = false;
  }
  return null;
}

/**
 * dockerd's argv from a systemd unit (`/lib/systemd/system/docker.service` or an override):
 * the last `ExecStart=` with a command, without the program path.
 */
export function daemonArgsFromUnit(unit: string): string[] {
  let cmd: string | null = null;
  for (const raw of unit.replace(/\\\n/g, ' ').split('\n')) {
    const m = /^\s*ExecStart\s*=\s*(.*)$/.exec(raw);
    if (m) cmd = m[1].trim() || null;
  }
  if (!cmd) return [];
  const words = cmd.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.slice(1).map((w) => w.replace(/^["']|["']$/g, ''));
}
