/**
 * `bridge` (iproute2 bridge/link.c, bridge/fdb.c, v6.1): `bridge link [show] [dev X]` lists
 * bridge ports with their STP state, `bridge fdb [show] [dev X] [br B]` the forwarding
 * database: each port's own address (`permanent`, as br_add_if inserts it), the learned
 * entries, and a vxlan device's remote entries (`dst`, `self`).
 */
import type { CommandContext } from '../../interp.ts';
import type { Link } from '../../../net/types.ts';
import type { Netns } from '../../../net/netns.ts';
import { formatIp4 } from '../../../net/ip.ts';
import { register } from '../registry.ts';
import { err, iflinkOf, linkFlags } from './common.ts';
import { flagsText } from './ip-show.ts';

/** br_port_state: a port forwards when it and its bridge are up with carrier (no STP modelled). */
function portState(ns: Netns, port: Link): string {
  const br = port.master !== null ? ns.link(port.master) : undefined;
  if (!port.up || !port.carrier || !br?.up) return 'disabled';
  return 'forwarding';
}

/** Path cost from link speed (br_if.c port_cost): veth reports 10 Gb/s → 2; vxlan none → 100. */
function portCost(port: Link): number {
  return port.kind === 'veth' ? 2 : port.kind === 'ether' ? 4 : 100;
}

function linkShow(ctx: CommandContext, ns: Netns, args: string[]): number {
  let dev: Link | null = null;
  for (let i = 0; i < args.length; i++) {
    const name = args[i] === 'dev' ? args[++i] : args[i];
    const l = name === undefined ? undefined : ns.linkByName(name);
    if (!l) {
      err(ctx, `Cannot find device "${name ?? ''}"`);
      return 1;
    }
    dev = l;
  }
  for (const l of ns.sortedLinks()) {
    if (l.master === null || (dev && l !== dev)) continue;
    const il = iflinkOf(ns, l);
    const name = il ? `${l.name}@${il.netnsid !== null ? `if${il.index}` : (il.peer?.name ?? `if${il.index}`)}` : l.name;
    const mdown = il !== null && il.netnsid === null && !il.peer?.up;
    const master = ns.link(l.master)?.name ?? '';
    ctx.stdout.write(
      `${l.ifindex}: ${name}: ${flagsText(linkFlags(l), mdown, false)} mtu ${l.mtu} master ${master} state ${portState(ns, l)} priority 32 cost ${portCost(l)} \n`,
    );
  }
  return 0;
}

function fdbShow(ctx: CommandContext, ns: Netns, args: string[]): number {
  let dev: Link | null = null;
  let br: Link | null = null;
  for (let i = 0; i < args.length; i++) {
    const key = args[i];
    const name = args[++i];
    const l = name === undefined ? undefined : ns.linkByName(name);
    if (key !== 'dev' && key !== 'br' && key !== 'brport') {
      err(ctx, `Error: either "dev" is duplicate, or "${key}" is a garbage.`);
      return 255;
    }
    if (!l) {
      err(ctx, `Cannot find device "${name ?? ''}"`);
      return 1;
    }
    if (key === 'br') br = l;
    else dev = l;
  }
  const lines: string[] = [];
  const devPart = (l: Link): string => (dev ? '' : `dev ${l.name} `);
  for (const bridge of ns.sortedLinks()) {
    if (!bridge.bridge || (br && bridge !== br)) continue;
    const ports = ns.portsOf(bridge.ifindex);
    for (const p of ports) {
      if (dev && p !== dev) continue;
      const learned = [...bridge.bridge.fdb].filter(([mac, e]) => e.port === p.ifindex && mac !== p.mac);
      for (const [mac, e] of learned) lines.push(`${mac} ${devPart(p)}master ${bridge.name} ${e.local ? 'permanent' : ''}`);
      lines.push(`${p.mac} ${devPart(p)}master ${bridge.name} permanent`);
    }
    if (!dev || dev === bridge) {
      lines.push(`${bridge.mac} ${devPart(bridge)}vlan 1 master ${bridge.name} permanent`);
      lines.push(`${bridge.mac} ${devPart(bridge)}master ${bridge.name} permanent`);
    }
  }
  for (const l of ns.sortedLinks()) {
    if (!l.vxlan || (dev && l !== dev) || br) continue;
    for (const [mac, ip] of l.vxlan.fdb) {
      const il = iflinkOf(ns, l);
      lines.push(`${mac} ${devPart(l)}dst ${formatIp4(ip)} ${il?.netnsid != null ? `link-netnsid ${il.netnsid} ` : ''}self permanent`);
    }
  }
  if (lines.length) ctx.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function matches(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where	OBJECT := { link | fdb | mdb | vlan | vni | monitor }
	OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
		     -o[neline] | -t[imestamp] | -n[etns] name |
		     -com[pressvlans] -c[olor] -p[retty] -j[son] }
`;

function bridgeMain(ctx: CommandContext): number {
  const args = ctx.argv.slice(1).filter((a) => a !== '-d' && a !== '-s' && a !== '-c');
  const obj = args.shift();
  const ns = ctx.target.netns;
  if (obj === undefined) {
    ctx.stderr.write(USAGE);
    return 255;
  }
  const sub = args[0];
  const rest = sub !== undefined && (matches(sub, 'show') || matches(sub, 'list')) ? args.slice(1) : args;
  if (matches(obj, 'link')) return linkShow(ctx, ns, rest);
  if (matches(obj, 'fdb')) return fdbShow(ctx, ns, rest);
  err(ctx, `Object "${obj}" is unknown, try "bridge help".`);
  return 1;
}

register({ name: 'bridge', run: bridgeMain, paths: { gnu: '/usr/sbin/bridge' } });
