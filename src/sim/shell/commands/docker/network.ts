/**
 * `docker network` (docker/cli v20.10 cli/command/network/*.go): ls, create (with the
 * CLI-side IPAM consolidation and its error texts), inspect, connect, disconnect, rm, prune.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { DockerError } from '../../../docker/errors.ts';
import { usageString, type CommandDef, type FlagDef } from '../../../docker/format/flags.ts';
import { goStruct } from '../../../docker/format/gotemplate.ts';
import { parseCidr, parseIp4 } from '../../../net/ip.ts';
import type { DockerApi } from '../../../docker/api.ts';
import { validateLabel } from './containeropts.ts';
import { CliExit, confirm, daemonMessage, formatRows, parseCommand, report, wrapNotFound } from './util.ts';
import { inspectObjects } from './inspect.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

const strings = (name: string, usage: string, short?: string): FlagDef => ({
  name,
  short,
  kind: 'list',
  typeName: 'strings',
  usage,
  defValue: '[]',
});

export const NETWORK_DEFS: Record<string, CommandDef> = {
  network: {
    path: 'docker network',
    use: 'COMMAND',
    short: 'Manage networks',
    flags: [],
    args: { none: true },
    subcommands: [
      { name: 'connect', short: 'Connect a container to a network' },
      { name: 'create', short: 'Create a network' },
      { name: 'disconnect', short: 'Disconnect a container from a network' },
      { name: 'inspect', short: 'Display detailed information on one or more networks' },
      { name: 'ls', short: 'List networks' },
      { name: 'prune', short: 'Remove all unused networks' },
      { name: 'rm', short: 'Remove one or more networks' },
    ],
  },
  ls: {
    path: 'docker network ls',
    use: '[OPTIONS]',
    short: 'List networks',
    aliases: ['list'],
    flags: [
      { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display network IDs' },
      { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate the output' },
      { name: 'format', kind: 'string', usage: 'Pretty-print networks using a Go template' },
      { name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage: "Provide filter values (e.g. 'driver=bridge')" },
    ],
    args: { none: true },
  },
  create: {
    path: 'docker network create',
    use: '[OPTIONS] NETWORK',
    short: 'Create a network',
    flags: [
      { name: 'driver', short: 'd', kind: 'string', usage: 'Driver to manage the Network', defValue: 'bridge' },
      { name: 'opt', short: 'o', kind: 'list', typeName: 'map', usage: 'Set driver specific options', defValue: 'map[]' },
      { name: 'label', kind: 'list', usage: 'Set metadata on a network', validate: validateLabel },
      { name: 'internal', kind: 'bool', usage: 'Restrict external access to the network' },
      { name: 'ipv6', kind: 'bool', usage: 'Enable IPv6 networking' },
      { name: 'attachable', kind: 'bool', usage: 'Enable manual container attachment' },
      { name: 'ingress', kind: 'bool', usage: 'Create swarm routing-mesh network' },
      { name: 'scope', kind: 'string', usage: "Control the network's scope" },
      { name: 'config-only', kind: 'bool', usage: 'Create a configuration only network' },
      { name: 'config-from', kind: 'string', usage: 'The network from which to copy the configuration' },
      { name: 'ipam-driver', kind: 'string', usage: 'IP Address Management Driver', defValue: 'default' },
      strings('subnet', 'Subnet in CIDR format that represents a network segment'),
      strings('ip-range', 'Allocate container ip from a sub-range'),
      strings('gateway', 'IPv4 or IPv6 Gateway for the master subnet'),
      {
        name: 'aux-address',
        kind: 'list',
        typeName: 'map',
        usage: 'Auxiliary IPv4 or IPv6 addresses used by Network driver',
        defValue: 'map[]',
      },
      { name: 'ipam-opt', kind: 'list', typeName: 'map', usage: 'Set IPAM driver specific options', defValue: 'map[]' },
    ],
    args: { exact: 1 },
  },
  inspect: {
    path: 'docker network inspect',
    use: '[OPTIONS] NETWORK [NETWORK...]',
    short: 'Display detailed information on one or more networks',
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format the output using the given Go template' },
      { name: 'verbose', short: 'v', kind: 'bool', usage: 'Verbose output for diagnostics' },
    ],
    args: { min: 1 },
  },
  connect: {
    path: 'docker network connect',
    use: '[OPTIONS] NETWORK CONTAINER',
    short: 'Connect a container to a network',
    flags: [
      { name: 'ip', kind: 'string', usage: 'IPv4 address (e.g., 172.30.100.104)' },
      { name: 'ip6', kind: 'string', usage: 'IPv6 address (e.g., 2001:db8::33)' },
      { name: 'link', kind: 'list', usage: 'Add link to another container' },
      strings('alias', 'Add network-scoped alias for the container'),
      strings('link-local-ip', 'Add a link-local address for the container'),
      strings('driver-opt', 'driver options for the network'),
    ],
    args: { exact: 2 },
  },
  disconnect: {
    path: 'docker network disconnect',
    use: '[OPTIONS] NETWORK CONTAINER',
    short: 'Disconnect a container from a network',
    flags: [{ name: 'force', short: 'f', kind: 'bool', usage: 'Force the container to disconnect from a network' }],
    args: { exact: 2 },
  },
  rm: {
    path: 'docker network rm',
    use: 'NETWORK [NETWORK...]',
    short: 'Remove one or more networks',
    aliases: ['remove'],
    flags: [],
    args: { min: 1 },
  },
  prune: {
    path: 'docker network prune',
    use: '[OPTIONS]',
    short: 'Remove all unused networks',
    flags: [
      { name: 'filter', kind: 'list', typeName: 'filter', usage: "Provide filter values (e.g. 'until=<timestamp>')" },
      { name: 'force', short: 'f', kind: 'bool', usage: 'Do not prompt for confirmation' },
    ],
    args: { none: true },
  },
};

/** pflag stringSlice: each value is a CSV list. */
const csv = (vals: string[]): string[] => vals.flatMap((v) => (v === '' ? [] : v.split(',')));

/** sortorder.NaturalLess: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): boolean {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length < ny.length;
      if (nx !== ny) return nx < ny;
      return x.length < y.length;
    }
    return x < y;
  }
  return pa.length < pb.length;
}

const NETWORK_HEADER = {
  ID: 'NETWORK ID',
  Name: 'NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  IPv6: 'IPV6',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
  Label: 'LABEL',
  CreatedAt: 'CREATED AT',
};

function runLs(ctx: CommandContext, api: DockerApi, argv: string[], path: string): number {
  const engine = api.engine;
  const p = parseCommand(ctx, { ...NETWORK_DEFS.ls, path }, argv);
  if (typeof p === 'number') return p;
  try {
    let nets = engine.listNetworks();
    for (const f of p.list('filter')) {
      const i = f.indexOf('=');
      if (i < 0) throw new CliExit(1, 'Error response from daemon: Bad format of filter (expected name=value)');
      const k = f.slice(0, i);
      const v = f.slice(i + 1);
      if (k === 'driver') nets = nets.filter((n) => n.driver === v);
      else if (k === 'name') nets = nets.filter((n) => n.name.includes(v));
      else if (k === 'id') nets = nets.filter((n) => n.id.includes(v));
      else if (k === 'type') nets = nets.filter((n) => (v === 'builtin') === ['bridge', 'host', 'none'].includes(n.name));
      else if (k === 'scope') nets = nets.filter(() => v === 'local');
      else if (k === 'label') nets = nets.filter((n) => v.split('=')[0] in n.labels);
      else throw new CliExit(1, `Error response from daemon: Invalid filter '${k}'`);
    }
    nets.sort((a, b) => (naturalLess(a.name, b.name) ? -1 : naturalLess(b.name, a.name) ? 1 : 0));
    const trunc = !p.bool('no-trunc');
    const rows = nets.map((n) =>
      goStruct(
        {
          ID: () => (trunc ? n.id.slice(0, 12) : n.id),
          Name: () => n.name,
          Driver: () => n.driver,
          Scope: () => 'local',
          IPv6: () => String(n.enableIPv6),
          Internal: () => String(n.internal),
          Labels: () =>
            Object.entries(n.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(','),
          Label: (name: unknown) => n.labels[String(name)] ?? '',
          CreatedAt: () =>
            new Date(n.created)
              .toISOString()
              .replace('T', ' ')
              .replace(/\.\d+Z$/, ' +0000 UTC'),
        },
        '*formatter.networkContext',
      ),
    );
    let format = p.str('format');
    if (p.bool('quiet')) format = '{{.ID}}';
    else if (!format) format = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
    ctx.stdout.write(formatRows(format, NETWORK_HEADER, rows));
    return 0;
  } catch (e) {
    return report(ctx, e);
  }
}

/** net.ParseCIDR for IPv4 (the simulator's networks are IPv4). */
function subnetMatches(subnet: string, data: string): boolean {
  const s = parseCidr(subnet);
  if (!s || !subnet.includes('/')) throw new CliExit(1, `invalid subnet: invalid CIDR address: ${subnet}`);
  let ip: number | null;
  if (data.includes('/')) {
    const c = parseCidr(data);
    if (!c) throw new CliExit(1, `invalid cidr: invalid CIDR address: ${data}`);
    ip = c.ip;
  } else ip = parseIp4(data);
  if (ip === null) return false;
  const mask = s.prefix === 0 ? 0 : (0xffffffff << (32 - s.prefix)) >>> 0;
  return (ip & mask) >>> 0 === (s.ip & mask) >>> 0;
}

function consolidateIpam(subnets: string[], ranges: string[], gateways: string[], aux: [string, string][]): void {
  if (subnets.length < ranges.length || subnets.length < gateways.length)
    throw new CliExit(1, 'every ip-range or gateway must have a corresponding subnet');
  const data = new Map<string, { range: string; gw: string }>();
  for (const s of subnets) {
    for (const k of data.keys()) {
      if (subnetMatches(s, k) || subnetMatches(k, s)) throw new CliExit(1, 'multiple overlapping subnet configuration is not supported');
    }
    data.set(s, { range: '', gw: '' });
  }
  for (const r of ranges) {
    let match = false;
    for (const s of subnets) {
      if (!subnetMatches(s, r)) continue;
      const d = data.get(s)!;
      if (d.range !== '') throw new CliExit(1, `cannot configure multiple ranges (${r}, ${d.range}) on the same subnet (${s})`);
      d.range = r;
      match = true;
    }
    if (!match) throw new CliExit(1, `no matching subnet for range ${r}`);
  }
  for (const g of gateways) {
    let match = false;
    for (const s of subnets) {
      if (!subnetMatches(s, g)) continue;
      const d = data.get(s)!;
      if (d.gw !== '') throw new CliExit(1, `cannot configure multiple gateways (${g}, ${d.gw}) for the same subnet (${s})`);
      d.gw = g;
      match = true;
    }
    if (!match) throw new CliExit(1, `no matching subnet for gateway ${g}`);
  }
  for (const [, a] of aux) {
    if (!subnets.some((s) => subnetMatches(s, a))) throw new CliExit(1, `no matching subnet for aux-address ${a}`);
  }
}

function keyValues(list: string[]): [string, string][] {
  return list.map((kv) => {
    const i = kv.indexOf('=');
    return i >= 0 ? [kv.slice(0, i), kv.slice(i + 1)] : [kv, ''];
  });
}

function runCreate(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, NETWORK_DEFS.create, argv);
  if (typeof p === 'number') return p;
  try {
    const subnets = csv(p.list('subnet'));
    const ranges = csv(p.list('ip-range'));
    const gateways = csv(p.list('gateway'));
    consolidateIpam(subnets, ranges, gateways, keyValues(p.list('aux-address')));
    const n = engine.createNetwork({
      name: p.args[0],
      driver: p.str('driver') || 'bridge',
      subnet: subnets,
      gateway: gateways,
      ipRange: ranges,
      internal: p.bool('internal'),
      attachable: p.bool('attachable'),
      ipv6: p.bool('ipv6'),
      options: Object.fromEntries(keyValues(p.list('opt'))),
      labels: Object.fromEntries(keyValues(p.list('label'))),
    });
    ctx.stdout.write(n.id + '\n');
    return 0;
  } catch (e) {
    if (e instanceof DockerError) {
      ctx.stderr.write(daemonMessage(e) + '\n');
      return 1;
    }
    return report(ctx, e);
  }
}

function runInspect(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const p = parseCommand(ctx, NETWORK_DEFS.inspect, argv);
  if (typeof p === 'number') return p;
  return inspectObjects(ctx, p.args, p.str('format'), (ref) => {
    try {
      return api.networkInspect(ref);
    } catch (e) {
      if (e instanceof DockerError) throw new CliExit(1, wrapNotFound(e, 'network', ref));
      throw e;
    }
  });
}

function runConnect(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, NETWORK_DEFS.connect, argv);
  if (typeof p === 'number') return p;
  try {
    engine.connect(p.args[0], p.args[1], { ip: p.str('ip') || undefined, aliases: csv(p.list('alias')), links: p.list('link') });
    return 0;
  } catch (e) {
    if (e instanceof DockerError) {
      ctx.stderr.write(daemonMessage(e) + '\n');
      return 1;
    }
    throw e;
  }
}

function runDisconnect(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, NETWORK_DEFS.disconnect, argv);
  if (typeof p === 'number') return p;
  try {
    engine.disconnect(p.args[0], p.args[1], p.bool('force'));
    return 0;
  } catch (e) {
    if (e instanceof DockerError) {
      ctx.stderr.write(daemonMessage(e) + '\n');
      return 1;
    }
    throw e;
  }
}

function runRm(ctx: CommandContext, api: DockerApi, argv: string[], path: string): number {
  const engine = api.engine;
  const p = parseCommand(ctx, { ...NETWORK_DEFS.rm, path }, argv);
  if (typeof p === 'number') return p;
  let status = 0;
  for (const ref of p.args) {
    try {
      engine.removeNetwork(ref);
      ctx.stdout.write(ref + '\n');
    } catch (e) {
      if (!(e instanceof DockerError)) throw e;
      ctx.stderr.write(wrapNotFound(e, 'network', ref) + '\n');
      status = 1;
    }
  }
  return status;
}

function* runPrune(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const engine = api.engine;
  const p = parseCommand(ctx, NETWORK_DEFS.prune, argv);
  if (typeof p === 'number') return p;
  if (!p.bool('force')) {
    const ok = yield* confirm(
      ctx,
      'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?',
    );
    if (!ok) return 0;
  }
  try {
    const names = engine.pruneNetworks();
    if (names.length) ctx.stdout.write('Deleted Networks:\n' + names.map((n) => n + '\n').join('') + '\n');
    return 0;
  } catch (e) {
    if (e instanceof DockerError) {
      ctx.stderr.write(daemonMessage(e) + '\n');
      return 1;
    }
    throw e;
  }
}

/** `docker network SUBCOMMAND …`. */
export function* runNetwork(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'ls':
    case 'list':
      return runLs(ctx, api, rest, `docker network ${sub}`);
    case 'create':
      return runCreate(ctx, api, rest);
    case 'inspect':
      return runInspect(ctx, api, rest);
    case 'connect':
      return runConnect(ctx, api, rest);
    case 'disconnect':
      return runDisconnect(ctx, api, rest);
    case 'rm':
    case 'remove':
      return runRm(ctx, api, rest, `docker network ${sub}`);
    case 'prune':
      return yield* runPrune(ctx, api, rest);
  }
  // No (known) subcommand: cobra's NoArgs on a command with subcommands, or --help.
  const p = parseCommand(ctx, NETWORK_DEFS.network, argv);
  if (typeof p === 'number') return p;
  // command.ShowHelp writes the usage to stderr.
  ctx.stderr.write('\n' + usageString(NETWORK_DEFS.network));
  return 0;
}
