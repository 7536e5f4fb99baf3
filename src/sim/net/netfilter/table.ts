/**
 * One iptables table as libiptc sees it: built-in chains in hook order with their policy and
 * policy counters, user chains sorted by name, rules with counters. Operations mirror libiptc
 * (libiptc/libiptc.c) and fail with the errno it sets, which iptc_strerror() turns into the
 * message iptables prints. `validate()` is the kernel's check when the table is committed.
 */
import type { Hook, TableName } from './api.ts';
import { cloneRule, type Counters, type Rule } from './rule.ts';
import { requiredProto } from './matches.ts';

export const TABLE_HOOKS: Record<TableName, Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export const isTableName = (t: string): t is TableName => t === 'raw' || t === 'mangle' || t === 'nat' || t === 'filter';

export interface Chain {
  name: string;
  /** The hook of a built-in chain; null for a user chain. */
  hook: Hook | null;
  policy: 'ACCEPT' | 'DROP';
  policyCounters: Counters;
  rules: Rule[];
}

/** The errno libiptc leaves and the function that set it (iptc_fn), as iptc_strerror reads them. */
export type IptcFn =
  | 'init'
  | 'chain_iter'
  | 'insert'
  | 'replace'
  | 'append'
  | 'delete'
  | 'delete_num'
  | 'flush'
  | 'zero'
  | 'zero_counter'
  | 'create_chain'
  | 'get_references'
  | 'delete_chain'
  | 'rename_chain'
  | 'set_policy'
  | 'commit';
export type Errno = 'ENOENT' | 'EEXIST' | 'E2BIG' | 'EINVAL' | 'EMLINK' | 'ENOTEMPTY' | 'ELOOP' | 'ENOMEM';

export class IptcError extends Error {
  constructor(
    readonly fn: IptcFn,
    readonly errno: Errno,
  ) {
    super(`${fn}: ${errno}`);
  }
}

const STRERROR: Record<Errno, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  E2BIG: 'Argument list too long',
  EINVAL: 'Invalid argument',
  EMLINK: 'Too many links',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENOMEM: 'Cannot allocate memory',
};

/** TC_STRERROR: the function-specific messages first, then the generic ones, then strerror(). */
export function iptcStrerror(e: IptcError): string {
  const { fn, errno } = e;
  const table: [IptcFn | null, Errno, string][] = [
    ['init', 'ENOENT', 'Table does not exist (do you need to insmod?)'],
    ['delete_chain', 'ENOTEMPTY', 'Chain is not empty'],
    ['delete_chain', 'EINVAL', "Can't delete built-in chain"],
    ['delete_chain', 'EMLINK', "Can't delete chain with references left"],
    ['create_chain', 'EEXIST', 'Chain already exists'],
    ['insert', 'E2BIG', 'Index of insertion too big'],
    ['replace', 'E2BIG', 'Index of replacement too big'],
    ['delete_num', 'E2BIG', 'Index of deletion too big'],
    ['zero_counter', 'E2BIG', 'Index of counter too big'],
    ['insert', 'ELOOP', 'Loop found in table'],
    ['insert', 'EINVAL', 'Target problem'],
    ['delete', 'ENOENT', 'Bad rule (does a matching rule exist in that chain?)'],
    ['set_policy', 'ENOENT', 'Bad built-in chain name'],
    ['set_policy', 'EINVAL', 'Bad policy name'],
    [null, 'ENOMEM', 'Memory allocation problem'],
    [null, 'ENOENT', 'No chain/target/match by that name'],
  ];
  for (const [f, n, msg] of table) if ((f === null || f === fn) && n === errno) return msg;
  return STRERROR[errno];
}

const fail = (fn: IptcFn, errno: Errno): never => {
  throw new IptcError(fn, errno);
};

const BUILTIN_LABELS = new Set(['ACCEPT', 'DROP', 'QUEUE', 'RETURN']);

export class Table {
  readonly chains = new Map<string, Chain>();

  constructor(readonly name: TableName) {
    for (const hook of TABLE_HOOKS[name]) {
      this.chains.set(hook, { name: hook, hook, policy: 'ACCEPT', policyCounters: { pkts: 0, bytes: 0 }, rules: [] });
    }
  }

  clone(): Table {
    const t = new Table(this.name);
    t.chains.clear();
    for (const c of this.ordered()) {
      t.chains.set(c.name, { ...c, policyCounters: { ...c.policyCounters }, rules: c.rules.map(cloneRule) });
    }
    return t;
  }

  /** Chains as libiptc iterates them: built-ins in hook order, then user chains by strcmp. */
  ordered(): Chain[] {
    const builtins = TABLE_HOOKS[this.name].map((h) => this.chains.get(h)!);
    const users = [...this.chains.values()].filter((c) => c.hook === null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...builtins, ...users];
  }

  get(name: string): Chain | undefined {
    return this.chains.get(name);
  }

  isChain(name: string): boolean {
    return this.chains.has(name);
  }

  isBuiltin(name: string): boolean {
    return this.chains.get(name)?.hook != null;
  }

  /** Rules that jump or go to `name` (the chain's reference count). */
  references(name: string): number {
    let n = 0;
    for (const c of this.chains.values()) for (const r of c.rules) if (r.target.kind === 'chain' && r.target.chain === name) n++;
    return n;
  }

  private find(fn: IptcFn, chain: string): Chain {
    return this.chains.get(chain) ?? fail(fn, 'ENOENT');
  }

  /** iptcc_map_target: a jump to a built-in chain is refused. */
  private mapTarget(fn: IptcFn, r: Rule): void {
    if (r.target.kind === 'chain' && this.isBuiltin(r.target.chain)) fail(fn, 'EINVAL');
  }

  insert(chain: string, rule: Rule, index: number): void {
    const c = this.find('insert', chain);
    if (index > c.rules.length) fail('insert', 'E2BIG');
    this.mapTarget('insert', rule);
    c.rules.splice(index, 0, rule);
  }

  append(chain: string, rule: Rule): void {
    const c = this.find('append', chain);
    this.mapTarget('append', rule);
    c.rules.push(rule);
  }

  replace(chain: string, rule: Rule, index: number): void {
    const c = this.find('replace', chain);
    if (index >= c.rules.length) fail('replace', 'E2BIG');
    this.mapTarget('replace', rule);
    c.rules[index] = rule;
  }

  /** Deletes (or, for -C, finds) the first rule equal to `rule` by `same`. */
  deleteMatching(chain: string, rule: Rule, same: (a: Rule, b: Rule) => boolean, dryRun: boolean): void {
    const c = this.find('delete', chain);
    this.mapTarget('delete', rule);
    const i = c.rules.findIndex((r) => same(rule, r));
    if (i < 0) fail('delete', 'ENOENT');
    if (!dryRun) c.rules.splice(i, 1);
  }

  deleteNum(chain: string, index: number): void {
    const c = this.find('delete_num', chain);
    if (index >= c.rules.length) fail('delete_num', 'E2BIG');
    c.rules.splice(index, 1);
  }

  flush(chain: string): void {
    this.find('flush', chain).rules = [];
  }

  zero(chain: string): void {
    const c = this.find('zero', chain);
    c.policyCounters = { pkts: 0, bytes: 0 };
    for (const r of c.rules) r.counters = { pkts: 0, bytes: 0 };
  }

  /** `-Z chain N`: rulenum counts from 1 (iptcc_get_rule_num). */
  zeroCounter(chain: string, rulenum: number): void {
    const c = this.find('zero_counter', chain);
    const r = c.rules[rulenum - 1];
    if (!r || rulenum < 1) fail('zero_counter', 'E2BIG');
    r!.counters = { pkts: 0, bytes: 0 };
  }

  createChain(name: string): void {
    if (this.chains.has(name) || BUILTIN_LABELS.has(name)) fail('create_chain', 'EEXIST');
    if (name.length + 1 > 32) fail('create_chain', 'EINVAL');
    this.chains.set(name, { name, hook: null, policy: 'ACCEPT', policyCounters: { pkts: 0, bytes: 0 }, rules: [] });
  }

  /** TC_DELETE_CHAIN: note that the reference and emptiness checks fail under TC_GET_REFERENCES. */
  deleteChain(name: string): void {
    const c = this.find('delete_chain', name);
    if (c.hook) fail('delete_chain', 'EINVAL');
    if (this.references(name) > 0) fail('get_references', 'EMLINK');
    if (c.rules.length) fail('get_references', 'ENOTEMPTY');
    this.chains.delete(name);
  }

  renameChain(oldName: string, newName: string): void {
    if (this.chains.has(newName) || BUILTIN_LABELS.has(newName)) fail('rename_chain', 'EEXIST');
    const c = this.chains.get(oldName);
    if (!c || c.hook) fail('rename_chain', 'ENOENT');
    if (newName.length + 1 > 32) fail('rename_chain', 'EINVAL');
    this.chains.delete(oldName);
    c!.name = newName;
    this.chains.set(newName, c!);
    for (const ch of this.chains.values())
      for (const r of ch.rules) if (r.target.kind === 'chain' && r.target.chain === oldName) r.target = { kind: 'chain', chain: newName };
  }

  setPolicy(chain: string, policy: string, counters: Counters | null): void {
    const c = this.find('set_policy', chain);
    if (!c.hook) fail('set_policy', 'ENOENT');
    if (policy !== 'ACCEPT' && policy !== 'DROP') fail('set_policy', 'EINVAL');
    c.policy = policy as 'ACCEPT' | 'DROP';
    // COUNTER_MAP_SET with the given counters, or COUNTER_MAP_NOMAP (zeroed) without.
    c.policyCounters = counters ? { ...counters } : { pkts: 0, bytes: 0 };
  }

  /**
   * What the kernel checks when the table is replaced (translate_table, mark_source_chains,
   * xt_check_match/xt_check_target): no jump loops, targets only in their tables and hooks,
   * protocol matches only with their protocol, jumps only to existing chains.
   */
  validate(): void {
    const reach = new Map<string, Set<Hook>>();
    const visit = (chain: Chain, hook: Hook, stack: string[]): void => {
      if (stack.includes(chain.name)) fail('commit', 'ELOOP');
      let hooks = reach.get(chain.name);
      if (!hooks) reach.set(chain.name, (hooks = new Set()));
      if (hooks.has(hook)) return;
      hooks.add(hook);
      for (const r of chain.rules) {
        if (r.target.kind === 'chain') {
          const next = this.chains.get(r.target.chain);
          if (!next) fail('commit', 'ENOENT');
          visit(next!, hook, [...stack, chain.name]);
        }
      }
    };
    for (const c of this.ordered()) if (c.hook) visit(c, c.hook, []);
    for (const c of this.chains.values()) {
      const hooks = reach.get(c.name) ?? new Set<Hook>();
      for (const r of c.rules) {
        for (const m of r.matches) {
          const p = requiredProto(m.ext);
          if (p !== null && (r.proto !== p || r.invProto)) fail('commit', 'EINVAL');
        }
        if (r.target.kind === 'chain' && !this.chains.has(r.target.chain)) fail('commit', 'ENOENT');
        if (r.target.kind !== 'ext') continue;
        const t = r.target.ext;
        if (t.tables && !t.tables.includes(this.name)) fail('commit', 'EINVAL');
        if (t.hooks) for (const h of hooks) if (!t.hooks.includes(h)) fail('commit', 'EINVAL');
        if (t.name === 'REJECT' && (r.target.data as { with: number }).with === 6 && (r.proto !== 6 || r.invProto))
          fail('commit', 'EINVAL');
      }
    }
  }
}
