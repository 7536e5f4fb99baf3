import { describe, expect, it } from 'vitest';
import { grade } from '../../src/sim/snapshot/grader.ts';
import { canonicalSnapshot, normaliseLine } from '../../src/sim/snapshot/canonical.ts';
import { DEFAULT_TOLERANCE } from '../../src/sim/snapshot/exercise.ts';
import type { Probe, Snapshot } from '../../src/sim/snapshot/types.ts';
import { parseExerciseText } from '../../src/exercise/load.ts';
import { container, DB_ID, ep, host, linkedSnapshot, network } from './fixtures.ts';

const LINKS = parseExerciseText(`
id: t-links
chapter: legacy-links
title: t
difficulty: easy
task: t
setup: [docker run -d --name db mysql]
checks:
  - id: web-running
    container: { name: web, state: running }
  - id: alias-in-hosts
    file: { container: web, path: /etc/hosts, hasLines: "{{ip db}}\\tdatabase {{shortId db}} db" }
  - id: env
    container: { name: web, env: ["DATABASE_PORT_3306_TCP_ADDR={{ip db}}"] }
  - id: no-network
    forbid: { command: docker network create }
  - id: no-dash-net
    forbid: { flag: --network }
solution: [docker run -dit --name web --link db:database centos:7]
`);

describe('grade', () => {
  it('passes the right state and reports every check in order', () => {
    const r = grade(linkedSnapshot('database'), LINKS, [
      { host: 'docker-node1', command: 'docker run -dit --name web --link db:database centos:7' },
    ]);
    expect(r.status).toBe('passed');
    expect(r.checks.map((c) => c.id)).toEqual(['web-running', 'alias-in-hosts', 'env', 'no-network', 'no-dash-net']);
    expect(r.score).toBe(5);
    expect(r.maxScore).toBe(5);
  });

  it('ignores ids: the same state with other container ids passes', () => {
    const s = linkedSnapshot('database');
    const newId = 'f'.repeat(64);
    const h = s.hosts[0];
    const db = h.containers.find((c) => c.name === 'db')!;
    db.id = newId;
    const web = h.containers.find((c) => c.name === 'web')!;
    web.files.hosts = web.files.hosts!.replace('a07c5d7d66a4', newId.slice(0, 12));
    expect(grade(s, LINKS).status).toBe('passed');
  });

  it('fails a link without the alias on the hosts check, with a targeted message', () => {
    const r = grade(linkedSnapshot(null), LINKS);
    expect(r.status).toBe('failed');
    const c = r.checks.find((x) => x.id === 'alias-in-hosts')!;
    expect(c.passed).toBe(false);
    expect(c.points).toBe(0);
    expect(c.message).toBe("`web`'s /etc/hosts has no line `172.17.0.2 database a07c5d7d66a4 db`");
    expect(c.actual).toContain('172.17.0.2\tdb a07c5d7d66a4');
    expect(r.checks.find((x) => x.id === 'env')!.message).toBe("`web`'s environment has no DATABASE_PORT_3306_TCP_ADDR");
  });

  it('an attempt that solves nothing earns no points for what it did not use', () => {
    const s = linkedSnapshot();
    s.hosts[0].containers = s.hosts[0].containers.filter((c) => c.name !== 'web');
    const r = grade(s, LINKS, []);
    expect(r.checks.find((c) => c.id === 'no-network')).toMatchObject({ passed: true, points: 0 });
    expect(r.score).toBe(0);
  });

  it('reports a missing container first', () => {
    const s = linkedSnapshot();
    s.hosts[0].containers = s.hosts[0].containers.filter((c) => c.name !== 'web');
    const r = grade(s, LINKS);
    expect(r.checks[0]).toMatchObject({ id: 'web-running', passed: false, message: 'there is no container `web`' });
    expect(r.checks[1].message).toBe('there is no container `web`');
  });

  it('forbid checks read the command log, including --flag=value, clusters and compound lines', () => {
    const run = (command: string) => grade(linkedSnapshot(), LINKS, [{ host: 'docker-node1', command }]).checks;
    expect(run('docker network create n && docker run -d x').find((c) => c.id === 'no-network')!.passed).toBe(false);
    expect(run('docker run -d --network=n --name web x').find((c) => c.id === 'no-dash-net')!.message).toBe(
      'you used `--network` (in `docker run -d --network=n --name web x`): solve it without it',
    );
    // Arguments of the container's own command are not docker's flags.
    expect(run('docker run -d --name web busybox sh -c "echo --network"').find((c) => c.id === 'no-dash-net')!.passed).toBe(true);
    expect(run('echo docker network create').find((c) => c.id === 'no-network')!.passed).toBe(true);
    expect(run('for i in 1; do docker network create n$i; done').find((c) => c.id === 'no-network')!.passed).toBe(false);
  });
});

const NETS = parseExerciseText(`
id: t-nets
chapter: user-defined-networks
title: t
difficulty: medium
task: t
checks:
  - id: front
    network: { name: front, subnet: 10.10.0.0/24 }
  - id: back
    network: { name: back, internal: true }
  - id: web-nets
    container: { name: web, networks: [front, back], notNetworks: [bridge] }
  - id: web-ip
    address: { container: web, network: front, ip: 10.10.0.10 }
  - id: db-ip
    address: { container: db, network: back, inSubnet: "{{subnet back}}", aliases: [database] }
  - id: isolation
    rule: { table: filter, ordered: true, rules: ["-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1"] }
  - id: no-accept
    rule: { table: filter, present: false, rules: ["-A DOCKER-USER -j ACCEPT"] }
  - id: published
    published: { container: web, port: "80", hostPort: 8080 }
  - id: web-to-db
    reach: { from: web, to: "db:6379/tcp", expect: yes }
  - id: outside-no
    reach: { from: db, to: "1.1.1.1", expect: no }
cleanState: true
solution: [x]
`);

function netsSnapshot(): Snapshot {
  const h = host();
  h.networks.push(
    network('front', { subnet: '10.10.0.0/24', gateway: '10.10.0.1' }),
    network('back', { subnet: '172.19.0.0/16', gateway: '172.19.0.1', internal: true }),
  );
  h.containers.push(
    container('web', 'b'.repeat(64), {
      networkMode: 'front',
      networks: [ep('back', '172.19.0.3'), ep('front', '10.10.0.10')],
      ports: [{ containerPort: '80/tcp', hostIp: '0.0.0.0', hostPort: 8080 }],
    }),
    container('db', DB_ID, { networkMode: 'back', networks: [ep('back', '172.19.0.2', { aliases: ['database'] })] }),
  );
  h.iptables.filter.push('-A DOCKER-USER -j RETURN');
  return { version: 1, hosts: [h] };
}

const probe: Probe = (q) => (q.to === 'db' ? 'open' : 'timeout');

describe('grade: networks, addresses, rules, ports, reachability, clean state', () => {
  it('passes', () => {
    const r = grade(netsSnapshot(), NETS, [], probe);
    expect(r.checks.filter((c) => !c.passed)).toEqual([]);
    expect(r.checks.at(-1)!.id).toBe('clean-state');
  });

  it('says which network is missing', () => {
    const s = netsSnapshot();
    const web = s.hosts[0].containers.find((c) => c.name === 'web')!;
    web.networks = web.networks.filter((e) => e.network !== 'back');
    const c = grade(s, NETS, [], probe).checks.find((x) => x.id === 'web-nets')!;
    expect(c.message).toBe('`web` is on `front` but not on `back`');
    expect(c.expected).toBe('on front, back');
    expect(c.actual).toBe('on front');
  });

  it('network properties, address, alias', () => {
    const s = netsSnapshot();
    s.hosts[0].networks.find((n) => n.name === 'front')!.subnet = '172.18.0.0/16';
    s.hosts[0].networks.find((n) => n.name === 'back')!.internal = false;
    const db = s.hosts[0].containers.find((c) => c.name === 'db')!;
    db.networks[0].aliases = [];
    const web = s.hosts[0].containers.find((c) => c.name === 'web')!;
    web.networks[1].ip = '10.10.0.2';
    const r = grade(s, NETS, [], probe);
    const msg = (id: string) => r.checks.find((x) => x.id === id)!.message;
    expect(msg('front')).toBe('network `front` has subnet 172.18.0.0/16, expected 10.10.0.0/24');
    expect(msg('back')).toBe('network `back` is not internal');
    expect(msg('web-ip')).toBe('`web` has 10.10.0.2 on `front`, expected 10.10.0.10');
    expect(msg('db-ip')).toBe('`db` has no alias `database` on `back`');
  });

  it('rules: presence, absence and order', () => {
    const s = netsSnapshot();
    const f = s.hosts[0].iptables.filter;
    const i = f.indexOf('-A FORWARD -j DOCKER-USER');
    f.splice(i, 1);
    f.splice(i + 1, 0, '-A FORWARD -j DOCKER-USER');
    f.push('-A DOCKER-USER -j ACCEPT');
    const r = grade(s, NETS, [], probe);
    expect(r.checks.find((x) => x.id === 'isolation')!.message).toBe(
      'in the filter table, `-A FORWARD -j DOCKER-ISOLATION-STAGE-1` comes before `-A FORWARD -j DOCKER-USER`; it must come after it',
    );
    expect(r.checks.find((x) => x.id === 'no-accept')!.message).toBe('the filter table still has the rule `-A DOCKER-USER -j ACCEPT`');
  });

  it('published ports and reachability', () => {
    const s = netsSnapshot();
    s.hosts[0].containers.find((c) => c.name === 'web')!.ports = [{ containerPort: '80/tcp', hostIp: '0.0.0.0', hostPort: 49153 }];
    const r = grade(s, NETS, [], () => 'timeout');
    expect(r.checks.find((x) => x.id === 'published')!.message).toBe('`web` publishes 80/tcp on 0.0.0.0:49153, expected host port 8080');
    expect(r.checks.find((x) => x.id === 'web-to-db')!.message).toBe('`web` gets no answer from `db:6379/tcp`');
    expect(r.checks.find((x) => x.id === 'outside-no')!.passed).toBe(true);
    const r2 = grade(s, NETS, [], () => 'open');
    expect(r2.checks.find((x) => x.id === 'outside-no')!.message).toBe('`db` can reach `1.1.1.1 (ping)`; it must not');
    const r3 = grade(s, NETS);
    expect(r3.checks.find((x) => x.id === 'web-to-db')!.message).toMatch(/no probe/);
  });

  it('clean state catches leftovers but allows what the exercise names', () => {
    const s = netsSnapshot();
    s.hosts[0].containers.push(container('test1', 'c'.repeat(64)));
    s.hosts[0].networks.push(network('old'));
    const r = grade(s, NETS, [], probe);
    expect(r.checks.at(-1)).toMatchObject({
      id: 'clean-state',
      passed: false,
      message: 'this exercise needs a clean state: remove `test1`',
    });
    // Without cleanState, extras are tolerated.
    expect(grade(s, { ...NETS, cleanState: false }, [], probe).status).toBe('passed');
  });

  it('a template that cannot be evaluated fails its check with the reason', () => {
    const s = netsSnapshot();
    s.hosts[0].networks = s.hosts[0].networks.filter((n) => n.name !== 'back');
    const c = grade(s, NETS, [], probe).checks.find((x) => x.id === 'db-ip')!;
    expect(c.passed).toBe(false);
    expect(c.message).toBe('there is no network `back`');
  });
});

describe('tolerance', () => {
  it('normalises ids, MACs, veth names and ephemeral ports only when told to ignore them', () => {
    const rule = '-A DOCKER ! -i br-0123456789ab -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.18.0.2:80';
    expect(normaliseLine(rule, DEFAULT_TOLERANCE)).toBe(
      '-A DOCKER ! -i br-<ID> -p tcp -m tcp --dport <PORT> -j DNAT --to-destination 172.18.0.2:80',
    );
    expect(normaliseLine(rule, { ...DEFAULT_TOLERANCE, ids: 'compare', ephemeralPorts: 'compare' })).toBe(rule);
    expect(normaliseLine('-A FORWARD -i veth1a2b3c4 -j ACCEPT', DEFAULT_TOLERANCE)).toBe('-A FORWARD -i <VETH> -j ACCEPT');
    expect(normaliseLine('172.17.0.2\tdb   a07c5d7d66a4', DEFAULT_TOLERANCE)).toBe('172.17.0.2 db <ID>');
    // 8080 is not ephemeral: always compared.
    expect(normaliseLine('--dport 8080', DEFAULT_TOLERANCE)).toBe('--dport 8080');
  });

  it('a check can ask to compare ids', () => {
    const ex = parseExerciseText(`
id: t-ids
chapter: legacy-links
title: t
difficulty: easy
task: t
checks:
  - id: exact
    tolerance: { ids: compare }
    file: { container: web, path: /etc/hosts, hasLines: "172.17.0.2 database 000000000000 db" }
solution: [x]
`);
    expect(grade(linkedSnapshot(), ex).status).toBe('failed');
  });

  it('canonical snapshots of labs that differ only in ids are equal', () => {
    const a = linkedSnapshot();
    const b = linkedSnapshot();
    const db = b.hosts[0].containers.find((c) => c.name === 'db')!;
    const web = b.hosts[0].containers.find((c) => c.name === 'web')!;
    web.files.hosts = web.files.hosts!.replace(DB_ID.slice(0, 12), 'd'.repeat(12));
    db.files.hosts = db.files.hosts!.replace(DB_ID.slice(0, 12), 'd'.repeat(12));
    db.id = 'd'.repeat(64);
    db.hostname = 'd'.repeat(12);
    a.hosts[0].containers.find((c) => c.name === 'db')!.hostname = DB_ID.slice(0, 12);
    expect(canonicalSnapshot(b)).toEqual(canonicalSnapshot(a));
    expect(JSON.stringify(canonicalSnapshot(a))).not.toContain(DB_ID.slice(0, 12));
  });
});
