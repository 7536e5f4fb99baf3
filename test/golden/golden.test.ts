import { describe, it, expect } from 'vitest';
import { readBaseline, scoreFile, singleHostFiles, twoHostFiles } from './replay-all.ts';

describe('golden transcripts (real Docker 20.10) replayed with --profile golden', () => {
  const baseline = readBaseline();
  let matched = 0;
  let total = 0;
  for (const file of singleHostFiles()) {
    it(`${file}: never crashes and does not fall below its recorded match count`, () => {
      const s = scoreFile(file);
      matched += s.matched;
      total += s.total;
      const crash = s.misses.find((m) => m.index === -1);
      expect(crash?.expected.command ?? null).toBeNull();
      expect(s.matched).toBeGreaterThanOrEqual(baseline.files[file] ?? 0);
    }, 60_000);
  }
  for (const file of twoHostFiles()) {
    it(`${file} (two hosts): never crashes and does not fall below its recorded match count`, () => {
      const s = scoreFile(file);
      expect(s.misses.find((m) => m.index === -1)?.expected.command ?? null).toBeNull();
      expect(s.matched).toBeGreaterThanOrEqual(baseline.files[file] ?? 0);
    }, 60_000);
  }
  it('the whole single-host corpus does not fall below the recorded figure', () => {
    expect(total).toBeGreaterThan(0);
    expect(matched).toBeGreaterThanOrEqual(baseline.matched);
  });
});
