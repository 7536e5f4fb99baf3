/**
 * Every program the simulator knows, by name. A host or image decides which of them are
 * installed (its toolset) and where (the path `which` prints); the program itself picks its
 * output format from the target's userland (GNU/iproute2/net-tools/iputils vs busybox).
 *
 * Modules register themselves from `./index.ts`; nothing here knows a specific command.
 */
import type { Program } from '../interp.ts';

export interface CommandSpec {
  name: string;
  run: Program;
  /** Install paths: the GNU/Debian one and busybox's applet path. */
  paths: { gnu?: string; busybox?: string };
}

const registry = new Map<string, CommandSpec>();

export function register(spec: CommandSpec): void {
  registry.set(spec.name, spec);
}

/** Registers several names for one program (`egrep`, `iptables-legacy`). */
export function registerAll(specs: CommandSpec[]): void {
  for (const s of specs) register(s);
}

export function lookupCommand(name: string): CommandSpec | undefined {
  return registry.get(name);
}

export function commandNames(): string[] {
  return [...registry.keys()].sort();
}
