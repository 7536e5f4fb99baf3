/** `dnlab replay FILE`: runs a transcript's commands in a fresh lab and prints the transcript back. */
import { readFileSync } from 'node:fs';
import { createLab } from '../sim/index.ts';
import {
  compareTranscripts,
  formatStep,
  isDirective,
  outputLines,
  parseTranscript,
  type Step,
  type Transcript,
} from '../sim/lab/transcript.ts';
import type { CliOptions } from './main.ts';

/** The lab host a transcript prompt names: `` and `node1` the first host, `node2` the second, `lan` the LAN machine. */
function hostOf(prompt: string): string | undefined {
  if (!prompt || prompt === 'node1') return undefined;
  return prompt;
}

function daemonHeader(header: string[], key: string): string[] {
  const line = header.find((h) => h.startsWith(`# ${key}: dockerd`));
  if (!line || line.includes('(no options')) return [];
  return line.slice(`# ${key}: dockerd`.length).trim().split(/\s+/).filter(Boolean);
}

export function replayTranscript(input: Transcript, seed: number, profile: 'course' | 'golden' = 'course'): Transcript {
  const twoHosts = input.items.some((i) => !isDirective(i) && i.host === 'node2');
  // `# daemon: dockerd --icc=false` (first host) and `# node2 daemon: …` start the daemons.
  const daemonArgs = [daemonHeader(input.header, 'daemon'), daemonHeader(input.header, 'node2 daemon')];
  // RECORDING.md: every scenario starts from the image store scenario 00 made; 00 starts empty.
  const emptyImageStore = profile === 'golden' && input.header.some((h) => /^# scenario: 00\b/.test(h));
  const lab = createLab({ seed, profile, hosts: twoHosts ? 2 : 1, daemonArgs, emptyImageStore });
  let lastHost: string | undefined;
  const items: Transcript['items'] = [];
  const src = input.items;
  // A transcript writes a continued line as `\` + newline; the shell gets the newline.
  const typed = (step: Step): string => step.command.replace(/\\\n/g, '\n');
  const replayed = (step: Step, r: { output: string; exit: number }): Step => ({
    host: step.host,
    command: step.command,
    output: outputLines(r.output),
    exit: r.exit,
  });
  const run = (step: Step): Step => replayed(step, lab.exec(typed(step), hostOf(step.host)));
  for (let i = 0; i < src.length; i++) {
    const item = src[i];
    if (isDirective(item)) {
      items.push(item);
      if (/^(dockerd|fresh-host)\b/.test(item.directive)) lab.directive(item.directive, lastHost);
      continue;
    }
    lastHost = hostOf(item.host);
    // `#> concurrent` then B after this step A: B ran in a second terminal, started just before
    // A (a tcpdump watching A's packets); the transcript lists it after A.
    const next = src[i + 1];
    const watcher = src[i + 2];
    if (next && isDirective(next) && next.directive.trim() === 'concurrent' && watcher && !isDirective(watcher)) {
      const bg = lab.background(typed(watcher), hostOf(watcher.host));
      items.push(run(item), next);
      items.push(replayed(watcher, bg.finish()));
      i += 2;
      continue;
    }
    items.push(run(item));
  }
  return { header: input.header, items };
}

export function formatTranscript(t: Transcript): string {
  let out = t.header.map((h) => h + '\n').join('');
  for (const item of t.items) out += isDirective(item) ? `#> ${item.directive}\n` : formatStep(item);
  return out;
}

export async function runReplay(opts: CliOptions): Promise<number> {
  const file = opts.positional[0];
  if (!file) {
    process.stderr.write('dnlab replay: missing FILE (a transcript, or - for stdin)\n');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    process.stderr.write(
      `dnlab replay: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}\n`,
    );
    return 1;
  }
  const input = parseTranscript(text);
  const actual = replayTranscript(input, opts.seed, opts.profile === 'golden' ? 'golden' : 'course');
  if (!opts.check) {
    process.stdout.write(formatTranscript(actual));
    return 0;
  }
  const results = compareTranscripts(input, actual);
  const misses = results.filter((r) => !r.same);
  for (const m of misses) process.stdout.write(unifiedDiff(m.expected, m.actual));
  process.stdout.write(`${results.length - misses.length}/${results.length} commands match\n`);
  return misses.length ? 1 : 0;
}

function unifiedDiff(expected: Step, actual: Step | undefined): string {
  const exp = [...expected.output, ...(expected.exit ? [`[exit ${expected.exit}]`] : [])];
  const act = actual ? [...actual.output, ...(actual.exit ? [`[exit ${actual.exit}]`] : [])] : ['<missing>'];
  const lines = [`--- expected: ${expected.host}$ ${expected.command}`, `+++ actual`];
  // A minimal line diff (longest common subsequence) is enough for command outputs.
  const n = exp.length;
  const m = act.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = exp[i] === act[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && exp[i] === act[j]) {
      lines.push(` ${exp[i]}`);
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) lines.push(`+${act[j++]}`);
    else lines.push(`-${exp[i++]}`);
  }
  return lines.join('\n') + '\n';
}
