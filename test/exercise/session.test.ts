import { describe, expect, it } from 'vitest';
import { ExerciseSession, highlightFor } from '../../src/exercise/session.ts';
import { emptyProgress } from '../../src/exercise/progress.ts';
import type { GradingEnv } from '../../src/exercise/runner.ts';
import { parseExerciseText } from '../../src/exercise/load.ts';
import { linkedSnapshot } from './fixtures.ts';

const ex = parseExerciseText(`
id: s
chapter: legacy-links
title: t
difficulty: easy
task: t
checks:
  - id: web-linked
    container: { name: web, links: ['db:database'] }
    hint: use --link db:database
  - id: reach
    reach: { from: web, to: 'database:3306/tcp', expect: yes }
    hint: the alias resolves through /etc/hosts
hints: [general one, general two]
solution: [docker run -dit --name web --link db:database centos:7]
`);

/** A lab double: the snapshot of golden 02 with or without the alias; reachability answers open. */
const env = (alias: string | null): GradingEnv => ({
  createLab: () => ({ exec: () => ({ output: '', exit: 0 }), snapshot: () => linkedSnapshot(alias), probe: () => 'open' }),
});

describe('ExerciseSession', () => {
  it('live checklist leaves reach checks pending until Check, then uses its result', () => {
    const s = new ExerciseSession(ex, env('database'));
    const log = [{ host: 'docker-node1', command: 'docker run -dit --name web --link db:database centos:7' }];
    let items = s.live(linkedSnapshot('database'), log);
    expect(items).toEqual([
      { id: 'web-linked', state: 'passed', message: '' },
      { id: 'reach', state: 'pending', message: 'press Check to test reachability' },
    ]);
    expect(ExerciseSession.complete(items)).toBe(false);
    const { result, progress } = s.check(1, log, emptyProgress(), new Date('2026-12-02T00:00:00Z'));
    expect(result.status).toBe('passed');
    expect(progress.exercises.s).toMatchObject({ status: 'passed', passingAttempt: { seed: 1, log } });
    items = s.live(linkedSnapshot('database'), log);
    expect(ExerciseSession.complete(items)).toBe(true);
  });

  it('evaluate() updates reach checks without recording progress', () => {
    const s = new ExerciseSession(ex, env('database'));
    const log = [{ host: 'docker-node1', command: 'x' }];
    expect(s.evaluate(1, log).status).toBe('passed');
    expect(ExerciseSession.complete(s.live(linkedSnapshot('database'), log))).toBe(true);
    expect(s.canShowSolution()).toBe(false);
  });

  it('hints one at a time, the failing check first; the solution only after a Check', () => {
    const s = new ExerciseSession(ex, env(null));
    expect(s.nextHint('reach')).toEqual(['the alias resolves through /etc/hosts']);
    expect(s.nextHint('reach')).toEqual(['the alias resolves through /etc/hosts', 'general one']);
    expect(s.nextHint('reach')).toHaveLength(3);
    expect(s.nextHint('reach')).toHaveLength(3);
    expect(s.canShowSolution()).toBe(false);
    expect(() => s.solution()).toThrow();
    const { result } = s.check(1, [], emptyProgress());
    expect(result.status).toBe('failed');
    expect(s.solution()).toEqual(ex.solution);
    s.reset();
    expect(s.nextHint(null)).toEqual(['general one']);
  });
});

describe('highlight', () => {
  it('names what the failing checks are about', () => {
    expect(highlightFor(ex, ['web-linked'])).toEqual({ containers: ['web'], networks: [] });
    expect(highlightFor(ex, ['reach'])).toEqual({ containers: ['web', 'database'], networks: [] });
    expect(highlightFor(ex, [])).toEqual({ containers: [], networks: [] });
  });
});
