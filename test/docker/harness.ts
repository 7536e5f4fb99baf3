/** A golden-profile-like host for engine tests: eth0 192.168.100.200/24, default route, resolv.conf. */
import { Clock } from '../../src/sim/base/clock.ts';
import { Rng } from '../../src/sim/base/rng.ts';
import { Vfs } from '../../src/sim/base/vfs.ts';
import { World } from '../../src/sim/net/world.ts';
import { ProcessTable } from '../../src/sim/apps/process.ts';
import { DockerEngine } from '../../src/sim/docker/engine.ts';
import { GOLDEN_IMAGES } from '../../src/sim/docker/images/golden.ts';
import { FakeNetfilter } from './fake-netfilter.ts';
import { NetStack } from '../../src/sim/net/stack.ts';

export function dockerHost(opts: { seed?: number; daemon?: string[]; fakeNetfilter?: boolean } = {}) {
  const clock = new Clock(Date.UTC(2026, 10, 23, 10, 29, 30));
  const rng = new Rng(opts.seed ?? 7);
  const world = new World(rng.fork(), clock);
  const netns = world.createNetns('docker-node1');
  const eth0 = netns.addLink({ name: 'eth0', kind: 'ether', mac: '52:54:00:4e:64:c8' });
  netns.setUp(eth0.ifindex, true);
  netns.addAddr4(eth0.ifindex, 0xc0a864c8, 24);
  netns.addRoute({ dst: 0, prefix: 0, gateway: 0xc0a86401, dev: eth0.ifindex, proto: 'boot', scope: 'global', src: null, metric: 0 });
  const fs = new Vfs(() => clock.now());
  fs.mkdir('/etc/docker', { parents: true });
  fs.write('/etc/resolv.conf', 'nameserver 192.168.100.1\n');
  fs.write('/etc/hosts', '127.0.0.1\tlocalhost\n192.168.100.200\tdocker-node1\n');
  const procs = new ProcessTable(1);
  const stack = new NetStack(world);
  const nf = opts.fakeNetfilter === false ? null : new FakeNetfilter().install(netns);
  const engine = new DockerEngine({
    world,
    netns,
    fs,
    procs,
    clock,
    rng: rng.fork(),
    hostname: () => 'docker-node1',
    stack,
    profile: { name: 'golden', images: GOLDEN_IMAGES, proxyPath: '/usr/sbin/docker-proxy', dockerdCmdline: '/usr/sbin/dockerd' },
  });
  const err = engine.start(opts.daemon ?? []);
  if (err) throw new Error(err);
  return { engine, world, netns, fs, procs, clock, stack, nf: nf as FakeNetfilter };
}
