/** An IPv4 packet as the walk carries it, with the L4 fields the model needs. */
import type { Ip4, Proto } from './types.ts';
import { formatIp4 } from './ip.ts';

export interface TcpFlags {
  syn: boolean;
  ack: boolean;
  fin: boolean;
  rst: boolean;
}

export interface Packet {
  proto: Proto;
  src: Ip4;
  dst: Ip4;
  /** TCP/UDP ports; for ICMP echo both hold the echo identifier. */
  sport: number;
  dport: number;
  ttl: number;
  /** IP identification field, for tcpdump -v. */
  ipId: number;
  df: boolean;
  /** ICMP type/code (8/0 echo request, 0/0 echo reply, 3/x unreachable, 11/0 time exceeded). */
  icmpType?: number;
  icmpCode?: number;
  /** ICMP echo sequence number. */
  seq?: number;
  tcp?: TcpFlags;
  /** Application bytes carried (TCP segment data, UDP datagram, ICMP echo payload size is in len). */
  payload: string;
  /** Total IP length in bytes. */
  len: number;
  /** For ICMP errors: the header of the packet that caused it. */
  inner?: Packet;
}

export const ICMP_ECHO_REPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

export const UNREACH_NET = 0;
export const UNREACH_HOST = 1;
export const UNREACH_PROTO = 2;
export const UNREACH_PORT = 3;
export const UNREACH_ADMIN = 13;

const IP_HDR = 20;
const TCP_HDR = 20;
const UDP_HDR = 8;
const ICMP_HDR = 8;

export function ipLength(proto: Proto, payloadBytes: number, tcpOptions = 0): number {
  switch (proto) {
    case 'tcp':
      return IP_HDR + TCP_HDR + tcpOptions + payloadBytes;
    case 'udp':
      return IP_HDR + UDP_HDR + payloadBytes;
    case 'icmp':
      return IP_HDR + ICMP_HDR + payloadBytes;
  }
}

export function describePacket(p: Packet): string {
  const src = formatIp4(p.src);
  const dst = formatIp4(p.dst);
  switch (p.proto) {
    case 'icmp': {
      const kind =
        p.icmpType === ICMP_ECHO
          ? `echo request id ${p.sport} seq ${p.seq ?? 0}`
          : p.icmpType === ICMP_ECHO_REPLY
            ? `echo reply id ${p.sport} seq ${p.seq ?? 0}`
            : p.icmpType === ICMP_UNREACH
              ? `unreachable code ${p.icmpCode}`
              : p.icmpType === ICMP_TIME_EXCEEDED
                ? 'time exceeded'
                : `type ${p.icmpType}`;
      return `ICMP ${src} → ${dst} ${kind}`;
    }
    case 'tcp': {
      const f = p.tcp;
      const flags = f ? [f.syn && 'SYN', f.ack && 'ACK', f.fin && 'FIN', f.rst && 'RST'].filter(Boolean).join(',') : '';
      return `TCP ${src}:${p.sport} → ${dst}:${p.dport}${flags ? ' ' + flags : ''}${p.payload ? ` ${p.payload.length} bytes` : ''}`;
    }
    case 'udp':
      return `UDP ${src}:${p.sport} → ${dst}:${p.dport} ${p.payload.length} bytes`;
  }
}
