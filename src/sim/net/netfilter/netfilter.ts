/**
 * Netfilter of one network namespace with the iptables legacy backend (x_tables): the four
 * IPv4 tables, instantiated in the namespace the first time a program addresses them (as
 * since Linux 5.x, where a fresh namespace has no tables until iptables asks), the front ends
 * (`iptables`, `iptables-save`, `iptables-restore`) and the packet traversal the walk calls
 * at each hook (ipt_do_table in net/ipv4/netfilter/ip_tables.c).
 */
import type { Hook, HookResult, PacketView, RuleTraceSink, TableName } from './api.ts';
import type { Rule } from './rule.ts';
import { ctime } from '../../base/clock.ts';
import { doCommand, type CommandIo } from './command.ts';
import { counterText, saveRule } from './format.ts';
import { getoptLong } from './getopt.ts';
import { protoNumber } from './matches.ts';
import { CMD_CHECK, CMD_LIST, CMD_LIST_RULES, parseCommand } from './parse.ts';
import { runRestore, type ProgramResult } from './restore.ts';
import { IptcError, iptcStrerror, isTableName, Table, type Chain } from './table.ts';
import { formatXtError, IPT_VERSION, OTHER_PROBLEM, PROGRAM_VERSION, VERSION_PROBLEM, XtError, type NameResolver } from './xtutil.ts';

export type IptablesResult = ProgramResult;

export interface ProgramEnv {
  /** Host name lookups (the machine's /etc/hosts) for `-s name` and `-L` without `-n`. */
  resolver?: NameResolver;
  /** The program name for messages (iptables-legacy-multi always uses the canonical one). */
  programName?: string;
}

const ACCEPT: HookResult = { verdict: 'ACCEPT' };
/** Bounds jumps at traversal time (the kernel refuses loops when the table is loaded). */
const MAX_STACK = 64;

export class Netfilter {
  private readonly tables = new Map<TableName, Table>();
  /** Tables in the order the namespace instantiated them (/proc/net/ip_tables_names lists newest first). */
  private readonly loadOrder: TableName[] = [];

  /** `now()` gives the time iptables-save prints (the lab's virtual clock). */
  constructor(private readonly now: () => number = () => 0) {}

  // ---- tables ------------------------------------------------------------------------------

  /** iptc_init: the live table, instantiating it on first use; null for an unknown table. */
  private load(name: string): Table | null {
    if (!isTableName(name)) return null;
    let t = this.tables.get(name);
    if (!t) {
      t = new Table(name);
      this.tables.set(name, t);
      this.loadOrder.unshift(name);
    }
    return t;
  }

  /** Commits a modified copy after the kernel's checks (translate_table). */
  private commit(t: Table): void {
    t.validate();
    this.tables.set(t.name, t);
  }

  /** The tables this namespace has instantiated, as iptables-save lists them. */
  loadedTables(): TableName[] {
    return [...this.loadOrder];
  }

  /**
   * `iptables -t TABLE -S` without its side effect of instantiating the table (for the lab's
   * views and snapshots, which must not change what iptables-save shows): null when not loaded.
   */
  listRules(table: TableName): string | null {
    const t = this.tables.get(table);
    if (!t) return null;
    const io: CommandIo = { out: [], err: [] };
    doCommand(parseCommand(['-t', table, '-S'], { programName: 'iptables' }), t, io);
    return io.out.join('');
  }

  /** Read-only view of a table's chains (for the lab's views and tests); undefined when not loaded. */
  chains(table: TableName): Chain[] | undefined {
    return this.tables.get(table)?.ordered();
  }

  // ---- iptables ----------------------------------------------------------------------------

  /** Runs an iptables command line (argv without the program name), as dockerd and the shell do. */
  run(argv: string[], env: ProgramEnv = {}): IptablesResult {
    const prog = env.programName ?? 'iptables';
    const io: CommandIo = { out: [], err: [], resolver: env.resolver };
    const result = (status: number, extraErr = ''): IptablesResult => ({
      status,
      stdout: io.out.join(''),
      stderr: io.err.join('') + extraErr,
    });
    try {
      const p = parseCommand(argv, { programName: prog, resolver: env.resolver });
      if (p.exitText !== undefined) return { status: 0, stdout: p.exitText, stderr: '' };
      const live = this.load(p.table);
      if (!live) {
        throw new XtError(VERSION_PROBLEM, `can't initialize iptables table \`${p.table}': Table does not exist (do you need to insmod?)`);
      }
      // Listing and -C change nothing: work on the live table (no copy, no commit).
      const readOnly = p.command === CMD_LIST || p.command === CMD_LIST_RULES || p.command === CMD_CHECK;
      const h = readOnly ? live : live.clone();
      doCommand(p, h, io);
      if (!readOnly) this.commit(h);
      return result(0);
    } catch (e) {
      if (e instanceof XtError) {
        io.out = [];
        return result(e.status, formatXtError(e, prog));
      }
      if (e instanceof IptcError) {
        const msg = iptcStrerror(e);
        const tail = e.errno === 'EINVAL' ? " Run `dmesg' for more information." : '';
        // iptables-standalone.c prints this prefix literally.
        return result(1, `iptables: ${msg}.${tail}\n`);
      }
      throw e;
    }
  }

  // ---- iptables-save -----------------------------------------------------------------------

  /** iptables-save (iptables-save.c): the loaded tables, newest first, or the one `-t` names. */
  save(argv: string[], env: ProgramEnv = {}): IptablesResult {
    const prog = env.programName ?? 'iptables-save';
    const g = getoptLong(argv, 'bcdt:M:f:V', [
      { name: 'counters', hasArg: 0, code: 'c' },
      { name: 'dump', hasArg: 0, code: 'd' },
      { name: 'table', hasArg: 1, code: 't' },
      { name: 'modprobe', hasArg: 1, code: 'M' },
      { name: 'file', hasArg: 1, code: 'f' },
      { name: 'version', hasArg: 0, code: 'V' },
    ]);
    let showCounters = false;
    let table: string | null = null;
    let stderr = '';
    for (const it of g.items) {
      if (it.code === 'b') stderr += '-b/--binary option is not implemented\n';
      else if (it.code === 'c') showCounters = true;
      else if (it.code === 't') table = it.optarg;
      else if (it.code === 'V') return { status: 0, stdout: `${prog} v${PROGRAM_VERSION}\n`, stderr };
    }
    if (g.error !== null) return { status: 1, stdout: '', stderr: stderr + `Look at manual page \`${prog}.8' for more information.\n` };
    if (g.operands.length) return { status: 1, stdout: '', stderr: stderr + 'Unknown arguments found on commandline\n' };
    let out = '';
    const names: string[] = table !== null ? [table] : [...this.loadOrder];
    for (const name of names) {
      const t = this.load(name);
      if (!t) {
        const e = new XtError(OTHER_PROBLEM, 'Cannot initialize: Table does not exist (do you need to insmod?)');
        return { status: 1, stdout: out, stderr: stderr + formatXtError(e, prog) };
      }
      out += this.dumpTable(t, showCounters, prog);
    }
    return { status: 0, stdout: out, stderr };
  }

  private dumpTable(t: Table, counters: boolean, prog: string): string {
    const when = ctime(this.now());
    let s = `# Generated by ${prog} v${IPT_VERSION} on ${when}\n*${t.name}\n`;
    const chains = t.ordered();
    for (const c of chains) s += c.hook ? `:${c.name} ${c.policy} ${counterText(c.policyCounters)}\n` : `:${c.name} - [0:0]\n`;
    for (const c of chains) for (const r of c.rules) s += `${saveRule(r, c.name, counters ? 1 : 0)}\n`;
    return `${s}COMMIT\n# Completed on ${when}\n`;
  }

  // ---- iptables-restore --------------------------------------------------------------------

  /** iptables-restore; `readInput(null)` is stdin, `readInput(path)` a file operand. */
  restore(argv: string[], readInput: (file: string | null) => string | { error: string }, env: ProgramEnv = {}): IptablesResult {
    return runRestore(
      {
        openTable: (name) => this.load(name)?.clone() ?? null,
        commitTable: (t) => this.commit(t),
        resolver: env.resolver,
      },
      argv,
      readInput,
      env.programName ?? 'iptables-restore',
    );
  }

  // ---- packet traversal --------------------------------------------------------------------

  /** Walks a table's built-in chain for a hook and returns the verdict (ipt_do_table). */
  traverse(table: TableName, hook: Hook, pkt: PacketView, trace?: RuleTraceSink): HookResult {
    const t = this.tables.get(table);
    if (!t) return ACCEPT;
    const base = t.chains.get(hook);
    if (!base) return ACCEPT;
    const proto = protoNumber(pkt.proto);
    const inName = pkt.inIface ?? '';
    const outName = pkt.outIface ?? '';
    const now = this.now();
    const stack: { chain: Chain; idx: number }[] = [];
    let chain = base;
    let i = 0;
    for (;;) {
      if (i >= chain.rules.length) {
        // End of a user chain: implicit RETURN; end of the base chain: its policy.
        const back = stack.pop();
        if (back) {
          chain = back.chain;
          i = back.idx + 1;
          continue;
        }
        return this.policy(t, base, pkt, trace);
      }
      const r = chain.rules[i]!;
      if (!ruleMatches(r, pkt, proto, inName, outName, now)) {
        if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), 'nomatch');
        i++;
        continue;
      }
      r.counters.pkts++;
      r.counters.bytes += pkt.len;
      const tg = r.target;
      switch (tg.kind) {
        case 'none':
          if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), 'match');
          i++;
          continue;
        case 'verdict':
          if (tg.verdict === 'RETURN') {
            if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), 'RETURN');
            const back = stack.pop();
            if (!back) return this.policy(t, base, pkt, trace);
            chain = back.chain;
            i = back.idx + 1;
            continue;
          }
          if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), tg.verdict === 'ACCEPT' ? 'ACCEPT' : 'DROP');
          // QUEUE without a listener drops the packet.
          return tg.verdict === 'ACCEPT' ? ACCEPT : { verdict: 'DROP' };
        case 'chain': {
          const next = t.chains.get(tg.chain);
          if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), 'jump');
          if (!next || stack.length >= MAX_STACK) return { verdict: 'DROP' };
          if (!r.goto) stack.push({ chain, idx: i });
          chain = next;
          i = 0;
          continue;
        }
        case 'ext': {
          const v = tg.ext.run(tg.data, pkt);
          if (v.kind === 'CONTINUE') {
            if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), 'match');
            i++;
            continue;
          }
          if (v.kind === 'ACCEPT') {
            if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), v.nat ? 'match' : 'ACCEPT');
            return v.nat ? { verdict: 'ACCEPT', nat: v.nat } : ACCEPT;
          }
          if (v.kind === 'REJECT') {
            if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), 'REJECT');
            return { verdict: 'REJECT', rejectWith: v.rejectWith };
          }
          if (trace) trace.rule(table, chain.name, ruleText(r, chain.name), 'DROP');
          return { verdict: 'DROP' };
        }
      }
    }
  }

  private policy(t: Table, base: Chain, pkt: PacketView, trace?: RuleTraceSink): HookResult {
    base.policyCounters.pkts++;
    base.policyCounters.bytes += pkt.len;
    if (trace) trace.rule(t.name, base.name, `-P ${base.name} ${base.policy}`, base.policy === 'ACCEPT' ? 'policy-ACCEPT' : 'policy-DROP');
    return base.policy === 'ACCEPT' ? ACCEPT : { verdict: 'DROP' };
  }
}

/** ifname_compare: exact, or a prefix for `name+`. */
function ifaceMatches(name: string, pattern: string): boolean {
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

/** ip_packet_match plus the rule's match extensions. */
function ruleMatches(r: Rule, p: PacketView, proto: number, inName: string, outName: string, now: number): boolean {
  if (((p.src & r.smsk) >>> 0 !== r.src) !== r.invSrc) return false;
  if (((p.dst & r.dmsk) >>> 0 !== r.dst) !== r.invDst) return false;
  if (r.iniface && !ifaceMatches(inName, r.iniface) !== r.invIn) return false;
  if (r.outiface && !ifaceMatches(outName, r.outiface) !== r.invOut) return false;
  if (r.proto && (proto !== r.proto) !== r.invProto) return false;
  // Fragments are not modelled: every packet is a first (or only) fragment.
  if (r.frag && !r.invFrag) return false;
  const ms = r.matches;
  for (let k = 0; k < ms.length; k++) if (!ms[k]!.ext.match(ms[k]!.data, p, now)) return false;
  return true;
}

/** The rule's `-A CHAIN ...` text for the trace view, cached per chain name. */
function ruleText(r: Rule, chain: string): string {
  if (r.textFor !== chain || r.text === undefined) {
    r.text = saveRule(r, chain);
    r.textFor = chain;
  }
  return r.text;
}
