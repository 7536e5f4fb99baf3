/** The place commands run inside a container: its files, namespace, PID namespace and image tools. */
import type { ContainerRuntime } from '../docker/env.ts';
import type { World } from '../net/world.ts';
import { Target } from './target.ts';
import { mountProcSys } from './commands/net/sysctl.ts';

export function containerTarget(rt: ContainerRuntime, world: World): Target {
  // /proc/sys/net of the container's own namespace (procfs is per network namespace).
  if (!rt.fs.exists('/proc/sys/net/ipv4/conf')) mountProcSys(rt.fs, rt.netns, () => world.clock.now());
  return new Target({
    fs: rt.fs,
    hostname: () => rt.hostname,
    userland: rt.userland,
    netns: rt.netns,
    world,
    clock: world.clock,
    procs: rt.procs,
    // The image's entrypoint script is part of its files even when no tool list names it.
    tools: [...rt.tools, ...(rt.image.entrypoint ?? []).slice(0, 1).map((p) => p.slice(p.lastIndexOf('/') + 1))],
    programDir: rt.image.programDir,
  });
}

/** The container's environment as a map (`KEY=value` entries; later ones win). */
export function envMap(env: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of env) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
