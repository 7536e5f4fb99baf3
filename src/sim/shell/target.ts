/**
 * A place where commands run: a host's root namespace or a container, with its file system,
 * network namespace, PID namespace and installed programs.
 */
import type { Vfs } from '../base/vfs.ts';
import type { Clock } from '../base/clock.ts';
import type { Netns } from '../net/netns.ts';
import type { World } from '../net/world.ts';
import type { ProcessTable } from '../apps/process.ts';
import type { ExecTarget, ResolvedProgram, UiEditRequest, Userland } from './interp.ts';
import { lookupCommand, commandNames } from './commands/registry.ts';
import type { DockerEngine } from '../docker/engine.ts';

export interface TargetOptions {
  fs: Vfs;
  hostname: () => string;
  userland: Userland;
  netns: Netns;
  world: World;
  clock: Clock;
  procs: ProcessTable;
  /** Installed program names; `'all'` installs every registered command. */
  tools: readonly string[] | 'all';
  /** Requests to the UI (`vi FILE`); absent where there is no UI (replay, tests). */
  ui?: (req: UiEditRequest) => void;
  /** The image's single program directory, if it has one (ImageData.programDir). */
  programDir?: string;
}

export class Target implements ExecTarget {
  readonly fs: Vfs;
  readonly userland: Userland;
  readonly netns: Netns;
  readonly world: World;
  readonly clock: Clock;
  readonly procs: ProcessTable;
  /** The Docker engine of a host (absent inside containers and on the LAN machine). */
  engine: DockerEngine | null = null;
  private readonly host: () => string;
  private readonly tools: ReadonlySet<string> | 'all';
  private readonly programDir: string | undefined;
  ui?: (req: UiEditRequest) => void;

  constructor(o: TargetOptions) {
    this.fs = o.fs;
    this.userland = o.userland;
    this.netns = o.netns;
    this.world = o.world;
    this.clock = o.clock;
    this.procs = o.procs;
    this.host = o.hostname;
    this.tools = o.tools === 'all' ? 'all' : new Set(o.tools);
    if (o.ui) this.ui = o.ui;
    this.programDir = o.programDir;
  }

  hostname(): string {
    return this.host();
  }

  spawnPid(): number {
    return this.procs.allocPid();
  }

  installed(): string[] {
    return this.tools === 'all' ? commandNames() : [...this.tools].filter((n) => lookupCommand(n)).sort();
  }

  /** Where a tool lives here: busybox applets in /bin or /usr/bin, the Debian paths otherwise. */
  pathOf(name: string): string | null {
    if (this.tools !== 'all' && !this.tools.has(name)) return null;
    return programPath(name, this.userland, this.programDir);
  }

  resolve(name: string, path: string): ResolvedProgram | null {
    if (name.includes('/')) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      const p = this.pathOf(base);
      const spec = lookupCommand(base);
      return p && spec && (p === name || name.endsWith('/' + base)) ? { path: p, run: spec.run } : null;
    }
    const p = this.pathOf(name);
    const spec = lookupCommand(name);
    if (!p || !spec) return null;
    const dir = p.slice(0, p.lastIndexOf('/')) || '/';
    return path.split(':').includes(dir) ? { path: p, run: spec.run } : null;
  }
}

/** Where a registered program is installed: the image's program directory, else busybox's applet path or Debian's. */
export function programPath(name: string, userland: Userland, programDir?: string): string | null {
  const spec = lookupCommand(name);
  if (!spec) return null;
  if (programDir) return `${programDir}/${name}`;
  return (userland === 'busybox' ? spec.paths.busybox : spec.paths.gnu) ?? spec.paths.gnu ?? spec.paths.busybox ?? `/usr/bin/${name}`;
}
