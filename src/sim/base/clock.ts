/**
 * The lab's virtual clock, in milliseconds since the Unix epoch (UTC). It only moves when the
 * simulator says so (a command takes time, `sleep`, ping intervals), which keeps replays exact.
 */
export class Clock {
  private readonly listeners: ((now: number) => void)[] = [];

  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    if (ms > 0) {
      this.ms += ms;
      for (const l of this.listeners) l(this.ms);
    }
  }

  /** Calls `fn` after every advance (background processes waking up). */
  onAdvance(fn: (now: number) => void): void {
    this.listeners.push(fn);
  }

  /** Nanoseconds inside the current second, derived from the clock for RFC 3339 stamps. */
  date(): Date {
    return new Date(this.ms);
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `Mon Nov 23 10:32:08 2026`, as ctime(3) prints it (iptables-save, date). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `2026-11-23T10:29:38.261135061Z`: RFC 3339 with nanoseconds, as Go's time.RFC3339Nano. */
export function rfc3339Nano(ms: number, extraNanos = 0): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const nanos = (ms % 1000) * 1_000_000 + (extraNanos % 1_000_000);
  if (nanos === 0) return base + 'Z';
  return `${base}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
}

/** `HH:MM:SS.micros` (tcpdump). */
export function timeOfDayMicros(ms: number, extraMicros = 0): string {
  const d = new Date(ms);
  const micros = (ms % 1000) * 1000 + (extraMicros % 1000);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(micros).padStart(6, '0')}`;
}

/** RFC 7231 date as HTTP servers send it: `Mon, 23 Nov 2026 11:35:15 GMT`. */
export function httpDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`;
}
