/**
 * Grading by replay: an attempt (exercise id, seed, command log) is run again in a fresh lab —
 * the exercise's setup first, then every command the learner typed — and the grader looks at
 * that lab. The learner's own claims ("passed", a score) are never read, so an edited
 * submission cannot fake a pass. Probes for `reach` checks run in this rebuilt lab too, never in
 * the learner's live one (probing is traffic: see src/sim/snapshot/probe.ts).
 *
 * The lab is reached through `GradingLab`, which the simulator's Lab provides once it exposes
 * `snapshot()` and `probe()` (see `simulatorEnv`).
 */
import {
  createLab,
  grade,
  type Exercise,
  type GradeResult,
  type LogEntry,
  type Probe,
  type ReachOutcome,
  type ReachQuery,
  type Snapshot,
} from '../sim/index.ts';

/** What the runner needs from a lab. */
export interface GradingLab {
  exec(command: string, host?: string): { output: string; exit: number };
  /** The lab's current state (src/sim/snapshot). */
  snapshot(): Snapshot;
  /** Reachability in this lab, decided by the packet walk. */
  probe: Probe;
}

export interface GradingEnv {
  /** A fresh lab with this seed and, when given, dockerd started with these options. */
  createLab(opts: { seed: number; daemon?: string }): GradingLab;
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
  const lab = env.createLab({ seed: attempt.seed, daemon: ex.setup.daemon });
  for (const cmd of ex.setup.commands) lab.exec(cmd);
  const outputs: ReplayedAttempt['outputs'] = [];
  for (const e of attempt.log) {
    const r = lab.exec(e.command, e.host === DEFAULT_HOST ? undefined : e.host);
    outputs.push({ host: e.host, command: e.command, output: r.output, exit: r.exit });
  }
  const snapshot = lab.snapshot();
  return { result: grade(snapshot, ex, attempt.log, lab.probe), outputs, snapshot };
}

/** Runs a list of commands (a reference or wrong solution) as if a learner typed them. */
export function gradeCommands(ex: Exercise, commands: string[], env: GradingEnv, seed = 1): ReplayedAttempt {
  return replayAttempt(ex, { seed, log: commands.map((command) => ({ host: DEFAULT_HOST, command })) }, env);
}

/** The starting state alone: a correct exercise fails here (the learner has work to do). */
export function gradeStart(ex: Exercise, env: GradingEnv, seed = 1): ReplayedAttempt {
  return replayAttempt(ex, { seed, log: [] }, env);
}

interface SnapshotCapableLab {
  snapshot(): Snapshot;
  probe(q: ReachQuery): ReachOutcome;
  restartDaemon?(options: string): void;
}

/**
 * Why the simulator's Lab cannot be graded yet, or null when it can. The Lab must provide
 * `snapshot(): Snapshot` (buildSnapshot from src/sim/snapshot/build.ts over the engine's
 * inspect data) and `probe(q: ReachQuery): ReachOutcome` (makeProbe from
 * src/sim/snapshot/probe.ts over that snapshot, the lab's world and a container→netns lookup);
 * `restartDaemon(options)` for exercises whose setup sets dockerd options.
 */
export function simulatorGap(): string | null {
  const lab = createLab({ seed: 1 }) as unknown as Partial<SnapshotCapableLab>;
  if (typeof lab.snapshot !== 'function') return 'the Lab does not expose snapshot() yet';
  if (lab.probe === undefined) return 'the Lab does not expose probe yet';
  return null;
}

/** The simulator as a grading environment (through its public API). */
export const simulatorEnv: GradingEnv = {
  createLab({ seed, daemon }) {
    const lab = createLab({ seed }) as unknown as ReturnType<typeof createLab> & Partial<SnapshotCapableLab>;
    const gap = simulatorGap();
    if (gap) throw new Error(`cannot grade in the simulator: ${gap}`);
    if (daemon) {
      if (typeof lab.restartDaemon !== 'function')
        throw new Error('cannot grade in the simulator: the Lab cannot start dockerd with options yet');
      lab.restartDaemon(daemon);
    }
    return {
      exec: (command, host) => lab.exec(command, host),
      snapshot: () => lab.snapshot!(),
      probe: (q) => lab.probe!(q),
    };
  },
};
