/** Traffic through what the engine built: the packet walk over its veths and bridges. */
import { describe, expect, it } from 'vitest';
import { dockerHost } from './harness.ts';
import { decodeAnswer, encodeQuery, serveDns } from '../../src/sim/apps/dns.ts';

describe('traffic over the engine-built network', () => {
  it('containers on docker0 ping each other and the gateway', () => {
    const { engine, stack } = dockerHost();
    const a = engine.createContainer({ name: 'test1', image: 'busybox' });
    engine.startContainer('test1');
    engine.createContainer({ name: 'test2', image: 'busybox' });
    engine.startContainer('test2');
    const ns = a.sandbox?.netns;
    if (!ns) throw new Error('no netns');
    expect(stack.echo(ns, 0xac110003, { id: 1, seq: 1, bytes: 56 }).kind).toBe('reply');
    expect(stack.echo(ns, 0xac110001, { id: 1, seq: 2, bytes: 56 }).kind).toBe('reply');
  });

  it('the embedded DNS answers at 127.0.0.11:53 inside a container on a user network', () => {
    const { engine, stack } = dockerHost();
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] });
    const a = engine.createContainer({ name: 'container1', image: 'centos:7', networkMode: 'my-net' });
    engine.startContainer(a.id);
    engine.createContainer({ name: 'container2', image: 'centos:7', networkMode: 'my-net', aliases: ['db'] });
    engine.startContainer('container2');
    const ns = a.sandbox?.netns;
    if (!ns) throw new Error('no netns');
    const r = stack.udpExchange(ns, 0x7f00000b, 53, encodeQuery({ id: 9, name: 'db', type: 'A' }));
    expect(r.replies.map((x) => decodeAnswer(x.data))).toEqual([
      { id: 9, rcode: 'NOERROR', records: ['172.25.0.3'], authoritative: false },
    ]);
  });

  it('docker-proxy relays a TCP connection to the container', () => {
    const { engine, stack, netns } = dockerHost();
    const c = engine.createContainer({ name: 'web', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8899' }] } });
    engine.startContainer('web');
    c.sandbox?.netns.sockets.bind({
      proto: 'tcp',
      local: { family: 4, ip: 0 },
      port: 80,
      handler: { onData: (conn, data) => conn.write(`echo:${data}`) },
    });
    const cl = stack.tcpConnect(netns, 0x7f000001, 8899);
    if ('error' in cl) throw new Error(cl.error);
    cl.send('hello');
    expect(cl.received).toBe('echo:hello');
  });
});

describe('reachability decided by the real netfilter rules', () => {
  it('isolation between bridge networks, and the STAGE-2 DROP->ACCEPT trick (golden 04)', () => {
    const { engine, stack, netns } = dockerHost({ fakeNetfilter: false });
    const a = engine.createContainer({ name: 'c-bridge', image: 'nginx' });
    engine.startContainer(a.id);
    engine.createNetwork({ name: 'mynetwork', subnet: ['172.19.0.0/16'], gateway: ['172.19.0.1'] });
    const b = engine.createContainer({ name: 'nginx2', image: 'nginx', networkMode: 'mynetwork' });
    engine.startContainer(b.id);
    const bns = b.sandbox?.netns;
    if (!bns) throw new Error('no netns');
    expect(stack.echo(bns, 0xc0a864c8, { id: 1, seq: 1, bytes: 56 }).kind).toBe('reply');
    expect(stack.echo(bns, 0xac110002, { id: 1, seq: 2, bytes: 56 }).kind).not.toBe('reply');
    const saved = netns.netfilter.save([]).stdout.replace(/(-A DOCKER-ISOLATION-STAGE-2 -o \S+) -j DROP/g, '$1 -j ACCEPT');
    expect(netns.netfilter.restore([], () => saved).status).toBe(0);
    const r = stack.echo(bns, 0xac110002, { id: 1, seq: 3, bytes: 56 });
    expect(r.kind).toBe('reply');
  });

  it('--icc=false drops bridge-internal traffic but the host still reaches containers (golden 10a)', () => {
    const { engine, stack, netns } = dockerHost({ fakeNetfilter: false, daemon: ['--icc=false'] });
    const c1 = engine.createContainer({ name: 'c1', image: 'busybox' });
    engine.startContainer(c1.id);
    engine.startContainer(engine.createContainer({ name: 'c2', image: 'nginx' }).id);
    const ns = c1.sandbox?.netns;
    if (!ns) throw new Error('no netns');
    expect(stack.echo(ns, 0xac110003, { id: 1, seq: 1, bytes: 56 }).kind).not.toBe('reply');
    expect(stack.echo(ns, 0xac110001, { id: 1, seq: 2, bytes: 56 }).kind).toBe('reply');
    expect(stack.echo(netns, 0xac110003, { id: 1, seq: 3, bytes: 56 }).kind).toBe('reply');
  });
});

describe('embedded DNS forwarding', () => {
  it('forwards unknown names to the host nameserver and answers PTR with name.network', () => {
    const dockerHostFs = dockerHost({ fakeNetfilter: false });
    const { engine, stack, world, netns } = dockerHostFs;
    // A resolver answering NXDOMAIN to everything (like the golden LAN's), on a link of its own.
    const { fs } = dockerHostFs;
    const lan = world.createNetns('lan');
    const { link: lanEnd, peer } = lan.addVethPair('lan0', 'tmp0');
    const hostEnd = lan.moveLink(peer.ifindex, netns, 'eth1');
    lan.setUp(lanEnd.ifindex, true);
    lan.addAddr4(lanEnd.ifindex, 0x0a630001, 24);
    netns.setUp(hostEnd.ifindex, true);
    netns.addAddr4(hostEnd.ifindex, 0x0a630002, 24);
    serveDns(lan, 0x0a630001, (q) => ({ id: q.id, rcode: 'NXDOMAIN', records: [], authoritative: false }));
    fs.write('/etc/resolv.conf', 'nameserver 10.99.0.1\n');
    engine.createNetwork({ name: 'mynet' });
    const c = engine.createContainer({ name: 'named1', image: 'busybox', networkMode: 'mynet' });
    engine.startContainer(c.id);
    const ns = c.sandbox?.netns;
    if (!ns) throw new Error('no netns');
    const ask = (name: string, type: 'A' | 'PTR'): unknown =>
      stack.udpExchange(ns, 0x7f00000b, 53, encodeQuery({ id: 1, name, type })).replies.map((x) => decodeAnswer(x.data))[0];
    expect(ask('nosuchname', 'A')).toEqual({ id: 1, rcode: 'NXDOMAIN', records: [], authoritative: false });
    expect(ask('2.0.18.172.in-addr.arpa', 'PTR')).toEqual({ id: 1, rcode: 'NOERROR', records: ['named1.mynet'], authoritative: false });
  });
});

describe('embedded DNS plumbing in the container (resolver_unix.go)', () => {
  it('listens on kernel-chosen ports and installs the DOCKER_OUTPUT/DOCKER_POSTROUTING rules', () => {
    const { engine } = dockerHost();
    engine.createNetwork({ name: 'mynet' });
    const c = engine.createContainer({ name: 'named1', image: 'busybox', networkMode: 'mynet' });
    engine.startContainer(c.id);
    const ns = c.sandbox?.netns;
    if (!ns) throw new Error('no netns');
    const socks = ns.sockets.all().filter((s) => s.local.family === 4 && s.local.ip === 0x7f00000b);
    const udp = socks.find((s) => s.proto === 'udp')?.port;
    const tcp = socks.find((s) => s.proto === 'tcp')?.port;
    expect(socks.every((s) => s.owner === null)).toBe(true);
    expect(ns.netfilter.run(['-t', 'nat', '-S']).stdout).toBe(
      [
        '-P PREROUTING ACCEPT',
        '-P INPUT ACCEPT',
        '-P OUTPUT ACCEPT',
        '-P POSTROUTING ACCEPT',
        '-N DOCKER_OUTPUT',
        '-N DOCKER_POSTROUTING',
        '-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT',
        '-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING',
        `-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:${tcp}`,
        `-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:${udp}`,
        `-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport ${tcp} -j SNAT --to-source :53`,
        `-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport ${udp} -j SNAT --to-source :53`,
        '',
      ].join('\n'),
    );
  });
});
