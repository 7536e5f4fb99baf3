/**
 * Docker's default bridge built by hand with the kernel model, the way dockerd builds it:
 * docker0 172.17.0.1/16 on the host, one namespace per container with eth0 (a veth whose peer
 * is enslaved to docker0), and an outside machine on the host's LAN (192.168.100.0/24).
 */
import { Clock } from '../../src/sim/base/clock.ts';
import { Rng } from '../../src/sim/base/rng.ts';
import { World } from '../../src/sim/net/world.ts';
import type { Netns } from '../../src/sim/net/netns.ts';
import { macFromIp4, parseIp4 } from '../../src/sim/net/ip.ts';

export const ip = (s: string): number => {
  const v = parseIp4(s);
  if (v === null) throw new Error(`bad ip ${s}`);
  return v;
};

/**
 * `ip route add DST/PREFIX [via GW] dev DEV` on `ns`: a static route, of link scope without a
 * gateway and global scope with one, as iproute2 adds it.
 */
export function addStaticRoute(ns: Netns, dst: string, prefix: number, gateway: string | null, dev: string): void {
  ns.addRoute({
    dst: ip(dst),
    prefix,
    gateway: gateway === null ? null : ip(gateway),
    dev: ns.linkByName(dev)!.ifindex,
    proto: 'static',
    scope: gateway === null ? 'link' : 'global',
    src: null,
    metric: 0,
  });
}

export interface BridgeLab {
  world: World;
  host: Netns;
  lan: Netns;
  outside: Netns;
  containers: Netns[];
}

export function bridgeByHand(nContainers = 2): BridgeLab {
  const world = new World(new Rng(7), new Clock(Date.UTC(2026, 10, 23, 10, 29, 30)));
  // The LAN: a switch (bridge br0 in its own namespace) with the host's and an outside machine's cables.
  const lan = world.createNetns('lan-switch');
  const br0 = lan.addLink({ name: 'br0', kind: 'bridge', mac: world.randomMac() });
  lan.setUp(br0.ifindex, true);
  const host = world.createNetns('docker-node1');
  const outside = world.createNetns('lan');
  const cable = (ns: Netns, name: string, ipText: string, mac: string) => {
    const { link, peer } = lan.addVethPair(`p-${ns.label}`.slice(0, 15), `${name}-tmp`);
    lan.moveLink(peer.ifindex, ns, name);
    const inside = ns.linkByName(name)!;
    inside.kind = 'ether';
    ns.setMac(inside.ifindex, mac);
    lan.setMaster(link.ifindex, br0.ifindex);
    lan.setUp(link.ifindex, true);
    ns.setUp(inside.ifindex, true);
    ns.addAddr4(inside.ifindex, ip(ipText), 24);
    return inside;
  };
  cable(host, 'eth0', '192.168.100.200', '52:54:00:4e:64:c8');
  cable(outside, 'eth0', '192.168.100.1', '52:54:00:4e:64:01');
  addStaticRoute(host, '0.0.0.0', 0, '192.168.100.1', 'eth0');
  host.sysctls.ipForward = true;
  host.sysctls.bridgeNfCallIptables = true;
  const docker0 = host.addLink({ name: 'docker0', kind: 'bridge', mac: world.randomMac() });
  host.addAddr4(docker0.ifindex, ip('172.17.0.1'), 16);
  host.setUp(docker0.ifindex, true);
  const containers: Netns[] = [];
  for (let i = 0; i < nContainers; i++) {
    const c = world.createNetns(`c${i + 1}`);
    const cip = ip('172.17.0.2') + i;
    const { link, peer } = host.addVethPair(`veth${i}`, `eth0tmp${i}`);
    host.moveLink(peer.ifindex, c, 'eth0');
    const eth0 = c.linkByName('eth0')!;
    c.setMac(eth0.ifindex, macFromIp4(cip));
    host.setMaster(link.ifindex, docker0.ifindex);
    host.setUp(link.ifindex, true);
    c.setUp(eth0.ifindex, true);
    c.addAddr4(eth0.ifindex, cip, 16);
    c.addRoute({ dst: 0, prefix: 0, gateway: ip('172.17.0.1'), dev: eth0.ifindex, proto: 'boot', scope: 'global', src: null, metric: 0 });
    containers.push(c);
  }
  return { world, host, lan, outside, containers };
}
