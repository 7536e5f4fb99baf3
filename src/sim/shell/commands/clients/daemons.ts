/**
 * Server programs run from a shell (or by runc as a container's command): `httpd -f -p 80`,
 * `nginx`, `redis-server`, `mysqld`, `python app.py`... They start the daemon of
 * src/sim/apps/servers.ts in the caller's namespace and stay in the foreground until
 * interrupted; busybox `httpd` without `-f` daemonizes and returns at once, as the real one does.
 */
import type { CommandContext } from '../../interp.ts';
import type { Job } from '../../runtime.ts';
import { register } from '../registry.ts';
import { findDaemon } from '../../../apps/servers.ts';

function daemonCommand(name: string): (ctx: CommandContext) => Job {
  return (ctx) =>
    (function* (): Job {
      const daemon = findDaemon(name)!;
      const pid = ctx.target.spawnPid();
      const env: Record<string, string> = Object.fromEntries(ctx.env);
      const started = daemon(
        {
          ns: ctx.target.netns,
          fs: ctx.target.fs,
          clock: ctx.target.clock,
          world: ctx.target.world,
          pid,
          env: { ...env, PWD: ctx.cwd },
          hostname: ctx.target.hostname(),
          log: (t) => ctx.stdout.write(t),
        },
        [name, ...ctx.argv.slice(1)],
      );
      if ('exit' in started) return started.exit;
      if (name === 'httpd' && !ctx.argv.includes('-f')) return 0;
      try {
        for (;;) {
          const r = yield { kind: 'sleep', ms: 3_600_000 };
          if (r?.interrupted) return 130;
        }
      } finally {
        started.stop();
      }
    })();
}

const PATHS: Record<string, { gnu: string; busybox?: string }> = {
  httpd: { gnu: '/usr/sbin/httpd', busybox: '/usr/sbin/httpd' },
  nginx: { gnu: '/usr/sbin/nginx' },
  'redis-server': { gnu: '/usr/local/bin/redis-server', busybox: '/usr/local/bin/redis-server' },
  mysqld: { gnu: '/usr/sbin/mysqld' },
  python: { gnu: '/usr/local/bin/python' },
  python2: { gnu: '/usr/local/bin/python2' },
  python3: { gnu: '/usr/local/bin/python3' },
  'catalina.sh': { gnu: '/usr/local/tomcat/bin/catalina.sh' },
  php: { gnu: '/usr/local/bin/php' },
};

for (const [name, paths] of Object.entries(PATHS)) register({ name, run: daemonCommand(name), paths });
