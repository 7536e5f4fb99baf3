/**
 * Match extensions: parse/print/save as libxt_*.c in iptables 1.8.9, evaluate as the kernel's
 * xt_*.c: tcp, udp (xt_tcpudp), icmp, addrtype (revision 1), conntrack (revision 3, and its
 * `state` alias), comment, multiport (revision 1).
 */
import type { AddrType, PacketView } from './api.ts';
import type { AnyMatchExt, MatchExt } from './rule.ts';
import { formatIp4 } from '../ip.ts';
import {
  ipmaskToNumeric,
  numericToIpaddr,
  parseProtocol,
  paramError,
  parsePort,
  PARAMETER_PROBLEM,
  portToService,
  protoToName,
  saveString,
  serviceToPort,
  strtoui,
  xtError,
} from './xtutil.ts';

const PROTO_NUM: Record<PacketView['proto'], number> = { icmp: 1, tcp: 6, udp: 17 };
export const protoNumber = (p: PacketView['proto']): number => PROTO_NUM[p];

// ---- tcp / udp ------------------------------------------------------------------------------

interface PortsData {
  spts: [number, number];
  dpts: [number, number];
  invS: boolean;
  invD: boolean;
  /** tcp only: --tcp-flags mask/comparison, --tcp-option. */
  flgMask: number;
  flgCmp: number;
  invFlags: boolean;
  option: number;
  invOption: boolean;
}

const TCP_FLAGS: [string, number][] = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ALL', 0x3f],
  ['NONE', 0],
];

function parseTcpFlag(flags: string): number {
  let ret = 0;
  for (const f of flags.split(',').filter((x) => x)) {
    const e = TCP_FLAGS.find(([n]) => n.toLowerCase() === f.toLowerCase());
    if (!e) paramError(`Unknown TCP flag \`${f}'`);
    ret |= e![1];
  }
  return ret;
}

/** print_tcpf: flag names joined by commas, NONE when empty. */
function printTcpf(flags: number): string {
  if (!flags) return 'NONE';
  const names: string[] = [];
  for (const [n, v] of TCP_FLAGS) if (v && v !== 0x3f && flags & v) names.push(n);
  return names.join(',');
}

/** xtopt_parse_mport (XTTYPE_PORTRC, guided parser): `port[:port]`, an empty side keeps its default. */
function parseMport(arg: string, ext: string, opt: string): [number, number] {
  const parts = arg.split(':');
  const range: [number, number] = [0, 0xffff];
  if (parts.length > 2) paramError(`${ext}: Too many components for option "--${opt}" (max: 2)\n`);
  parts.forEach((part, i) => {
    if (part === '') return;
    const n = /^\d+$/.test(part) ? Number(part) : serviceToPort(part, null);
    if (n === null || n > 65535) paramError(`Port "${part}" does not resolve to anything.\n`);
    range[i] = n!;
  });
  if (parts.length === 1) range[1] = range[0];
  return range;
}

/** parse_tcp_ports (libxt_tcp.c). */
function parsePorts(s: string, proto: 'tcp' | 'udp'): [number, number] {
  const i = s.indexOf(':');
  if (i < 0) {
    const p = parsePort(s, proto);
    return [p, p];
  }
  const a = s.slice(0, i);
  const b = s.slice(i + 1);
  const lo = a ? parsePort(a, proto) : 0;
  const hi = b ? parsePort(b, proto) : 0xffff;
  if (lo > hi) paramError('invalid portrange (min > max)');
  return [lo, hi];
}

function printPort(port: number, numeric: boolean, proto: string): string {
  return numeric ? String(port) : (portToService(port, proto) ?? String(port));
}

function printPorts(name: string, lo: number, hi: number, inv: boolean, numeric: boolean, proto: string): string {
  if (lo === 0 && hi === 0xffff && !inv) return '';
  const i = inv ? '!' : '';
  if (lo === hi) return ` ${name}:${i}${printPort(lo, numeric, proto)}`;
  return ` ${name}s:${i}${printPort(lo, numeric, proto)}:${printPort(hi, numeric, proto)}`;
}

function savePorts(opt: string, lo: number, hi: number, inv: boolean): string {
  if (lo === 0 && hi === 0xffff) return '';
  return `${inv ? ' !' : ''} --${opt} ${lo === hi ? lo : `${lo}:${hi}`}`;
}

const inRange = (v: number | undefined, r: [number, number], inv: boolean): boolean => v !== undefined && (v >= r[0] && v <= r[1]) !== inv;

function portsMatch(name: 'tcp' | 'udp'): MatchExt<PortsData> {
  const isTcp = name === 'tcp';
  return {
    name,
    guided: !isTcp,
    opts: [
      { name: 'source-port', id: 'sport', hasArg: 1, invert: true },
      { name: 'sport', hasArg: 1, invert: true },
      { name: 'destination-port', id: 'dport', hasArg: 1, invert: true },
      { name: 'dport', hasArg: 1, invert: true },
      ...(isTcp
        ? ([
            { name: 'syn', id: 'tcp-flags', hasArg: 0 },
            { name: 'tcp-flags', hasArg: 1 },
            { name: 'tcp-option', hasArg: 1 },
          ] as const)
        : []),
    ],
    init: () => ({
      spts: [0, 0xffff],
      dpts: [0, 0xffff],
      invS: false,
      invD: false,
      flgMask: 0,
      flgCmp: 0,
      invFlags: false,
      option: 0,
      invOption: false,
    }),
    parse(d, opt, arg, invert, ctx) {
      // libxt_tcp.c's own checks (udp goes through the guided parser's "can only be used once").
      if (isTcp && (opt === 'source-port' || opt === 'sport') && ctx.seen.has('sport')) paramError("Only one `--source-port' allowed");
      if (isTcp && (opt === 'destination-port' || opt === 'dport') && ctx.seen.has('dport'))
        paramError("Only one `--destination-port' allowed");
      if (isTcp && (opt === 'syn' || opt === 'tcp-flags') && ctx.seen.has('tcp-flags'))
        paramError("Only one of `--syn' or `--tcp-flags'  allowed");
      if (isTcp && opt === 'tcp-option' && ctx.seen.has('tcp-option')) paramError("Only one `--tcp-option' allowed");
      const ports = (a: string): [number, number] => (isTcp ? parsePorts(a, name) : parseMport(a, name, opt));
      if (opt === 'source-port' || opt === 'sport') {
        d.spts = ports(arg!);
        d.invS = invert;
      } else if (opt === 'destination-port' || opt === 'dport') {
        d.dpts = ports(arg!);
        d.invD = invert;
      } else if (opt === 'syn') {
        d.flgMask = parseTcpFlag('SYN,RST,ACK,FIN');
        d.flgCmp = parseTcpFlag('SYN');
        d.invFlags = invert;
      } else if (opt === 'tcp-flags') {
        const [mask, cmp] = arg!.split('\u0000');
        d.flgMask = parseTcpFlag(mask!);
        d.flgCmp = parseTcpFlag(cmp!);
        d.invFlags = invert;
      } else if (opt === 'tcp-option') {
        const v = strtoui(arg!, 1, 255);
        if (v === null) paramError(`Bad TCP option "${arg}"`);
        d.option = v!;
        d.invOption = invert;
      }
    },
    print(d, numeric) {
      let s = ` ${name}`;
      s += printPorts('spt', d.spts[0], d.spts[1], d.invS, numeric, name);
      s += printPorts('dpt', d.dpts[0], d.dpts[1], d.invD, numeric, name);
      if (d.option || d.invOption) s += ` option=${d.invOption ? '!' : ''}${d.option}`;
      if (d.flgMask || d.invFlags) {
        s += ` flags:${d.invFlags ? '!' : ''}`;
        s += numeric
          ? `0x${d.flgMask.toString(16).toUpperCase().padStart(2, '0')}/0x${d.flgCmp.toString(16).toUpperCase().padStart(2, '0')}`
          : `${printTcpf(d.flgMask)}/${printTcpf(d.flgCmp)}`;
      }
      return s;
    },
    save(d) {
      let s = savePorts('sport', d.spts[0], d.spts[1], d.invS) + savePorts('dport', d.dpts[0], d.dpts[1], d.invD);
      if (d.option || d.invOption) s += `${d.invOption ? ' !' : ''} --tcp-option ${d.option}`;
      if (d.flgMask || d.invFlags) s += `${d.invFlags ? ' !' : ''} --tcp-flags ${printTcpf(d.flgMask)} ${printTcpf(d.flgCmp)}`;
      return s;
    },
    match(d, p) {
      if (p.proto !== name) return false;
      if (!inRange(p.sport, d.spts, d.invS) || !inRange(p.dport, d.dpts, d.invD)) return false;
      if (isTcp && (d.flgMask || d.invFlags)) {
        const f = p.tcpFlags;
        const bits = f ? (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.ack ? 0x10 : 0) : 0;
        if (((bits & d.flgMask) === d.flgCmp) === d.invFlags) return false;
      }
      // TCP options are not modelled: a rule asking for one never matches (unless inverted).
      if (isTcp && (d.option || d.invOption)) return d.invOption;
      return true;
    },
    clone: (d) => ({ ...d, spts: [...d.spts], dpts: [...d.dpts] }),
  };
}

// ---- icmp -----------------------------------------------------------------------------------

interface IcmpData {
  type: number;
  code: [number, number];
  inv: boolean;
}

/** icmp_codes in libxt_icmp.h. */
export const ICMP_CODES: [string, number, number, number][] = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['pong', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['ping', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];

/** parse_range in libxt_icmp.h: `N` or `N-M`; returns the rest of the string. */
function parseRange(s: string): { lo: number; hi: number; rest: string } | null {
  const m = /^(\d+)(?:-(\d+))?/.exec(s);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] !== undefined ? Number(m[2]) : lo;
  if (lo > 255 || hi > 255) return null;
  return { lo, hi, rest: s.slice(m[0].length) };
}

function parseIcmp(s: string, d: IcmpData): void {
  let match = -1;
  for (let i = 0; i < ICMP_CODES.length; i++) {
    if (ICMP_CODES[i]![0].toLowerCase().slice(0, s.length) !== s.toLowerCase()) continue;
    if (match !== -1) paramError(`Ambiguous ICMP type \`${s}': \`${ICMP_CODES[match]![0]}' or \`${ICMP_CODES[i]![0]}'?`);
    match = i;
  }
  if (match !== -1) {
    const c = ICMP_CODES[match]!;
    d.type = c[1];
    d.code = [c[2], c[3]];
    return;
  }
  const t = parseRange(s);
  if (!t) paramError(`Unknown ICMP type \`${s}'`);
  if (t!.lo !== t!.hi) paramError('ICMP type range not supported');
  d.type = t!.lo;
  d.code = [0, 255];
  if (t!.rest === '') return;
  if (t!.rest[0] === '/') {
    const c = parseRange(t!.rest.slice(1));
    if (!c) paramError(`Unknown ICMP code \`${s}'`);
    d.code = [c!.lo, c!.hi];
    if (c!.rest === '') return;
    paramError(`unknown character ${c!.rest[0]}`);
  }
  paramError(`unknown character ${t!.rest[0]}`);
}

const icmpMatch: MatchExt<IcmpData> = {
  name: 'icmp',
  guided: true,
  opts: [{ name: 'icmp-type', hasArg: 1, invert: true, mandatory: true }],
  init: () => ({ type: 0xff, code: [0, 0xff], inv: false }),
  parse(d, _opt, arg, invert) {
    parseIcmp(arg!, d);
    d.inv = invert;
  },
  print(d, numeric) {
    let s = ' icmp';
    if (!numeric) {
      const c = ICMP_CODES.find((x) => x[1] === d.type && x[2] === d.code[0] && x[3] === d.code[1]);
      if (c) return `${s} ${d.inv ? '!' : ''}${c[0]}`;
    }
    if (d.inv) s += ' !';
    s += `type ${d.type}`;
    if (d.code[0] === d.code[1]) s += ` code ${d.code[0]}`;
    else if (d.code[0] !== 0 || d.code[1] !== 0xff) s += ` codes ${d.code[0]}-${d.code[1]}`;
    return s;
  },
  save(d) {
    let s = d.inv ? ' !' : '';
    if (d.type === 0xff) return `${s} --icmp-type any`;
    s += ` --icmp-type ${d.type}`;
    if (d.code[0] !== 0 || d.code[1] !== 0xff) s += `/${d.code[0]}`;
    return s;
  },
  match(d, p) {
    if (p.proto !== 'icmp') return false;
    const t = p.icmpType ?? -1;
    const c = p.icmpCode ?? 0;
    const hit = d.type === 0xff || (t === d.type && c >= d.code[0] && c <= d.code[1]);
    return hit !== d.inv;
  },
  clone: (d) => ({ ...d, code: [...d.code] }),
};

// ---- addrtype (revision 1) --------------------------------------------------------------------

const RTN_NAMES = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
];

interface AddrtypeData {
  source: number;
  dest: number;
  invSrc: boolean;
  invDst: boolean;
  limitIn: boolean;
  limitOut: boolean;
}

function parseTypes(arg: string): number {
  let mask = 0;
  const one = (name: string): boolean => {
    for (let i = 0; i < RTN_NAMES.length; i++) {
      if (RTN_NAMES[i]!.slice(0, name.length).toLowerCase() === name.toLowerCase()) {
        mask |= 1 << i;
        return true;
      }
    }
    return false;
  };
  let rest = arg;
  let comma: number;
  while ((comma = rest.indexOf(',')) >= 0) {
    if (comma === 0 || !one(rest.slice(0, comma))) paramError(`addrtype: bad type \`${rest}'`);
    rest = rest.slice(comma + 1);
  }
  if (rest.length === 0 || !one(rest)) paramError(`addrtype: bad type "${rest}"`);
  return mask;
}

const printTypes = (mask: number): string => RTN_NAMES.filter((_, i) => mask & (1 << i)).join(',');
const typeBit = (t: AddrType): number => 1 << RTN_NAMES.indexOf(t);

const addrtypeMatch: MatchExt<AddrtypeData> = {
  name: 'addrtype',
  guided: true,
  opts: [
    { name: 'src-type', hasArg: 1, invert: true },
    { name: 'dst-type', hasArg: 1, invert: true },
    { name: 'limit-iface-in', hasArg: 0, excl: ['limit-iface-out'] },
    { name: 'limit-iface-out', hasArg: 0, excl: ['limit-iface-in'] },
  ],
  init: () => ({ source: 0, dest: 0, invSrc: false, invDst: false, limitIn: false, limitOut: false }),
  parse(d, opt, arg, invert) {
    if (opt === 'src-type') {
      d.source |= parseTypes(arg!);
      if (invert) d.invSrc = true;
    } else if (opt === 'dst-type') {
      d.dest |= parseTypes(arg!);
      if (invert) d.invDst = true;
    } else if (opt === 'limit-iface-in') d.limitIn = true;
    else d.limitOut = true;
  },
  check(_d, seen) {
    if (!seen.has('src-type') && !seen.has('dst-type')) paramError('addrtype: you must specify --src-type or --dst-type');
  },
  print(d) {
    let s = ' ADDRTYPE match';
    if (d.source) s += ` src-type ${d.invSrc ? '!' : ''}${printTypes(d.source)}`;
    if (d.dest) s += ` dst-type ${d.invDst ? '!' : ''}${printTypes(d.dest)}`;
    if (d.limitIn) s += ' limit-in';
    if (d.limitOut) s += ' limit-out';
    return s;
  },
  save(d) {
    let s = '';
    if (d.source) s += `${d.invSrc ? ' !' : ''} --src-type ${printTypes(d.source)}`;
    if (d.dest) s += `${d.invDst ? ' !' : ''} --dst-type ${printTypes(d.dest)}`;
    if (d.limitIn) s += ' --limit-iface-in';
    if (d.limitOut) s += ' --limit-iface-out';
    return s;
  },
  match(d, p) {
    if (d.source && ((typeBit(p.addrType(p.src)) & d.source) !== 0) === d.invSrc) return false;
    if (d.dest && ((typeBit(p.addrType(p.dst)) & d.dest) !== 0) === d.invDst) return false;
    return true;
  },
  clone: (d) => ({ ...d }),
};

// ---- conntrack (revision 3) and its `state` alias ------------------------------------------------

const ST_INVALID = 1;
const ST_NEW = 2;
const ST_RELATED = 4;
const ST_ESTABLISHED = 8;
const ST_UNTRACKED = 16;
const ST_SNAT = 32;
const ST_DNAT = 64;
const STATE_NAMES: [string, number][] = [
  ['INVALID', ST_INVALID],
  ['NEW', ST_NEW],
  ['RELATED', ST_RELATED],
  ['ESTABLISHED', ST_ESTABLISHED],
  ['UNTRACKED', ST_UNTRACKED],
  ['SNAT', ST_SNAT],
  ['DNAT', ST_DNAT],
];
/** The order conntrack_parse tries the names (a prefix picks the first hit). */
const PARSE_ORDER = ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT'];

interface CtAddr {
  addr: number;
  mask: number;
  inv: boolean;
}
interface CtPorts {
  lo: number;
  hi: number;
  inv: boolean;
}

interface CtData {
  /** --ctstate / --state given. */
  state: boolean;
  mask: number;
  inv: boolean;
  /** Written as `-m state --state`. */
  alias: boolean;
  proto: { num: number; inv: boolean } | null;
  addrs: Partial<Record<'ctorigsrc' | 'ctorigdst' | 'ctreplsrc' | 'ctrepldst', CtAddr>>;
  ports: Partial<Record<'ctorigsrcport' | 'ctorigdstport' | 'ctreplsrcport' | 'ctrepldstport', CtPorts>>;
  dir: 'ORIGINAL' | 'REPLY' | null;
}

const CT_ADDR_OPTS = ['ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst'] as const;
const CT_PORT_OPTS = ['ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport'] as const;

/** xtopt_parse_hostmask: `host[/mask]` (the address is kept as given, the mask applies when matching). */
function parseHostmask(arg: string, opt: string): { addr: number; mask: number } {
  const slash = arg.indexOf('/');
  const host = slash >= 0 ? arg.slice(0, slash) : arg;
  const addr = numericToIpaddr(host, false);
  if (addr === null || host.split('.').length !== 4) {
    if (host === 'localhost') return { addr: 0x7f000001, mask: slash >= 0 ? parsePlenmask(arg.slice(slash + 1), opt) : 0xffffffff };
    return paramError('getaddrinfo: Name or service not known\n');
  }
  return { addr, mask: slash >= 0 ? parsePlenmask(arg.slice(slash + 1), opt) : 0xffffffff };
}

function parsePlenmask(s: string, opt: string): number {
  const dotted = numericToIpaddr(s, true);
  if (dotted !== null) return dotted;
  const bits = strtoui(s, 0, 32);
  if (bits === null) paramError(`conntrack: bad value for option "--${opt}", neither a valid network mask nor valid CIDR (0-32).\n`);
  return bits === 0 ? 0 : (0xffffffff << (32 - bits!)) >>> 0;
}

function parseStates(arg: string, alias: boolean): number {
  let mask = 0;
  const names = alias ? PARSE_ORDER.slice(0, 5) : PARSE_ORDER;
  const bad = (s: string): never => paramError(alias ? `Bad state "${s}"` : `Bad ctstate "${s}"`);
  const one = (s: string, whole: string): void => {
    const n = names.find((x) => x.slice(0, s.length).toLowerCase() === s.toLowerCase());
    if (!n) bad(whole);
    mask |= STATE_NAMES.find(([x]) => x === n)![1];
  };
  let rest = arg;
  let comma: number;
  while ((comma = rest.indexOf(',')) >= 0) {
    if (comma === 0) bad(rest);
    one(rest.slice(0, comma), rest);
    rest = rest.slice(comma + 1);
  }
  if (!rest) {
    if (alias) paramError('"--state" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED');
    bad(rest);
  }
  one(rest, rest);
  return mask;
}

const printStates = (mask: number): string =>
  STATE_NAMES.filter(([, b]) => mask & b)
    .map(([n]) => n)
    .join(',');

const CT_BIT: Record<PacketView['ctState'], number> = {
  INVALID: ST_INVALID,
  NEW: ST_NEW,
  RELATED: ST_RELATED,
  ESTABLISHED: ST_ESTABLISHED,
  UNTRACKED: ST_UNTRACKED,
};

function ctMatch(name: 'conntrack' | 'state'): MatchExt<CtData> {
  const alias = name === 'state';
  return {
    name,
    guided: true,
    opts: alias
      ? [{ name: 'state', hasArg: 1, invert: true, mandatory: true }]
      : [
          { name: 'ctstate', hasArg: 1, invert: true },
          { name: 'ctproto', hasArg: 1, invert: true },
          ...CT_ADDR_OPTS.map((n) => ({ name: n, hasArg: 1 as const, invert: true })),
          ...CT_PORT_OPTS.map((n) => ({ name: n, hasArg: 1 as const, invert: true })),
          { name: 'ctdir', hasArg: 1 },
        ],
    init: () => ({ state: false, mask: 0, inv: false, alias, proto: null, addrs: {}, ports: {}, dir: null }),
    parse(d, opt, arg, invert) {
      const a = arg!;
      if (opt === 'state' || opt === 'ctstate') {
        d.mask = parseStates(a, alias);
        d.inv = invert;
        d.state = true;
      } else if (opt === 'ctproto') d.proto = { num: parseProtocol(a), inv: invert };
      else if ((CT_ADDR_OPTS as readonly string[]).includes(opt))
        d.addrs[opt as (typeof CT_ADDR_OPTS)[number]] = { ...parseHostmask(a, opt), inv: invert };
      else if ((CT_PORT_OPTS as readonly string[]).includes(opt)) {
        const [lo, hi] = parseMport(a, 'conntrack', opt);
        d.ports[opt as (typeof CT_PORT_OPTS)[number]] = { lo, hi, inv: invert };
      } else if (opt === 'ctdir') {
        const v = a.toUpperCase();
        if (v !== 'ORIGINAL' && v !== 'REPLY') paramError(`conntrack: Bad value for "--ctdir" option: "${a}"`);
        d.dir = v as 'ORIGINAL' | 'REPLY';
      }
    },
    check(_d, seen) {
      if (!alias && seen.size === 0) paramError('conntrack: At least one option is required');
    },
    alias: (d) => (d.alias ? 'state' : 'conntrack'),
    print: (d, numeric) => ctDump(d, '', numeric),
    save: (d) => ctDump(d, '--', true),
    match(d, p) {
      if (d.state && ((CT_BIT[p.ctState] & d.mask) !== 0) === d.inv) return false;
      const needsEntry = d.proto || d.dir || Object.keys(d.addrs).length || Object.keys(d.ports).length;
      if (!needsEntry) return true;
      const ct = p.ct;
      // xt_conntrack.c: without a conntrack entry only a pure --ctstate rule can match.
      if (!ct) return false;
      if (d.proto && (protoNumber(ct.proto) === d.proto.num) === d.proto.inv) return false;
      const tuple = (o: string): { src: number; dst: number; sport?: number; dport?: number } =>
        o.startsWith('ctorig') ? ct.orig : ct.reply;
      for (const o of CT_ADDR_OPTS) {
        const m = d.addrs[o];
        if (!m) continue;
        const t = tuple(o);
        const v = o.endsWith('src') ? t.src : t.dst;
        if ((((v ^ m.addr) & m.mask) >>> 0 === 0) === m.inv) return false;
      }
      for (const o of CT_PORT_OPTS) {
        const m = d.ports[o];
        if (!m) continue;
        const t = tuple(o);
        const v = o.endsWith('srcport') ? t.sport : t.dport;
        if ((v !== undefined && v >= m.lo && v <= m.hi) === m.inv) return false;
      }
      if (d.dir && p.ctDir !== d.dir) return false;
      return true;
    },
    clone: (d) => ({
      ...d,
      proto: d.proto && { ...d.proto },
      addrs: Object.fromEntries(Object.entries(d.addrs).map(([k, v]) => [k, { ...v }])),
      ports: Object.fromEntries(Object.entries(d.ports).map(([k, v]) => [k, { ...v }])),
    }),
  };
}

/** conntrack_dump: the options in the order libxt_conntrack prints them. */
function ctDump(d: CtData, prefix: string, numeric: boolean): string {
  let s = '';
  if (d.state) s += `${d.inv ? ' !' : ''} ${prefix}${d.alias ? 'state' : 'ctstate'} ${printStates(d.mask)}`;
  if (d.proto) s += `${d.proto.inv ? ' !' : ''} ${prefix}ctproto ${d.proto.num}`;
  for (const o of CT_ADDR_OPTS) {
    const m = d.addrs[o];
    if (!m) continue;
    s += `${m.inv ? ' !' : ''} ${prefix}${o}`;
    s += !numeric && m.addr === 0 ? ' anywhere' : ` ${formatIp4(m.addr)}${ipmaskToNumeric(m.mask)}`;
  }
  for (const o of CT_PORT_OPTS) {
    const m = d.ports[o];
    if (!m) continue;
    s += `${m.inv ? ' !' : ''} ${prefix}${o} ${m.lo === m.hi ? m.lo : `${m.lo}:${m.hi}`}`;
  }
  if (d.dir) s += ` ${prefix}ctdir ${d.dir}`;
  return s;
}

// ---- comment ------------------------------------------------------------------------------------

const commentMatch: MatchExt<{ comment: string }> = {
  name: 'comment',
  guided: true,
  opts: [{ name: 'comment', hasArg: 1, mandatory: true }],
  init: () => ({ comment: '' }),
  parse(d, _opt, arg) {
    if (arg!.length > 255) paramError('Argument must have a maximum length of 255 characters\n');
    d.comment = arg!;
  },
  print: (d) => ` /* ${d.comment} */`,
  save: (d) => ` --comment${saveString(d.comment)}`,
  match: () => true,
  clone: (d) => ({ ...d }),
};

// ---- multiport (revision 1) -------------------------------------------------------------------

interface MultiData {
  flags: 'sports' | 'dports' | 'ports';
  /** Ports and ranges, in the order given. */
  items: [number, number][];
  inv: boolean;
}

const MULTI_PROTOS: Record<number, string> = { 6: 'tcp', 17: 'udp', 136: 'udplite', 132: 'sctp', 33: 'dccp' };

const multiportMatch: MatchExt<MultiData> = {
  name: 'multiport',
  guided: true,
  opts: [
    { name: 'source-ports', id: 'sports', hasArg: 1, invert: true, excl: ['sports', 'dports', 'ports'] },
    { name: 'sports', hasArg: 1, invert: true, excl: ['sports', 'dports', 'ports'] },
    { name: 'destination-ports', id: 'dports', hasArg: 1, invert: true, excl: ['sports', 'dports', 'ports'] },
    { name: 'dports', hasArg: 1, invert: true, excl: ['sports', 'dports', 'ports'] },
    { name: 'ports', hasArg: 1, invert: true, excl: ['sports', 'dports', 'ports'] },
  ],
  init: () => ({ flags: 'ports', items: [], inv: false }),
  parse(d, opt, arg, invert, ctx) {
    if (ctx.invProto) paramError('multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    const proto = MULTI_PROTOS[ctx.proto];
    if (!proto) {
      if (!ctx.proto) paramError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
      paramError('multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    }
    const items: [number, number][] = [];
    let count = 0;
    for (const part of arg!.split(',')) {
      if (count >= 15) paramError('too many ports specified');
      const c = part.indexOf(':');
      if (c >= 0) {
        if (count === 14) paramError('too many ports specified');
        const lo = parsePort(part.slice(0, c), proto!);
        const hi = parsePort(part.slice(c + 1), proto!);
        if (lo >= hi) paramError('invalid portrange specified');
        items.push([lo, hi]);
        count += 2;
      } else {
        const p = parsePort(part, proto!);
        items.push([p, p]);
        count++;
      }
    }
    d.items = items;
    d.flags = opt === 'source-ports' || opt === 'sports' ? 'sports' : opt === 'ports' ? 'ports' : 'dports';
    if (invert) d.inv = true;
  },
  check(_d, seen) {
    if (seen.size === 0) paramError('multiport expection an option');
  },
  print(d, numeric, ip) {
    const proto = protoToName(ip.proto, false) ?? '';
    let s = ` multiport ${d.flags} `;
    if (d.inv) s += ' !';
    s += d.items
      .map(([lo, hi]) => (lo === hi ? printPort(lo, numeric, proto) : `${printPort(lo, numeric, proto)}:${printPort(hi, numeric, proto)}`))
      .join(',');
    return s;
  },
  save(d) {
    return `${d.inv ? ' !' : ''} --${d.flags} ${d.items.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}:${hi}`)).join(',')}`;
  },
  match(d, p) {
    if (p.proto === 'icmp') return false;
    const hit = (v: number | undefined): boolean => v !== undefined && d.items.some(([lo, hi]) => v >= lo && v <= hi);
    const r = d.flags === 'sports' ? hit(p.sport) : d.flags === 'dports' ? hit(p.dport) : hit(p.sport) || hit(p.dport);
    return r !== d.inv;
  },
  clone: (d) => ({ ...d, items: d.items.map((x) => [x[0], x[1]]) }),
};

// ---- physdev (br_netfilter's bridge ports) -----------------------------------------------------

interface PhysdevData {
  in: string | null;
  out: string | null;
  isIn: boolean;
  isOut: boolean;
  isBridged: boolean;
  inv: Set<string>;
}

const ifnameMatch = (name: string, pattern: string): boolean =>
  pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

const physdevMatch: MatchExt<PhysdevData> = {
  name: 'physdev',
  guided: true,
  opts: [
    { name: 'physdev-in', hasArg: 1, invert: true },
    { name: 'physdev-out', hasArg: 1, invert: true },
    { name: 'physdev-is-in', hasArg: 0, invert: true },
    { name: 'physdev-is-out', hasArg: 0, invert: true },
    { name: 'physdev-is-bridged', hasArg: 0, invert: true },
  ],
  init: () => ({ in: null, out: null, isIn: false, isOut: false, isBridged: false, inv: new Set() }),
  parse(d, opt, arg, invert) {
    if ((opt === 'physdev-in' || opt === 'physdev-out') && arg!.length + 1 > 16)
      paramError(`interface name \`${arg}' must be shorter than IFNAMSIZ (15)`);
    if (opt === 'physdev-in') d.in = arg!;
    else if (opt === 'physdev-out') d.out = arg!;
    else if (opt === 'physdev-is-in') d.isIn = true;
    else if (opt === 'physdev-is-out') d.isOut = true;
    else d.isBridged = true;
    if (invert) d.inv.add(opt);
  },
  check(_d, seen) {
    if (seen.size === 0) paramError('PHYSDEV: no physdev option specified');
  },
  print: (d) => ` PHYSDEV match${physdevText(d)}`,
  save: (d) => physdevText(d),
  match(d, p) {
    const inv = (o: string): boolean => d.inv.has(o);
    const indev = p.physIn ?? null;
    const outdev = p.physOut ?? null;
    // xt_physdev.c: a packet that is not bridged matches only the inverted options.
    if (indev === null && outdev === null) {
      if (d.isBridged && !inv('physdev-is-bridged')) return false;
      if (d.isIn && !inv('physdev-is-in')) return false;
      if (d.isOut && !inv('physdev-is-out')) return false;
      if (d.in !== null && !inv('physdev-in')) return false;
      if (d.out !== null && !inv('physdev-out')) return false;
      return true;
    }
    if (d.isBridged && (outdev !== null) === inv('physdev-is-bridged')) return false;
    if (d.isIn && (indev !== null) === inv('physdev-is-in')) return false;
    if (d.isOut && (outdev !== null) === inv('physdev-is-out')) return false;
    if (d.in !== null && indev !== null && ifnameMatch(indev, d.in) === inv('physdev-in')) return false;
    if (d.out !== null && outdev !== null) return ifnameMatch(outdev, d.out) !== inv('physdev-out');
    return true;
  },
  clone: (d) => ({ ...d, inv: new Set(d.inv) }),
};

function physdevText(d: PhysdevData): string {
  const i = (o: string): string => (d.inv.has(o) ? ' !' : '');
  let s = '';
  if (d.isIn) s += `${i('physdev-is-in')} --physdev-is-in`;
  if (d.in !== null) s += `${i('physdev-in')} --physdev-in ${d.in}`;
  if (d.isOut) s += `${i('physdev-is-out')} --physdev-is-out`;
  if (d.out !== null) s += `${i('physdev-out')} --physdev-out ${d.out}`;
  if (d.isBridged) s += `${i('physdev-is-bridged')} --physdev-is-bridged`;
  return s;
}

// ---- iprange (revision 1) ------------------------------------------------------------------------

interface IprangeData {
  src: [number, number] | null;
  dst: [number, number] | null;
  invSrc: boolean;
  invDst: boolean;
}

function parseIprange(arg: string, opt: string): [number, number] {
  const dash = arg.indexOf('-');
  const specs = dash < 0 ? [arg, arg] : [arg.slice(0, dash), arg.slice(dash + 1)];
  return specs.map((sp) => numericToIpaddr(sp, false) ?? xtError(PARAMETER_PROBLEM, `iprange: Bad value for "${opt}" option: "${sp}"`)) as [
    number,
    number,
  ];
}

const iprangeMatch: MatchExt<IprangeData> = {
  name: 'iprange',
  guided: true,
  opts: [
    { name: 'src-range', hasArg: 1, invert: true },
    { name: 'dst-range', hasArg: 1, invert: true },
  ],
  init: () => ({ src: null, dst: null, invSrc: false, invDst: false }),
  parse(d, opt, arg, invert) {
    if (opt === 'src-range') {
      d.src = parseIprange(arg!, '--src-range');
      d.invSrc = invert;
    } else {
      d.dst = parseIprange(arg!, '--dst-range');
      d.invDst = invert;
    }
  },
  check(_d, seen) {
    if (seen.size === 0) paramError("iprange match: You must specify `--src-range' or `--dst-range'");
  },
  print(d) {
    let s = '';
    if (d.src) s += ` source IP range${d.invSrc ? ' !' : ''} ${formatIp4(d.src[0])}-${formatIp4(d.src[1])}`;
    if (d.dst) s += ` destination IP range${d.invDst ? ' !' : ''} ${formatIp4(d.dst[0])}-${formatIp4(d.dst[1])}`;
    return s;
  },
  save(d) {
    let s = '';
    if (d.src) s += `${d.invSrc ? ' !' : ''} --src-range ${formatIp4(d.src[0])}-${formatIp4(d.src[1])}`;
    if (d.dst) s += `${d.invDst ? ' !' : ''} --dst-range ${formatIp4(d.dst[0])}-${formatIp4(d.dst[1])}`;
    return s;
  },
  match(d, p) {
    if (d.src && (p.src >= d.src[0] && p.src <= d.src[1]) === d.invSrc) return false;
    if (d.dst && (p.dst >= d.dst[0] && p.dst <= d.dst[1]) === d.invDst) return false;
    return true;
  },
  clone: (d) => ({ ...d, src: d.src && [d.src[0], d.src[1]], dst: d.dst && [d.dst[0], d.dst[1]] }),
};

// ---- limit ----------------------------------------------------------------------------------------

const XT_LIMIT_SCALE = 10000;

interface LimitData {
  /** Period between packets, in 1/10000 s (xt_rateinfo.avg). */
  avg: number;
  burst: number;
  /** Token bucket state (kernel-private; fresh whenever the table is replaced). */
  credit: number | null;
  last: number;
}

/** parse_rate in libxt_limit.c. */
function parseRate(rate: string): number | null {
  const slash = rate.indexOf('/');
  let mult = 1;
  if (slash >= 0) {
    const unit = rate.slice(slash + 1).toLowerCase();
    if (!unit) return null;
    if ('second'.startsWith(unit)) mult = 1;
    else if ('minute'.startsWith(unit)) mult = 60;
    else if ('hour'.startsWith(unit)) mult = 3600;
    else if ('day'.startsWith(unit)) mult = 86400;
    else return null;
  }
  const r = parseInt(rate, 10) || 0;
  if (!r) return null;
  const val = Math.floor((XT_LIMIT_SCALE * mult) / r);
  if (val === 0) paramError(`Rate too fast "${rate}"`);
  return val;
}

/** print_rate: the largest unit that divides evenly enough. */
function printRate(period: number): string {
  const rates: [string, number][] = [
    ['day', XT_LIMIT_SCALE * 86400],
    ['hour', XT_LIMIT_SCALE * 3600],
    ['min', XT_LIMIT_SCALE * 60],
    ['sec', XT_LIMIT_SCALE],
  ];
  if (period === 0) return ' inf';
  let i = 1;
  for (; i < rates.length; i++) {
    const m = rates[i]![1];
    if (period > m || Math.floor(m / period) < m % period) break;
  }
  return ` ${Math.floor(rates[i - 1]![1] / period)}/${rates[i - 1]![0]}`;
}

const limitMatch: MatchExt<LimitData> = {
  name: 'limit',
  guided: true,
  opts: [
    { name: 'limit', hasArg: 1 },
    { name: 'limit-burst', hasArg: 1 },
  ],
  init: () => ({ avg: parseRate('3/hour')!, burst: 5, credit: null, last: 0 }),
  parse(d, opt, arg, invert) {
    if (opt === 'limit') {
      const v = parseRate(arg!);
      if (v === null) paramError(`bad rate "${arg}"'`);
      d.avg = v!;
    } else {
      const b = strtoui(arg!, 0, 10000);
      if (b === null) paramError(`limit: bad value for option "--limit-burst", or out of range (0-10000).\n`);
      d.burst = b!;
    }
    if (invert) paramError('limit does not support invert');
  },
  print: (d) => ` limit: avg${printRate(d.avg)} burst ${d.burst}`,
  save: (d) => ` --limit${printRate(d.avg)}${d.burst !== 5 ? ` --limit-burst ${d.burst}` : ''}`,
  match(d, _p, now) {
    // xt_limit.c: a bucket of `burst` packets refilled with one packet every `avg`.
    const periodMs = d.avg / 10;
    const cap = d.burst * periodMs;
    if (d.credit === null) {
      d.credit = cap;
      d.last = now;
    }
    d.credit = Math.min(cap, d.credit + (now - d.last));
    d.last = now;
    if (d.credit >= periodMs) {
      d.credit -= periodMs;
      return true;
    }
    return false;
  },
  clone: (d) => ({ ...d, credit: null }),
};

const MATCHES: AnyMatchExt[] = [
  limitMatch,
  iprangeMatch,
  physdevMatch,
  portsMatch('tcp'),
  portsMatch('udp'),
  icmpMatch,
  addrtypeMatch,
  ctMatch('conntrack'),
  ctMatch('state'),
  commentMatch,
  multiportMatch,
];

/** xtables_find_match: by name, or the protocol match that `-p` implies. */
export function findMatch(name: string): AnyMatchExt | undefined {
  return MATCHES.find((m) => m.name === name);
}

/** The protocol number a match requires in the rule's IP part (xt_tcpudp/icmp checkentry). */
export function requiredProto(ext: AnyMatchExt): number | null {
  return ext.name === 'tcp' ? 6 : ext.name === 'udp' ? 17 : ext.name === 'icmp' ? 1 : null;
}

export { serviceToPort };
