/** The learner's progress, kept in this browser only: which chapters were opened. */
const KEY = 'dnlab:visited';

export function visited(): Set<string> {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return new Set(Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function markVisited(chapter: string): void {
  const v = visited();
  v.add(chapter);
  try {
    localStorage.setItem(KEY, JSON.stringify([...v]));
  } catch {
    /* storage disabled */
  }
}

export function forgetProgress(): void {
  try {
    for (const k of Object.keys(localStorage)) if (k.startsWith('dnlab:') && k !== 'dnlab:theme') localStorage.removeItem(k);
  } catch {
    /* storage disabled */
  }
}
