/**
 * The in-memory form of an iptables rule (struct ipt_entry: the IP header part, the match
 * extensions, the target) and of the extensions that parse, print, save and evaluate them.
 */
import type { PacketView, NatAction, TableName, Hook } from './api.ts';

export interface Counters {
  pkts: number;
  bytes: number;
}

/** What an extension's parser can see of the rule so far (cb->xt_entry in libxtables). */
export interface ParseCtx {
  table: string;
  proto: number;
  invProto: boolean;
  /** Option ids of this extension already given earlier on the command line. */
  seen: Set<string>;
}

/** One long option of an extension (struct option / xt_option_entry). */
export interface ExtOpt {
  name: string;
  /** Synonyms share an id (`sport`/`source-port`); defaults to the name. */
  id?: string;
  /** 0 none, 1 required, 2 optional (getopt has_arg). */
  hasArg: 0 | 1 | 2;
  /** Guided (x6) options check "can only be used once", "cannot be inverted", "must be specified". */
  invert?: boolean;
  multi?: boolean;
  mandatory?: boolean;
  /** Option ids this one may not be combined with (xt_option_entry.excl). */
  excl?: string[];
}

/** The IP part of a rule, as extensions see it when printing (`const struct ipt_ip *ip`). */
export interface RuleIp {
  proto: number;
}

export interface MatchExt<D> {
  name: string;
  /** Guided parser (xtables_option_parse checks) vs the old getopt-style parse. */
  guided: boolean;
  opts: ExtOpt[];
  init(): D;
  parse(d: D, opt: string, arg: string | null, invert: boolean, ctx: ParseCtx): void;
  /** Final check once the whole command line is parsed; `seen` holds the option names given. */
  check?(d: D, seen: Set<string>, ctx: ParseCtx): void;
  /** `iptables -L` text (leading space included). */
  print(d: D, numeric: boolean, ip: RuleIp): string;
  /** iptables-save text after ` -m NAME` (leading space included). */
  save(d: D, ip: RuleIp): string;
  /** The name `-m` shows (the `state` alias of conntrack). */
  alias?(d: D): string;
  /** Does the packet match? `now` is the virtual clock in ms (for `-m limit`). */
  match(d: D, p: PacketView, now: number): boolean;
  /** A deep copy for transactions (the kernel gives every rule fresh state when a table is replaced). */
  clone(d: D): D;
}

export type TargetVerdict =
  { kind: 'CONTINUE' } | { kind: 'ACCEPT'; nat?: NatAction } | { kind: 'DROP' } | { kind: 'REJECT'; rejectWith: string };

export interface TargetExt<D> {
  name: string;
  guided: boolean;
  opts: ExtOpt[];
  init(): D;
  parse(d: D, opt: string, arg: string | null, invert: boolean, ctx: ParseCtx): void;
  check?(d: D, seen: Set<string>, ctx: ParseCtx): void;
  print(d: D, numeric: boolean, ip: RuleIp): string;
  save(d: D, ip: RuleIp): string;
  /** The kernel's checkentry: tables and hooks this target may be used from (x_tables.c). */
  tables?: TableName[];
  hooks?: Hook[];
  run(d: D, p: PacketView): TargetVerdict;
  clone(d: D): D;
}

// The extension registries hold extensions of different data types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMatchExt = MatchExt<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTargetExt = TargetExt<any>;

export interface MatchInst {
  ext: AnyMatchExt;
  data: unknown;
}

/** A rule's target: a standard verdict, a jump (or goto) to a user chain, an extension, or none. */
export type RuleTarget =
  | { kind: 'verdict'; verdict: 'ACCEPT' | 'DROP' | 'RETURN' | 'QUEUE' }
  | { kind: 'chain'; chain: string }
  | { kind: 'ext'; ext: AnyTargetExt; data: unknown }
  | { kind: 'none' };

export interface Rule {
  src: number;
  smsk: number;
  dst: number;
  dmsk: number;
  /** Interface names as given (`eth+` is a wildcard); '' when absent. */
  iniface: string;
  outiface: string;
  proto: number;
  invSrc: boolean;
  invDst: boolean;
  invIn: boolean;
  invOut: boolean;
  invProto: boolean;
  frag: boolean;
  invFrag: boolean;
  goto: boolean;
  matches: MatchInst[];
  target: RuleTarget;
  counters: Counters;
  /** Cached `-A CHAIN ...` text for the trace view (keyed by chain name). */
  textFor?: string;
  text?: string;
}

export function cloneRule(r: Rule): Rule {
  return {
    ...r,
    matches: r.matches.map((m) => ({ ext: m.ext, data: m.ext.clone(m.data) })),
    target: r.target.kind === 'ext' ? { kind: 'ext', ext: r.target.ext, data: r.target.ext.clone(r.target.data) } : r.target,
    counters: { ...r.counters },
    textFor: undefined,
    text: undefined,
  };
}

/** The name `iptables -L` shows in the target column (iptc_get_target). */
export function targetName(t: RuleTarget): string {
  switch (t.kind) {
    case 'verdict':
      return t.verdict;
    case 'chain':
      return t.chain;
    case 'ext':
      return t.ext.name;
    case 'none':
      return '';
  }
}
