/** Every file in exercises/ validates, and is complete enough to teach with. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { exerciseFiles, loadExercises } from '../../src/exercise/load-node.ts';
import { parseExerciseText } from '../../src/exercise/load.ts';
import { ExerciseError } from '../../src/exercise/schema.ts';
import { effectiveChecks } from '../../src/sim/snapshot/grader.ts';
import { CHAPTER_IDS } from '../../src/exercise/chapters.ts';

const files = exerciseFiles();

describe('exercises/', () => {
  it('has exercises', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s validates against the schema', (file) => {
    expect(() => parseExerciseText(readFileSync(file, 'utf8'), file)).not.toThrow();
  });

  it('ids are unique and every chapter is a known one', () => {
    const all = loadExercises();
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    for (const e of all) expect(CHAPTER_IDS).toContain(e.chapter);
  });

  it.each(files)('%s has a hint for every check, a solution and at least one wrong solution', (file) => {
    const ex = parseExerciseText(readFileSync(file, 'utf8'), file);
    for (const c of effectiveChecks(ex)) if (c.id !== 'clean-state') expect(c.hint, `${ex.id}: check ${c.id} has no hint`).toBeTruthy();
    expect(ex.solution.length).toBeGreaterThan(0);
    expect(ex.wrong.length).toBeGreaterThan(0);
  });
});

describe('schema errors are reported, not crashed on', () => {
  const base = 'id: x\nchapter: legacy-links\ntitle: t\ndifficulty: easy\ntask: t\nsolution: [a]\n';
  const err = (text: string): string => {
    try {
      parseExerciseText(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ExerciseError);
      return (e as ExerciseError).issues.join('\n');
    }
    throw new Error('no error');
  };
  it('unknown check kind, two kinds, unknown template, bad regex, dangling wrong.fails, bad chapter', () => {
    expect(err(base + 'checks: [{id: a, bogus: {}}]')).toMatch(/exactly one of/);
    expect(err(base + 'checks: [{id: a, container: {name: w}, network: {name: n}}]')).toMatch(/exactly one of.*has network, container/);
    expect(err(base + 'checks: [{id: a, address: {container: w, ip: "{{ipp w}}"}}]')).toMatch(/unknown template \{\{ipp w\}\}/);
    expect(err(base + 'checks: [{id: a, forbid: {pattern: "("}}]')).toMatch(/invalid regular expression/);
    expect(err(base + 'checks: [{id: a, forbid: {flag: --link}}]\nwrong: [{commands: [x], fails: b}]')).toMatch(/no check named b/);
    expect(err(base.replace('legacy-links', 'nope') + 'checks: [{id: a, forbid: {flag: --link}}]')).toMatch(/unknown chapter/);
    expect(err(base + 'checks: [{id: a, forbid: {flag: --link}}, {id: a, forbid: {flag: -p}}]')).toMatch(/duplicate check id a/);
    expect(err(base + 'checks: [{id: a, rule: {table: nat, rules: "DOCKER -j RETURN"}}]')).toMatch(/iptables -S/);
    expect(err('id: [unclosed')).toBeTruthy();
  });
  it('defaults are explicit after parsing', () => {
    const ex = parseExerciseText(base + 'checks: [{id: a, container: {name: w}}]');
    expect(ex.tolerance).toEqual({ ids: 'ignore', macs: 'ignore', vethNames: 'ignore', ephemeralPorts: 'ignore' });
    expect(ex.setup).toEqual({ hosts: 1, daemons: [''], commands: [], hidden: false });
    expect(ex.checks[0]).toEqual({ id: 'a', kind: 'container', points: 1, container: { name: 'w', exists: true } });
    expect(ex.cleanState).toBe(false);
  });
});
