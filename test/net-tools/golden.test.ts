/**
 * Network tools against the golden transcripts (a real Docker 20.10 host): each case builds
 * the recorded machine's state by hand with the kernel model (test/net-tools/lab.ts), runs the
 * command, and compares with the recorded output after the README's normalisation (ifindexes,
 * random MACs, spacing; socket listings as sets). Expected texts are copied from
 * shared/golden/*.txt (file and line in each case's name).
 */
import { describe, it, expect } from 'vitest';
import { buildLab, ip } from './lab.ts';
import { makeNormaliser } from '../../src/sim/lab/transcript.ts';
import { testMachine, type TestMachine } from '../helpers/sim.ts';
import { mountProcSys } from '../../src/sim/shell/commands/net/sysctl.ts';
import type { Netns } from '../../src/sim/net/netns.ts';

function norm(text: string, unordered = false): string {
  const n = makeNormaliser();
  let lines = text.replace(/\n$/, '').split('\n').map(n);
  if (unordered && lines.length > 1) lines = [lines[0], ...lines.slice(1).sort()];
  return lines.join('\n');
}

function same(m: TestMachine, cmd: string, expected: string, opts: { unordered?: boolean; status?: number } = {}): void {
  const r = m.run(cmd);
  expect(norm(r.stdout + r.stderr, opts.unordered)).toBe(norm(expected, opts.unordered));
  expect(r.status).toBe(opts.status ?? 0);
}

function setStats(
  ns: Netns,
  name: string,
  s: Partial<{ rxPackets: number; rxBytes: number; txPackets: number; txBytes: number; txDropped: number }>,
): void {
  Object.assign(ns.linkByName(name)!.stats, s);
}

/** A listening socket held by a process visible in the machine's PID namespace. */
function listen(
  m: TestMachine,
  proto: 'tcp' | 'udp',
  addr: string,
  port: number,
  o: { pid: number; name: string; fd?: number; v6only?: boolean; backlog?: number },
): void {
  if (!m.target.procs.get(o.pid)) {
    m.target.procs.spawn({ pid: o.pid, ppid: 1, cmdline: o.name, comm: o.name, user: 'root', started: 0, tty: '?', netnsId: m.netns.id });
  }
  const local = addr.includes(':') ? { family: 6 as const, ip: addr } : { family: 4 as const, ip: ip(addr) };
  m.netns.sockets.bind({ proto, local, port, v6only: o.v6only, backlog: o.backlog, owner: { pid: o.pid, name: o.name, fd: o.fd ?? 4 } });
}

describe('01 default bridge: host view', () => {
  const lab = buildLab({ containers: ['172.17.0.2', '172.17.0.3'] });
  it('ip addr (01:130)', () =>
    same(
      lab.hostShell,
      'ip addr',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 52:54:00:4e:64:c8 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 192.168.100.200/24 brd 192.168.100.255 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::5054:ff:fe4e:64c8/64 scope link tentative 
       valid_lft forever preferred_lft forever
3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default 
    link/ether 02:42:b4:db:bc:36 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0
       valid_lft forever preferred_lft forever
    inet6 fe80::42:b4ff:fedb:bc36/64 scope link tentative 
       valid_lft forever preferred_lft forever
5: veth4ed67c7@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP group default 
    link/ether 62:48:bc:8a:6c:74 brd ff:ff:ff:ff:ff:ff link-netnsid 1
    inet6 fe80::6048:bcff:fe8a:6c74/64 scope link tentative 
       valid_lft forever preferred_lft forever
7: veth4b6c133@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP group default 
    link/ether 26:e8:f4:96:49:fe brd ff:ff:ff:ff:ff:ff link-netnsid 2
    inet6 fe80::24e8:f4ff:fe96:49fe/64 scope link tentative 
       valid_lft forever preferred_lft forever
`,
    ));
  it('ip link show master docker0 (01:157)', () =>
    same(
      lab.hostShell,
      'ip link show master docker0',
      String.raw`5: veth4ed67c7@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP mode DEFAULT group default 
    link/ether 62:48:bc:8a:6c:74 brd ff:ff:ff:ff:ff:ff link-netnsid 1
7: veth4b6c133@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP mode DEFAULT group default 
    link/ether 26:e8:f4:96:49:fe brd ff:ff:ff:ff:ff:ff link-netnsid 2
`,
    ));
  it('bridge link (01:162)', () =>
    same(
      lab.hostShell,
      'bridge link',
      String.raw`5: veth4ed67c7@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master docker0 state forwarding priority 32 cost 2 
7: veth4b6c133@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master docker0 state forwarding priority 32 cost 2 
`,
    ));
  it('ip route (01:165)', () =>
    same(
      lab.hostShell,
      'ip route',
      String.raw`default via 192.168.100.1 dev eth0 
172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 
192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.200 
`,
    ));
});

describe('01 default bridge: busybox container', () => {
  const lab = buildLab({ containers: ['172.17.0.2', '172.17.0.3'] });
  const c = lab.shellIn(0, 'busybox');
  setStats(lab.containers[0], 'eth0', { rxPackets: 6, rxBytes: 572 });
  it('ip addr (01:169)', () =>
    same(
      c,
      'ip addr',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue 
    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0
       valid_lft forever preferred_lft forever
`,
    ));
  it('ifconfig (01:178)', () =>
    same(
      c,
      'ifconfig',
      String.raw`eth0      Link encap:Ethernet  HWaddr 02:42:AC:11:00:02  
          inet addr:172.17.0.2  Bcast:172.17.255.255  Mask:255.255.0.0
          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1
          RX packets:6 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:572 (572.0 B)  TX bytes:0 (0.0 B)

lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

`,
    ));
  it('ip route (01:195)', () =>
    same(
      c,
      'ip route',
      String.raw`default via 172.17.0.1 dev eth0 
172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 
`,
    ));
  it('route -n (01:198)', () =>
    same(
      c,
      'route -n',
      String.raw`Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         172.17.0.1      0.0.0.0         UG    0      0        0 eth0
172.17.0.0      0.0.0.0         255.255.0.0     U     0      0        0 eth0
`,
    ));
});

describe('01 default bridge: centos:7 container (iproute2, net-tools)', () => {
  const lab = buildLab({ containers: ['172.17.0.4'] });
  const c = lab.shellIn(0, 'gnu');
  setStats(lab.containers[0], 'eth0', { rxPackets: 2, rxBytes: 176 });
  it('ip addr (01:282)', () =>
    same(
      c,
      'ip addr',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
8: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default 
    link/ether 02:42:ac:11:00:04 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 172.17.0.4/16 brd 172.17.255.255 scope global eth0
       valid_lft forever preferred_lft forever
`,
    ));
  it('ip a (01:291)', () =>
    same(
      c,
      'ip a',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
8: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default 
    link/ether 02:42:ac:11:00:04 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 172.17.0.4/16 brd 172.17.255.255 scope global eth0
       valid_lft forever preferred_lft forever
`,
    ));
  it('ifconfig (01:300)', () =>
    same(
      c,
      'ifconfig',
      String.raw`eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 172.17.0.4  netmask 255.255.0.0  broadcast 172.17.255.255
        ether 02:42:ac:11:00:04  txqueuelen 0  (Ethernet)
        RX packets 2  bytes 176 (176.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536
        inet 127.0.0.1  netmask 255.0.0.0
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

`,
    ));
  it('ip route (01:317)', () =>
    same(
      c,
      'ip route',
      String.raw`default via 172.17.0.1 dev eth0 
172.17.0.0/16 dev eth0 proto kernel scope link src 172.17.0.4 
`,
    ));
  it('route -n (01:320)', () =>
    same(
      c,
      'route -n',
      String.raw`Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         172.17.0.1      0.0.0.0         UG    0      0        0 eth0
172.17.0.0      0.0.0.0         255.255.0.0     U     0      0        0 eth0
`,
    ));
});

describe('01 default bridge: after the containers are removed', () => {
  const lab = buildLab({ containers: ['172.17.0.2', '172.17.0.3'] });
  for (const c of lab.containers) lab.world.destroyNetns(c);
  it('ip link show master docker0 prints nothing (01:697)', () => same(lab.hostShell, 'ip link show master docker0', ''));
  it('ip addr show docker0: NO-CARRIER, link-local kept (01:698)', () =>
    same(
      lab.hostShell,
      'ip addr show docker0',
      String.raw`3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default 
    link/ether 02:42:b4:db:bc:36 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0
       valid_lft forever preferred_lft forever
    inet6 fe80::42:b4ff:fedb:bc36/64 scope link 
       valid_lft forever preferred_lft forever
`,
    ));
});

describe('10b --bip=172.18.0.1/16, no container yet', () => {
  const lab = buildLab({ containers: [], bip: '172.18.0.1/16', docker0Mac: '02:42:b3:8c:98:04' });
  setStats(lab.host, 'docker0', { txDropped: 2 });
  it('ifconfig docker0 (10b:5)', () =>
    same(
      lab.hostShell,
      'ifconfig docker0',
      String.raw`docker0: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500
        inet 172.18.0.1  netmask 255.255.0.0  broadcast 172.18.255.255
        ether 02:42:b3:8c:98:04  txqueuelen 0  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 2 overruns 0  carrier 0  collisions 0

`,
    ));
  it('ip addr show docker0 (10b:14)', () =>
    same(
      lab.hostShell,
      'ip addr show docker0',
      String.raw`3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default 
    link/ether 02:42:b3:8c:98:04 brd ff:ff:ff:ff:ff:ff
    inet 172.18.0.1/16 brd 172.18.255.255 scope global docker0
       valid_lft forever preferred_lft forever
`,
    ));
  it('ip route shows linkdown (10b:19)', () =>
    same(
      lab.hostShell,
      'ip route',
      String.raw`default via 192.168.100.1 dev eth0 
172.18.0.0/16 dev docker0 proto kernel scope link src 172.18.0.1 linkdown 
192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.200 
`,
    ));
});

describe('10d --mtu=1200', () => {
  it('ip link show docker0 before any container (10d:5)', () => {
    const lab = buildLab({ containers: [] });
    same(
      lab.hostShell,
      'ip link show docker0',
      String.raw`3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default 
    link/ether 02:42:ad:2a:bb:df brd ff:ff:ff:ff:ff:ff
`,
    );
  });
  const lab = buildLab({ containers: ['172.17.0.2'], mtu: 1200 });
  const c = lab.shellIn(0, 'busybox');
  it('busybox ip link (10d:48)', () =>
    same(
      c,
      'ip link',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1200 qdisc noqueue 
    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff
`,
    ));
  it('busybox ip addr show eth0 (10d:53)', () =>
    same(
      c,
      'ip addr show eth0',
      String.raw`4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1200 qdisc noqueue 
    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0
       valid_lft forever preferred_lft forever
`,
    ));
  it('the bridge follows its port MTU (10d:58)', () =>
    same(
      lab.hostShell,
      'ip link show docker0',
      String.raw`3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1200 qdisc noqueue state UP mode DEFAULT group default 
    link/ether 02:42:ad:2a:bb:df brd ff:ff:ff:ff:ff:ff
`,
    ));
  it('ip link show master docker0 (10d:61)', () =>
    same(
      lab.hostShell,
      'ip link show master docker0',
      String.raw`5: veth708d034@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1200 qdisc noqueue master docker0 state UP mode DEFAULT group default 
    link/ether 02:4f:26:57:7d:d2 brd ff:ff:ff:ff:ff:ff link-netnsid 1
`,
    ));
});

describe('07 --net none', () => {
  const lab = buildLab({ containers: [] });
  const none = lab.world.createNetns('closed', { ipv6: false });
  const bb = testMachine({ world: lab.world, netns: none, userland: 'busybox' });
  const gnu = testMachine({ world: lab.world, netns: none, userland: 'gnu' });
  it('busybox ip addr (07:35)', () =>
    same(
      bb,
      'ip addr',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
`,
    ));
  it('busybox ip route prints nothing (07:40)', () => same(bb, 'ip route', ''));
  it('busybox ifconfig -a (07:41)', () =>
    same(
      bb,
      'ifconfig -a',
      String.raw`lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

`,
    ));
  it('busybox route -n (07:50)', () =>
    same(
      bb,
      'route -n',
      String.raw`Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
`,
    ));
  it('centos ip addr (07:10)', () =>
    same(
      gnu,
      'ip addr',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
`,
    ));
});

describe('06 --net host: a busybox container in the host namespace', () => {
  const lab = buildLab({ containers: [], docker0Mac: '02:42:54:0b:50:3d' });
  const bb = testMachine({ world: lab.world, netns: lab.host, userland: 'busybox' });
  setStats(lab.host, 'eth0', { rxPackets: 7, rxBytes: 646, txPackets: 5, txBytes: 426 });
  setStats(lab.host, 'docker0', { txDropped: 2 });
  // busybox httpd and nc listen on the dual-stack IPv6 wildcard.
  listen(lab.hostShell, 'tcp', '::', 80, { pid: 256, name: 'httpd', fd: 3, backlog: 9 });
  listen(lab.hostShell, 'tcp', '::', 6379, { pid: 306, name: 'nc', fd: 3, backlog: 2 });
  it('ip addr: eth0@if<N> with M-DOWN (06:13)', () =>
    same(
      bb,
      'ip addr',
      String.raw`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: eth0@if8: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue qlen 1000
    link/ether 52:54:00:4e:64:c8 brd ff:ff:ff:ff:ff:ff
    inet 192.168.100.200/24 brd 192.168.100.255 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::5054:ff:fe4e:64c8/64 scope link 
       valid_lft forever preferred_lft forever
3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue 
    link/ether 02:42:54:0b:50:3d brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0
       valid_lft forever preferred_lft forever
`,
    ));
  it('ifconfig (06:30)', () =>
    same(
      bb,
      'ifconfig',
      String.raw`docker0   Link encap:Ethernet  HWaddr 02:42:54:0B:50:3D  
          inet addr:172.17.0.1  Bcast:172.17.255.255  Mask:255.255.0.0
          UP BROADCAST MULTICAST  MTU:1500  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:2 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

eth0      Link encap:Ethernet  HWaddr 52:54:00:4E:64:C8  
          inet addr:192.168.100.200  Bcast:192.168.100.255  Mask:255.255.255.0
          inet6 addr: fe80::5054:ff:fe4e:64c8/64 Scope:Link
          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1
          RX packets:7 errors:0 dropped:0 overruns:0 frame:0
          TX packets:5 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:646 (646.0 B)  TX bytes:426 (426.0 B)

lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

`,
    ));
  it('ip route (06:57)', () =>
    same(
      bb,
      'ip route',
      String.raw`default via 192.168.100.1 dev eth0 
172.17.0.0/16 dev docker0 scope link  src 172.17.0.1 
192.168.100.0/24 dev eth0 scope link  src 192.168.100.200 
`,
    ));
  it('busybox netstat -lnt (06:83)', () =>
    same(
      bb,
      'netstat -lnt',
      String.raw`Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       
tcp        0      0 :::80                   :::*                    LISTEN      
tcp        0      0 :::6379                 :::*                    LISTEN      
`,
      { unordered: true },
    ));
  it('ss -lntp on the host (06:91)', () =>
    same(
      lab.hostShell,
      'ss -lntp',
      String.raw`State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                        
LISTEN 0      9                  *:80              *:*    users:(("httpd",pid=256,fd=3))
LISTEN 0      2                  *:6379            *:*    users:(("nc",pid=306,fd=3))   
`,
      { unordered: true },
    ));
  it('netstat -lntp on the host (06:88, before egrep)', () => {
    const r = lab.hostShell.run('netstat -lntp');
    const lines = r.stdout.split('\n').filter((l) => /80|6379/.test(l));
    expect(norm(lines.join('\n'), true)).toBe(
      norm(
        String.raw`tcp6       0      0 :::80                   :::*                    LISTEN      256/httpd           
tcp6       0      0 :::6379                 :::*                    LISTEN      306/nc              
`,
        true,
      ),
    );
  });
});

describe('05 published ports: the docker-proxy sockets', () => {
  const lab = buildLab({ containers: [] });
  const h = lab.hostShell;
  // Rebuild the sockets from the recording itself: netstat gives address and port, ss the pids.
  const ssTcp = String.raw`State  Recv-Q Send-Q   Local Address:Port  Peer Address:PortProcess                                
LISTEN 0      4096           0.0.0.0:8053       0.0.0.0:*    users:(("docker-proxy",pid=989,fd=4)) 
LISTEN 0      4096           0.0.0.0:5000       0.0.0.0:*    users:(("docker-proxy",pid=1568,fd=4))
LISTEN 0      4096           0.0.0.0:32781      0.0.0.0:*    users:(("docker-proxy",pid=1484,fd=4))
LISTEN 0      4096           0.0.0.0:32780      0.0.0.0:*    users:(("docker-proxy",pid=1463,fd=4))
LISTEN 0      4096           0.0.0.0:32779      0.0.0.0:*    users:(("docker-proxy",pid=1444,fd=4))
LISTEN 0      4096           0.0.0.0:32778      0.0.0.0:*    users:(("docker-proxy",pid=1423,fd=4))
LISTEN 0      4096           0.0.0.0:32777      0.0.0.0:*    users:(("docker-proxy",pid=1342,fd=4))
LISTEN 0      4096           0.0.0.0:32776      0.0.0.0:*    users:(("docker-proxy",pid=1322,fd=4))
LISTEN 0      4096           0.0.0.0:32775      0.0.0.0:*    users:(("docker-proxy",pid=1302,fd=4))
LISTEN 0      4096           0.0.0.0:32774      0.0.0.0:*    users:(("docker-proxy",pid=1218,fd=4))
LISTEN 0      4096           0.0.0.0:32773      0.0.0.0:*    users:(("docker-proxy",pid=1198,fd=4))
LISTEN 0      4096           0.0.0.0:32772      0.0.0.0:*    users:(("docker-proxy",pid=1177,fd=4))
LISTEN 0      4096           0.0.0.0:32771      0.0.0.0:*    users:(("docker-proxy",pid=1093,fd=4))
LISTEN 0      4096           0.0.0.0:32770      0.0.0.0:*    users:(("docker-proxy",pid=698,fd=4)) 
LISTEN 0      4096           0.0.0.0:32768      0.0.0.0:*    users:(("docker-proxy",pid=339,fd=4)) 
LISTEN 0      4096   192.168.100.200:8082       0.0.0.0:*    users:(("docker-proxy",pid=785,fd=4)) 
LISTEN 0      4096         127.0.0.1:8081       0.0.0.0:*    users:(("docker-proxy",pid=519,fd=4)) 
LISTEN 0      4096           0.0.0.0:8899       0.0.0.0:*    users:(("docker-proxy",pid=230,fd=4)) 
LISTEN 0      4096           0.0.0.0:9002       0.0.0.0:*    users:(("docker-proxy",pid=860,fd=4)) 
LISTEN 0      4096           0.0.0.0:9001       0.0.0.0:*    users:(("docker-proxy",pid=880,fd=4)) 
LISTEN 0      4096           0.0.0.0:9000       0.0.0.0:*    users:(("docker-proxy",pid=902,fd=4)) 
LISTEN 0      4096         127.0.0.1:32769      0.0.0.0:*    users:(("docker-proxy",pid=439,fd=4)) 
LISTEN 0      4096              [::]:8053          [::]:*    users:(("docker-proxy",pid=995,fd=4)) 
LISTEN 0      4096              [::]:5000          [::]:*    users:(("docker-proxy",pid=1575,fd=4))
LISTEN 0      4096              [::]:32780         [::]:*    users:(("docker-proxy",pid=1490,fd=4))
LISTEN 0      4096              [::]:32779         [::]:*    users:(("docker-proxy",pid=1469,fd=4))
LISTEN 0      4096              [::]:32778         [::]:*    users:(("docker-proxy",pid=1451,fd=4))
LISTEN 0      4096              [::]:32777         [::]:*    users:(("docker-proxy",pid=1430,fd=4))
LISTEN 0      4096              [::]:32776         [::]:*    users:(("docker-proxy",pid=1348,fd=4))
LISTEN 0      4096              [::]:32775         [::]:*    users:(("docker-proxy",pid=1329,fd=4))
LISTEN 0      4096              [::]:32774         [::]:*    users:(("docker-proxy",pid=1308,fd=4))
LISTEN 0      4096              [::]:32773         [::]:*    users:(("docker-proxy",pid=1225,fd=4))
LISTEN 0      4096              [::]:32772         [::]:*    users:(("docker-proxy",pid=1205,fd=4))
LISTEN 0      4096              [::]:32771         [::]:*    users:(("docker-proxy",pid=1183,fd=4))
LISTEN 0      4096              [::]:32770         [::]:*    users:(("docker-proxy",pid=1099,fd=4))
LISTEN 0      4096              [::]:32769         [::]:*    users:(("docker-proxy",pid=703,fd=4)) 
LISTEN 0      4096              [::]:32768         [::]:*    users:(("docker-proxy",pid=346,fd=4)) 
LISTEN 0      4096              [::]:8899          [::]:*    users:(("docker-proxy",pid=236,fd=4)) 
LISTEN 0      4096              [::]:9002          [::]:*    users:(("docker-proxy",pid=865,fd=4)) 
LISTEN 0      4096              [::]:9001          [::]:*    users:(("docker-proxy",pid=887,fd=4)) 
LISTEN 0      4096              [::]:9000          [::]:*    users:(("docker-proxy",pid=908,fd=4)) 
`;
  const ssUdp = String.raw`State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                                
UNCONN 0      0            0.0.0.0:8053      0.0.0.0:*    users:(("docker-proxy",pid=1009,fd=4))
UNCONN 0      0            0.0.0.0:53        0.0.0.0:*    users:(("docker-proxy",pid=595,fd=4)) 
UNCONN 0      0               [::]:8053         [::]:*    users:(("docker-proxy",pid=1015,fd=4))
UNCONN 0      0               [::]:53           [::]:*    users:(("docker-proxy",pid=600,fd=4)) 
`;
  for (const [proto, text] of [
    ['tcp', ssTcp],
    ['udp', ssUdp],
  ] as const) {
    for (const line of text.split('\n').slice(1)) {
      const m = /^\S+\s+\d+\s+(\d+)\s+(\S+):(\d+)\s+\S+\s+users:\(\("([^"]+)",pid=(\d+),fd=(\d+)\)\)/.exec(line);
      if (!m) continue;
      const addr = m[2] === '[::]' ? '::' : m[2];
      listen(h, proto, addr, Number(m[3]), {
        pid: Number(m[5]),
        name: m[4],
        fd: Number(m[6]),
        v6only: addr === '::',
        backlog: Number(m[1]),
      });
    }
  }
  it('ss -lntp (05:708)', () => same(h, 'ss -lntp', ssTcp, { unordered: true }));
  it('ss -lnup (05:751)', () => same(h, 'ss -lnup', ssUdp, { unordered: true }));
  it('netstat -lntp (05:757)', () =>
    same(
      h,
      'netstat -lntp',
      String.raw`Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    
tcp        0      0 0.0.0.0:8053            0.0.0.0:*               LISTEN      989/docker-proxy    
tcp        0      0 0.0.0.0:5000            0.0.0.0:*               LISTEN      1568/docker-proxy   
tcp        0      0 0.0.0.0:32781           0.0.0.0:*               LISTEN      1484/docker-proxy   
tcp        0      0 0.0.0.0:32780           0.0.0.0:*               LISTEN      1463/docker-proxy   
tcp        0      0 0.0.0.0:32779           0.0.0.0:*               LISTEN      1444/docker-proxy   
tcp        0      0 0.0.0.0:32778           0.0.0.0:*               LISTEN      1423/docker-proxy   
tcp        0      0 0.0.0.0:32777           0.0.0.0:*               LISTEN      1342/docker-proxy   
tcp        0      0 0.0.0.0:32776           0.0.0.0:*               LISTEN      1322/docker-proxy   
tcp        0      0 0.0.0.0:32775           0.0.0.0:*               LISTEN      1302/docker-proxy   
tcp        0      0 0.0.0.0:32774           0.0.0.0:*               LISTEN      1218/docker-proxy   
tcp        0      0 0.0.0.0:32773           0.0.0.0:*               LISTEN      1198/docker-proxy   
tcp        0      0 0.0.0.0:32772           0.0.0.0:*               LISTEN      1177/docker-proxy   
tcp        0      0 0.0.0.0:32771           0.0.0.0:*               LISTEN      1093/docker-proxy   
tcp        0      0 0.0.0.0:32770           0.0.0.0:*               LISTEN      698/docker-proxy    
tcp        0      0 0.0.0.0:32768           0.0.0.0:*               LISTEN      339/docker-proxy    
tcp        0      0 192.168.100.200:8082    0.0.0.0:*               LISTEN      785/docker-proxy    
tcp        0      0 127.0.0.1:8081          0.0.0.0:*               LISTEN      519/docker-proxy    
tcp        0      0 0.0.0.0:8899            0.0.0.0:*               LISTEN      230/docker-proxy    
tcp        0      0 0.0.0.0:9002            0.0.0.0:*               LISTEN      860/docker-proxy    
tcp        0      0 0.0.0.0:9001            0.0.0.0:*               LISTEN      880/docker-proxy    
tcp        0      0 0.0.0.0:9000            0.0.0.0:*               LISTEN      902/docker-proxy    
tcp        0      0 127.0.0.1:32769         0.0.0.0:*               LISTEN      439/docker-proxy    
tcp6       0      0 :::8053                 :::*                    LISTEN      995/docker-proxy    
tcp6       0      0 :::5000                 :::*                    LISTEN      1575/docker-proxy   
tcp6       0      0 :::32780                :::*                    LISTEN      1490/docker-proxy   
tcp6       0      0 :::32779                :::*                    LISTEN      1469/docker-proxy   
tcp6       0      0 :::32778                :::*                    LISTEN      1451/docker-proxy   
tcp6       0      0 :::32777                :::*                    LISTEN      1430/docker-proxy   
tcp6       0      0 :::32776                :::*                    LISTEN      1348/docker-proxy   
tcp6       0      0 :::32775                :::*                    LISTEN      1329/docker-proxy   
tcp6       0      0 :::32774                :::*                    LISTEN      1308/docker-proxy   
tcp6       0      0 :::32773                :::*                    LISTEN      1225/docker-proxy   
tcp6       0      0 :::32772                :::*                    LISTEN      1205/docker-proxy   
tcp6       0      0 :::32771                :::*                    LISTEN      1183/docker-proxy   
tcp6       0      0 :::32770                :::*                    LISTEN      1099/docker-proxy   
tcp6       0      0 :::32769                :::*                    LISTEN      703/docker-proxy    
tcp6       0      0 :::32768                :::*                    LISTEN      346/docker-proxy    
tcp6       0      0 :::8899                 :::*                    LISTEN      236/docker-proxy    
tcp6       0      0 :::9002                 :::*                    LISTEN      865/docker-proxy    
tcp6       0      0 :::9001                 :::*                    LISTEN      887/docker-proxy    
tcp6       0      0 :::9000                 :::*                    LISTEN      908/docker-proxy    
`,
      { unordered: true },
    ));
});

describe('10f --iptables=false', () => {
  const lab = buildLab({ containers: [] });
  mountProcSys(lab.hostShell.fs, lab.host);
  lab.host.linkByName('docker0')!.routeLocalnet = true;
  listen(lab.hostShell, 'tcp', '0.0.0.0', 8899, { pid: 396, name: 'dockerd', fd: 24 });
  it('sysctl net.ipv4.ip_forward (10f:15)', () =>
    same(
      lab.hostShell,
      'sysctl net.ipv4.ip_forward',
      String.raw`net.ipv4.ip_forward = 1
`,
    ));
  it('ss -lntp (10f:150)', () =>
    same(
      lab.hostShell,
      'ss -lntp',
      String.raw`State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
LISTEN 0      4096         0.0.0.0:8899      0.0.0.0:*    users:(("dockerd",pid=396,fd=24))
`,
      { unordered: true },
    ));
  it('sysctl net.ipv4.conf.docker0.route_localnet (10f:157)', () =>
    same(
      lab.hostShell,
      'sysctl net.ipv4.conf.docker0.route_localnet',
      String.raw`net.ipv4.conf.docker0.route_localnet = 1
`,
    ));
});

describe('11a two hosts: static routes', () => {
  const lab = buildLab({ containers: ['172.17.0.2'] });
  it('ip addr show eth0 (11a:7)', () =>
    same(
      lab.hostShell,
      'ip addr show eth0',
      String.raw`2: eth0@if19: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 52:54:00:4e:64:c8 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 192.168.100.200/24 brd 192.168.100.255 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::5054:ff:fe4e:64c8/64 scope link tentative 
       valid_lft forever preferred_lft forever
`,
    ));
  it('ip route add 172.18.0.0/16 via 192.168.100.201, then ip route (11a:67-69)', () => {
    same(lab.hostShell, 'ip route add 172.18.0.0/16 via 192.168.100.201', '');
    same(
      lab.hostShell,
      'ip route',
      String.raw`default via 192.168.100.1 dev eth0 
172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 
172.18.0.0/16 via 192.168.100.201 dev eth0 
192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.200 
`,
    );
  });
});

describe('04 ip link show type bridge', () => {
  const lab = buildLab({ containers: ['172.17.0.2'], docker0Mac: '02:42:2c:09:d1:a8' });
  const h = lab.host;
  const bridges: [string, string, boolean][] = [
    ['br-38a2a20e9a44', '02:42:9c:4c:c2:83', true],
    ['br-190d2ffd53fe', '02:42:17:aa:36:4f', true],
    ['br-9b0d9da17a8f', '02:42:84:6a:e4:ea', false],
    ['br-59cf4e8a8865', '02:42:ce:53:7b:41', true],
    ['br-250b06441100', '02:42:c0:21:9d:7f', false],
    ['mybr0', '02:42:40:78:28:7c', false],
  ];
  for (const [name, mac, withPort] of bridges) {
    const br = h.addLink({ name, kind: 'bridge', mac });
    h.setUp(br.ifindex, true);
    if (withPort) {
      const { link, peer } = h.addVethPair(`p${name.slice(3, 12)}`, `q${name.slice(3, 12)}`);
      h.setMaster(link.ifindex, br.ifindex);
      h.setUp(link.ifindex, true);
      h.setUp(peer.ifindex, true);
    }
  }
  it('(04:744)', () =>
    same(
      lab.hostShell,
      'ip link show type bridge',
      String.raw`3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default 
    link/ether 02:42:2c:09:d1:a8 brd ff:ff:ff:ff:ff:ff
6: br-38a2a20e9a44: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default 
    link/ether 02:42:9c:4c:c2:83 brd ff:ff:ff:ff:ff:ff
9: br-190d2ffd53fe: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default 
    link/ether 02:42:17:aa:36:4f brd ff:ff:ff:ff:ff:ff
18: br-9b0d9da17a8f: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default 
    link/ether 02:42:84:6a:e4:ea brd ff:ff:ff:ff:ff:ff
19: br-59cf4e8a8865: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default 
    link/ether 02:42:ce:53:7b:41 brd ff:ff:ff:ff:ff:ff
22: br-250b06441100: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default 
    link/ether 02:42:c0:21:9d:7f brd ff:ff:ff:ff:ff:ff
23: mybr0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default 
    link/ether 02:42:40:78:28:7c brd ff:ff:ff:ff:ff:ff
`,
    ));
});
