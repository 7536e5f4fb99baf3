/**
 * What the engine needs from the machine it runs on (the host environment), and what it gives
 * the programs it starts inside containers.
 */
import type { Vfs } from '../base/vfs.ts';
import type { Clock } from '../base/clock.ts';
import type { Rng } from '../base/rng.ts';
import type { World } from '../net/world.ts';
import type { Netns } from '../net/netns.ts';
import type { NetStack } from '../net/stack.ts';
import type { ProcessTable } from '../apps/process.ts';
import type { ImageData, Userland } from './images/types.ts';
import type { NamesGenerator } from './ids.ts';

/** Profile data: the images and the host-specific paths that differ between machines. */
export interface DockerProfile {
  name: string;
  images: ImageData[];
  /** Where docker-proxy lives (`/usr/bin/docker-proxy` upstream, `/usr/sbin/docker-proxy` on Debian). */
  proxyPath: string;
  /** dockerd's command line as `ps` shows it. */
  dockerdCmdline: string;
  /** What `docker pull` can fetch (defaults to `images`). */
  registry?: ImageData[];
  /** Root file system tarballs on the host that `docker import` knows (path → the image they make). */
  rootfsTarballs?: Record<string, ImageData>;
}

/** A container as a program running in it sees the world (also the `docker exec` target). */
export interface ContainerRuntime {
  id: string;
  name: string;
  fs: Vfs;
  netns: Netns;
  procs: ProcessTable;
  userland: Userland;
  tools: readonly string[];
  hostname: string;
  env: string[];
  workdir: string;
  /** Path and arguments of the main process. */
  argv: string[];
  tty: boolean;
  openStdin: boolean;
  image: ImageData;
  /** Appends to the container's log (`docker logs`). */
  log(stream: 'stdout' | 'stderr', text: string): void;
  /** The main process ended with this status. */
  exit(code: number): void;
}

/** What a started program gives back: how it reacts to `docker stop` (null: it ignores SIGTERM). */
export interface ProgramHandle {
  stop?: (signal: 'TERM' | 'KILL') => number | null;
}

export interface HostEnv {
  world: World;
  netns: Netns;
  fs: Vfs;
  procs: ProcessTable;
  clock: Clock;
  rng: Rng;
  hostname: () => string;
  profile: DockerProfile;
  /** The transport layer (embedded DNS forwarding, docker-proxy relaying); optional in unit tests. */
  stack?: NetStack;
  names?: NamesGenerator;
  /** Starts the container's command (the lead wires nginx, redis, shells… here). */
  startProgram?: (c: ContainerRuntime) => ProgramHandle | void;
  /** Puts an image's programs into its root file system when it is first unpacked (the lab wires the shell's registry here). */
  installImage?: (fs: Vfs, img: ImageData) => void;
}
