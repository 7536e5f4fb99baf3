/**
 * The packet walk's cost: a ping between two containers of a bridge with 200 interfaces,
 * through 1,000 FORWARD rules that do not match (the worst case: every rule is evaluated), and
 * the model's memory for 1,000 network namespaces.
 */
import { bridgeByHand } from '../test/helpers/bridge-by-hand.ts';
import type { BenchSuite } from './run.ts';

export const suite: BenchSuite = {
  name: 'net',
  cases: () => {
    const { world, host, containers: cs } = bridgeByHand(100);
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
    // Run with --expose-gc (npm run bench does) so the figure is what stays alive, not garbage.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const lab = bridgeByHand(1000);
    gc?.();
    const after = process.memoryUsage().heapUsed;
    void lab;
    return { 'heap for 1,000 namespaces with a veth each on one bridge': `${((after - before) / 1024 / 1024).toFixed(1)} MiB` };
  },
};
