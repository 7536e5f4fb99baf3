/**
 * The lesson never disagrees with the lab: every chapter's runnable snippets (```sh run```) are run,
 * in order, in a fresh simulator built from the chapter's lab settings, and each output block shown
 * after a snippet (```text output```, with an optional final `[exit N]` line) must equal what the
 * simulator prints, after the golden transcripts' normalisation (ids, veth names, times, counters).
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { codeBlocks, commands, type Block } from './parse.ts';
import { compareTranscripts, createLab, outputLines, type Step, type Transcript } from '../../src/sim/index.ts';

const DIR = fileURLToPath(new URL('../../content/chapters', import.meta.url));

const isRun = (b: Block): boolean => /(^|\s)run(\s|$)/.test(b.meta);
const isOutput = (b: Block): boolean => /(^|\s)output(\s|$)/.test(b.meta);

const chapters = readdirSync(DIR)
  .filter((f) => f.endsWith('.mdx'))
  .sort();

describe('chapter snippets match the simulator', () => {
  test('there are chapters with runnable snippets and output blocks', () => {
    expect(chapters.length).toBeGreaterThanOrEqual(3);
    for (const f of chapters) {
      const blocks = codeBlocks(readFileSync(join(DIR, f), 'utf8'));
      expect(blocks.filter(isRun).length, f).toBeGreaterThan(0);
      expect(blocks.filter(isOutput).length, f).toBeGreaterThan(0);
    }
  });

  for (const file of chapters) {
    test(file, () => {
      const src = readFileSync(join(DIR, file), 'utf8');
      const fm = /^---\n([\s\S]*?)\n---/.exec(src);
      const data = (fm ? parseYaml(fm[1]) : {}) as {
        lab?: { seed?: number; setup?: string[]; profile?: 'course' | 'golden'; hosts?: number };
      };
      const lab = createLab({ seed: data.lab?.seed ?? 1, profile: data.lab?.profile ?? 'course', hosts: data.lab?.hosts ?? 1 });
      for (const cmd of data.lab?.setup ?? []) lab.exec(cmd);
      const blocks = codeBlocks(src);
      const expected: Step[] = [];
      const actual: Step[] = [];
      blocks.forEach((b, i) => {
        if (!isRun(b)) return;
        const cmds = commands(b.code);
        let text = '';
        let exit = 0;
        for (const c of cmds) {
          const r = lab.exec(c);
          text += r.output;
          exit = r.exit;
        }
        const next = blocks[i + 1];
        if (!next || !isOutput(next)) return;
        const lines = outputLines(next.code + '\n');
        let want = 0;
        const last = lines.length ? /^\[exit (\d+)\]$/.exec(lines[lines.length - 1]) : null;
        if (last) {
          want = Number(last[1]);
          lines.pop();
        }
        const command = cmds.join(' && ');
        expected.push({ host: '', command, output: lines, exit: want });
        actual.push({ host: '', command, output: outputLines(text), exit });
      });
      const exp: Transcript = { header: [], items: expected };
      const act: Transcript = { header: [], items: actual };
      const diffs = compareTranscripts(exp, act)
        .filter((c) => !c.same)
        .map(
          (c) =>
            `$ ${c.expected.command}\n--- lesson (exit ${c.expected.exit})\n${c.expected.output.join('\n')}\n+++ simulator (exit ${c.actual?.exit})\n${c.actual?.output.join('\n')}`,
        );
      expect(diffs.join('\n\n'), `${diffs.length} of ${expected.length} output blocks differ`).toBe('');
    });
  }
});
