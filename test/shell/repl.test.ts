/**
 * Nested interactive shells (`sh`/`bash` on a terminal, what `docker exec -it` starts) and the
 * Session that drives them: prompts, continuation lines, Ctrl-C, Ctrl-D, exit statuses.
 * Expected texts come from running bash and busybox sh on a pty on this machine.
 */
import { describe, expect, test } from 'vitest';
import { Session } from '../../src/sim/lab/session.ts';
import { Shell } from '../../src/sim/shell/interp.ts';
import { shellBuiltins } from '../../src/sim/shell/builtins.ts';
import { BufferOutput, Input, runToCompletion } from '../../src/sim/shell/runtime.ts';
import { ashPrompt, bashPrompt, centosPrompt, runRepl } from '../../src/sim/shell/repl.ts';
import { testMachine, type TestMachine } from '../helpers/sim.ts';

function shellOn(m: TestMachine, interactive = true): Shell {
  const bb = m.target.userland === 'busybox';
  return new Shell({
    dialect: bb ? 'ash' : 'bash',
    name: bb ? 'sh' : 'bash',
    target: m.target,
    cwd: '/root',
    interactive,
    builtins: shellBuiltins(),
    env: { HOME: '/root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  });
}

function session(m: TestMachine): Session {
  return new Session(shellOn(m), (ms) => m.clock.advance(ms));
}

/** Runs a REPL on a typed script (no session): what a tty would show. */
function repl(m: TestMachine, typed: string, prompt = bashPrompt): { out: string; status: number } {
  const out = new BufferOutput(true);
  const sh = shellOn(m);
  const status = runToCompletion(runRepl(sh, { stdin: new Input(typed, true, true), stdout: out, stderr: out }, prompt), () => {});
  return { out: out.text(), status };
}

describe('runRepl', () => {
  test('bash: prompt with ~ and the cwd, exit status, "exit" on leaving', () => {
    const m = testMachine({ hostname: 'efde7c8668c7' });
    m.fs.mkdir('/data');
    expect(repl(m, 'echo hi\ncd /data\nexit 3\n')).toEqual({
      out: 'root@efde7c8668c7:~# hi\nroot@efde7c8668c7:~# root@efde7c8668c7:/data# exit\n',
      status: 3,
    });
  });

  test('busybox ash: "/ # " prompt, Ctrl-D ends with a newline and the last status', () => {
    const m = testMachine({ userland: 'busybox', hostname: 'b1' });
    expect(repl(m, 'cd /\nfalse\n', ashPrompt)).toEqual({ out: '~ # / # / # \n', status: 1 });
  });

  test('centos prompt shows the basename of the cwd', () => {
    const m = testMachine({ hostname: '66e12fb403d9' });
    m.fs.mkdir('/etc/sysconfig', { parents: true });
    expect(repl(m, 'cd /\ncd /etc/sysconfig\nexit\n', centosPrompt).out).toBe(
      '[root@66e12fb403d9 ~]# [root@66e12fb403d9 /]# [root@66e12fb403d9 sysconfig]# exit\n',
    );
  });

  test('continuation lines use PS2 and run as one command', () => {
    const m = testMachine({ hostname: 'h' });
    expect(repl(m, 'for i in 1 2; do\necho n$i\ndone\nexit\n').out).toBe('root@h:~# > > n1\nn2\nroot@h:~# exit\n');
  });

  test('history lists the lines typed in this shell, itself included', () => {
    const m = testMachine({ hostname: 'h' });
    expect(repl(m, 'echo a\nhistory\nexit\n').out).toBe('root@h:~# a\nroot@h:~#     1  echo a\n    2  history\nroot@h:~# exit\n');
  });
});

describe('Session with nested shells', () => {
  test('sh typed at the prompt: the session shows its prompt and feeds it lines', () => {
    const m = testMachine();
    const s = session(m);
    expect(s.submit('bash')).toEqual({ state: 'input' });
    expect(s.busy).toBe(false);
    expect(s.prompt()).toBe('root@docker-node1:~# ');
    expect(s.submit('cd /tmp; echo $((6*7))')).toEqual({ state: 'input' });
    expect(s.drain()).toBe('42\n');
    expect(s.prompt()).toBe('root@docker-node1:/tmp# ');
    // Ctrl-C at the nested prompt cancels the line and keeps the shell.
    expect(s.submit('if true; then')).toEqual({ state: 'input' });
    expect(s.prompt()).toBe('> ');
    expect(s.interrupt()).toEqual({ state: 'input' });
    expect(s.prompt()).toBe('root@docker-node1:/tmp# ');
    expect(s.submit('exit 4')).toEqual({ state: 'done', exit: 4 });
    expect(s.drain()).toBe('exit\n');
    expect(s.prompt()).toBe('root@docker-node1:~# ');
    s.submit('echo $?');
    expect(s.drain()).toBe('4\n');
  });

  test('Ctrl-D leaves a nested shell; at the top it closes the session', () => {
    const m = testMachine({ userland: 'busybox' });
    const s = session(m);
    s.submit('sh');
    expect(s.prompt()).toBe('~ # ');
    expect(s.eof()).toEqual({ state: 'done', exit: 0 });
    expect(s.drain()).toBe('\n');
    expect(s.eof()).toEqual({ state: 'closed', exit: 0 });
  });

  test('a sleeping command inside a nested shell is interrupted, the nested shell stays', () => {
    const m = testMachine();
    const s = session(m);
    s.submit('sh');
    expect(s.submit('sleep 10; echo after')).toEqual({ state: 'sleeping', ms: 1000 });
    expect(s.busy).toBe(true);
    expect(s.interrupt()).toEqual({ state: 'input' });
    expect(s.drain()).toBe('');
    expect(s.submit('echo $?')).toEqual({ state: 'input' });
    expect(s.drain()).toBe('130\n');
  });

  test('cat reads typed lines until Ctrl-D; Ctrl-C stops a loop of sleeps', () => {
    const m = testMachine();
    const s = session(m);
    expect(s.submit('cat')).toEqual({ state: 'input' });
    expect(s.prompt()).toBe('');
    s.submit('line one');
    expect(s.eof()).toEqual({ state: 'done', exit: 0 });
    expect(s.drain()).toBe('line one\n');
    expect(s.submit('while true; do sleep 1; done; echo not reached')).toEqual({ state: 'sleeping', ms: 1000 });
    s.resume();
    expect(s.interrupt()).toEqual({ state: 'done', exit: 130 });
    expect(s.drain()).toBe('');
  });

  test('ps -ef shows the shells and the pipeline, as the golden transcripts do', () => {
    const m = testMachine();
    const s = session(m);
    s.submit('bash');
    s.submit('ps -ef | grep -v grep');
    const lines = s.drain().trimEnd().split('\n');
    expect(lines[0]).toBe('UID          PID    PPID  C STIME TTY          TIME CMD');
    expect(lines.slice(1).map((l) => l.replace(/^(\S+)\s+\d+\s+\d+/, '$1 N N'))).toEqual([
      'root N N  0 10:29 pts/0    00:00:00 bash',
      'root N N  0 10:29 pts/0    00:00:00 bash',
      'root N N  0 10:29 pts/0    00:00:00 ps -ef',
    ]);
  });
});

describe('prompts', () => {
  test('PS1 escapes and variables; CentOS default from /etc/redhat-release', () => {
    const m = testMachine({ hostname: 'web.example' });
    const s = session(m);
    s.submit(`PS1='\\u@\\h:\\W\\$ '; cd /tmp`);
    expect(s.prompt()).toBe('root@web:tmp# ');
    s.submit(`PS1='\${X:+($X)}[\\H \\w]> '; X=chroot`);
    expect(s.prompt()).toBe('(chroot)[web.example /tmp]> ');
    const c = testMachine({ hostname: '66e12fb403d9' });
    c.fs.write('/etc/redhat-release', 'CentOS Linux release 7.9.2009 (Core)\n');
    const cs = session(c);
    cs.submit('bash');
    cs.submit('cd /');
    expect(cs.prompt()).toBe('[root@66e12fb403d9 /]# ');
  });
});

describe('continuation at the top-level prompt', () => {
  test('a here-document typed line by line writes the file', () => {
    const m = testMachine();
    const s = session(m);
    expect(s.submit('cat > app.py <<EOF')).toEqual({ state: 'continue' });
    expect(s.prompt()).toBe('> ');
    s.submit('print("$HOME")');
    expect(s.submit('EOF')).toEqual({ state: 'done', exit: 0 });
    expect(m.fs.read('/root/app.py')).toBe('print("/root")\n');
    expect(s.submit('echo "unterminated')).toEqual({ state: 'continue' });
    expect(s.interrupt()).toEqual({ state: 'done', exit: 130 });
    expect(s.prompt()).toBe('root@docker-node1:~# ');
    s.submit('history');
    expect(s.drain()).toBe('    1  cat > app.py <<EOF\nprint("$HOME")\nEOF\n    2  history\n');
  });
});
