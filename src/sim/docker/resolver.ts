/**
 * The embedded DNS server's plumbing inside a container's namespace (libnetwork resolver.go,
 * resolver_unix.go): UDP and TCP listeners on 127.0.0.11 at ports the kernel picks, and the nat
 * rules that send 127.0.0.11:53 to them (DOCKER_OUTPUT) and make the answers come from port 53
 * (DOCKER_POSTROUTING), installed with the argv and order of reexecSetupResolver.
 */
import type { Netns } from '../net/netns.ts';
import type { Rng } from '../base/rng.ts';
import { decodeQuery, encodeAnswer, type DnsAnswer, type DnsQuery } from '../apps/dns.ts';
import { Iptables } from './iptables.ts';

export const RESOLVER_IP = 0x7f00000b;
const RESOLVER_IP_TEXT = '127.0.0.11';

/** A kernel-chosen port (bind to port 0): random within ip_local_port_range and free. */
function ephemeral(ns: Netns, rng: Rng, proto: 'tcp' | 'udp'): number {
  const [lo, hi] = ns.sysctls.ipLocalPortRange;
  for (;;) {
    const p = lo + rng.int(hi - lo + 1);
    if (!ns.sockets.inUse4(proto, p)) return p;
  }
}

/** Starts the resolver in `ns`; `answer` decides each query. Returns the two ports. */
export function startResolver(ns: Netns, rng: Rng, answer: (q: DnsQuery) => DnsAnswer): { udp: number; tcp: number } {
  const udp = ephemeral(ns, rng, 'udp');
  ns.sockets.bind({
    proto: 'udp',
    local: { family: 4, ip: RESOLVER_IP },
    port: udp,
    // dockerd opens these sockets from the host's PID namespace: no process shows inside.
    owner: null,
    handler: {
      onDatagram(d, reply) {
        const q = decodeQuery(d.data);
        if (q) reply(encodeAnswer(answer(q)));
      },
    },
  });
  const tcp = ephemeral(ns, rng, 'tcp');
  ns.sockets.bind({ proto: 'tcp', local: { family: 4, ip: RESOLVER_IP }, port: tcp, owner: null, backlog: 4096 });
  const ipt = new Iptables(ns);
  const chains: [string, string][] = [
    ['OUTPUT', 'DOCKER_OUTPUT'],
    ['POSTROUTING', 'DOCKER_POSTROUTING'],
  ];
  for (const [hook, chain] of chains) {
    if (ipt.raw('-t', 'nat', '-C', hook, '-d', RESOLVER_IP_TEXT, '-j', chain) === 0) ipt.raw('-t', 'nat', '-F', chain);
    else {
      ipt.raw('-t', 'nat', '-N', chain);
      ipt.raw('-t', 'nat', '-I', hook, '-d', RESOLVER_IP_TEXT, '-j', chain);
    }
  }
  const rules = [
    [
      '-t',
      'nat',
      '-I',
      'DOCKER_OUTPUT',
      '-d',
      RESOLVER_IP_TEXT,
      '-p',
      'udp',
      '--dport',
      '53',
      '-j',
      'DNAT',
      '--to-destination',
      `${RESOLVER_IP_TEXT}:${udp}`,
    ],
    [
      '-t',
      'nat',
      '-I',
      'DOCKER_POSTROUTING',
      '-s',
      RESOLVER_IP_TEXT,
      '-p',
      'udp',
      '--sport',
      String(udp),
      '-j',
      'SNAT',
      '--to-source',
      ':53',
    ],
    [
      '-t',
      'nat',
      '-I',
      'DOCKER_OUTPUT',
      '-d',
      RESOLVER_IP_TEXT,
      '-p',
      'tcp',
      '--dport',
      '53',
      '-j',
      'DNAT',
      '--to-destination',
      `${RESOLVER_IP_TEXT}:${tcp}`,
    ],
    [
      '-t',
      'nat',
      '-I',
      'DOCKER_POSTROUTING',
      '-s',
      RESOLVER_IP_TEXT,
      '-p',
      'tcp',
      '--sport',
      String(tcp),
      '-j',
      'SNAT',
      '--to-source',
      ':53',
    ],
  ];
  for (const r of rules) ipt.raw(...r);
  return { udp, tcp };
}
