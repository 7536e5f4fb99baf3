import { describe, it, expect } from 'vitest';
import { bridgeByHand } from '../helpers/bridge-by-hand.ts';
import { testMachine } from '../helpers/sim.ts';
import { registerDaemon, findDaemon } from '../../src/sim/apps/servers.ts';

void registerDaemon;

function twoContainers(userland: 'gnu' | 'busybox' = 'busybox') {
  const lab = bridgeByHand();
  const m1 = testMachine({ world: lab.world, netns: lab.containers[0], userland, hostname: 'c1' });
  const m2 = testMachine({ world: lab.world, netns: lab.containers[1], userland, hostname: 'c2' });
  return { lab, m1, m2 };
}

describe('ping', () => {
  it('busybox format, replies across the bridge', () => {
    const { m1 } = twoContainers('busybox');
    const r = m1.run('ping -c 2 -W 1 172.17.0.3');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^PING 172\.17\.0\.3 \(172\.17\.0\.3\): 56 data bytes\n64 bytes from 172\.17\.0\.3: seq=0 ttl=64 time=\d\.\d{3} ms\n64 bytes from 172\.17\.0\.3: seq=1 ttl=64 time=\d\.\d{3} ms\n\n--- 172\.17\.0\.3 ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n$/,
    );
  });
  it('iputils format', () => {
    const { m1 } = twoContainers('gnu');
    const r = m1.run('ping -c 2 -W 1 172.17.0.3');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^PING 172\.17\.0\.3 \(172\.17\.0\.3\) 56\(84\) bytes of data\.\n64 bytes from 172\.17\.0\.3: icmp_seq=1 ttl=64 time=[\d.]+ ms\n/,
    );
    expect(r.stdout).toMatch(/\n2 packets transmitted, 2 received, 0% packet loss, time 10\d\dms\nrtt min\/avg\/max\/mdev = /);
  });
  it('100% loss and exit 1 when nobody answers', () => {
    const { m1 } = twoContainers('busybox');
    const r = m1.run('ping -c 2 -W 1 172.17.0.50');
    expect(r.stdout).toContain('2 packets transmitted, 0 packets received, 100% packet loss');
    expect(r.status).toBe(1);
  });
  it('iputils ends a summary without an rtt line with a blank line (golden 11a)', () => {
    const { m1 } = twoContainers('gnu');
    const r = m1.run('ping -c 2 -W 1 172.17.0.50');
    expect(r.stdout).toMatch(/\n2 packets transmitted, 0 received, \+2 errors, 100% packet loss, time \d+ms\n\n$/);
    expect(r.status).toBe(1);
  });
  it('no route: busybox sendto error, iputils connect error', () => {
    const { lab, m1 } = twoContainers('busybox');
    lab.containers[0].delRoute({ dst: 0, prefix: 0 });
    expect(m1.run('ping -w 2 8.8.8.8')).toEqual({
      stdout: 'PING 8.8.8.8 (8.8.8.8): 56 data bytes\n',
      stderr: 'ping: sendto: Network is unreachable\n',
      status: 1,
    });
    const g = testMachine({ world: lab.world, netns: lab.containers[0], userland: 'gnu' });
    expect(g.run('ping -c 2 -W 1 8.8.8.8')).toEqual({ stdout: '', stderr: 'ping: connect: Network is unreachable\n', status: 2 });
  });
  it('unknown name', () => {
    const { m1 } = twoContainers('busybox');
    m1.fs.write('/etc/hosts', '127.0.0.1\tlocalhost\n');
    expect(m1.run('ping -c 1 nosuch').stderr).toBe("ping: bad address 'nosuch'\n");
  });
});

describe('http clients and servers', () => {
  it('wget and curl fetch a page from busybox httpd in another namespace', () => {
    const { lab, m1, m2 } = twoContainers('busybox');
    m2.fs.mkdir('/var/www', { parents: true });
    m2.fs.write('/var/www/index.html', '<html><body><h1>It works!</h1></body></html>\n');
    const d = findDaemon('httpd')!;
    const started = d(
      { ns: lab.containers[1], fs: m2.fs, clock: lab.world.clock, world: lab.world, pid: 1, env: {}, hostname: 'c2', log: () => {} },
      ['httpd', '-f', '-h', '/var/www'],
    );
    expect('exit' in started).toBe(false);
    expect(m1.run('wget -qO- http://172.17.0.3/')).toEqual({
      stdout: '<html><body><h1>It works!</h1></body></html>\n',
      stderr: '',
      status: 0,
    });
    const g = testMachine({ world: lab.world, netns: lab.containers[0], userland: 'gnu' });
    expect(g.run('curl -s 172.17.0.3').stdout).toBe('<html><body><h1>It works!</h1></body></html>\n');
    expect(g.run('curl -si 172.17.0.3').stdout).toMatch(
      /^HTTP\/1\.1 200 OK\r\nDate: .*\r\nConnection: close\r\nContent-type: text\/html\r\nAccept-Ranges: bytes\r\nLast-Modified: .*\r\nETag: "[0-9a-f]+-2d"\r\nContent-Length: 45\r\n\r\n<html>/,
    );
    expect(g.run('curl -s 172.17.0.3:81')).toEqual({ stdout: '', stderr: '', status: 7 });
    expect(g.run('curl -sS 172.17.0.3:81').stderr).toBe(
      "curl: (7) Failed to connect to 172.17.0.3 port 81 after 0 ms: Couldn't connect to server\n",
    );
    expect(m1.run('wget -qO- 172.17.0.3:81').stderr).toBe("wget: can't connect to remote host (172.17.0.3): Connection refused\n");
    // --write-out: the status line of a script's health check; 000 when nothing answered.
    expect(g.run(`curl -s -o /dev/null -w '%{http_code}\\n' 172.17.0.3`)).toEqual({ stdout: '200\n', stderr: '', status: 0 });
    expect(g.fs.exists('/dev/null')).toBe(false);
    expect(
      g.run(
        `curl -so /dev/null --write-out '%{http_code} %{remote_ip}:%{remote_port} %{size_download} %{content_type} %{exitcode}%%' 172.17.0.3`,
      ).stdout,
    ).toBe('200 172.17.0.3:80 45 text/html 0%');
    expect(g.run(`curl -s -w '%{http_code} %{exitcode}\\n' 172.17.0.3:81`)).toEqual({ stdout: '000 7\n', stderr: '', status: 7 });
    expect(g.run(`curl -s -o /dev/null -w '%{time_total}' 172.17.0.3`).stderr).toBe("curl: unknown --write-out variable: 'time_total'\n");
    expect(g.run(`curl -s -o /dev/null -w '%{toString}' 172.17.0.3`).stderr).toBe("curl: unknown --write-out variable: 'toString'\n");
  });
  it('nc echoes through an nc -ll -e /bin/cat listener', () => {
    const { m1, m2 } = twoContainers('busybox');
    void m2;
    const lab2 = m2;
    // Start the listener as a shell job in the background and leave it parked.
    lab2.run('nc -ll -p 2222 -e /bin/cat &');
    expect(m1.run('echo hello | nc -w 2 172.17.0.3 2222').stdout).toBe('hello\n');
  });
});

describe('tcpdump', () => {
  it('decodes echo request/reply lines', async () => {
    const { decode } = await import('../../src/sim/shell/commands/clients/tcpdump.ts');
    const line = decode(
      {
        proto: 'icmp',
        src: 0xc0a864c8,
        dst: 0xac120002,
        sport: 20,
        dport: 20,
        ttl: 63,
        ipId: 19243,
        df: true,
        icmpType: 8,
        icmpCode: 0,
        seq: 0,
        payload: '',
        len: 84,
      },
      { verbose: true, nnPorts: true },
    );
    expect(line).toBe(
      'IP (tos 0x0, ttl 63, id 19243, offset 0, flags [DF], proto ICMP (1), length 84)\n    192.168.100.200 > 172.18.0.2: ICMP echo request, id 20, seq 0, length 64',
    );
  });
});
