/**
 * Property tests: rule sets built from random (valid) iptables commands survive
 * save → restore → save unchanged (with and without counters), `-S` output replayed as
 * commands rebuilds the same rules, and garbage never throws nor changes anything.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Netfilter } from '../../src/sim/net/netfilter/netfilter.ts';
import { splitRuleLine } from '../../src/sim/net/netfilter/restore.ts';
import { newNetfilter, pkt } from './helpers.ts';

const octet = fc.integer({ min: 0, max: 255 });
const ip = fc.tuple(octet, octet, octet, octet).map((b) => b.join('.'));
const cidr = fc.tuple(ip, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);
const iface = fc.constantFrom('eth0', 'docker0', 'veth+', 'br-38a2a20e9a44', 'lo');
const inv = fc.boolean().map((b) => (b ? '! ' : ''));
const port = fc.integer({ min: 0, max: 65535 });
const portSpec = fc.oneof(
  port.map(String),
  fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`),
);

/** A rule specification for the filter table's user chain X, or a built-in chain. */
const filterRule = fc
  .record({
    s: fc.option(
      fc.tuple(inv, cidr).map(([i, c]) => `${i}-s ${c}`),
      { nil: undefined },
    ),
    d: fc.option(
      fc.tuple(inv, cidr).map(([i, c]) => `${i}-d ${c}`),
      { nil: undefined },
    ),
    i: fc.option(
      fc.tuple(inv, iface).map(([n, f]) => `${n}-i ${f}`),
      { nil: undefined },
    ),
    o: fc.option(
      fc.tuple(inv, iface).map(([n, f]) => `${n}-o ${f}`),
      { nil: undefined },
    ),
    proto: fc.option(
      fc.oneof(
        fc.tuple(inv, portSpec).map(([n, p]) => `-p tcp ${n}--dport ${p}`),
        fc.tuple(inv, portSpec).map(([n, p]) => `-p udp -m udp ${n}--sport ${p}`),
        fc.constantFrom('-p icmp --icmp-type echo-request', '-p icmp', '-p tcp --syn', '-p tcp -m multiport --dports 80,443'),
      ),
      { nil: undefined },
    ),
    m: fc.option(
      fc.constantFrom(
        '-m conntrack --ctstate RELATED,ESTABLISHED',
        '-m state --state NEW',
        '-m addrtype --dst-type LOCAL',
        '-m comment --comment "a b"',
        '-m conntrack ! --ctstate INVALID',
      ),
      { nil: undefined },
    ),
    j: fc.constantFrom(
      '-j ACCEPT',
      '-j DROP',
      '-j RETURN',
      '-j X',
      '-g X',
      '-j LOG --log-prefix p:',
      '-j REJECT --reject-with icmp-host-prohibited',
      '',
    ),
  })
  .map((r) => [r.s, r.d, r.i, r.o, r.proto, r.m, r.j].filter((x) => x).join(' '));

const chainFor = (rule: string): fc.Arbitrary<string> =>
  rule.includes('-j X') || rule.includes('-g X') || rule.includes('-j RETURN')
    ? fc.constant('FORWARD')
    : fc.constantFrom('FORWARD', 'X', 'Y');

const command = filterRule.chain((rule) =>
  fc.tuple(fc.constantFrom('-A', '-I'), chainFor(rule)).map(([op, chain]) => {
    // -o is not valid in INPUT, -i not in OUTPUT; FORWARD and user chains take both.
    return `${op} ${chain} ${rule}`.trim();
  }),
);

function build(cmds: string[]): Netfilter {
  const nf = newNetfilter();
  for (const c of [
    '-N X',
    '-N Y',
    '-t nat -N DOCKER',
    '-t nat -A DOCKER ! -i docker0 -p tcp --dport 8899 -j DNAT --to-destination 172.17.0.2:80',
  ])
    nf.run(splitRuleLine(c));
  for (const c of cmds) nf.run(splitRuleLine(c));
  return nf;
}

const stdin = (text: string) => (file: string | null) => (file === null ? text : { error: 'No such file or directory' });

describe('save and restore', () => {
  it('save → restore → save is the identity', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), (cmds) => {
        const nf = build(cmds);
        const s1 = nf.save([]).stdout;
        const r = nf.restore([], stdin(s1));
        expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
        expect(nf.save([]).stdout).toBe(s1);
      }),
      { numRuns: 150 },
    );
  });

  it('save -c → restore -c keeps every counter', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 15 }),
        fc.array(fc.tuple(ip, ip, fc.constantFrom('tcp', 'udp', 'icmp') as fc.Arbitrary<'tcp' | 'udp' | 'icmp'>)),
        (cmds, pkts) => {
          const nf = build(cmds);
          for (const [src, dst, proto] of pkts)
            nf.traverse('filter', 'FORWARD', pkt({ src, dst, proto, inIface: 'eth0', outIface: 'docker0' }));
          const s1 = nf.save(['-c']).stdout;
          expect(nf.restore(['-c'], stdin(s1)).status).toBe(0);
          expect(nf.save(['-c']).stdout).toBe(s1);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('-S replayed as iptables commands rebuilds the same rules', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 20 }), (cmds) => {
        const nf = build(cmds);
        const listing = nf.run(['-S']).stdout;
        const copy = newNetfilter();
        for (const line of listing.split('\n').filter((l) => l && !l.startsWith('-P '))) {
          const r = copy.run(splitRuleLine(line));
          expect(r.stderr, line).toBe('');
        }
        expect(copy.run(['-S']).stdout).toBe(listing);
      }),
      { numRuns: 100 },
    );
  });
});

describe('garbage', () => {
  const token = fc.oneof(
    fc.constantFrom(
      '*filter',
      '*nat',
      ':INPUT',
      ':X',
      'ACCEPT',
      '-',
      '[0:0]',
      '-A',
      'INPUT',
      '-j',
      'DROP',
      '-p',
      'tcp',
      '--dport',
      '!',
      '-m',
      'conntrack',
      '"',
      '#',
      '-t',
      'nat',
      'COMMIT',
      '-X',
      '-F',
      '-N',
    ),
    fc.string({ maxLength: 6 }),
  );
  const garbageLine = fc.array(token, { maxLength: 8 }).map((t) => t.join(' '));

  it('iptables-restore of garbage never throws and never changes the rules', () => {
    fc.assert(
      fc.property(fc.array(garbageLine, { maxLength: 12 }), fc.array(command, { maxLength: 5 }), (lines, cmds) => {
        // Without a `COMMIT` line nothing can be committed.
        const text = lines.filter((l) => l !== 'COMMIT').join('\n') + '\n';
        const nf = build(cmds);
        nf.run(['-t', 'nat', '-S']);
        const before = nf.save(['-c']).stdout;
        const r = nf.restore([], stdin(text));
        expect(typeof r.status).toBe('number');
        expect(nf.save(['-c']).stdout).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('iptables with garbage arguments never throws; a failure changes nothing', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 10 }), (argv) => {
        const nf = build(['-A FORWARD -j X']);
        nf.run(['-t', 'nat', '-S']);
        const before = nf.save([]).stdout;
        const r = nf.run(argv);
        if (r.status !== 0) expect(nf.save([]).stdout).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
