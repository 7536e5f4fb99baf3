/**
 * The engine's iptables programming through the real netfilter model, compared with the
 * golden transcripts' `iptables-save` dumps after the golden README's normalisation.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerHost } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const golden = (name: string): string => readFileSync(join(here, 'golden', name), 'utf8');

function outputOf(text: string, cmd: string, nth = 0): string {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === `$ ${cmd}` && seen++ === nth) {
      const out: string[] = [];
      for (let j = i + 1; j < lines.length && !lines[j].startsWith('$ ') && !lines[j].startsWith('#> '); j++) out.push(lines[j]);
      return out.join('\n') + '\n';
    }
  }
  throw new Error(`no ${cmd}`);
}

function norm(s: string): string {
  const ids = new Map<string, string>();
  return s
    .replace(/\[\d+:\d+\]/g, '[<C>]')
    .replace(/ on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}/g, ' on <DATE>')
    .replace(/\b[0-9a-f]{12}\b/g, (m) => {
      if (!ids.has(m)) ids.set(m, `<ID${ids.size + 1}>`);
      return ids.get(m) as string;
    });
}

describe('iptables-save through the real netfilter (golden 04, 05, 10f)', () => {
  it('fresh daemon, then three networks with containers (04)', () => {
    const { engine, netns } = dockerHost({ fakeNetfilter: false });
    const g = golden('04-isolation-iptables.txt');
    expect(norm(netns.netfilter.save([]).stdout)).toBe(norm(outputOf(g, 'iptables-save', 0)));
    engine.startContainer(engine.createContainer({ name: 'c-bridge', image: 'nginx' }).id);
    engine.createNetwork({ name: 'mynetwork', subnet: ['172.19.0.0/16'], gateway: ['172.19.0.1'] });
    engine.startContainer(engine.createContainer({ name: 'nginx2', image: 'nginx', networkMode: 'mynetwork' }).id);
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] });
    engine.startContainer(engine.createContainer({ name: 'c-mynet', image: 'busybox', networkMode: 'my-net' }).id);
    expect(norm(netns.netfilter.save([]).stdout)).toBe(norm(outputOf(g, 'iptables-save', 1)));
  });

  it('published ports (05: nat DOCKER and POSTROUTING)', () => {
    const { engine, netns } = dockerHost({ fakeNetfilter: false });
    const pb = (host: string, port: string, cport = '80/tcp'): Record<string, { HostIp: string; HostPort: string }[]> => ({
      [cport]: [{ HostIp: host, HostPort: port }],
    });
    const runs: [string, string, Record<string, unknown>][] = [
      ['web', 'nginx', { portBindings: pb('', '8899') }],
      ['web2', 'nginx', { portBindings: pb('', '', '3333/tcp') }],
      ['web3', 'nginx', { portBindings: pb('127.0.0.1', '') }],
      ['web4', 'nginx', { portBindings: pb('127.0.0.1', '8081') }],
      ['dns', 'busybox', { portBindings: pb('', '53', '53/udp') }],
      ['web5', 'nginx', { portBindings: pb('', '') }],
      ['web6', 'nginx', { portBindings: pb('192.168.100.200', '8082') }],
      [
        'range',
        'busybox',
        { portBindings: { ...pb('', '9000', '9000/tcp'), ...pb('', '9001', '9001/tcp'), ...pb('', '9002', '9002/tcp') } },
      ],
      ['both', 'busybox', { portBindings: { ...pb('', '8053', '53/tcp'), ...pb('', '8053', '53/udp') } }],
      ['tc', 'tomcat', { publishAll: true }],
      [
        'dawson',
        'dockerinaction/ch5_expose',
        { portBindings: { ...pb('', '', '5000/tcp'), ...pb('', '', '6000/tcp'), ...pb('', '', '7000/tcp') } },
      ],
      ['woolery', 'dockerinaction/ch5_expose', { publishAll: true }],
      ['philbin', 'dockerinaction/ch5_expose', { publishAll: true, exposedPorts: ['8000'] }],
      ['flask-redis', 'su/flask-redis', { portBindings: pb('', '5000', '5000/tcp') }],
    ];
    for (const [name, image, o] of runs) engine.startContainer(engine.createContainer({ name, image, ...o }).id);
    const g = golden('05-ports.txt');
    expect(netns.netfilter.run(['-t', 'nat', '-S', 'DOCKER']).stdout).toBe(outputOf(g, 'iptables -t nat -S DOCKER', 1));
    expect(netns.netfilter.run(['-t', 'nat', '-S', 'POSTROUTING']).stdout).toBe(outputOf(g, 'iptables -t nat -S POSTROUTING', 1));
    expect(netns.netfilter.run(['-S', 'DOCKER']).stdout).toBe(outputOf(g, 'iptables -S DOCKER', 1));
  });

  it('--iptables=false, then a restart with --userland-proxy=false (10f)', () => {
    const { engine, netns } = dockerHost({ fakeNetfilter: false, daemon: ['--iptables=false'] });
    const g = golden('10f-daemon-iptables-false.txt');
    engine.startContainer(
      engine.createContainer({ name: 'web', image: 'nginx', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '8899' }] } }).id,
    );
    engine.createNetwork({ name: 'usernet' });
    engine.startContainer(engine.createContainer({ name: 'u1', image: 'busybox', networkMode: 'usernet' }).id);
    expect(netns.netfilter.run(['-S']).stdout).toBe(outputOf(g, 'iptables -S'));
    expect(engine.restart(['--userland-proxy=false'])).toBeNull();
    engine.startContainer('web');
    expect(norm(netns.netfilter.save([]).stdout)).toBe(norm(outputOf(g, 'iptables-save', 2)));
  });
});
