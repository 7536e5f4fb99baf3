/**
 * docker/go-units as the CLI and daemon print with it (vendored in docker/cli v20.10.24):
 * HumanDuration (duration.go; `docker ps` CREATED/STATUS, `docker images` CREATED),
 * HumanSize / HumanSizeWithPrecision / BytesSize (size.go; `docker images` SIZE uses
 * HumanSizeWithPrecision(size, 3), cli/command/formatter/image.go).
 */

/** units.HumanDuration(d) for `ms` milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** fmt's `%.*g` with precision p (no `#` flag: trailing zeros removed). */
export function formatG(x: number, p: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : Number.isNaN(x) ? 'NaN' : '-Inf';
  const prec = p === 0 ? 1 : p;
  const [mant, expStr] = x.toExponential(prec - 1).split('e');
  const exp = Number(expStr);
  const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= prec) {
    return `${trim(mant)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return trim(x.toFixed(Math.max(0, prec - 1 - exp)));
}

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function sizeAndUnit(size: number, base: number, map: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < map.length - 1) {
    size /= base;
    i++;
  }
  return [size, map[i]];
}

export function humanSizeWithPrecision(size: number, precision: number): string {
  const [s, u] = sizeAndUnit(size, 1000, DECIMAL);
  return formatG(s, precision) + u;
}

/** units.HumanSize: 4 significant digits, decimal units ("2.746MB"). */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

/** units.BytesSize: binary units ("23.54GiB", as `docker info` prints Total Memory). */
export function bytesSize(size: number): string {
  const [s, u] = sizeAndUnit(size, 1024, BINARY);
  return formatG(s, 4) + u;
}

/**
 * container/state.go State.String() (moby v20.10): the STATUS column. Times in ms on the
 * daemon's clock; `startedAt`/`finishedAt` null when zero.
 */
export function containerStatus(s: {
  now: number;
  running: boolean;
  paused?: boolean;
  restarting?: boolean;
  removalInProgress?: boolean;
  dead?: boolean;
  exitCode: number;
  startedAt: number | null;
  finishedAt: number | null;
}): string {
  if (s.running) {
    if (s.paused) return `Up ${humanDuration(s.now - (s.startedAt ?? s.now))} (Paused)`;
    if (s.restarting) return `Restarting (${s.exitCode}) ${humanDuration(s.now - (s.finishedAt ?? s.now))} ago`;
    return `Up ${humanDuration(s.now - (s.startedAt ?? s.now))}`;
  }
  if (s.removalInProgress) return 'Removal In Progress';
  if (s.dead) return 'Dead';
  if (s.startedAt === null) return 'Created';
  if (s.finishedAt === null) return '';
  return `Exited (${s.exitCode}) ${humanDuration(s.now - s.finishedAt)} ago`;
}
