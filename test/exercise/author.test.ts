import { describe, expect, it } from 'vitest';
import { captureChecks, captureExercise } from '../../src/exercise/author.ts';
import { parseExerciseText } from '../../src/exercise/load.ts';
import { grade } from '../../src/sim/snapshot/grader.ts';
import { linkedSnapshot, network } from './fixtures.ts';

describe('capture as expected', () => {
  it('describes the state with templates, and the captured exercise passes on that state', () => {
    const s = linkedSnapshot('database');
    const h = s.hosts[0];
    h.networks.push(network('app', { subnet: '10.5.0.0/24', gateway: '10.5.0.1' }), network('auto', { subnet: '172.18.0.0/16' }));
    h.containers[1].ports = [
      { containerPort: '80/tcp', hostIp: '0.0.0.0', hostPort: 8080 },
      { containerPort: '80/tcp', hostIp: '::', hostPort: 8080 },
      { containerPort: '81/tcp', hostIp: '0.0.0.0', hostPort: 49153 },
    ];
    const checks = captureChecks(h);
    expect(checks.map((c) => c.id)).toEqual([
      'network-app',
      'network-auto',
      'container-db',
      'container-web',
      'published-web-80-tcp',
      'published-web-81-tcp',
      'hosts-web',
    ]);
    expect(checks[1]).toMatchObject({ network: { name: 'auto', exists: true, driver: 'bridge' } });
    expect(checks[1]).not.toHaveProperty('network.subnet');
    expect(checks.find((c) => c.id === 'published-web-81-tcp')).not.toHaveProperty('published.hostPort');
    expect(checks.find((c) => c.id === 'hosts-web')).toMatchObject({ file: { hasLines: ['{{ip db}}\tdatabase {{shortId db}} db'] } });
    const text = captureExercise({ id: 'cap', chapter: 'legacy-links', title: 'Cap', setup: [], solution: ['docker run x'], snapshot: s });
    const ex = parseExerciseText(text);
    expect(grade(s, ex).status).toBe('passed');
    // The same state with other ids still passes: the captured lines are templated.
    s.hosts[0].containers[0].id = 'e'.repeat(64);
    s.hosts[0].containers[1].files.hosts = s.hosts[0].containers[1].files.hosts!.replace('a07c5d7d66a4', 'e'.repeat(12));
    expect(grade(s, ex).status).toBe('passed');
  });
});
