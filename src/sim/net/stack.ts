/**
 * The transport layer of every namespace: what the kernel does with a packet the walk
 * delivered locally (answer an echo request, hand a segment to a TCP connection or a listening
 * socket, a datagram to a UDP socket, or answer with RST / ICMP port unreachable), and the
 * client side that programs (ping, curl, nc, nslookup, docker-proxy) use to send.
 *
 * Delivery is queued and drained in order (like softirq processing), so a server that answers
 * from inside its data handler does not recurse into the walk that brought the request.
 */
import type { Link, Ip4 } from './types.ts';
import type { Netns } from './netns.ts';
import type { World } from './world.ts';
import { Walker, type SendResult } from './walk.ts';
import { TraceRecorder, type TraceEvent } from './trace.ts';
import {
  ICMP_ECHO,
  ICMP_ECHO_REPLY,
  ICMP_UNREACH,
  ICMP_TIME_EXCEEDED,
  UNREACH_PORT,
  ipLength,
  type Packet,
  type TcpFlags,
} from './packet.ts';
import type { ServerConnection, Socket } from './sockets.ts';
import { isLoopback4 } from './ip.ts';

/** A packet seen by a capture tap, copied at the moment it crossed the interface. */
export interface Captured {
  ns: Netns;
  link: Link;
  dir: 'in' | 'out';
  pkt: Packet;
  /** Virtual time in microseconds since the epoch. */
  timeUs: number;
}

export type IcmpErrorInfo = { from: Ip4; type: number; code: number };

export type ConnectError = 'ECONNREFUSED' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'ENETUNREACH' | 'EPERM' | 'EINVAL' | 'EADDRNOTAVAIL';

/** The client end of a TCP connection (curl, nc, telnet, docker-proxy's backend side). */
export interface TcpClient {
  readonly local: { ip: Ip4; port: number };
  readonly remote: { ip: Ip4; port: number };
  /** Everything received so far that the program has not consumed. */
  received: string;
  /** The server closed its side (FIN) or reset the connection. */
  peerClosed: boolean;
  reset: boolean;
  /** Called as data arrives (docker-proxy relays with it). */
  onData: ((data: string) => void) | null;
  onClose: (() => void) | null;
  send(data: string): SendResult;
  close(): void;
}

interface TcpConn {
  ns: Netns;
  local: { ip: Ip4; port: number };
  remote: { ip: Ip4; port: number };
  state: 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'CLOSED';
  role: 'client' | 'server';
  /** Client side. */
  client?: ClientImpl;
  /** Server side. */
  server?: ServerConnImpl;
  socket?: Socket;
  error?: ConnectError;
}

export interface EchoReply {
  from: Ip4;
  ttl: number;
  seq: number;
  /** Bytes of ICMP (header + payload), as ping prints them. */
  bytes: number;
  hops: number;
}

export type PingOutcome =
  { kind: 'reply'; reply: EchoReply } | { kind: 'error'; error: IcmpErrorInfo } | { kind: 'lost' } | { kind: 'errno'; errno: string };

export interface UdpOutcome {
  replies: { from: Ip4; sport: number; data: string }[];
  error: IcmpErrorInfo | null;
  errno: string | null;
}

const connKey = (ns: Netns, lip: Ip4, lport: number, rip: Ip4, rport: number): string => `${ns.id}|${lip}:${lport}|${rip}:${rport}`;

export class NetStack {
  readonly walker: Walker;
  private queue: { ns: Netns; pkt: Packet; link: Link }[] = [];
  private drainDepth = 0;
  private readonly conns = new Map<string, TcpConn>();
  private readonly pings = new Map<string, (pkt: Packet) => void>();
  private readonly udpWaiters = new Map<string, (pkt: Packet) => void>();
  private readonly taps = new Set<(c: Captured) => void>();
  /** Sub-millisecond position of the virtual clock, so captured packets get increasing timestamps. */
  private microTick = 0;
  private lastMs = -1;
  private ipId = 1;
  /** The trace of the most recent traced operation (ping, curl ...). */
  lastTrace: TraceEvent[] | null = null;
  /** Told when a traced operation ends (the lab notes which command it belonged to). */
  onTrace: (() => void) | null = null;

  constructor(readonly world: World) {
    this.walker = new Walker({
      deliver: (ns, pkt, link) => this.queue.push({ ns, pkt, link }),
      tap: (ns, link, dir, pkt) => this.tap(ns, link, dir, pkt),
    });
  }

  // ---- capture -----------------------------------------------------------------------------

  /** Adds a capture tap (tcpdump); returns the function that removes it. */
  addTap(fn: (c: Captured) => void): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  private tap(ns: Netns, link: Link, dir: 'in' | 'out', pkt: Packet): void {
    if (this.taps.size === 0) return;
    const c: Captured = { ns, link, dir, pkt: clonePacket(pkt), timeUs: this.nowUs() };
    for (const t of this.taps) t(c);
  }

  /** Virtual time in µs; successive events within one millisecond get increasing microseconds. */
  nowUs(): number {
    const ms = this.world.clock.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.microTick = 40 + this.world.rng.int(60);
    } else this.microTick += 5 + this.world.rng.int(20);
    return ms * 1000 + Math.min(this.microTick, 999);
  }

  // ---- tracing -----------------------------------------------------------------------------

  /** Runs `fn` with a fresh trace recorder; the events become `lastTrace`. */
  traced<T>(fn: () => T): T {
    const rec = new TraceRecorder();
    const prev = this.walker.recorder;
    this.walker.recorder = rec;
    try {
      return fn();
    } finally {
      this.walker.recorder = prev;
      this.lastTrace = rec.events;
      this.onTrace?.();
    }
  }

  // ---- sending -----------------------------------------------------------------------------

  private nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /** The source address the kernel would pick to reach `dst` (0 when there is no route). */
  sourceFor(ns: Netns, dst: Ip4): Ip4 {
    if (ns.isLocal(dst)) return dst;
    const r = ns.lookupRoute(dst);
    if (!r || r.dev === null) return 0;
    if (r.src) return r.src;
    const link = ns.link(r.dev);
    return link?.addrs4.find((a) => a.scope === 'global')?.ip ?? ns.localAddrs().find((a) => !isLoopback4(a.ip))?.ip ?? 0;
  }

  /** Sends a packet and processes everything it causes, until the network is quiet. */
  send(ns: Netns, pkt: Packet): SendResult {
    const r = this.walker.output(ns, pkt);
    this.drain();
    return r;
  }

  /**
   * Processes delivered packets until none is left. Re-entrant: a handler that connects
   * somewhere (docker-proxy opening its backend connection) drains its own handshake.
   */
  private drain(): void {
    if (this.drainDepth > 64) return;
    this.drainDepth++;
    try {
      let budget = 100_000;
      while (this.queue.length && budget-- > 0) {
        const { ns, pkt, link } = this.queue.shift()!;
        this.receive(ns, pkt, link);
      }
      if (budget <= 0) this.queue = [];
    } finally {
      this.drainDepth--;
    }
  }

  // ---- local delivery ----------------------------------------------------------------------

  private receive(ns: Netns, pkt: Packet, link: Link): void {
    switch (pkt.proto) {
      case 'icmp':
        return this.receiveIcmp(ns, pkt, link);
      case 'tcp':
        return this.receiveTcp(ns, pkt, link);
      case 'udp':
        return this.receiveUdp(ns, pkt, link);
    }
  }

  private receiveIcmp(ns: Netns, pkt: Packet, link: Link): void {
    void link;
    if (pkt.icmpType === ICMP_ECHO) {
      if (ns.sysctls.icmpEchoIgnoreAll) return;
      this.walker.output(ns, {
        proto: 'icmp',
        src: pkt.dst,
        dst: pkt.src,
        sport: pkt.sport,
        dport: pkt.dport,
        ttl: 64,
        ipId: this.nextIpId(),
        df: false,
        icmpType: ICMP_ECHO_REPLY,
        icmpCode: 0,
        seq: pkt.seq,
        payload: pkt.payload,
        len: pkt.len,
      });
      return;
    }
    if (pkt.icmpType === ICMP_ECHO_REPLY) {
      this.pings.get(`${ns.id}|${pkt.dport}`)?.(pkt);
      return;
    }
    if ((pkt.icmpType === ICMP_UNREACH || pkt.icmpType === ICMP_TIME_EXCEEDED) && pkt.inner) {
      const inner = pkt.inner;
      const err: IcmpErrorInfo = { from: pkt.src, type: pkt.icmpType, code: pkt.icmpCode ?? 0 };
      if (inner.proto === 'icmp') this.pings.get(`${ns.id}|${inner.sport}`)?.(pkt);
      else if (inner.proto === 'udp') this.udpWaiters.get(`${ns.id}|${inner.src}:${inner.sport}`)?.(pkt);
      else {
        const c = this.conns.get(connKey(ns, inner.src, inner.sport, inner.dst, inner.dport));
        if (c && c.state === 'SYN_SENT') {
          c.state = 'CLOSED';
          c.error =
            err.type === ICMP_UNREACH && err.code === UNREACH_PORT
              ? 'ECONNREFUSED'
              : err.type === ICMP_UNREACH && err.code === 0
                ? 'ENETUNREACH'
                : 'EHOSTUNREACH';
        }
      }
    }
  }

  private tcpSegment(
    ns: Netns,
    from: { ip: Ip4; port: number },
    to: { ip: Ip4; port: number },
    flags: Partial<TcpFlags>,
    payload = '',
  ): Packet {
    void ns;
    return {
      proto: 'tcp',
      src: from.ip,
      dst: to.ip,
      sport: from.port,
      dport: to.port,
      ttl: 64,
      ipId: this.nextIpId(),
      df: true,
      tcp: { syn: !!flags.syn, ack: !!flags.ack, fin: !!flags.fin, rst: !!flags.rst },
      payload,
      len: ipLength('tcp', payload.length, flags.syn ? 20 : 12),
    };
  }

  private receiveTcp(ns: Netns, pkt: Packet, link: Link): void {
    void link;
    const f = pkt.tcp ?? { syn: false, ack: false, fin: false, rst: false };
    const key = connKey(ns, pkt.dst, pkt.dport, pkt.src, pkt.sport);
    const c = this.conns.get(key);
    const local = { ip: pkt.dst, port: pkt.dport };
    const remote = { ip: pkt.src, port: pkt.sport };
    if (c) {
      if (f.rst) {
        if (c.state === 'SYN_SENT') c.error = 'ECONNREFUSED';
        c.state = 'CLOSED';
        this.conns.delete(key);
        if (c.client) {
          c.client.reset = true;
          c.client.peerClosed = true;
          c.client.onClose?.();
        }
        if (c.server) c.socket?.handler?.onClose?.(c.server);
        return;
      }
      if (c.role === 'client' && c.state === 'SYN_SENT' && f.syn && f.ack) {
        c.state = 'ESTABLISHED';
        this.walker.output(ns, this.tcpSegment(ns, local, remote, { ack: true }));
        return;
      }
      if (c.role === 'server' && c.state === 'SYN_RECV' && f.ack && !f.syn) {
        c.state = 'ESTABLISHED';
        if (c.server && c.socket?.handler?.onAccept) c.socket.handler.onAccept(c.server);
        if (!pkt.payload && !f.fin) return;
      }
      if (c.state !== 'ESTABLISHED') return;
      if (pkt.payload) {
        if (c.client) {
          c.client.received += pkt.payload;
          c.client.onData?.(pkt.payload);
        } else if (c.server) c.socket?.handler?.onData?.(c.server, pkt.payload);
      }
      if (f.fin) {
        // Our side acknowledges; the application closes its side when it is done.
        this.walker.output(ns, this.tcpSegment(ns, local, remote, { ack: true }));
        if (c.client) {
          c.client.peerClosed = true;
          c.client.onClose?.();
          c.state = 'CLOSED';
          this.conns.delete(key);
        } else if (c.server) {
          c.state = 'CLOSED';
          this.conns.delete(key);
          c.socket?.handler?.onClose?.(c.server);
        }
      }
      return;
    }
    if (f.syn && !f.ack) {
      const sock = ns.sockets.lookup4('tcp', pkt.dst, pkt.dport);
      if (sock && sock.state === 'LISTEN') {
        const conn: TcpConn = { ns, local, remote, state: 'SYN_RECV', role: 'server', socket: sock };
        conn.server = new ServerConnImpl(this, conn);
        this.conns.set(key, conn);
        this.walker.output(ns, this.tcpSegment(ns, local, remote, { syn: true, ack: true }));
        return;
      }
    }
    if (f.rst) return;
    // No socket: the kernel answers with a reset (tcp_v4_send_reset).
    this.walker.output(ns, this.tcpSegment(ns, local, remote, { rst: true, ack: true }));
  }

  private receiveUdp(ns: Netns, pkt: Packet, link: Link): void {
    void link;
    const waiter = this.udpWaiters.get(`${ns.id}|${pkt.dst}:${pkt.dport}`);
    if (waiter) {
      waiter(pkt);
      return;
    }
    const sock = ns.sockets.lookup4('udp', pkt.dst, pkt.dport);
    if (!sock) {
      if (pkt.dst !== 0xffffffff) this.walker.icmpError(ns, pkt, ICMP_UNREACH, UNREACH_PORT);
      return;
    }
    sock.handler?.onDatagram?.({ src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, data: pkt.payload }, (data) =>
      this.walker.output(ns, this.udpPacket(pkt.dst, pkt.dport, pkt.src, pkt.sport, data)),
    );
  }

  private udpPacket(src: Ip4, sport: number, dst: Ip4, dport: number, data: string): Packet {
    return {
      proto: 'udp',
      src,
      dst,
      sport,
      dport,
      ttl: 64,
      ipId: this.nextIpId(),
      df: true,
      payload: data,
      len: ipLength('udp', data.length),
    };
  }

  // ---- client operations -------------------------------------------------------------------

  /** A free ephemeral port (net.ipv4.ip_local_port_range), as connect() picks one. */
  ephemeralPort(ns: Netns, proto: 'tcp' | 'udp'): number {
    const [lo, hi] = ns.sysctls.ipLocalPortRange;
    const span = hi - lo + 1;
    let p = lo + this.world.rng.int(span);
    for (let i = 0; i < span; i++, p = p >= hi ? lo : p + 1) {
      if (ns.sockets.inUse4(proto, p)) continue;
      if (proto === 'tcp' && [...this.conns.values()].some((c) => c.ns === ns && c.local.port === p)) continue;
      return p;
    }
    return lo;
  }

  /**
   * One ICMP echo request from `ns` to `dst` and its fate. `id` is the echo identifier (ping's
   * pid), `bytes` the ICMP payload size (56 by default).
   */
  echo(ns: Netns, dst: Ip4, opts: { id: number; seq: number; bytes: number; ttl?: number; src?: Ip4 }): PingOutcome {
    let outcome: PingOutcome = { kind: 'lost' };
    const key = `${ns.id}|${opts.id}`;
    this.pings.set(key, (pkt) => {
      if (outcome.kind !== 'lost') return;
      if (pkt.icmpType === ICMP_ECHO_REPLY) {
        if (pkt.seq !== opts.seq) return;
        outcome = { kind: 'reply', reply: { from: pkt.src, ttl: pkt.ttl, seq: pkt.seq ?? 0, bytes: pkt.len - 20, hops: 64 - pkt.ttl } };
      } else outcome = { kind: 'error', error: { from: pkt.src, type: pkt.icmpType ?? 0, code: pkt.icmpCode ?? 0 } };
    });
    try {
      const r = this.send(ns, {
        proto: 'icmp',
        src: opts.src ?? 0,
        dst,
        sport: opts.id,
        dport: opts.id,
        ttl: opts.ttl ?? 64,
        ipId: this.nextIpId(),
        df: true,
        icmpType: ICMP_ECHO,
        icmpCode: 0,
        seq: opts.seq,
        payload: '',
        len: ipLength('icmp', opts.bytes),
      });
      if (!r.ok && outcome.kind === 'lost') return { kind: 'errno', errno: r.errno };
      return outcome;
    } finally {
      this.pings.delete(key);
    }
  }

  /** Opens a TCP connection; the handshake runs to completion (or failure) before it returns. */
  tcpConnect(ns: Netns, dst: Ip4, dport: number, opts: { src?: Ip4; sport?: number } = {}): TcpClient | { error: ConnectError } {
    const src = opts.src ?? this.sourceFor(ns, dst);
    if (!src) return { error: 'ENETUNREACH' };
    const sport = opts.sport ?? this.ephemeralPort(ns, 'tcp');
    const local = { ip: src, port: sport };
    const remote = { ip: dst, port: dport };
    const conn: TcpConn = { ns, local, remote, state: 'SYN_SENT', role: 'client' };
    const key = connKey(ns, src, sport, dst, dport);
    this.conns.set(key, conn);
    const r = this.walker.output(ns, this.tcpSegment(ns, local, remote, { syn: true }));
    this.drain();
    if (!r.ok) {
      this.conns.delete(key);
      return { error: r.errno };
    }
    if (conn.state !== 'ESTABLISHED') {
      this.conns.delete(key);
      return { error: conn.error ?? 'ETIMEDOUT' };
    }
    conn.client = new ClientImpl(this, conn);
    return conn.client;
  }

  /** Sends one UDP datagram and collects what comes back before the network is quiet. */
  udpExchange(ns: Netns, dst: Ip4, dport: number, data: string, opts: { src?: Ip4; sport?: number; ttl?: number } = {}): UdpOutcome {
    const src = opts.src ?? this.sourceFor(ns, dst);
    const out: UdpOutcome = { replies: [], error: null, errno: null };
    if (!src) {
      out.errno = 'ENETUNREACH';
      return out;
    }
    const sport = opts.sport ?? this.ephemeralPort(ns, 'udp');
    const key = `${ns.id}|${src}:${sport}`;
    this.udpWaiters.set(key, (pkt) => {
      if (pkt.proto === 'udp') out.replies.push({ from: pkt.src, sport: pkt.sport, data: pkt.payload });
      else out.error = { from: pkt.src, type: pkt.icmpType ?? 0, code: pkt.icmpCode ?? 0 };
    });
    try {
      const pkt = this.udpPacket(src, sport, dst, dport, data);
      if (opts.ttl !== undefined) pkt.ttl = opts.ttl;
      const r = this.send(ns, pkt);
      if (!r.ok) out.errno = r.errno;
    } finally {
      this.udpWaiters.delete(key);
    }
    return out;
  }

  // ---- used by the connection objects --------------------------------------------------------

  /** @internal */
  segment(conn: TcpConn, flags: Partial<TcpFlags>, payload = ''): SendResult {
    const r = this.walker.output(conn.ns, this.tcpSegment(conn.ns, conn.local, conn.remote, flags, payload));
    this.drain();
    return r;
  }

  /** @internal */
  forget(conn: TcpConn): void {
    this.conns.delete(connKey(conn.ns, conn.local.ip, conn.local.port, conn.remote.ip, conn.remote.port));
  }

  /** Open TCP connections of a namespace (for `ss -t`, `netstat -t`). */
  connections(ns: Netns): { local: { ip: Ip4; port: number }; remote: { ip: Ip4; port: number }; state: string }[] {
    return [...this.conns.values()]
      .filter((c) => c.ns === ns && c.state !== 'CLOSED')
      .map((c) => ({ local: c.local, remote: c.remote, state: c.state }));
  }
}

class ClientImpl implements TcpClient {
  received = '';
  peerClosed = false;
  reset = false;
  onData: ((data: string) => void) | null = null;
  onClose: (() => void) | null = null;
  constructor(
    private readonly stack: NetStack,
    private readonly conn: TcpConn,
  ) {}
  get local() {
    return this.conn.local;
  }
  get remote() {
    return this.conn.remote;
  }
  send(data: string): SendResult {
    if (this.conn.state !== 'ESTABLISHED') return { ok: false, errno: 'EPERM' };
    return this.stack.segment(this.conn, { ack: true }, data);
  }
  close(): void {
    if (this.conn.state === 'ESTABLISHED') {
      this.conn.state = 'CLOSED';
      this.stack.forget(this.conn);
      this.stack.segment(this.conn, { fin: true, ack: true });
    }
  }
}

class ServerConnImpl implements ServerConnection {
  private static nextId = 1;
  readonly id = ServerConnImpl.nextId++;
  state: Record<string, unknown> = {};
  constructor(
    private readonly stack: NetStack,
    private readonly conn: TcpConn,
  ) {}
  get peer() {
    return this.conn.remote;
  }
  get local() {
    return this.conn.local;
  }
  write(data: string): void {
    if (this.conn.state === 'ESTABLISHED') this.stack.segment(this.conn, { ack: true, fin: false }, data);
  }
  close(): void {
    if (this.conn.state !== 'CLOSED') {
      this.conn.state = 'CLOSED';
      this.stack.forget(this.conn);
      this.stack.segment(this.conn, { fin: true, ack: true });
    }
  }
}

export function clonePacket(p: Packet): Packet {
  return { ...p, tcp: p.tcp ? { ...p.tcp } : undefined, inner: p.inner ? clonePacket(p.inner) : undefined };
}
