/**
 * Netfilter inside the packet walk: Docker's default rules (golden 04) on a bridge built by
 * hand; a container pings the LAN router; the counters iptables shows afterwards are those a
 * real host shows for one echo exchange (request NEW, reply ESTABLISHED, NAT once per flow).
 */
import { describe, expect, it } from 'vitest';
import { bridgeByHand, ip } from '../helpers/bridge-by-hand.ts';
import { GOLDEN } from './golden-fixtures.ts';
import { applySave } from './helpers.ts';

describe('counters after a masqueraded ping', () => {
  it('FORWARD, DOCKER-USER, MASQUERADE and policy counters', () => {
    const lab = bridgeByHand();
    applySave(lab.host.netfilter, GOLDEN['04-save-default']!.out);
    const stack = lab.world.stack;
    const r = stack.traced(() => stack.echo(lab.containers[0], ip('192.168.100.1'), { id: 9, seq: 1, bytes: 56 }));
    expect(r.kind).toBe('reply');
    const nf = lab.host.netfilter;
    const fwd = nf.run(['-L', 'FORWARD', '-v', '-n', '-x']).stdout.split('\n');
    // The request (84 bytes) and the reply each pass DOCKER-USER and STAGE-1.
    expect(fwd[2]).toMatch(/^ +2 +168 DOCKER-USER /);
    expect(fwd[3]).toMatch(/^ +2 +168 DOCKER-ISOLATION-STAGE-1 /);
    // The reply is ESTABLISHED towards docker0; the request leaves docker0 for eth0.
    expect(fwd[4]).toMatch(/^ +1 +84 ACCEPT .* ctstate RELATED,ESTABLISHED$/);
    expect(fwd[6]).toMatch(/^ +1 +84 ACCEPT +0 +-- +docker0 +!docker0 /);
    const post = nf.run(['-t', 'nat', '-L', 'POSTROUTING', '-v', '-n', '-x']).stdout.split('\n');
    expect(post[2]).toMatch(/^ +1 +84 MASQUERADE /);
    // The trace holds every rule evaluated, in iptables-save form.
    const rules = stack.lastTrace!.filter((e) => e.kind === 'rule');
    expect(
      rules.some(
        (e) => e.kind === 'rule' && e.rule === '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE' && e.verdict === 'match',
      ),
    ).toBe(true);
    expect(
      rules.some((e) => e.kind === 'rule' && e.rule === '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT' && e.verdict === 'ACCEPT'),
    ).toBe(true);
  });
});
