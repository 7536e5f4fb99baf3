/**
 * `dnlab exercise` and `dnlab grade` plumbing, with a test double for the lab (a few `docker run`
 * forms turned into a snapshot), so these run whether or not the engine is ready. The real
 * simulator is exercised by solutions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createLab } from '../../src/sim/index.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExercise } from '../../src/cli/exercise.ts';
import { runAssign, runGrade, type CliIo } from '../../src/cli/grade.ts';
import type { GradingEnv } from '../../src/exercise/runner.ts';
import { createSubmission, exportAttempt, readAssignment } from '../../src/exercise/bundles.ts';
import { simpleCommands } from '../../src/sim/snapshot/commandlog.ts';
import { container, ep, host } from './fixtures.ts';

/** A stand-in lab: `docker run ... --name N [-p H:C] IMAGE` adds a running container on bridge. */
const fakeEnv: GradingEnv = {
  createLab() {
    const h = host();
    let next = 2;
    return {
      exec(command) {
        for (const argv of simpleCommands(command)) {
          if (argv[0] !== 'docker' || argv[1] !== 'run') continue;
          const name = argv[argv.indexOf('--name') + 1];
          const p = argv.indexOf('-p');
          const id = (name + 'x'.repeat(64)).replace(/[^0-9a-f]/g, 'a').slice(0, 64);
          const c = container(name, id, { image: argv[argv.length - 1], networks: [ep('bridge', `172.17.0.${next++}`)] });
          if (p >= 0) {
            const [hp, cp] = argv[p + 1].split(':');
            c.ports.push({ containerPort: `${cp}/tcp`, hostIp: '0.0.0.0', hostPort: Number(hp) });
          }
          h.containers.push(c);
        }
        return { output: '', exit: 0 };
      },
      snapshot: () => ({ version: 1, hosts: [structuredClone(h)] }),
      probe: () => 'timeout',
    };
  },
};

function io(): CliIo & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t) };
  return o;
}

const dir = mkdtempSync(join(tmpdir(), 'dnlab-ex-'));
const exDir = join(dir, 'exercises');
mkdirSync(exDir);
writeFileSync(
  join(exDir, 'pub.yaml'),
  `id: pub
chapter: publishing-ports
title: Publish
difficulty: easy
task: Publish nginx on 8080.
checks:
  - id: web-running
    container: { name: web, state: running }
  - id: published
    published: { container: web, port: "80", hostPort: 8080 }
  - id: no-dash-p
    forbid: { flag: -P }
solution: [docker run -d --name web -p 8080:80 nginx]
wrong:
  - commands: [docker run -d --name web -p 80:8080 nginx]
    fails: published
`,
);
writeFileSync(
  join(exDir, 'two.yaml'),
  `id: two
chapter: default-bridge
title: Two
difficulty: easy
task: Run c1.
checks:
  - id: c1
    container: { name: c1, state: running }
solution: [docker run -d --name c1 busybox]
`,
);

describe('dnlab exercise', () => {
  it('check --solution / --wrong / --log, with exit status and messages', () => {
    let o = io();
    expect(runExercise(['check', 'pub', '--solution', '--exercises', exDir], o, fakeEnv)).toBe(0);
    expect(o.stdout).toBe('✓ web-running\n✓ published\n✓ no-dash-p\nPASSED pub: 3/3\n');
    o = io();
    expect(runExercise(['check', 'pub', '--wrong', '1', '--exercises', exDir], o, fakeEnv)).toBe(1);
    expect(o.stdout).toContain('✗ published\n    `web` does not publish 80/tcp\n');
    const log = join(dir, 'log.txt');
    writeFileSync(log, '# my attempt\ndocker run -d --name web -P nginx\n');
    o = io();
    expect(runExercise(['check', 'pub', '--log', log, '--json', '--exercises', exDir], o, fakeEnv)).toBe(1);
    const r = JSON.parse(o.stdout);
    expect(r.checks.find((c: { id: string }) => c.id === 'no-dash-p')).toMatchObject({
      passed: false,
      message: 'you used `-P` (in `docker run -d --name web -P nginx`): solve it without it',
    });
    o = io();
    expect(runExercise(['check', 'nope', '--solution', '--exercises', exDir], o, fakeEnv)).toBe(1);
    expect(o.stderr).toBe('dnlab exercise: no exercise nope (see dnlab exercise list)\n');
    o = io();
    expect(runExercise(['check', 'pub', '--exercises', exDir], o, fakeEnv)).toBe(2);
    o = io();
    expect(runExercise(['check', 'pub', '--log', join(dir, 'missing'), '--exercises', exDir], o, fakeEnv)).toBe(1);
    expect(o.stderr).toMatch(/No such file or directory/);
  });

  it('list and validate', () => {
    const o = io();
    expect(runExercise(['list', '--json', '--exercises', exDir], o, fakeEnv)).toBe(0);
    expect(JSON.parse(o.stdout).map((e: { id: string }) => e.id)).toEqual(['pub', 'two']);
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'x.yaml'), 'id: x\n');
    const o2 = io();
    expect(runExercise(['validate', bad], o2, fakeEnv)).toBe(1);
    expect(o2.stdout).toBe('0/1 exercise files valid\n');
  });
});

describe('dnlab grade', () => {
  const o = io();
  expect(runAssign(['--title', 'Week 1', '--exercises', exDir, 'pub', 'two'], o), o.stderr).toBe(0);
  const assignmentFile = join(dir, 'assignment.json');
  writeFileSync(assignmentFile, o.stdout);
  const assignment = readAssignment(o.stdout);
  const subs = join(dir, 'subs');
  mkdirSync(subs);
  const write = (name: string, s: object) => writeFileSync(join(subs, name), JSON.stringify(s));
  const cmd = (command: string) => ({ host: 'docker-node1', command });
  write(
    'ada.json',
    createSubmission({
      learner: 'Ada',
      assignment,
      attempts: [
        {
          exerciseId: 'pub',
          seed: 1,
          log: [cmd('docker run -d --name web -p 8080:80 nginx')],
          claimed: { status: 'passed', score: 3, maxScore: 3 },
        },
        { exerciseId: 'two', seed: 1, log: [cmd('docker run -d --name c1 busybox')] },
      ],
      at: new Date(0),
    }),
  );
  // Tampered: claims passes its logs do not earn, and leaves one exercise out.
  write(
    'mallory.json',
    createSubmission({
      learner: 'Mallory, M.',
      assignment,
      attempts: [{ exerciseId: 'pub', seed: 1, log: [cmd('echo "I did it"')], claimed: { status: 'passed', score: 3, maxScore: 3 } }],
      at: new Date(0),
    }),
  );
  writeFileSync(join(subs, 'broken.json'), '{"format": "dnlab-submission"');

  it('writes one CSV row per learner and exercise; claims are ignored', () => {
    const csv = join(dir, 'out.csv');
    const g = io();
    expect(runGrade(['--assignment', assignmentFile, subs, '--csv', csv, '--exercises', exDir], g, fakeEnv)).toBe(1);
    expect(g.stderr).toMatch(/broken\.json: submission is not valid JSON/);
    const rows = readFileSync(csv, 'utf8').split('\n');
    expect(rows[3]).toMatch(new RegExp(`^,${join(subs, 'broken.json')},,error,0,0,,,"submission is not valid JSON: `));
    rows[3] = '<broken>';
    expect(rows.join('\n')).toBe(
      [
        'learner,file,exercise,status,score,max_score,first_failure,claimed,notes',
        `Ada,${join(subs, 'ada.json')},pub,passed,3,3,,passed 3/3,`,
        `Ada,${join(subs, 'ada.json')},two,passed,1,1,,,`,
        '<broken>',
        `"Mallory, M.",${join(subs, 'mallory.json')},pub,failed,0,3,web-running: there is no container ` +
          '`web`' +
          `,passed 3/3,claimed a pass the replay does not confirm`,
        `"Mallory, M.",${join(subs, 'mallory.json')},two,missing,0,0,,,`,
      ].join('\n') + '\n',
    );
  });

  it('--json gives per-submission, per-check results; a link works as the assignment', () => {
    const g = io();
    const link = `https://lab.example/assign/#a=${Buffer.from(JSON.stringify(assignment)).toString('base64url')}`;
    runGrade(['--assignment', link, join(subs, 'ada.json'), join(subs, 'mallory.json'), '--json', '--exercises', exDir], g, fakeEnv);
    const j = JSON.parse(g.stdout);
    expect(j.submissions.map((s: { learner: string; score: number; maxScore: number }) => [s.learner, s.score, s.maxScore])).toEqual([
      ['Ada', 4, 4],
      ['Mallory, M.', 0, 3],
    ]);
    expect(j.submissions[0].results[0].checks.map((c: { id: string; passed: boolean }) => [c.id, c.passed])).toEqual([
      ['web-running', true],
      ['published', true],
      ['no-dash-p', true],
    ]);
  });

  it('an edited assignment is refused; attempt files grade without one', () => {
    const g = io();
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...assignment, exercises: ['pub'] }));
    expect(runGrade(['--assignment', edited, subs, '--exercises', exDir], g, fakeEnv)).toBe(1);
    expect(g.stderr).toMatch(/modified after it was created/);
    const att = join(dir, 'attempt.json');
    writeFileSync(att, exportAttempt({ exerciseId: 'two', seed: 5, log: [cmd('docker run -d --name c1 busybox')] }));
    const g2 = io();
    expect(runGrade([att, '--exercises', exDir], g2, fakeEnv)).toBe(0);
    expect(g2.stdout).toBe(`learner,file,exercise,status,score,max_score,first_failure,claimed,notes\n,${att},two,passed,1,1,,,\n`);
  });
});

describe('dnlab grade through the real simulator', () => {
  let dockerAvailable: boolean;
  try {
    dockerAvailable = createLab({ seed: 1 }).exec('docker version').exit === 0;
  } catch {
    dockerAvailable = false;
  }

  it.skipIf(!dockerAvailable)('replays each submission; a tampered claim does not pass', { timeout: 90_000 }, () => {
    const d = mkdtempSync(join(tmpdir(), 'dnlab-grade-'));
    const assignmentFile = join(d, 'a.json');
    execFileSync(process.execPath, ['bin/dnlab.mjs', 'assign', '--title', 'Links', '-o', assignmentFile, 'links-alias'], {
      encoding: 'utf8',
    });
    const assignment = readAssignment(readFileSync(assignmentFile, 'utf8'));
    const sub = (learner: string, command: string) =>
      JSON.stringify(
        createSubmission({
          learner,
          assignment,
          attempts: [{ exerciseId: 'links-alias', seed: 3, log: [{ host: 'docker-node1', command }], claimed: { status: 'passed' } }],
          at: new Date(0),
        }),
      );
    mkdirSync(join(d, 'subs'));
    writeFileSync(join(d, 'subs', 'ada.json'), sub('Ada', 'docker run -dit --name web --link db:database centos:7'));
    writeFileSync(join(d, 'subs', 'eve.json'), sub('Eve', 'docker run -dit --name web --link db centos:7'));
    const out = execFileSync(process.execPath, ['bin/dnlab.mjs', 'grade', '--assignment', assignmentFile, join(d, 'subs'), '--json'], {
      encoding: 'utf8',
    });
    const j = JSON.parse(out) as {
      submissions: { learner: string; results: { status: string; notes: string[]; checks: { id: string; passed: boolean }[] }[] }[];
    };
    expect(j.submissions.map((s) => [s.learner, s.results[0].status])).toEqual([
      ['Ada', 'passed'],
      ['Eve', 'failed'],
    ]);
    expect(j.submissions[1].results[0].notes).toEqual(['claimed a pass the replay does not confirm']);
    expect(j.submissions[1].results[0].checks.find((c) => !c.passed)!.id).toBe('web-linked');
  });
});
