/**
 * Docker's default IPAM (libnetwork ipam/allocator.go, ipamutils/utils.go) for the local
 * address space: the predefined pools in their order, the round-robin start index that keeps a
 * freed subnet from being reused at once (reset when the daemon restarts), explicit pools with
 * the overlap check, and per-pool address bitmaps where the lowest free address is handed out
 * (the network and broadcast addresses of the master pool are reserved; an `--ip-range` makes a
 * sub-range whose own first address is allocatable).
 */
import { type Cidr, broadcastOf, cidrsOverlap, formatCidr, formatIp4, inSubnet, networkOf } from '../net/ip.ts';
import { DockerError } from './errors.ts';

/** `--default-address-pool base=…,size=…` entries. */
export interface PoolSpec {
  base: Cidr;
  size: number;
}

/** libnetwork ipamutils: 172.17-19/16, 172.20/14, 172.24/14, 172.28/14 split in /16s, 192.168/16 in /20s. */
export const DEFAULT_LOCAL_POOLS: PoolSpec[] = [
  { base: { ip: 0xac110000, prefix: 16 }, size: 16 },
  { base: { ip: 0xac120000, prefix: 16 }, size: 16 },
  { base: { ip: 0xac130000, prefix: 16 }, size: 16 },
  { base: { ip: 0xac140000, prefix: 14 }, size: 16 },
  { base: { ip: 0xac180000, prefix: 14 }, size: 16 },
  { base: { ip: 0xac1c0000, prefix: 14 }, size: 16 },
  { base: { ip: 0xc0a80000, prefix: 16 }, size: 20 },
];

/** Splits the pool specs into the ordered list of candidate subnets. */
export function expandPools(specs: PoolSpec[]): Cidr[] {
  const out: Cidr[] = [];
  for (const s of specs) {
    const count = 2 ** (s.size - s.base.prefix);
    const step = 2 ** (32 - s.size);
    const base = networkOf(s.base.ip, s.base.prefix);
    for (let i = 0; i < count; i++) out.push({ ip: (base + i * step) >>> 0, prefix: s.size });
  }
  return out;
}

/** An allocated pool: its subnet, the optional sub-range and the addresses in use. */
export class AddressPool {
  private readonly used = new Set<number>();
  /** No address below this one is free (a search shortcut; lowest-free order is unchanged). */
  private hint = 0;
  constructor(
    readonly subnet: Cidr,
    readonly range: Cidr | null,
  ) {}

  private bounds(): [number, number] {
    const r = this.range ?? this.subnet;
    const first = networkOf(r.ip, r.prefix);
    const last = broadcastOf(r.ip, r.prefix);
    const net = networkOf(this.subnet.ip, this.subnet.prefix);
    const bcast = broadcastOf(this.subnet.ip, this.subnet.prefix);
    // Only the master subnet's network and broadcast addresses are reserved (ipam/allocator.go).
    return [Math.max(first, this.subnet.prefix < 31 ? net + 1 : net), Math.min(last, this.subnet.prefix < 31 ? bcast - 1 : bcast)];
  }

  contains(ip: number): boolean {
    return inSubnet(ip, this.subnet.ip, this.subnet.prefix);
  }

  isUsed(ip: number): boolean {
    return this.used.has(ip);
  }

  /** RequestAddress: a preferred address, or the lowest free one of the (sub-)range. */
  request(preferred?: number | null): number {
    if (preferred !== undefined && preferred !== null) {
      if (!this.contains(preferred))
        throw new DockerError('invalid', `Invalid address ${formatIp4(preferred)}: It does not belong to any of this network's subnets`);
      if (this.used.has(preferred)) throw new DockerError('conflict', 'Address already in use');
      this.used.add(preferred);
      return preferred;
    }
    const [lo, hi] = this.bounds();
    for (let ip = Math.max(lo, this.hint); ip <= hi; ip++) {
      if (!this.used.has(ip)) {
        this.used.add(ip);
        this.hint = ip + 1;
        return ip >>> 0;
      }
    }
    throw new DockerError('system', "no available IPv4 addresses on this network's address pools");
  }

  release(ip: number): void {
    this.used.delete(ip);
    if (ip < this.hint) this.hint = ip;
  }
}

export class Ipam {
  private readonly predefined: Cidr[];
  private startIndex = 0;
  /** Subnets allocated in the local address space. */
  private readonly allocated: Cidr[] = [];

  constructor(pools: PoolSpec[] = DEFAULT_LOCAL_POOLS) {
    this.predefined = expandPools(pools);
  }

  allocatedSubnets(): readonly Cidr[] {
    return this.allocated;
  }

  private overlapsAllocated(c: Cidr): boolean {
    return this.allocated.some((a) => cidrsOverlap(a, c));
  }

  /**
   * RequestPool with an explicit subnet: `Pool overlaps with other one on this address space`
   * when it meets an allocated pool.
   */
  requestExplicit(subnet: Cidr, range: Cidr | null): AddressPool {
    const s = { ip: networkOf(subnet.ip, subnet.prefix), prefix: subnet.prefix };
    if (this.overlapsAllocated(s)) throw new DockerError('forbidden', 'Pool overlaps with other one on this address space');
    this.allocated.push(s);
    return new AddressPool(s, range);
  }

  /**
   * RequestPool without a subnet: the first predefined pool from the round-robin start index
   * that overlaps neither an allocated pool nor `reserved` (host routes and nameservers, checked
   * by requestPoolHelper for local networks); the start index then moves past it.
   */
  requestAuto(reserved: (c: Cidr) => boolean): AddressPool {
    const n = this.predefined.length;
    for (let i = 0; i < n; i++) {
      const idx = (this.startIndex + i) % n;
      const c = this.predefined[idx];
      if (this.overlapsAllocated(c) || reserved(c)) continue;
      this.startIndex = (idx + 1) % n;
      this.allocated.push(c);
      return new AddressPool(c, null);
    }
    throw new DockerError(
      'forbidden',
      'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
    );
  }

  releasePool(subnet: Cidr): void {
    const i = this.allocated.findIndex((a) => a.ip === subnet.ip && a.prefix === subnet.prefix);
    if (i >= 0) this.allocated.splice(i, 1);
  }

  describe(): string[] {
    return this.allocated.map(formatCidr);
  }
}
