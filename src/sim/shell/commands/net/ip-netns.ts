/**
 * Named network namespaces (iproute2 ip/ipnetns.c): `ip netns add|del|list|exec`, the
 * `/var/run/netns/NAME` files that name them on a machine, `ip -n NAME`, and
 * `ip link set DEV netns NAME|PID`. A new namespace is the kernel's: only `lo`, down, with no
 * address until it comes up.
 */
import type { CommandContext, ExecTarget } from '../../interp.ts';
import { Shell } from '../../interp.ts';
import type { Vfs } from '../../../base/vfs.ts';
import type { Netns } from '../../../net/netns.ts';
import type { CommandResult } from '../../runtime.ts';
import { shellBuiltins } from '../../builtins.ts';
import { err } from './common.ts';

const RUN_DIR = '/var/run/netns';

/** The namespaces each machine (file system) has named. */
const named = new WeakMap<Vfs, Map<string, Netns>>();

function table(fs: Vfs): Map<string, Netns> {
  let t = named.get(fs);
  if (!t) named.set(fs, (t = new Map()));
  return t;
}

/** The namespace a name refers to on this machine, if its /var/run/netns file still exists. */
export function namedNetns(ctx: CommandContext, name: string): Netns | undefined {
  const ns = table(ctx.target.fs).get(name);
  if (!ns || !ctx.target.fs.exists(`${RUN_DIR}/${name}`) || !ctx.target.world.netns(ns.id)) return undefined;
  return ns;
}

/** `netns NAME|PID` of `ip link set`: a named namespace, or the one a process runs in. */
export function netnsArg(ctx: CommandContext, arg: string): Netns | undefined {
  const byName = namedNetns(ctx, arg);
  if (byName) return byName;
  if (/^\d+$/.test(arg)) {
    const p = ctx.target.procs.get(Number(arg));
    return p ? ctx.target.world.netns(p.netnsId) : undefined;
  }
  return undefined;
}

/** The same machine seen from another network namespace (what setns(2) gives a process). */
export function inNetns(target: ExecTarget, ns: Netns): ExecTarget {
  return Object.create(target, { netns: { value: ns, enumerable: true } }) as ExecTarget;
}

export function ipNetns(ctx: CommandContext, args: string[]): CommandResult {
  const cmd = args[0] ?? 'list';
  const fs = ctx.target.fs;
  const t = table(fs);
  const is = (w: string, full: string): boolean => w.length > 0 && full.startsWith(w);
  if (is(cmd, 'list') || is(cmd, 'show')) {
    let names: string[];
    try {
      names = fs.list(RUN_DIR);
    } catch {
      return 0;
    }
    // readdir order: most recently created first on tmpfs.
    const order = [...t.keys()].reverse();
    names.sort((a, b) => (order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9));
    for (const n of names) {
      const ns = namedNetns(ctx, n);
      const id = ns ? ctx.target.netns.nsids.get(ns.id) : undefined;
      ctx.stdout.write(id !== undefined ? `${n} (id: ${id})\n` : `${n}\n`);
    }
    return 0;
  }
  if (is(cmd, 'add')) {
    const name = args[1];
    if (!name) {
      err(ctx, 'No netns name specified');
      return 1;
    }
    if (name.includes('/') || name === '.' || name === '..') {
      err(ctx, `Invalid netns name "${name}"`);
      return 1;
    }
    const path = `${RUN_DIR}/${name}`;
    if (fs.exists(path)) {
      err(ctx, `Cannot create namespace file "${path}": File exists`);
      return 1;
    }
    const ns = ctx.target.world.createNetns(name);
    // A fresh namespace's lo is down and has no address yet.
    const lo = ns.linkByName('lo')!;
    ns.setUp(lo.ifindex, false);
    lo.addrs4 = [];
    lo.addrs6 = [];
    lo.qdisc = 'noop';
    fs.mkdir(RUN_DIR, { parents: true });
    fs.write(path, '', { mode: 0 });
    t.set(name, ns);
    return 0;
  }
  if (is(cmd, 'delete')) {
    const name = args[1];
    if (!name) {
      err(ctx, 'No netns name specified');
      return 1;
    }
    const path = `${RUN_DIR}/${name}`;
    if (!fs.exists(path)) {
      err(ctx, `Cannot remove namespace file "${path}": No such file or directory`);
      return 1;
    }
    const ns = namedNetns(ctx, name);
    fs.unlink(path);
    t.delete(name);
    // The namespace goes when nothing holds it any more (no process runs in it here).
    if (ns && !ctx.target.procs.list().some((p) => p.netnsId === ns.id)) ctx.target.world.destroyNetns(ns);
    return 0;
  }
  if (is(cmd, 'exec')) {
    const name = args[1];
    if (!name) {
      err(ctx, 'No netns name specified');
      return 1;
    }
    if (args.length < 3) {
      err(ctx, 'No command specified');
      return 1;
    }
    const ns = namedNetns(ctx, name);
    if (!ns) {
      err(ctx, `Cannot open network namespace "${name}": No such file or directory`);
      return 1;
    }
    return execIn(ctx, ns, args.slice(2));
  }
  err(ctx, `Command "${cmd}" is unknown, try "ip netns help".`);
  return 255;
}

/** Runs argv in another network namespace of the same machine, as execvp after setns. */
function execIn(ctx: CommandContext, ns: Netns, argv: string[]): CommandResult {
  const target = inNetns(ctx.target, ns);
  const busybox = target.userland === 'busybox';
  const sh = new Shell({
    dialect: busybox ? 'ash' : 'bash',
    name: busybox ? 'sh' : 'bash',
    target,
    cwd: ctx.cwd,
    builtins: shellBuiltins(),
    env: Object.fromEntries(ctx.env),
  });
  const resolved = target.resolve(argv[0], ctx.env.get('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ctx.cwd);
  if (!resolved) {
    err(ctx, `exec of "${argv[0]}" failed: No such file or directory`);
    return 1;
  }
  return sh.runProgram(resolved.run, { ...ctx, argv, shell: sh, target });
}
