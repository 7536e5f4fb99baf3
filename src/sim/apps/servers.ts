/**
 * Long-running programs that serve the network: what a container's main process (or a
 * backgrounded command) does once started. Each binds real sockets in its namespace, so
 * `ss`, port conflicts and the packet walk see them, and answers through the TCP/UDP stack.
 *
 * A program is started with a ProgramHost (its namespace, files, environment, logger) and its
 * argv; it returns a handle to stop it, or an exit status when it ends at once.
 */
import type { Netns } from '../net/netns.ts';
import type { Vfs } from '../base/vfs.ts';
import type { Clock } from '../base/clock.ts';
import type { World } from '../net/world.ts';
import { BindError, type Socket, type SocketOwner } from '../net/sockets.ts';
import { busyboxHttpdHeaders, serveHttp, type HttpRequest, type HttpResponse } from './http.ts';
import { httpDate } from '../base/clock.ts';
import { resolveHost } from './dns.ts';
import { formatIp4 } from '../net/ip.ts';

export interface ProgramHost {
  ns: Netns;
  fs: Vfs;
  clock: Clock;
  world: World;
  pid: number;
  env: Record<string, string>;
  hostname: string;
  /** Writes to the container's log (what `docker logs` shows). */
  log(text: string): void;
  /** stdin stays open (`-i`): an interactive interpreter waits for input instead of reading EOF. */
  interactive?: boolean;
}

export interface RunningProgram {
  /** The process name ss/netstat print. */
  comm: string;
  stop(): void;
}

export type ProgramStart = RunningProgram | { exit: number };
export type Daemon = (host: ProgramHost, argv: string[]) => ProgramStart;

const daemons = new Map<string, Daemon>();

export function registerDaemon(name: string, d: Daemon): void {
  daemons.set(name, d);
}

/** The daemon behind a program path or name (`/usr/sbin/nginx`, `nginx`). */
export function findDaemon(argv0: string): Daemon | undefined {
  return daemons.get(argv0.slice(argv0.lastIndexOf('/') + 1));
}

/** Binds a listening TCP socket; returns an error text like the program would print (`Address in use`). */
function bindTcp(
  ns: Netns,
  ip: { family: 4; ip: number } | { family: 6; ip: string },
  port: number,
  owner: SocketOwner,
  handler: Socket['handler'],
  v6only = false,
  backlog?: number,
): Socket | string {
  try {
    return ns.sockets.bind({ proto: 'tcp', local: ip, port, owner, handler, v6only, backlog });
  } catch (e) {
    if (e instanceof BindError) return e.message;
    throw e;
  }
}

/**
 * `nc -l -p PORT [-e /bin/cat]`: accepts connections and echoes what it reads when the program
 * is cat; `-ll` keeps listening after the first client. Returns a closer or an error text.
 */
export function listenEcho(ns: Netns, port: number, owner: SocketOwner, echo: boolean, persistent: boolean): (() => void) | string {
  let sock: Socket | null = null;
  // busybox nc: listen(fd, 2), which ss shows as Send-Q.
  const r = bindTcp(
    ns,
    { family: 6, ip: '::' },
    port,
    owner,
    {
      onData(conn, data) {
        if (echo) conn.write(data);
      },
      onClose() {
        if (!persistent && sock) ns.sockets.close(sock);
      },
    },
    false,
    2,
  );
  if (typeof r === 'string') return r;
  sock = r;
  return () => ns.sockets.close(r);
}

// ---- web servers ---------------------------------------------------------------------------

const NGINX_PAGE_MTIME = Date.UTC(2023, 9, 24, 13, 46, 47);

const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

/** busybox httpd serving a directory (`httpd -f -h /www -p 80`). */
registerDaemon('httpd', (host, argv) => {
  let home = '/var/www';
  let port = 80;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '-h') home = argv[++i] ?? home;
    else if (argv[i] === '-p') port = Number((argv[++i] ?? '80').split(':').pop());
  }
  const owner = { pid: host.pid, name: 'httpd', fd: 3 };
  const handler = (req: HttpRequest): HttpResponse => {
    const path = req.path.split('?')[0];
    const file = `${home}${path.endsWith('/') ? path + 'index.html' : path}`;
    try {
      const body = host.fs.read(file);
      const st = host.fs.stat(file);
      return {
        status: 200,
        reason: 'OK',
        headers: busyboxHttpdHeaders(host.clock, body, st?.mtime ?? host.clock.now()),
        body: req.method === 'HEAD' ? '' : body,
      };
    } catch {
      const body =
        '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n';
      return {
        status: 404,
        reason: 'Not Found',
        headers: [
          ['Date', httpDate(host.clock.now())],
          ['Connection', 'close'],
          ['Content-type', 'text/html'],
        ],
        body,
      };
    }
  };
  try {
    // busybox httpd: listen(fd, 9).
    serveHttp(host.ns, { family: 6, ip: '::' }, port, owner, handler, false, 9);
  } catch (e) {
    if (e instanceof BindError) {
      host.log(`httpd: bind: ${e.message}\n`);
      return { exit: 1 };
    }
    throw e;
  }
  return { comm: 'httpd', stop: () => closeOwned(host.ns, host.pid) };
});

/** nginx with its default site: the welcome page on :80 (IPv4 and IPv6 listeners). */
registerDaemon('nginx', (host) => {
  const owner = { pid: host.pid, name: 'nginx', fd: 6 };
  const handler = (req: HttpRequest): HttpResponse => {
    let body: string;
    try {
      body = host.fs.read('/usr/share/nginx/html/index.html');
    } catch {
      body = IT_WORKS;
    }
    host.log(
      `${formatIp4(req.peer.ip)} - - [${nginxTime(host.clock.now())}] "${req.method} ${req.path} ${req.version}" 200 ${body.length} "-" "${req.headers.find(([k]) => k.toLowerCase() === 'user-agent')?.[1] ?? '-'}" "-"\n`,
    );
    // ngx_http_process_request_header: HTTP/1.1 keeps the connection unless the client says
    // close; HTTP/1.0 (typed into telnet, `curl -0`) only when it asks for keep-alive.
    const asked = req.headers.find(([k]) => k.toLowerCase() === 'connection')?.[1].toLowerCase() ?? '';
    const keepAlive = req.version === 'HTTP/1.1' ? asked !== 'close' : asked === 'keep-alive';
    return {
      status: 200,
      reason: 'OK',
      // nginx's header order; the page's mtime is the image's (nginx:1.25.3 was built 2023-10-24).
      headers: [
        ['Server', 'nginx/1.25.3'],
        ['Date', httpDate(host.clock.now())],
        ['Content-Type', 'text/html'],
        ['Content-Length', String(body.length)],
        ['Last-Modified', httpDate(NGINX_PAGE_MTIME)],
        ['Connection', keepAlive ? 'keep-alive' : 'close'],
        ['ETag', `"${Math.floor(NGINX_PAGE_MTIME / 1000).toString(16)}-${body.length.toString(16)}"`],
        ['Accept-Ranges', 'bytes'],
      ],
      body: req.method === 'HEAD' ? '' : body,
    };
  };
  try {
    serveHttp(host.ns, { family: 4, ip: 0 }, 80, owner, handler);
    serveHttp(host.ns, { family: 6, ip: '::' }, 80, { ...owner, fd: 7 }, handler, true);
  } catch (e) {
    if (e instanceof BindError) {
      host.log(`nginx: [emerg] bind() to 0.0.0.0:80 failed (98: ${e.message})\n`);
      closeOwned(host.ns, host.pid);
      return { exit: 1 };
    }
    throw e;
  }
  return { comm: 'nginx', stop: () => closeOwned(host.ns, host.pid) };
});

/** redis-server: RESP and inline commands over an in-memory keyspace (PING, SET, GET, INCR, KEYS, DEL). */
const redisStores = new WeakMap<Netns, Map<string, string>>();
registerDaemon('redis-server', (host) => {
  const db = redisStores.get(host.ns) ?? new Map<string, string>();
  redisStores.set(host.ns, db);
  const owner = { pid: host.pid, name: 'redis-server', fd: 6 };
  const handler: Socket['handler'] = {
    onData(conn, data) {
      const buf = ((conn.state.buf as string | undefined) ?? '') + data;
      const { commands, rest } = parseResp(buf);
      conn.state.buf = rest;
      for (const cmd of commands) conn.write(redisExec(db, cmd));
    },
  };
  const a = bindTcp(host.ns, { family: 4, ip: 0 }, 6379, owner, handler);
  const b = bindTcp(host.ns, { family: 6, ip: '::' }, 6379, { ...owner, fd: 7 }, handler, true);
  if (typeof a === 'string' || typeof b === 'string') {
    host.log(`# Could not create server TCP listening socket *:6379: bind: Address already in use\n`);
    closeOwned(host.ns, host.pid);
    return { exit: 1 };
  }
  host.log(`1:M ${redisTime(host.clock.now())} * Ready to accept connections tcp\n`);
  return { comm: 'redis-server', stop: () => closeOwned(host.ns, host.pid) };
});

/** mysqld: listens on 3306 and 33060 (X protocol) and greets clients with a handshake. */
registerDaemon('mysqld', (host) => {
  const owner = { pid: host.pid, name: 'mysqld', fd: 20 };
  const greet: Socket['handler'] = {
    onAccept(conn) {
      conn.write('J\u0000\u0000\u0000\n8.0.35\u0000');
    },
  };
  for (const port of [33060, 3306]) {
    const r = bindTcp(host.ns, { family: 6, ip: '::' }, port, owner, greet);
    if (typeof r === 'string') return { exit: 1 };
  }
  return { comm: 'mysqld', stop: () => closeOwned(host.ns, host.pid) };
});

/** A generic HTTP application on a port (tomcat on 8080, adminer on 8080). */
function httpApp(comm: string, port: number, page: (host: ProgramHost) => string): Daemon {
  return (host) => {
    const owner = { pid: host.pid, name: comm, fd: 5 };
    const r = bindTcp(host.ns, { family: 6, ip: '::' }, port, owner, undefined as never);
    if (typeof r === 'string') return { exit: 1 };
    host.ns.sockets.close(r);
    serveHttp(host.ns, { family: 6, ip: '::' }, port, owner, (req) => {
      const body = page(host);
      return {
        status: 200,
        reason: 'OK',
        headers: [
          ['Content-Type', 'text/html;charset=UTF-8'],
          ['Content-Length', String(body.length)],
          ['Date', httpDate(host.clock.now())],
          ['Connection', 'close'],
        ],
        body: req.method === 'HEAD' ? '' : body,
      };
    });
    return { comm, stop: () => closeOwned(host.ns, host.pid) };
  };
}
registerDaemon(
  'catalina.sh',
  httpApp(
    'java',
    8080,
    () =>
      '<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>',
  ),
);
registerDaemon(
  'php',
  httpApp('php', 8080, () => '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<title>Login - Adminer</title>\n</html>\n'),
);

/**
 * `python app.py`: the Flask applications of the course's seeds. The script is read from the
 * container's files and its route is interpreted for what these apps do: `redis.incr(KEY)`,
 * `redis.get(KEY)`, `socket.gethostname()`, `os.environ.get(NAME, DEFAULT)` and a returned
 * string formatted with `%`. Redis is reached over the network (resolution, links, DNS and
 * iptables all apply). A missing module fails like Python 2 does.
 */
function pythonApp(host: ProgramHost, argv: string[]): ProgramStart {
  const script = argv.slice(1).find((a) => !a.startsWith('-'));
  if (!script) {
    // The interactive interpreter: with stdin open it waits at `>>>`; with /dev/null it exits.
    if (!host.interactive) return { exit: 0 };
    host.log(
      'Python 2.7.18 (default, Apr 20 2020, 19:27:10)\n[GCC 8.3.0] on linux2\nType "help", "copyright", "credits" or "license" for more information.\n>>> ',
    );
    return { comm: 'python', stop: () => undefined };
  }
  const path = script.startsWith('/') ? script : `${host.env.PWD && host.env.PWD !== '/' ? host.env.PWD : ''}/${script}`;
  let source: string;
  try {
    source = host.fs.read(path);
  } catch {
    host.log(`python: can't open file '${script}': [Errno 2] No such file or directory\n`);
    return { exit: 2 };
  }
  for (const m of source.matchAll(/^\s*(?:from\s+(\w+)\s+import|import\s+(\w+))/gm)) {
    const mod = (m[1] ?? m[2]).toLowerCase();
    if (['os', 'socket', 'sys', 'time', 'json'].includes(mod)) continue;
    if (!pythonModuleInstalled(host, mod)) {
      host.log(
        `Traceback (most recent call last):\n  File "${path}", line 1, in <module>\n    ${m[0].trim()}\nImportError: No module named ${mod}\n`,
      );
      return { exit: 1 };
    }
  }
  const port = Number(/app\.run\([^)]*port\s*=\s*(\d+)/.exec(source)?.[1] ?? 5000);
  const redisArgs = callArgs(source, 'Redis(');
  const redisHostExpr = redisArgs?.find((a) => /^host\s*=/.test(a))?.replace(/^host\s*=\s*/, '') ?? redisArgs?.[0] ?? null;
  const owner = { pid: host.pid, name: 'python', fd: 3 };
  const handler = (req: HttpRequest): HttpResponse => {
    const reply = (status: number, body: string): HttpResponse => ({
      status,
      reason: status === 200 ? 'OK' : 'INTERNAL SERVER ERROR',
      headers: [
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Content-Length', String(body.length)],
        ['Server', 'Werkzeug/1.0.1 Python/2.7.18'],
        ['Date', httpDate(host.clock.now())],
      ],
      body,
    });
    const out = runRoute(host, source, redisHostExpr);
    host.log(
      `${formatIp4(req.peer.ip)} - - [${flaskTime(host.clock.now())}] "${req.method} ${req.path} HTTP/1.1" ${out.ok ? 200 : 500} -\n`,
    );
    return out.ok ? reply(200, out.body) : reply(500, '<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n');
  };
  try {
    serveHttp(host.ns, { family: 4, ip: 0 }, port, owner, handler);
  } catch (e) {
    if (e instanceof BindError) {
      host.log('socket.error: [Errno 98] Address already in use\n');
      return { exit: 1 };
    }
    throw e;
  }
  host.log(
    ` * Serving Flask app "app" (lazy loading)\n * Environment: production\n   WARNING: This is a development server. Do not use it in a production deployment.\n   Use a production WSGI server instead.\n * Debug mode: ${/debug\s*=\s*True/.test(source) ? 'on' : 'off'}\n * Running on http://0.0.0.0:${port}/ (Press CTRL+C to quit)\n`,
  );
  return { comm: 'python', stop: () => closeOwned(host.ns, host.pid) };
}
registerDaemon('python', pythonApp);
registerDaemon('python2', pythonApp);
registerDaemon('python3', pythonApp);

/** pip writes a package directory per install; see the `pip` command. */
export const SITE_PACKAGES = '/usr/local/lib/python2.7/site-packages';

function pythonModuleInstalled(host: ProgramHost, mod: string): boolean {
  return host.fs.exists(`${SITE_PACKAGES}/${mod}`);
}

/** Evaluates the app's single route: its statements in order, then the returned string. */
function runRoute(host: ProgramHost, source: string, redisHostExpr: string | null): { ok: boolean; body: string } {
  const fn = /@app\.route\(['"]\/['"]\)\s*\ndef\s+\w+\(\):\s*\n([\s\S]*?)(?:\n\S|$)/.exec(source)?.[1] ?? '';
  const redisHost = redisHostExpr ? evalExpr(host, redisHostExpr, null) : '127.0.0.1';
  const redis = (cmd: string[]): string | null => redisCall(host, redisHost ?? '127.0.0.1', cmd);
  for (const raw of fn.split('\n')) {
    const line = raw.trim();
    const incr = /^redis\.incr\(['"]([^'"]+)['"]\)$/.exec(line);
    if (incr) {
      if (redis(['INCR', incr[1]]) === null) return { ok: false, body: '' };
      continue;
    }
    const ret = /^return\s+(.*)$/.exec(line);
    if (ret) {
      const v = evalExpr(host, ret[1], redis);
      return v === null ? { ok: false, body: '' } : { ok: true, body: v };
    }
  }
  return { ok: true, body: '' };
}

/** A Python string expression: a literal, `'fmt' % (args)`, or a call the apps use. */
function evalExpr(host: ProgramHost, expr: string, redis: ((cmd: string[]) => string | null) | null): string | null {
  const e = expr.trim();
  const lit = /^(['"])((?:\\.|(?!\1).)*)\1$/.exec(e);
  if (lit)
    return lit[2]
      .replace(/\\n/g, '\n')
      .replace(/\\t/g, '\t')
      .replace(/\\(['"\\])/g, '$1');
  const fmt = /^(['"])((?:\\.|(?!\1).)*)\1\s*%\s*\((.*)\)\s*$/.exec(e) ?? /^(['"])((?:\\.|(?!\1).)*)\1\s*%\s*(.*)$/.exec(e);
  if (fmt) {
    const args = splitArgs(fmt[3]).map((a) => evalExpr(host, a, redis));
    if (args.some((a) => a === null)) return null;
    let i = 0;
    const text = fmt[2].replace(/\\n/g, '\n').replace(/%[sd]/g, () => args[i++] ?? '');
    return text;
  }
  const env = /^os\.environ\.get\(\s*['"]([^'"]+)['"]\s*(?:,\s*(['"])([^'"]*)\2)?\s*\)$/.exec(e);
  if (env) return host.env[env[1]] ?? env[3] ?? 'None';
  if (/^socket\.gethostname\(\)$/.test(e)) return host.hostname;
  const get = /^redis\.get\(['"]([^'"]+)['"]\)$/.exec(e);
  if (get && redis) return redis(['GET', get[1]]);
  const incr = /^redis\.incr\(['"]([^'"]+)['"]\)$/.exec(e);
  if (incr && redis) return redis(['INCR', incr[1]]);
  return e;
}

/** The arguments of the first call `name(...)` in `source`, split at top-level commas. */
function callArgs(source: string, name: string): string[] | null {
  const at = source.indexOf(name);
  if (at < 0) return null;
  let depth = 1;
  let i = at + name.length;
  for (; i < source.length && depth > 0; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')') depth--;
  }
  return splitArgs(source.slice(at + name.length, i - 1));
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** One redis command over the network; the reply as Python would print it, null on connection errors. */
function redisCall(host: ProgramHost, server: string, cmd: string[]): string | null {
  const r = resolveHost(host.world.stack, host.ns, (p) => host.fs.tryRead(p), server);
  if (!r.addrs.length) return null;
  const c = host.world.stack.tcpConnect(host.ns, r.addrs[0], 6379);
  if ('error' in c) return null;
  c.send(encodeResp(cmd));
  const reply = c.received;
  c.close();
  const int = /^:(-?\d+)/.exec(reply);
  if (int) return int[1];
  const bulk = /^\$(-?\d+)\r\n([\s\S]*?)\r\n/.exec(reply);
  if (bulk) return bulk[1] === '-1' ? 'None' : bulk[2];
  return reply.startsWith('+') ? reply.slice(1).trim() : null;
}

// ---- redis protocol ------------------------------------------------------------------------

export function parseResp(buf: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let i = 0;
  while (i < buf.length) {
    if (buf[i] === '*') {
      const nl = buf.indexOf('\r\n', i);
      if (nl < 0) break;
      const n = Number(buf.slice(i + 1, nl));
      let j = nl + 2;
      const parts: string[] = [];
      let complete = true;
      for (let k = 0; k < n; k++) {
        const nl2 = buf.indexOf('\r\n', j);
        if (nl2 < 0 || buf[j] !== '$') {
          complete = false;
          break;
        }
        const len = Number(buf.slice(j + 1, nl2));
        if (buf.length < nl2 + 2 + len + 2) {
          complete = false;
          break;
        }
        parts.push(buf.slice(nl2 + 2, nl2 + 2 + len));
        j = nl2 + 2 + len + 2;
      }
      if (!complete) break;
      commands.push(parts);
      i = j;
    } else {
      const nl = buf.indexOf('\n', i);
      if (nl < 0) break;
      const line = buf.slice(i, nl).replace(/\r$/, '').trim();
      if (line) commands.push(line.split(/\s+/));
      i = nl + 1;
    }
  }
  return { commands, rest: buf.slice(i) };
}

/** A command as a RESP array of bulk strings, as clients send it. */
export function encodeResp(argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => bulk(a)).join('');
}

const bulk = (s: string | undefined): string => (s === undefined ? '$-1\r\n' : `$${s.length}\r\n${s}\r\n`);

export function redisExec(db: Map<string, string>, cmd: string[]): string {
  const [name = '', ...args] = cmd;
  switch (name.toUpperCase()) {
    case 'PING':
      return args.length ? bulk(args[0]) : '+PONG\r\n';
    case 'SET':
      if (args.length < 2) return "-ERR wrong number of arguments for 'set' command\r\n";
      db.set(args[0], args[1]);
      return '+OK\r\n';
    case 'GET':
      if (args.length !== 1) return "-ERR wrong number of arguments for 'get' command\r\n";
      return bulk(db.get(args[0]));
    case 'INCR': {
      if (args.length !== 1) return "-ERR wrong number of arguments for 'incr' command\r\n";
      const v = db.get(args[0]) ?? '0';
      if (!/^-?\d+$/.test(v)) return '-ERR value is not an integer or out of range\r\n';
      const n = Number(v) + 1;
      db.set(args[0], String(n));
      return `:${n}\r\n`;
    }
    case 'DEL': {
      let n = 0;
      for (const k of args) if (db.delete(k)) n++;
      return `:${n}\r\n`;
    }
    case 'KEYS': {
      const re = new RegExp(
        '^' +
          (args[0] ?? '*')
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.') +
          '$',
      );
      const keys = [...db.keys()].filter((k) => re.test(k));
      return `*${keys.length}\r\n` + keys.map((k) => bulk(k)).join('');
    }
    case 'QUIT':
      return '+OK\r\n';
    default:
      return `-ERR unknown command '${name}', with args beginning with: ${args.map((a) => `'${a}' `).join('')}\r\n`;
  }
}

// ---- helpers -------------------------------------------------------------------------------

function closeOwned(ns: Netns, pid: number): void {
  ns.sockets.closeOwnedBy(pid);
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

function flaskTime(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

function redisTime(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())} ${MON[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}
