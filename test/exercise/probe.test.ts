/** The probe behind `reach` checks: one packet exchange through the model, on a hand-built docker0. */
import { describe, expect, it } from 'vitest';
import { bridgeByHand, ip } from '../helpers/bridge-by-hand.ts';
import { makeProbe, probeFromNetns, targetAddresses } from '../../src/sim/snapshot/probe.ts';
import { container, ep, host } from './fixtures.ts';

function listen(ns: ReturnType<typeof bridgeByHand>['containers'][number], port: number): void {
  ns.sockets.bind({ proto: 'tcp', local: { family: 4, ip: 0 }, port, listen: true, owner: null, handler: { onData() {} } } as never);
}

describe('probe', () => {
  it('open, refused, timeout and unreachable come from the walk', () => {
    const { world, containers } = bridgeByHand();
    const [a, b] = containers;
    expect(probeFromNetns(world, a, ip('172.17.0.3'), null, 'icmp')).toBe('open');
    expect(probeFromNetns(world, a, ip('172.17.0.3'), 80, 'tcp')).toBe('refused');
    listen(b, 80);
    expect(probeFromNetns(world, a, ip('172.17.0.3'), 80, 'tcp')).toBe('open');
    expect(probeFromNetns(world, a, ip('172.17.0.99'), 80, 'tcp')).not.toBe('open');
    a.delRoute({ dst: 0, prefix: 0 });
    expect(probeFromNetns(world, a, ip('8.8.8.8'), null, 'icmp')).toBe('unreachable');
  });

  it('names: a container name means its addresses; other names resolve as the source would', () => {
    const h = host();
    h.containers.push(
      container('db', 'd'.repeat(64), { networks: [ep('bridge', '172.17.0.3'), ep('app', '10.0.0.3', { aliases: ['cache'] })] }),
      container('web', 'e'.repeat(64), {
        networks: [ep('bridge', '172.17.0.2'), ep('app', '10.0.0.2')],
        files: { hosts: '127.0.0.1\tlocalhost\n172.17.0.3\tdatabase ddddddddddddd db\n', resolvConf: null },
      }),
      container('side', 'f'.repeat(64), { networkMode: 'container:web', networks: [] }),
    );
    expect(targetAddresses(h, 'web', 'db')).toEqual(['172.17.0.3', '10.0.0.3']);
    expect(targetAddresses(h, 'web', 'database')).toEqual(['172.17.0.3']);
    expect(targetAddresses(h, 'web', 'cache')).toEqual(['10.0.0.3']);
    expect(targetAddresses(h, 'web', 'nowhere')).toEqual([]);
    expect(targetAddresses(h, 'db', 'side')).toEqual(['172.17.0.2', '10.0.0.2']);
  });

  it('makeProbe runs from the located namespace and takes the best outcome over the addresses', () => {
    const { world, containers } = bridgeByHand();
    const h = host();
    h.containers.push(
      container('a', 'a'.repeat(64), { networks: [ep('bridge', '172.17.0.2')] }),
      container('b', 'b'.repeat(64), { networks: [ep('bridge', '172.17.0.3')] }),
    );
    const probe = makeProbe({ version: 1, hosts: [h] }, world, (_host, name) =>
      name === 'a' ? containers[0] : name === 'b' ? containers[1] : null,
    );
    expect(probe({ from: 'a', to: 'b', port: null, proto: 'icmp' })).toBe('open');
    expect(probe({ from: 'a', to: 'nobody', port: 80, proto: 'tcp' })).toBe('unresolved');
    expect(() => probe({ from: 'ghost', to: 'b', port: null, proto: 'icmp' })).toThrow(/no network namespace/);
  });
});
