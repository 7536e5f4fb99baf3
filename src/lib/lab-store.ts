/**
 * Lab persistence: a chapter's lab is its command log (the simulator is deterministic, so replaying
 * the log rebuilds the same state). Saved per chapter in localStorage; shared as a compressed URL
 * fragment. Everything read back is validated: bad data is reported and dropped, never thrown.
 */

/** One thing the learner did: a command typed on a host, or a file saved from the editor. */
export type LogEntry =
  | { h: string; c: string; /** virtual ms a long-running command ran before Ctrl-C */ ms?: number }
  | { h: string; w: string; text: string; ctr?: string | null };

export interface SavedLab {
  v: 1;
  chapter: string;
  seed: number;
  log: LogEntry[];
}

export const STORE_VERSION = 1;
const PREFIX = 'dnlab:lab:';
/** A share link longer than this is refused (URLs beyond ~64 KB break in some browsers and servers). */
export const MAX_SHARE_CHARS = 60_000;
const MAX_LOG = 5000;

function isEntry(e: unknown): e is LogEntry {
  if (!e || typeof e !== 'object') return false;
  const o = e as Record<string, unknown>;
  if (typeof o.h !== 'string' || o.h.length > 64) return false;
  if (typeof o.c === 'string') return o.ms === undefined || (typeof o.ms === 'number' && o.ms >= 0 && Number.isFinite(o.ms));
  return typeof o.w === 'string' && typeof o.text === 'string' && (o.ctr === undefined || o.ctr === null || typeof o.ctr === 'string');
}

/** Checks the shape of a saved lab; returns it, or null when anything is off. */
export function validate(data: unknown, chapter?: string): SavedLab | null {
  if (!data || typeof data !== 'object') return null;
  const o = data as Record<string, unknown>;
  if (o.v !== STORE_VERSION) return null;
  if (typeof o.chapter !== 'string' || (chapter !== undefined && o.chapter !== chapter)) return null;
  if (typeof o.seed !== 'number' || !Number.isInteger(o.seed) || o.seed < 0) return null;
  if (!Array.isArray(o.log) || o.log.length > MAX_LOG || !o.log.every(isEntry)) return null;
  return { v: 1, chapter: o.chapter, seed: o.seed, log: o.log as LogEntry[] };
}

export type LoadResult = { state: 'empty' } | { state: 'ok'; lab: SavedLab } | { state: 'corrupt' };

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function loadLab(chapter: string): LoadResult {
  const s = storage();
  let raw: string | null;
  try {
    raw = s?.getItem(PREFIX + chapter) ?? null;
  } catch {
    return { state: 'empty' };
  }
  if (raw === null) return { state: 'empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { state: 'corrupt' };
  }
  const lab = validate(parsed, chapter);
  return lab ? { state: 'ok', lab } : { state: 'corrupt' };
}

export function saveLab(lab: SavedLab): void {
  try {
    storage()?.setItem(PREFIX + lab.chapter, JSON.stringify(lab));
  } catch {
    /* quota or disabled storage: the lab keeps working, only persistence is lost */
  }
}

export function clearLab(chapter: string): void {
  try {
    storage()?.removeItem(PREFIX + chapter);
  } catch {
    /* nothing to do */
  }
}

/** Number of commands saved per chapter (for the progress page). */
export function commandCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  const s = storage();
  if (!s) return out;
  try {
    for (let i = 0; i < s.length; i++) {
      const key = s.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      const r = loadLab(key.slice(PREFIX.length));
      if (r.state === 'ok') out[r.lab.chapter] = r.lab.log.filter((e) => 'c' in e).length;
    }
  } catch {
    /* ignore */
  }
  return out;
}

// --- share links: JSON → deflate-raw (the browser's CompressionStream) → base64url ---

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The URL fragment value for a lab (without `#lab=`), or null when it is too big for a link. */
export async function encodeShare(lab: SavedLab): Promise<string | null> {
  const json = new TextEncoder().encode(JSON.stringify(lab));
  const packed = toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
  return packed.length > MAX_SHARE_CHARS ? null : packed;
}

/** Decodes a share fragment; null when it is damaged, oversized or not a lab. */
export async function decodeShare(packed: string): Promise<SavedLab | null> {
  if (!packed || packed.length > MAX_SHARE_CHARS || !/^[A-Za-z0-9_-]+$/.test(packed)) return null;
  try {
    const bytes = await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw'));
    if (bytes.length > 4_000_000) return null;
    return validate(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return null;
  }
}
