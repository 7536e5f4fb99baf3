/**
 * The golden recording machine built by hand with the kernel model, the way the harness and
 * dockerd built it: a LAN namespace whose veth is the host's eth0 (52:54:00:4e:64:c8,
 * 192.168.100.200/24, default via 192.168.100.1), docker0 (172.17.0.1/16) and containers whose
 * eth0 is the peer of a veth enslaved to docker0 (02:42 + IPv4, IPv6 disabled as Docker does).
 */
import { Clock } from '../../src/sim/base/clock.ts';
import { Rng } from '../../src/sim/base/rng.ts';
import { World } from '../../src/sim/net/world.ts';
import type { Netns } from '../../src/sim/net/netns.ts';
import { macFromIp4, parseIp4 } from '../../src/sim/net/ip.ts';
import { testMachine, type TestMachine } from '../helpers/sim.ts';
import type { Userland } from '../../src/sim/shell/interp.ts';

export const ip = (s: string): number => {
  const v = parseIp4(s);
  if (v === null) throw new Error(`bad ip ${s}`);
  return v;
};

export interface Lab {
  world: World;
  host: Netns;
  lan: Netns;
  containers: Netns[];
  /** A shell on the host (GNU userland). */
  hostShell: TestMachine;
  /** A shell in container i with the given userland. */
  shellIn(i: number, userland: Userland): TestMachine;
}

export function buildLab(opts: { containers?: string[]; docker0Mac?: string; bip?: string; mtu?: number; seed?: number } = {}): Lab {
  const world = new World(new Rng(opts.seed ?? 3), new Clock(Date.UTC(2026, 10, 23, 10, 29, 30)));
  const lan = world.createNetns('lan');
  const host = world.createNetns('docker-node1');
  // The host's lo has ::1 (IPv6 is on in the host namespace).
  // The harness's cable: a veth between the LAN namespace (its end is ifindex 4 there) and
  // the host, where it is eth0 (ifindex 2), as in the recordings (`eth0@if4`).
  const lanEnd = lan.addLink({ name: 'vlan-h1', kind: 'veth', ifindex: 4 });
  const eth0 = host.addLink({ name: 'eth0', kind: 'veth', ifindex: 2 });
  lanEnd.peer = { ns: host.id, ifindex: eth0.ifindex };
  eth0.peer = { ns: lan.id, ifindex: lanEnd.ifindex };
  host.nsidOf(lan.id);
  lan.nsidOf(host.id);
  eth0.txqueuelen = 1000;
  host.setMac(eth0.ifindex, '52:54:00:4e:64:c8');
  lan.setUp(lanEnd.ifindex, true);
  host.setUp(eth0.ifindex, true);
  host.addAddr4(eth0.ifindex, ip('192.168.100.200'), 24);
  host.addRoute({
    dst: 0,
    prefix: 0,
    gateway: ip('192.168.100.1'),
    dev: eth0.ifindex,
    proto: 'boot',
    scope: 'global',
    src: null,
    metric: 0,
  });
  host.sysctls.ipForward = true;
  const docker0 = host.addLink({ name: 'docker0', kind: 'bridge', mac: opts.docker0Mac ?? '02:42:b4:db:bc:36' });
  const [bipIp, bipPrefix] = (opts.bip ?? '172.17.0.1/16').split('/');
  host.addAddr4(docker0.ifindex, ip(bipIp), Number(bipPrefix));
  host.setUp(docker0.ifindex, true);
  const containers: Netns[] = [];
  (opts.containers ?? ['172.17.0.2', '172.17.0.3']).forEach((cip, i) =>
    containers.push(addContainer(world, host, docker0.ifindex, cip, `veth${i}abcdef`, opts.mtu)),
  );
  const shell = (ns: Netns, userland: Userland): TestMachine => testMachine({ world, netns: ns, userland });
  return { world, host, lan, containers, hostShell: shell(host, 'gnu'), shellIn: (i, u) => shell(containers[i], u) };
}

export function addContainer(world: World, host: Netns, bridge: number, ipText: string, vethName: string, mtu = 1500): Netns {
  const c = world.createNetns(`c-${ipText}`, { ipv6: false });
  const cip = ip(ipText);
  // dockerd (libnetwork) makes the pair in the host, then moves one end in and renames it eth0.
  const { link, peer } = host.addVethPair(vethName, `${vethName}x`.slice(0, 15), mtu);
  host.moveLink(peer.ifindex, c, 'eth0');
  const eth0 = c.linkByName('eth0')!;
  eth0.ipv6Disabled = true;
  c.setMac(eth0.ifindex, macFromIp4(cip));
  host.setMaster(link.ifindex, bridge);
  host.setUp(link.ifindex, true);
  c.setUp(eth0.ifindex, true);
  c.addAddr4(eth0.ifindex, cip, host.link(bridge)!.addrs4[0].prefix);
  const gw = host.link(bridge)!.addrs4[0].ip;
  c.addRoute({ dst: 0, prefix: 0, gateway: gw, dev: eth0.ifindex, proto: 'boot', scope: 'global', src: null, metric: 0 });
  return c;
}
