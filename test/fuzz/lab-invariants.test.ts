/**
 * Property test over whole labs: random sequences of the docker and network commands a learner
 * types (valid and invalid), checking after every step that nothing throws and that the state
 * stays coherent: addresses unique per network, every running container's hosts file and
 * interface carry its address, and the netfilter tables can still be saved and restored.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createLab } from '../../src/sim/index.ts';

const names = fc.constantFrom('a1', 'b2', 'web', 'db', 'x9');
const nets = fc.constantFrom('bridge', 'n1', 'n2', 'host', 'none', 'nosuch');
const images = fc.constantFrom('busybox', 'nginx', 'alpine', 'redis', 'nosuchimage');

const command = fc.oneof(
  fc.tuple(names, images).map(([n, i]) => `docker run -d --name ${n} ${i}${i === 'busybox' || i === 'alpine' ? ' sleep 1000' : ''}`),
  fc.tuple(names, nets, images).map(([n, net, i]) => `docker run -d --name ${n} --network ${net} ${i} sleep 1000`),
  fc.tuple(names, names).map(([n, l]) => `docker run -d --name ${n} --link ${l} busybox sleep 1000`),
  fc.tuple(names, fc.integer({ min: 1, max: 70000 })).map(([n, p]) => `docker run -d --name ${n} -p ${p}:80 nginx`),
  fc.constantFrom('n1', 'n2').map((n) => `docker network create ${n}`),
  fc
    .tuple(fc.constantFrom('n1', 'n2'), fc.integer({ min: 16, max: 31 }))
    .map(([n, b]) => `docker network create --subnet 10.${b}.0.0/16 ${n}`),
  fc.tuple(nets, names).map(([n, c]) => `docker network connect ${n} ${c}`),
  fc.tuple(nets, names).map(([n, c]) => `docker network disconnect ${n} ${c}`),
  fc.tuple(fc.constantFrom('stop', 'start', 'restart', 'rm -f', 'rm'), names).map(([v, n]) => `docker ${v} ${n}`),
  fc.constantFrom('n1', 'n2').map((n) => `docker network rm ${n}`),
  fc.tuple(names, names).map(([a, b]) => `docker exec ${a} ping -c 1 -W 1 ${b}`),
  fc.constantFrom(
    'iptables -I FORWARD -j DROP',
    'iptables -D FORWARD 1',
    'iptables -t nat -F',
    'docker network prune -f',
    'systemctl restart docker',
  ),
  fc.string({ maxLength: 30 }),
);

function checkInvariants(lab: ReturnType<typeof createLab>): void {
  const snap = lab.snapshot();
  for (const h of snap.hosts) {
    const byNet = new Map<string, string[]>();
    for (const c of h.containers) {
      if (c.state !== 'running') continue;
      for (const n of c.networks) {
        if (!n.ip) continue;
        const list = byNet.get(n.network) ?? [];
        list.push(n.ip);
        byNet.set(n.network, list);
        if (h.containers.find((x) => x.name === c.name)?.networkMode !== 'host' && c.files.hosts !== null && n.network !== 'host')
          expect(c.files.hosts, `${c.name}'s hosts file lists ${n.ip}`).toContain(n.ip);
      }
    }
    for (const [net, ips] of byNet) expect(new Set(ips).size, `addresses on ${net} are unique: ${ips.join(' ')}`).toBe(ips.length);
  }
  const saved = lab.exec('iptables-save > /tmp/rules && iptables-restore < /tmp/rules');
  expect(saved.exit).toBe(0);
}

describe('random learner sessions keep the lab coherent', () => {
  it('never throws, keeps addresses unique and files consistent', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 14 }), fc.integer({ min: 1, max: 1000 }), (cmds, seed) => {
        const lab = createLab({ seed });
        for (const c of cmds) {
          const r = lab.exec(c);
          expect(typeof r.output).toBe('string');
          checkInvariants(lab);
        }
      }),
      { numRuns: Number(process.env.LAB_FUZZ_RUNS ?? 25), seed: Number(process.env.LAB_FUZZ_SEED ?? 20261202) },
    );
  }, 120_000);
});
