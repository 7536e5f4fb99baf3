/**
 * A minimal iptables stand-in for the engine's tests while the real netfilter is written: it
 * keeps chains and rules and answers the calls dockerd makes (-C, -A, -I, -D, -N, -L, -F, -X,
 * -P), and prints `-S` in iptables' canonical option order for the forms Docker uses.
 */
import type { Netns } from '../../src/sim/net/netns.ts';

type Table = Map<string, { policy: string | null; rules: string[] }>;

const BUILTIN: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

/** Canonical `-S` text of a rule given as Docker's argv. */
export function canonical(args: string[]): string {
  const opt: Record<string, string> = {};
  const matches: string[] = [];
  let target = '';
  let neg = false;
  let proto = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '!') {
      neg = true;
      continue;
    }
    const n = neg ? '! ' : '';
    neg = false;
    const v = args[i + 1];
    switch (a) {
      case '-s':
      case '--src':
        opt.s = `${n}-s ${v.includes('/') ? v : v + '/32'}`;
        i++;
        break;
      case '-d':
      case '--dst':
        if (v !== '0/0') opt.d = `${n}-d ${v.includes('/') ? v : v + '/32'}`;
        i++;
        break;
      case '-i':
        opt.i = `${n}-i ${v}`;
        i++;
        break;
      case '-o':
        opt.o = `${n}-o ${v}`;
        i++;
        break;
      case '-p':
        proto = v;
        opt.p = `${n}-p ${v}`;
        i++;
        break;
      case '--dport':
      case '--sport':
        matches.push(`-m ${proto} ${a} ${v}`);
        i++;
        break;
      case '-m':
        matches.push(`-m ${v}`);
        i++;
        break;
      case '--dst-type':
      case '--src-type':
      case '--ctstate':
        matches[matches.length - 1] += ` ${a} ${v}`;
        i++;
        break;
      case '-j':
        target = `-j ${v}`;
        i++;
        break;
      case '--to-destination':
      case '--to-source':
        target += ` ${a} ${v}`;
        i++;
        break;
      default:
        target += ` ${a}`;
    }
  }
  return [opt.s, opt.d, opt.i, opt.o, opt.p, ...matches, target].filter(Boolean).join(' ');
}

export class FakeNetfilter {
  tables = new Map<string, Table>();

  constructor() {
    for (const [t, chains] of Object.entries(BUILTIN)) {
      const m: Table = new Map();
      for (const c of chains) m.set(c, { policy: 'ACCEPT', rules: [] });
      this.tables.set(t, m);
    }
  }

  run = (argv: string[]): { status: number; stdout: string; stderr: string } => {
    const a = argv.filter((x) => x !== '--wait');
    let table = 'filter';
    if (a[0] === '-t') {
      table = a[1];
      a.splice(0, 2);
    }
    const t = this.tables.get(table) as Table;
    const [op, chain, ...rest] = a;
    const ok = { status: 0, stdout: '', stderr: '' };
    const bad = { status: 1, stdout: '', stderr: 'iptables: No chain/target/match by that name.\n' };
    const c = t.get(chain);
    switch (op) {
      case '-N':
        if (c) return bad;
        t.set(chain, { policy: null, rules: [] });
        return ok;
      case '-n':
        return t.get(rest[0]) ? ok : bad;
      case '-F':
        if (!c) return bad;
        c.rules = [];
        return ok;
      case '-X':
        if (!c || c.policy) return bad;
        for (const o of t.values()) if (o.rules.some((r) => r.endsWith(`-j ${chain}`))) return bad;
        t.delete(chain);
        return ok;
      case '-P':
        if (!c) return bad;
        c.policy = rest[0];
        return ok;
      case '-C':
        return c?.rules.includes(canonical(rest)) ? ok : bad;
      case '-A':
        if (!c) return bad;
        c.rules.push(canonical(rest));
        return ok;
      case '-I':
        if (!c) return bad;
        c.rules.unshift(canonical(rest));
        return ok;
      case '-D': {
        if (!c || !rest.length) return bad;
        const i = c.rules.indexOf(canonical(rest));
        if (i < 0) return bad;
        c.rules.splice(i, 1);
        return ok;
      }
    }
    return bad;
  };

  /** `iptables [-t T] -S [CHAIN]` rule lines (without the -P/-N header lines unless asked). */
  rules(table: string, chain: string): string[] {
    return (this.tables.get(table)?.get(chain)?.rules ?? []).map((r) => `-A ${chain} ${r}`);
  }

  /** The body of `iptables-save -t T`: chain declarations and rules in iptables-save order. */
  save(table: string): string[] {
    const t = this.tables.get(table) as Table;
    const out: string[] = [];
    const builtin = BUILTIN[table];
    const user = [...t.keys()].filter((c) => !builtin.includes(c)).sort();
    for (const c of builtin) out.push(`:${c} ${t.get(c)?.policy}`);
    for (const c of user) out.push(`:${c} -`);
    for (const c of [...builtin, ...user]) out.push(...this.rules(table, c));
    return out;
  }

  install(ns: Netns): this {
    (ns.netfilter as unknown as { run: FakeNetfilter['run'] }).run = this.run;
    return this;
  }
}
