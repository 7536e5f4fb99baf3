/**
 * A network namespace: its links, addresses, routes, neighbours, sysctls, netfilter, conntrack
 * and sockets, with the kernel's rules for how they change together (an address brings its
 * connected and local routes, a veth's carrier follows its peer, a bridge's carrier and MTU
 * follow its ports, ifindexes are allocated per namespace).
 */
import type { Addr4, Addr6, Ip4, Link, LinkKind, Neighbor, NetnsId, Route, Sysctls } from './types.ts';
import { Netfilter } from './netfilter/netfilter.ts';
import type { AddrType } from './netfilter/api.ts';
import { broadcastOf, formatIp4, inSubnet, isLoopback4, isMulticast4, linkLocalFromMac, networkOf } from './ip.ts';
import type { World } from './world.ts';
import { Conntrack } from './conntrack.ts';
import { SocketTable } from './sockets.ts';

export class NetError extends Error {
  constructor(
    public readonly code: 'EEXIST' | 'ENOENT' | 'ENODEV' | 'EINVAL' | 'EBUSY' | 'ENETUNREACH' | 'EADDRNOTAVAIL' | 'EPERM' | 'ESRCH',
    message: string,
  ) {
    super(message);
  }
}

export interface NewLinkOptions {
  name: string;
  kind: LinkKind;
  mac?: string;
  mtu?: number;
  ifindex?: number;
}

export class Netns {
  readonly links = new Map<number, Link>();
  routes: Route[] = [];
  neighbors: Neighbor[] = [];
  readonly netfilter = new Netfilter(() => this.world.clock.now());
  readonly conntrack: Conntrack;
  readonly sockets: SocketTable;
  readonly sysctls: Sysctls = {
    ipForward: false,
    bridgeNfCallIptables: false,
    ipLocalPortRange: [32768, 60999],
    icmpEchoIgnoreAll: false,
  };
  private nextIfindex = 1;
  /**
   * Ids this namespace gives its peers (`link-netnsid 0`): the kernel's peernet2id_alloc hands
   * out the lowest free id on first need, and frees it when the peer namespace goes away.
   */
  readonly nsids = new Map<NetnsId, number>();
  /** For the trace view and `ip netns`: what this namespace belongs to (a host, a container). */
  label: string;

  constructor(
    readonly world: World,
    readonly id: NetnsId,
    label: string,
    /** False when net.ipv6.conf.all.disable_ipv6=1: links get no IPv6 addresses. */
    readonly ipv6 = true,
  ) {
    this.label = label;
    this.conntrack = new Conntrack(this);
    this.sockets = new SocketTable(this);
    const lo = this.addLink({ name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00', mtu: 65536 });
    lo.txqueuelen = 1000;
    this.setUp(lo.ifindex, true);
    if (!lo.addrs4.length) this.addAddr4(lo.ifindex, 0x7f000001, 8);
    if (ipv6) lo.addrs6.push({ ip: '::1', prefix: 128, scope: 'host', tentative: false });
    else lo.ipv6Disabled = true;
  }

  // ---- links -------------------------------------------------------------------------------

  link(ifindex: number): Link | undefined {
    return this.links.get(ifindex);
  }

  linkByName(name: string): Link | undefined {
    for (const l of this.links.values()) if (l.name === name) return l;
    return undefined;
  }

  /** Links in ifindex order, as `ip link` lists them. */
  sortedLinks(): Link[] {
    return [...this.links.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  allocIfindex(): number {
    while (this.links.has(this.nextIfindex)) this.nextIfindex++;
    return this.nextIfindex++;
  }

  addLink(opts: NewLinkOptions): Link {
    if (this.linkByName(opts.name)) throw new NetError('EEXIST', 'RTNETLINK answers: File exists');
    if (opts.name.length > 15 || !/^[^\s/:]+$/.test(opts.name))
      throw new NetError('EINVAL', `Error: argument "${opts.name}" is wrong: "name" not a valid ifname`);
    const ifindex = opts.ifindex !== undefined && !this.links.has(opts.ifindex) ? opts.ifindex : this.allocIfindex();
    if (opts.ifindex !== undefined && ifindex === opts.ifindex) this.nextIfindex = Math.max(this.nextIfindex, ifindex + 1);
    const kind = opts.kind;
    const link: Link = {
      ifindex,
      name: opts.name,
      kind,
      mac: opts.mac ?? (kind === 'loopback' ? '00:00:00:00:00:00' : this.world.randomMac()),
      mtu: opts.mtu ?? (kind === 'vxlan' ? 1450 : 1500),
      up: false,
      carrier: false,
      qdisc: kind === 'loopback' || kind === 'veth' || kind === 'bridge' || kind === 'vxlan' ? 'noqueue' : 'noqueue',
      txqueuelen: kind === 'ether' || kind === 'loopback' ? 1000 : 0,
      addrs4: [],
      addrs6: [],
      master: null,
      peer: null,
      stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
      ipv6Disabled: !this.ipv6,
      routeLocalnet: false,
    };
    if (kind === 'bridge') link.bridge = { fdb: new Map(), stp: false, hairpin: new Set() };
    this.links.set(ifindex, link);
    return link;
  }

  /**
   * Creates a veth pair in this namespace. The kernel registers the peer first, so the peer gets
   * ifindex N and `name` gets N+1 (Docker's veth: the container end is the peer).
   */
  addVethPair(name: string, peerName: string, mtu = 1500): { link: Link; peer: Link } {
    if (this.linkByName(name) || this.linkByName(peerName)) throw new NetError('EEXIST', 'RTNETLINK answers: File exists');
    const peer = this.addLink({ name: peerName, kind: 'veth', mtu });
    const link = this.addLink({ name, kind: 'veth', mtu });
    peer.peer = { ns: this.id, ifindex: link.ifindex };
    link.peer = { ns: this.id, ifindex: peer.ifindex };
    return { link, peer };
  }

  /** The other end of a veth (or an underlay cable), wherever it lives. */
  peerOf(link: Link): { ns: Netns; link: Link } | null {
    if (!link.peer) return null;
    const ns = this.world.netns(link.peer.ns);
    const l = ns?.link(link.peer.ifindex);
    return ns && l ? { ns, link: l } : null;
  }

  /** Deletes a link; deleting one end of a veth deletes both. */
  deleteLink(ifindex: number): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    if (link.kind === 'loopback') throw new NetError('EPERM', 'RTNETLINK answers: Operation not supported');
    const peer = this.peerOf(link);
    this.detach(link);
    if (peer && link.kind === 'veth') {
      peer.ns.detach(peer.link);
      peer.link.peer = null;
    } else if (peer) {
      peer.link.peer = null;
      peer.ns.refreshCarrier(peer.link);
    }
  }

  private detach(link: Link): void {
    if (link.master !== null) this.setMaster(link.ifindex, null);
    if (link.bridge) for (const l of this.links.values()) if (l.master === link.ifindex) this.setMaster(l.ifindex, null);
    this.links.delete(link.ifindex);
    this.routes = this.routes.filter((r) => r.dev !== link.ifindex);
    this.neighbors = this.neighbors.filter((n) => n.dev !== link.ifindex);
    this.sockets.onLinkGone(link.ifindex);
  }

  /**
   * Moves a link into another namespace (`ip link set X netns Y`), optionally renaming it.
   * The ifindex is kept when it is free in the target, as the kernel does.
   */
  moveLink(ifindex: number, target: Netns, newName?: string): Link {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    const name = newName ?? link.name;
    if (target.linkByName(name)) throw new NetError('EEXIST', 'RTNETLINK answers: File exists');
    if (link.master !== null) this.setMaster(ifindex, null);
    this.links.delete(ifindex);
    this.routes = this.routes.filter((r) => r.dev !== ifindex);
    link.up = false;
    link.carrier = false;
    link.addrs4 = [];
    link.addrs6 = [];
    link.name = name;
    const newIndex = target.links.has(ifindex) ? target.allocIfindex() : ifindex;
    link.ifindex = newIndex;
    target.links.set(newIndex, link);
    const peer = link.peer ? this.world.netns(link.peer.ns)?.link(link.peer.ifindex) : undefined;
    if (peer) peer.peer = { ns: target.id, ifindex: newIndex };
    // The move's RTM_NEWLINK notifications carry IFLA_LINK_NETNSID: both sides get an id.
    if (link.peer && link.peer.ns !== target.id) {
      target.nsidOf(link.peer.ns);
      this.world.netns(link.peer.ns)?.nsidOf(target.id);
    }
    this.refreshPeerCarrier(link, target);
    return link;
  }

  renameLink(ifindex: number, name: string): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    if (link.up) throw new NetError('EBUSY', 'RTNETLINK answers: Device or resource busy');
    if (this.linkByName(name)) throw new NetError('EEXIST', 'RTNETLINK answers: File exists');
    link.name = name;
    for (const a of link.addrs4) a.label = name;
  }

  setUp(ifindex: number, up: boolean): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    if (link.up === up) return;
    link.up = up;
    // dev_activate(): a device's first up attaches its root qdisc (noqueue for these devices).
    if (up && link.qdisc === 'noop') link.qdisc = 'noqueue';
    // inetdev_event(NETDEV_UP): loopback gets 127.0.0.1/8 when it comes up without it.
    if (up && link.kind === 'loopback' && !link.addrs4.length) {
      link.addrs4.push({ ip: 0x7f000001, prefix: 8, brd: null, scope: 'host', label: link.name });
    }
    this.refreshCarrier(link);
    // A bridge brought up before it has ports: IPv6 sends its MLD reports at once (addrconf
    // joins the all-nodes groups on NETDEV_UP) and, with no port to carry them, the bridge
    // drops them — the `TX dropped 2` every fresh docker0 shows.
    if (up && link.kind === 'bridge' && this.ipv6 && !link.ipv6Disabled && !link.carrier && !link.upBefore) link.stats.txDropped += 2;
    if (up) link.upBefore = true;
    this.refreshPeerCarrier(link, this);
    if (link.master !== null) {
      const br = this.links.get(link.master);
      if (br) this.refreshCarrier(br);
    }
    this.syncConnectedRoutes(link);
  }

  setMtu(ifindex: number, mtu: number): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    if (mtu < 68 || mtu > 65535) throw new NetError('EINVAL', 'Error: mtu less than device minimum.');
    link.mtu = mtu;
    if (link.master !== null) this.autoBridgeMtu(link.master);
  }

  setMac(ifindex: number, mac: string): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    link.mac = mac.toLowerCase();
  }

  /** Enslaves a link to a bridge (`ip link set X master br`), or frees it (null). */
  setMaster(ifindex: number, bridgeIfindex: number | null): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    const old = link.master;
    if (bridgeIfindex !== null) {
      const br = this.links.get(bridgeIfindex);
      if (!br?.bridge) throw new NetError('EINVAL', 'Error: Device is not a bridge.');
      if (link.bridge) throw new NetError('EINVAL', 'Error: Can not enslave a bridge to a bridge.');
      link.master = bridgeIfindex;
      // Addresses of a bridge port do not take part in routing any more.
      this.autoBridgeMtu(bridgeIfindex);
      this.refreshCarrier(br);
    } else {
      link.master = null;
    }
    if (old !== null && old !== bridgeIfindex) {
      const br = this.links.get(old);
      if (br?.bridge) {
        for (const [mac, e] of br.bridge.fdb) if (e.port === ifindex) br.bridge.fdb.delete(mac);
        br.bridge.hairpin.delete(ifindex);
        this.refreshCarrier(br);
      }
    }
  }

  /** A bridge's MTU follows the smallest MTU of its ports (br_mtu_auto_adjust). */
  private autoBridgeMtu(bridgeIfindex: number): void {
    const br = this.links.get(bridgeIfindex);
    if (!br) return;
    const ports = this.portsOf(bridgeIfindex);
    if (ports.length) br.mtu = Math.min(...ports.map((p) => p.mtu));
  }

  portsOf(bridgeIfindex: number): Link[] {
    return this.sortedLinks().filter((l) => l.master === bridgeIfindex);
  }

  /** Recomputes a link's carrier (LOWER_UP) from its kind and neighbours. */
  refreshCarrier(link: Link): void {
    const before = link.carrier;
    let carrier: boolean;
    switch (link.kind) {
      case 'loopback':
      case 'dummy':
      case 'vxlan':
        carrier = link.up;
        break;
      case 'veth':
      case 'ether': {
        const peer = this.peerOf(link);
        carrier = link.up && !!peer && peer.link.up;
        break;
      }
      case 'bridge':
        carrier = link.up && this.portsOf(link.ifindex).some((p) => p.up && p.carrier);
        break;
    }
    link.carrier = carrier;
    // The kernel configures the IPv6 link-local address once the link is up with carrier; it
    // stays when the carrier goes (docker0 keeps it after its last container leaves).
    if (carrier && !link.ipv6Disabled && link.kind !== 'loopback' && !link.addrs6.some((a) => a.scope === 'link')) {
      link.addrs6.push({ ip: linkLocalFromMac(link.mac), prefix: 64, scope: 'link', tentative: false });
    }
    if (before !== carrier) {
      this.syncConnectedRoutes(link);
      if (link.master !== null) {
        const br = this.links.get(link.master);
        if (br && br !== link) this.refreshCarrier(br);
      }
    }
  }

  private refreshPeerCarrier(link: Link, ns: Netns): void {
    if (!link.peer) return;
    const target = this.world.netns(link.peer.ns);
    const peer = target?.link(link.peer.ifindex);
    if (target && peer) target.refreshCarrier(peer);
    ns.refreshCarrier(link);
  }

  /** The id this namespace knows `other` by, allocated (lowest free) on first use. */
  nsidOf(other: NetnsId): number {
    const known = this.nsids.get(other);
    if (known !== undefined) return known;
    const used = new Set(this.nsids.values());
    let id = 0;
    while (used.has(id)) id++;
    this.nsids.set(other, id);
    return id;
  }

  // ---- addresses ---------------------------------------------------------------------------

  addAddr4(ifindex: number, ip: Ip4, prefix: number, brd: Ip4 | 'auto' | null = 'auto'): Addr4 {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    if (link.addrs4.some((a) => a.ip === ip && a.prefix === prefix)) throw new NetError('EEXIST', 'RTNETLINK answers: File exists');
    const scope = isLoopback4(ip) ? 'host' : 'global';
    const addr: Addr4 = {
      ip,
      prefix,
      brd: brd === 'auto' ? (prefix < 31 && link.kind !== 'loopback' ? broadcastOf(ip, prefix) : null) : brd,
      scope,
      label: link.name,
    };
    link.addrs4.push(addr);
    this.syncConnectedRoutes(link);
    return addr;
  }

  delAddr4(ifindex: number, ip: Ip4, prefix: number | null): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    const i = link.addrs4.findIndex((a) => a.ip === ip && (prefix === null || a.prefix === prefix));
    if (i < 0) throw new NetError('EADDRNOTAVAIL', 'RTNETLINK answers: Cannot assign requested address');
    const [gone] = link.addrs4.splice(i, 1);
    // Routes that used the address as their source go with it.
    this.routes = this.routes.filter((r) => !(r.dev === ifindex && r.proto === 'kernel' && r.src === gone.ip));
    this.routes = this.routes.filter((r) => !(r.gateway !== null && r.dev === ifindex && !this.onLink(r.gateway, ifindex)));
    this.syncConnectedRoutes(link);
  }

  addAddr6(ifindex: number, addr: Addr6): void {
    const link = this.links.get(ifindex);
    if (!link) throw new NetError('ENODEV', 'Cannot find device');
    link.addrs6.push(addr);
  }

  /** Keeps the kernel-made (`proto kernel`) connected routes in step with addresses. */
  private syncConnectedRoutes(link: Link): void {
    this.routes = this.routes.filter((r) => !(r.dev === link.ifindex && r.proto === 'kernel'));
    if (!link.up) {
      // Routes through a downed device disappear, as the kernel flushes them.
      this.routes = this.routes.filter((r) => r.dev !== link.ifindex);
      return;
    }
    for (const a of link.addrs4) {
      if (link.kind === 'loopback') continue;
      if (a.prefix < 32) {
        this.routes.push({
          table: 'main',
          type: 'unicast',
          dst: networkOf(a.ip, a.prefix),
          prefix: a.prefix,
          gateway: null,
          dev: link.ifindex,
          proto: 'kernel',
          scope: 'link',
          src: a.ip,
          metric: 0,
        });
      }
    }
  }

  /** Whether `ip` is directly reachable on the link (an address's subnet covers it). */
  onLink(ip: Ip4, ifindex: number): boolean {
    const link = this.links.get(ifindex);
    return !!link?.addrs4.some((a) => inSubnet(ip, a.ip, a.prefix));
  }

  /** Every local IPv4 address of the namespace with its link. */
  localAddrs(): { ip: Ip4; prefix: number; link: Link }[] {
    const out: { ip: Ip4; prefix: number; link: Link }[] = [];
    for (const l of this.sortedLinks()) for (const a of l.addrs4) out.push({ ip: a.ip, prefix: a.prefix, link: l });
    return out;
  }

  isLocal(ip: Ip4): boolean {
    if (isLoopback4(ip)) return !!this.linkByName('lo')?.up;
    for (const l of this.links.values()) if (l.up && l.addrs4.some((a) => a.ip === ip)) return true;
    return false;
  }

  /** `-m addrtype`: how the local routing table classifies an address. */
  addrType(ip: Ip4): AddrType {
    if (ip === 0) return 'UNSPEC';
    if (isMulticast4(ip)) return 'MULTICAST';
    if (ip === 0xffffffff) return 'BROADCAST';
    if (this.isLocal(ip)) return 'LOCAL';
    for (const l of this.links.values()) if (l.up && l.addrs4.some((a) => a.brd === ip)) return 'BROADCAST';
    return 'UNICAST';
  }

  // ---- routes ------------------------------------------------------------------------------

  addRoute(route: Omit<Route, 'table' | 'type'> & Partial<Pick<Route, 'table' | 'type'>>): Route {
    const r: Route = { table: 'main', type: 'unicast', ...route };
    if (this.routes.some((x) => x.dst === r.dst && x.prefix === r.prefix && x.metric === r.metric && x.table === r.table)) {
      throw new NetError('EEXIST', 'RTNETLINK answers: File exists');
    }
    if (r.gateway !== null) {
      const dev = r.dev ?? this.deviceFor(r.gateway);
      if (dev === null || !this.onLink(r.gateway, dev)) throw new NetError('ENETUNREACH', 'RTNETLINK answers: Network is unreachable');
      r.dev = dev;
    }
    this.routes.push(r);
    return r;
  }

  delRoute(match: { dst: Ip4; prefix: number; gateway?: Ip4 | null; dev?: number | null }): void {
    const i = this.routes.findIndex(
      (r) =>
        r.dst === match.dst &&
        r.prefix === match.prefix &&
        (match.gateway == null || r.gateway === match.gateway) &&
        (match.dev == null || r.dev === match.dev),
    );
    if (i < 0) throw new NetError('ESRCH', 'RTNETLINK answers: No such process');
    this.routes.splice(i, 1);
  }

  /** The connected link whose subnet covers `ip`, if any. */
  private deviceFor(ip: Ip4): number | null {
    for (const l of this.sortedLinks()) if (l.up && l.addrs4.some((a) => inSubnet(ip, a.ip, a.prefix))) return l.ifindex;
    return null;
  }

  /** Longest-prefix match in the main table (local addresses are handled by the caller). */
  lookupRoute(dst: Ip4): Route | null {
    let best: Route | null = null;
    for (const r of this.routes) {
      if (r.table !== 'main') continue;
      if (networkOf(dst, r.prefix) !== r.dst) continue;
      if (r.dev !== null) {
        const l = this.links.get(r.dev);
        if (!l || !l.up) continue;
      }
      if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && r.metric < best.metric)) best = r;
    }
    return best;
  }

  /** The routes `ip route` prints, in the kernel's order (by destination, then metric). */
  mainRoutes(): Route[] {
    return this.routes
      .filter((r) => r.table === 'main')
      .slice()
      .sort((a, b) => a.dst - b.dst || a.prefix - b.prefix || a.metric - b.metric);
  }

  describe(): string {
    return `${this.label} (${this.localAddrs()
      .map((a) => formatIp4(a.ip))
      .join(', ')})`;
  }
}
