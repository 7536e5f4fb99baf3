/**
 * `dockerd` run by hand on a host (the daemon in the foreground: it stays until Ctrl-C, or
 * fails at once with its last log line `failed to start daemon: ...`), and coreutils `timeout`.
 */
import type { CommandContext } from '../../interp.ts';
import type { Job } from '../../runtime.ts';
import { rfc3339Nano } from '../../../base/clock.ts';
import { register } from '../registry.ts';

function dockerd(ctx: CommandContext): Job {
  return (function* (): Job {
    const engine = ctx.target.engine;
    if (!engine) {
      ctx.stderr.write(`${ctx.shell.name}: dockerd: command not found\n`);
      return 127;
    }
    const t = (): string => rfc3339Nano(ctx.target.clock.now(), 123456789);
    ctx.stderr.write(`time="${t()}" level=info msg="Starting up"\n`);
    if (engine.running) {
      ctx.stderr.write('failed to start daemon: pid file found, ensure docker is not running or delete /var/run/docker.pid\n');
      return 1;
    }
    const err = engine.start(ctx.argv.slice(1));
    if (err) {
      ctx.stderr.write(`${err}\n`);
      return 1;
    }
    ctx.stderr.write(
      `time="${t()}" level=info msg="Daemon has completed initialization"\ntime="${t()}" level=info msg="API listen on /var/run/docker.sock"\n`,
    );
    for (;;) {
      const r = yield { kind: 'sleep', ms: 3_600_000 };
      if (r?.interrupted) {
        ctx.stderr.write(`time="${t()}" level=info msg="Processing signal 'interrupt'"\n`);
        engine.stop();
        return 0;
      }
    }
  })();
}

/** coreutils timeout: runs COMMAND; when DURATION passes first, stops it and exits 124. */
function timeout(ctx: CommandContext): Job {
  return (function* (): Job {
    const args = ctx.argv.slice(1);
    while (args[0]?.startsWith('-')) {
      const a = args.shift()!;
      if (a === '-s' || a === '-k') args.shift();
    }
    const [dur, name, ...rest] = args;
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(dur ?? '');
    if (!m || !name) {
      ctx.stderr.write(
        m
          ? "timeout: missing operand\nTry 'timeout --help' for more information.\n"
          : `timeout: invalid time interval '${dur ?? ''}'\nTry 'timeout --help' for more information.\n`,
      );
      return 125;
    }
    const limitMs = Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
    const resolved = ctx.target.resolve(name, ctx.env.get('PATH') ?? '/usr/bin:/bin', ctx.cwd);
    if (!resolved) {
      ctx.stderr.write(`timeout: failed to run command '${name}': No such file or directory\n`);
      return 127;
    }
    const result = resolved.run({ ...ctx, argv: [name, ...rest] });
    if (typeof result === 'number') return result;
    let slept = 0;
    let resume: { interrupted: boolean } | undefined;
    for (;;) {
      const step = result.next(resume);
      if (step.done) return step.value;
      const eff = step.value;
      if (eff.kind === 'sleep' && slept + eff.ms >= limitMs) {
        const wait = limitMs - slept;
        if (wait > 0) {
          const r = yield { kind: 'sleep', ms: wait };
          if (r?.interrupted) return 130;
        }
        // SIGTERM: the command stops (its cleanup runs) and timeout reports 124.
        let s = result.next({ interrupted: true });
        for (let guard = 0; !s.done && guard < 1000; guard++) s = result.next({ interrupted: true });
        return 124;
      }
      const r = yield eff;
      if (eff.kind === 'sleep') slept += eff.ms;
      resume = r ?? { interrupted: false };
      if (r?.interrupted) return 130;
    }
  })();
}

register({ name: 'dockerd', run: dockerd, paths: { gnu: '/usr/sbin/dockerd' } });
register({ name: 'timeout', run: timeout, paths: { gnu: '/usr/bin/timeout', busybox: '/usr/bin/timeout' } });

/** busybox/net-tools dnsdomainname: the domain part of the host's fully qualified name (from /etc/hosts). */
function dnsdomainname(ctx: CommandContext): number {
  const host = ctx.target.hostname();
  let fqdn = host.includes('.') ? host : '';
  if (!fqdn) {
    for (const line of (ctx.target.fs.tryRead('/etc/hosts') ?? '').split('\n')) {
      const names = line.replace(/#.*$/, '').trim().split(/\s+/).slice(1);
      if (names.includes(host)) {
        fqdn = names.find((n) => n.startsWith(host + '.')) ?? '';
        if (fqdn) break;
      }
    }
  }
  const dot = fqdn.indexOf('.');
  ctx.stdout.write(dot >= 0 ? fqdn.slice(dot + 1) + '\n' : ctx.target.userland === 'busybox' ? '\n' : '');
  return 0;
}

register({ name: 'dnsdomainname', run: dnsdomainname, paths: { gnu: '/bin/dnsdomainname', busybox: '/bin/dnsdomainname' } });
