/**
 * `brctl` — bridge-utils 1.7 (brctl/brctl_cmd.c, libbridge) on hosts and glibc images, the
 * busybox applet (networking/brctl.c) on busybox images. show, addbr, delbr, addif, delif,
 * showmacs, stp; changes go through the model's link operations like `ip link` does.
 */
import type { CommandContext } from '../../interp.ts';
import type { Link } from '../../../net/types.ts';
import type { Netns } from '../../../net/netns.ts';
import { NetError } from '../../../net/netns.ts';
import { register } from '../registry.ts';
import { byteCompare, err } from './common.ts';
import { newDevice } from './ip.ts';

/** `8000.0242b4dbbc36`: priority 0x8000 and the bridge's MAC. */
export function bridgeId(br: Link): string {
  return `8000.${br.mac.replace(/:/g, '')}`;
}

function show(ctx: CommandContext, ns: Netns, names: string[], busybox: boolean): number {
  let bridges = ns.sortedLinks().filter((l) => l.kind === 'bridge');
  // bridge-utils scandir()s /sys/class/net with alphasort; busybox readdir()s it.
  if (!busybox) bridges.sort((a, b) => byteCompare(a.name, b.name));
  let status = 0;
  if (names.length) {
    const picked: Link[] = [];
    for (const n of names) {
      const l = ns.linkByName(n);
      if (!l?.bridge) {
        err(ctx, busybox ? `brctl: bridge ${n}: No such device` : `bridge ${n} does not exist!`);
        status = 1;
      } else picked.push(l);
    }
    bridges = picked;
  }
  let out = 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n';
  for (const br of bridges) {
    out += `${br.name}\t\t${bridgeId(br)}\t${br.bridge?.stp ? 'yes' : 'no'}`;
    const ports = ns.portsOf(br.ifindex).map((p) => p.name);
    if (!busybox) ports.sort(byteCompare);
    if (busybox) {
      if (!ports.length) out += '\n';
      ports.forEach((p, i) => (out += `${i ? '\t\t\t\t\t' : ''}\t\t${p}\n`));
    } else {
      out += '\t\t';
      if (!ports.length) out += '\n';
      ports.forEach((p, i) => (out += `${i ? '\t\t\t\t\t\t\t' : ''}${p}\n`));
    }
  }
  ctx.stdout.write(out);
  return status;
}

const USAGE = `Usage: brctl [commands]
commands:
	addbr     	<bridge>		add bridge
	delbr     	<bridge>		delete bridge
	addif     	<bridge> <device>	add interface to bridge
	delif     	<bridge> <device>	delete interface from bridge
	hairpin   	<bridge> <port> {on|off}	turn hairpin on/off
	setageing 	<bridge> <time>		set ageing time
	setbridgeprio	<bridge> <prio>		set bridge priority
	setfd     	<bridge> <time>		set bridge forward delay
	sethello  	<bridge> <time>		set hello time
	setmaxage 	<bridge> <time>		set max message age
	setpathcost	<bridge> <port> <cost>	set path cost
	setportprio	<bridge> <port> <prio>	set port priority
	show      	[ <bridge> ]		show a list of bridges
	showmacs  	<bridge>		show a list of mac addrs
	showstp   	<bridge>		show bridge stp info
	stp       	<bridge> {on|off}	turn stp on/off
`;

function brctlMain(ctx: CommandContext): number {
  const busybox = ctx.target.userland === 'busybox';
  const ns = ctx.target.netns;
  const [cmd, ...args] = ctx.argv.slice(1);
  if (cmd === undefined) {
    ctx.stdout.write(USAGE);
    return 1;
  }
  const need = (n: number): boolean => {
    if (args.length >= n) return true;
    if (busybox) ctx.stderr.write(USAGE);
    else err(ctx, `Incorrect number of arguments for command`);
    if (!busybox) ctx.stdout.write(USAGE);
    return false;
  };
  switch (cmd) {
    case 'show':
      return show(ctx, ns, args, busybox);
    case 'addbr': {
      if (!need(1)) return 1;
      for (const name of args) {
        if (ns.linkByName(name)) {
          err(
            ctx,
            busybox ? `brctl: bridge ${name}: File exists` : `device ${name} already exists; can't create bridge with the same name`,
          );
          return 1;
        }
        try {
          newDevice(ns.addLink({ name, kind: 'bridge' }));
        } catch (e) {
          if (e instanceof NetError) {
            err(ctx, busybox ? `brctl: bridge ${name}: Invalid argument` : `add bridge failed: ${name}: Invalid argument`);
            return 1;
          }
          throw e;
        }
      }
      return 0;
    }
    case 'delbr': {
      if (!need(1)) return 1;
      for (const name of args) {
        const br = ns.linkByName(name);
        if (!br?.bridge) {
          err(ctx, busybox ? `brctl: bridge ${name}: No such device or address` : `bridge ${name} doesn't exist; can't delete it`);
          return 1;
        }
        if (br.up) {
          err(ctx, busybox ? `brctl: bridge ${name}: Device or resource busy` : `bridge ${name} is still up; can't delete it`);
          return 1;
        }
        ns.deleteLink(br.ifindex);
      }
      return 0;
    }
    case 'addif':
    case 'delif': {
      if (!need(2)) return 1;
      const [brName, ...ifs] = args;
      const br = ns.linkByName(brName);
      for (const ifName of ifs) {
        const port = ns.linkByName(ifName);
        if (!port) {
          err(ctx, busybox ? `brctl: iface ${ifName}: No such device` : `interface ${ifName} does not exist!`);
          return 1;
        }
        if (!br?.bridge) {
          err(ctx, busybox ? `brctl: bridge ${brName}: No such device` : `bridge ${brName} does not exist!`);
          return 1;
        }
        if (cmd === 'addif') {
          if (port.master !== null) {
            err(
              ctx,
              busybox
                ? `brctl: bridge ${brName}: Device or resource busy`
                : `device ${ifName} is already a member of a bridge; can't add it to bridge ${brName}.`,
            );
            return 1;
          }
          if (port.bridge) {
            err(
              ctx,
              busybox
                ? `brctl: bridge ${brName}: Too many levels of symbolic links`
                : `device ${ifName} is a bridge device itself; can't add it to bridge ${brName}.`,
            );
            return 1;
          }
          ns.setMaster(port.ifindex, br.ifindex);
        } else {
          if (port.master !== br.ifindex) {
            err(ctx, busybox ? `brctl: bridge ${brName}: Invalid argument` : `device ${ifName} is not a slave of ${brName}`);
            return 1;
          }
          ns.setMaster(port.ifindex, null);
        }
      }
      return 0;
    }
    case 'stp': {
      if (!need(2)) return 1;
      const br = ns.linkByName(args[0]);
      if (!br?.bridge) {
        err(ctx, busybox ? `brctl: bridge ${args[0]}: No such device` : `bridge ${args[0]} does not exist!`);
        return 1;
      }
      br.bridge.stp = ['on', 'yes', '1'].includes(args[1]);
      return 0;
    }
    case 'showmacs': {
      if (!need(1)) return 1;
      const br = ns.linkByName(args[0]);
      if (!br?.bridge) {
        err(ctx, busybox ? `brctl: bridge ${args[0]}: No such device` : `read of forward table failed: No such device`);
        return 1;
      }
      const ports = ns.portsOf(br.ifindex);
      const rows: { no: number; mac: string; local: boolean; age: number }[] = [];
      ports.forEach((p, i) => rows.push({ no: i + 1, mac: p.mac, local: true, age: 0 }));
      for (const [mac, e] of br.bridge.fdb) {
        const i = ports.findIndex((p) => p.ifindex === e.port);
        if (i >= 0 && !rows.some((r) => r.mac === mac)) rows.push({ no: i + 1, mac, local: e.local, age: e.ageMs / 1000 });
      }
      rows.sort((a, b) => byteCompare(a.mac, b.mac));
      let out = 'port no\tmac addr\t\tis local?\tageing timer\n';
      for (const r of rows) out += `${String(r.no).padStart(3)}\t${r.mac}\t${r.local ? 'yes' : 'no'}\t\t${r.age.toFixed(2).padStart(7)}\n`;
      ctx.stdout.write(out);
      return 0;
    }
    default:
      if (busybox) {
        err(ctx, `brctl: invalid argument '${cmd}' to 'brctl'`);
        return 1;
      }
      err(ctx, `never heard of command [${cmd}]`);
      ctx.stdout.write(USAGE);
      return 1;
  }
}

register({ name: 'brctl', run: brctlMain, paths: { gnu: '/usr/sbin/brctl', busybox: '/sbin/brctl' } });
