/**
 * The world: every network namespace of the lab (hosts, containers, the LAN), the seeded random
 * source and the virtual clock they share. A packet can cross namespaces (veth pairs, the LAN),
 * so the walk looks namespaces up here.
 */
import type { Clock } from '../base/clock.ts';
import type { Rng } from '../base/rng.ts';
import { Netns } from './netns.ts';
import type { NetnsId } from './types.ts';
import { NetStack } from './stack.ts';

export class World {
  private readonly spaces = new Map<NetnsId, Netns>();
  private nextId = 1;
  /** The transport layer shared by every namespace (packets cross namespaces). */
  readonly stack: NetStack;

  constructor(
    readonly rng: Rng,
    readonly clock: Clock,
  ) {
    this.stack = new NetStack(this);
  }

  /**
   * A new namespace. `ipv6: false` is net.ipv6.conf.all.disable_ipv6=1, which Docker sets in
   * containers of networks without IPv6 (no ::1 on lo, no link-local addresses).
   */
  createNetns(label: string, opts: { ipv6?: boolean } = {}): Netns {
    const ns = new Netns(this, this.nextId++, label, opts.ipv6 ?? true);
    this.spaces.set(ns.id, ns);
    return ns;
  }

  /** Destroys a namespace: its links go (a veth's peer with them), its sockets close. */
  destroyNetns(ns: Netns): void {
    for (const l of ns.sortedLinks()) {
      if (l.kind === 'loopback') continue;
      if (ns.links.has(l.ifindex)) ns.deleteLink(l.ifindex);
    }
    ns.sockets.closeAll();
    this.spaces.delete(ns.id);
    for (const other of this.spaces.values()) other.nsids.delete(ns.id);
  }

  netns(id: NetnsId): Netns | undefined {
    return this.spaces.get(id);
  }

  all(): Netns[] {
    return [...this.spaces.values()];
  }

  /** A random unicast, locally administered MAC, as the kernel's eth_random_addr makes. */
  randomMac(): string {
    const b = [0, 0, 0, 0, 0, 0].map(() => this.rng.int(256));
    b[0] = (b[0] & 0xfe) | 0x02;
    return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
  }
}
