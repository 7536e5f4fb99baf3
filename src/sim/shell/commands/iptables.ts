/**
 * `iptables`, `iptables-save`, `iptables-restore` (iptables 1.8.9, legacy backend, as Debian
 * installs them with Docker) and their `-legacy` names: thin front ends over the namespace's
 * Netfilter, which implements the programs (src/sim/net/netfilter). The shell part supplies
 * what the programs read from the machine: stdin or the file iptables-restore is given, and
 * /etc/hosts for host names in `-s`/`-d` and in `iptables -L` without `-n`.
 */
import type { CommandContext } from '../interp.ts';
import type { Effect, Resume } from '../runtime.ts';
import type { NameResolver } from '../../net/netfilter/xtutil.ts';
import { parseIp4 } from '../../net/ip.ts';
import { Netfilter } from '../../net/netfilter/netfilter.ts';
import { register } from './registry.ts';
import { fsText, resolvePath } from './core/common.ts';
import { interruptible, readStdin } from './core/input.ts';

/** getaddrinfo/gethostbyaddr over the machine's /etc/hosts (no DNS: the lab's resolvers hold no PTR records). */
function hostsResolver(ctx: CommandContext): NameResolver {
  let entries: { ip: number; names: string[] }[] | null = null;
  const load = (): { ip: number; names: string[] }[] => {
    if (entries) return entries;
    entries = [];
    let text: string;
    try {
      text = ctx.target.fs.read('/etc/hosts');
    } catch {
      return entries;
    }
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const [addr, ...names] = line.split(/\s+/);
      const ip = parseIp4(addr!);
      if (ip !== null && names.length) entries.push({ ip, names });
    }
    return entries;
  };
  return {
    hostToAddrs(name) {
      const hits = load()
        .filter((e) => e.names.includes(name))
        .map((e) => e.ip);
      if (hits.length) return [...new Set(hits)];
      return name === 'localhost' ? [0x7f000001] : null;
    },
    addrToHost(ip) {
      const e = load().find((x) => x.ip === ip);
      if (e) return e.names[0]!;
      return ip === 0x7f000001 ? 'localhost' : null;
    },
  };
}

function emit(ctx: CommandContext, r: { status: number; stdout: string; stderr: string }): number {
  if (r.stdout) ctx.stdout.write(r.stdout);
  if (r.stderr) ctx.stderr.write(r.stderr);
  return r.status;
}

function iptables(ctx: CommandContext): number {
  return emit(ctx, ctx.target.netns.netfilter.run(ctx.argv.slice(1), { resolver: hostsResolver(ctx) }));
}

function iptablesSave(ctx: CommandContext): number {
  return emit(ctx, ctx.target.netns.netfilter.save(ctx.argv.slice(1)));
}

class NeedStdin extends Error {}

function* iptablesRestore(ctx: CommandContext): Generator<Effect, number, Resume | undefined> {
  const nf = ctx.target.netns.netfilter;
  const resolver = hostsResolver(ctx);
  const readFile = (file: string): string | { error: string } => {
    try {
      return ctx.target.fs.read(resolvePath(ctx, file));
    } catch (e) {
      return { error: fsText(e) };
    }
  };
  let stdinText: string | null = null;
  for (;;) {
    try {
      const r = nf.restore(
        ctx.argv.slice(1),
        (file) => {
          if (file !== null) return readFile(file);
          if (stdinText !== null) return stdinText;
          if (!ctx.stdin.isClosed) throw new NeedStdin();
          return ctx.stdin.takeAll();
        },
        { resolver },
      );
      return emit(ctx, r);
    } catch (e) {
      if (!(e instanceof NeedStdin)) throw e;
      stdinText = yield* readStdin(ctx);
    }
  }
}

/**
 * ip6tables-save. IPv6 netfilter is not modelled beyond this: nothing in the lab writes IPv6
 * rules (Docker 20.10 without --ipv6 never calls ip6tables), so each namespace's IPv6 tables
 * stay empty and appear only once `-t` has named them, as with ip6tables-legacy-save.
 */
const ip6Tables = new WeakMap<object, Netfilter>();
function ip6tablesSave(ctx: CommandContext): number {
  const ns = ctx.target.netns;
  let nf6 = ip6Tables.get(ns);
  if (!nf6) ip6Tables.set(ns, (nf6 = new Netfilter(() => ctx.target.clock.now())));
  return emit(ctx, nf6.save(ctx.argv.slice(1), { programName: 'ip6tables-save' }));
}

const runRestore = interruptible(iptablesRestore);

for (const [name, run] of [
  ['iptables', iptables],
  ['iptables-save', iptablesSave],
  ['iptables-restore', runRestore],
] as const) {
  register({ name, run, paths: { gnu: `/usr/sbin/${name}` } });
  const legacy = name.replace('iptables', 'iptables-legacy');
  register({ name: legacy, run, paths: { gnu: `/usr/sbin/${legacy}` } });
}
register({ name: 'ip6tables-save', run: ip6tablesSave, paths: { gnu: '/usr/sbin/ip6tables-save' } });
