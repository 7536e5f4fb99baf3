/**
 * The transcript format shared by tests, fidelity scoring, replay and grading (see DESIGN.md):
 * `# ` header lines, then `[host]$ command` blocks with their output and an optional `[exit N]`,
 * and `#> ` directives to the environment between blocks.
 */

export interface Step {
  /** Empty for the first host's default prompt (`$ `). */
  host: string;
  command: string;
  output: string[];
  exit: number;
}

export interface Directive {
  directive: string;
}

export type TranscriptItem = Step | Directive;

export interface Transcript {
  header: string[];
  items: TranscriptItem[];
}

const PROMPT = /^([A-Za-z0-9][A-Za-z0-9_.-]*)?\$ (.*)$/;
const DIRECTIVE = /^#> (.*)$/;
const EXIT = /^\[exit (\d+)\]$/;

export function isDirective(item: TranscriptItem): item is Directive {
  return 'directive' in item;
}

export function parseTranscript(text: string): Transcript {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const isStep = (l: string): boolean => PROMPT.test(l) || DIRECTIVE.test(l);
  const header: string[] = [];
  const items: TranscriptItem[] = [];
  let i = 0;
  while (i < lines.length && !isStep(lines[i])) header.push(lines[i++]);
  while (i < lines.length) {
    const d = DIRECTIVE.exec(lines[i]);
    if (d) {
      items.push({ directive: d[1] });
      i++;
      continue;
    }
    const m = PROMPT.exec(lines[i++])!;
    let command = m[2];
    while (command.endsWith('\\') && i < lines.length) command = command.slice(0, -1) + '\\\n' + lines[i++];
    const output: string[] = [];
    while (i < lines.length && !isStep(lines[i])) output.push(lines[i++]);
    while (output.length && output[output.length - 1] === '') output.pop();
    let exit = 0;
    const e = output.length ? EXIT.exec(output[output.length - 1]) : null;
    if (e) {
      exit = Number(e[1]);
      output.pop();
    }
    items.push({ host: m[1] ?? '', command, output, exit });
  }
  return { header, items };
}

export function formatStep(step: Step): string {
  const lines = [`${step.host}$ ${step.command.replace(/\\\n/g, '\\\n')}`];
  lines.push(...step.output);
  if (step.exit !== 0) lines.push(`[exit ${step.exit}]`);
  return lines.join('\n') + '\n';
}

/** Splits command output into transcript lines (a trailing newline ends the last line). */
export function outputLines(text: string): string[] {
  if (!text) return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Replaces what is random on a real host with stable tokens numbered by first appearance, per
 * transcript (the rules of shared/golden/README.md), so a simulator's output can be compared
 * with a recording.
 */
export function makeNormaliser(knownIps: ReadonlySet<string> | null = null): (line: string) => string {
  // A 02:42:… MAC is a container's when its last four bytes are an address of the transcript;
  // otherwise it is a random one (a bridge's) that happens to start the same way.
  const containerMac = (m: string): boolean => {
    if (!/^02:42:/.test(m)) return false;
    if (!knownIps) return /^02:42:(ac|c0|0a):/.test(m);
    return knownIps.has(
      m
        .slice(6)
        .split(':')
        .map((h) => parseInt(h, 16))
        .join('.'),
    );
  };
  const containerLl = (a: string): boolean => {
    const m = /^fe80::42:([0-9a-f]{1,2})ff:fe([0-9a-f]{1,2}):([0-9a-f]{1,4})/.exec(a);
    if (!m) return false;
    const b = m[3].padStart(4, '0');
    return containerMac(
      `02:42:${m[1].padStart(2, '0')}:ff:fe:${m[2].padStart(2, '0')}`.replace(':ff:fe', '') + `:${b.slice(0, 2)}:${b.slice(2)}`,
    );
  };
  const ids = new Map<string, string>();
  const veths = new Map<string, string>();
  const macs = new Map<string, string>();
  const token = (map: Map<string, string>, key: string, prefix: string): string => {
    if (!map.has(key)) map.set(key, `<${prefix}${map.size + 1}>`);
    return map.get(key)!;
  };
  return (line: string): string => {
    let s = line;
    s = s.replace(/\b[0-9a-f]{64}\b/g, (h) => token(ids, h.slice(0, 12), 'ID'));
    s = s.replace(/\b[0-9a-f]{12}\b/g, (h) => token(ids, h, 'ID'));
    s = s.replace(/\bveth[0-9a-f]{7}\b/g, (h) => token(veths, h, 'VETH'));
    s = s.replace(/\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/g, (m) =>
      containerMac(m) || /^(52:54:00:|00:00:00:00:00:00|ff:ff:ff:ff:ff:ff)/.test(m) ? m : token(macs, m, 'MAC'),
    );
    s = s.replace(/\bfe80::[0-9a-f:]+/g, (a) => (containerLl(a) || /^fe80::5054:ff:fe/.test(a) ? a : '<LL6>'));
    s = s.replace(/ scope link tentative/g, ' scope link');
    s = s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, '<TIME>');
    s = s.replace(/\b\d\d:\d\d:\d\d\.\d{6}\b/g, '<TS>');
    s = s.replace(/(About an?|Less than an?|\d+) (second|minute|hour|day|week|month)s? ago/g, '<AGO>');
    s = s.replace(/Up (About an?|Less than a|\d+) (second|minute|hour|day|week|month)s?/g, 'Up <AGE>');
    s = s.replace(/Exited \((\d+)\) <AGO>/g, 'Exited ($1) <AGO>');
    s = s.replace(/time[=<]\d+(\.\d+)? ?ms/g, 'time=<T> ms');
    s = s.replace(/time \d+ms/g, 'time <T>ms');
    s = s.replace(/(rtt|round-trip) min\/avg\/max(\/mdev)? = [\d./]+ ms/g, '$1 <RTT>');
    s = s.replace(/^\d+: /, '<N>: ');
    s = s.replace(/@if\d+/g, '@if<N>');
    s = s.replace(/\bid \d+, seq/g, 'id <N>, seq');
    s = s.replace(/pid=\d+/g, 'pid=<N>');
    s = s.replace(/^(tcp6?|udp6?)(\s.*\s)\d+\/(\S+)\s*$/, '$1$2<N>/$3');
    s = s.replace(/^(\w+)\s+\d+\s+\d+\s+\d+\s+(\d\d:\d\d|\w{3}\d\d)\s+(\S+)\s+\d\d:\d\d:\d\d\s/, '$1 <PID> <PPID> <C> <STIME> $3 <TIME> ');
    s = s.replace(/^(:\S+ \S+ )\[\d+:\d+\]$/, '$1[<C>]');
    s = s.replace(/\(policy (\w+) \d+ packets, \d+ bytes\)/, '(policy $1 <C> packets, <C> bytes)');
    s = s.replace(/^(\s*(\d+\s+)?)\d+[KMG]?\s+\d+[KMG]?(\s+\S+\s+(all|tcp|udp|icmp|\d+)\s+--)/, '$1<C> <C>$3');
    s = s.replace(/ on \w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}$/, ' on <DATE>');
    s = s.replace(/ {2,}/g, '  ');
    s = s.replace(/[ \t]+$/, '');
    return s;
  };
}

/** Socket listings come in the kernel's hash order: they are compared as sets of lines. */
const UNORDERED = /(^|\s)(ss|netstat)\s/;

/** Every dotted quad in a transcript's outputs (which MACs are containers' is judged against them). */
export function transcriptIps(items: TranscriptItem[]): Set<string> {
  const ips = new Set<string>();
  for (const it of items)
    if (!isDirective(it)) for (const l of it.output) for (const m of l.matchAll(/\b\d{1,3}(\.\d{1,3}){3}\b/g)) ips.add(m[0]);
  return ips;
}

export function normaliseSteps(items: TranscriptItem[], knownIps: ReadonlySet<string> | null = null): Step[] {
  const norm = makeNormaliser(knownIps ?? transcriptIps(items));
  return items
    .filter((it): it is Step => !isDirective(it))
    .map((st) => {
      let output = st.output.map(norm);
      // The transcript parser cannot keep blank lines that end an output (they read as spacing).
      while (output.length && output[output.length - 1] === '') output = output.slice(0, -1);
      if (UNORDERED.test(st.command) && output.length > 1) output = [output[0], ...output.slice(1).sort()];
      return { ...st, command: norm(st.command), output };
    });
}

export interface StepComparison {
  index: number;
  expected: Step;
  actual: Step | undefined;
  same: boolean;
}

/** Compares two transcripts step by step after normalisation. */
export function compareTranscripts(expected: Transcript, actual: Transcript): StepComparison[] {
  const exp = normaliseSteps(expected.items);
  const act = normaliseSteps(actual.items);
  return exp.map((e, index) => {
    const a = act[index];
    const same = !!a && a.command === e.command && a.exit === e.exit && a.output.join('\n') === e.output.join('\n');
    return { index, expected: e, actual: a, same };
  });
}
