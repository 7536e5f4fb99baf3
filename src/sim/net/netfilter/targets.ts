/**
 * Target extensions: parse/print/save as libxt_NAT.c, libipt_REJECT.c and libxt_LOG.c in
 * iptables 1.8.9; what they do to a packet as the kernel's NAT, REJECT and LOG targets. The
 * NAT targets only choose a mapping: the packet walk applies it through conntrack.
 */
import type { AnyTargetExt, TargetExt } from './rule.ts';
import { formatIp4 } from '../ip.ts';
import { paramError, serviceToPort, strtoui } from './xtutil.ts';

// ---- SNAT / DNAT / MASQUERADE / REDIRECT -----------------------------------------------------

interface NatData {
  /** NF_NAT_RANGE_MAP_IPS */
  mapIps: boolean;
  minIp: number;
  maxIp: number;
  /** NF_NAT_RANGE_PROTO_SPECIFIED */
  protoSpecified: boolean;
  minPort: number;
  maxPort: number;
  random: boolean;
  randomFully: boolean;
  persistent: boolean;
}

const natInit = (): NatData => ({
  mapIps: false,
  minIp: 0,
  maxIp: 0,
  protoSpecified: false,
  minPort: 0,
  maxPort: 0,
  random: false,
  randomFully: false,
  persistent: false,
});

/** inet_pton(AF_INET): exactly four decimal parts. */
function inetPton(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const b = m.slice(1).map(Number);
  if (b.some((x) => x > 255)) return null;
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/** parse_ports in libxt_NAT.c. */
function parseNatPorts(arg: string, portok: boolean, d: NatData): void {
  if (!portok) paramError('Need TCP, UDP, SCTP or DCCP with port specification');
  d.protoSpecified = true;
  const m = /^(0[xX][0-9a-fA-F]+|\d+)(.*)$/s.exec(arg);
  let port: number | null = m ? strtoui(m[1]!, 0, 65535) : null;
  let end = m ? m[2]! : '';
  if (port === null) {
    port = serviceToPort(arg, null);
    if (port === null) paramError(`Port \`${arg}' not valid`);
    end = '';
  }
  if (end === '') {
    d.minPort = d.maxPort = port!;
    return;
  }
  if (end[0] === ':') paramError('Invalid port:port syntax - use dash');
  if (end[0] !== '-') paramError(`Garbage after port value: \`${end}'`);
  const rest = end.slice(1);
  const m2 = /^(0[xX][0-9a-fA-F]+|\d+)(.*)$/s.exec(rest);
  const maxport = m2 ? strtoui(m2[1]!, 0, 65535) : null;
  if (maxport === null) paramError(`Port \`${rest}' not valid`);
  if (maxport! < port!) paramError(`Port range \`${rest}' funky`);
  d.minPort = port!;
  d.maxPort = maxport!;
  if (m2![2]) {
    if (m2![2][0] === '/') paramError('Shifted portmap ranges not supported with this kernel');
    paramError(`Garbage after port range: \`${m2![2]}'`);
  }
}

/** parse_to in libxt_NAT.c (IPv4). */
function parseTo(arg: string, portok: boolean, d: NatData): void {
  if (arg.includes('[')) paramError('Invalid address format');
  let colon = arg.indexOf(':');
  if (colon >= 0 && arg.indexOf(':', colon + 1) >= 0) colon = -1;
  let addr = arg;
  if (colon >= 0) {
    parseNatPorts(arg.slice(colon + 1), portok, d);
    if (colon === 0) return;
    addr = arg.slice(0, colon);
  }
  d.mapIps = true;
  const dash = addr.indexOf('-');
  const first = dash >= 0 ? addr.slice(0, dash) : addr;
  const lo = inetPton(first);
  if (lo === null) paramError(`Bad IP address "${first}"`);
  let hi = lo!;
  if (dash >= 0) {
    const h = inetPton(addr.slice(dash + 1));
    if (h === null) paramError(`Bad IP address "${addr.slice(dash + 1)}"`);
    hi = h!;
  }
  d.minIp = lo!;
  d.maxIp = hi;
}

/** sprint_range: `ip[-ip][:port[-port]]`. */
function sprintRange(d: NatData): string {
  let s = '';
  if (d.mapIps) {
    s += formatIp4(d.minIp);
    if (d.maxIp !== d.minIp) s += `-${formatIp4(d.maxIp)}`;
  }
  if (d.protoSpecified) {
    s += `:${d.minPort}`;
    if (d.maxPort !== d.minPort) s += `-${d.maxPort}`;
  }
  return s;
}

function natPrint(d: NatData, rangeopt: string, flagPfx: string, skipColon: boolean): string {
  let r = sprintRange(d);
  let s = '';
  if (r) {
    if (r[0] === ':' && skipColon) r = r.slice(1);
    s += ` ${rangeopt}${r}`;
  }
  if (d.random) s += ` ${flagPfx}random`;
  if (d.randomFully) s += ` ${flagPfx}random-fully`;
  if (d.persistent) s += ` ${flagPfx}persistent`;
  return s;
}

const PORT_PROTOS = new Set([6, 17, 132, 33, 1]);

function natTarget(
  name: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT',
  printOpt: string,
  saveOpt: string,
  skipColon: boolean,
): TargetExt<NatData> {
  const addrOpt = name === 'SNAT' ? 'to-source' : name === 'DNAT' ? 'to-destination' : 'to-ports';
  const hooks = {
    SNAT: ['POSTROUTING', 'INPUT'],
    DNAT: ['PREROUTING', 'OUTPUT'],
    MASQUERADE: ['POSTROUTING'],
    REDIRECT: ['PREROUTING', 'OUTPUT'],
  } as const;
  return {
    name,
    guided: true,
    opts: [
      { name: addrOpt, hasArg: 1, mandatory: name === 'SNAT' || name === 'DNAT' },
      { name: 'random', hasArg: 0 },
      ...(name !== 'DNAT' && name !== 'REDIRECT' ? [{ name: 'random-fully', hasArg: 0 as const }] : []),
      ...(name === 'SNAT' || name === 'DNAT' ? [{ name: 'persistent', hasArg: 0 as const }] : []),
    ],
    init: natInit,
    parse(d, opt, arg, _inv, ctx) {
      const portok = PORT_PROTOS.has(ctx.proto);
      if (opt === 'to-source' || opt === 'to-destination') parseTo(arg!, portok, d);
      else if (opt === 'to-ports') parseNatPorts(arg!, portok, d);
      else if (opt === 'random') d.random = true;
      else if (opt === 'random-fully') d.randomFully = true;
      else if (opt === 'persistent') d.persistent = true;
    },
    print: (d) => natPrint(d, printOpt, '', skipColon),
    save: (d) => natPrint(d, saveOpt, '--', skipColon),
    tables: ['nat'],
    hooks: [...hooks[name]],
    run(d, p) {
      const port = d.protoSpecified ? d.minPort : undefined;
      const portEnd = d.protoSpecified && d.maxPort !== d.minPort ? d.maxPort : undefined;
      switch (name) {
        case 'DNAT':
          // `--to-destination :PORT` keeps the address (no NF_NAT_RANGE_MAP_IPS).
          return { kind: 'ACCEPT', nat: { kind: 'DNAT', ip: d.mapIps ? d.minIp : p.dst, port, portEnd } };
        case 'SNAT':
          return { kind: 'ACCEPT', nat: { kind: 'SNAT', ip: d.mapIps ? d.minIp : p.src, port, portEnd } };
        case 'MASQUERADE':
          return { kind: 'ACCEPT', nat: { kind: 'MASQUERADE', portMin: port, portMax: d.protoSpecified ? d.maxPort : undefined } };
        case 'REDIRECT':
          return { kind: 'ACCEPT', nat: { kind: 'REDIRECT', port } };
      }
    },
    clone: (d) => ({ ...d }),
  };
}

// ---- REJECT -------------------------------------------------------------------------------------

/** reject_table in libipt_REJECT.c: [name, alias]. */
const REJECT_TYPES: [string, string][] = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

const rejectTarget: TargetExt<{ with: number }> = {
  name: 'REJECT',
  guided: true,
  opts: [{ name: 'reject-with', hasArg: 1 }],
  init: () => ({ with: 3 }),
  parse(d, _opt, arg) {
    const a = arg!.toLowerCase();
    const i = REJECT_TYPES.findIndex(([n, al]) => n.startsWith(a) || al.startsWith(a));
    if (i < 0) paramError(`unknown reject type "${arg}"`);
    d.with = i;
  },
  print: (d) => ` reject-with ${REJECT_TYPES[d.with]![0]}`,
  save: (d) => ` --reject-with ${REJECT_TYPES[d.with]![0]}`,
  // ipt_REJECT.c: .table = "filter", LOCAL_IN, FORWARD and LOCAL_OUT only.
  tables: ['filter'],
  hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  run: (d) => ({ kind: 'REJECT', rejectWith: REJECT_TYPES[d.with]![0] }),
  clone: (d) => ({ ...d }),
};

// ---- LOG ----------------------------------------------------------------------------------------

interface LogData {
  prefix: string;
  level: number;
  flags: number;
}

/** glibc's prioritynames (syslog.h): the first name of each level is what `-L` prints. */
const LOG_PRINT_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
/** xtopt_parse_sysloglevel's names. */
const LOG_PARSE_NAMES: Record<string, number> = {
  alert: 1,
  crit: 2,
  debug: 7,
  emerg: 0,
  error: 3,
  info: 6,
  notice: 5,
  panic: 0,
  warning: 4,
};
const LOG_FLAGS: [string, number, string][] = [
  ['log-tcp-sequence', 0x01, 'tcp-sequence'],
  ['log-tcp-options', 0x02, 'tcp-options'],
  ['log-ip-options', 0x04, 'ip-options'],
  ['log-uid', 0x08, 'uid'],
  ['log-macdecode', 0x20, 'macdecode'],
];

const logTarget: TargetExt<LogData> = {
  name: 'LOG',
  guided: true,
  opts: [{ name: 'log-level', hasArg: 1 }, { name: 'log-prefix', hasArg: 1 }, ...LOG_FLAGS.map(([n]) => ({ name: n, hasArg: 0 as const }))],
  init: () => ({ prefix: '', level: 4, flags: 0 }),
  parse(d, opt, arg) {
    if (opt === 'log-level') {
      const n = strtoui(arg!, 0, 7);
      const named = Object.prototype.hasOwnProperty.call(LOG_PARSE_NAMES, arg!) ? LOG_PARSE_NAMES[arg!] : undefined;
      if (n !== null) d.level = n;
      else if (named !== undefined) d.level = named;
      else paramError(`log level "${arg}" unknown\n`);
    } else if (opt === 'log-prefix') {
      // xtopt_parse_string: .min = 1, copied into a 30-byte buffer (silently truncated).
      if (arg!.length === 0) paramError('Argument must have a minimum length of 1 characters\n');
      if (arg!.includes('\n')) paramError('Newlines not allowed in --log-prefix');
      d.prefix = arg!.slice(0, 29);
    } else {
      const f = LOG_FLAGS.find(([n]) => n === opt);
      if (f) d.flags |= f[1];
    }
  },
  print(d, numeric) {
    let s = ' LOG';
    if (numeric) s += ` flags ${d.flags} level ${d.level}`;
    else {
      s += ` level ${LOG_PRINT_NAMES[d.level]}`;
      for (const [, bit, word] of LOG_FLAGS) if (d.flags & bit) s += ` ${word}`;
    }
    if (d.prefix) s += ` prefix "${d.prefix}"`;
    return s;
  },
  save(d) {
    let s = '';
    if (d.prefix) s += ` --log-prefix${saveStr(d.prefix)}`;
    if (d.level !== 4) s += ` --log-level ${d.level}`;
    for (const [n, bit] of LOG_FLAGS) if (d.flags & bit) s += ` --${n}`;
    return s;
  },
  // LOG is non-terminating (XT_CONTINUE); the kernel log itself is not modelled.
  run: () => ({ kind: 'CONTINUE' }),
  clone: (d) => ({ ...d }),
};

function saveStr(v: string): string {
  if (/^[-_0-9a-zA-Z]+$/.test(v)) return ` ${v}`;
  return ` "${v.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

const TARGETS: AnyTargetExt[] = [
  natTarget('DNAT', 'to:', '--to-destination ', false),
  natTarget('SNAT', 'to:', '--to-source ', false),
  natTarget('MASQUERADE', 'masq ports: ', '--to-ports ', true),
  natTarget('REDIRECT', 'redir ports ', '--to-ports ', true),
  rejectTarget,
  logTarget,
];

/** xtables_find_target for extension targets (the standard verdicts are handled by the caller). */
export function findTarget(name: string): AnyTargetExt | undefined {
  return TARGETS.find((t) => t.name === name);
}
