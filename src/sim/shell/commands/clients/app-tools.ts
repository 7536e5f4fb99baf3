/**
 * Tools of the application images: `pip install` (records packages in site-packages so the
 * flask app can import them), `redis-cli` (one-shot and interactive, over the network), and
 * the images' entrypoint wrappers that exec their arguments (`docker-entrypoint.sh redis-server`).
 */
import type { CommandContext } from '../../interp.ts';
import type { Job } from '../../runtime.ts';
import { register } from '../registry.ts';
import { resolve, stackOf } from './common.ts';
import { errnoText } from './ping.ts';
import { SITE_PACKAGES, encodeResp } from '../../../apps/servers.ts';

const PIP_VERSIONS: Record<string, string> = {
  flask: '1.1.4',
  redis: '3.5.3',
  requests: '2.27.1',
  werkzeug: '1.0.1',
  jinja2: '2.11.3',
  click: '7.1.2',
  itsdangerous: '1.1.0',
  markupsafe: '1.1.1',
};
const FLASK_DEPS = ['Werkzeug', 'Jinja2', 'click', 'itsdangerous', 'MarkupSafe'];

function pip(ctx: CommandContext): number {
  const [sub, ...rest] = ctx.argv.slice(1);
  if (sub !== 'install' && sub !== 'list' && sub !== 'freeze') {
    ctx.stderr.write(sub ? `ERROR: unknown command "${sub}"\n` : '\nUsage:   \n  pip <command> [options]\n');
    return sub ? 1 : 0;
  }
  const fs = ctx.target.fs;
  if (sub !== 'install') {
    const installed = fs.exists(SITE_PACKAGES) ? fs.list(SITE_PACKAGES) : [];
    for (const p of installed)
      ctx.stdout.write(
        sub === 'freeze' ? `${p}==${PIP_VERSIONS[p.toLowerCase()] ?? '1.0'}\n` : `${p} ${PIP_VERSIONS[p.toLowerCase()] ?? '1.0'}\n`,
      );
    return 0;
  }
  const pkgs = rest.filter((a) => !a.startsWith('-'));
  if (!pkgs.length) {
    ctx.stderr.write('ERROR: You must give at least one requirement to install (see "pip help install")\n');
    return 1;
  }
  const all = [...pkgs];
  if (pkgs.some((p) => p.toLowerCase() === 'flask')) all.push(...FLASK_DEPS);
  for (const p of pkgs) {
    const v = PIP_VERSIONS[p.toLowerCase()] ?? '1.0.0';
    ctx.stdout.write(`Collecting ${p}\n  Downloading ${p.replace(/-/g, '_')}-${v}-py2.py3-none-any.whl (94 kB)\n`);
  }
  for (const d of all.slice(pkgs.length))
    ctx.stdout.write(`Collecting ${d}\n  Downloading ${d}-${PIP_VERSIONS[d.toLowerCase()] ?? '1.0'}-py2.py3-none-any.whl (125 kB)\n`);
  ctx.stdout.write(`Installing collected packages: ${all.join(', ')}\n`);
  for (const p of all) {
    fs.mkdir(`${SITE_PACKAGES}/${p.toLowerCase()}`, { parents: true });
    fs.write(`${SITE_PACKAGES}/${p.toLowerCase()}/__init__.py`, '');
  }
  ctx.stdout.write(`Successfully installed ${all.map((p) => `${p}-${PIP_VERSIONS[p.toLowerCase()] ?? '1.0'}`).join(' ')}\n`);
  return 0;
}

/** Formats a RESP reply as redis-cli prints it on a terminal. */
function formatReply(raw: string, tty: boolean): { text: string; rest: string } | null {
  const nl = raw.indexOf('\r\n');
  if (nl < 0) return null;
  const t = raw[0];
  const line = raw.slice(1, nl);
  const after = raw.slice(nl + 2);
  if (t === '+') return { text: line, rest: after };
  if (t === '-') return { text: `(error) ${line}`, rest: after };
  if (t === ':') return { text: tty ? `(integer) ${line}` : line, rest: after };
  if (t === '$') {
    const n = Number(line);
    if (n < 0) return { text: tty ? '(nil)' : '', rest: after };
    return { text: tty ? `"${after.slice(0, n)}"` : after.slice(0, n), rest: after.slice(n + 2) };
  }
  if (t === '*') {
    const n = Number(line);
    if (n === 0) return { text: tty ? '(empty array)' : '', rest: after };
    const items: string[] = [];
    let rest = after;
    for (let i = 0; i < n; i++) {
      const r = formatReply(rest, false);
      if (!r) return null;
      items.push(tty ? `${i + 1}) "${r.text}"` : r.text);
      rest = r.rest;
    }
    return { text: items.join('\n'), rest };
  }
  return { text: raw.trim(), rest: '' };
}

/** Splits a redis-cli line into arguments (double quotes group words). */
function splitLine(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

function redisCli(ctx: CommandContext): Job {
  return (function* (): Job {
    let host = '127.0.0.1';
    let port = 6379;
    const args = ctx.argv.slice(1);
    const cmd: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-h') host = args[++i] ?? host;
      else if (args[i] === '-p') port = Number(args[++i] ?? port);
      else cmd.push(args[i]);
    }
    const res = resolve(ctx, host);
    const stack = stackOf(ctx);
    const ip = res.addrs[0];
    const conn = ip === undefined ? null : stack.tcpConnect(ctx.target.netns, ip, port);
    const failText = (e: string): string => `Could not connect to Redis at ${host}:${port}: ${e}`;
    const run = (argv: string[]): string => {
      if (!conn || 'error' in conn) return '';
      const before = conn.received.length;
      conn.send(encodeResp(argv));
      const r = formatReply(conn.received.slice(before), ctx.stdout.isTty || interactive);
      return r ? r.text : '';
    };
    const interactive = cmd.length === 0;
    if (!interactive) {
      if (!conn || 'error' in conn) {
        ctx.stderr.write(failText(!conn ? 'Name or service not known' : errnoText(conn.error)) + '\n');
        return 1;
      }
      ctx.stdout.write(run(cmd) + '\n');
      conn.close();
      return 0;
    }
    const prompt = conn && !('error' in conn) ? `${host}:${port}> ` : 'not connected> ';
    if (!conn || 'error' in conn) ctx.stdout.write(failText(!conn ? 'Name or service not known' : errnoText(conn.error)) + '\n');
    let buf = '';
    for (;;) {
      ctx.stdout.write(prompt);
      let line: string | null = null;
      for (;;) {
        buf += ctx.stdin.takeAll();
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          break;
        }
        if (ctx.stdin.eof) break;
        const r = yield { kind: 'input' };
        if (r?.interrupted) {
          if (conn && !('error' in conn)) conn.close();
          return 0;
        }
      }
      if (line === null) break;
      const argv = splitLine(line);
      if (!argv.length) continue;
      if (['quit', 'exit'].includes(argv[0].toLowerCase())) break;
      if (!conn || 'error' in conn) ctx.stdout.write(failText('Connection refused') + '\n');
      else ctx.stdout.write(run(argv) + '\n');
    }
    if (conn && !('error' in conn)) conn.close();
    return 0;
  })();
}

/**
 * Entrypoint scripts of the official images: set things up, then `exec "$@"`. The nginx one
 * prints its configuration steps to the log first.
 */
function entrypoint(ctx: CommandContext): Job {
  return (function* (): Job {
    const rest = ctx.argv.slice(1);
    if (!rest.length) return 0;
    const name = ctx.argv[0].slice(ctx.argv[0].lastIndexOf('/') + 1);
    if (name === 'docker-entrypoint.sh' && rest[0] === 'nginx')
      ctx.stdout.write(
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Configuration complete; ready for start up\n',
      );
    const resolved = ctx.target.resolve(
      rest[0],
      ctx.env.get('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ctx.cwd,
    );
    if (!resolved) {
      ctx.stderr.write(`${ctx.argv[0]}: line 1: exec: ${rest[0]}: not found\n`);
      return 127;
    }
    const r = resolved.run({ ...ctx, argv: rest });
    if (typeof r === 'number') return r;
    return yield* r;
  })();
}

register({ name: 'pip', run: pip, paths: { gnu: '/usr/local/bin/pip' } });
register({ name: 'redis-cli', run: redisCli, paths: { gnu: '/usr/local/bin/redis-cli' } });
for (const n of ['docker-entrypoint.sh', 'entrypoint.sh', 'docker-php-entrypoint'])
  register({ name: n, run: entrypoint, paths: { gnu: `/usr/local/bin/${n}`, busybox: `/usr/local/bin/${n}` } });
