/**
 * Packet traversal (ipt_do_table): matching, targets, jumps/goto/RETURN, policies, counters
 * and the rule trace the packet-trace view reads.
 */
import { describe, expect, it } from 'vitest';
import type { RuleTraceSink, TableName } from '../../src/sim/net/netfilter/api.ts';
import { ipt, newNetfilter, pkt } from './helpers.ts';
import { parseIp4 } from '../../src/sim/net/ip.ts';
import { Netfilter } from '../../src/sim/net/netfilter/netfilter.ts';

function setup(lines: string[]): ReturnType<typeof newNetfilter> {
  const nf = newNetfilter();
  for (const l of lines) {
    const r = ipt(nf, l);
    if (r.status) throw new Error(`${l}: ${r.stderr}`);
  }
  return nf;
}

function recorder(): { sink: RuleTraceSink; events: string[] } {
  const events: string[] = [];
  return {
    events,
    sink: {
      rule: (table: TableName, chain: string, text: string, verdict: string) => void events.push(`${table} ${chain} [${verdict}] ${text}`),
    },
  };
}

describe('matching', () => {
  it('addresses with masks and !, interfaces with + and !, protocols', () => {
    const nf = setup([
      '-A FORWARD -s 10.1.0.0/16 -j DROP',
      '-A FORWARD ! -d 192.168.0.0/24 -i veth+ -j REJECT',
      '-A FORWARD -p udp -j DROP',
      '-A FORWARD ! -o docker0 -p icmp -j DROP',
    ]);
    const v = (o: Parameters<typeof pkt>[0]): string => nf.traverse('filter', 'FORWARD', pkt(o)).verdict;
    expect(v({ src: '10.1.2.3' })).toBe('DROP');
    expect(v({ src: '10.2.2.3' })).toBe('ACCEPT');
    expect(v({ inIface: 'veth1234', dst: '8.8.8.8' })).toBe('REJECT');
    expect(v({ inIface: 'veth1234', dst: '192.168.0.9' })).toBe('ACCEPT');
    expect(v({ inIface: 'veth', dst: '8.8.8.8' })).toBe('REJECT');
    expect(v({ inIface: 'eth0', dst: '8.8.8.8' })).toBe('ACCEPT');
    expect(v({ proto: 'udp' })).toBe('DROP');
    expect(v({ proto: 'icmp', outIface: 'eth0' })).toBe('DROP');
    expect(v({ proto: 'icmp', outIface: 'docker0' })).toBe('ACCEPT');
    // A packet without an input interface (locally generated) never matches -i NAME.
    expect(v({ inIface: null, dst: '8.8.8.8' })).toBe('ACCEPT');
  });

  it('tcp/udp ports, ranges and !, tcp flags, multiport, icmp types', () => {
    const nf = setup([
      '-A INPUT -p tcp --dport 1000:2000 -j DROP',
      '-A INPUT -p udp ! --sport 53 -j DROP',
      '-A INPUT -p tcp --syn --dport 22 -j REJECT --reject-with tcp-reset',
      '-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT',
      '-A INPUT -p icmp --icmp-type echo-request -j DROP',
      '-P INPUT DROP',
    ]);
    const v = (o: Parameters<typeof pkt>[0]): string => nf.traverse('filter', 'INPUT', pkt(o)).verdict;
    expect(v({ dport: 1500 })).toBe('DROP');
    expect(v({ dport: 443 })).toBe('ACCEPT');
    expect(v({ dport: 2001 })).toBe('DROP'); // policy
    expect(v({ proto: 'udp', sport: 53, dport: 999 })).toBe('DROP'); // policy again
    expect(v({ proto: 'udp', sport: 5353 })).toBe('DROP');
    const syn = nf.traverse('filter', 'INPUT', pkt({ dport: 22, tcpFlags: { syn: true, ack: false, fin: false, rst: false } }));
    expect(syn).toEqual({ verdict: 'REJECT', rejectWith: 'tcp-reset' });
    expect(v({ dport: 22, tcpFlags: { syn: false, ack: true, fin: false, rst: false } })).toBe('DROP');
    expect(v({ proto: 'icmp', sport: undefined, dport: undefined, icmpType: 8, icmpCode: 0 })).toBe('DROP');
  });

  it('addrtype, conntrack and state', () => {
    const nf = setup([
      '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A FORWARD -m state --state INVALID -j DROP',
      '-A FORWARD -m addrtype --dst-type LOCAL -j REJECT',
      '-P FORWARD DROP',
    ]);
    const v = (o: Parameters<typeof pkt>[0]): string => nf.traverse('filter', 'FORWARD', pkt(o)).verdict;
    expect(v({ ctState: 'ESTABLISHED', ctDir: 'REPLY' })).toBe('ACCEPT');
    expect(v({ ctState: 'RELATED' })).toBe('ACCEPT');
    expect(v({ ctState: 'INVALID' })).toBe('DROP');
    expect(v({ dst: '192.168.100.200', local: ['192.168.100.200'] })).toBe('REJECT');
    expect(v({ dst: '192.168.100.201', local: ['192.168.100.200'] })).toBe('DROP');
  });
});

describe('chains and targets', () => {
  it('jump, RETURN, implicit return, goto, and policies', () => {
    const nf = setup([
      '-N A',
      '-N B',
      '-N G',
      '-A FORWARD -j A',
      '-A FORWARD -s 10.0.0.9 -j ACCEPT',
      '-A A -s 10.0.0.1 -j RETURN',
      '-A A -j B',
      '-A A -s 10.0.0.2 -j DROP',
      '-A B -s 10.0.0.3 -j REJECT',
      '-A FORWARD -s 10.0.0.4 -g G',
      '-A FORWARD -s 10.0.0.4 -j DROP',
      '-P FORWARD DROP',
    ]);
    const v = (src: string): string => nf.traverse('filter', 'FORWARD', pkt({ src })).verdict;
    expect(v('10.0.0.1')).toBe('DROP'); // RETURN from A, then FORWARD rules, then policy
    expect(v('10.0.0.9')).toBe('ACCEPT');
    expect(v('10.0.0.2')).toBe('DROP');
    expect(v('10.0.0.3')).toBe('REJECT');
    // goto: the end of G returns to FORWARD's caller, i.e. the policy, not the next rule.
    expect(v('10.0.0.4')).toBe('DROP');
    const rec = recorder();
    nf.traverse('filter', 'FORWARD', pkt({ src: '10.0.0.4' }), rec.sink);
    expect(rec.events.slice(-2)).toEqual([
      'filter FORWARD [jump] -A FORWARD -s 10.0.0.4/32 -g G',
      'filter FORWARD [policy-DROP] -P FORWARD DROP',
    ]);
  });

  it('RETURN in a built-in chain applies the policy', () => {
    const nf = setup(['-A INPUT -j RETURN', '-A INPUT -j ACCEPT', '-P INPUT DROP']);
    expect(nf.traverse('filter', 'INPUT', pkt()).verdict).toBe('DROP');
  });

  it('NAT targets hand their mapping to the walk; LOG continues', () => {
    const nf = setup([
      '-t nat -N DOCKER',
      '-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
      '-t nat -A DOCKER -i docker0 -j RETURN',
      '-t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8899 -j DNAT --to-destination 172.17.0.2:80',
      '-t nat -A POSTROUTING -j LOG',
      '-t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
      '-t nat -A OUTPUT -p udp -j REDIRECT --to-ports 5353',
    ]);
    const local = ['192.168.100.200'];
    expect(nf.traverse('nat', 'PREROUTING', pkt({ dst: '192.168.100.200', dport: 8899, local }))).toEqual({
      verdict: 'ACCEPT',
      nat: { kind: 'DNAT', ip: 0xac110002, port: 80, portEnd: undefined },
    });
    expect(nf.traverse('nat', 'PREROUTING', pkt({ dst: '192.168.100.200', dport: 8899, local, inIface: 'docker0' }))).toEqual({
      verdict: 'ACCEPT',
    });
    expect(nf.traverse('nat', 'POSTROUTING', pkt({ src: '172.17.0.2', inIface: null, outIface: 'eth0' })).nat).toEqual({
      kind: 'MASQUERADE',
      portMin: undefined,
      portMax: undefined,
    });
    expect(nf.traverse('nat', 'POSTROUTING', pkt({ src: '172.17.0.2', inIface: null, outIface: 'docker0' })).nat).toBeUndefined();
    expect(nf.traverse('nat', 'OUTPUT', pkt({ proto: 'udp', inIface: null })).nat).toEqual({ kind: 'REDIRECT', port: 5353 });
  });

  it('an unloaded table accepts without counting or tracing', () => {
    const nf = newNetfilter();
    const rec = recorder();
    expect(nf.traverse('raw', 'PREROUTING', pkt(), rec.sink)).toEqual({ verdict: 'ACCEPT' });
    expect(rec.events).toEqual([]);
    expect(nf.loadedTables()).toEqual([]);
  });
});

describe('counters and trace', () => {
  it('rule and policy counters count packets and bytes, shown by -L -v and iptables-save', () => {
    const nf = setup([
      '-N DOCKER-USER',
      '-A FORWARD -j DOCKER-USER',
      '-A DOCKER-USER -j RETURN',
      '-A FORWARD -p udp -j DROP',
      '-P FORWARD DROP',
    ]);
    for (let i = 0; i < 3; i++) nf.traverse('filter', 'FORWARD', pkt({ len: 84 }));
    nf.traverse('filter', 'FORWARD', pkt({ proto: 'udp', len: 100 }));
    expect(ipt(nf, '-L FORWARD -v -n').stdout).toBe(
      'Chain FORWARD (policy DROP 3 packets, 252 bytes)\n' +
        ' pkts bytes target     prot opt in     out     source               destination         \n' +
        '    4   352 DOCKER-USER  0    --  *      *       0.0.0.0/0            0.0.0.0/0           \n' +
        '    1   100 DROP       17   --  *      *       0.0.0.0/0            0.0.0.0/0           \n',
    );
    expect(nf.save(['-c']).stdout).toContain(':FORWARD DROP [3:252]\n');
    expect(nf.save(['-c']).stdout).toContain('[4:352] -A FORWARD -j DOCKER-USER\n');
    // Editing other rules keeps the counters (libiptc keeps them across commits); -P resets the policy's.
    ipt(nf, '-A FORWARD -j ACCEPT');
    expect(nf.save([]).stdout).toContain(':FORWARD DROP [3:252]\n');
    ipt(nf, '-P FORWARD DROP');
    expect(nf.save([]).stdout).toContain(':FORWARD DROP [0:0]\n');
    expect(ipt(nf, '-L DOCKER-USER -v -n').stdout).toContain('    4   352 RETURN');
    ipt(nf, '-Z');
    expect(ipt(nf, '-L DOCKER-USER -v -n').stdout).toContain('    0     0 RETURN');
  });

  it('the trace sink gets every rule evaluated with its verdict, in iptables-save form', () => {
    const nf = setup([
      '-N DOCKER-ISOLATION-STAGE-1',
      '-A FORWARD -j DOCKER-ISOLATION-STAGE-1',
      '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
      '-A DOCKER-ISOLATION-STAGE-1 -j RETURN',
      '-P FORWARD DROP',
    ]);
    const rec = recorder();
    expect(nf.traverse('filter', 'FORWARD', pkt({ inIface: 'docker0', outIface: 'eth0' }), rec.sink).verdict).toBe('ACCEPT');
    expect(rec.events).toEqual([
      'filter FORWARD [jump] -A FORWARD -j DOCKER-ISOLATION-STAGE-1',
      'filter DOCKER-ISOLATION-STAGE-1 [RETURN] -A DOCKER-ISOLATION-STAGE-1 -j RETURN',
      'filter FORWARD [nomatch] -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      'filter FORWARD [ACCEPT] -A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
    ]);
  });
});

describe('physdev', () => {
  it('matches bridge ports of bridged packets; a routed packet matches only inverted options', () => {
    const nf = setup([
      '-A FORWARD -m physdev --physdev-in veth1 --physdev-is-bridged -j DROP',
      '-A FORWARD -m physdev ! --physdev-is-bridged -j REJECT',
    ]);
    expect(ipt(nf, '-S FORWARD').stdout).toBe(
      '-P FORWARD ACCEPT\n-A FORWARD -m physdev --physdev-in veth1 --physdev-is-bridged -j DROP\n-A FORWARD -m physdev ! --physdev-is-bridged -j REJECT --reject-with icmp-port-unreachable\n',
    );
    expect(ipt(nf, '-L FORWARD -n').stdout).toContain('PHYSDEV match --physdev-in veth1 --physdev-is-bridged\n');
    const v = (o: Parameters<typeof pkt>[0]): string => nf.traverse('filter', 'FORWARD', pkt(o)).verdict;
    expect(v({ inIface: 'docker0', outIface: 'docker0', physIn: 'veth1', physOut: 'veth2' })).toBe('DROP');
    expect(v({ inIface: 'docker0', outIface: 'docker0', physIn: 'veth3', physOut: 'veth2' })).toBe('ACCEPT');
    expect(v({ inIface: 'docker0', outIface: 'eth0' })).toBe('REJECT');
  });
});

describe('iprange', () => {
  it('the DOCKER-USER example of the Docker documentation', () => {
    const nf = setup([
      '-N DOCKER-USER',
      '-A FORWARD -j DOCKER-USER',
      '-I DOCKER-USER -m iprange -i eth0 ! --src-range 192.168.1.1-192.168.1.3 -j DROP',
    ]);
    expect(ipt(nf, '-S DOCKER-USER').stdout).toBe(
      '-N DOCKER-USER\n-A DOCKER-USER -i eth0 -m iprange ! --src-range 192.168.1.1-192.168.1.3 -j DROP\n',
    );
    expect(ipt(nf, '-L DOCKER-USER -n').stdout).toContain(
      'DROP       0    --  0.0.0.0/0            0.0.0.0/0            source IP range ! 192.168.1.1-192.168.1.3\n',
    );
    const v = (src: string): string => nf.traverse('filter', 'FORWARD', pkt({ src, inIface: 'eth0', outIface: 'docker0' })).verdict;
    expect(v('192.168.1.2')).toBe('ACCEPT');
    expect(v('192.168.1.4')).toBe('DROP');
    expect(ipt(nf, '-A INPUT -m iprange --dst-range 1.2.3.x -j DROP').stderr).toBe(
      'iptables v1.8.9 (legacy): iprange: Bad value for "--dst-range" option: "1.2.3.x"\nTry `iptables -h\' or \'iptables --help\' for more information.\n',
    );
  });
});

describe('conntrack tuples', () => {
  it('--ctorigdst/--ctorigdstport/--ctdir see the flow as it was before DNAT', () => {
    const nf = setup([
      '-N DOCKER-USER',
      '-A FORWARD -j DOCKER-USER',
      '-I DOCKER-USER -p tcp -m conntrack --ctorigdst 198.51.100.2 --ctorigdstport 80 --ctdir ORIGINAL -j ACCEPT',
      '-A DOCKER-USER -m conntrack ! --ctorigsrc 192.168.1.0/24 -j DROP',
    ]);
    expect(ipt(nf, '-S DOCKER-USER').stdout).toBe(
      '-N DOCKER-USER\n' +
        '-A DOCKER-USER -p tcp -m conntrack --ctorigdst 198.51.100.2 --ctorigdstport 80 --ctdir ORIGINAL -j ACCEPT\n' +
        '-A DOCKER-USER -m conntrack ! --ctorigsrc 192.168.1.0/24 -j DROP\n',
    );
    expect(ipt(nf, '-L DOCKER-USER -n').stdout).toContain('ctorigdst 198.51.100.2 ctorigdstport 80 ctdir ORIGINAL\n');
    const ct = (src: string, dst: string, dport: number) => ({
      proto: 'tcp' as const,
      orig: { src: parseIp4(src)!, dst: parseIp4('198.51.100.2')!, sport: 40000, dport: 80 },
      reply: { src: parseIp4(dst)!, dst: parseIp4(src)!, sport: dport, dport: 40000 },
    });
    // After DNAT to 172.17.0.2:8080 the packet's own destination differs from the original one.
    const dnatted = pkt({ src: '203.0.113.9', dst: '172.17.0.2', dport: 8080, ct: ct('203.0.113.9', '172.17.0.2', 8080) });
    expect(nf.traverse('filter', 'FORWARD', dnatted).verdict).toBe('ACCEPT');
    const other = pkt({
      src: '203.0.113.9',
      dst: '172.17.0.3',
      dport: 22,
      ct: {
        ...ct('203.0.113.9', '172.17.0.3', 22),
        orig: { src: parseIp4('203.0.113.9')!, dst: parseIp4('192.168.100.200')!, sport: 40000, dport: 2222 },
      },
    });
    expect(nf.traverse('filter', 'FORWARD', other).verdict).toBe('DROP');
    // Without a conntrack entry the tuple options never match.
    expect(nf.traverse('filter', 'FORWARD', pkt({ src: '10.0.0.1' })).verdict).toBe('ACCEPT');
  });
});

describe('limit', () => {
  it('a token bucket of --limit-burst packets refilled at --limit, on the virtual clock', () => {
    let t = 1_000_000;
    const nf = new Netfilter(() => t);
    for (const l of ['-P INPUT DROP', '-A INPUT -m limit --limit 1/sec --limit-burst 2 -j ACCEPT', '-A OUTPUT -m limit -j LOG'])
      expect(ipt(nf, l).status).toBe(0);
    expect(ipt(nf, '-S').stdout).toContain(
      '-A INPUT -m limit --limit 1/sec --limit-burst 2 -j ACCEPT\n-A OUTPUT -m limit --limit 3/hour -j LOG\n',
    );
    expect(ipt(nf, '-L INPUT -n').stdout).toContain(
      'ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            limit: avg 1/sec burst 2\n',
    );
    const v = (): string => nf.traverse('filter', 'INPUT', pkt()).verdict;
    expect([v(), v(), v()]).toEqual(['ACCEPT', 'ACCEPT', 'DROP']);
    t += 1000;
    expect([v(), v()]).toEqual(['ACCEPT', 'DROP']);
    expect(ipt(nf, '-A INPUT -m limit --limit 0/sec').stderr).toBe(
      "iptables v1.8.9 (legacy): bad rate \"0/sec\"'\nTry `iptables -h' or 'iptables --help' for more information.\n",
    );
  });
});

describe('NAT without an address', () => {
  it('DNAT --to-destination :PORT keeps the destination address', () => {
    const nf = setup(['-t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination :8080']);
    expect(ipt(nf, '-t nat -S PREROUTING').stdout).toContain('-j DNAT --to-destination :8080\n');
    expect(nf.traverse('nat', 'PREROUTING', pkt({ dst: '10.9.9.9' })).nat).toEqual({
      kind: 'DNAT',
      ip: parseIp4('10.9.9.9'),
      port: 8080,
      portEnd: undefined,
    });
  });
});
