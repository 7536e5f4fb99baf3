/** Hand-built snapshots for grader tests: the states of golden transcripts 02 (links) and 03 (user-defined bridges). */
import type { ContainerSnapshot, HostSnapshot, NetworkSnapshot, Snapshot } from '../../src/sim/snapshot/types.ts';

export const DB_ID = 'a07c5d7d66a4959e22ff72be0bb80b30f3b41ae1cb49f763b58ea33d4eb3cd80';
export const WEB_ID = '482d8f7f2de5927ce31223ab7984b23ba25c67318b920c517c371a31ebeeea0c';

const HOSTS_HEAD =
  '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

export function network(name: string, over: Partial<NetworkSnapshot> = {}): NetworkSnapshot {
  return {
    name,
    id: (name + '0'.repeat(64)).replace(/[^0-9a-f]/g, 'e').slice(0, 64),
    driver: 'bridge',
    scope: 'local',
    subnet: null,
    gateway: null,
    ipRange: null,
    internal: false,
    options: {},
    bridge: null,
    ...over,
  };
}

export function container(name: string, id: string, over: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
  return {
    name,
    id,
    image: 'busybox',
    state: 'running',
    hostname: id.slice(0, 12),
    networkMode: 'default',
    networks: [],
    links: [],
    ports: [],
    exposed: [],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    dns: [],
    dnsSearch: [],
    extraHosts: [],
    files: { hosts: HOSTS_HEAD + `172.17.0.9\t${id.slice(0, 12)}\n`, resolvConf: 'nameserver 192.168.100.1\n' },
    ...over,
  };
}

export function defaultNetworks(): NetworkSnapshot[] {
  return [
    network('bridge', {
      subnet: '172.17.0.0/16',
      gateway: '172.17.0.1',
      bridge: 'docker0',
      options: { 'com.docker.network.bridge.name': 'docker0' },
    }),
    network('host', { driver: 'host' }),
    network('none', { driver: 'null' }),
  ];
}

export function host(over: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    name: 'docker-node1',
    daemon: {},
    networks: defaultNetworks(),
    containers: [],
    iptables: {
      nat: [
        '-P PREROUTING ACCEPT',
        '-N DOCKER',
        '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
        '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
        '-A DOCKER -i docker0 -j RETURN',
      ],
      filter: [
        '-P FORWARD DROP',
        '-N DOCKER',
        '-N DOCKER-ISOLATION-STAGE-1',
        '-N DOCKER-ISOLATION-STAGE-2',
        '-N DOCKER-USER',
        '-A FORWARD -j DOCKER-USER',
        '-A FORWARD -j DOCKER-ISOLATION-STAGE-1',
        '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A FORWARD -o docker0 -j DOCKER',
        '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
        '-A FORWARD -i docker0 -o docker0 -j ACCEPT',
      ],
    },
    routes: ['default via 192.168.100.1 dev eth0', '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1'],
    ...over,
  };
}

const ep = (network: string, ip: string, over: Partial<ContainerSnapshot['networks'][number]> = {}) => ({
  network,
  ip,
  prefix: 16,
  gateway: ip.replace(/\.\d+$/, '.1'),
  mac:
    '02:42:' +
    ip
      .split('.')
      .map((b) => Number(b).toString(16).padStart(2, '0'))
      .join(':'),
  aliases: [],
  links: [],
  ...over,
});
export { ep };

/** Golden 02: `db` (mysql) and `web` linked to it as `database`. */
export function linkedSnapshot(alias: string | null = 'database'): Snapshot {
  const db = container('db', DB_ID, {
    image: 'mysql',
    networks: [ep('bridge', '172.17.0.2')],
    exposed: ['3306/tcp', '33060/tcp'],
    files: { hosts: HOSTS_HEAD + '172.17.0.2\ta07c5d7d66a4\n', resolvConf: 'nameserver 192.168.100.1\n' },
  });
  const line = alias ? `172.17.0.2\t${alias} a07c5d7d66a4 db\n` : '172.17.0.2\tdb a07c5d7d66a4\n';
  const web = container('web', WEB_ID, {
    image: 'centos:7',
    networks: [ep('bridge', '172.17.0.3')],
    links: [`db:${alias ?? 'db'}`],
    env: [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `${(alias ?? 'db').toUpperCase()}_PORT_3306_TCP_ADDR=172.17.0.2`,
    ],
    files: { hosts: HOSTS_HEAD + line + '172.17.0.3\t482d8f7f2de5\n', resolvConf: 'nameserver 192.168.100.1\n' },
  });
  return { version: 1, hosts: [host({ containers: [db, web] })] };
}
