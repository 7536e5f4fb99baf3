import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, sha256Hex } from '../../src/exercise/sha256.ts';
import {
  assignmentLink,
  base64url,
  BundleError,
  createAssignment,
  createSubmission,
  exportAttempt,
  fromBase64url,
  parseAssignment,
  parseLogFile,
  parseSubmission,
  readAssignment,
  submissionFromProgress,
} from '../../src/exercise/bundles.ts';
import { emptyProgress, recordAttempt } from '../../src/exercise/progress.ts';
import { loadExercises } from '../../src/exercise/load-node.ts';

describe('sha256', () => {
  it('matches node:crypto', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('a'.repeat(1000))).toBe(createHash('sha256').update('a'.repeat(1000)).digest('hex'));
  });
  it('canonical JSON sorts keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }], u: undefined })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('base64url', () => {
  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(fromBase64url(base64url(s))).toBe(s);
      }),
    );
    expect(base64url('hi?')).toBe(Buffer.from('hi?').toString('base64url'));
  });
});

describe('assignments', () => {
  const exercises = loadExercises().slice(0, 2);
  const a = createAssignment({ title: 'Week 1', exercises, due: new Date('2026-12-10T23:59:00Z') });

  it('round-trips through a file and a link; an edit is detected', () => {
    expect(parseAssignment(JSON.stringify(a))).toEqual(a);
    const link = assignmentLink(a, 'https://lab.example/assign/');
    expect(link).toMatch(/^https:\/\/lab\.example\/assign\/#a=[A-Za-z0-9_-]+$/);
    expect(readAssignment(link)).toEqual(a);
    expect(() => parseAssignment(JSON.stringify({ ...a, exercises: [a.exercises[0]] }))).toThrow(/modified/);
    expect(() => parseAssignment('{')).toThrow(BundleError);
    expect(() => readAssignment('https://x/#a=@@')).toThrow(/damaged/);
  });

  it('a submission from local progress carries the passing attempts', () => {
    const log = [{ host: 'docker-node1', command: 'docker ps' }];
    const progress = recordAttempt(emptyProgress(), {
      exerciseId: exercises[0].id,
      seed: 4,
      log,
      result: { exerciseId: exercises[0].id, status: 'passed', score: 2, maxScore: 2, checks: [] },
      at: new Date(0),
    });
    const s = submissionFromProgress('Ada', a, progress, new Date(0));
    expect(s.attempts).toEqual([{ exerciseId: exercises[0].id, seed: 4, log, claimed: { status: 'passed', score: 2, maxScore: 2 } }]);
    expect(parseSubmission(JSON.stringify(s))).toEqual(s);
  });

  it('submissions validate', () => {
    const s = createSubmission({
      learner: 'Ada',
      assignment: a,
      attempts: [{ exerciseId: exercises[0].id, seed: 3, log: [{ host: 'docker-node1', command: 'ls' }], claimed: { status: 'passed' } }],
      at: new Date(0),
    });
    expect(parseSubmission(JSON.stringify(s))).toEqual(s);
    expect(() => parseSubmission(JSON.stringify({ ...s, learner: '' }))).toThrow(/learner/);
  });
});

describe('--log files', () => {
  it('attempt files, transcripts and plain lines', () => {
    const attempt = exportAttempt({ exerciseId: 'links-alias', seed: 4, log: [{ host: 'docker-node1', command: 'docker ps' }] });
    expect(parseLogFile(attempt)).toEqual({ exerciseId: 'links-alias', seed: 4, log: [{ host: 'docker-node1', command: 'docker ps' }] });
    expect(parseLogFile('# scenario: x\n$ docker ps\nCONTAINER ID ...\n$ echo a \\\nb\na b\n').log.map((e) => e.command)).toEqual([
      'docker ps',
      'echo a \\\nb',
    ]);
    expect(
      parseLogFile('# a comment\ndocker network create app\n\ndocker run -d \\\n  --name web nginx\n').log.map((e) => e.command),
    ).toEqual(['docker network create app', 'docker run -d \\\n  --name web nginx']);
    expect(() => parseLogFile('{"format":"other"}')).toThrow(/expected a dnlab-attempt file/);
  });
});
