/**
 * `dnlab exercise`: the course's exercises on the command line.
 *
 *   dnlab exercise list [--json]
 *   dnlab exercise show ID
 *   dnlab exercise check ID (--log FILE | --solution | --wrong N) [--seed N] [--json]
 *   dnlab exercise validate [DIR]
 */
import { readFileSync } from 'node:fs';
import type { Exercise, GradeResult } from '../sim/index.ts';
import { effectiveChecks } from '../sim/index.ts';
import { CHAPTERS } from '../exercise/chapters.ts';
import { EXERCISES_DIR, exerciseFiles, loadExerciseFile, loadExercises } from '../exercise/load-node.ts';
import { parseLogFile } from '../exercise/bundles.ts';
import { commandsToLog, replayAttempt, simulatorEnv, type GradingEnv } from '../exercise/runner.ts';
import { parseFlags, processIo, type CliIo } from './grade.ts';
import { captureExercise } from '../exercise/author.ts';
import { parseExercise } from '../exercise/schema.ts';

function capture(id: string | undefined, flags: Record<string, string | boolean>, io: CliIo, env: GradingEnv): number {
  if (!id || flags['--log'] === undefined) {
    io.err('dnlab exercise capture: usage: capture NEW_ID --log FILE [--setup FILE] [--chapter C] [--title T]\n');
    return 2;
  }
  try {
    const read = (f: string): string[] =>
      parseLogFile(readFileSync(f === '-' ? 0 : f, 'utf8')).log.map((e) =>
        e.host === 'docker-node1' ? e.command : `${e.host.replace(/^docker-/, '')}$ ${e.command}`,
      );
    const setup = flags['--setup'] !== undefined ? read(flags['--setup'] as string) : [];
    const solution = read(flags['--log'] as string);
    // A throwaway exercise with no checks of its own, to run setup and solution like a learner's attempt.
    const probe = parseExercise({
      id,
      chapter: (flags['--chapter'] as string) ?? 'default-bridge',
      title: 't',
      difficulty: 'easy',
      task: 't',
      setup,
      checks: [{ id: 'x', clean: {} }],
      solution,
    });
    const before = replayAttempt(probe, { seed: 1, log: [] }, env).snapshot;
    const after = replayAttempt(probe, { seed: 1, log: commandsToLog(solution) }, env).snapshot;
    io.out(
      captureExercise({ id, chapter: probe.chapter, title: (flags['--title'] as string) ?? id, setup, solution, snapshot: after, before }),
    );
    return 0;
  } catch (e) {
    io.err(
      `dnlab exercise capture: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}\n`,
    );
    return 1;
  }
}

export const EXERCISE_USAGE = `Usage: dnlab exercise COMMAND

Commands:
  list [--json]                 List the exercises
  show ID                       Print an exercise's task, setup, checks and hints count
  check ID --log FILE           Replay a command log (an attempt file exported from the lab, a
                                transcript, or one command per line) and grade it
  check ID --solution           Grade the exercise's reference solution
  check ID --wrong N            Grade its N-th wrong solution (from 1)
  validate [DIR]                Validate every exercise file (default: the course's exercises/)
  capture NEW_ID --log FILE [--setup FILE] [--chapter C] [--title T]
                                Run a setup and a reference solution in a fresh lab and print
                                an exercise file whose checks describe the resulting state

Options for check:
  --seed N                      The lab's seed (default: the attempt file's, else 1)
  --json                        Print the grade result as JSON
`;

function chapterTitle(id: string): string {
  return CHAPTERS.find((c) => c.id === id)?.title ?? id;
}

export function formatResult(r: GradeResult): string {
  const lines = r.checks.map((c) => {
    const mark = c.passed ? '✓' : '✗';
    const head = `${mark} ${c.id}${c.maxPoints !== 1 ? ` (${c.points}/${c.maxPoints})` : ''}`;
    if (c.passed) return head;
    const detail = [`    ${c.message}`];
    if (c.expected && c.actual && !c.actual.includes('\n') && !c.expected.includes('\n'))
      detail.push(`    expected: ${c.expected}`, `    actual:   ${c.actual}`);
    return [head, ...detail].join('\n');
  });
  lines.push(`${r.status === 'passed' ? 'PASSED' : 'FAILED'} ${r.exerciseId}: ${r.score}/${r.maxScore}`);
  return lines.join('\n') + '\n';
}

function show(ex: Exercise): string {
  const out: string[] = [];
  out.push(`${ex.id} — ${ex.title}`, `chapter: ${chapterTitle(ex.chapter)} · difficulty: ${ex.difficulty}`, '', ex.task.trimEnd(), '');
  if (ex.setup.hosts > 1) out.push(`Hosts: ${ex.setup.hosts}`);
  ex.setup.daemons.forEach((d, i) => d && out.push(`dockerd ${d}${ex.setup.hosts > 1 ? ` (host ${i + 1})` : ''}`));
  if (ex.setup.commands.length)
    out.push(
      ex.setup.hidden ? `Setup: ${ex.setup.commands.length} hidden command(s)` : 'Setup:',
      ...(ex.setup.hidden ? [] : ex.setup.commands.map((c) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*\$ /.test(c) ? `  ${c}` : `  $ ${c}`))),
    );
  out.push('Checks:', ...effectiveChecks(ex).map((c) => `  - ${c.id} (${c.kind})`));
  out.push(`Hints: ${ex.hints.length + ex.checks.filter((c) => c.hint).length}`);
  return out.join('\n') + '\n';
}

export function runExercise(args: string[], io: CliIo = processIo, env: GradingEnv = simulatorEnv): number {
  const [sub, ...rest] = args;
  if (!sub || sub === '-h' || sub === '--help' || sub === 'help') {
    io.out(EXERCISE_USAGE);
    return sub ? 0 : 2;
  }
  const parsed = parseFlags(rest, {
    '--json': 'boolean',
    '--log': 'string',
    '--seed': 'string',
    '--solution': 'boolean',
    '--wrong': 'string',
    '--exercises': 'string',
    '--setup': 'string',
    '--chapter': 'string',
    '--title': 'string',
  });
  if (typeof parsed === 'string') {
    io.err(`dnlab exercise: ${parsed}\n`);
    return 2;
  }
  const { flags, positional } = parsed;
  const dir = (flags['--exercises'] as string | undefined) ?? EXERCISES_DIR;
  if (sub === 'validate') {
    const files = exerciseFiles(positional[0] ?? dir);
    let bad = 0;
    for (const f of files) {
      try {
        loadExerciseFile(f);
      } catch (e) {
        bad++;
        io.err(`${(e as Error).message}\n`);
      }
    }
    io.out(`${files.length - bad}/${files.length} exercise files valid\n`);
    return bad ? 1 : 0;
  }
  if (sub === 'capture') return capture(positional[0], flags, io, env);
  let all: Exercise[];
  try {
    all = loadExercises(dir);
  } catch (e) {
    io.err(`dnlab exercise: ${(e as Error).message}\n`);
    return 1;
  }
  if (sub === 'list') {
    if (flags['--json'])
      io.out(
        JSON.stringify(
          all.map((e) => ({ id: e.id, chapter: e.chapter, title: e.title, difficulty: e.difficulty })),
          null,
          2,
        ) + '\n',
      );
    else {
      const w = Math.max(...all.map((e) => e.id.length), 2);
      const cw = Math.max(...all.map((e) => e.chapter.length), 7);
      io.out(`${'ID'.padEnd(w)}  ${'CHAPTER'.padEnd(cw)}  ${'LEVEL'.padEnd(6)}  TITLE\n`);
      for (const e of all) io.out(`${e.id.padEnd(w)}  ${e.chapter.padEnd(cw)}  ${e.difficulty.padEnd(6)}  ${e.title}\n`);
    }
    return 0;
  }
  if (sub !== 'show' && sub !== 'check') {
    io.err(`dnlab exercise: unknown command: ${sub}\n${EXERCISE_USAGE}`);
    return 2;
  }
  const id = positional[0];
  if (!id) {
    io.err(`dnlab exercise ${sub}: missing exercise ID\n`);
    return 2;
  }
  const ex = all.find((e) => e.id === id);
  if (!ex) {
    io.err(`dnlab exercise: no exercise ${id} (see dnlab exercise list)\n`);
    return 1;
  }
  if (sub === 'show') {
    io.out(show(ex));
    return 0;
  }
  let log: { host: string; command: string }[];
  let seed = 1;
  const sources = ['--log', '--solution', '--wrong'].filter((f) => flags[f] !== undefined);
  if (sources.length !== 1) {
    io.err('dnlab exercise check: give exactly one of --log FILE, --solution, --wrong N\n');
    return 2;
  }
  if (flags['--log'] !== undefined) {
    const file = flags['--log'] as string;
    try {
      const parsedLog = parseLogFile(readFileSync(file === '-' ? 0 : file, 'utf8'));
      if (parsedLog.exerciseId && parsedLog.exerciseId !== ex.id) {
        io.err(`dnlab exercise check: ${file} is an attempt at ${parsedLog.exerciseId}, not ${ex.id}\n`);
        return 1;
      }
      log = parsedLog.log;
      seed = parsedLog.seed ?? 1;
    } catch (e) {
      io.err(
        `dnlab exercise check: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}\n`,
      );
      return 1;
    }
  } else if (flags['--solution']) log = commandsToLog(ex.solution);
  else {
    const n = Number(flags['--wrong']);
    const w = ex.wrong[n - 1];
    if (!Number.isInteger(n) || !w) {
      io.err(`dnlab exercise check: --wrong needs a number from 1 to ${ex.wrong.length}\n`);
      return 2;
    }
    log = commandsToLog(w.commands);
  }
  if (flags['--seed'] !== undefined) {
    if (!/^\d+$/.test(flags['--seed'] as string)) {
      io.err('dnlab exercise check: --seed needs a non-negative integer\n');
      return 2;
    }
    seed = Number(flags['--seed']);
  }
  let result: GradeResult;
  try {
    result = replayAttempt(ex, { seed, log }, env).result;
  } catch (e) {
    io.err(`dnlab exercise check: ${(e as Error).message}\n`);
    return 1;
  }
  io.out(flags['--json'] ? JSON.stringify(result, null, 2) + '\n' : formatResult(result));
  return result.status === 'passed' ? 0 : 1;
}
