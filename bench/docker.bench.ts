/**
 * Docker engine latency: `docker run -d` (create + start, then rm -f to keep the count steady)
 * and `docker network connect` + `disconnect`, with 10 and with 1,000 running containers.
 */
import { Clock } from '../src/sim/base/clock.ts';
import { Rng } from '../src/sim/base/rng.ts';
import { Vfs } from '../src/sim/base/vfs.ts';
import { World } from '../src/sim/net/world.ts';
import { NetStack } from '../src/sim/net/stack.ts';
import { ProcessTable } from '../src/sim/apps/process.ts';
import { DockerEngine } from '../src/sim/docker/engine.ts';
import { DEFAULT_PROFILE } from '../src/sim/docker/profiles.ts';
import type { BenchCase, BenchSuite } from './run.ts';

function engineWith(running: number): DockerEngine {
  const clock = new Clock(Date.UTC(2026, 10, 23, 10, 29, 30));
  const rng = new Rng(3);
  const world = new World(rng.fork(), clock);
  const netns = world.createNetns('host');
  const eth0 = netns.addLink({ name: 'eth0', kind: 'ether' });
  netns.setUp(eth0.ifindex, true);
  netns.addAddr4(eth0.ifindex, 0xc0a864c8, 24);
  const fs = new Vfs(() => clock.now());
  fs.mkdir('/etc', { parents: true });
  fs.write('/etc/resolv.conf', 'nameserver 192.168.100.1\n');
  const e = new DockerEngine({
    world,
    netns,
    fs,
    procs: new ProcessTable(1),
    clock,
    rng: rng.fork(),
    hostname: () => 'host',
    stack: new NetStack(world),
    profile: DEFAULT_PROFILE,
  });
  e.start([]);
  e.createNetwork({ name: 'benchnet' });
  for (let i = 0; i < running; i++) e.startContainer(e.createContainer({ image: 'busybox', cmd: ['sleep', '3600'] }).id);
  return e;
}

function cases(n: number, runTarget: number): BenchCase[] {
  let e: DockerEngine;
  let probe = '';
  return [
    {
      name: `docker run -d busybox + rm -f (${n} running)`,
      setup: () => {
        e = engineWith(n);
      },
      fn: () => {
        const c = e.createContainer({ image: 'busybox', cmd: ['sleep', '3600'] });
        e.startContainer(c.id);
        e.removeContainer(c.id, { force: true });
      },
      target: { maxMedianMs: runTarget },
    },
    {
      name: `docker run -d -p 8080:80 nginx + rm -f, iptables and docker-proxy (${n} running)`,
      setup: () => {
        e = engineWith(n);
      },
      fn: () => {
        const c = e.createContainer({ image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } });
        e.startContainer(c.id);
        e.removeContainer(c.id, { force: true });
      },
      // Informational: 12 iptables calls through the netfilter model dominate this case.
    },
    {
      name: `docker network connect + disconnect (${n} running)`,
      setup: () => {
        e = engineWith(n);
        probe = e.createContainer({ name: 'probe', image: 'busybox' }).id;
        e.startContainer(probe);
      },
      fn: () => {
        e.connect('benchnet', probe);
        e.disconnect('benchnet', probe);
      },
      target: { maxMedianMs: runTarget },
    },
  ];
}

export const suite: BenchSuite = {
  name: 'docker engine',
  cases: () => [...cases(10, 1), ...cases(1000, 5)],
};
