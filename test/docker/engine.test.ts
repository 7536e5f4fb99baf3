import { describe, expect, it } from 'vitest';
import { dockerHost } from './harness.ts';
import { formatIp4 } from '../../src/sim/net/ip.ts';

const HOSTS_BASE =
  '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

describe('default bridge (golden 01)', () => {
  it('creates docker0 172.17.0.1/16 with a 02:42 MAC and the three networks', () => {
    const { engine, netns } = dockerHost();
    const br = netns.linkByName('docker0');
    expect(br?.addrs4.map((a) => `${formatIp4(a.ip)}/${a.prefix}`)).toEqual(['172.17.0.1/16']);
    expect(br?.mac.startsWith('02:42:')).toBe(true);
    expect(br?.ifindex).toBe(3);
    expect(
      engine
        .listNetworks()
        .map((n) => n.name)
        .sort(),
    ).toEqual(['bridge', 'host', 'none']);
    const bridge = engine.findNetwork('bridge');
    expect(bridge.ipamConfig).toEqual([{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }]);
    expect(netns.sysctls.ipForward).toBe(true);
  });

  it('plumbs two containers: addresses, MACs, veth ifindexes, routes, files', () => {
    const { engine, netns, fs } = dockerHost();
    const t1 = engine.createContainer({ name: 'test1', image: 'busybox', cmd: ['/bin/sh', '-c', 'while true;do sleep 3600;done'] });
    engine.startContainer('test1');
    const t2 = engine.createContainer({ name: 'test2', image: 'busybox', cmd: ['sleep', '3600'] });
    engine.startContainer('test2');
    const ns1 = t1.sandbox?.netns;
    const eth0 = ns1?.linkByName('eth0');
    expect(eth0?.ifindex).toBe(4);
    expect(eth0?.mac).toBe('02:42:ac:11:00:02');
    expect(eth0?.addrs4.map((a) => formatIp4(a.ip))).toEqual(['172.17.0.2']);
    const hostVeth = netns.link(5);
    expect(hostVeth?.name).toMatch(/^veth[0-9a-f]{7}$/);
    expect(hostVeth?.master).toBe(3);
    expect(t2.sandbox?.netns.linkByName('eth0')?.ifindex).toBe(6);
    const dflt = ns1?.routes.find((r) => r.prefix === 0);
    expect(dflt && formatIp4(dflt.gateway ?? 0)).toBe('172.17.0.1');
    expect(t1.fs.read('/etc/hosts')).toBe(`${HOSTS_BASE}172.17.0.2\t${t1.id.slice(0, 12)}\n`);
    expect(t1.fs.read('/etc/resolv.conf')).toBe('nameserver 192.168.100.1\n');
    expect(t1.fs.read('/etc/hostname')).toBe(`${t1.id.slice(0, 12)}\n`);
    expect(fs.read(`/var/lib/docker/containers/${t1.id}/hosts`)).toBe(t1.fs.read('/etc/hosts'));
    expect(netns.linkByName('docker0')?.carrier).toBe(true);
  });

  it('releases the address at stop and hands out the lowest free one at start (golden 02)', () => {
    const { engine } = dockerHost();
    for (const n of ['a1', 'a2', 'a3']) {
      engine.createContainer({ name: n, image: 'busybox', cmd: ['sleep', '3600'] });
      engine.startContainer(n);
    }
    engine.stopContainer('a1');
    expect(engine.findContainer('a1').status).toBe('exited');
    expect(engine.findContainer('a1').exitCode).toBe(137);
    engine.createContainer({ name: 'filler', image: 'busybox', cmd: ['sleep', '3600'] });
    engine.startContainer('filler');
    engine.startContainer('a1');
    expect(engine.findContainer('a1').networks.get('bridge')?.endpoint?.ip).toBe(0xac110005);
  });

  it('reports daemon errors with their texts', () => {
    const { engine } = dockerHost();
    engine.createContainer({ name: 'web', image: 'busybox' });
    expect(() => engine.createContainer({ name: 'web', image: 'busybox' })).toThrow(
      /^Conflict\. The container name "\/web" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.$/,
    );
    expect(() => engine.createContainer({ name: 'a', image: 'busybox' })).toThrow(
      'Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
    );
    engine.startContainer('web');
    expect(() => engine.removeContainer('web')).toThrow(
      /^You cannot remove a running container [0-9a-f]{64}\. Stop the container before attempting removal or force remove$/,
    );
    const fixed = engine.createContainer({ image: 'busybox', networkMode: 'bridge', ip: '172.17.0.50' });
    expect(() => engine.startContainer(fixed.id)).toThrow('user specified IP address is supported on user defined networks only');
    const ignored = engine.createContainer({ image: 'busybox', ip: '172.17.0.50' });
    engine.startContainer(ignored.id);
    expect(ignored.networks.get('bridge')?.endpoint?.ip).toBe(0xac110003);
    const lost = engine.createContainer({ image: 'busybox', networkMode: 'nosuchnet' });
    expect(() => engine.startContainer(lost.id)).toThrow('network nosuchnet not found');
  });
});

describe('user-defined networks (golden 03)', () => {
  it('allocates subnets in Docker order, skipping used and host-route pools, without reusing freed ones', () => {
    const { engine } = dockerHost();
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] });
    engine.createNetwork({ name: 'mynetwork' });
    const got: string[] = [];
    for (let i = 1; i <= 20; i++) got.push(engine.createNetwork({ name: `pool${i}` }).ipamConfig[0].Subnet);
    expect(engine.findNetwork('mynetwork').ipamConfig).toEqual([{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }]);
    expect(got).toEqual([
      '172.19.0.0/16',
      '172.20.0.0/16',
      '172.21.0.0/16',
      '172.22.0.0/16',
      '172.23.0.0/16',
      '172.24.0.0/16',
      '172.26.0.0/16',
      '172.27.0.0/16',
      '172.28.0.0/16',
      '172.29.0.0/16',
      '172.30.0.0/16',
      '172.31.0.0/16',
      '192.168.0.0/20',
      '192.168.16.0/20',
      '192.168.32.0/20',
      '192.168.48.0/20',
      '192.168.64.0/20',
      '192.168.80.0/20',
      '192.168.112.0/20',
      '192.168.128.0/20',
    ]);
    for (let i = 1; i <= 20; i++) engine.removeNetwork(`pool${i}`);
    expect(engine.createNetwork({ name: 'pool-again' }).ipamConfig[0].Subnet).toBe('192.168.144.0/20');
    expect(engine.findNetwork('my-net').ipamConfig).toEqual([{ Subnet: '172.25.0.0/16', Gateway: '172.25.0.1' }]);
  });

  it('errors: overlap, duplicate, predefined, active endpoints, --ip checks', () => {
    const { engine } = dockerHost();
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] });
    expect(() => engine.createNetwork({ name: 'o', subnet: ['172.25.10.0/24'] })).toThrow(
      'Pool overlaps with other one on this address space',
    );
    expect(() => engine.createNetwork({ name: 'o', subnet: ['172.17.0.0/16'] })).toThrow(
      'Pool overlaps with other one on this address space',
    );
    expect(() => engine.createNetwork({ name: 'my-net' })).toThrow('network with name my-net already exists');
    expect(() => engine.createNetwork({ name: 'x', driver: 'nosuchdriver' })).toThrow('plugin "nosuchdriver" not found');
    expect(() => engine.removeNetwork('bridge')).toThrow('bridge is a pre-defined network and cannot be removed');
    engine.createNetwork({ name: 'mynetwork' });
    const noSubnet = engine.createContainer({ image: 'busybox', networkMode: 'mynetwork', ip: '172.18.0.50' });
    expect(() => engine.startContainer(noSubnet.id)).toThrow(
      'user specified IP address is supported only when connecting to networks with user configured subnets',
    );
    engine.createContainer({ name: 'c1', image: 'centos:7', networkMode: 'my-net', ip: '172.25.0.5' });
    engine.startContainer('c1');
    const dup = engine.createContainer({ image: 'busybox', networkMode: 'my-net', ip: '172.25.0.5' });
    expect(() => engine.startContainer(dup.id)).toThrow('Address already in use');
    const out = engine.createContainer({ image: 'busybox', networkMode: 'my-net', ip: '10.1.1.1' });
    expect(() => engine.startContainer(out.id)).toThrow("Invalid address 10.1.1.1: It does not belong to any of this network's subnets");
    const c1 = engine.findContainer('c1');
    expect(() => engine.removeNetwork('my-net')).toThrow(
      `error while removing network: network my-net id ${engine.findNetwork('my-net').id} has active endpoints`,
    );
    expect(() => engine.connect('nosuchnet', 'c1')).toThrow('network nosuchnet not found');
    expect(() => engine.connect('my-net', 'c1')).toThrow('endpoint with name c1 already exists in network my-net');
    expect(() => engine.disconnect('mynetwork', 'c1')).toThrow(`container ${c1.id} is not connected to network mynetwork`);
  });

  it('embedded DNS resolv.conf, connect adds ethN and a hosts line that stays after disconnect', () => {
    const { engine } = dockerHost();
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] });
    engine.createNetwork({ name: 'mynetwork' });
    const c = engine.createContainer({ name: 'container1', image: 'centos:7', networkMode: 'my-net', ip: '172.25.0.5' });
    engine.startContainer('container1');
    expect(c.fs.read('/etc/resolv.conf')).toBe('nameserver 127.0.0.11\noptions ndots:0\n');
    engine.connect('mynetwork', 'container1');
    const sid = c.id.slice(0, 12);
    expect(c.fs.read('/etc/hosts')).toBe(`${HOSTS_BASE}172.25.0.5\t${sid}\n172.18.0.2\t${sid}\n`);
    expect(c.sandbox?.netns.linkByName('eth1')?.mac).toBe('02:42:ac:12:00:02');
    engine.disconnect('mynetwork', 'container1');
    expect(c.sandbox?.netns.linkByName('eth1')).toBeUndefined();
    expect(c.fs.read('/etc/hosts')).toContain(`172.18.0.2\t${sid}\n`);
    engine.connect('mynetwork', 'container1');
    expect(c.sandbox?.netns.linkByName('eth2')).toBeDefined();
  });

  it('resolves names, aliases, short ids, name.network and link aliases per network', () => {
    const { engine } = dockerHost();
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] });
    engine.createNetwork({ name: 'other' });
    const a = engine.createContainer({ name: 'container1', image: 'centos:7', networkMode: 'my-net', ip: '172.25.0.5' });
    engine.startContainer(a.id);
    const w = engine.createContainer({ name: 'web1', image: 'nginx', networkMode: 'my-net', aliases: ['web', 'www'] });
    engine.startContainer(w.id);
    const o = engine.createContainer({ name: 'lonely', image: 'busybox', networkMode: 'other' });
    engine.startContainer(o.id);
    const l = engine.createContainer({ name: 'linker', image: 'busybox', networkMode: 'my-net', links: ['web1:aliasweb'] });
    engine.startContainer(l.id);
    expect(engine.resolveName(a, 'www').map(formatIp4)).toEqual(['172.25.0.2']);
    expect(engine.resolveName(a, 'web1.my-net').map(formatIp4)).toEqual(['172.25.0.2']);
    expect(engine.resolveName(a, w.id.slice(0, 12)).map(formatIp4)).toEqual(['172.25.0.2']);
    expect(engine.resolveName(a, 'lonely')).toEqual([]);
    expect(engine.resolveName(l, 'aliasweb').map(formatIp4)).toEqual(['172.25.0.2']);
    expect(engine.resolveName(a, 'aliasweb')).toEqual([]);
    expect(engine.reverseLookup(a, 0xac190002)).toBe('web1.my-net');
    expect(engine.answerDns(a, { id: 1, name: 'container1', type: 'A' })).toEqual({
      id: 1,
      rcode: 'NOERROR',
      records: ['172.25.0.5'],
      authoritative: false,
    });
  });
});
