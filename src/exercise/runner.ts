/**
 * Grading by replay: an attempt (exercise id, seed, command log) is run again in a fresh lab —
 * the exercise's setup first, then every command the learner typed — and the grader looks at
 * that lab. The learner's own claims ("passed", a score) are never read, so an edited
 * submission cannot fake a pass. Probes for `reach` checks run in this rebuilt lab too, never in
 * the learner's live one (probing is traffic: see src/sim/snapshot/probe.ts).
 *
 * The lab is reached through `GradingLab` (the simulator's Lab: `simulatorEnv`; a test double
 * in the CLI tests).
 */
import {
  createLab,
  grade,
  splitHostPrompt,
  type Exercise,
  type GradeResult,
  type LabOptions,
  type LogEntry,
  type Probe,
  type Snapshot,
} from '../sim/index.ts';

/** What the runner needs from a lab. */
export interface GradingLab {
  exec(command: string, host?: string): { output: string; exit: number };
  /** Replays a log as typed (one terminal per host; lines typed into nested shells go there). */
  replayLog?(entries: LogEntry[]): { output: string; exit: number }[];
  /** The lab's current state (src/sim/snapshot). */
  snapshot(): Snapshot;
  /** Reachability in this lab, decided by the packet walk. */
  probe: Probe;
}

export interface GradingEnv {
  /** A fresh lab with this seed and, when given, dockerd started with these options. */
  /** A fresh lab with this seed, `hosts` Docker hosts, and each host's dockerd started with `daemons[i]`. */
  createLab(opts: { seed: number; hosts: number; daemons: string[] }): GradingLab;
}

export interface Attempt {
  exerciseId: string;
  seed: number;
  log: LogEntry[];
}

export interface ReplayedAttempt {
  result: GradeResult;
  /** Output of each learner command, in order (for instructors reading a failure). */
  outputs: { host: string; command: string; output: string; exit: number }[];
  snapshot: Snapshot;
}

/** The lab's default host name, used for log entries that do not say. */
export const DEFAULT_HOST = 'docker-node1';

export function replayAttempt(ex: Exercise, attempt: Pick<Attempt, 'seed' | 'log'>, env: GradingEnv): ReplayedAttempt {
  const lab = env.createLab({ seed: attempt.seed, hosts: ex.setup.hosts, daemons: ex.setup.daemons });
  for (const line of ex.setup.commands) {
    const { host, command } = splitHostPrompt(line);
    lab.exec(command, host ?? undefined);
  }
  const outputs: ReplayedAttempt['outputs'] = [];
  if (lab.replayLog) {
    // As typed: shell variables persist between lines and nested-shell lines reach their shell.
    const results = lab.replayLog(attempt.log);
    attempt.log.forEach((e, i) => outputs.push({ host: e.host, command: e.command, output: results[i].output, exit: results[i].exit }));
  } else
    for (const e of attempt.log) {
      const r = lab.exec(e.command, e.host === DEFAULT_HOST ? undefined : e.host);
      outputs.push({ host: e.host, command: e.command, output: r.output, exit: r.exit });
    }
  const snapshot = lab.snapshot();
  return { result: grade(snapshot, ex, attempt.log, lab.probe), outputs, snapshot };
}

/** Runs a list of commands (a reference or wrong solution) as if a learner typed them. */
export function gradeCommands(ex: Exercise, commands: string[], env: GradingEnv, seed = 1): ReplayedAttempt {
  return replayAttempt(ex, { seed, log: commandsToLog(commands) }, env);
}

/** Solution lines (`CMD` or `node2$ CMD`) as a command log. */
export function commandsToLog(commands: string[]): LogEntry[] {
  return commands.map((line) => {
    const { host, command } = splitHostPrompt(line);
    return { host: host === null ? DEFAULT_HOST : host.startsWith('docker-') ? host : `docker-${host}`, command };
  });
}

/** The starting state alone: a correct exercise fails here (the learner has work to do). */
export function gradeStart(ex: Exercise, env: GradingEnv, seed = 1): ReplayedAttempt {
  return replayAttempt(ex, { seed, log: [] }, env);
}

/** dockerd options as the argv the Lab starts dockerd with. */
export function daemonArgv(options: string): string[] {
  return options.trim().split(/\s+/).filter(Boolean);
}

/** The simulator as a grading environment (through its public API), with a lab profile. */
export function simulatorEnvWith(opts: Omit<LabOptions, 'seed' | 'daemonArgs'> = {}): GradingEnv {
  return {
    createLab({ seed, hosts, daemons }) {
      const lab = createLab({ ...opts, seed, hosts, daemonArgs: daemons.map(daemonArgv) });
      return {
        exec: (command, host) => lab.exec(command, host),
        replayLog: (entries) => lab.replayLog(entries),
        snapshot: () => lab.snapshot(),
        probe: (q) => lab.probe(q),
      };
    },
  };
}

/** The course's lab (profile `course`), as learners use it. */
export const simulatorEnv: GradingEnv = simulatorEnvWith();
