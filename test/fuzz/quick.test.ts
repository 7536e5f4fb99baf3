/**
 * Bounded robustness runs for `npm test` (about two seconds): random command lines, shell
 * noise and raw bytes typed into a session never throw, hang or corrupt the machine. The
 * long campaign is `npm run fuzz` (test/fuzz/run.ts).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { makeRig, sequenceProperty, typeLine } from './shell-props.ts';

describe('shell robustness (quick)', () => {
  test('random command sequences on a GNU host', () => {
    fc.assert(sequenceProperty('gnu'), { numRuns: 5, seed: 42 });
  });

  test('random command sequences in a busybox container', () => {
    fc.assert(sequenceProperty('busybox'), { numRuns: 4, seed: 7 });
  });

  test('hostile inputs end with clear messages', () => {
    const rig = makeRig('gnu');
    const cases: [string, RegExp][] = [
      ['x'.repeat(100_000), /command not found/],
      ['echo "' + 'y'.repeat(100_000) + '"', /^y{100000}\n$/],
      ['while true; do :; done', /stopped after 10000 steps/],
      ['yes | head -2', /^y\ny\n$/],
      [Array.from({ length: 200 }, () => 'cat').join(' | '), /^$/],
      ['echo "unterminated', /^$/],
      ["echo 'unterminated", /^$/],
      ['for i in $(seq 1 100000); do echo $i; done | tail -1', /stopped after|^100000\n$/],
      ['sh -c "sh -c \\"sh -c \'echo deep\'\\""', /^deep\n$/],
      ['echo "sh x" > x; sh x', /fork: retry: Resource temporarily unavailable/],
      ['echo "eval \\"\\$(cat y)\\"" > y; eval "$(cat y)"', /maximum nesting level exceeded/],
      ['\u0000\u0001\u001b[A\ud800', /command not found|^$/],
      ['$('.repeat(3000) + 'echo x' + ')'.repeat(3000), /syntax error/],
      ['('.repeat(5000) + 'echo' + ')'.repeat(5000), /syntax error/],
      ['a=a; for i in $(seq 30); do a=$a$a; done', /xmalloc: cannot allocate memory/],
      ['printf "%*d" 1000000000 1', /xmalloc: cannot allocate memory/],
      [':(){ :|:& };:', /maximum function nesting level exceeded|stopped after/],
      ["echo x | sed ':a;s/x/xx/;ta'", /the lab stopped this script/],
      ["awk 'BEGIN { while (1) n++ }'", /the lab stopped this awk program/],
      ['echo {1..2000000}', /brace expansion: failed to allocate memory for 2000000 elements/],
    ];
    for (const [line, want] of cases) {
      const s = rig.session;
      const r = s.submit(line);
      let state = r;
      for (let i = 0; i < 1000 && state.state !== 'done' && state.state !== 'closed'; i++) {
        if (state.state === 'sleeping') state = s.resume();
        else if (state.state === 'input') state = s.eof();
        else state = s.interrupt();
      }
      expect(state.state).toBe('done');
      expect(s.drain()).toMatch(want);
    }
  });

  test('exit and Ctrl-D close the session; a new one starts cleanly', () => {
    const rig = makeRig('busybox');
    typeLine(rig, 'exit 3');
    typeLine(rig, 'echo still here');
    expect(rig.lines).toBe(2);
  });
});
