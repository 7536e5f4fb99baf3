/**
 * Id-independence. `normaliseLine` applies an exercise's tolerance to one line of a file, a
 * rule or a route before comparison; `canonicalSnapshot` rewrites a whole snapshot so that two
 * labs that differ only by their seed (ids, random MACs, veth names, ephemeral host ports)
 * are equal — for diffs and for capturing an expected state.
 */
import { DEFAULT_TOLERANCE, type Tolerance } from './exercise.ts';
import type { HostSnapshot, Snapshot } from './types.ts';

const ID64 = /\b[0-9a-f]{64}\b/g;
const ID12 = /\b[0-9a-f]{12}\b/g;
const MAC = /\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/gi;
const VETH = /\bveth[0-9a-f]{7}\b/g;
/** Linux's default ip_local_port_range, from which docker's port allocator picks (portallocator.go). */
export const EPHEMERAL_MIN = 32768;
export const EPHEMERAL_MAX = 60999;

export function isEphemeral(port: number): boolean {
  return port >= EPHEMERAL_MIN && port <= EPHEMERAL_MAX;
}

export function mergeTolerance(base: Tolerance, over?: Partial<Tolerance>): Tolerance {
  return { ...DEFAULT_TOLERANCE, ...base, ...(over ?? {}) };
}

/** Applies a tolerance to one line; runs of blanks (the tabs of /etc/hosts) compare as one space. */
export function normaliseLine(line: string, tol: Tolerance): string {
  let s = line.trim().replace(/[ \t]+/g, ' ');
  if (tol.ids === 'ignore') s = s.replace(ID64, '<ID>').replace(ID12, '<ID>');
  if (tol.macs === 'ignore') s = s.replace(MAC, '<MAC>');
  if (tol.vethNames === 'ignore') s = s.replace(VETH, '<VETH>');
  if (tol.ephemeralPorts === 'ignore')
    s = s.replace(/(--dport |--sport |--to-ports? |:)(\d+)\b/g, (m, pre: string, n: string) =>
      isEphemeral(Number(n)) ? `${pre}<PORT>` : m,
    );
  return s;
}

export function fileLines(text: string | null): string[] {
  if (text === null) return [];
  return text.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1));
}

function canonicalHost(h: HostSnapshot): HostSnapshot {
  const tokens = new Map<string, string>();
  for (const c of h.containers) tokens.set(c.id, `<id:${c.name}>`);
  for (const n of h.networks) tokens.set(n.id, `<net:${n.name}>`);
  const rewrite = (s: string): string => {
    let out = s;
    for (const [id, tok] of tokens) {
      if (!id) continue;
      out = out.split(id).join(tok).split(id.slice(0, 12)).join(tok);
    }
    out = out.replace(VETH, '<veth>');
    out = out.replace(MAC, (m) => (m.toLowerCase().startsWith('02:42:') ? m.toLowerCase() : '<mac>'));
    return out;
  };
  const deep = <T>(v: T): T => JSON.parse(rewrite(JSON.stringify(v))) as T;
  const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return deep({
    ...h,
    networks: [...h.networks].sort(byName),
    containers: [...h.containers].sort(byName).map((c) => ({
      ...c,
      networks: [...c.networks].sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : 0)),
      ports: [...c.ports]
        .map((p) => ({ ...p, hostPort: isEphemeral(p.hostPort) ? -1 : p.hostPort }))
        .sort((a, b) => (a.containerPort + a.hostIp < b.containerPort + b.hostIp ? -1 : 1)),
    })),
  });
}

/** The id-independent form of a snapshot (ephemeral host ports become -1). */
export function canonicalSnapshot(s: Snapshot): Snapshot {
  return { version: s.version, hosts: s.hosts.map(canonicalHost) };
}
