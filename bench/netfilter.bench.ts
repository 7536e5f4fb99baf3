/**
 * Netfilter: one traversal of the filter FORWARD chain holding 1,000 rules (the packet matches
 * none and meets the policy), the same with the rule trace on, a Docker-style rule set, and
 * the iptables front end (one `-A`, one iptables-save of 1,000 rules).
 */
import { Netfilter } from '../src/sim/net/netfilter/netfilter.ts';
import type { PacketView, RuleTraceSink } from '../src/sim/net/netfilter/api.ts';
import type { BenchSuite } from './run.ts';

const packet: PacketView = {
  src: 0xac110002,
  dst: 0x08080808,
  proto: 'tcp',
  sport: 40000,
  dport: 443,
  inIface: 'docker0',
  outIface: 'eth0',
  ctState: 'NEW',
  ctDir: 'ORIGINAL',
  len: 60,
  ttl: 64,
  addrType: () => 'UNICAST',
};

function thousandRules(): Netfilter {
  const nf = new Netfilter();
  nf.run(['-N', 'USER']);
  for (let i = 0; i < 1000; i++) {
    const kind = i % 4;
    const argv =
      kind === 0
        ? ['-A', 'FORWARD', '-s', `10.${i >> 8}.${i & 255}.0/24`, '-j', 'DROP']
        : kind === 1
          ? ['-A', 'FORWARD', '-i', `veth${i}`, '-o', 'docker0', '-j', 'ACCEPT']
          : kind === 2
            ? ['-A', 'FORWARD', '-p', 'tcp', '--dport', String(1000 + i), '-j', 'ACCEPT']
            : ['-A', 'FORWARD', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'USER'];
    const r = nf.run(argv);
    if (r.status) throw new Error(r.stderr);
  }
  return nf;
}

const sink: RuleTraceSink = { rule: () => undefined };

export const suite: BenchSuite = {
  name: 'netfilter',
  cases: () => {
    const big = thousandRules();
    const docker = new Netfilter();
    for (const line of [
      '-N DOCKER',
      '-N DOCKER-ISOLATION-STAGE-1',
      '-N DOCKER-ISOLATION-STAGE-2',
      '-N DOCKER-USER',
      '-P FORWARD DROP',
      '-A FORWARD -j DOCKER-USER',
      '-A FORWARD -j DOCKER-ISOLATION-STAGE-1',
      '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A FORWARD -o docker0 -j DOCKER',
      '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
      '-A FORWARD -i docker0 -o docker0 -j ACCEPT',
      '-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2',
      '-A DOCKER-ISOLATION-STAGE-1 -j RETURN',
      '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP',
      '-A DOCKER-ISOLATION-STAGE-2 -j RETURN',
      '-A DOCKER-USER -j RETURN',
    ])
      docker.run(line.split(' '));
    let n = 0;
    return [
      {
        name: 'traverse FORWARD through 1,000 rules',
        fn: () => void big.traverse('filter', 'FORWARD', packet),
        target: { maxMedianMs: 0.2 },
      },
      {
        name: 'traverse 1,000 rules with the rule trace',
        fn: () => void big.traverse('filter', 'FORWARD', packet, sink),
        target: { maxMedianMs: 0.5 },
      },
      {
        name: "traverse Docker's FORWARD rules",
        fn: () => void docker.traverse('filter', 'FORWARD', packet),
        target: { maxMedianMs: 0.02 },
      },
      {
        name: 'iptables -A into a 1,000-rule table',
        fn: () => void big.run(['-A', 'INPUT', '-s', `192.168.${(n = (n + 1) & 255)}.0/24`, '-j', 'DROP']),
      },
      { name: 'iptables-save of 1,000 rules', fn: () => void big.save([]), target: { maxMedianMs: 5 } },
    ];
  },
};
