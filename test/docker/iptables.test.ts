/**
 * iptables programming, compared with the golden transcripts' dumps (04, 05, 10a, 10e, 10f).
 * The rules go through netfilter.run(argv) exactly as dockerd issues them; the fake netfilter
 * here stores and prints them until the real one is wired in.
 */
import { describe, expect, it } from 'vitest';
import { dockerHost } from './harness.ts';

const lines = (s: string): string[] => s.trim().split('\n');

describe('daemon start (golden 04, first iptables-save)', () => {
  it('creates the chains, rules and FORWARD policy of a fresh host', () => {
    const { nf } = dockerHost();
    expect(nf.save('nat')).toEqual(
      lines(`:PREROUTING ACCEPT
:INPUT ACCEPT
:OUTPUT ACCEPT
:POSTROUTING ACCEPT
:DOCKER -
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN`),
    );
    expect(nf.save('filter')).toEqual(
      lines(`:INPUT ACCEPT
:FORWARD DROP
:OUTPUT ACCEPT
:DOCKER -
:DOCKER-ISOLATION-STAGE-1 -
:DOCKER-ISOLATION-STAGE-2 -
:DOCKER-USER -
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN`),
    );
  });

  it('issues the calls in dockerd order, with -C checks and --wait', () => {
    const { engine } = dockerHost();
    engine.ipt.recording = true;
    engine.createNetwork({ name: 'n1', subnet: ['172.19.0.0/16'] });
    const br = engine.findNetwork('n1').bridge?.name ?? '';
    const argv = engine.ipt.log.map((c) => c.argv.join(' '));
    expect(argv.slice(0, 4)).toEqual([
      `--wait -t nat -C POSTROUTING -s 172.19.0.0/16 ! -o ${br} -j MASQUERADE`,
      `--wait -t nat -I POSTROUTING -s 172.19.0.0/16 ! -o ${br} -j MASQUERADE`,
      `--wait -t nat -C DOCKER -i ${br} -j RETURN`,
      `--wait -t nat -I DOCKER -i ${br} -j RETURN`,
    ]);
    expect(argv.slice(-5)).toEqual([
      '--wait -t filter -n -L DOCKER-USER',
      '--wait -t filter -C DOCKER-USER -j RETURN',
      '--wait -t filter -C FORWARD -j DOCKER-USER',
      '--wait -D FORWARD -j DOCKER-USER',
      '--wait -I FORWARD -j DOCKER-USER',
    ]);
  });
});

describe('networks (golden 04)', () => {
  it('inserts a new network above older ones; internal and icc=false networks', () => {
    const { engine, nf } = dockerHost();
    const a = engine.createNetwork({ name: 'mynetwork', subnet: ['172.19.0.0/16'], gateway: ['172.19.0.1'] }).bridge?.name;
    const b = engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] }).bridge?.name;
    expect(nf.rules('nat', 'POSTROUTING')).toEqual([
      `-A POSTROUTING -s 172.25.0.0/16 ! -o ${b} -j MASQUERADE`,
      `-A POSTROUTING -s 172.19.0.0/16 ! -o ${a} -j MASQUERADE`,
      '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
    ]);
    expect(nf.rules('filter', 'DOCKER-ISOLATION-STAGE-2')).toEqual([
      `-A DOCKER-ISOLATION-STAGE-2 -o ${b} -j DROP`,
      `-A DOCKER-ISOLATION-STAGE-2 -o ${a} -j DROP`,
      '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP',
      '-A DOCKER-ISOLATION-STAGE-2 -j RETURN',
    ]);
    const i = engine.createNetwork({ name: 'internal-net', internal: true });
    expect(i.ipamConfig[0].Subnet).toBe('172.18.0.0/16');
    const ib = i.bridge?.name;
    expect(nf.rules('filter', 'FORWARD').slice(0, 3)).toEqual([
      '-A FORWARD -j DOCKER-USER',
      '-A FORWARD -j DOCKER-ISOLATION-STAGE-1',
      `-A FORWARD -i ${ib} -o ${ib} -j ACCEPT`,
    ]);
    expect(nf.rules('filter', 'DOCKER-ISOLATION-STAGE-1').slice(0, 2)).toEqual([
      `-A DOCKER-ISOLATION-STAGE-1 ! -s 172.18.0.0/16 -o ${ib} -j DROP`,
      `-A DOCKER-ISOLATION-STAGE-1 ! -d 172.18.0.0/16 -i ${ib} -j DROP`,
    ]);
    const nb = engine.createNetwork({ name: 'noicc', options: { 'com.docker.network.bridge.enable_icc': 'false' } }).bridge?.name;
    const fwd = nf.rules('filter', 'FORWARD');
    expect(fwd.slice(2, 5)).toEqual([
      `-A FORWARD -o ${nb} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
      `-A FORWARD -o ${nb} -j DOCKER`,
      `-A FORWARD -i ${nb} ! -o ${nb} -j ACCEPT`,
    ]);
    expect(fwd[fwd.length - 1]).toBe(`-A FORWARD -i ${nb} -o ${nb} -j DROP`);
    engine.createNetwork({ name: 'named-br', options: { 'com.docker.network.bridge.name': 'mybr0' } });
    expect(nf.rules('nat', 'POSTROUTING')[0]).toBe('-A POSTROUTING -s 172.21.0.0/16 ! -o mybr0 -j MASQUERADE');
    // Removing a network takes its rules away.
    engine.removeNetwork('named-br');
    expect(nf.rules('nat', 'POSTROUTING').some((r) => r.includes('mybr0'))).toBe(false);
    expect(nf.rules('filter', 'FORWARD').some((r) => r.includes('mybr0'))).toBe(false);
  });
});

describe('published ports (golden 05)', () => {
  it('adds DNAT, filter ACCEPT and hairpin MASQUERADE, docker-proxy processes and sockets', () => {
    const { engine, nf, procs, netns } = dockerHost();
    engine.createContainer({ name: 'web', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8899' }] } });
    engine.startContainer('web');
    expect(nf.rules('nat', 'DOCKER')).toEqual([
      '-A DOCKER -i docker0 -j RETURN',
      '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8899 -j DNAT --to-destination 172.17.0.2:80',
    ]);
    expect(nf.rules('nat', 'POSTROUTING')[1]).toBe(
      '-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE',
    );
    expect(nf.rules('filter', 'DOCKER')).toEqual(['-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT']);
    expect(
      procs
        .list()
        .filter((p) => p.comm === 'docker-proxy')
        .map((p) => p.cmdline),
    ).toEqual([
      '/usr/sbin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8899 -container-ip 172.17.0.2 -container-port 80',
      '/usr/sbin/docker-proxy -proto tcp -host-ip :: -host-port 8899 -container-ip 172.17.0.2 -container-port 80',
    ]);
    expect(netns.sockets.all().map((s) => `${s.proto} ${s.local.family === 4 ? s.local.ip : s.local.ip}:${s.port}`)).toEqual([
      'tcp 0:8899',
      'tcp :::8899',
    ]);
    expect([...engine.networkSettingsPorts(engine.findContainer('web'))]).toEqual([
      [
        '80/tcp',
        [
          { HostIp: '0.0.0.0', HostPort: '8899' },
          { HostIp: '::', HostPort: '8899' },
        ],
      ],
    ]);
    engine.stopContainer('web');
    expect(nf.rules('nat', 'DOCKER')).toEqual(['-A DOCKER -i docker0 -j RETURN']);
    expect(procs.list().filter((p) => p.comm === 'docker-proxy')).toEqual([]);
    expect(netns.sockets.all()).toEqual([]);
  });

  it('allocates ephemeral ports in Docker order, per host IP, with retries on proxy bind failure', () => {
    const { engine } = dockerHost();
    const run = (name: string, image: string, o: Record<string, unknown>): string[] => {
      const c = engine.createContainer({ name, image, ...o });
      engine.startContainer(name);
      return engine.portBindings(c).map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.proto}`);
    };
    expect(run('web', 'nginx', { portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8899' }] } })).toEqual([
      '0.0.0.0:8899->80/tcp',
      ':::8899->80/tcp',
    ]);
    expect(run('web2', 'nginx', { portBindings: { '3333/tcp': [{ HostIp: '', HostPort: '' }] } })).toEqual([
      '0.0.0.0:32768->3333/tcp',
      ':::32768->3333/tcp',
    ]);
    expect(run('web3', 'nginx', { portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } })).toEqual([
      '127.0.0.1:32769->80/tcp',
    ]);
    expect(run('web4', 'nginx', { portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }] } })).toEqual([
      '127.0.0.1:8081->80/tcp',
    ]);
    expect(run('dns', 'busybox', { portBindings: { '53/udp': [{ HostIp: '', HostPort: '53' }] } })).toEqual([
      '0.0.0.0:53->53/udp',
      ':::53->53/udp',
    ]);
    expect(run('web5', 'nginx', { portBindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] } })).toEqual([
      '0.0.0.0:32770->80/tcp',
      ':::32769->80/tcp',
    ]);
    expect(
      run('range', 'busybox', {
        portBindings: {
          '9000/tcp': [{ HostIp: '', HostPort: '9000' }],
          '9001/tcp': [{ HostIp: '', HostPort: '9001' }],
          '9002/tcp': [{ HostIp: '', HostPort: '9002' }],
        },
      }),
    ).toEqual([
      '0.0.0.0:9002->9002/tcp',
      ':::9002->9002/tcp',
      '0.0.0.0:9001->9001/tcp',
      ':::9001->9001/tcp',
      '0.0.0.0:9000->9000/tcp',
      ':::9000->9000/tcp',
    ]);
    expect(run('tc', 'tomcat', { publishAll: true })).toEqual(['0.0.0.0:32771->8080/tcp', ':::32770->8080/tcp']);
    expect(run('woolery', 'dockerinaction/ch5_expose', { publishAll: true })).toEqual([
      '0.0.0.0:32772->7000/tcp',
      ':::32771->7000/tcp',
      '0.0.0.0:32773->6000/tcp',
      ':::32772->6000/tcp',
      '0.0.0.0:32774->5000/tcp',
      ':::32773->5000/tcp',
    ]);
  });

  it('port conflicts: allocator error, proxy bind error, and the container left Created', () => {
    const { engine, nf } = dockerHost();
    engine.createContainer({ name: 'web', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8899' }] } });
    engine.startContainer('web');
    engine.createContainer({ name: 'web4', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }] } });
    engine.startContainer('web4');
    const before = nf.rules('nat', 'DOCKER');
    const w7 = engine.createContainer({ name: 'web7', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8899' }] } });
    expect(() => engine.startContainer('web7')).toThrow(
      /^driver failed programming external connectivity on endpoint web7 \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8899 failed: port is already allocated$/,
    );
    expect(w7.status).toBe('created');
    expect(w7.sandbox).toBeNull();
    engine.createContainer({ name: 'web9', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8081' }] } });
    expect(() => engine.startContainer('web9')).toThrow(
      /: Error starting userland proxy: listen tcp4 0\.0\.0\.0:8081: bind: address already in use$/,
    );
    expect(nf.rules('nat', 'DOCKER')).toEqual(before);
  });
});

describe('daemon options', () => {
  it('--icc=false: DROP at the end of FORWARD, link rules per exposed port (golden 10a)', () => {
    const { engine, nf } = dockerHost({ daemon: ['--icc=false'] });
    const fwd = nf.rules('filter', 'FORWARD');
    expect(fwd[fwd.length - 1]).toBe('-A FORWARD -i docker0 -o docker0 -j DROP');
    expect(fwd).not.toContain('-A FORWARD -i docker0 -o docker0 -j ACCEPT');
    engine.createContainer({ name: 'db', image: 'mysql' });
    engine.startContainer('db');
    engine.createContainer({ name: 'web', image: 'centos:7', links: ['db'] });
    engine.startContainer('web');
    expect(nf.rules('filter', 'DOCKER')).toEqual([
      '-A DOCKER -s 172.17.0.3/32 -d 172.17.0.2/32 -i docker0 -o docker0 -p tcp -m tcp --dport 3306 -j ACCEPT',
      '-A DOCKER -s 172.17.0.2/32 -d 172.17.0.3/32 -i docker0 -o docker0 -p tcp -m tcp --sport 3306 -j ACCEPT',
      '-A DOCKER -s 172.17.0.3/32 -d 172.17.0.2/32 -i docker0 -o docker0 -p tcp -m tcp --dport 33060 -j ACCEPT',
      '-A DOCKER -s 172.17.0.2/32 -d 172.17.0.3/32 -i docker0 -o docker0 -p tcp -m tcp --sport 33060 -j ACCEPT',
    ]);
  });

  it('--ip-masq=false keeps user networks masqueraded (golden 10e)', () => {
    const { engine, nf } = dockerHost({ daemon: ['--ip-masq=false'] });
    expect(nf.rules('nat', 'POSTROUTING')).toEqual([]);
    expect(nf.rules('nat', 'DOCKER')).toEqual([]);
    engine.createNetwork({ name: 'n' });
    expect(nf.rules('nat', 'POSTROUTING')).toHaveLength(1);
  });

  it('--iptables=false programs nothing; --userland-proxy=false adds hairpin rules (golden 10f)', () => {
    const { nf, netns } = dockerHost({ daemon: ['--iptables=false'] });
    expect(nf.save('filter')).toEqual([':INPUT ACCEPT', ':FORWARD ACCEPT', ':OUTPUT ACCEPT']);
    expect(netns.sysctls.ipForward).toBe(true);
    const h = dockerHost({ daemon: ['--userland-proxy=false'] });
    expect(h.nf.rules('nat', 'POSTROUTING')).toEqual([
      '-A POSTROUTING -o docker0 -m addrtype --src-type LOCAL -j MASQUERADE',
      '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
    ]);
    expect(h.nf.rules('nat', 'OUTPUT')).toEqual(['-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER']);
    h.engine.createContainer({ name: 'web', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } });
    h.engine.startContainer('web');
    expect(h.nf.rules('nat', 'DOCKER')).toEqual(['-A DOCKER -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80']);
    expect(h.procs.list().filter((p) => p.comm === 'docker-proxy')).toEqual([]);
    expect(h.netns.sockets.all().map((s) => `${s.owner?.name} ${s.owner?.fd} ${s.port}`)).toEqual(['dockerd 24 8080']);
  });

  it('restart: user networks restored, default bridge recreated on top (golden 10b)', () => {
    const { engine, nf, netns } = dockerHost({ daemon: ['--bip=172.18.0.1/16'] });
    const n = engine.createNetwork({ name: 'auto-after-bip' });
    expect(n.ipamConfig[0].Subnet).toBe('172.17.0.0/16');
    expect(() => engine.createNetwork({ name: 'x', subnet: ['172.18.0.0/16'] })).toThrow(
      'Pool overlaps with other one on this address space',
    );
    const oldBridge = engine.findNetwork('bridge').id;
    expect(engine.restart(['--bip=192.168.0.129/25'])).toBeNull();
    expect(engine.findNetwork('bridge').id).not.toBe(oldBridge);
    expect(nf.rules('nat', 'POSTROUTING')).toEqual([
      '-A POSTROUTING -s 192.168.0.128/25 ! -o docker0 -j MASQUERADE',
      `-A POSTROUTING -s 172.17.0.0/16 ! -o ${n.bridge?.name} -j MASQUERADE`,
    ]);
    expect(netns.linkByName('docker0')?.addrs4.map((a) => a.prefix)).toEqual([25]);
    engine.stop();
    expect(engine.start(['--bip=192.168.0.128/25'])).toBe(
      'failed to start daemon: Error initializing network controller: Error creating default "bridge" network: failed to allocate gateway (192.168.0.128): Address already in use',
    );
    expect(engine.start(['--bip=192.168.0.128'])).toBe(
      'failed to start daemon: Error initializing network controller: invalid CIDR address: 192.168.0.128',
    );
    expect(engine.start(['--bip=172.18.0.1/16', '--bridge=mybr0'])).toBe(
      'failed to start daemon: You specified -b & --bip, mutually exclusive options. Please specify only one',
    );
  });
});

describe('port binding host addresses (port_mapping.go validatePortBinding*)', () => {
  it('0.0.0.0 given explicitly still gets the :: twin; a specific IPv4 does not', () => {
    const { engine } = dockerHost();
    const a = engine.createContainer({
      name: 'zero',
      image: 'nginx',
      portBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] },
    });
    engine.startContainer('zero');
    expect(engine.portBindings(a).map((p) => `${p.hostIp}:${p.hostPort}`)).toEqual(['0.0.0.0:8080', ':::8080']);
    const b = engine.createContainer({
      name: 'lo',
      image: 'nginx',
      portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }] },
    });
    engine.startContainer('lo');
    expect(engine.portBindings(b).map((p) => `${p.hostIp}:${p.hostPort}`)).toEqual(['127.0.0.1:8081']);
  });
});
