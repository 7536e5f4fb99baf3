/** Tab completion: command names, paths, and completers registered by commands (docker). */
import { describe, expect, test } from 'vitest';
import { complete, registerCompleter } from '../../src/sim/shell/completion.ts';
import { Shell } from '../../src/sim/shell/interp.ts';
import { shellBuiltins } from '../../src/sim/shell/builtins.ts';
import { testMachine } from '../helpers/sim.ts';

function setup(): { c: (line: string) => ReturnType<typeof complete> } {
  const m = testMachine();
  m.fs.write('/root/app.py', 'print(1)\n');
  m.fs.write('/root/apple.txt', '');
  m.fs.mkdir('/root/appdir');
  m.fs.write('/root/.hidden', '');
  m.fs.write('/root/my file', '');
  const sh = new Shell({
    dialect: 'bash',
    name: 'bash',
    target: m.target,
    cwd: '/root',
    builtins: shellBuiltins(),
    env: { HOME: '/root' },
  });
  return { c: (line) => complete(line, line.length, m.target, sh) };
}

describe('completion', () => {
  test('command names: builtins and installed programs', () => {
    const { c } = setup();
    expect(c('hostn')).toMatchObject({ start: 0, replacement: 'hostname ', candidates: ['hostname'] });
    const r = c('e');
    expect(r.candidates).toEqual(expect.arrayContaining(['echo', 'egrep', 'env', 'eval', 'exit', 'export']));
    expect(r.replacement).toBe('e');
    expect(c('ec').replacement).toBe('echo ');
    expect(c('zzz').candidates).toEqual([]);
  });

  test('file names after a command, directories end with /', () => {
    const { c } = setup();
    expect(c('cat app')).toMatchObject({ start: 4, replacement: 'app', candidates: ['app.py', 'appdir/', 'apple.txt'] });
    expect(c('cat app.')).toMatchObject({ replacement: 'app.py ' });
    expect(c('cd appd')).toMatchObject({ replacement: 'appdir/' });
    expect(c('ls /et')).toMatchObject({ start: 3, replacement: '/etc/', candidates: ['etc/'] });
    expect(c('cat ~/app.p')).toMatchObject({ replacement: '~/app.py ' });
  });

  test('hidden files only when asked for, spaces escaped', () => {
    const { c } = setup();
    expect(c('cat ').candidates).not.toContain('.hidden');
    expect(c('cat .h').candidates).toEqual(['.hidden']);
    expect(c('cat my').replacement).toBe('my\\ file ');
  });

  test('after a pipe or ; the next word is a command again; after > a file', () => {
    const { c } = setup();
    expect(c('ls | gre').candidates).toContain('grep');
    expect(c('true; hostn').replacement).toBe('hostname ');
    expect(c('echo x > app.').replacement).toBe('app.py ');
  });

  test('registered completers answer for their command', () => {
    const { c } = setup();
    registerCompleter('dockerx', (ctx) =>
      ctx.args.length === 1 ? ['network', 'run', 'rm'] : ctx.args[1] === 'network' ? ['ls', 'create'] : null,
    );
    expect(c('dockerx r').candidates).toEqual(['rm', 'run']);
    expect(c('dockerx net').replacement).toBe('network ');
    expect(c('dockerx network c').replacement).toBe('create ');
    // null falls back to file names.
    expect(c('dockerx run app.').replacement).toBe('app.py ');
  });
});
