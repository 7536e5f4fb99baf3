/**
 * The network tools changing the model and refusing as the real tools do: iproute2 and busybox
 * `ip`, net-tools and busybox `ifconfig`/`route`, bridge-utils `brctl`, procps `sysctl` and
 * /proc/sys, `ss`. Every change is checked through the model (what the packet walk reads) and
 * through another tool's view of it.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildLab, ip } from './lab.ts';
import { testMachine } from '../helpers/sim.ts';
import { mountProcSys } from '../../src/sim/shell/commands/net/sysctl.ts';
import { formatIp4, formatMask, networkOf } from '../../src/sim/net/ip.ts';

describe('ip address', () => {
  it('add brings the connected route; a second add is refused; del without a prefix warns', () => {
    const m = testMachine();
    expect(m.run('ip link add dummy0 type dummy').status).toBe(0);
    expect(m.run('ip link set dummy0 up').status).toBe(0);
    expect(m.run('ip addr add 10.5.0.1/24 dev dummy0').status).toBe(0);
    expect(m.run('ip route').stdout).toBe('10.5.0.0/24 dev dummy0 proto kernel scope link src 10.5.0.1 \n');
    // A netlink address has no broadcast unless asked for.
    expect(m.run('ip -4 addr show dummy0').stdout).toBe(
      '2: dummy0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
        '    inet 10.5.0.1/24 scope global dummy0\n       valid_lft forever preferred_lft forever\n',
    );
    expect(m.run('ip addr add 10.5.0.1/24 dev dummy0')).toEqual({ stdout: '', stderr: 'RTNETLINK answers: File exists\n', status: 2 });
    const del = m.run('ip addr del 10.5.0.1 dev dummy0');
    expect(del.status).toBe(0);
    expect(del.stderr).toContain('Warning: Executing wildcard deletion to stay compatible with old scripts.');
    expect(m.netns.linkByName('dummy0')!.addrs4).toEqual([]);
    expect(m.run('ip route').stdout).toBe('');
    expect(m.run('ip addr del 10.5.0.1/24 dev dummy0')).toEqual({
      stdout: '',
      stderr: 'RTNETLINK answers: Cannot assign requested address\n',
      status: 2,
    });
  });

  it('brd + computes the broadcast; secondary addresses are marked', () => {
    const m = testMachine();
    m.run('ip link add br0 type bridge');
    m.run('ip addr add 172.20.0.1/16 brd + dev br0');
    m.run('ip addr add 172.20.0.9/16 dev br0');
    const out = m.run('ip addr show br0').stdout;
    expect(out).toContain('    inet 172.20.0.1/16 brd 172.20.255.255 scope global br0\n');
    expect(out).toContain('    inet 172.20.0.9/16 scope global secondary br0\n');
  });

  it('errors: unknown device, missing dev, bad prefix, unknown command', () => {
    const m = testMachine();
    expect(m.run('ip addr show eth9')).toEqual({ stdout: '', stderr: 'Device "eth9" does not exist.\n', status: 1 });
    expect(m.run('ip addr add 10.0.0.1/24 dev eth9')).toEqual({ stdout: '', stderr: 'Cannot find device "eth9"\n', status: 1 });
    expect(m.run('ip addr add 10.0.0.1/24')).toEqual({
      stdout: '',
      stderr: 'Not enough information: "dev" argument is required.\n',
      status: 1,
    });
    expect(m.run('ip addr add 10.0.0.300/24 dev lo').stderr).toBe('Error: any valid prefix is expected rather than "10.0.0.300/24".\n');
    expect(m.run('ip addr frob')).toEqual({ stdout: '', stderr: 'Command "frob" is unknown, try "ip address help".\n', status: 255 });
    expect(m.run('ip addr show lo eth0')).toEqual({
      stdout: '',
      stderr: 'Error: either "dev" is duplicate, or "eth0" is a garbage.\n',
      status: 255,
    });
    expect(m.run('ip foo')).toEqual({ stdout: '', stderr: 'Object "foo" is unknown, try "ip help".\n', status: 1 });
    expect(m.run('ip -z addr')).toEqual({ stdout: '', stderr: 'Option "-z" is unknown, try "ip -help".\n', status: 255 });
  });

  it('busybox texts', () => {
    const m = testMachine({ userland: 'busybox' });
    expect(m.run('ip addr show eth9')).toEqual({ stdout: '', stderr: "ip: can't find device 'eth9'\n", status: 1 });
    expect(m.run('ip link set eth9 up')).toEqual({ stdout: '', stderr: "ip: can't find device 'eth9'\n", status: 1 });
    m.run('ip addr add 10.0.0.1/8 dev lo');
    expect(m.run('ip addr add 10.0.0.1/8 dev lo')).toEqual({ stdout: '', stderr: 'ip: RTNETLINK answers: File exists\n', status: 2 });
  });
});

describe('ip link', () => {
  it('a veth pair in one namespace names its peer and shows M-DOWN while the peer is down', () => {
    const m = testMachine();
    expect(m.run('ip link add veth-a type veth peer name veth-b').status).toBe(0);
    m.run('ip link set veth-a up');
    expect(m.run('ip link show veth-a').stdout).toBe(
      '3: veth-a@veth-b: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n' +
        `    link/ether ${m.netns.linkByName('veth-a')!.mac} brd ff:ff:ff:ff:ff:ff\n`,
    );
    m.run('ip link set veth-b up');
    expect(m.run('ip -br link show veth-a').stdout).toBe(
      `veth-a@veth-b    UP             ${m.netns.linkByName('veth-a')!.mac} <BROADCAST,MULTICAST,UP,LOWER_UP> \n`,
    );
  });

  it('set master/nomaster/mtu/name/address change the model; deleting one end deletes both', () => {
    const m = testMachine();
    m.run('ip link add br0 type bridge');
    m.run('ip link add v1 type veth peer name v2');
    expect(m.run('ip link set v1 master br0').status).toBe(0);
    const br = m.netns.linkByName('br0')!;
    expect(m.netns.linkByName('v1')!.master).toBe(br.ifindex);
    expect(m.run('ip link show master br0').stdout).toContain('v1@v2:');
    expect(m.run('brctl show').stdout).toBe(
      `bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.${br.mac.replace(/:/g, '')}\tno\t\tv1\n`,
    );
    m.run('ip link set v1 mtu 1400');
    expect(br.mtu).toBe(1400);
    m.run('ip link set v1 nomaster');
    expect(m.netns.linkByName('v1')!.master).toBeNull();
    m.run('ip link set v2 up');
    expect(m.run('ip link set v2 name v3')).toEqual({ stdout: '', stderr: 'RTNETLINK answers: Device or resource busy\n', status: 2 });
    m.run('ip link set v2 down');
    expect(m.run('ip link set v2 name v3 address 02:00:00:00:00:07 up').status).toBe(0);
    expect(m.netns.linkByName('v3')!.mac).toBe('02:00:00:00:00:07');
    expect(m.run('ip link del v1').status).toBe(0);
    expect(m.netns.linkByName('v3')).toBeUndefined();
    expect(m.run('ip link del lo')).toEqual({ stdout: '', stderr: 'RTNETLINK answers: Operation not supported\n', status: 2 });
    expect(m.run('ip link add br0 type bridge')).toEqual({ stdout: '', stderr: 'RTNETLINK answers: File exists\n', status: 2 });
    expect(m.run('ip link set eth9 up')).toEqual({ stdout: '', stderr: 'Cannot find device "eth9"\n', status: 1 });
    expect(m.run('ip link set br0 up foo')).toEqual({
      stdout: '',
      stderr: 'Error: either "dev" is duplicate, or "foo" is a garbage.\n',
      status: 255,
    });
    expect(m.run('ip link show master nope')).toEqual({
      stdout: '',
      stderr: 'Error: argument "nope" is wrong: Device does not exist\n\n',
      status: 255,
    });
  });

  it('ip -s link prints the link counters', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    Object.assign(lab.containers[0].linkByName('eth0')!.stats, { rxPackets: 6, rxBytes: 572, txPackets: 3, txBytes: 1234567 });
    expect(lab.shellIn(0, 'gnu').run('ip -s link show eth0').stdout.split('\n').slice(2).join('\n')).toBe(
      '    RX:  bytes packets errors dropped  missed   mcast           \n' +
        '           572       6      0       0       0       0 \n' +
        '    TX:  bytes packets errors dropped carrier collsns           \n' +
        '       1234567       3      0       0       0       0 \n',
    );
  });
});

describe('ip route', () => {
  it('add/del with the kernel answers', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    const h = lab.hostShell;
    expect(h.run('ip route add 10.9.0.0/16 via 172.17.0.2').status).toBe(0);
    expect(lab.host.lookupRoute(ip('10.9.3.4'))?.gateway).toBe(ip('172.17.0.2'));
    expect(h.run('ip route show dev docker0').stdout).toBe(
      '10.9.0.0/16 via 172.17.0.2 \n172.17.0.0/16 proto kernel scope link src 172.17.0.1 \n',
    );
    expect(h.run('ip route add 10.9.0.0/16 via 172.17.0.2')).toEqual({ stdout: '', stderr: 'RTNETLINK answers: File exists\n', status: 2 });
    expect(h.run('ip route add 10.8.0.0/16 via 10.1.1.1')).toEqual({
      stdout: '',
      stderr: 'Error: Nexthop has invalid gateway.\n',
      status: 2,
    });
    expect(h.run('ip route add 10.8.0.1/16 via 172.17.0.2')).toEqual({
      stdout: '',
      stderr: 'Error: Invalid prefix for given prefix length.\n',
      status: 2,
    });
    expect(h.run('ip route add 10.7.0.0/16 x via 172.17.0.2')).toEqual({
      stdout: '',
      stderr: 'Error: either "to" is duplicate, or "x" is a garbage.\n',
      status: 255,
    });
    expect(h.run('ip route del 10.9.0.0/16').status).toBe(0);
    expect(h.run('ip route del 10.9.0.0/16')).toEqual({ stdout: '', stderr: 'RTNETLINK answers: No such process\n', status: 2 });
    expect(h.run('ip route get 172.17.0.2').stdout).toBe('172.17.0.2 dev docker0 src 172.17.0.1 uid 0 \n    cache \n');
  });

  it('property: a route added with `ip route add` is listed by `ip route` and `route -n`, and goes with `ip route del`', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 32 }), (raw, prefix) => {
        const m = testMachine();
        m.run('ip link add d0 type dummy');
        m.run('ip link set d0 up');
        const dst = networkOf(raw >>> 0, prefix);
        const text = prefix === 32 ? formatIp4(dst) : `${formatIp4(dst)}/${prefix}`;
        expect(m.run(`ip route add ${formatIp4(dst)}/${prefix} dev d0`).status).toBe(0);
        expect(m.run('ip route').stdout).toBe(`${text} dev d0 scope link \n`);
        const flags = prefix === 32 ? 'UH' : 'U';
        expect(m.run('route -n').stdout.split('\n')[2]).toBe(
          `${formatIp4(dst).padEnd(15)} 0.0.0.0         ${formatMask(prefix).padEnd(15)} ${flags.padEnd(5)} 0      0        0 d0`,
        );
        expect(m.run(`ip route del ${text}`).status).toBe(0);
        expect(m.run('ip route').stdout).toBe('');
      }),
      { numRuns: 60 },
    );
  });
});

describe('ifconfig and route', () => {
  it('ifconfig IF IP netmask M up sets the address (classful default replaced), the broadcast and the route', () => {
    const m = testMachine();
    m.run('ip link add d0 type dummy');
    expect(m.run('ifconfig d0 10.1.2.3 netmask 255.255.255.0 up').status).toBe(0);
    const l = m.netns.linkByName('d0')!;
    expect(l.up).toBe(true);
    expect(l.addrs4.map((a) => [formatIp4(a.ip), a.prefix, a.brd === null ? null : formatIp4(a.brd)])).toEqual([
      ['10.1.2.3', 24, '10.1.2.255'],
    ]);
    expect(m.run('ip route').stdout).toBe('10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3 \n');
    expect(m.run('ifconfig d0 10.1.2.4').status).toBe(0);
    expect(l.addrs4.map((a) => `${formatIp4(a.ip)}/${a.prefix}`)).toEqual(['10.1.2.4/8']);
    expect(m.run('ifconfig eth9')).toEqual({
      stdout: '',
      stderr: 'eth9: error fetching interface information: Device not found\n',
      status: 1,
    });
    const bb = testMachine({ userland: 'busybox' });
    expect(bb.run('ifconfig eth9')).toEqual({
      stdout: '',
      stderr: 'ifconfig: eth9: error fetching interface information: Device not found\n',
      status: 1,
    });
  });

  it('route add -net with a prefix or a netmask, route del', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    const h = lab.hostShell;
    expect(h.run('route add -net 10.1.0.0/16 gw 172.17.0.2').status).toBe(0);
    expect(h.run('route add -net 10.2.0.0 netmask 255.255.0.0 gw 172.17.0.2').status).toBe(0);
    expect(h.run('ip route').stdout).toContain('10.1.0.0/16 via 172.17.0.2 dev docker0 \n10.2.0.0/16 via 172.17.0.2 dev docker0 \n');
    expect(h.run('route -n').stdout).toContain('10.2.0.0        172.17.0.2      255.255.0.0     UG    0      0        0 docker0\n');
    expect(h.run('route add -net 10.1.0.0/16 gw 172.17.0.2')).toEqual({ stdout: '', stderr: 'SIOCADDRT: File exists\n', status: 7 });
    expect(h.run('route add -net 10.3.0.0/16 gw 10.99.0.1')).toEqual({
      stdout: '',
      stderr: 'SIOCADDRT: Network is unreachable\n',
      status: 7,
    });
    expect(h.run('route del -net 10.1.0.0/16').status).toBe(0);
    expect(h.run('route del -net 10.1.0.0/16')).toEqual({ stdout: '', stderr: 'SIOCDELRT: No such process\n', status: 7 });
  });
});

describe('brctl', () => {
  it('addbr, addif, delif, delbr and their refusals', () => {
    const m = testMachine();
    m.run('ip link add v1 type veth peer name v2');
    expect(m.run('brctl addbr br9').status).toBe(0);
    expect(m.run('brctl addbr br9')).toEqual({
      stdout: '',
      stderr: "device br9 already exists; can't create bridge with the same name\n",
      status: 1,
    });
    expect(m.run('brctl addif br9 v1').status).toBe(0);
    expect(m.run('brctl addif br9 v1')).toEqual({
      stdout: '',
      stderr: "device v1 is already a member of a bridge; can't add it to bridge br9.\n",
      status: 1,
    });
    expect(m.run('brctl addif br9 nope')).toEqual({ stdout: '', stderr: 'interface nope does not exist!\n', status: 1 });
    expect(m.run('brctl delif br9 v2')).toEqual({ stdout: '', stderr: 'device v2 is not a slave of br9\n', status: 1 });
    m.run('ip link set br9 up');
    expect(m.run('brctl delbr br9')).toEqual({ stdout: '', stderr: "bridge br9 is still up; can't delete it\n", status: 1 });
    m.run('ip link set br9 down');
    expect(m.run('brctl delif br9 v1').status).toBe(0);
    expect(m.run('brctl delbr br9').status).toBe(0);
    expect(m.run('brctl show').stdout).toBe('bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');
  });
});

describe('sysctl and /proc/sys', () => {
  it('sysctl -w, the /proc file and the model field are one thing', () => {
    const m = testMachine();
    mountProcSys(m.fs, m.netns);
    expect(m.run('sysctl net.ipv4.ip_forward').stdout).toBe('net.ipv4.ip_forward = 0\n');
    expect(m.run('sysctl -w net.ipv4.ip_forward=1').stdout).toBe('net.ipv4.ip_forward = 1\n');
    expect(m.netns.sysctls.ipForward).toBe(true);
    expect(m.fs.read('/proc/sys/net/ipv4/ip_forward')).toBe('1\n');
    m.run('echo 0 > /proc/sys/net/ipv4/ip_forward');
    expect(m.netns.sysctls.ipForward).toBe(false);
    expect(m.run('sysctl -n net.ipv4.ip_forward').stdout).toBe('0\n');
    m.fs.write('/proc/sys/net/bridge/bridge-nf-call-iptables', '1\n');
    expect(m.netns.sysctls.bridgeNfCallIptables).toBe(true);
    expect(m.run('sysctl net.bridge.bridge-nf-call-iptables').stdout).toBe('net.bridge.bridge-nf-call-iptables = 1\n');
    expect(m.run('sysctl net.ipv4.ip_local_port_range').stdout).toBe('net.ipv4.ip_local_port_range = 32768\t60999\n');
    expect(m.run('sysctl -w net.ipv4.ip_forward=abc')).toEqual({
      stdout: '',
      stderr: 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n',
      status: 255,
    });
    expect(m.run('sysctl net.ipv4.nope')).toEqual({
      stdout: '',
      stderr: 'sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n',
      status: 255,
    });
  });

  it('per-interface keys follow the links that exist', () => {
    const m = testMachine();
    mountProcSys(m.fs, m.netns);
    expect(m.run('sysctl net.ipv4.conf.br0.route_localnet').status).toBe(255);
    m.run('ip link add br0 type bridge');
    expect(m.run('sysctl -w net.ipv4.conf.br0.route_localnet=1').status).toBe(0);
    expect(m.netns.linkByName('br0')!.routeLocalnet).toBe(true);
    expect(m.fs.list('/proc/sys/net/ipv4/conf')).toEqual(['all', 'br0', 'default', 'lo']);
    expect(m.run('sysctl -a').stdout).toContain('net.ipv4.conf.br0.route_localnet = 1\n');
  });

  it('busybox sysctl texts', () => {
    const m = testMachine({ userland: 'busybox' });
    mountProcSys(m.fs, m.netns);
    expect(m.run('sysctl net.ipv4.nope')).toEqual({ stdout: '', stderr: "sysctl: error: 'net.ipv4.nope' is an unknown key\n", status: 1 });
    expect(m.run('sysctl net.ipv4.ip_forward=1').stdout).toBe('net.ipv4.ip_forward = 1\n');
  });
});

describe('ss, netstat, ip neigh, bridge fdb', () => {
  it('ss without -l lists no listening sockets; -tu adds the Netid column; bad filter', () => {
    const m = testMachine();
    m.netns.sockets.bind({ proto: 'tcp', local: { family: 4, ip: 0 }, port: 22, backlog: 128 });
    m.netns.sockets.bind({ proto: 'udp', local: { family: 4, ip: ip('127.0.0.1') }, port: 53 });
    expect(m.run('ss -tn').stdout).toBe('State Recv-Q Send-Q Local Address:Port Peer Address:Port\n');
    expect(m.run('ss -ltun').stdout).toBe(
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n' +
        'udp   UNCONN 0      0          127.0.0.1:53        0.0.0.0:*   \n' +
        'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*   \n',
    );
    expect(m.run('ss -lntz').status).toBe(255);
    expect(m.run('netstat -lnu').stdout).toBe(
      'Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      \n' +
        'udp        0      0 127.0.0.1:53            0.0.0.0:*                          \n',
    );
  });

  it('ip neigh and bridge fdb show what the walk learned', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    const docker0 = lab.host.linkByName('docker0')!;
    const veth = lab.host.portsOf(docker0.ifindex)[0];
    lab.host.neighbors.push({ ip: ip('172.17.0.2'), dev: docker0.ifindex, mac: '02:42:ac:11:00:02', state: 'REACHABLE', router: false });
    docker0.bridge!.fdb.set('02:42:ac:11:00:02', { port: veth.ifindex, local: false, ageMs: 0 });
    expect(lab.hostShell.run('ip neigh').stdout).toBe('172.17.0.2 dev docker0 lladdr 02:42:ac:11:00:02 REACHABLE \n');
    expect(lab.hostShell.run('ip neigh show dev docker0').stdout).toBe('172.17.0.2 lladdr 02:42:ac:11:00:02 REACHABLE \n');
    expect(lab.hostShell.run(`bridge fdb show dev ${veth.name}`).stdout).toBe(
      `02:42:ac:11:00:02 master docker0 \n${veth.mac} master docker0 permanent\n`,
    );
  });
});

describe('more listings', () => {
  it('ip route show table local is derived from the addresses; ip -6 route from the IPv6 ones', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    expect(lab.hostShell.run('ip route show table local').stdout).toBe(
      'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \n' +
        'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n' +
        'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \n' +
        'local 172.17.0.1 dev docker0 proto kernel scope host src 172.17.0.1 \n' +
        'broadcast 172.17.255.255 dev docker0 proto kernel scope link src 172.17.0.1 \n' +
        'local 192.168.100.200 dev eth0 proto kernel scope host src 192.168.100.200 \n' +
        'broadcast 192.168.100.255 dev eth0 proto kernel scope link src 192.168.100.200 \n',
    );
    expect(lab.hostShell.run('ip -6 route').stdout.split('\n')[0]).toBe('::1 dev lo proto kernel metric 256 pref medium');
    // A container without IPv6 has no IPv6 route at all.
    expect(lab.shellIn(0, 'gnu').run('ip -6 route').stdout).toBe('');
  });

  it('ip -o addr and ip -br addr', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    const c = lab.shellIn(0, 'gnu');
    expect(c.run('ip -o -4 addr').stdout).toBe(
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n' +
        '4: eth0    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\\       valid_lft forever preferred_lft forever\n',
    );
    expect(c.run('ip -br a').stdout).toBe('lo               UNKNOWN        127.0.0.1/8 \neth0@if5         UP             172.17.0.2/16 \n');
  });

  it('busybox ip neigh; a veth without a peer name gets the first free vethN', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    const c = lab.containers[0];
    c.neighbors.push({ ip: ip('172.17.0.1'), dev: c.linkByName('eth0')!.ifindex, mac: '02:42:b4:db:bc:36', state: 'STALE', router: false });
    c.neighbors.push({ ip: ip('172.17.0.9'), dev: c.linkByName('eth0')!.ifindex, mac: null, state: 'FAILED', router: false });
    expect(lab.shellIn(0, 'busybox').run('ip neigh').stdout).toBe(
      '172.17.0.1 dev eth0 lladdr 02:42:b4:db:bc:36 STALE\n172.17.0.9 dev eth0  FAILED\n',
    );
    expect(lab.shellIn(0, 'gnu').run('ip neigh').stdout).toBe(
      '172.17.0.1 dev eth0 lladdr 02:42:b4:db:bc:36 STALE \n172.17.0.9 dev eth0 FAILED \n',
    );
    const m = testMachine();
    expect(m.run('ip link add veth0 type veth').status).toBe(0);
    expect(m.netns.linkByName('veth1')?.kind).toBe('veth');
    expect(m.run('ip link add x1 type veth peer name x1')).toEqual({ stdout: '', stderr: 'RTNETLINK answers: File exists\n', status: 2 });
    expect(m.netns.linkByName('x1')).toBeUndefined();
  });

  it('ss -x lists no UNIX sockets (none are modelled); ss -e is refused', () => {
    const m = testMachine();
    expect(m.run('ss -xl').stdout).toBe('State Recv-Q Send-Q Local Address:Port Peer Address:Port\n');
    expect(m.run('ss -e').status).toBe(255);
  });
});

describe('ss on a terminal', () => {
  it('spreads the screen width over the columns (seed 002, tomcat container, 108 columns)', () => {
    const m = testMachine();
    m.netns.sockets.bind({ proto: 'tcp', local: { family: 4, ip: ip('127.0.0.1') }, port: 8005, backlog: 1 });
    m.netns.sockets.bind({ proto: 'tcp', local: { family: 4, ip: 0 }, port: 80, backlog: 128 });
    m.netns.sockets.bind({ proto: 'tcp', local: { family: 4, ip: 0 }, port: 8080, backlog: 100 });
    m.netns.sockets.bind({ proto: 'tcp', local: { family: 6, ip: '::' }, port: 80, backlog: 128, v6only: true });
    // The article's lines (the last one cut short there).
    const seed = [
      'State         Recv-Q        Send-Q               Local Address:Port                Peer Address:Port        ',
      'LISTEN        0             1                        127.0.0.1:8005                     0.0.0.0:*           ',
      'LISTEN        0             128                        0.0.0.0:80                       0.0.0.0:*           ',
      'LISTEN        0             100                        0.0.0.0:8080                     0.0.0.0:*           ',
      'LISTEN        0             128                           [::]:80',
    ];
    const out = m.run('COLUMNS=108 ss -tnl').stdout.split('\n');
    expect(out.slice(0, 4)).toEqual(seed.slice(0, 4));
    expect(out[4].startsWith(seed[4])).toBe(true);
  });
});

describe('netstat -r', () => {
  it('prints the routing table with the MSS/Window/irtt columns (net-tools and busybox)', () => {
    const lab = buildLab({ containers: ['172.17.0.2'] });
    const expected =
      'Kernel IP routing table\nDestination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n' +
      '0.0.0.0         172.17.0.1      0.0.0.0         UG        0 0          0 eth0\n' +
      '172.17.0.0      0.0.0.0         255.255.0.0     U         0 0          0 eth0\n';
    expect(lab.shellIn(0, 'gnu').run('netstat -rn').stdout).toBe(expected);
    expect(lab.shellIn(0, 'busybox').run('netstat -rn').stdout).toBe(expected);
  });
});

describe('ip netns', () => {
  it('a namespace built by hand: veth into it, addresses, routes, and a ping the packet walk answers', () => {
    const m = testMachine();
    expect(m.run('ip netns add ns1').status).toBe(0);
    expect(m.run('ip netns add ns1')).toEqual({
      stdout: '',
      stderr: 'Cannot create namespace file "/var/run/netns/ns1": File exists\n',
      status: 1,
    });
    // A new namespace: lo down, no address, no qdisc yet.
    expect(m.run('ip netns exec ns1 ip addr').stdout).toBe(
      '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n',
    );
    for (const c of [
      'ip link add veth0 type veth peer name veth1',
      'ip link set veth1 netns ns1',
      'ip netns exec ns1 ip link set lo up',
      'ip netns exec ns1 ip addr add 10.1.1.2/24 dev veth1',
      'ip -n ns1 link set veth1 up',
      'ip addr add 10.1.1.1/24 dev veth0',
      'ip link set veth0 up',
    ])
      expect(m.run(c), c).toEqual({ stdout: '', stderr: '', status: 0 });
    expect(m.run('ip netns list').stdout).toBe('ns1 (id: 0)\n');
    expect(m.run('ip link show veth0').stdout).toContain('3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP>');
    expect(m.run('ip netns exec ns1 ip route').stdout).toBe('10.1.1.0/24 dev veth1 proto kernel scope link src 10.1.1.2 \n');
    expect(m.run('ip netns exec ns1 ip -4 addr show lo').stdout).toContain('inet 127.0.0.1/8 scope host lo');
    const ping = m.run('ip netns exec ns1 ping -c 1 10.1.1.1');
    expect(ping.status).toBe(0);
    expect(ping.stdout).toContain('1 packets transmitted, 1 received');
    expect(m.run('ip netns exec nope ip a')).toEqual({
      stdout: '',
      stderr: 'Cannot open network namespace "nope": No such file or directory\n',
      status: 1,
    });
    expect(m.run('ip link set veth0 netns nope')).toEqual({
      stdout: '',
      stderr: 'Error: argument "nope" is wrong: Invalid "netns" value\n\n',
      status: 255,
    });
    expect(m.run('ip netns del ns1').status).toBe(0);
    // Deleting the namespace deleted veth1, and with it its peer.
    expect(m.netns.linkByName('veth0')).toBeUndefined();
    expect(m.run('ip netns del ns1')).toEqual({
      stdout: '',
      stderr: 'Cannot remove namespace file "/var/run/netns/ns1": No such file or directory\n',
      status: 1,
    });
  });
});

describe('ip route replace/change', () => {
  it('replace creates or swaps; change needs the route', () => {
    const lab = buildLab({ containers: ['172.17.0.2', '172.17.0.3'] });
    const h = lab.hostShell;
    expect(h.run('ip route change 10.4.0.0/16 via 172.17.0.2')).toEqual({
      stdout: '',
      stderr: 'RTNETLINK answers: No such file or directory\n',
      status: 2,
    });
    expect(h.run('ip route replace 10.4.0.0/16 via 172.17.0.2').status).toBe(0);
    expect(h.run('ip route change 10.4.0.0/16 via 172.17.0.3').status).toBe(0);
    expect(h.run('ip route show 10.4.0.0/16').stdout).toBe('10.4.0.0/16 via 172.17.0.3 dev docker0 \n');
  });
});

describe('ip link add: unsupported kinds', () => {
  it('answers as a kernel without the driver would', () => {
    const m = testMachine();
    expect(m.run('ip link add link lo name lo.10 type vlan id 10')).toEqual({
      stdout: '',
      stderr: 'Error: Unknown device type.\n',
      status: 2,
    });
    expect(m.run('ip link add br1 type bridge').status).toBe(0);
    expect(m.run('ip link show br1').stdout).toContain(
      'br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
    );
  });
});
