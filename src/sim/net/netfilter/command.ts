/**
 * do_command4 (iptables/iptables.c, 1.8.9): runs a parsed iptables command against a table
 * handle (a copy of the table that is committed when the command succeeds), producing what
 * iptables prints on stdout. libiptc failures are thrown as IptcError.
 */
import type { Rule, RuleTarget } from './rule.ts';
import { IptcError, type Table } from './table.ts';
import {
  CMD_APPEND,
  CMD_CHECK,
  CMD_DELETE,
  CMD_DELETE_CHAIN,
  CMD_DELETE_NUM,
  CMD_FLUSH,
  CMD_INSERT,
  CMD_LIST,
  CMD_LIST_RULES,
  CMD_NEW_CHAIN,
  CMD_NONE,
  CMD_RENAME_CHAIN,
  CMD_REPLACE,
  CMD_SET_POLICY,
  CMD_ZERO,
  CMD_ZERO_NUM,
  OPT_COUNTERS,
  OPT_EXPANDED,
  OPT_LINENUMBERS,
  OPT_NUMERIC,
  OPT_VERBOSE,
  type ParsedCommand,
} from './parse.ts';
import {
  FMT_KILOMEGAGIGA,
  FMT_LINENUMBERS,
  FMT_NOCOUNTS,
  FMT_NUMERIC,
  FMT_OPTIONS,
  FMT_PRINT_RULE,
  FMT_VIA,
  printHeader,
  printRule,
  savePolicy,
  saveRule,
} from './format.ts';
import { paramError, PARAMETER_PROBLEM, XtError, type NameResolver } from './xtutil.ts';

export interface CommandIo {
  out: string[];
  err: string[];
  resolver?: NameResolver;
}

const STANDARD = new Set(['ACCEPT', 'DROP', 'QUEUE', 'RETURN']);

/** Two rules are the same for -D/-C when everything but the counters is (is_same + target_same). */
export const sameRule = (a: Rule, b: Rule): boolean => saveRule(a, '') === saveRule(b, '');

function buildRules(p: ParsedCommand, h: Table, io: CommandIo): Rule[] {
  let ext = p.targetExt;
  if (ext && h.isChain(p.jumpto)) {
    io.err.push(`Warning: using chain ${p.jumpto}, not extension\n`);
    ext = null;
  }
  let target: RuleTarget;
  if (ext) target = { kind: 'ext', ext: ext.ext, data: ext.data };
  else if (STANDARD.has(p.jumpto)) target = { kind: 'verdict', verdict: p.jumpto as 'ACCEPT' };
  else if (p.jumpto === '') target = { kind: 'none' };
  else if (h.isChain(p.jumpto)) target = { kind: 'chain', chain: p.jumpto };
  else {
    if (p.goto) paramError(`goto '${p.jumpto}' is not a chain`);
    return paramError(`Couldn't load target \`${p.jumpto}':No such file or directory\n`);
  }
  const rules: Rule[] = [];
  for (const s of p.saddrs) {
    for (const d of p.daddrs) {
      rules.push({
        src: s.addr,
        smsk: s.mask,
        dst: d.addr,
        dmsk: d.mask,
        iniface: p.iniface,
        outiface: p.outiface,
        proto: p.proto,
        invSrc: p.invSrc,
        invDst: p.invDst,
        invIn: p.invIn,
        invOut: p.invOut,
        invProto: p.invProto,
        frag: p.frag,
        invFrag: p.invFrag,
        goto: p.goto,
        matches: p.matches.map((m) => ({ ext: m.ext, data: m.ext.clone(m.data) })),
        target: target.kind === 'ext' ? { kind: 'ext', ext: target.ext, data: target.ext.clone(target.data) } : target,
        counters: { pkts: p.pcnt, bytes: p.bcnt },
      });
    }
  }
  return rules;
}

function forEachChain(h: Table, builtinsToo: boolean, fn: (chain: string) => void): void {
  let last: IptcError | null = null;
  for (const c of h.ordered()) {
    if (!builtinsToo && c.hook) continue;
    try {
      fn(c.name);
    } catch (e) {
      if (!(e instanceof IptcError)) throw e;
      last = e;
    }
  }
  if (last) throw last;
}

function listEntries(p: ParsedCommand, h: Table, io: CommandIo): void {
  let format = FMT_OPTIONS;
  if (!(p.options & OPT_VERBOSE)) format |= FMT_NOCOUNTS;
  else format |= FMT_VIA;
  if (p.options & OPT_NUMERIC) format |= FMT_NUMERIC;
  if (!(p.options & OPT_EXPANDED)) format |= FMT_KILOMEGAGIGA;
  if (p.options & OPT_LINENUMBERS) format |= FMT_LINENUMBERS;
  let found = false;
  for (const c of h.ordered()) {
    if (p.chain !== null && p.chain !== c.name) continue;
    if (found) io.out.push('\n');
    if (!p.rulenum) io.out.push(printHeader(format, c, h.references(c.name)));
    c.rules.forEach((r, i) => {
      if (!p.rulenum || i + 1 === p.rulenum) io.out.push(printRule(r, i + 1, format, io.resolver));
    });
    found = true;
  }
  if (!found) throw new IptcError('chain_iter', 'ENOENT');
}

function listRules(p: ParsedCommand, h: Table, io: CommandIo): void {
  const counters = p.options & OPT_VERBOSE ? -1 : 0;
  const chains = h.ordered().filter((c) => p.chain === null || c.name === p.chain);
  if (!p.rulenum) for (const c of chains) io.out.push(c.hook ? `${savePolicy(c, counters !== 0)}\n` : `-N ${c.name}\n`);
  for (const c of chains) {
    c.rules.forEach((r, i) => {
      if (!p.rulenum || i + 1 === p.rulenum) io.out.push(`${saveRule(r, c.name, counters)}\n`);
    });
  }
  if (!chains.length) throw new IptcError('chain_iter', 'ENOENT');
}

/** Runs the command on `h`; throws IptcError when libiptc would fail. */
export function doCommand(p: ParsedCommand, h: Table, io: CommandIo): void {
  const cmd = p.command;
  const chain = p.chain;
  const verbose = (p.options & OPT_VERBOSE) !== 0;
  let rules: Rule[] = [];
  if (cmd === CMD_APPEND || cmd === CMD_DELETE || cmd === CMD_CHECK || cmd === CMD_INSERT || cmd === CMD_REPLACE)
    rules = buildRules(p, h, io);
  const show = (r: Rule): void => {
    if (verbose) io.out.push(printRule(r, 0, FMT_PRINT_RULE, io.resolver));
  };

  switch (cmd) {
    case CMD_APPEND:
      for (const r of rules) {
        show(r);
        h.append(chain!, r);
      }
      break;
    case CMD_DELETE:
      for (const r of rules) {
        show(r);
        h.deleteMatching(chain!, r, sameRule, false);
      }
      break;
    case CMD_DELETE_NUM:
      h.deleteNum(chain!, p.rulenum - 1);
      break;
    case CMD_CHECK:
      for (const r of rules) {
        show(r);
        h.deleteMatching(chain!, r, sameRule, true);
      }
      break;
    case CMD_REPLACE:
      show(rules[0]!);
      h.replace(chain!, rules[0]!, p.rulenum - 1);
      break;
    case CMD_INSERT:
      for (const r of rules) {
        show(r);
        h.insert(chain!, r, p.rulenum - 1);
      }
      break;
    case CMD_FLUSH:
      if (chain === null) forEachChain(h, true, (c) => flushOne(h, c, verbose, io));
      else flushOne(h, chain, verbose, io);
      break;
    case CMD_ZERO:
      zero(h, chain, verbose, io);
      break;
    case CMD_ZERO_NUM:
      h.zeroCounter(chain!, p.rulenum);
      break;
    case CMD_LIST:
    case CMD_LIST | CMD_ZERO:
    case CMD_LIST | CMD_ZERO_NUM:
      listEntries(p, h, io);
      if (cmd & CMD_ZERO) zero(h, chain, verbose, io);
      if (cmd & CMD_ZERO_NUM) h.zeroCounter(chain!, p.rulenum);
      break;
    case CMD_LIST_RULES:
    case CMD_LIST_RULES | CMD_ZERO:
    case CMD_LIST_RULES | CMD_ZERO_NUM:
      listRules(p, h, io);
      if (cmd & CMD_ZERO) zero(h, chain, verbose, io);
      if (cmd & CMD_ZERO_NUM) h.zeroCounter(chain!, p.rulenum);
      break;
    case CMD_NEW_CHAIN:
      h.createChain(chain!);
      break;
    case CMD_DELETE_CHAIN:
      if (chain === null) forEachChain(h, false, (c) => deleteChain(h, c, verbose, io));
      else deleteChain(h, chain, verbose, io);
      break;
    case CMD_RENAME_CHAIN:
      h.renameChain(chain!, p.newname!);
      break;
    case CMD_SET_POLICY:
      h.setPolicy(chain!, p.policy!, p.options & OPT_COUNTERS ? { pkts: p.pcnt, bytes: p.bcnt } : null);
      break;
    case CMD_NONE:
      break;
    default:
      // exit_tryhelp(2): a command combination do_command4 does not handle.
      throw new XtError(PARAMETER_PROBLEM, '', true);
  }
}

function flushOne(h: Table, chain: string, verbose: boolean, io: CommandIo): void {
  if (verbose) io.out.push(`Flushing chain \`${chain}'\n`);
  h.flush(chain);
}

function zero(h: Table, chain: string | null, verbose: boolean, io: CommandIo): void {
  const one = (c: string): void => {
    if (verbose) io.out.push(`Zeroing chain \`${c}'\n`);
    h.zero(c);
  };
  if (chain === null) forEachChain(h, true, one);
  else one(chain);
}

export function deleteChain(h: Table, chain: string, verbose: boolean, io: CommandIo): void {
  if (verbose) io.out.push(`Deleting chain \`${chain}'\n`);
  h.deleteChain(chain);
}

export { flushOne };
