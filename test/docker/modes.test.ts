import { describe, expect, it } from 'vitest';
import { dockerHost } from './harness.ts';
import { DockerApi } from '../../src/sim/docker/api.ts';

describe('container mode lifecycle (golden 08)', () => {
  it('the joined container keeps the old namespace when the owner stops, follows it after its own restart', () => {
    const { engine } = dockerHost();
    const api = new DockerApi(engine);
    const owner = engine.createContainer({ name: 'tomcat_app1', image: 'tomcat' });
    engine.startContainer(owner.id);
    const j = engine.createContainer({ name: 'container_docker', image: 'nginx', networkMode: 'container:tomcat_app1' });
    engine.startContainer(j.id);
    expect(j.hostConfig.NetworkMode).toBe(`container:${owner.id}`);
    const ns = engine.runtime(j).netns;
    expect(ns.sortedLinks().map((l) => l.name)).toEqual(['lo', 'eth0']);
    const settings = (api.containerInspect('container_docker') as { NetworkSettings: Record<string, unknown> }).NetworkSettings;
    expect(settings.SandboxID).toBe('');
    expect(settings.SandboxKey).toBe('');
    expect([...(settings.Networks as Map<string, unknown>).keys()]).toEqual([]);
    engine.stopContainer('tomcat_app1');
    expect(engine.runtime(j).netns).toBe(ns);
    expect(ns.sortedLinks().map((l) => l.name)).toEqual(['lo']);
    engine.startContainer('tomcat_app1');
    expect(
      engine
        .runtime(j)
        .netns.sortedLinks()
        .map((l) => l.name),
    ).toEqual(['lo']);
    engine.restartContainer('container_docker');
    expect(engine.runtime(j).netns).toBe(engine.runtime(owner).netns);
    expect(
      engine
        .runtime(j)
        .netns.sortedLinks()
        .map((l) => l.name),
    ).toEqual(['lo', 'eth0']);
    engine.removeContainer('tomcat_app1', { force: true });
    expect(
      engine
        .runtime(j)
        .netns.sortedLinks()
        .map((l) => l.name),
    ).toEqual(['lo']);
    engine.stopContainer('container_docker');
    expect(() => engine.startContainer('container_docker')).toThrow(`No such container: ${owner.id}`);
    const stopped = engine.createContainer({ name: 'stopped', image: 'busybox' });
    const k = engine.createContainer({ image: 'busybox', networkMode: 'container:stopped' });
    expect(() => engine.startContainer(k.id)).toThrow(`cannot join network of a non running container: ${stopped.id}`);
  });

  it('host mode: hostname from the host, connect errors, the publish warning', () => {
    const { engine } = dockerHost();
    const api = new DockerApi(engine);
    const r = api.containerCreate({
      name: 'nginx',
      image: 'nginx',
      hostname: '',
      domainname: '',
      user: '',
      env: [],
      cmd: null,
      entrypoint: null,
      workingDir: '',
      exposedPorts: ['80/tcp'],
      labels: {},
      tty: true,
      openStdin: true,
      macAddress: '',
      networkMode: 'host',
      portBindings: new Map([['80/tcp', [{ HostIp: '', HostPort: '80' }]]]),
      publishAllPorts: false,
      links: [],
      dns: [],
      dnsSearch: [],
      dnsOptions: [],
      extraHosts: [],
      restartPolicy: { Name: '', MaximumRetryCount: 0 },
      autoRemove: false,
      endpoint: null,
    });
    expect(r.warnings).toEqual(['Published ports are discarded when using host network mode']);
    api.containerStart('nginx');
    expect((api.containerInspect('nginx') as { Config: { Hostname: string } }).Config.Hostname).toBe('docker-node1');
    expect(() => engine.connect('bridge', 'nginx')).toThrow(
      'container sharing network namespace with another container or host cannot be connected to any other network',
    );
    expect(() => engine.disconnect('host', 'nginx')).toThrow(
      'container cannot be disconnected from host network or connected to host network',
    );
    engine.createContainer({ name: 'b1', image: 'busybox' });
    engine.startContainer('b1');
    expect(() => engine.connect('host', 'b1')).toThrow('container cannot be disconnected from host network or connected to host network');
    expect(() => engine.createNetwork({ name: 'myhost', driver: 'host' })).toThrow('only one instance of "host" network is allowed');
  });
});

describe('daemon --fixed-cidr and --mtu (golden 10c, 10d)', () => {
  it('hands out the sub-range first address first; a range outside the subnet is shown but unused', () => {
    const { engine } = dockerHost({ daemon: ['--bip=192.168.0.129/25', '--fixed-cidr=192.168.0.192/26'] });
    expect(engine.findNetwork('bridge').ipamConfig).toEqual([
      { Subnet: '192.168.0.128/25', IPRange: '192.168.0.192/26', Gateway: '192.168.0.129' },
    ]);
    const f1 = engine.createContainer({ name: 'f1', image: 'busybox' });
    engine.startContainer('f1');
    expect(f1.networks.get('bridge')?.endpoint?.ip).toBe(0xc0a800c0);
    expect(f1.networks.get('bridge')?.endpoint?.prefix).toBe(25);
    engine.stopContainer('f1');
    expect(engine.restart(['--fixed-cidr=172.17.128.0/17'])).toBeNull();
    expect(engine.findNetwork('bridge').ipamConfig).toEqual([
      { Subnet: '192.168.0.128/25', IPRange: '172.17.128.0/17', Gateway: '192.168.0.129' },
    ]);
    const x = engine.createContainer({ image: 'busybox' });
    engine.startContainer(x.id);
    expect(x.networks.get('bridge')?.endpoint?.ip).toBe(0xc0a80082);
    const fresh = dockerHost({ daemon: ['--fixed-cidr=172.17.128.0/17'] });
    const g1 = fresh.engine.createContainer({ name: 'g1', image: 'busybox' });
    fresh.engine.startContainer('g1');
    expect(g1.networks.get('bridge')?.endpoint?.ip).toBe(0xac118000);
  });

  it('--mtu applies to docker0 containers, not to user networks unless driver.mtu', () => {
    const { engine, netns } = dockerHost({ daemon: ['--mtu=1200'] });
    expect(netns.linkByName('docker0')?.mtu).toBe(1500);
    const m1 = engine.createContainer({ name: 'm1', image: 'busybox' });
    engine.startContainer('m1');
    expect(m1.sandbox?.netns.linkByName('eth0')?.mtu).toBe(1200);
    expect(netns.linkByName('docker0')?.mtu).toBe(1200);
    engine.createNetwork({ name: 'usernet' });
    engine.createNetwork({ name: 'mtunet', options: { 'com.docker.network.driver.mtu': '1400' } });
    const u = engine.createContainer({ image: 'busybox', networkMode: 'usernet' });
    engine.startContainer(u.id);
    expect(u.sandbox?.netns.linkByName('eth0')?.mtu).toBe(1500);
    const t = engine.createContainer({ image: 'busybox', networkMode: 'mtunet' });
    engine.startContainer(t.id);
    expect(t.sandbox?.netns.linkByName('eth0')?.mtu).toBe(1400);
  });
});

describe('daemon restart and restart policies', () => {
  it('stops containers, restarts those with a policy, keeps user networks', () => {
    const { engine, netns } = dockerHost();
    engine.createNetwork({ name: 'usernet' });
    engine.createContainer({ name: 'plain', image: 'busybox' });
    engine.startContainer('plain');
    engine.createContainer({ name: 'always', image: 'busybox', restart: { name: 'always', max: 0 } });
    engine.startContainer('always');
    engine.createContainer({ name: 'us', image: 'busybox', restart: { name: 'unless-stopped', max: 0 } });
    engine.startContainer('us');
    engine.stopContainer('us');
    const usernetId = engine.findNetwork('usernet').id;
    expect(engine.restart([])).toBeNull();
    expect(engine.findContainer('plain').status).toBe('exited');
    expect(engine.findContainer('plain').exitCode).toBe(137);
    expect(engine.findContainer('always').running).toBe(true);
    expect(engine.findContainer('us').running).toBe(false);
    expect(engine.findNetwork('usernet').id).toBe(usernetId);
    expect(netns.linkByName(engine.findNetwork('usernet').bridge?.name ?? '')).toBeDefined();
  });

  it('on-failure restarts a failing main process after the back-off, up to the maximum', () => {
    const { engine, clock } = dockerHost();
    (engine.env as { startProgram?: (rt: { exit(code: number): void }) => void }).startProgram = (rt) => rt.exit(1);
    const c = engine.createContainer({ name: 'flaky', image: 'busybox', restart: { name: 'on-failure', max: 2 } });
    engine.startContainer('flaky');
    expect([c.status, c.restartCount, c.exitCode]).toEqual(['restarting', 1, 1]);
    clock.advance(99);
    engine.runDue();
    expect(c.restartCount).toBe(1);
    clock.advance(1);
    engine.runDue();
    expect([c.status, c.restartCount]).toEqual(['restarting', 2]);
    clock.advance(200);
    engine.listContainers(true);
    expect([c.status, c.restartCount, c.exitCode]).toEqual(['exited', 2, 1]);
    const a = engine.createContainer({ name: 'always', image: 'busybox', restart: { name: 'always', max: 0 } });
    engine.startContainer('always');
    expect(a.status).toBe('restarting');
    engine.stopContainer('always');
    clock.advance(60_000);
    engine.runDue();
    expect(a.status).toBe('exited');
  });
});

describe('start failures (daemon/start.go clean-up)', () => {
  it('records the error, sets 128, removes --rm containers; a removed network fails the next start', () => {
    const { engine } = dockerHost();
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'] });
    engine.startContainer(engine.createContainer({ name: 'c1', image: 'busybox', networkMode: 'my-net', ip: '172.25.0.5' }).id);
    const rm = engine.createContainer({ image: 'busybox', networkMode: 'my-net', ip: '172.25.0.5', autoRemove: true });
    expect(() => engine.startContainer(rm.id)).toThrow('Address already in use');
    expect(engine.tryContainer(rm.id)).toBeNull();
    const keep = engine.createContainer({ name: 'keep', image: 'busybox', networkMode: 'my-net', ip: '172.25.0.5' });
    expect(() => engine.startContainer('keep')).toThrow('Address already in use');
    expect(keep.exitCode).toBe(128);
    expect(keep.error).toBe('Address already in use');
    expect(keep.status).toBe('created');
    engine.createNetwork({ name: 'gone' });
    const g = engine.createContainer({ name: 'ongone', image: 'busybox', networkMode: 'gone' });
    engine.startContainer('ongone');
    engine.stopContainer('ongone');
    expect(engine.pruneNetworks()).toEqual(['gone']);
    expect(() => engine.startContainer('ongone')).toThrow('network gone not found');
    void g;
  });
});

describe('daemon configuration sources', () => {
  it('reads /etc/docker/daemon.json and rejects a key given both ways', () => {
    const { engine, fs } = dockerHost();
    fs.write('/etc/docker/daemon.json', '{"bip": "10.200.0.1/24", "default-address-pools": [{"base": "10.10.0.0/16", "size": 24}]}');
    expect(engine.restart([])).toBeNull();
    expect(engine.findNetwork('bridge').ipamConfig).toEqual([{ Subnet: '10.200.0.0/24', Gateway: '10.200.0.1' }]);
    expect(engine.createNetwork({ name: 'p1' }).ipamConfig[0].Subnet).toBe('10.10.0.0/24');
    expect(engine.createNetwork({ name: 'p2' }).ipamConfig[0].Subnet).toBe('10.10.1.0/24');
    engine.stop();
    expect(engine.start(['--bip=10.201.0.1/24'])).toBe(
      'failed to start daemon: unable to configure the Docker daemon with file /etc/docker/daemon.json: the following directives are specified both as a flag and in the configuration file: bip: (from flag: 10.201.0.1/24, from file: 10.200.0.1/24)',
    );
  });

  it('-b uses an existing bridge device and refuses a missing one', () => {
    const { engine, netns } = dockerHost();
    engine.stop();
    expect(engine.start(['-b', 'mybr0'])).toBe(
      'failed to start daemon: Error initializing network controller: Error creating default "bridge" network: bridge device with non default name mybr0 must be created manually',
    );
    const br = netns.addLink({ name: 'mybr0', kind: 'bridge' });
    netns.addAddr4(br.ifindex, 0x0a0b0001, 24);
    expect(engine.start(['-b', 'mybr0'])).toBeNull();
    expect(engine.findNetwork('bridge').ipamConfig).toEqual([{ Subnet: '10.11.0.0/24', Gateway: '10.11.0.1' }]);
    const c = engine.createContainer({ image: 'busybox' });
    engine.startContainer(c.id);
    expect(c.networks.get('bridge')?.endpoint?.ip).toBe(0x0a0b0002);
  });
});

describe('the gateway endpoint (sandbox ordering by network name)', () => {
  it('connecting to a network that sorts first moves the default route and the published ports', () => {
    const { engine, procs } = dockerHost();
    engine.createNetwork({ name: 'abc', subnet: ['10.5.0.0/24'] });
    const c = engine.createContainer({ name: 'web', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } });
    engine.startContainer('web');
    const ns = c.sandbox?.netns;
    const gw = (): number | null | undefined => ns?.routes.find((r) => r.prefix === 0)?.gateway;
    expect(gw()).toBe(0xac110001);
    engine.connect('abc', 'web');
    expect(gw()).toBe(0x0a050001);
    expect(
      procs
        .list()
        .filter((p) => p.comm === 'docker-proxy')
        .map((p) => p.cmdline.split(' -container-ip ')[1]),
    ).toEqual(['10.5.0.2 -container-port 80', '10.5.0.2 -container-port 80']);
    engine.disconnect('abc', 'web');
    expect(gw()).toBe(0xac110001);
    expect(engine.portBindings(c).map((p) => p.containerIp)).toEqual(['172.17.0.2', '172.17.0.2']);
  });
});

describe('dockerd flag parsing (property)', () => {
  it('never throws, and boolean flags round-trip', async () => {
    const fc = await import('fast-check');
    const { parseDaemonFlags } = await import('../../src/sim/docker/config.ts');
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 6 }), (argv) => {
        const r = parseDaemonFlags(argv);
        return 'error' in r ? typeof r.error === 'string' : typeof r.config.mtu === 'number';
      }),
    );
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (icc, masq, proxy) => {
        const r = parseDaemonFlags([`--icc=${icc}`, `--ip-masq=${masq}`, `--userland-proxy=${proxy}`]);
        return !('error' in r) && r.config.icc === icc && r.config.ipMasq === masq && r.config.userlandProxy === proxy;
      }),
    );
  });
});

describe('dockerd options from the systemd unit', () => {
  it('takes the last ExecStart and accepts the unit file flags', async () => {
    const { daemonArgsFromUnit, parseDaemonFlags } = await import('../../src/sim/docker/config.ts');
    const unit =
      '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// --icc=false --bip=10.1.0.1/24\n';
    const argv = daemonArgsFromUnit(unit);
    expect(argv).toEqual(['-H', 'fd://', '--icc=false', '--bip=10.1.0.1/24']);
    const r = parseDaemonFlags(argv);
    expect('error' in r ? r.error : [r.config.icc, r.config.bip]).toEqual([false, '10.1.0.1/24']);
    expect(parseDaemonFlags(['--nosuch'])).toEqual({ error: 'unknown flag: --nosuch' });
  });
});
