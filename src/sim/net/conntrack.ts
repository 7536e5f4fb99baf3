/**
 * Connection tracking: one entry per flow with its original and reply tuples. NAT is recorded
 * here (the reply tuple of a DNATed flow has the new destination as its source), so replies are
 * translated back and later packets of a flow skip the nat table, as in the kernel.
 */
import type { Ip4, Proto } from './types.ts';
import type { Netns } from './netns.ts';

export interface Tuple {
  proto: Proto;
  src: Ip4;
  dst: Ip4;
  /** Ports for TCP/UDP; for ICMP echo, the echo id (sport) and the ICMP type (dport). */
  sport: number;
  dport: number;
}

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED';

export interface CtEntry {
  id: number;
  orig: Tuple;
  reply: Tuple;
  /** The original direction has seen a reply (ESTABLISHED from then on). */
  seenReply: boolean;
  dnat: boolean;
  snat: boolean;
  /** The source binding came from MASQUERADE (for the trace's wording). */
  masquerade?: boolean;
  /** The nat table was consulted for the destination (PREROUTING/OUTPUT) / source (POSTROUTING/INPUT). */
  dstManip: boolean;
  srcManip: boolean;
  /** Virtual time (ms) after which the entry expires. */
  expires: number;
  /** TCP state as /proc/net/nf_conntrack shows it. */
  tcpState?: 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'TIME_WAIT' | 'CLOSE';
}

const same = (a: Tuple, b: Tuple): boolean =>
  a.proto === b.proto && a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;

/** The reply tuple of a flow. ICMP tuples keep the echo id and swap the type (echo 8 ↔ reply 0). */
export function invert(t: Tuple): Tuple {
  if (t.proto === 'icmp')
    return { proto: t.proto, src: t.dst, dst: t.src, sport: t.sport, dport: t.dport === 8 ? 0 : t.dport === 0 ? 8 : t.dport };
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

export class Conntrack {
  private entries: CtEntry[] = [];
  private nextId = 1;

  constructor(private readonly ns: Netns) {}

  all(): CtEntry[] {
    this.expire();
    return this.entries.slice();
  }

  /** Finds the entry a packet belongs to and the direction it travels in. */
  lookup(t: Tuple): { entry: CtEntry; dir: 'ORIGINAL' | 'REPLY' } | null {
    this.expire();
    for (const e of this.entries) {
      if (same(e.orig, t)) return { entry: e, dir: 'ORIGINAL' };
      if (same(e.reply, t)) return { entry: e, dir: 'REPLY' };
    }
    return null;
  }

  /** A new (unconfirmed) entry for the first packet of a flow; NAT may still change its reply tuple. */
  create(t: Tuple): CtEntry {
    return {
      id: this.nextId++,
      orig: { ...t },
      reply: invert(t),
      seenReply: false,
      dnat: false,
      snat: false,
      dstManip: false,
      srcManip: false,
      expires: 0,
    };
  }

  /** Makes an entry permanent once its first packet leaves the hooks (nf_conntrack_confirm). */
  confirm(e: CtEntry, timeoutMs: number): void {
    e.expires = this.ns.world.clock.now() + timeoutMs;
    if (!this.entries.includes(e)) this.entries.push(e);
  }

  /** Is a reply tuple already taken (for choosing a source port when masquerading)? */
  replyTaken(t: Tuple): boolean {
    return this.entries.some((e) => same(e.reply, t));
  }

  flush(): void {
    this.entries = [];
  }

  remove(e: CtEntry): void {
    this.entries = this.entries.filter((x) => x !== e);
  }

  private expire(): void {
    const now = this.ns.world.clock.now();
    if (this.entries.some((e) => e.expires <= now)) this.entries = this.entries.filter((e) => e.expires > now);
  }
}
