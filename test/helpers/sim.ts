/**
 * Test helpers: a bare machine (one network namespace, a file system, every command installed)
 * and a way to run a command line on it and collect stdout, stderr and the exit status.
 */
import { Clock } from '../../src/sim/base/clock.ts';
import { Rng } from '../../src/sim/base/rng.ts';
import { Vfs } from '../../src/sim/base/vfs.ts';
import { World } from '../../src/sim/net/world.ts';
import type { Netns } from '../../src/sim/net/netns.ts';
import { ProcessTable } from '../../src/sim/apps/process.ts';
import { Shell, type Userland } from '../../src/sim/shell/interp.ts';
import { Target } from '../../src/sim/shell/target.ts';
import { shellBuiltins } from '../../src/sim/shell/builtins.ts';
import { BufferOutput, ExitShell, Input, runToCompletion } from '../../src/sim/shell/runtime.ts';
import '../../src/sim/shell/commands/index.ts';

export interface TestMachine {
  world: World;
  netns: Netns;
  fs: Vfs;
  target: Target;
  clock: Clock;
  /** Runs a command line; `stdin` feeds it. Long-running commands stop after `maxMs` virtual ms. */
  run(line: string, opts?: { stdin?: string; maxMs?: number }): { stdout: string; stderr: string; status: number };
}

export function testMachine(
  opts: { userland?: Userland; hostname?: string; world?: World; netns?: Netns; seed?: number } = {},
): TestMachine {
  const clock = new Clock(Date.UTC(2026, 10, 23, 10, 29, 30));
  const world = opts.world ?? new World(new Rng(opts.seed ?? 1), clock);
  const netns = opts.netns ?? world.createNetns('host');
  const fs = new Vfs(() => clock.now());
  for (const d of ['/root', '/tmp', '/etc', '/proc/sys/net/ipv4']) fs.mkdir(d, { parents: true });
  const userland = opts.userland ?? 'gnu';
  const target = new Target({
    fs,
    hostname: () => opts.hostname ?? 'docker-node1',
    userland,
    netns,
    world,
    clock: world.clock,
    procs: new ProcessTable(1000),
    tools: 'all',
  });
  return {
    world,
    netns,
    fs,
    target,
    clock: world.clock,
    run(line, o = {}) {
      const shell = new Shell({
        dialect: userland === 'busybox' ? 'ash' : 'bash',
        name: userland === 'busybox' ? 'sh' : 'bash',
        target,
        cwd: '/root',
        builtins: shellBuiltins(),
        env: { HOME: '/root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', USER: 'root' },
      });
      const stdout = new BufferOutput(false);
      const stderr = new BufferOutput(false);
      let status: number;
      try {
        status = runToCompletion(
          shell.run(line, { stdin: new Input(o.stdin ?? '', true), stdout, stderr }),
          (ms) => world.clock.advance(ms),
          {
            sleepMs: o.maxMs ?? 10_000,
          },
        );
      } catch (e) {
        if (e instanceof ExitShell) status = e.status;
        else throw e;
      }
      return { stdout: stdout.text(), stderr: stderr.text(), status };
    },
  };
}
