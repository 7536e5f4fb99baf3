/** A TopologyView of a busy host: 24 containers on docker0 and two user networks, host and none modes, a joined container, ports. */
import type { TopologyView, TopoContainer } from '../../src/sim/index.ts';

function ctr(name: string, i: number, net: string, bridge: string, subnet: string): TopoContainer {
  const ip = `${subnet}.${i + 2}`;
  const hex = ip
    .split('.')
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join(':');
  return {
    name,
    id: (i + 1).toString(16).padStart(12, 'a'),
    image: i % 3 ? 'nginx' : 'busybox',
    state: i % 7 === 6 ? 'exited' : 'running',
    networkMode: net === 'bridge' ? 'default' : net,
    endpoints: [
      { network: net, ip, mac: `02:42:${hex}`, iface: 'eth0', hostVeth: `veth${(1000 + i).toString(16)}abc`, bridge, aliases: [] },
    ],
    hostname: (i + 1).toString(16).padStart(12, 'a'),
  };
}

export function busyTopology(): TopologyView {
  const containers: TopoContainer[] = [];
  for (let i = 0; i < 16; i++) containers.push(ctr(`web-${i + 1}`, i, 'bridge', 'docker0', '172.17.0'));
  for (let i = 0; i < 5; i++) containers.push(ctr(`api-${i + 1}`, i, 'backend', 'br-3f2a1b0c9d8e', '172.18.0'));
  for (let i = 0; i < 3; i++) containers.push(ctr(`db-${i + 1}`, i, 'data', 'br-77aa11bb22cc', '172.19.0'));
  // api-1 is also on `data` (two networks).
  const api1 = containers.find((c) => c.name === 'api-1')!;
  api1.endpoints.push({
    network: 'data',
    ip: '172.19.0.10',
    mac: '02:42:ac:13:00:0a',
    iface: 'eth1',
    hostVeth: 'veth99aa11b',
    bridge: 'br-77aa11bb22cc',
    aliases: [],
  });
  containers.push({
    name: 'sidecar',
    id: 'bbbbbbbbbbb1',
    image: 'busybox',
    state: 'running',
    networkMode: 'container:web-1',
    sharesNetnsWith: 'web-1',
    endpoints: [],
    hostname: 'aaaaaaaaaaa1',
  });
  containers.push({
    name: 'monitor',
    id: 'bbbbbbbbbbb2',
    image: 'nginx',
    state: 'running',
    networkMode: 'host',
    endpoints: [],
    hostname: 'docker-node1',
  });
  containers.push({
    name: 'closed',
    id: 'bbbbbbbbbbb3',
    image: 'alpine',
    state: 'running',
    networkMode: 'none',
    endpoints: [],
    hostname: 'bbbbbbbbbbb3',
  });
  return {
    hosts: [
      {
        name: 'docker-node1',
        interfaces: [
          { name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00', addresses: ['127.0.0.1/8'], up: true },
          { name: 'eth0', kind: 'ether', mac: '52:54:00:4e:64:c8', addresses: ['192.168.100.200/24'], up: true },
          { name: 'docker0', kind: 'bridge', mac: '02:42:54:0b:50:3d', addresses: ['172.17.0.1/16'], up: true },
        ],
        bridges: [
          {
            name: 'docker0',
            network: 'bridge',
            cidr: '172.17.0.0/16',
            ports: containers.filter((c) => c.endpoints[0]?.bridge === 'docker0').map((c) => c.endpoints[0].hostVeth),
          },
          { name: 'br-3f2a1b0c9d8e', network: 'backend', cidr: '172.18.0.0/16', ports: [] },
          { name: 'br-77aa11bb22cc', network: 'data', cidr: '172.19.0.0/16', ports: [] },
        ],
        containers,
        ports: [
          { hostIp: '0.0.0.0', hostPort: 8080, proto: 'tcp', container: 'web-1', containerPort: 80 },
          { hostIp: '0.0.0.0', hostPort: 8081, proto: 'tcp', container: 'web-2', containerPort: 80 },
        ],
      },
    ],
    lans: [],
  };
}
