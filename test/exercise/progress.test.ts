import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chapterCompletion,
  emptyProgress,
  exportProgress,
  importProgress,
  loadProgress,
  memoryStorage,
  mergeProgress,
  parseProgress,
  PROGRESS_KEY,
  recordAttempt,
  saveProgress,
} from '../../src/exercise/progress.ts';
import type { GradeResult } from '../../src/sim/snapshot/grader.ts';

const result = (status: 'passed' | 'failed', score = status === 'passed' ? 3 : 1): GradeResult => ({
  exerciseId: 'links-alias',
  status,
  score,
  maxScore: 3,
  checks: [],
});
const log = [{ host: 'docker-node1', command: 'docker run -dit --name web --link db:database centos:7' }];

describe('progress', () => {
  it('records attempts; a pass stays a pass and keeps the log that passed', () => {
    let p = emptyProgress();
    p = recordAttempt(p, { exerciseId: 'links-alias', seed: 1, log: [], result: result('failed'), at: new Date('2026-12-01T10:00:00Z') });
    expect(p.exercises['links-alias']).toMatchObject({ status: 'attempted', attempts: 1, passedAt: null, passingAttempt: null });
    p = recordAttempt(p, { exerciseId: 'links-alias', seed: 7, log, result: result('passed'), at: new Date('2026-12-01T10:05:00Z') });
    p = recordAttempt(p, { exerciseId: 'links-alias', seed: 9, log: [], result: result('failed'), at: new Date('2026-12-01T10:09:00Z') });
    expect(p.exercises['links-alias']).toMatchObject({
      status: 'passed',
      attempts: 3,
      bestScore: 3,
      passedAt: '2026-12-01T10:05:00.000Z',
      lastAttemptAt: '2026-12-01T10:09:00.000Z',
      passingAttempt: { seed: 7, log },
    });
  });

  it('round-trips through storage and export/import', () => {
    const s = memoryStorage();
    const p = recordAttempt(emptyProgress(), {
      exerciseId: 'links-alias',
      seed: 1,
      log,
      result: result('passed'),
      at: new Date('2026-12-01T10:00:00Z'),
    });
    expect(saveProgress(s, p)).toBeNull();
    expect(loadProgress(s)).toEqual({ progress: p, warnings: [] });
    expect(importProgress(exportProgress(p))).toEqual({ progress: p, warnings: [] });
  });

  it('never crashes on corrupt data, and keeps what it can', () => {
    expect(parseProgress('{not json').warnings[0]).toMatch(/not JSON/);
    expect(parseProgress('[]').progress).toEqual(emptyProgress());
    expect(parseProgress('{"version": 99, "exercises": {}}').warnings[0]).toMatch(/unknown version 99/);
    const good = recordAttempt(emptyProgress(), { exerciseId: 'a', seed: 1, log, result: result('passed'), at: new Date(0) });
    const mixed = JSON.stringify({ version: 1, exercises: { ...good.exercises, b: { exerciseId: 'b', status: 'weird' }, c: null } });
    const r = parseProgress(mixed);
    expect(Object.keys(r.progress.exercises)).toEqual(['a']);
    expect(r.warnings).toEqual(['progress: dropped an unreadable entry for b', 'progress: dropped an unreadable entry for c']);
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadProgress(broken).progress).toEqual(emptyProgress());
    expect(saveProgress(broken, good)).toMatch(/QuotaExceededError/);
    expect(importProgress('{"format":"dnlab-submission"}').warnings[0]).toMatch(/not a progress file/);
    expect(loadProgress(memoryStorage({ [PROGRESS_KEY]: '' })).warnings).toEqual([]);
  });

  it('parseProgress never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (s) => {
        const r = parseProgress(s);
        expect(r.progress.version).toBe(1);
      }),
    );
  });

  it('per-chapter completion and merge', () => {
    const exercises = [
      { id: 'links-alias', chapter: 'legacy-links' },
      { id: 'x', chapter: 'legacy-links' },
      { id: 'publish-8080', chapter: 'publishing-ports' },
    ];
    let a = recordAttempt(emptyProgress(), {
      exerciseId: 'links-alias',
      seed: 1,
      log,
      result: result('passed'),
      at: new Date('2026-12-02T00:00:00Z'),
    });
    const b = recordAttempt(emptyProgress(), {
      exerciseId: 'links-alias',
      seed: 2,
      log: [],
      result: result('passed'),
      at: new Date('2026-12-01T00:00:00Z'),
    });
    a = mergeProgress(a, b);
    expect(a.exercises['links-alias']).toMatchObject({ attempts: 2, passedAt: '2026-12-01T00:00:00.000Z', passingAttempt: { seed: 2 } });
    expect(chapterCompletion(a, exercises)).toEqual([
      { chapter: 'legacy-links', title: 'Legacy links', passed: 1, total: 2 },
      { chapter: 'publishing-ports', title: 'Publishing ports', passed: 0, total: 1 },
    ]);
  });
});
