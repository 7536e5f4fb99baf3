/**
 * Test helpers for netfilter: a Netfilter with a fixed clock, running iptables command lines,
 * building a rule set from iptables-save or `-S` text through iptables argv (as dockerd would),
 * and the golden transcripts' comparison rules for netfilter output (README: counters, dates,
 * runs of spaces, trailing blanks).
 */
import { Netfilter } from '../../src/sim/net/netfilter/netfilter.ts';
import { splitRuleLine } from '../../src/sim/net/netfilter/restore.ts';
import type { PacketView } from '../../src/sim/net/netfilter/api.ts';
import { parseIp4 } from '../../src/sim/net/ip.ts';

export const T0 = Date.UTC(2026, 10, 23, 10, 32, 8);

export function newNetfilter(): Netfilter {
  return new Netfilter(() => T0);
}

/** Runs `iptables ARGS` (a command line without the program name, split on spaces). */
export function ipt(nf: Netfilter, line: string): { status: number; stdout: string; stderr: string } {
  return nf.run(splitRuleLine(line));
}

/** Runs a golden command (`iptables ...`, `iptables-save ...`) against `nf`. */
export function runGolden(nf: Netfilter, cmd: string): string {
  const [prog, ...args] = splitRuleLine(cmd);
  const r = prog === 'iptables-save' ? nf.save(args) : nf.run(args);
  return r.stdout + r.stderr;
}

/**
 * Builds the rule set an iptables-save (or `-S`) text shows, through iptables commands: the
 * filter table is loaded first (dockerd probes with `iptables --wait -L -n`), then the other
 * tables in reverse order of appearance so that iptables-save lists them in the same order.
 */
export function applySave(nf: Netfilter, text: string, probe = true): void {
  if (probe) expectOk(nf.run(['--wait', '-L', '-n']), 'probe');
  const sections: { table: string; lines: string[] }[] = [];
  let cur: { table: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) sections.push((cur = { table: line.slice(1), lines: [] }));
    else if (line && !line.startsWith('#') && line !== 'COMMIT') {
      if (!cur) sections.push((cur = { table: 'filter', lines: [] }));
      cur.lines.push(line);
    }
  }
  for (const s of sections.reverse()) {
    const t = ['-t', s.table];
    expectOk(nf.run([...t, '-S']), `load ${s.table}`);
    for (const l of s.lines) {
      if (l.startsWith(':')) {
        const [chain, policy] = l.slice(1).split(' ');
        if (policy === '-') expectOk(nf.run([...t, '-N', chain!]), l);
        else if (policy !== 'ACCEPT') expectOk(nf.run([...t, '-P', chain!, policy!]), l);
      } else if (l.startsWith('-N ')) expectOk(nf.run([...t, ...splitRuleLine(l)]), l);
      else if (l.startsWith('-P ')) {
        if (!l.endsWith(' ACCEPT')) expectOk(nf.run([...t, ...splitRuleLine(l)]), l);
      } else expectOk(nf.run([...t, ...splitRuleLine(l)]), l);
    }
  }
}

function expectOk(r: { status: number; stderr: string }, what: string): void {
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status}: ${r.stderr}`);
}

/** The golden README's normalisation for netfilter output. */
export function normalize(text: string): string {
  const verbose = /^ *(num +)?pkts bytes /m.test(text);
  return text
    .split('\n')
    .map((line) => {
      let l = line.replace(/\[\d+:\d+\]/g, '[<C>]');
      l = l.replace(/(policy \w+) \d+ packets, \d+ bytes/, '$1 <C>');
      l = l.replace(/ on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/, ' on <DATE>');
      if (verbose && !l.startsWith('Chain ') && !/pkts bytes/.test(l) && l.trim()) {
        l = l.replace(/^(\d+ +)?( *\d+[KMGT]?)( +\d+[KMGT]?) /, (_m, n: string | undefined) => `${n ?? ''}<C> <C> `);
      }
      return l.replace(/ {2,}/g, '  ').replace(/[ \t]+$/, '');
    })
    .join('\n');
}

/** A packet as the walk would show it to netfilter. */
export function pkt(over: Partial<Omit<PacketView, 'src' | 'dst'>> & { src?: string; dst?: string; local?: string[] } = {}): PacketView {
  const { src = '10.0.0.1', dst = '10.0.0.2', local = [], ...rest } = over;
  const locals = new Set(local.map((a) => parseIp4(a)!));
  return {
    proto: 'tcp',
    sport: 40000,
    dport: 80,
    inIface: 'eth0',
    outIface: null,
    ctState: 'NEW',
    ctDir: 'ORIGINAL',
    len: 60,
    ttl: 64,
    ...rest,
    src: parseIp4(src)!,
    dst: parseIp4(dst)!,
    addrType: (ip) => (locals.has(ip) ? 'LOCAL' : 'UNICAST'),
  };
}
