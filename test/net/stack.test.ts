import { describe, it, expect } from 'vitest';
import { bridgeByHand, ip } from '../helpers/bridge-by-hand.ts';
import { formatIp4 } from '../../src/sim/net/ip.ts';
import type { ServerConnection } from '../../src/sim/net/sockets.ts';

describe('packet walk through a hand-built default bridge', () => {
  it('container to container ping crosses docker0 and gets a reply', () => {
    const { world, containers } = bridgeByHand();
    const r = world.stack.echo(containers[0], ip('172.17.0.3'), { id: 7, seq: 1, bytes: 56 });
    expect(r.kind).toBe('reply');
    if (r.kind === 'reply') {
      expect(formatIp4(r.reply.from)).toBe('172.17.0.3');
      expect(r.reply.ttl).toBe(64); // bridged, not routed: no TTL decrement
      expect(r.reply.bytes).toBe(64);
    }
  });

  it('without MASQUERADE the outside host cannot answer a private source (no route back)', () => {
    const { world, containers } = bridgeByHand();
    const r = world.stack.traced(() => world.stack.echo(containers[0], ip('192.168.100.1'), { id: 8, seq: 1, bytes: 56 }));
    expect(r.kind).toBe('lost');
    expect(world.stack.lastTrace!.some((e) => e.kind === 'route' && e.ns === 'lan' && e.result === 'unreachable')).toBe(true);
  });

  it('the host itself reaches the outside directly', () => {
    const { world, host } = bridgeByHand();
    const r = world.stack.echo(host, ip('192.168.100.1'), { id: 8, seq: 1, bytes: 56 });
    expect(r.kind).toBe('reply');
    if (r.kind === 'reply') expect(r.reply.ttl).toBe(64);
  });

  it('ping to an absent address on the subnet gets no answer (ARP fails)', () => {
    const { world, containers } = bridgeByHand();
    const r = world.stack.echo(containers[0], ip('172.17.0.99'), { id: 9, seq: 1, bytes: 56 });
    expect(r.kind === 'lost' || r.kind === 'errno').toBe(true);
  });

  it('network unreachable without a route', () => {
    const { world, containers } = bridgeByHand();
    const c = containers[0];
    c.delRoute({ dst: 0, prefix: 0 });
    const r = world.stack.echo(c, ip('8.8.8.8'), { id: 9, seq: 1, bytes: 56 });
    expect(r).toEqual({ kind: 'errno', errno: 'ENETUNREACH' });
  });

  it('TCP: connection refused without a listener, data exchange with one', () => {
    const { world, containers } = bridgeByHand();
    const [a, b] = containers;
    const refused = world.stack.tcpConnect(a, ip('172.17.0.3'), 80);
    expect(refused).toEqual({ error: 'ECONNREFUSED' });
    b.sockets.bind({
      proto: 'tcp',
      local: { family: 4, ip: 0 },
      port: 80,
      listen: true,
      owner: null,
      handler: {
        onData(conn: ServerConnection, data: string) {
          conn.write(`echo:${data}`);
          conn.close();
        },
      },
    } as never);
    const c = world.stack.tcpConnect(a, ip('172.17.0.3'), 80);
    expect('error' in c).toBe(false);
    if ('error' in c) return;
    c.send('hello');
    expect(c.received).toBe('echo:hello');
    expect(c.peerClosed).toBe(true);
  });

  it('UDP to a closed port gets ICMP port unreachable', () => {
    const { world, containers } = bridgeByHand();
    const r = world.stack.udpExchange(containers[0], ip('172.17.0.3'), 53, 'q');
    expect(r.replies).toEqual([]);
    expect(r.error).toEqual({ from: ip('172.17.0.3'), type: 3, code: 3 });
  });

  it('records a trace with hops across the bridge', () => {
    const { world, containers } = bridgeByHand();
    world.stack.traced(() => world.stack.echo(containers[0], ip('172.17.0.3'), { id: 7, seq: 1, bytes: 56 }));
    const kinds = world.stack.lastTrace!.map((e) => e.kind);
    expect(kinds).toContain('bridge');
    expect(kinds).toContain('deliver');
  });
});
