/**
 * The names the embedded DNS knows (libnetwork sandbox.go ResolveName / ResolveIP, the
 * service records of each network): on every user-defined network the querying container is
 * on, other running containers' names, `--network-alias`es, short ids and custom hostnames,
 * `<name>.<network>`, and the container's own link aliases there. The default bridge has none.
 */
import { shortId } from './ids.ts';
import type { Container } from './model.ts';

export function resolveServiceName(
  all: readonly Container[],
  find: (ref: string) => Container | null,
  c: Container,
  name: string,
): number[] {
  const out: number[] = [];
  for (const s of c.networks.values()) {
    const n = s.network;
    if (!s.endpoint || n.name === 'bridge' || !n.bridge) continue;
    let q = name;
    if (q.endsWith(`.${n.name}`)) q = q.slice(0, -(n.name.length + 1));
    // Link aliases of this container on this network.
    for (const l of s.links) {
      const [target, alias] = l.split(':');
      if (alias !== q) continue;
      const tip = find(target)?.networks.get(n.name)?.endpoint?.ip;
      if (tip != null) out.push(tip);
    }
    for (const o of all) {
      const os = o.networks.get(n.name);
      const ip = os?.endpoint?.ip;
      if (ip == null || !o.running) continue;
      const hit = o.name === q || os?.aliases.includes(q) || shortId(o.id) === q || (o.config.Hostname !== '' && o.config.Hostname === q);
      if (hit && !out.includes(ip)) out.push(ip);
    }
    if (out.length) return out;
  }
  return out;
}

/** PTR: `<name>.<network>` for an address on one of the container's user-defined networks. */
export function reverseServiceName(all: readonly Container[], c: Container, ip: number): string | null {
  for (const s of c.networks.values()) {
    const n = s.network;
    if (!s.endpoint || n.name === 'bridge' || !n.bridge) continue;
    for (const o of all) if (o.networks.get(n.name)?.endpoint?.ip === ip) return `${o.name}.${n.name}`;
  }
  return null;
}
