/**
 * The exercise experience in the lab, without DOM: what the panel shows and does.
 *  - a live checklist, re-evaluated on the live lab's snapshot after every command. Reach checks
 *    need probes, which are traffic and would change the learner's lab: they show as pending
 *    until `evaluate` (a replay in a fresh lab, run shortly after each command) or Check;
 *  - Check: the learner's log replayed in a fresh lab with the same seed and graded in full
 *    (probes included); a pass is recorded in progress with the log that passed;
 *  - hints one at a time: the hint of the first failing check first, then the general ones;
 *  - the reference solution, offered after one Check;
 *  - completion: the checklist completes by itself once every item passes, reach ones included.
 */
import { grade, type Check, type CheckResult, type Exercise, type GradeResult, type LogEntry, type Snapshot } from '../sim/index.ts';
import { replayAttempt, type GradingEnv, simulatorEnv } from './runner.ts';
import { recordAttempt, type Progress } from './progress.ts';

export interface LiveItem {
  id: string;
  state: 'passed' | 'failed' | 'pending';
  message: string;
}

/** What a check is about, for highlighting on the topology: container and network names. */
export function subjectsOf(c: Check): { containers: string[]; networks: string[] } {
  switch (c.kind) {
    case 'network':
      return { containers: [], networks: [c.network.name] };
    case 'container':
      return { containers: [c.container.name], networks: [...(c.container.networks ?? []), ...(c.container.notNetworks ?? [])] };
    case 'address':
      return { containers: [c.address.container], networks: c.address.network ? [c.address.network] : [] };
    case 'file':
      return { containers: [c.file.container], networks: [] };
    case 'published':
      return { containers: [c.published.container], networks: [] };
    case 'reach':
      return { containers: [c.reach.from, c.reach.to.replace(/[:/].*$/, '')].filter((n) => n !== 'host' && !/\{\{/.test(n)), networks: [] };
    case 'clean':
      return { containers: [], networks: [] };
    default:
      return { containers: [], networks: [] };
  }
}

/** The names to highlight for a set of failing check ids. */
export function highlightFor(ex: Exercise, failing: string[]): { containers: string[]; networks: string[] } {
  const containers = new Set<string>();
  const networks = new Set<string>();
  for (const c of ex.checks)
    if (failing.includes(c.id)) {
      const s = subjectsOf(c);
      s.containers.forEach((n) => containers.add(n));
      s.networks.forEach((n) => networks.add(n));
    }
  return { containers: [...containers], networks: [...networks] };
}

export class ExerciseSession {
  private hintsShown = 0;
  private checks = 0;
  lastResult: GradeResult | null = null;

  constructor(
    readonly exercise: Exercise,
    private readonly env: GradingEnv = simulatorEnv,
  ) {}

  /** The checklist on the live lab's state (reach checks stay pending: probing would change the lab). */
  live(snapshot: Snapshot, log: LogEntry[]): LiveItem[] {
    const r = grade(snapshot, this.exercise, log);
    return r.checks.map((c) =>
      c.kind === 'reach' ? this.pendingOrLast(c) : { id: c.id, state: c.passed ? 'passed' : 'failed', message: c.message },
    );
  }

  private pendingOrLast(c: CheckResult): LiveItem {
    const last = this.lastResult?.checks.find((x) => x.id === c.id);
    return last
      ? { id: c.id, state: last.passed ? 'passed' : 'failed', message: last.message }
      : { id: c.id, state: 'pending', message: 'press Check to test reachability' };
  }

  /**
   * Full evaluation without recording anything: the log replayed in a fresh lab (probes run
   * there, not in the learner's lab). The panel runs it shortly after each command so reach
   * checks update and the checklist can complete by itself.
   */
  evaluate(seed: number, log: LogEntry[]): GradeResult {
    const { result } = replayAttempt(this.exercise, { seed, log }, this.env);
    this.lastResult = result;
    return result;
  }

  /** Check: replays the learner's log in a fresh lab and grades everything. Records the attempt in progress. */
  check(seed: number, log: LogEntry[], progress: Progress, at = new Date()): { result: GradeResult; progress: Progress } {
    const { result } = replayAttempt(this.exercise, { seed, log }, this.env);
    this.lastResult = result;
    this.checks++;
    return { result, progress: recordAttempt(progress, { exerciseId: this.exercise.id, seed, log, result, at }) };
  }

  /** Whether every live item passes (reach ones as of the last Check). */
  static complete(items: LiveItem[]): boolean {
    return items.length > 0 && items.every((i) => i.state === 'passed');
  }

  /** The hints shown so far, then one more on each call: the first failing check's own hint first. */
  nextHint(failingFirst: string | null): string[] {
    const own = this.exercise.checks.find((c) => c.id === failingFirst)?.hint;
    const all = [...(own ? [own] : []), ...this.exercise.hints.filter((h) => h !== own)];
    if (this.hintsShown < all.length) this.hintsShown++;
    return all.slice(0, this.hintsShown);
  }

  /** The reference solution is offered once the learner has pressed Check at least once. */
  canShowSolution(): boolean {
    return this.checks > 0;
  }

  solution(): string[] {
    if (!this.canShowSolution()) throw new Error('the solution is shown after an attempt');
    return [...this.exercise.solution];
  }

  /** Reset exercise: forget hints and results (the lab itself is rebuilt by its owner). */
  reset(): void {
    this.hintsShown = 0;
    this.lastResult = null;
  }
}
