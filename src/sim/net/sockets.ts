/**
 * Sockets of a network namespace: listening and bound sockets with the kernel's bind() rules
 * (a wildcard address conflicts with every specific address of the same family and port; an
 * IPv6 wildcard socket without IPV6_V6ONLY also takes IPv4), and the lookup that decides
 * which socket, if any, receives an arriving segment or datagram.
 */
import type { Ip4 } from './types.ts';
import type { Netns } from './netns.ts';

export type SockProto = 'tcp' | 'udp';

/** A local address: IPv4, or IPv6 in text form (`::`, `::1`). */
export type SockAddr = { family: 4; ip: Ip4 } | { family: 6; ip: string };

export interface SocketOwner {
  pid: number;
  /** Process name as ss/netstat print it (`docker-proxy`, `httpd`). */
  name: string;
  fd: number;
}

/** Called by the walk when a connection or datagram reaches a socket. */
export interface SocketHandler {
  /** A TCP connection was established on a listening socket. */
  onAccept?(conn: ServerConnection): void;
  /** Data arrived on an accepted connection. */
  onData?(conn: ServerConnection, data: string): void;
  /** The peer closed an accepted connection. */
  onClose?(conn: ServerConnection): void;
  /** A UDP datagram arrived; the handler may answer with `reply`. */
  onDatagram?(dgram: { src: Ip4; sport: number; dst: Ip4; dport: number; data: string }, reply: (data: string) => void): void;
}

export interface Socket {
  id: number;
  proto: SockProto;
  local: SockAddr;
  port: number;
  /** For AF_INET6 sockets: IPV6_V6ONLY. Go's net.Listen("tcp6") sets it; busybox does not. */
  v6only: boolean;
  state: 'LISTEN' | 'UNCONN' | 'ESTAB';
  /** listen() backlog, shown by `ss -l` as Send-Q. */
  backlog: number;
  owner: SocketOwner | null;
  handler: SocketHandler | null;
  /** Interface the socket is bound to (SO_BINDTODEVICE), if any. */
  boundDev: number | null;
}

/** The server side of an accepted TCP connection, as an application sees it. */
export interface ServerConnection {
  readonly id: number;
  readonly peer: { ip: Ip4; port: number };
  readonly local: { ip: Ip4; port: number };
  /** Sends data to the client (walked back through the network). */
  write(data: string): void;
  /** Closes the connection from the server side. */
  close(): void;
  /** Per-connection state an application keeps (parser buffers, sessions). */
  state: Record<string, unknown>;
}

export class BindError extends Error {
  constructor(readonly code: 'EADDRINUSE' | 'EADDRNOTAVAIL' | 'EACCES') {
    super(
      code === 'EADDRINUSE' ? 'Address already in use' : code === 'EADDRNOTAVAIL' ? 'Cannot assign requested address' : 'Permission denied',
    );
  }
}

export class SocketTable {
  private readonly list: Socket[] = [];
  private nextId = 1;

  constructor(private readonly ns: Netns) {}

  all(): Socket[] {
    return this.list.slice();
  }

  /**
   * Binds (and for TCP, listens). Throws BindError like bind(2): EADDRINUSE on a conflict,
   * EADDRNOTAVAIL for an address that is not local to the namespace.
   */
  bind(opts: {
    proto: SockProto;
    local: SockAddr;
    port: number;
    v6only?: boolean;
    backlog?: number;
    owner?: SocketOwner | null;
    handler?: SocketHandler | null;
    listen?: boolean;
  }): Socket {
    const { proto, local, port } = opts;
    if (local.family === 4 && local.ip !== 0 && !this.ns.isLocal(local.ip)) throw new BindError('EADDRNOTAVAIL');
    const v6only = local.family === 6 ? (opts.v6only ?? false) : false;
    for (const s of this.list) {
      if (s.proto !== proto || s.port !== port) continue;
      if (conflicts(s, local, v6only)) throw new BindError('EADDRINUSE');
    }
    const sock: Socket = {
      id: this.nextId++,
      proto,
      local,
      port,
      v6only,
      state: proto === 'tcp' && opts.listen !== false ? 'LISTEN' : 'UNCONN',
      backlog: opts.backlog ?? (proto === 'tcp' ? 4096 : 0),
      owner: opts.owner ?? null,
      handler: opts.handler ?? null,
      boundDev: null,
    };
    this.list.push(sock);
    return sock;
  }

  close(sock: Socket): void {
    const i = this.list.indexOf(sock);
    if (i >= 0) this.list.splice(i, 1);
  }

  closeAll(): void {
    this.list.length = 0;
  }

  /** Closes every socket owned by a process (the process exited). */
  closeOwnedBy(pid: number): void {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i].owner?.pid === pid) this.list.splice(i, 1);
  }

  onLinkGone(ifindex: number): void {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i].boundDev === ifindex) this.list.splice(i, 1);
  }

  /**
   * The socket that receives IPv4 traffic to `dst:port`: an exact address match wins over a
   * wildcard; an IPv6 wildcard socket without V6ONLY accepts IPv4 too (mapped addresses).
   */
  lookup4(proto: SockProto, dst: Ip4, port: number): Socket | null {
    let wildcard: Socket | null = null;
    let v6any: Socket | null = null;
    for (const s of this.list) {
      if (s.proto !== proto || s.port !== port) continue;
      if (proto === 'tcp' && s.state !== 'LISTEN') continue;
      if (s.local.family === 4) {
        if (s.local.ip === dst) return s;
        if (s.local.ip === 0) wildcard ??= s;
      } else if (!s.v6only && s.local.ip === '::') v6any ??= s;
    }
    return wildcard ?? v6any;
  }

  /** Is an IPv4 port in use (for picking ephemeral ports)? */
  inUse4(proto: SockProto, port: number): boolean {
    return this.list.some((s) => s.proto === proto && s.port === port);
  }
}

/** bind(2) conflict rules between an existing socket and a new binding on the same port. */
function conflicts(s: Socket, local: SockAddr, v6only: boolean): boolean {
  if (s.local.family === 4 && local.family === 4) return s.local.ip === 0 || local.ip === 0 || s.local.ip === local.ip;
  if (s.local.family === 6 && local.family === 6) return s.local.ip === '::' || local.ip === '::' || s.local.ip === local.ip;
  // Mixed families: a dual-stack IPv6 wildcard also holds the IPv4 port space.
  const v6 = (s.local.family === 6 ? s : null) ?? null;
  if (v6) return !v6.v6only && v6.local.ip === '::';
  return !v6only && local.family === 6 && local.ip === '::';
}
