import { expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('dnlab replay prints outputs and exit statuses like the transcript format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnlab-'));
  const file = join(dir, 't.txt');
  writeFileSync(file, '# scenario: smoke\n$ echo hi\n$ nosuchcmd\n');
  const out = execFileSync(process.execPath, ['bin/dnlab.mjs', 'replay', file], { encoding: 'utf8' });
  expect(out).toBe('# scenario: smoke\n$ echo hi\nhi\n$ nosuchcmd\nbash: nosuchcmd: command not found\n[exit 127]\n');
});

test('dnlab --help and bad options', () => {
  const help = execFileSync(process.execPath, ['bin/dnlab.mjs', '--help'], { encoding: 'utf8' });
  expect(help).toMatch(/Usage: dnlab COMMAND/);
  expect(() => execFileSync(process.execPath, ['bin/dnlab.mjs', 'replay', '--seed', 'x'], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
});
