/**
 * The iptables command line parser: a port of do_parse() (iptables/xshared.c, 1.8.9) on top of
 * a getopt_long emulation (GNU getopt in RETURN_IN_ORDER mode with the `-:` optstring), with
 * extension options merged in as `-m`/`-j`/`-p` load them. Errors are thrown as XtError with
 * the real texts; the caller prints them.
 */
import type { AnyMatchExt, AnyTargetExt, ExtOpt, MatchInst, ParseCtx } from './rule.ts';
import { findMatch } from './matches.ts';
import { findTarget } from './targets.ts';
import {
  ipparseMultiple,
  paramError,
  parseProtocol,
  protoToName,
  strtoui,
  XtError,
  PARAMETER_PROBLEM,
  PROGRAM_VERSION,
  type AddrMask,
  type NameResolver,
} from './xtutil.ts';

export const CMD_NONE = 0;
export const CMD_INSERT = 1 << 0;
export const CMD_DELETE = 1 << 1;
export const CMD_DELETE_NUM = 1 << 2;
export const CMD_REPLACE = 1 << 3;
export const CMD_APPEND = 1 << 4;
export const CMD_LIST = 1 << 5;
export const CMD_FLUSH = 1 << 6;
export const CMD_ZERO = 1 << 7;
export const CMD_NEW_CHAIN = 1 << 8;
export const CMD_DELETE_CHAIN = 1 << 9;
export const CMD_SET_POLICY = 1 << 10;
export const CMD_RENAME_CHAIN = 1 << 11;
export const CMD_LIST_RULES = 1 << 12;
export const CMD_ZERO_NUM = 1 << 13;
export const CMD_CHECK = 1 << 14;

export const OPT_NUMERIC = 1 << 0;
export const OPT_SOURCE = 1 << 1;
export const OPT_DESTINATION = 1 << 2;
export const OPT_PROTOCOL = 1 << 3;
export const OPT_JUMP = 1 << 4;
export const OPT_VERBOSE = 1 << 5;
export const OPT_EXPANDED = 1 << 6;
export const OPT_VIANAMEIN = 1 << 7;
export const OPT_VIANAMEOUT = 1 << 8;
export const OPT_LINENUMBERS = 1 << 9;
export const OPT_COUNTERS = 1 << 10;
export const OPT_FRAGMENT = 1 << 11;

const OPTFLAGS = ['n', 's', 'd', 'p', 'j', 'v', 'x', 'i', 'o', '0', 'c', 'f'];
/** Which options may be inverted (inverse_for_options). */
const INVERTIBLE = new Set([OPT_SOURCE, OPT_DESTINATION, OPT_PROTOCOL, OPT_VIANAMEIN, OPT_VIANAMEOUT, OPT_FRAGMENT]);

/** commands_v_options, for the options an IPv4 iptables has. */
const CMD_V_OPT: string[] = [
  /*INSERT*/ 'x     x  x  ',
  /*DELETE*/ 'x     x  xx ',
  /*DELETE_NUM*/ 'xxxxx xxxxxx',
  /*REPLACE*/ 'x     x  x  ',
  /*APPEND*/ 'x     x  x  ',
  /*LIST*/ ' xxxx  xx xx',
  /*FLUSH*/ 'xxxxx xxxxxx',
  /*ZERO*/ 'xxxxx xxxxxx',
  /*NEW_CHAIN*/ 'xxxxx xxxxxx',
  /*DEL_CHAIN*/ 'xxxxx xxxxxx',
  /*SET_POLICY*/ 'xxxxx xxxx x',
  /*RENAME*/ 'xxxxx xxxxxx',
  /*LIST_RULES*/ 'xxxxx xxxxxx',
  /*ZERO_NUM*/ 'xxxxx xxxxxx',
  /*CHECK*/ 'x     x  xx ',
];

function cmd2char(option: number): string {
  const flags = ['I', 'D', 'D', 'R', 'A', 'L', 'F', 'Z', 'N', 'X', 'P', 'E', 'S', 'Z', 'C'];
  let i = 0;
  for (let o = option; o > 1; o >>= 1) i++;
  return flags[i]!;
}

function opt2char(option: number): string {
  let i = 0;
  for (let o = option; o > 1; o >>= 1) i++;
  return OPTFLAGS[i]!;
}

/** Target extension names libxtables can load (chain names may not clash with them). */
const KNOWN_TARGET_NAMES = new Set(
  'ACCEPT DROP QUEUE RETURN standard AUDIT CHECKSUM CLASSIFY CLUSTERIP CONNMARK CONNSECMARK CT DNAT DNPT DSCP ECN HMARK IDLETIMER LED LOG MARK MASQUERADE NETMAP NFLOG NFQUEUE NOTRACK RATEEST REDIRECT REJECT SECMARK SET SNAT SNPT SYNPROXY TCPMSS TCPOPTSTRIP TEE TOS TPROXY TRACE TTL ULOG'.split(
    ' ',
  ),
);

/** The long options of iptables.c (original_opts): name, has_arg, the short code. */
const ORIGINAL_OPTS: [string, 0 | 1 | 2, string][] = [
  ['append', 1, 'A'],
  ['delete', 1, 'D'],
  ['check', 1, 'C'],
  ['insert', 1, 'I'],
  ['replace', 1, 'R'],
  ['list', 2, 'L'],
  ['list-rules', 2, 'S'],
  ['flush', 2, 'F'],
  ['zero', 2, 'Z'],
  ['new-chain', 1, 'N'],
  ['delete-chain', 2, 'X'],
  ['rename-chain', 1, 'E'],
  ['policy', 1, 'P'],
  ['source', 1, 's'],
  ['destination', 1, 'd'],
  ['src', 1, 's'],
  ['dst', 1, 'd'],
  ['protocol', 1, 'p'],
  ['in-interface', 1, 'i'],
  ['jump', 1, 'j'],
  ['table', 1, 't'],
  ['match', 1, 'm'],
  ['numeric', 0, 'n'],
  ['out-interface', 1, 'o'],
  ['verbose', 0, 'v'],
  ['wait', 2, 'w'],
  ['wait-interval', 2, 'W'],
  ['exact', 0, 'x'],
  ['fragments', 0, 'f'],
  ['version', 0, 'V'],
  ['help', 2, 'h'],
  ['line-numbers', 0, '0'],
  ['modprobe', 1, 'M'],
  ['set-counters', 1, 'c'],
  ['goto', 1, 'g'],
  ['ipv4', 0, '4'],
  ['ipv6', 0, '6'],
];

/** IPT_OPTSTRING: letter → 0 no argument, 1 required, 2 optional. */
const SHORT: Record<string, 0 | 1 | 2> = {};
for (const m of 'A:C:D:E:F::I:L::M:N:P:VX::Z::c:d:i:j:o:p:s:t:R:S::W::46bfg:h::m:nvw::x'.matchAll(/([A-Za-z0-9])(::|:)?/g)) {
  SHORT[m[1]!] = m[2] === '::' ? 2 : m[2] === ':' ? 1 : 0;
}

export interface ParsedCommand {
  command: number;
  chain: string | null;
  table: string;
  rulenum: number;
  policy: string | null;
  newname: string | null;
  verbose: number;
  options: number;
  /** The rule being built (without addresses). */
  proto: number;
  invProto: boolean;
  invSrc: boolean;
  invDst: boolean;
  invIn: boolean;
  invOut: boolean;
  frag: boolean;
  invFrag: boolean;
  iniface: string;
  outiface: string;
  goto: boolean;
  matches: MatchInst[];
  /** `-j`/`-g` name ('' when none) and the extension it loaded, if any. */
  jumpto: string;
  targetExt: { ext: AnyTargetExt; data: unknown } | null;
  saddrs: AddrMask[];
  daddrs: AddrMask[];
  pcnt: number;
  bcnt: number;
  /** `-h` or `-V`: text to print on stdout, then exit 0. */
  exitText?: string;
}

interface OptOwner {
  kind: 'main' | 'match' | 'target';
  code?: string;
  opt?: ExtOpt;
  inst?: { ext: AnyMatchExt | AnyTargetExt; data: unknown; seen: Set<string> };
  hasArg: 0 | 1 | 2;
}

/** A getopt result: a code ('A', 1 for a non-option, '?' unknown, ':' missing argument) or an extension option. */
interface GetoptResult {
  code: string | 1;
  optarg: string | null;
  owner?: OptOwner;
  /** The argv element the option came from (for error messages). */
  element: string;
}

export interface ParseOptions {
  restore?: boolean;
  line?: number;
  programName: string;
  resolver?: NameResolver;
}

export function parseCommand(argv: string[], opts: ParseOptions): ParsedCommand {
  const p: ParsedCommand = {
    command: CMD_NONE,
    chain: null,
    table: 'filter',
    rulenum: 0,
    policy: null,
    newname: null,
    verbose: 0,
    options: 0,
    proto: 0,
    invProto: false,
    invSrc: false,
    invDst: false,
    invIn: false,
    invOut: false,
    frag: false,
    invFrag: false,
    iniface: '',
    outiface: '',
    goto: false,
    matches: [],
    jumpto: '',
    targetExt: null,
    saddrs: [],
    daddrs: [],
    pcnt: 0,
    bcnt: 0,
  };
  const matchInsts: { ext: AnyMatchExt; data: unknown; seen: Set<string> }[] = [];
  let target: { ext: AnyTargetExt; data: unknown; seen: Set<string> } | null = null;
  let protocol: string | null = null;
  let protoUsed = false;
  let shost: string | null = null;
  let dhost: string | null = null;
  let tableSet = false;
  let invert = false;
  let wait = 0;
  let waitIntervalSet = false;
  const restore = opts.restore ?? false;

  // ---- getopt_long ----
  let optind = 0;
  let cluster = null as { elem: string; pos: number } | null;

  const longOpts = (): { name: string; owner: OptOwner }[] => {
    const list: { name: string; owner: OptOwner }[] = ORIGINAL_OPTS.map(([name, hasArg, code]) => ({
      name,
      owner: { kind: 'main', code, hasArg },
    }));
    const add = (inst: { ext: AnyMatchExt | AnyTargetExt; data: unknown; seen: Set<string> }, kind: 'match' | 'target'): void => {
      for (const o of inst.ext.opts) list.push({ name: o.name, owner: { kind, opt: o, inst, hasArg: o.hasArg } });
    };
    if (target) add(target, 'target');
    for (const m of matchInsts) add(m, 'match');
    return list;
  };

  const getopt = (): GetoptResult | null => {
    if (cluster) {
      const { elem } = cluster;
      const c = elem[cluster.pos]!;
      cluster.pos++;
      const rest = elem.slice(cluster.pos);
      const spec = SHORT[c];
      if (spec === undefined) {
        if (!rest) cluster = null;
        return { code: '?', optarg: null, element: elem };
      }
      if (spec === 0) {
        if (!rest) cluster = null;
        return { code: c, optarg: null, element: elem };
      }
      cluster = null;
      if (rest) return { code: c, optarg: rest, element: elem };
      if (spec === 2) return { code: c, optarg: null, element: elem };
      if (optind < argv.length) return { code: c, optarg: argv[optind++]!, element: elem };
      return { code: ':', optarg: null, element: elem };
    }
    if (optind >= argv.length) return null;
    const arg = argv[optind]!;
    if (arg === '--') {
      optind = argv.length;
      return null;
    }
    if (arg.startsWith('--')) {
      optind++;
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq >= 0 ? eq : undefined);
      const value = eq >= 0 ? arg.slice(eq + 1) : null;
      const all = longOpts();
      let found = all.find((o) => o.name === name);
      if (!found) {
        const cands = all.filter((o) => o.name.startsWith(name));
        const distinct = new Set(cands.map((c) => c.owner.code ?? c.owner.opt));
        if (cands.length && distinct.size === 1) found = cands[0];
      }
      if (!found) return { code: '?', optarg: null, element: arg };
      const hasArg = found.owner.hasArg;
      if (hasArg === 0) {
        if (value !== null) return { code: '?', optarg: null, element: arg };
        return { code: found.owner.code ?? 'ext', optarg: null, owner: found.owner, element: arg };
      }
      if (hasArg === 1) {
        let v = value;
        if (v === null) {
          if (optind < argv.length) v = argv[optind++]!;
          else return { code: ':', optarg: null, element: arg };
        }
        return { code: found.owner.code ?? 'ext', optarg: v, owner: found.owner, element: arg };
      }
      return { code: found.owner.code ?? 'ext', optarg: value, owner: found.owner, element: arg };
    }
    if (arg.startsWith('-') && arg.length > 1) {
      optind++;
      cluster = { elem: arg, pos: 1 };
      return getopt();
    }
    optind++;
    return { code: 1, optarg: arg, element: arg };
  };

  const hasArg = (): boolean => optind < argv.length && argv[optind]![0] !== '-' && argv[optind]![0] !== '!';

  const addCommand = (newcmd: number, othercmds: number): void => {
    if (invert) paramError("unexpected '!' flag");
    if (p.command & ~othercmds) paramError(`Cannot use -${cmd2char(newcmd)} with -${cmd2char(p.command & ~othercmds)}`);
    p.command |= newcmd;
  };

  const setOption = (option: number): void => {
    if (p.options & option) paramError(`multiple -${opt2char(option)} flags not allowed`);
    p.options |= option;
    if (invert && !INVERTIBLE.has(option)) paramError(`cannot have ! before -${opt2char(option)}`);
  };

  const parseRulenumber = (s: string): number => {
    const n = strtoui(s, 1, 0x7fffffff);
    if (n === null) paramError(`Invalid rule number \`${s}'`);
    return n!;
  };

  const parseTarget = (name: string): string => {
    if (name.length < 1) paramError('Invalid target name (too short)');
    if (name.length >= 29) paramError(`Invalid target name \`${name}' (28 chars max)`);
    if (/\s/.test(name)) paramError(`Invalid target name \`${name}'`);
    return name;
  };

  const parseInterface = (arg: string): string => {
    if (arg.length + 1 > 16) paramError(`interface name \`${arg}' must be shorter than IFNAMSIZ (15)`);
    return arg;
  };

  const ctx = (seen: Set<string>): ParseCtx => ({ table: p.table, proto: p.proto, invProto: p.invProto, seen });

  const loadMatch = (ext: AnyMatchExt): void => {
    matchInsts.push({ ext, data: ext.init(), seen: new Set() });
  };

  /** command_default: an extension's option, or load the protocol's match and retry. */
  const commandDefault = (r: GetoptResult, retry: () => void): boolean => {
    if (r.owner && r.owner.kind !== 'main') {
      const inst = r.owner.inst!;
      const o = r.owner.opt!;
      const id = o.id ?? o.name;
      if (inst.ext.guided) {
        if (inst.seen.has(id) && !o.multi) paramError(`${inst.ext.name}: option "--${o.name}" can only be used once.\n`);
        if (invert && !o.invert) paramError(`${inst.ext.name}: option "--${o.name}" cannot be inverted.\n`);
      }
      let arg = r.optarg;
      if (o.name === 'tcp-flags') {
        // --tcp-flags takes a second argument (libxt_tcp.c).
        const next = argv[optind];
        if (next === undefined || next[0] === '-' || next[0] === '!') paramError('--tcp-flags requires two args.');
        arg = `${arg}\u0000${next}`;
        optind++;
      }
      inst.ext.parse(inst.data, o.name, arg, invert, ctx(inst.seen));
      inst.seen.add(id);
      return false;
    }
    // load_proto
    if (protocol !== null) {
      const num = strtoui(protocol, 0, 255);
      const pname = num !== null ? protoToName(num, (p.options & OPT_NUMERIC) !== 0) : protocol;
      const ext = pname ? findMatch(pname) : undefined;
      if (ext && !protoUsed) {
        protoUsed = true;
        loadMatch(ext);
        retry();
        return true;
      }
    }
    if (r.code === ':') paramError(`option "${r.element}" requires an argument`);
    if (r.code === '?') paramError(`unknown option "${r.element}"`);
    return paramError(`Unknown arg "${r.optarg ?? '(null)'}"`);
  };

  for (;;) {
    const cl = cluster as { elem: string; pos: number } | null;
    const start = { optind, cluster: cl ? { elem: cl.elem, pos: cl.pos } : null };
    const r = getopt();
    if (!r) break;
    const c = r.code;
    const optarg = r.optarg;
    switch (c) {
      case 'A':
        addCommand(CMD_APPEND, CMD_NONE);
        p.chain = optarg;
        break;
      case 'C':
        addCommand(CMD_CHECK, CMD_NONE);
        p.chain = optarg;
        break;
      case 'D':
        addCommand(CMD_DELETE, CMD_NONE);
        p.chain = optarg;
        if (hasArg()) {
          p.rulenum = parseRulenumber(argv[optind++]!);
          p.command = CMD_DELETE_NUM;
        }
        break;
      case 'R':
        addCommand(CMD_REPLACE, CMD_NONE);
        p.chain = optarg;
        if (hasArg()) p.rulenum = parseRulenumber(argv[optind++]!);
        else paramError(`-${cmd2char(CMD_REPLACE)} requires a rule number`);
        break;
      case 'I':
        addCommand(CMD_INSERT, CMD_NONE);
        p.chain = optarg;
        p.rulenum = hasArg() ? parseRulenumber(argv[optind++]!) : 1;
        break;
      case 'L':
      case 'S':
        addCommand(c === 'L' ? CMD_LIST : CMD_LIST_RULES, CMD_ZERO | CMD_ZERO_NUM);
        if (optarg) p.chain = optarg;
        else if (hasArg()) p.chain = argv[optind++]!;
        if (hasArg()) p.rulenum = parseRulenumber(argv[optind++]!);
        break;
      case 'F':
        addCommand(CMD_FLUSH, CMD_NONE);
        if (optarg) p.chain = optarg;
        else if (hasArg()) p.chain = argv[optind++]!;
        break;
      case 'Z':
        addCommand(CMD_ZERO, CMD_LIST | CMD_LIST_RULES);
        if (optarg) p.chain = optarg;
        else if (hasArg()) p.chain = argv[optind++]!;
        if (hasArg()) {
          p.rulenum = parseRulenumber(argv[optind++]!);
          p.command = CMD_ZERO_NUM;
        }
        break;
      case 'N':
        assertValidChainName(optarg!);
        addCommand(CMD_NEW_CHAIN, CMD_NONE);
        p.chain = optarg;
        break;
      case 'X':
        addCommand(CMD_DELETE_CHAIN, CMD_NONE);
        if (optarg) p.chain = optarg;
        else if (hasArg()) p.chain = argv[optind++]!;
        break;
      case 'E':
        addCommand(CMD_RENAME_CHAIN, CMD_NONE);
        p.chain = optarg;
        if (hasArg()) p.newname = argv[optind++]!;
        else paramError(`-${cmd2char(CMD_RENAME_CHAIN)} requires old-chain-name and new-chain-name`);
        break;
      case 'P':
        addCommand(CMD_SET_POLICY, CMD_NONE);
        p.chain = optarg;
        if (hasArg()) p.policy = argv[optind++]!;
        else paramError(`-${cmd2char(CMD_SET_POLICY)} requires a chain and a policy`);
        break;
      case 'h':
        p.exitText = helpText(opts.programName);
        return p;
      case 'p': {
        setOption(OPT_PROTOCOL);
        if (invert) p.invProto = true;
        protocol = optarg!.toLowerCase();
        p.proto = parseProtocol(protocol);
        if (p.proto === 0 && p.invProto) paramError('rule would never match protocol');
        break;
      }
      case 's':
        setOption(OPT_SOURCE);
        if (invert) p.invSrc = true;
        shost = optarg;
        break;
      case 'd':
        setOption(OPT_DESTINATION);
        if (invert) p.invDst = true;
        dhost = optarg;
        break;
      case 'g':
        setOption(OPT_JUMP);
        p.goto = true;
        p.jumpto = parseTarget(optarg!);
        break;
      case 'j': {
        setOption(OPT_JUMP);
        p.jumpto = parseTarget(optarg!);
        const std = ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'].includes(p.jumpto);
        const ext = std ? undefined : findTarget(p.jumpto);
        target = ext ? { ext, data: ext.init(), seen: new Set() } : null;
        break;
      }
      case 'i':
      case 'o': {
        if (optarg === '') paramError('Empty interface is likely to be undesired');
        setOption(c === 'i' ? OPT_VIANAMEIN : OPT_VIANAMEOUT);
        const name = parseInterface(optarg!);
        if (c === 'i') {
          p.iniface = name;
          if (invert) p.invIn = true;
        } else {
          p.outiface = name;
          if (invert) p.invOut = true;
        }
        break;
      }
      case 'f':
        setOption(OPT_FRAGMENT);
        p.frag = true;
        if (invert) p.invFrag = true;
        break;
      case 'v':
        if (!p.verbose) setOption(OPT_VERBOSE);
        p.verbose++;
        break;
      case 'm': {
        if (invert) paramError('unexpected ! flag before --match');
        const ext = findMatch(optarg!);
        if (!ext) paramError(`Couldn't load match \`${optarg}':No such file or directory\n`);
        loadMatch(ext!);
        break;
      }
      case 'n':
        setOption(OPT_NUMERIC);
        break;
      case 't':
        if (invert) paramError('unexpected ! flag before --table');
        if (restore && tableSet) paramError(`The -t option cannot be used in ${opts.programName}.\n`);
        p.table = optarg!;
        tableSet = true;
        break;
      case 'x':
        setOption(OPT_EXPANDED);
        break;
      case 'V':
        p.exitText = invert ? `Not ${PROGRAM_VERSION} ;-)\n` : `${opts.programName} v${PROGRAM_VERSION}\n`;
        return p;
      case 'w': {
        if (restore) paramError("You cannot use `-w' from iptables-restore");
        const v = optarg ?? (hasArg() ? argv[optind++]! : null);
        if (v !== null && !/^\s*[-+]?(0[xX][0-9a-fA-F]+|\d+)/.test(v)) paramError('wait seconds not numeric');
        wait = v === null ? -1 : parseInt(v, 0) || 0;
        break;
      }
      case 'W': {
        if (restore) paramError("You cannot use `-W' from iptables-restore");
        const v = optarg ?? (hasArg() ? argv[optind++]! : null);
        if (v === null) paramError('wait interval value required');
        if (!/^\s*\d+/.test(v!)) paramError('wait interval not numeric');
        if (Number(/\d+/.exec(v!)![0]) >= 1000000) paramError('too long usec wait 1000000 > 999999 usec');
        waitIntervalSet = true;
        break;
      }
      case '0':
        setOption(OPT_LINENUMBERS);
        break;
      case 'M':
        break;
      case 'c': {
        setOption(OPT_COUNTERS);
        const pc = optarg!;
        const comma = pc.indexOf(',', 1);
        let bc: string | null = comma >= 0 ? pc.slice(comma + 1) : null;
        if (bc === null && hasArg()) bc = argv[optind++]!;
        if (bc === null) paramError('-c requires packet and byte counter');
        const pm = /^\s*(\d+)/.exec(pc);
        if (!pm) paramError('-c packet counter not numeric');
        const bm = /^\s*(\d+)/.exec(bc!);
        if (!bm) paramError('-c byte counter not numeric');
        p.pcnt = Number(pm![1]);
        p.bcnt = Number(bm![1]);
        break;
      }
      case '4':
        break;
      case '6':
        throw new XtError(PARAMETER_PROBLEM, '', true);
      case 1:
        if (optarg === '!') {
          if (invert) paramError('multiple consecutive ! not allowed');
          invert = true;
          continue;
        }
        throw new XtError(PARAMETER_PROBLEM, `Bad argument \`${optarg}'\n`, true);
      default: {
        const retried = commandDefault(r, () => {
          optind = start.optind;
          cluster = start.cluster;
        });
        if (retried) continue;
        break;
      }
    }
    invert = false;
  }

  if (p.table === 'nat' && (p.policy === 'DROP' || p.jumpto === 'DROP'))
    paramError('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
  if (!wait && waitIntervalSet) paramError('--wait-interval only makes sense with --wait\n');

  for (const m of matchInsts) finalCheck(m, p);
  if (target) finalCheck(target, p);

  if (!p.command) paramError('no command specified');
  if (invert) paramError('nothing appropriate following !');

  // ipv4_post_parse
  if (p.command & (CMD_REPLACE | CMD_INSERT | CMD_DELETE | CMD_APPEND | CMD_CHECK)) {
    if (!(p.options & OPT_DESTINATION)) dhost = '0.0.0.0/0';
    if (!(p.options & OPT_SOURCE)) shost = '0.0.0.0/0';
  }
  if (shost !== null) p.saddrs = ipparseMultiple(shost, opts.resolver);
  if (dhost !== null) p.daddrs = ipparseMultiple(dhost, opts.resolver);
  if ((p.saddrs.length > 1 || p.daddrs.length > 1) && (p.invSrc || p.invDst))
    paramError('! not allowed with multiple source or destination IP addresses');

  if (p.command === CMD_REPLACE && (p.saddrs.length !== 1 || p.daddrs.length !== 1))
    paramError('Replacement rule does not specify a unique address');

  genericOptCheck(p.command, p.options);

  if (p.chain !== null && p.chain.length >= 29) paramError(`chain name \`${p.chain}' too long (must be under 29 chars)`);

  if (p.command & (CMD_APPEND | CMD_DELETE | CMD_DELETE_NUM | CMD_CHECK | CMD_INSERT | CMD_REPLACE)) {
    if ((p.chain === 'PREROUTING' || p.chain === 'INPUT') && p.options & OPT_VIANAMEOUT) paramError(`Can't use -o with ${p.chain}\n`);
    if ((p.chain === 'POSTROUTING' || p.chain === 'OUTPUT') && p.options & OPT_VIANAMEIN) paramError(`Can't use -i with ${p.chain}\n`);
  }

  p.matches = matchInsts.map((m) => ({ ext: m.ext, data: m.data }));
  p.targetExt = target ? { ext: target.ext, data: target.data } : null;
  return p;
}

/** xtables_option_mfcall/tfcall: the extension's own check, then xtables_options_fcheck. */
function finalCheck(inst: { ext: AnyMatchExt | AnyTargetExt; data: unknown; seen: Set<string> }, p: ParsedCommand): void {
  inst.ext.check?.(inst.data, inst.seen, { table: p.table, proto: p.proto, invProto: p.invProto, seen: inst.seen });
  if (!inst.ext.guided) return;
  const opts = inst.ext.opts;
  const idOf = (o: ExtOpt): string => o.id ?? o.name;
  for (const o of opts) {
    if (o.mandatory && !inst.seen.has(idOf(o))) paramError(`${inst.ext.name}: option "--${o.name}" must be specified\n`);
    if (!inst.seen.has(idOf(o))) continue;
    for (const other of opts) {
      // xtables_option_lookup finds the first entry of each id.
      if (idOf(other) === idOf(o) || opts.find((x) => idOf(x) === idOf(other)) !== other) continue;
      if (o.excl?.includes(idOf(other)) && inst.seen.has(idOf(other)))
        paramError(`${inst.ext.name}: option "--${o.name}" cannot be used together with "--${other.name}".\n`);
    }
  }
}

function genericOptCheck(command: number, options: number): void {
  for (let i = 0; i < OPTFLAGS.length; i++) {
    let legal = 0;
    for (let j = 0; j < CMD_V_OPT.length; j++) {
      if (!(command & (1 << j))) continue;
      if (!(options & (1 << i))) continue;
      if ((CMD_V_OPT[j]![i] ?? ' ') !== 'x') legal = 1;
      else if (legal === 0) legal = -1;
    }
    if (legal === -1) paramError(`Illegal option \`-${OPTFLAGS[i]}' with this command`);
  }
}

/** assert_valid_chain_name. */
export function assertValidChainName(name: string): void {
  if (name.length >= 29) paramError(`chain name \`${name}' too long (must be under 29 chars)`);
  if (name[0] === '-' || name[0] === '!') paramError(`chain name not allowed to start with \`${name[0]}'`);
  if (KNOWN_TARGET_NAMES.has(name)) paramError('chain name may not clash with target name');
  if (/\s/.test(name)) paramError(`Invalid chain name \`${name}'`);
}

/** xtables_printhelp for IPv4 (the extension helps are not printed). */
export function helpText(prog: string): string {
  const n = prog;
  return (
    `${n} v${PROGRAM_VERSION}\n\n` +
    `Usage: ${n} -[ACD] chain rule-specification [options]\n` +
    `       ${n} -I chain [rulenum] rule-specification [options]\n` +
    `       ${n} -R chain rulenum rule-specification [options]\n` +
    `       ${n} -D chain rulenum [options]\n` +
    `       ${n} -[LS] [chain [rulenum]] [options]\n` +
    `       ${n} -[FZ] [chain] [options]\n` +
    `       ${n} -[NX] chain\n` +
    `       ${n} -E old-chain-name new-chain-name\n` +
    `       ${n} -P chain target [options]\n` +
    `       ${n} -h (print this help information)\n\n` +
    'Commands:\n' +
    'Either long or short options are allowed.\n' +
    '  --append  -A chain\t\tAppend to chain\n' +
    '  --check   -C chain\t\tCheck for the existence of a rule\n' +
    '  --delete  -D chain\t\tDelete matching rule from chain\n' +
    '  --delete  -D chain rulenum\n' +
    '\t\t\t\tDelete rule rulenum (1 = first) from chain\n' +
    '  --insert  -I chain [rulenum]\n' +
    '\t\t\t\tInsert in chain as rulenum (default 1=first)\n' +
    '  --replace -R chain rulenum\n' +
    '\t\t\t\tReplace rule rulenum (1 = first) in chain\n' +
    '  --list    -L [chain [rulenum]]\n' +
    '\t\t\t\tList the rules in a chain or all chains\n' +
    '  --list-rules -S [chain [rulenum]]\n' +
    '\t\t\t\tPrint the rules in a chain or all chains\n' +
    '  --flush   -F [chain]\t\tDelete all rules in  chain or all chains\n' +
    '  --zero    -Z [chain [rulenum]]\n' +
    '\t\t\t\tZero counters in chain or all chains\n' +
    '  --new     -N chain\t\tCreate a new user-defined chain\n' +
    '  --delete-chain\n' +
    '            -X [chain]\t\tDelete a user-defined chain\n' +
    '  --policy  -P chain target\n' +
    '\t\t\t\tChange policy on chain to target\n' +
    '  --rename-chain\n' +
    '            -E old-chain new-chain\n' +
    '\t\t\t\tChange chain name, (moving any references)\n' +
    '\n' +
    'Options:\n' +
    '    --ipv4\t-4\t\tNothing (line is ignored by ip6tables-restore)\n' +
    '    --ipv6\t-6\t\tError (line is ignored by iptables-restore)\n' +
    "[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'\n" +
    '[!] --source\t-s address[/mask][...]\n' +
    '\t\t\t\tsource specification\n' +
    '[!] --destination -d address[/mask][...]\n' +
    '\t\t\t\tdestination specification\n' +
    '[!] --in-interface -i input name[+]\n' +
    '\t\t\t\tnetwork interface name ([+] for wildcard)\n' +
    ' --jump\t-j target\n' +
    '\t\t\t\ttarget for rule (may load target extension)\n' +
    '  --goto      -g chain\n' +
    '\t\t\t       jump to chain with no return\n' +
    '  --match\t-m match\n' +
    '\t\t\t\textended match (may load extension)\n' +
    '  --numeric\t-n\t\tnumeric output of addresses and ports\n' +
    '[!] --out-interface -o output name[+]\n' +
    '\t\t\t\tnetwork interface name ([+] for wildcard)\n' +
    "  --table\t-t table\ttable to manipulate (default: `filter')\n" +
    '  --verbose\t-v\t\tverbose mode\n' +
    '  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up\n' +
    '  --line-numbers\t\tprint line numbers when listing\n' +
    '  --exact\t-x\t\texpand numbers (display exact values)\n' +
    '[!] --fragment\t-f\t\tmatch second or further fragments only\n' +
    '  --modprobe=<command>\t\ttry to insert modules using this command\n' +
    '  --set-counters -c PKTS BYTES\tset the counter during insert/append\n' +
    '[!] --version\t-V\t\tprint package version.\n'
  );
}
