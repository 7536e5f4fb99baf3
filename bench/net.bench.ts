/**
 * The packet walk's cost: a ping between two containers of a bridge with 200 interfaces,
 * through 1,000 FORWARD rules that do not match (the worst case: every rule is evaluated), and
 * the model's memory for 1,000 network namespaces.
 */
import { Clock } from '../src/sim/base/clock.ts';
import { Rng } from '../src/sim/base/rng.ts';
import { World } from '../src/sim/net/world.ts';
import type { Netns } from '../src/sim/net/netns.ts';
import { macFromIp4 } from '../src/sim/net/ip.ts';
import type { BenchSuite } from './run.ts';

function bridgeWith(containers: number): { world: World; host: Netns; cs: Netns[] } {
  const world = new World(new Rng(1), new Clock(0));
  const host = world.createNetns('host');
  host.sysctls.ipForward = true;
  host.sysctls.bridgeNfCallIptables = true;
  const br = host.addLink({ name: 'docker0', kind: 'bridge' });
  host.addAddr4(br.ifindex, 0xac110001, 16);
  host.setUp(br.ifindex, true);
  const cs: Netns[] = [];
  for (let i = 0; i < containers; i++) {
    const c = world.createNetns(`c${i}`);
    const ip = 0xac110002 + i;
    const { link, peer } = host.addVethPair(`veth${i}`, `tmp${i}`);
    host.moveLink(peer.ifindex, c, 'eth0');
    const eth0 = c.linkByName('eth0')!;
    c.setMac(eth0.ifindex, macFromIp4(ip));
    host.setMaster(link.ifindex, br.ifindex);
    host.setUp(link.ifindex, true);
    c.setUp(eth0.ifindex, true);
    c.addAddr4(eth0.ifindex, ip, 16);
    cs.push(c);
  }
  return { world, host, cs };
}

export const suite: BenchSuite = {
  name: 'net',
  cases: () => {
    const { world, host, cs } = bridgeWith(100);
    let rules = 0;
    for (let i = 0; i < 1000; i++) {
      const r = host.netfilter.run([
        '-A',
        'FORWARD',
        '-s',
        `10.${i >> 8}.${i & 255}.0/24`,
        '-p',
        'tcp',
        '--dport',
        String(1000 + i),
        '-j',
        'DROP',
      ]);
      if (r.status === 0) rules++;
    }
    if (rules !== 1000) console.log(`  (netfilter accepted ${rules}/1000 rules)`);
    let seq = 0;
    return [
      {
        name: 'ping across a 200-interface bridge through 1,000 FORWARD rules',
        fn: () => {
          const r = world.stack.echo(cs[0], 0xac110002 + 99, { id: 1, seq: seq++, bytes: 56 });
          if (r.kind !== 'reply') throw new Error(`no reply: ${r.kind}`);
        },
        target: { maxMedianMs: 0.2 },
      },
    ];
  },
  report: () => {
    const before = process.memoryUsage().heapUsed;
    const { world } = bridgeWith(1000);
    const after = process.memoryUsage().heapUsed;
    void world;
    return { 'heap for 1,000 namespaces with a veth each on one bridge': `${((after - before) / 1024 / 1024).toFixed(1)} MiB` };
  },
};
