/**
 * Issue 3's scenarios: Docker's default bridge and its iptables rules built by hand with the
 * kernel model, then reachability decided only by the packet walk.
 */
import { describe, it, expect } from 'vitest';
import { addStaticRoute, bridgeByHand, ip } from '../helpers/bridge-by-hand.ts';
import { testMachine } from '../helpers/sim.ts';
import { findDaemon } from '../../src/sim/apps/servers.ts';
import { formatIp4 } from '../../src/sim/net/ip.ts';
import { Shell } from '../../src/sim/shell/interp.ts';
import { shellBuiltins } from '../../src/sim/shell/builtins.ts';
import { BufferOutput, Input } from '../../src/sim/shell/runtime.ts';

/** The rules dockerd 20.10 installs for docker0 and one published port (see golden 05-ports). */
function dockerRules(run: (argv: string) => void): void {
  for (const line of [
    '-t nat -N DOCKER',
    '-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
    '-t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
    '-t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
    '-t nat -A DOCKER -i docker0 -j RETURN',
    '-t filter -N DOCKER',
    '-t filter -N DOCKER-ISOLATION-STAGE-1',
    '-t filter -N DOCKER-ISOLATION-STAGE-2',
    '-t filter -N DOCKER-USER',
    '-t filter -P FORWARD DROP',
    '-t filter -A FORWARD -j DOCKER-USER',
    '-t filter -A FORWARD -j DOCKER-ISOLATION-STAGE-1',
    '-t filter -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-t filter -A FORWARD -o docker0 -j DOCKER',
    '-t filter -A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
    '-t filter -A FORWARD -i docker0 -o docker0 -j ACCEPT',
    '-t filter -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2',
    '-t filter -A DOCKER-ISOLATION-STAGE-1 -j RETURN',
    '-t filter -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP',
    '-t filter -A DOCKER-ISOLATION-STAGE-2 -j RETURN',
    '-t filter -A DOCKER-USER -j RETURN',
    // docker run -p 8899:80 on 172.17.0.2
    '-t nat -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE',
    '-t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8899 -j DNAT --to-destination 172.17.0.2:80',
    '-t filter -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT',
  ])
    run(line);
}

function labWithRules() {
  const lab = bridgeByHand();
  const errors: string[] = [];
  dockerRules((line) => {
    const r = lab.host.netfilter.run(line.split(' '));
    if (r.status !== 0) errors.push(`${line}: ${r.stderr}`);
  });
  expect(errors).toEqual([]);
  return lab;
}

describe('Docker rules built by hand', () => {
  it('container to container ping passes; an inserted FORWARD DROP stops it; deleting it restores it', () => {
    const { world, host, containers } = labWithRules();
    const ping = (seq: number) => world.stack.echo(containers[0], ip('172.17.0.3'), { id: 3, seq, bytes: 56 }).kind;
    expect(ping(1)).toBe('reply');
    expect(host.netfilter.run(['-I', 'FORWARD', '-j', 'DROP']).status).toBe(0);
    expect(ping(2)).toBe('lost');
    expect(host.netfilter.run(['-D', 'FORWARD', '-j', 'DROP']).status).toBe(0);
    expect(ping(3)).toBe('reply');
  });

  it('an outside host reaches host:8899 and lands on container:80 through DNAT; the reply is un-NATed', () => {
    const lab = labWithRules();
    const web = testMachine({ world: lab.world, netns: lab.containers[0], userland: 'busybox' });
    web.fs.mkdir('/var/www', { parents: true });
    web.fs.write('/var/www/index.html', 'hello from 172.17.0.2\n');
    findDaemon('httpd')!(
      { ns: lab.containers[0], fs: web.fs, clock: lab.world.clock, world: lab.world, pid: 1, env: {}, hostname: 'web', log: () => {} },
      ['httpd', '-h', '/var/www'],
    );
    const stack = lab.world.stack;
    const conn = stack.traced(() => stack.tcpConnect(lab.outside, ip('192.168.100.200'), 8899));
    expect('error' in conn).toBe(false);
    if ('error' in conn) return;
    // The client sees its peer as the address it connected to: conntrack translated the reply back.
    expect(formatIp4(conn.remote.ip)).toBe('192.168.100.200');
    const nat = stack.lastTrace!.filter((e) => e.kind === 'nat');
    expect(nat.some((e) => e.kind === 'nat' && e.type === 'DNAT' && e.to === '172.17.0.2:80')).toBe(true);
    conn.send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(conn.received).toContain('hello from 172.17.0.2');
    const outside = testMachine({ world: lab.world, netns: lab.outside, userland: 'gnu' });
    expect(outside.run('curl -s 192.168.100.200:8899').stdout).toBe('hello from 172.17.0.2\n');
    expect(outside.run('curl -s 192.168.100.200:8898').status).toBe(7);
  });

  it('a container reaches the outside with its source MASQUERADEd to the host address (trace and tcpdump)', () => {
    const lab = labWithRules();
    const stack = lab.world.stack;
    const hostShell = testMachine({ world: lab.world, netns: lab.host });
    const seen: string[] = [];
    const stop = stack.addTap((c) => {
      if (c.ns === lab.host && c.link.name === 'eth0' && c.dir === 'out') seen.push(`${formatIp4(c.pkt.src)} > ${formatIp4(c.pkt.dst)}`);
    });
    const r = stack.traced(() => stack.echo(lab.containers[0], ip('192.168.100.1'), { id: 9, seq: 1, bytes: 56 }));
    stop();
    expect(r.kind).toBe('reply');
    if (r.kind === 'reply') expect(r.reply.ttl).toBe(63);
    expect(seen).toEqual(['192.168.100.200 > 192.168.100.1']);
    expect(stack.lastTrace!.some((e) => e.kind === 'nat' && e.type === 'MASQUERADE' && e.to.startsWith('192.168.100.200'))).toBe(true);
    void hostShell;
  });

  it('without the MASQUERADE rule the reply has no way back', () => {
    const lab = labWithRules();
    expect(
      lab.host.netfilter.run(['-t', 'nat', '-D', 'POSTROUTING', '-s', '172.17.0.0/16', '!', '-o', 'docker0', '-j', 'MASQUERADE']).status,
    ).toBe(0);
    expect(lab.world.stack.echo(lab.containers[0], ip('192.168.100.1'), { id: 9, seq: 1, bytes: 56 }).kind).toBe('lost');
  });

  it('tcpdump on the host eth0 prints the masqueraded echo', () => {
    const lab = labWithRules();
    const hostMachine = testMachine({ world: lab.world, netns: lab.host });
    const c1 = testMachine({ world: lab.world, netns: lab.containers[0], userland: 'busybox' });
    const shell = new Shell({ dialect: 'bash', name: 'bash', target: hostMachine.target, builtins: shellBuiltins() });
    const out = new BufferOutput(false);
    const job = shell.run('tcpdump -i eth0 -nn icmp -c 2', { stdin: Input.empty(), stdout: out, stderr: out });
    expect(job.next().done).toBe(false); // capturing, waiting for packets
    expect(c1.run('ping -c 1 -W 1 192.168.100.1').status).toBe(0);
    let step = job.next({ interrupted: false });
    while (!step.done) step = job.next({ interrupted: false });
    const lines = out.text().split('\n');
    expect(lines[0]).toBe('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode');
    expect(lines[1]).toBe('listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes');
    expect(lines[2]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{6} IP 192\.168\.100\.200 > 192\.168\.100\.1: ICMP echo request, id \d+, seq 0, length 64$/,
    );
    expect(lines[3]).toMatch(/ IP 192\.168\.100\.1 > 192\.168\.100\.200: ICMP echo reply, id \d+, seq 0, length 64$/);
    expect(lines.slice(4)).toEqual(['2 packets captured', '2 packets received by filter', '0 packets dropped by kernel', '']);
  });

  it('REJECT answers as told: a TCP reset for tcp-reset, the chosen ICMP code otherwise', () => {
    const lab = labWithRules();
    lab.containers[1].sockets.bind({ proto: 'tcp', local: { family: 4, ip: 0 }, port: 80 });
    const stack = lab.world.stack;
    expect('error' in stack.tcpConnect(lab.containers[0], ip('172.17.0.3'), 80)).toBe(false);
    lab.host.netfilter.run(['-I', 'FORWARD', '-p', 'tcp', '--dport', '80', '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    expect(stack.tcpConnect(lab.containers[0], ip('172.17.0.3'), 80)).toEqual({ error: 'ECONNREFUSED' });
    lab.host.netfilter.run(['-I', 'FORWARD', '-p', 'icmp', '-j', 'REJECT', '--reject-with', 'icmp-host-prohibited']);
    expect(stack.echo(lab.containers[0], ip('172.17.0.3'), { id: 5, seq: 1, bytes: 56 })).toEqual({
      kind: 'error',
      error: { from: ip('172.17.0.1'), type: 3, code: 10 },
    });
  });

  it('an ICMP error about a masqueraded packet finds its way back to the container (traceroute)', () => {
    const lab = labWithRules();
    // A router beyond the host: the LAN machine forwards to 10.9.9.0/24.
    lab.outside.sysctls.ipForward = true;
    addStaticRoute(lab.outside, '10.9.9.0', 24, null, 'eth0');
    addStaticRoute(lab.host, '10.9.9.0', 24, '192.168.100.1', 'eth0');
    // TTL 2: the host forwards it (TTL 1, source masqueraded), the router cannot: time exceeded.
    const r = lab.world.stack.udpExchange(lab.containers[0], ip('10.9.9.9'), 33434, '', { ttl: 2 });
    expect(r.error).toEqual({ from: ip('192.168.100.1'), type: 11, code: 0 });
  });
});
