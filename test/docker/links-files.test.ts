import { describe, expect, it } from 'vitest';
import { dockerHost } from './harness.ts';

const BASE =
  '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

describe('legacy links (golden 02)', () => {
  it('writes the hosts entry and the full variable set', () => {
    const { engine } = dockerHost();
    engine.createContainer({ name: 'db', image: 'mysql', env: ['MYSQL_ALLOW_EMPTY_PASSWORD=true'] });
    engine.startContainer('db');
    const db = engine.findContainer('db');
    const web = engine.createContainer({ name: 'web', image: 'centos:7', links: ['db'], tty: true, openStdin: true });
    engine.startContainer('web');
    expect(web.fs.read('/etc/hosts')).toBe(`${BASE}172.17.0.2\tdb ${db.id.slice(0, 12)}\n172.17.0.3\t${web.id.slice(0, 12)}\n`);
    expect(engine.execTarget('web').env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `HOSTNAME=${web.id.slice(0, 12)}`,
      'DB_PORT=tcp://172.17.0.2:3306',
      'DB_PORT_3306_TCP=tcp://172.17.0.2:3306',
      'DB_PORT_3306_TCP_ADDR=172.17.0.2',
      'DB_PORT_3306_TCP_PORT=3306',
      'DB_PORT_3306_TCP_PROTO=tcp',
      'DB_PORT_33060_TCP=tcp://172.17.0.2:33060',
      'DB_PORT_33060_TCP_ADDR=172.17.0.2',
      'DB_PORT_33060_TCP_PORT=33060',
      'DB_PORT_33060_TCP_PROTO=tcp',
      'DB_NAME=/web/db',
      'DB_ENV_MYSQL_ALLOW_EMPTY_PASSWORD=true',
      'HOME=/root',
    ]);
    expect(web.hostConfig.Links).toEqual(['/db:/web/db']);
    expect(engine.findContainer('db').fs.read('/etc/hosts')).toBe(`${BASE}172.17.0.2\t${db.id.slice(0, 12)}\n`);
  });

  it('aliases, several links, udp ports and port groups', () => {
    const { engine } = dockerHost();
    engine.createContainer({ name: 'ca', image: 'busybox', cmd: ['sleep', '3600'] });
    engine.createContainer({ name: 'cb', image: 'busybox', cmd: ['sleep', '3600'], exposedPorts: ['80'] });
    engine.createContainer({ name: 'cc', image: 'busybox', cmd: ['sleep', '3600'], exposedPorts: ['53/udp'] });
    for (const n of ['ca', 'cb', 'cc']) engine.startContainer(n);
    const m = engine.createContainer({ name: 'multi', image: 'busybox', links: ['ca:alias-a', 'cb:alias-b', 'cc:alias-c'] });
    engine.startContainer('multi');
    const ids = ['ca', 'cb', 'cc'].map((n) => engine.findContainer(n).id.slice(0, 12));
    expect(m.fs.read('/etc/hosts')).toBe(
      `${BASE}172.17.0.2\talias-a ${ids[0]} ca\n172.17.0.3\talias-b ${ids[1]} cb\n172.17.0.4\talias-c ${ids[2]} cc\n172.17.0.5\t${m.id.slice(0, 12)}\n`,
    );
    expect(engine.execTarget('multi').env.slice(2)).toEqual([
      'ALIAS_A_NAME=/multi/alias-a',
      'ALIAS_B_PORT=tcp://172.17.0.3:80',
      'ALIAS_B_PORT_80_TCP=tcp://172.17.0.3:80',
      'ALIAS_B_PORT_80_TCP_ADDR=172.17.0.3',
      'ALIAS_B_PORT_80_TCP_PORT=80',
      'ALIAS_B_PORT_80_TCP_PROTO=tcp',
      'ALIAS_B_NAME=/multi/alias-b',
      'ALIAS_C_PORT=udp://172.17.0.4:53',
      'ALIAS_C_PORT_53_UDP=udp://172.17.0.4:53',
      'ALIAS_C_PORT_53_UDP_ADDR=172.17.0.4',
      'ALIAS_C_PORT_53_UDP_PORT=53',
      'ALIAS_C_PORT_53_UDP_PROTO=udp',
      'ALIAS_C_NAME=/multi/alias-c',
      'HOME=/root',
    ]);
    engine.createContainer({ name: 'grp', image: 'busybox', exposedPorts: ['7000', '7001', '7002'] });
    engine.startContainer('grp');
    const g = engine.createContainer({ name: 'pp', image: 'busybox', links: ['grp:g'] });
    engine.startContainer('pp');
    expect(engine.execTarget('pp').env.slice(2, 9)).toEqual([
      'G_PORT=tcp://172.17.0.6:7000',
      'G_PORT_7000_TCP_START=tcp://172.17.0.6:7000',
      'G_PORT_7000_TCP_ADDR=172.17.0.6',
      'G_PORT_7000_TCP_PROTO=tcp',
      'G_PORT_7000_TCP_PORT_START=7000',
      'G_PORT_7000_TCP_END=tcp://172.17.0.6:7002',
      'G_PORT_7000_TCP_PORT_END=7002',
    ]);
    void g;
  });

  it('child restart updates the parents, removal leaves the entry stale and exec refused', () => {
    const { engine, fs } = dockerHost();
    engine.createContainer({ name: 'nginx_web1', image: 'nginx' });
    engine.startContainer('nginx_web1');
    const w1 = engine.findContainer('nginx_web1');
    const w3 = engine.createContainer({ name: 'nginx_web3', image: 'nginx', links: ['nginx_web1:www'] });
    engine.startContainer('nginx_web3');
    engine.stopContainer('nginx_web1');
    expect(() => engine.execTarget('nginx_web3')).toThrow('Cannot link to a non running container: /nginx_web1 AS /nginx_web3/www');
    engine.createContainer({ name: 'filler', image: 'busybox' });
    engine.startContainer('filler');
    engine.startContainer('nginx_web1');
    expect(w3.fs.read('/etc/hosts')).toBe(`${BASE}172.17.0.4\twww ${w1.id.slice(0, 12)} nginx_web1\n172.17.0.3\t${w3.id.slice(0, 12)}\n`);
    engine.removeContainer('nginx_web1', { force: true });
    engine.createContainer({ name: 'nginx_web1', image: 'nginx' });
    engine.startContainer('nginx_web1');
    expect(fs.read(`/var/lib/docker/containers/${w3.id}/hosts`)).toContain(`172.17.0.4\twww ${w1.id.slice(0, 12)} nginx_web1\n`);
    expect(() => engine.execTarget('nginx_web3')).toThrow('Cannot link to a non running container: /nginx_web1 AS /nginx_web3/www');
    expect(() => engine.restartContainer('nginx_web3')).toThrow(
      'Cannot restart container nginx_web3: Cannot link to a non running container: /nginx_web1 AS /nginx_web3/www',
    );
    expect(w3.status).toBe('exited');
    expect([...w3.ports.keys()]).toEqual(['80/tcp']);
  });

  it('link errors', () => {
    const { engine } = dockerHost();
    expect(() => engine.createContainer({ image: 'busybox', links: ['nosuchcontainer:alias'] })).toThrow(
      'could not get container for nosuchcontainer: No such container: nosuchcontainer',
    );
    engine.createContainer({ name: 'stopped', image: 'busybox' });
    const c = engine.createContainer({ image: 'busybox', links: ['stopped:s'] });
    expect(() => engine.startContainer(c.id)).toThrow(`Cannot link to a non running container: /stopped AS /${c.name}/s`);
  });
});

describe('files per mode and options (golden 06-09)', () => {
  it('hostname, domainname, add-host, host-gateway', () => {
    const { engine } = dockerHost();
    const a = engine.createContainer({ image: 'busybox', hostname: 'barker', domainname: 'example.com' });
    engine.startContainer(a.id);
    expect(a.fs.read('/etc/hosts')).toBe(`${BASE}172.17.0.2\tbarker.example.com barker\n`);
    expect(a.fs.read('/etc/hostname')).toBe('barker\n');
    const b = engine.createContainer({
      image: 'busybox',
      extraHosts: ['test:10.10.10.255', 'test:10.10.10.1', 'db.local:192.168.100.50', 'host.docker.internal:host-gateway'],
    });
    engine.startContainer(b.id);
    expect(b.fs.read('/etc/hosts')).toBe(
      `${BASE}10.10.10.255\ttest\n10.10.10.1\ttest\n192.168.100.50\tdb.local\n172.17.0.1\thost.docker.internal\n172.17.0.3\t${b.id.slice(0, 12)}\n`,
    );
  });

  it('resolv.conf with --dns, --dns-search, --dns-option', () => {
    const { engine } = dockerHost();
    const run = (o: Record<string, string[]>): string => {
      const c = engine.createContainer({ image: 'busybox', ...o });
      engine.startContainer(c.id);
      return c.fs.read('/etc/resolv.conf');
    };
    expect(run({ dns: ['8.8.8.8', '8.8.4.4'] })).toBe('nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
    expect(run({ dnsSearch: ['docker.com'] })).toBe('search docker.com\nnameserver 192.168.100.1\n');
    expect(run({ dnsOptions: ['ndots:2', 'timeout:1'] })).toBe('nameserver 192.168.100.1\noptions ndots:2 timeout:1\n');
    expect(run({ dns: ['8.8.8.8'], dnsSearch: ['docker.com'], dnsOptions: ['ndots:2'] })).toBe(
      'search docker.com\nnameserver 8.8.8.8\noptions ndots:2\n',
    );
    expect(run({ dnsSearch: ['.'] })).toBe('nameserver 192.168.100.1\n');
  });

  it('host, none and container modes', () => {
    const { engine, netns } = dockerHost();
    const h = engine.createContainer({ name: 'hh', image: 'busybox', networkMode: 'host' });
    engine.startContainer('hh');
    expect(h.fs.read('/etc/hosts')).toBe('127.0.0.1\tlocalhost\n192.168.100.200\tdocker-node1\n');
    expect(h.fs.read('/etc/hostname')).toBe('docker-node1\n');
    expect(engine.runtime(h).netns).toBe(netns);
    const n = engine.createContainer({ name: 'nn', image: 'busybox', networkMode: 'none' });
    engine.startContainer('nn');
    expect(n.sandbox?.netns.sortedLinks().map((l) => l.name)).toEqual(['lo']);
    expect(n.fs.read('/etc/hosts')).toBe(BASE);
    const o = engine.createContainer({ name: 'owner', image: 'busybox' });
    engine.startContainer('owner');
    const j = engine.createContainer({ name: 'joined', image: 'busybox', networkMode: 'container:owner' });
    engine.startContainer('joined');
    expect(j.sandbox?.netns).toBe(o.sandbox?.netns);
    expect(j.fs.read('/etc/hosts')).toBe(o.fs.read('/etc/hosts'));
    expect(engine.hostnameOf(j)).toBe(o.id.slice(0, 12));
    expect(() =>
      engine.createContainer({
        image: 'busybox',
        networkMode: 'container:owner',
        portBindings: { '80/tcp': [{ HostIp: '', HostPort: '80' }] },
      }),
    ).toThrow('conflicting options: port publishing and the container type network mode');
    const missing = engine.createContainer({ image: 'busybox', networkMode: 'container:missing' });
    expect(missing.hostConfig.NetworkMode).toBe('container:missing');
    expect(() => engine.startContainer(missing.id)).toThrow('No such container: missing');
    expect(() => engine.connect('bridge', 'joined')).toThrow(
      'container sharing network namespace with another container or host cannot be connected to any other network',
    );
    expect(() => engine.connect('bridge', 'nn')).toThrow(
      'container cannot be connected to multiple networks with one of the networks in private (none) mode',
    );
    expect(() => engine.connect('bridge', 'hh')).toThrow(
      'container sharing network namespace with another container or host cannot be connected to any other network',
    );
    engine.stopContainer('owner');
    expect(() => engine.startContainer('owner')).not.toThrow();
  });
});
