/**
 * How iptables prints rules: `-L` (print_header, print_firewall in iptables/iptables.c and
 * xshared.c, with libxtables' column widths) and the `-A CHAIN ...` form of `-S` and
 * iptables-save (print_rule4, save_ipv4_addr, save_rule_details, print_match_save).
 */
import { formatIp4 } from '../ip.ts';
import type { Chain } from './table.ts';
import { targetName, type Counters, type Rule } from './rule.ts';
import { ipmaskToNumeric, maskToStr, padL, padR, protoToName, type NameResolver } from './xtutil.ts';

export const FMT_NUMERIC = 0x0001;
export const FMT_NOCOUNTS = 0x0002;
export const FMT_KILOMEGAGIGA = 0x0004;
export const FMT_OPTIONS = 0x0008;
export const FMT_NOTABLE = 0x0010;
export const FMT_NOTARGET = 0x0020;
export const FMT_VIA = 0x0040;
export const FMT_NONEWLINE = 0x0080;
export const FMT_LINENUMBERS = 0x0100;
export const FMT_PRINT_RULE = FMT_NOCOUNTS | FMT_OPTIONS | FMT_VIA | FMT_NUMERIC | FMT_NOTABLE;

/** FMT(tab, notab) with a `%-Ns`/`%Ns` field. */
const field = (format: number, s: string, width: number, left = true): string =>
  format & FMT_NOTABLE ? `${s} ` : `${left ? padR(s, width) : padL(s, width)} `;

/** xtables_print_num. */
export function printNum(n: number, format: number): string {
  if (!(format & FMT_KILOMEGAGIGA)) return format & FMT_NOTABLE ? `${n} ` : `${padL(String(n), 8)} `;
  if (n <= 99999) return format & FMT_NOTABLE ? `${n} ` : `${padL(String(n), 5)} `;
  let v = Math.floor((n + 500) / 1000);
  for (const unit of ['K', 'M', 'G']) {
    if (v <= 9999) return format & FMT_NOTABLE ? `${v}${unit} ` : `${padL(String(v), 4)}${unit} `;
    v = Math.floor((v + 500) / 1000);
  }
  return format & FMT_NOTABLE ? `${v}T ` : `${padL(String(v), 4)}T `;
}

/** print_header. `refs` is the user chain's reference count. */
export function printHeader(format: number, chain: Chain, refs: number): string {
  let s = `Chain ${chain.name}`;
  if (chain.hook) {
    s += ` (policy ${chain.policy}`;
    if (!(format & FMT_NOCOUNTS)) {
      s += ` ${printNum(chain.policyCounters.pkts, format | FMT_NOTABLE)}packets, ${printNum(chain.policyCounters.bytes, format | FMT_NOTABLE)}bytes`;
    }
    s += ')\n';
  } else {
    s += ` (${refs} references)\n`;
  }
  if (format & FMT_LINENUMBERS) s += field(format, 'num', 4);
  if (!(format & FMT_NOCOUNTS)) {
    if (format & FMT_KILOMEGAGIGA) s += field(format, 'pkts', 5, false) + field(format, 'bytes', 5, false);
    else s += field(format, 'pkts', 8, false) + field(format, 'bytes', 10, false);
  }
  if (!(format & FMT_NOTARGET)) s += field(format, 'target', 9);
  s += ' prot ';
  if (format & FMT_OPTIONS) s += 'opt';
  if (format & FMT_VIA) {
    s += format & FMT_NOTABLE ? 'in ' : ` ${padR('in', 6)} `;
    s += field(format, 'out', 6);
  }
  s += format & FMT_NOTABLE ? 'source ' : ` ${padR('source', 19)} `;
  s += format & FMT_NOTABLE ? ' destination ' : ` ${padR('destination', 19)} `;
  return s + '\n';
}

/** ipv4_addr_to_string. */
function addrToString(addr: number, mask: number, format: number, res?: NameResolver): string {
  if (!mask && !(format & FMT_NUMERIC)) return 'anywhere';
  let name = formatIp4(addr);
  if (!(format & FMT_NUMERIC)) name = res?.addrToHost?.(addr) ?? networkName(addr) ?? name;
  return name + ipmaskToNumeric(mask);
}

/** getnetbyaddr over Debian's /etc/networks. */
function networkName(addr: number): string | null {
  if (addr === 0x7f000000) return 'loopback';
  if (addr === 0xa9fe0000) return 'link-local';
  return null;
}

/** print_firewall: one rule as `iptables -L` (or `-v` while adding) prints it. */
export function printRule(r: Rule, num: number, format: number, res?: NameResolver): string {
  const numeric = (format & FMT_NUMERIC) !== 0;
  let s = '';
  // print_rule_details
  if (format & FMT_LINENUMBERS) s += field(format, String(num), 4);
  if (!(format & FMT_NOCOUNTS)) s += printNum(r.counters.pkts, format) + printNum(r.counters.bytes, format);
  if (!(format & FMT_NOTARGET)) s += field(format, targetName(r.target), 9);
  s += r.invProto ? '!' : ' ';
  const pname = protoToName(r.proto, numeric);
  if ((format & (FMT_NUMERIC | FMT_NOTABLE)) === FMT_NUMERIC || !pname) s += field(format, String(r.proto), 4);
  else s += field(format, pname, 4);
  // print_fragment
  if (format & FMT_OPTIONS) {
    if (format & FMT_NOTABLE) s += 'opt ';
    s += `${r.invFrag ? '!' : '-'}${r.frag ? 'f' : '-'} `;
  }
  // print_ifaces
  if (format & FMT_VIA) {
    const any = numeric ? '*' : 'any';
    const inName = `${r.invIn ? '!' : ''}${r.iniface || any}`;
    const outName = `${r.invOut ? '!' : ''}${r.outiface || any}`;
    s += format & FMT_NOTABLE ? `in ${inName} ` : ` ${padR(inName, 6)} `;
    s += format & FMT_NOTABLE ? `out ${outName} ` : `${padR(outName, 6)} `;
  }
  // print_ipv4_addresses
  s += r.invSrc ? '!' : ' ';
  s += field(format, addrToString(r.src, r.smsk, format, res), 19);
  s += r.invDst ? '!' : ' ';
  const dst = addrToString(r.dst, r.dmsk, format, res);
  s += format & FMT_NOTABLE ? `-> ${dst}` : `${padR(dst, 19)} `;
  if (format & FMT_NOTABLE) s += '  ';
  if (r.goto) s += '[goto] ';
  const ip = { proto: r.proto };
  for (const m of r.matches) s += m.ext.print(m.data, numeric, ip);
  if (r.target.kind === 'ext') s += r.target.ext.print(r.target.data, numeric, ip);
  if (!(format & FMT_NONEWLINE)) s += '\n';
  return s;
}

function saveAddr(letter: string, addr: number, mask: number, inv: boolean): string {
  if (!mask && !inv && !addr) return '';
  return `${inv ? ' !' : ''} -${letter} ${formatIp4(addr)}/${maskToStr(mask)}`;
}

/** save_iface: a bare `+` has an all-zero mask and is not printed (not even with `!`). */
function saveIface(letter: string, name: string, inv: boolean): string {
  if (!name || name === '+') return '';
  return `${inv ? ' !' : ''} -${letter} ${name}`;
}

/**
 * print_rule4: `-A CHAIN ...` as iptables-save and `-S` print it. `counters` > 0 prefixes
 * `[pkts:bytes] ` (iptables-save -c); < 0 adds ` -c pkts bytes` (iptables -S -v).
 */
export function saveRule(r: Rule, chain: string, counters = 0): string {
  let s = counters > 0 ? `[${r.counters.pkts}:${r.counters.bytes}] ` : '';
  s += `-A ${chain}`;
  s += saveAddr('s', r.src, r.smsk, r.invSrc);
  s += saveAddr('d', r.dst, r.dmsk, r.invDst);
  s += saveIface('i', r.iniface, r.invIn);
  s += saveIface('o', r.outiface, r.invOut);
  if (r.proto > 0) {
    const pname = protoToName(r.proto, false);
    if (r.invProto) s += ' !';
    s += pname ? ` -p ${pname}` : ` -p ${r.proto}`;
  }
  if (r.frag) s += `${r.invFrag ? ' !' : ''} -f`;
  const ip = { proto: r.proto };
  for (const m of r.matches) s += ` -m ${m.ext.alias ? m.ext.alias(m.data) : m.ext.name}${m.ext.save(m.data, ip)}`;
  if (counters < 0) s += ` -c ${r.counters.pkts} ${r.counters.bytes}`;
  const t = r.target;
  if (t.kind === 'ext') s += ` -j ${t.ext.name}${t.ext.save(t.data, ip)}`;
  else if (t.kind !== 'none') s += ` -${r.goto ? 'g' : 'j'} ${targetName(t)}`;
  return s;
}

/** `-P CHAIN POLICY` (with ` -c P B` for -S -v). */
export function savePolicy(c: Chain, counters: boolean): string {
  return `-P ${c.name} ${c.policy}${counters ? ` -c ${c.policyCounters.pkts} ${c.policyCounters.bytes}` : ''}`;
}

export const counterText = (c: Counters): string => `[${c.pkts}:${c.bytes}]`;
