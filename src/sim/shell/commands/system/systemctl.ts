/**
 * systemd's view of the Docker service on a host: `systemctl start|stop|restart|status|
 * daemon-reload|is-active docker`, `service docker restart` and `journalctl -u docker`.
 *
 * As on a real host, dockerd's flags come from the unit's `ExecStart=` (with `$VARS` from its
 * `EnvironmentFile=`/`Environment=` lines and drop-ins in /etc/systemd/system/docker.service.d/)
 * and /etc/docker/daemon.json is read by dockerd itself at start. An edited unit is only used
 * after `systemctl daemon-reload`; until then systemctl warns, as it does.
 */
import type { CommandContext, ExecTarget } from '../../interp.ts';
import type { DockerEngine } from '../../../docker/engine.ts';
import { rfc3339Nano } from '../../../base/clock.ts';
import { register } from '../registry.ts';

const UNIT_PATHS = ['/etc/systemd/system/docker.service', '/lib/systemd/system/docker.service'];
const DROPIN_DIR = '/etc/systemd/system/docker.service.d';

interface ServiceState {
  /** The unit text systemd has loaded (disk changes need daemon-reload). */
  loaded: string;
  since: number;
  journal: string[];
  failed: boolean;
}

const states = new WeakMap<DockerEngine, ServiceState>();

/** The unit as systemd assembles it: the main file, then drop-ins in name order. */
function unitOnDisk(t: ExecTarget): string {
  let text = '';
  for (const p of UNIT_PATHS) {
    const u = t.fs.tryRead(p);
    if (u !== null) {
      text = u;
      break;
    }
  }
  if (t.fs.isDir(DROPIN_DIR))
    for (const f of t.fs.list(DROPIN_DIR).filter((n) => n.endsWith('.conf'))) text += '\n' + (t.fs.tryRead(`${DROPIN_DIR}/${f}`) ?? '');
  return text;
}

/** systemd loads the unit and starts the service: later edits need `systemctl daemon-reload`. */
export function serviceBooted(t: ExecTarget, e: DockerEngine): ServiceState {
  const s: ServiceState = { loaded: unitOnDisk(t), since: t.clock.now(), journal: [], failed: false };
  states.set(e, s);
  return s;
}

function stateOf(t: ExecTarget, e: DockerEngine): ServiceState {
  return states.get(e) ?? serviceBooted(t, e);
}

/** systemctl's warning when the unit on disk is not the one loaded. */
function warnIfChanged(ctx: CommandContext, s: ServiceState): void {
  if (unitOnDisk(ctx.target) !== s.loaded)
    ctx.stderr.write(
      "Warning: The unit file, source configuration file or drop-ins of docker.service changed on disk. Run 'systemctl daemon-reload' to reload units.\n",
    );
}

/** dockerd's argv from the loaded unit: the last ExecStart (an empty one resets), variables expanded. */
export function execStartArgs(unit: string, readFile: (p: string) => string | null): string[] {
  const env = new Map<string, string>();
  let exec: string | null = null;
  for (const raw of unit.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    const ef = /^EnvironmentFile\s*=\s*(-?)(\S+)/.exec(line);
    if (ef) {
      for (const l of (readFile(ef[2]) ?? '').split('\n')) {
        const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l);
        if (m && !l.trim().startsWith('#'))
          env.set(
            m[1],
            m[2]
              .trim()
              .replace(/^"(.*)"$/, '$1')
              .replace(/^'(.*)'$/, '$1'),
          );
      }
      continue;
    }
    const en = /^Environment\s*=\s*(.*)$/.exec(line);
    if (en) {
      for (const m of en[1].matchAll(/"([A-Za-z_][A-Za-z0-9_]*)=([^"]*)"|([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g))
        env.set(m[1] ?? m[3], m[2] ?? m[4]);
      continue;
    }
    const ex = /^ExecStart\s*=\s*(.*)$/.exec(line);
    if (ex) exec = ex[1].trim() || null;
  }
  if (!exec) return [];
  const words: string[] = [];
  for (const w of exec.match(/"[^"]*"|'[^']*'|\S+/g) ?? []) {
    if (/^["']/.test(w)) words.push(w.slice(1, -1));
    // An unquoted $VAR is split on whitespace, ${VAR} is kept as one word (systemd.service(5)).
    else if (/^\$[A-Za-z_]\w*$/.test(w)) words.push(...(env.get(w.slice(1)) ?? '').split(/\s+/).filter(Boolean));
    else words.push(w.replace(/\$\{([A-Za-z_]\w*)\}/g, (_m, n: string) => env.get(n) ?? ''));
  }
  // `-H fd://` is socket activation: the simulated daemon needs no API socket.
  const args = words.slice(1);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if ((args[i] === '-H' || args[i] === '--host') && args[i + 1]?.startsWith('fd://')) i++;
    else if (/^(-H|--host)=?fd:\/\//.test(args[i])) continue;
    else out.push(args[i]);
  }
  return out;
}

function journal(t: ExecTarget, s: ServiceState, msg: string): void {
  s.journal.push(
    `${new Date(t.clock.now())
      .toUTCString()
      .slice(5, 25)
      .replace(/^(\d\d) (\w{3}) \d{4}/, '$2 $1')} ${t.hostname()} ${msg}`,
  );
}

function startService(ctx: CommandContext, e: DockerEngine, restart: boolean): number {
  const t = ctx.target;
  const s = stateOf(t, e);
  warnIfChanged(ctx, s);
  if (restart && e.running) {
    journal(t, s, 'systemd[1]: Stopping docker.service - Docker Application Container Engine...');
    e.stop();
  } else if (!restart && e.running) return 0;
  const args = execStartArgs(s.loaded, (p) => t.fs.tryRead(p));
  const err = e.start(args);
  s.since = t.clock.now();
  if (err) {
    s.failed = true;
    journal(t, s, `dockerd[${t.spawnPid()}]: ${err}`);
    journal(t, s, 'systemd[1]: docker.service: Main process exited, code=exited, status=1/FAILURE');
    journal(t, s, 'systemd[1]: Failed to start docker.service - Docker Application Container Engine.');
    ctx.stderr.write(
      'Job for docker.service failed because the control process exited with error code.\nSee "systemctl status docker.service" and "journalctl -xeu docker.service" for details.\n',
    );
    return 1;
  }
  s.failed = false;
  journal(
    t,
    s,
    `dockerd[${t.spawnPid()}]: time="${rfc3339Nano(t.clock.now(), 123456789)}" level=info msg="API listen on /run/docker.sock"`,
  );
  journal(t, s, 'systemd[1]: Started docker.service - Docker Application Container Engine.');
  return 0;
}

function status(ctx: CommandContext, e: DockerEngine): number {
  const t = ctx.target;
  const s = stateOf(t, e);
  const unitPath = UNIT_PATHS.find((p) => t.fs.tryRead(p) !== null) ?? UNIT_PATHS[1];
  const since = new Date(s.since).toISOString().replace('T', ' ').slice(0, 19);
  const dockerd = t.procs.list().find((p) => p.comm === 'dockerd');
  const active = e.running
    ? `active (running) since ${since} UTC`
    : s.failed
      ? `failed (Result: exit-code) since ${since} UTC`
      : `inactive (dead) since ${since} UTC`;
  const dot = e.running ? '●' : s.failed ? '×' : '○';
  const lines = [
    `${dot} docker.service - Docker Application Container Engine`,
    `     Loaded: loaded (${unitPath}; enabled; preset: enabled)`,
    `     Active: ${active}`,
    'TriggeredBy: ● docker.socket',
    '       Docs: https://docs.docker.com',
  ];
  if (e.running && dockerd)
    lines.push(
      `   Main PID: ${dockerd.pid} (dockerd)`,
      '     CGroup: /system.slice/docker.service',
      `             └─${dockerd.pid} ${dockerd.cmdline}`,
    );
  lines.push('', ...s.journal.slice(-10));
  ctx.stdout.write(lines.join('\n') + '\n');
  return e.running ? 0 : 3;
}

function systemctl(ctx: CommandContext): number {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const [verb, unit] = args;
  const e = ctx.target.engine;
  if (!verb) {
    ctx.stdout.write('  UNIT                 LOAD   ACTIVE SUB     DESCRIPTION\n');
    return 0;
  }
  if (verb === 'daemon-reload') {
    if (e) stateOf(ctx.target, e).loaded = unitOnDisk(ctx.target);
    return 0;
  }
  if (!unit) {
    ctx.stderr.write(`Too few arguments.\n`);
    return 1;
  }
  const name = unit.replace(/\.service$/, '');
  if (name !== 'docker' || !e) {
    if (['start', 'stop', 'restart', 'status', 'enable', 'disable', 'is-active'].includes(verb)) {
      ctx.stderr.write(
        verb === 'status'
          ? `Unit ${name}.service could not be found.\n`
          : `Failed to ${verb} ${name}.service: Unit ${name}.service not found.\n`,
      );
      return verb === 'status' ? 4 : 5;
    }
    ctx.stderr.write(`Unknown command verb ${verb}.\n`);
    return 1;
  }
  switch (verb) {
    case 'start':
      return startService(ctx, e, false);
    case 'restart':
    case 'reload-or-restart':
      return startService(ctx, e, true);
    case 'stop': {
      const s = stateOf(ctx.target, e);
      warnIfChanged(ctx, s);
      ctx.stderr.write('Warning: Stopping docker.service, but it can still be activated by:\n  docker.socket\n');
      e.stop();
      s.since = ctx.target.clock.now();
      journal(ctx.target, s, 'systemd[1]: Stopped docker.service - Docker Application Container Engine.');
      return 0;
    }
    case 'status':
      return status(ctx, e);
    case 'is-active':
      ctx.stdout.write(e.running ? 'active\n' : stateOf(ctx.target, e).failed ? 'failed\n' : 'inactive\n');
      return e.running ? 0 : 3;
    case 'enable':
    case 'disable':
      return 0;
    default:
      ctx.stderr.write(`Unknown command verb ${verb}.\n`);
      return 1;
  }
}

/** `service docker restart`: the SysV wrapper hands over to systemctl. */
function service(ctx: CommandContext): number {
  const [name, verb] = ctx.argv.slice(1);
  if (!name || !verb) {
    ctx.stderr.write('Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n');
    return 1;
  }
  return systemctl({ ...ctx, argv: ['systemctl', verb, name] });
}

function journalctl(ctx: CommandContext): number {
  const e = ctx.target.engine;
  const args = ctx.argv.slice(1);
  const u = args.findIndex((a) => a === '-u' || a === '--unit' || a === '-xeu');
  const unit = u >= 0 ? args[u + 1] : args.find((a) => a.startsWith('--unit='))?.slice(7);
  if (unit && unit.replace(/\.service$/, '') !== 'docker') {
    ctx.stdout.write('-- No entries --\n');
    return 0;
  }
  const lines = e ? stateOf(ctx.target, e).journal : [];
  ctx.stdout.write(lines.length ? lines.join('\n') + '\n' : '-- No entries --\n');
  return 0;
}

register({ name: 'systemctl', run: systemctl, paths: { gnu: '/usr/bin/systemctl' } });
register({ name: 'service', run: service, paths: { gnu: '/usr/sbin/service' } });
register({ name: 'journalctl', run: journalctl, paths: { gnu: '/usr/bin/journalctl' } });
