/**
 * Property-based robustness checks for the shell: random bytes, random shell-ish text and
 * grammar-built command lines (coreutils, filters, loops, pipes, redirections, nested shells)
 * are typed into a terminal session. After every line: no exception escaped, the command
 * finished within bounded (virtual) time, and the machine's state is still consistent.
 *
 * Used by test/fuzz/quick.test.ts (a bounded run in `npm test`) and test/fuzz/run.ts (`npm run fuzz`).
 */
import fc from 'fast-check';
import { Session, type StepResult } from '../../src/sim/lab/session.ts';
import { Shell } from '../../src/sim/shell/interp.ts';
import { shellBuiltins } from '../../src/sim/shell/builtins.ts';
import type { FsNode } from '../../src/sim/base/vfs.ts';
import { testMachine, type TestMachine } from '../helpers/sim.ts';
import { createLab, type Lab } from '../../src/sim/index.ts';

const FILES = ['a.txt', 'b', 'dir', 'dir/x', '/etc/hosts', '/tmp', 'nosuch', '-', '.', '..', '/', '~', '*', 'dir/*'];
const WORDS = [
  'hello',
  'a b',
  '',
  '0',
  '1',
  '-1',
  '99999999999999999999',
  '$HOME',
  '$?',
  '$(echo x)',
  '`echo y`',
  "'q'",
  '"dq"',
  '\\',
  '%s',
  '%d',
  '\\n',
  'é',
  '🐳',
];
const FLAGS = [
  '-n',
  '-c',
  '-v',
  '-i',
  '-E',
  '-o',
  '-r',
  '-f',
  '-l',
  '-a',
  '-1',
  '-p',
  '-u',
  '-k2',
  '-d:',
  '-f1',
  '-s',
  '-e',
  '-w',
  '-x',
  '--help',
  '--bogus',
  '-Z',
  '-n 2',
  '-3',
  '+2',
];
const COMMANDS = [
  'cat',
  'ls',
  'touch',
  'mkdir',
  'rm',
  'cp',
  'mv',
  'rmdir',
  'sleep',
  'env',
  'printenv',
  'which',
  'type',
  'history',
  'clear',
  'whoami',
  'id',
  'hostname',
  'uname',
  'date',
  'ps',
  'grep',
  'egrep',
  'head',
  'tail',
  'wc',
  'sort',
  'uniq',
  'cut',
  'awk',
  'sed',
  'tr',
  'xargs',
  'tee',
  'seq',
  'yes',
  'printf',
  'test',
  '[',
  'basename',
  'dirname',
  'kill',
  'telnet',
  'true',
  'false',
  'echo',
  'sh',
  'bash',
  'vi',
  'cd',
  'pwd',
  'export',
  'unset',
  'read',
  'eval',
  'shift',
  'command',
  'exit',
  'help',
  ':',
  'nosuchcmd',
];
const AWK = [
  '{print $1}',
  'BEGIN{print 1/0}',
  '{s+=$2} END{print s}',
  'NR==1',
  '{print substr($0,2)}',
  '/a/{n++} END{print n}',
  '{',
  'BEGIN{while(1);}',
  '{$3="x"; print}',
];
const SED = ['s/a/b/g', 'p', '-n 1p', '$d', '/a/d', 's/\\(.\\)/\\1\\1/', 'y/ab/ba/', '1q', 's/a', 'k', '2,$s/^/> /'];

const word = fc.oneof(
  fc.constantFrom(...FILES),
  fc.constantFrom(...WORDS),
  fc.constantFrom(...FLAGS),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -5, max: 300 }).map(String),
);

const simple = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...COMMANDS), fc.array(word, { maxLength: 4 })).map(([c, a]) => [c, ...a].join(' ')) },
  { weight: 1, arbitrary: fc.constantFrom(...AWK).map((p) => `awk '${p}' a.txt`) },
  { weight: 1, arbitrary: fc.constantFrom(...SED).map((p) => `sed '${p}' a.txt`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'yes | head -2',
      'seq 1000 | tail -1',
      'ls | xargs echo',
      'ps -ef | grep bash',
      'cat a.txt | sort | uniq -c',
    ),
  },
);

const redirect = fc.constantFrom(
  '',
  '',
  '',
  ' > out',
  ' >> out',
  ' 2>&1',
  ' 2>/dev/null',
  ' < a.txt',
  ' < nosuch',
  ' > /dev/null',
  ' > dir',
);

const pipeline = fc
  .array(
    fc.tuple(simple, redirect).map(([c, r]) => c + r),
    { minLength: 1, maxLength: 4 },
  )
  .map((cs) => cs.join(' | '));

const compound: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: pipeline },
  { weight: 1, arbitrary: pipeline.map((p) => `for i in 1 2 3; do ${p}; done`) },
  { weight: 1, arbitrary: pipeline.map((p) => `while true; do ${p}; done`) },
  { weight: 1, arbitrary: pipeline.map((p) => `if ${p}; then echo y; else echo n; fi`) },
  { weight: 1, arbitrary: pipeline.map((p) => `( ${p} )`) },
  { weight: 1, arbitrary: pipeline.map((p) => `{ ${p}; }`) },
  { weight: 1, arbitrary: pipeline.map((p) => `echo "$(${p})"`) },
  { weight: 1, arbitrary: pipeline.map((p) => `sh -c '${p.replace(/'/g, '')}'`) },
  { weight: 1, arbitrary: pipeline.map((p) => `cat <<EOF\n${p}\nEOF`) },
);

/** A command line as a learner might type it. */
export const commandLine = fc
  .array(fc.tuple(compound, fc.constantFrom(' ; ', ' && ', ' || ', ' & ', '\n')), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([c, op], i) => (i === parts.length - 1 ? c : c + op)).join(''));

/** Shell-ish noise: every metacharacter, unbalanced quotes, here-doc markers, expansions. */
export const noise = fc
  .array(
    fc.constantFrom(
      ...'\'"`$(){}[]<>|&;!*?~#\\\n \t=-abcxyz019'.split(''),
      '<<',
      '$((',
      '${',
      '&&',
      '||',
      ';;',
      'EOF',
      'done',
      'fi',
      'do',
      'then',
    ),
    {
      maxLength: 60,
    },
  )
  .map((a) => a.join(''));

/** Arbitrary text including control characters and invalid surrogates. */
export const bytes = fc.string({ unit: 'binary', maxLength: 200 });

export const anyLine = fc.oneof({ weight: 5, arbitrary: commandLine }, { weight: 2, arbitrary: noise }, { weight: 1, arbitrary: bytes });

/** Docker lines for the whole-lab rig (the engine's own invariants are tested in test/docker). */
const DOCKER = [
  'docker run -d --name c1 busybox sleep 3600',
  'docker run -d --name c2 -p 8080:80 nginx',
  'docker run --rm busybox echo hi',
  'docker run -it --rm busybox sh',
  'docker exec -it c1 sh',
  'docker exec c1 ip addr',
  'docker exec c1 cat /etc/hosts',
  'docker ps',
  'docker ps -aq',
  'docker ps -q | xargs docker rm -f',
  'docker network create n1',
  'docker network connect n1 c1',
  'docker network ls',
  'docker rm -f c1 c2',
  'docker inspect c1',
  'docker logs c2',
  'docker stop c2',
  'telnet 172.17.0.2 80',
  'docker exec c1 telnet 172.17.0.3 80',
];
export const labLine = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DOCKER) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...DOCKER), fc.array(word, { maxLength: 3 })).map(([d, a]) => [d, ...a].join(' ')) },
  { weight: 2, arbitrary: anyLine },
);

// ---- the machine under test ----------------------------------------------------------------

export interface Rig {
  session: Session;
  machine: TestMachine | null;
  lab: Lab | null;
  lines: number;
}

function newSession(m: TestMachine): Session {
  const shell = new Shell({
    dialect: m.target.userland === 'busybox' ? 'ash' : 'bash',
    name: m.target.userland === 'busybox' ? 'sh' : 'bash',
    target: m.target,
    cwd: '/root',
    interactive: true,
    builtins: shellBuiltins(),
    env: { HOME: '/root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', USER: 'root' },
  });
  return new Session(shell, (ms) => m.clock.advance(ms));
}

/** A fresh machine with a few files, in a terminal session. `full` uses the whole lab (Docker engine too). */
export function makeRig(userland: 'gnu' | 'busybox', full = false): Rig {
  if (full) {
    const lab = createLab({ seed: 1 });
    const session = lab.openSession();
    session.submit("printf 'a 1\\nb 2\\n' > a.txt; mkdir -p dir; : > dir/x");
    return { session, machine: null, lab, lines: 0 };
  }
  const m = testMachine({ userland });
  m.fs.write('/root/a.txt', 'a 1\nb 2\nc 3\n');
  m.fs.mkdir('/root/dir');
  m.fs.write('/root/dir/x', 'x\n');
  m.fs.write('/etc/hosts', '127.0.0.1\tlocalhost\n');
  return { session: newSession(m), machine: m, lab: null, lines: 0 };
}

/** Virtual time a fuzzed command may run before it is interrupted, like a replay's bound. */
const MAX_VIRTUAL_MS = 20_000;
/** Steps (sleeps, reads) before a command counts as hung. */
const MAX_STEPS = 10_000;

/**
 * Types one line and drives it to the end: sleeps are resumed (then Ctrl-C past the bound),
 * programs reading the terminal get end of input. Throws when an invariant breaks.
 */
export function typeLine(rig: Rig, line: string): void {
  const s = rig.session;
  let r: StepResult = s.submit(line);
  let virtual = 0;
  for (let steps = 0; ; steps++) {
    if (steps > MAX_STEPS) throw new Error(`command did not finish after ${MAX_STEPS} steps: ${JSON.stringify(line)}`);
    if (r.state === 'sleeping') {
      virtual += r.ms;
      r = virtual > MAX_VIRTUAL_MS ? s.interrupt() : s.resume();
    } else if (r.state === 'input') r = s.eof();
    else if (r.state === 'continue') r = s.interrupt();
    else break;
  }
  const out = s.drain();
  if (typeof out !== 'string') throw new Error('output is not text');
  if (/lab: internal error/.test(out))
    throw new Error(`internal error for ${JSON.stringify(line)}: ${out.slice(out.indexOf('lab: internal error'), 400)}`);
  if (r.state === 'closed') {
    // `exit` ends the session: a new terminal, as the site's Reset does.
    const next = rig.machine ? newSession(rig.machine) : rig.lab!.openSession();
    rig.session = next;
  } else if (r.state !== 'done') throw new Error(`unexpected state ${(r as { state: string }).state}`);
  if (s.busy) throw new Error('session still busy after the command ended');
  if (!Number.isInteger(s.shell.status) || s.shell.status < 0 || s.shell.status > 255) throw new Error(`bad exit status ${s.shell.status}`);
  checkInvariants(rig);
  rig.lines++;
}

/** The file system is a well-formed tree, the shell's cwd exists, pids are unique. */
export function checkInvariants(rig: Rig): void {
  const fs = rig.machine?.fs;
  if (fs) {
    let nodes = 0;
    const walk = (n: FsNode, depth: number): void => {
      if (++nodes > 100_000) throw new Error('file system grew past 100000 nodes');
      if (depth > 200) throw new Error('file system deeper than 200 levels');
      if (n.kind === 'dir') {
        if (!(n.children instanceof Map)) throw new Error('directory without children');
        for (const [name, c] of n.children) {
          if (!name || name.includes('/') || name === '.' || name === '..') throw new Error(`bad file name ${JSON.stringify(name)}`);
          walk(c, depth + 1);
        }
      } else if (n.kind === 'file' && !n.dynamic && typeof n.data !== 'string' && !n.whiteout) throw new Error('file without data');
    };
    walk(fs.root, 0);
    const cwd = rig.session.shell.cwd;
    if (!cwd.startsWith('/')) throw new Error(`cwd not absolute: ${cwd}`);
    const pids = rig.machine!.target.procs.list().map((p) => p.pid);
    if (new Set(pids).size !== pids.length) throw new Error('duplicate pids');
  }
}

/** A property: a random sequence of lines never breaks the machine. */
export function sequenceProperty(userland: 'gnu' | 'busybox', full = false): fc.IPropertyWithHooks<[string[]]> {
  return fc.property(fc.array(full ? labLine : anyLine, { minLength: 1, maxLength: 8 }), (lines) => {
    const rig = makeRig(userland, full);
    for (const l of lines) typeLine(rig, l);
  });
}
