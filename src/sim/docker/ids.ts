/**
 * Identifiers Docker generates (pkg/stringid): 32 random bytes as 64 lowercase hex characters;
 * an id whose 12-character prefix is all digits is drawn again (it would parse as a number
 * when used as a hostname). Container, network, endpoint and sandbox ids all use it.
 */
import type { Rng } from '../base/rng.ts';
import { generateNewName } from './format/names.ts';

export function generateId(rng: Rng): string {
  for (;;) {
    const id = rng.hex(64);
    if (!/^\d{12}$/.test(id.slice(0, 12))) return id;
  }
}

export const shortId = (id: string): string => id.slice(0, 12);

/** Random container names (`adjective_surname`, daemon/names.go). */
export interface NamesGenerator {
  /** A free name (without the leading `/`), given which names are taken and the container's short id. */
  generate(inUse: (name: string) => boolean, shortId: string): string;
}

/** moby's pkg/namesgenerator with daemon/names.go's retry rule, drawing from the seeded generator. */
export class DockerNames implements NamesGenerator {
  constructor(private readonly rng: Rng) {}
  generate(inUse: (name: string) => boolean, sid: string): string {
    return generateNewName((n) => this.rng.int(n), inUse, sid);
  }
}

/** Container names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (daemon/names/names.go RestrictedNamePattern). */
export const VALID_CONTAINER_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
