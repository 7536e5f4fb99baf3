/**
 * Background processes: jobs that wait on the virtual clock (a container's `sleep 3600`, a
 * `ping` running as PID 1, `nc -l` put in the background) or on input that will come later
 * (an interactive shell started with `-itd`). They run until they wait, are parked here, and
 * are resumed when the clock reaches their wake-up time.
 */
import type { Clock } from '../base/clock.ts';
import type { Job } from '../shell/runtime.ts';

interface Parked {
  job: Job;
  /** Virtual time to resume at; Infinity while waiting for input. */
  wakeAt: number;
  done: (status: number) => void;
}

export class Scheduler {
  private readonly parked = new Set<Parked>();
  private ticking = false;

  constructor(private readonly clock: Clock) {
    clock.onAdvance((now) => this.tick(now));
  }

  /** Runs `job` until it first waits; returns a handle to stop it, or null when it already ended. */
  start(job: Job, done: (status: number) => void): { stop(): void } | null {
    const p: Parked = { job, wakeAt: 0, done };
    if (!this.step(p, undefined)) return null;
    this.parked.add(p);
    return {
      stop: () => {
        if (!this.parked.delete(p)) return;
        try {
          // Runs the job's finally blocks (a listener closes its socket).
          p.job.return(143);
        } catch {
          /* a failing cleanup must not break the lab */
        }
      },
    };
  }

  /** Advances the job until it waits (true) or ends (false, `done` called). */
  private step(p: Parked, resume: { interrupted: boolean } | undefined): boolean {
    let r = resume;
    for (let guard = 0; guard < 10_000; guard++) {
      let next: IteratorResult<{ kind: string; ms?: number }, number>;
      try {
        next = p.job.next(r);
      } catch {
        p.done(1);
        return false;
      }
      if (next.done) {
        p.done(next.value);
        return false;
      }
      const eff = next.value;
      if (eff.kind === 'sleep') {
        p.wakeAt = this.clock.now() + (eff.ms ?? 0);
        if ((eff.ms ?? 0) <= 0) {
          r = { interrupted: false };
          continue;
        }
      } else p.wakeAt = Infinity;
      return true;
    }
    return true;
  }

  private tick(now: number): void {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const p of [...this.parked]) {
        while (this.parked.has(p) && p.wakeAt <= now) {
          if (!this.step(p, { interrupted: false })) this.parked.delete(p);
        }
      }
    } finally {
      this.ticking = false;
    }
  }

  get size(): number {
    return this.parked.size;
  }
}
