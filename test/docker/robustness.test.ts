/** Random sequences of engine operations: only daemon errors (DockerError) may come out. */
import { describe, expect, it } from 'vitest';
import { dockerHost } from './harness.ts';
import { DockerError } from '../../src/sim/docker/errors.ts';
import { Rng } from '../../src/sim/base/rng.ts';

describe('engine robustness', () => {
  it('survives random operation sequences with daemon errors only', () => {
    for (const seed of [1, 2, 3]) {
      const { engine, clock, netns } = dockerHost({ seed, fakeNetfilter: false });
      const rng = new Rng(seed);
      const names = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'];
      const nets = ['bridge', 'host', 'none', 'n1', 'n2', 'n3'];
      const images = ['busybox', 'nginx', 'centos:7', 'redis'];
      const ops: (() => void)[] = [
        () =>
          engine.createContainer({
            name: rng.pick(names),
            image: rng.pick(images),
            networkMode: rng.int(3) === 0 ? `container:${rng.pick(names)}` : rng.pick(['default', ...nets]),
            portBindings: rng.int(2)
              ? { '80/tcp': [{ HostIp: rng.pick(['', '127.0.0.1']), HostPort: rng.pick(['', '8080', '8081']) }] }
              : {},
            links: rng.int(4) === 0 ? [`${rng.pick(names)}:${rng.pick(['x', 'y'])}`] : [],
            ip: rng.int(4) === 0 ? rng.pick(['172.30.0.9', '10.1.1.1', '172.17.0.9']) : undefined,
            restart: rng.int(4) === 0 ? { name: 'always', max: 0 } : undefined,
            autoRemove: rng.int(5) === 0,
          }),
        () => engine.startContainer(rng.pick(names)),
        () => engine.stopContainer(rng.pick(names)),
        () => engine.killContainer(rng.pick(names)),
        () => engine.restartContainer(rng.pick(names)),
        () => engine.removeContainer(rng.pick(names), { force: rng.int(2) === 0 }),
        () => engine.createNetwork({ name: rng.pick(nets), subnet: rng.int(2) ? [rng.pick(['172.30.0.0/16', '10.9.0.0/24'])] : undefined }),
        () => engine.removeNetwork(rng.pick(nets)),
        () =>
          engine.connect(rng.pick(nets), rng.pick(names), {
            ip: rng.int(3) === 0 ? '172.30.0.50' : undefined,
            aliases: rng.int(2) ? ['al'] : [],
          }),
        () => engine.disconnect(rng.pick(nets), rng.pick(names)),
        () => engine.pruneNetworks(),
        () => {
          engine.restart(rng.pick([[], ['--icc=false'], ['--userland-proxy=false'], ['--bip=10.20.0.1/24']]));
        },
        () => clock.advance(rng.int(5000)),
      ];
      for (let i = 0; i < 800; i++) {
        try {
          rng.pick(ops)();
        } catch (e) {
          if (!(e instanceof DockerError)) throw e;
        }
      }
      // No leaked host veths: each belongs to an endpoint of a running container.
      const live = new Set(
        engine
          .listContainers()
          .flatMap((c) => [...c.networks.values()].map((s) => s.endpoint?.hostVeth))
          .filter((x): x is string => !!x),
      );
      expect(
        netns
          .sortedLinks()
          .filter((l) => l.kind === 'veth' && l.name.startsWith('veth'))
          .map((l) => l.name)
          .sort(),
      ).toEqual([...live].sort());
      // Addresses are unique per network among running containers.
      const seen = new Set<string>();
      for (const c of engine.listContainers())
        for (const s of c.networks.values()) {
          if (s.endpoint?.ip == null) continue;
          const key = `${s.network.name}/${s.endpoint.ip}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
      // Every running container on a bridge network has its interface and address.
      for (const c of engine.listContainers()) {
        for (const s of c.networks.values()) {
          if (!s.network.bridge || !s.endpoint) continue;
          expect(c.sandbox?.netns.linkByName(s.endpoint.ifName ?? '')?.addrs4[0]?.ip).toBe(s.endpoint.ip);
          expect(netns.linkByName(s.endpoint.hostVeth ?? '')?.master).toBe(netns.linkByName(s.network.bridge.name)?.ifindex);
        }
      }
    }
  });
});
