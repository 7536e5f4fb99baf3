/**
 * The classic builder's cache and its intermediate images: (parent image id, instruction) →
 * image, per engine. `docker history` walks parents through it, `docker build` reuses its
 * entries (` ---> Using cache`).
 */
import type { DockerEngine } from '../../../docker/engine.ts';
import type { ImageData } from '../../../docker/images/types.ts';

const caches = new WeakMap<DockerEngine, Map<string, ImageData>>();

export function buildCache(engine: DockerEngine): Map<string, ImageData> {
  let cache = caches.get(engine);
  if (!cache) {
    cache = new Map();
    caches.set(engine, cache);
  }
  return cache;
}

/** An image by id: the engine's store first, then the builder's intermediate images. */
export function imageById(engine: DockerEngine, id: string): ImageData | null {
  const stored = engine.images.find((i) => i.id === id);
  if (stored) return stored;
  for (const img of caches.get(engine)?.values() ?? []) if (img.id === id) return img;
  return null;
}
