/**
 * Commands whose outputs depend on the terminal, the clock or the process table, checked with
 * texts recorded from the real tools on this machine (GNU coreutils 9.1, procps-ng, busybox).
 */
import { describe, expect, test } from 'vitest';
import { Session } from '../../src/sim/lab/session.ts';
import { Shell } from '../../src/sim/shell/interp.ts';
import { shellBuiltins } from '../../src/sim/shell/builtins.ts';
import { testMachine, type TestMachine } from '../helpers/sim.ts';

function terminal(m: TestMachine): (line: string) => string {
  const bb = m.target.userland === 'busybox';
  const s = new Session(
    new Shell({
      dialect: bb ? 'ash' : 'bash',
      name: bb ? 'sh' : 'bash',
      target: m.target,
      cwd: '/root',
      interactive: true,
      builtins: shellBuiltins(),
      env: { HOME: '/root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    }),
    (ms) => m.clock.advance(ms),
  );
  return (line) => {
    let r = s.submit(line);
    while (r.state === 'sleeping') r = s.resume();
    while (r.state === 'input') r = s.eof();
    return s.drain();
  };
}

const NAMES =
  'Dockerfile app.py bin boot dev etc home lib lib64 media mnt opt proc root run sbin srv sys tmp usr var docker-compose.yml a-very-long-file-name.conf'.split(
    ' ',
  );

describe('ls', () => {
  test('columns on a terminal (GNU: `ls -C -w 80`, tabs)', () => {
    const m = testMachine();
    m.fs.mkdir('/l');
    for (const n of NAMES) m.fs.write(`/l/${n}`, '');
    expect(terminal(m)('ls /l')).toBe(
      'Dockerfile\t\t    boot\t\thome   mnt   run   tmp\n' +
        'a-very-long-file-name.conf  dev\t\t\tlib    opt   sbin  usr\n' +
        'app.py\t\t\t    docker-compose.yml\tlib64  proc  srv   var\n' +
        'bin\t\t\t    etc\t\t\tmedia  root  sys\n',
    );
    // Not a terminal: one name per line.
    expect(m.run('ls /l').stdout).toBe(NAMES.slice().sort().join('\n') + '\n');
  });

  test('columns on a terminal (busybox: one width for all columns)', () => {
    const m = testMachine({ userland: 'busybox' });
    m.fs.mkdir('/l');
    for (const n of NAMES) m.fs.write(`/l/${n}`, '');
    const sorted = NAMES.slice().sort();
    const rows = sorted.slice(0, 12).map((a, i) => (sorted[i + 12] ? a.padEnd(28) + sorted[i + 12] : a));
    expect(terminal(m)('ls /l')).toBe(rows.join('\n') + '\n');
  });

  test('-l: GNU and busybox long formats', () => {
    for (const userland of ['gnu', 'busybox'] as const) {
      const m = testMachine({ userland });
      m.fs.mkdir('/d/sub', { parents: true });
      m.fs.write('/d/a.txt', 'hello\n');
      m.fs.symlink('a.txt', '/d/link');
      const old = m.fs.stat('/d/a.txt')!;
      m.fs.write('/d/old', '');
      m.fs.stat('/d/old')!.mtime = Date.UTC(2025, 0, 2, 3, 4);
      void old;
      const out = m.run('ls -l /d').stdout;
      expect(out).toBe(
        userland === 'gnu'
          ? 'total 8\n' +
              '-rw-r--r-- 1 root root    6 Nov 23 10:29 a.txt\n' +
              'lrwxrwxrwx 1 root root    5 Nov 23 10:29 link -> a.txt\n' +
              '-rw-r--r-- 1 root root    0 Jan  2  2025 old\n' +
              'drwxr-xr-x 2 root root 4096 Nov 23 10:29 sub\n'
          : 'total 8\n' +
              '-rw-r--r--    1 root     root             6 Nov 23 10:29 a.txt\n' +
              'lrwxrwxrwx    1 root     root             5 Nov 23 10:29 link -> a.txt\n' +
              '-rw-r--r--    1 root     root             0 Jan  2  2025 old\n' +
              'drwxr-xr-x    2 root     root          4096 Nov 23 10:29 sub\n',
      );
    }
  });
});

describe('terminal and process tools', () => {
  test('clear writes the terminal reset sequences', () => {
    expect(testMachine().run('clear').stdout).toBe('\x1b[H\x1b[2J\x1b[3J');
    expect(testMachine({ userland: 'busybox' }).run('clear').stdout).toBe('\x1b[H\x1b[J');
  });

  test('ps formats: procps -ef / aux / plain, busybox', () => {
    const m = testMachine();
    m.target.procs.spawn({
      pid: 1,
      ppid: 0,
      cmdline: '/sbin/init',
      comm: 'systemd',
      user: 'root',
      started: m.clock.now(),
      tty: '?',
      netnsId: 0,
    });
    const ef = m.run('ps -ef').stdout.split('\n');
    expect(ef[0]).toBe('UID          PID    PPID  C STIME TTY          TIME CMD');
    expect(ef[1]).toBe('root           1       0  0 10:29 ?        00:00:00 /sbin/init');
    expect(m.run('ps aux').stdout.split('\n')[0]).toBe('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    expect(m.run('ps').stdout).toBe('    PID TTY          TIME CMD\n');
    const b = testMachine({ userland: 'busybox' });
    b.target.procs.spawn({ pid: 1, ppid: 0, cmdline: 'sleep 3600', comm: 'sleep', user: 'root', started: 0, tty: '?', netnsId: 0 });
    const bps = b.run('ps').stdout.split('\n');
    expect(bps[0]).toBe('PID   USER     TIME  COMMAND');
    expect(bps[1]).toBe('    1 root      0:00 sleep 3600');
  });

  test('kill removes a process; unknown pids answer like bash and ash', () => {
    const m = testMachine();
    m.target.procs.spawn({ pid: 4321, ppid: 1, cmdline: 'sleep 99', comm: 'sleep', user: 'root', started: 0, tty: '?', netnsId: 0 });
    expect(m.run('kill 4321; echo $?')).toEqual({ stdout: '0\n', stderr: '', status: 0 });
    expect(m.target.procs.get(4321)).toBeUndefined();
    expect(m.run('kill 4321').stderr).toBe('bash: line 1: kill: (4321) - No such process\n');
    expect(testMachine({ userland: 'busybox' }).run('kill 4321').stderr).toBe("sh: can't kill pid 4321: No such process\n");
  });

  test('sleep advances the virtual clock and stops on Ctrl-C; tail -f follows appends', () => {
    const m = testMachine();
    const t0 = m.clock.now();
    expect(m.run('sleep 2.5; echo done').stdout).toBe('done\n');
    expect(m.clock.now() - t0).toBe(2500);
    m.fs.write('/root/log', 'one\n');
    const term = terminal(m);
    // Bounded: the test machine interrupts after 10 s of virtual time.
    expect(m.run('tail -f log', { maxMs: 3000 }).stdout).toBe('one\n');
    expect(term('echo two >> log; tail -n 1 log')).toBe('two\n');
  });

  test('date, uname, id, hostname, whoami', () => {
    const m = testMachine({ hostname: 'docker-node1' });
    expect(m.run('date').stdout).toBe('Mon Nov 23 10:29:30 UTC 2026\n');
    expect(m.run('date +%Y-%m-%dT%H:%M:%S%z').stdout).toBe('2026-11-23T10:29:30+0000\n');
    expect(m.run('date -R').stdout).toBe('Mon, 23 Nov 2026 10:29:30 +0000\n');
    expect(m.run('uname -n -s').stdout).toBe('Linux docker-node1\n');
    m.fs.write('/etc/group', 'root:x:0:\nbin:x:1:root,daemon\nwheel:x:10:root\n');
    expect(m.run('id').stdout).toBe('uid=0(root) gid=0(root) groups=0(root),1(bin),10(wheel)\n');
    m.fs.write('/etc/hosts', '127.0.0.1\tlocalhost\n172.17.0.2\tdocker-node1\n');
    expect(m.run('hostname -i').stdout).toBe('172.17.0.2 \n');
    expect(m.run('whoami').stdout).toBe('root\n');
  });

  test('[ -t FD ] is isatty on the streams of the command itself', () => {
    const m = testMachine();
    const tty = terminal(m);
    expect(tty('[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all')).toBe('all\n');
    expect(tty('[ -t 1 ] > /tmp/out || echo redirected')).toBe('redirected\n');
    expect(tty('echo x > /tmp/in; [ -t 0 ] < /tmp/in || echo from-file')).toBe('from-file\n');
    expect(tty('echo $([ -t 1 ] && echo tty || echo pipe)')).toBe('pipe\n');
    expect(tty('[ -t 7 ] || echo closed')).toBe('closed\n');
    expect(m.run('[ -t 1 ]').status).toBe(1);
    expect(m.run('[ -t x ]')).toEqual({ stdout: '', stderr: 'bash: line 1: [: x: integer expression expected\n', status: 2 });
  });

  test('vi asks the UI for an editor; without one it refuses like the real tools', () => {
    const m = testMachine();
    const asked: unknown[] = [];
    expect(m.run('vi app.py')).toEqual({
      stdout: '',
      stderr: 'Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n',
      status: 1,
    });
    m.target.ui = (r) => asked.push(r);
    expect(terminal(m)('nano app.py')).toBe('');
    expect(asked).toEqual([{ kind: 'edit', path: '/root/app.py', host: 'docker-node1', container: null }]);
  });
});

describe('programs running programs', () => {
  test('xargs runs registered programs, env runs with a changed environment', () => {
    const m = testMachine();
    m.run('touch a b c');
    expect(m.run('ls | xargs rm -f; ls | wc -l').stdout).toBe('0\n');
    expect(m.run('env -i FOO=bar printenv FOO').stdout).toBe('bar\n');
    expect(m.run('env nosuch').stderr).toBe('env: ‘nosuch’: No such file or directory\n');
  });

  test('sh -c, scripts and scripts on stdin; nested shells bounded', () => {
    const m = testMachine();
    m.fs.write('/root/s.sh', 'echo "args: $1 $2"\nexit 5\n');
    expect(m.run('sh s.sh x y; echo $?').stdout).toBe('args: x y\n5\n');
    expect(m.run('bash -c "echo \\$0" name').stdout).toBe('name\n');
    expect(m.run("echo 'echo piped' | sh").stdout).toBe('piped\n');
    m.fs.write('/root/bomb', 'sh bomb\n');
    expect(m.run('sh bomb').stderr).toMatch(/fork: retry: Resource temporarily unavailable/);
  });

  test('builtins: type, command -v, read, eval, test and [ errors', () => {
    const m = testMachine();
    expect(m.run('type if echo ls').stdout).toBe('if is a shell keyword\necho is a shell builtin\nls is /usr/bin/ls\n');
    expect(m.run('command -v ls cd').stdout).toBe('/usr/bin/ls\ncd\n');
    expect(m.run('read a b; echo "$b-$a"', { stdin: 'x y z\n' }).stdout).toBe('y z-x\n');
    expect(m.run('printf "l1\\nl2\\n" | while read l; do echo "<$l>"; done').stdout).toBe('<l1>\n<l2>\n');
    expect(m.run('eval "X=5"; echo $X').stdout).toBe('5\n');
    expect(m.run('[ 1 -gt ]').stderr).toBe('bash: line 1: [: 1: unary operator expected\n');
  });

  test('functions: arguments, return, recursion bounded', () => {
    const m = testMachine();
    // Expected from bash 5.2 (the recursion line excepted: bash itself crashes there).
    expect(m.run('f() { echo "in f: $1 $#"; return 3; echo no; }; f a b; echo $?').stdout).toBe('in f: a 2\n3\n');
    expect(m.run('function h { echo h; }; h; type h').stdout).toBe('h\nh is a function\n');
    expect(m.run('k() {\n  echo multi\n}\nk').stdout).toBe('multi\n');
    expect(m.run('g() { g; }; g; echo after $?')).toEqual({
      stdout: 'after 1\n',
      stderr: 'bash: line 1: g: maximum function nesting level exceeded (100)\n',
      status: 0,
    });
    expect(m.run('return 2').stderr).toBe("bash: line 1: return: can only `return' from a function or sourced script\n");
  });
});
