/**
 * docker-proxy's relaying (libnetwork cmd/proxy tcp_proxy.go, udp_proxy.go): every accepted
 * connection on the host port opens a new connection from the host to the container and
 * copies both ways; each UDP datagram is sent on and the answers come back.
 */
import type { Netns } from '../net/netns.ts';
import type { NetStack } from '../net/stack.ts';
import type { SocketHandler } from '../net/sockets.ts';

export function proxyHandler(stack: NetStack | undefined, host: Netns, target: number, port: number, proto: string): SocketHandler {
  if (proto === 'udp') {
    return {
      onDatagram: (d, reply) => {
        if (!stack) return;
        const r = stack.udpExchange(host, target, port, d.data);
        for (const rep of r.replies) reply(rep.data);
      },
    };
  }
  return {
    onAccept: (conn) => {
      if (!stack) return conn.close();
      const up = stack.tcpConnect(host, target, port);
      if ('error' in up) return conn.close();
      conn.state.upstream = up;
      up.onData = (data) => conn.write(data);
      up.onClose = () => conn.close();
      if (up.received) {
        conn.write(up.received);
        up.received = '';
      }
    },
    onData: (conn, data) => {
      const up = conn.state.upstream as { send(d: string): unknown } | undefined;
      up?.send(data);
    },
    onClose: (conn) => {
      const up = conn.state.upstream as { close(): void } | undefined;
      up?.close();
    },
  };
}
