/**
 * Image references as docker/distribution's reference package (vendored in docker/cli and
 * moby v20.10) parses them: reference.go / regexp.go / normalize.go ParseNormalizedNamed,
 * FamiliarString, and the error texts the CLI prints (`invalid reference format`,
 * `invalid reference format: repository name must be lowercase`).
 */

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]*)';
const nameComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const namePat = `(?:${domain}/)?${nameComponent}(?:/${nameComponent})*`;
const referenceRe = new RegExp(`^(${namePat})(?::(${tag}))?(?:@(${digest}))?$`);
const anchoredIdentifier = /^[a-f0-9]{64}$/;

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO = 'library';

export class ReferenceError extends Error {}

export interface ImageRef {
  /** docker.io, localhost:5000, ... */
  domain: string;
  /** library/busybox, su/flask-redis */
  path: string;
  tag: string | null;
  digest: string | null;
}

function splitDockerDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  let d: string;
  let rest: string;
  if (i === -1 || (!/[.:]/.test(name.slice(0, i)) && name.slice(0, i) !== 'localhost')) {
    d = DEFAULT_DOMAIN;
    rest = name;
  } else {
    d = name.slice(0, i);
    rest = name.slice(i + 1);
  }
  if (d === LEGACY_DEFAULT_DOMAIN) d = DEFAULT_DOMAIN;
  if (d === DEFAULT_DOMAIN && !rest.includes('/')) rest = `${OFFICIAL_REPO}/${rest}`;
  return [d, rest];
}

/** reference.Parse's checks (throws with its error texts). */
function parseRaw(s: string): RegExpExecArray {
  const m = referenceRe.exec(s);
  if (!m) {
    if (s === '') throw new ReferenceError('repository name must have at least one component');
    if (referenceRe.test(s.toLowerCase())) throw new ReferenceError('repository name must be lowercase');
    throw new ReferenceError('invalid reference format');
  }
  if (m[1].length > 255) throw new ReferenceError('repository name must not be more than 255 characters');
  return m;
}

/**
 * ParseNormalizedNamed: `busybox` → docker.io/library/busybox. Errors as the CLI shows them
 * (`invalid reference format: repository name must be lowercase`).
 */
export function parseNormalizedNamed(s: string): ImageRef {
  if (anchoredIdentifier.test(s)) {
    throw new ReferenceError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const [d, remainder] = splitDockerDomain(s);
  const remoteName = remainder.includes(':') ? remainder.slice(0, remainder.indexOf(':')) : remainder;
  if (remoteName.toLowerCase() !== remoteName) {
    throw new ReferenceError('invalid reference format: repository name must be lowercase');
  }
  let m: RegExpExecArray;
  try {
    m = parseRaw(`${d}/${remainder}`);
  } catch (e) {
    if (e instanceof ReferenceError && e.message === 'repository name must be lowercase') {
      throw new ReferenceError('invalid reference format: repository name must be lowercase');
    }
    throw e;
  }
  const name = m[1];
  const slash = name.indexOf('/');
  return { domain: name.slice(0, slash), path: name.slice(slash + 1), tag: m[2] ?? null, digest: m[3] ?? null };
}

/** TagNameOnly: adds `:latest` when there is neither tag nor digest. */
export function withDefaultTag(r: ImageRef): ImageRef {
  return r.tag === null && r.digest === null ? { ...r, tag: 'latest' } : r;
}

/** FamiliarName: `busybox`, `su/flask-redis`, `localhost:5000/x`. */
export function familiarName(r: ImageRef): string {
  if (r.domain === DEFAULT_DOMAIN) {
    return r.path.startsWith(`${OFFICIAL_REPO}/`) && r.path.split('/').length === 2 ? r.path.slice(OFFICIAL_REPO.length + 1) : r.path;
  }
  return `${r.domain}/${r.path}`;
}

/** FamiliarString: name plus `:tag` and `@digest` as present. */
export function familiarString(r: ImageRef): string {
  return familiarName(r) + (r.tag !== null ? `:${r.tag}` : '') + (r.digest !== null ? `@${r.digest}` : '');
}

/** The full normalized form: `docker.io/library/busybox:latest`. */
export function fullString(r: ImageRef): string {
  return `${r.domain}/${r.path}` + (r.tag !== null ? `:${r.tag}` : '') + (r.digest !== null ? `@${r.digest}` : '');
}
