import { describe, expect, test } from 'vitest';
import { createLab } from '../../src/sim/index.ts';

const run = (cmd: string): { output: string; exit: number } => createLab({ seed: 1 }).exec(cmd);

describe('shell basics', () => {
  test('echo and unknown commands', () => {
    expect(run('echo hi')).toEqual({ output: 'hi\n', exit: 0 });
    // The course profile's exec() answers like a prompt (interactive bash).
    expect(run('nosuchcmd')).toEqual({ output: 'bash: nosuchcmd: command not found\n', exit: 127 });
  });

  test('bracket patterns: ranges, a literal dash, and a reversed range that matches nothing (found by fuzzing)', () => {
    expect(run('[x-?]')).toEqual({ output: 'bash: [x-?]: command not found\n', exit: 127 });
    expect(run('case b in [a-c]) echo in;; esac').output).toBe('in\n');
    expect(run('case - in [-a]) echo dash;; esac').output).toBe('dash\n');
    expect(run('case q in [x-?]) echo matched;; *) echo none;; esac').output).toBe('none\n');
    expect(run('case q in [!x-?]) echo any;; esac').output).toBe('any\n');
  });

  test('quoting, parameters and arithmetic', () => {
    expect(run(`X=a; echo "$X  b" '$X' \\$X \${Y:-def} $((2*3+1))`).output).toBe('a  b $X $X def 7\n');
    expect(run('echo ${#HOME} ${HOME%/*}x ${HOME#/}').output).toBe('5 x root\n');
  });

  test('and-or lists and exit statuses', () => {
    expect(run('false && echo no || echo yes; echo $?').output).toBe('yes\n0\n');
    expect(run('! true; echo $?').output).toBe('1\n');
    expect(run('exit 3').exit).toBe(3);
  });

  test('loops, conditionals and command substitution', () => {
    expect(run('for i in 1 2 3; do echo n$i; done').output).toBe('n1\nn2\nn3\n');
    expect(run('if false; then echo a; elif true; then echo b; else echo c; fi').output).toBe('b\n');
    expect(run('echo "[$(echo inner)]"').output).toBe('[inner]\n');
    expect(run('case abc in a*) echo match;; *) echo no;; esac').output).toBe('match\n');
  });

  test('redirections and here-documents write files', () => {
    const lab = createLab();
    lab.exec('echo one > f; echo two >> f');
    expect(lab.exec('cd /root && echo $(echo x) && cd / && pwd').output).toBe('x\n/\n');
    lab.exec('X=world\ncat_missing <<EOF\nhello $X\nEOF');
    expect(lab.exec('nosuch 2>/dev/null; echo $?').output).toBe('127\n');
  });

  test('syntax errors and runaway loops are reported, not thrown', () => {
    expect(run('echo )')).toEqual({
      output: "bash: syntax error near unexpected token `)'\n",
      exit: 2,
    });
    const r = run('while true; do :; done');
    expect(r.exit).toBe(130);
    expect(r.output).toMatch(/stopped after/);
  });
});
