/**
 * curl (7.88, as on the hosts and the golden centos image), GNU wget and busybox wget.
 * A request is a real TCP connection through the packet walk; what comes back is what the
 * server program wrote.
 */
import type { CommandContext } from '../../interp.ts';
import type { Job } from '../../runtime.ts';
import { register } from '../registry.ts';
import { formatIp4, parseUrl, resolve, stackOf } from './common.ts';
import { formatRequest, parseResponse } from '../../../apps/http.ts';
import { errnoText } from './ping.ts';
import type { ConnectError } from '../../../net/stack.ts';

/** Linux gives up a connect() after the SYN retries (net.ipv4.tcp_syn_retries=6): about 127 s. */
const KERNEL_CONNECT_TIMEOUT_MS = 127_000;

type FetchResult =
  { kind: 'ok'; raw: string; ip: string } | { kind: 'resolve'; waitedMs: number } | { kind: 'connect'; error: ConnectError; ip: string };

function fetch(ctx: CommandContext, host: string, port: number, request: (hostHeader: string) => string): FetchResult {
  const res = resolve(ctx, host.replace(/^\[|\]$/g, ''));
  if (!res.addrs.length) return { kind: 'resolve', waitedMs: res.waitedMs };
  const ip = res.addrs[0];
  const stack = stackOf(ctx);
  const conn = stack.traced(() => stack.tcpConnect(ctx.target.netns, ip, port));
  if ('error' in conn) return { kind: 'connect', error: conn.error, ip: formatIp4(ip) };
  const hostHeader = port === 80 ? host : `${host}:${port}`;
  stack.traced(() => conn.send(request(hostHeader)));
  const raw = conn.received;
  conn.close();
  return { kind: 'ok', raw, ip: formatIp4(ip) };
}

/** What curl's --write-out variables report about one transfer. */
interface Transfer {
  url: string;
  code: number;
  ip: string;
  port: number;
  size: number;
  contentType: string;
  exit: number;
}

/**
 * curl's --write-out (src/tool_writeout.c): `%{var}` expands, `%%` is a percent, `\n` `\r` `\t`
 * are control characters; `%{stderr}`/`%{stdout}` switch the stream. Timing variables are not
 * modelled (the lab has no wall clock): curl would print seconds; they are reported unknown here.
 */
function writeOut(ctx: CommandContext, format: string, t: Transfer): void {
  const values: Record<string, string> = {
    http_code: String(t.code).padStart(3, '0'),
    response_code: String(t.code).padStart(3, '0'),
    remote_ip: t.ip,
    remote_port: t.port ? String(t.port) : '',
    size_download: String(t.size),
    content_type: t.contentType,
    url_effective: t.url,
    url: t.url,
    exitcode: String(t.exit),
    num_connects: t.code ? '1' : '0',
    scheme: t.code ? 'HTTP' : '',
    http_version: t.code ? '1.1' : '0',
  };
  let out = ctx.stdout;
  let buf = '';
  const flush = (): void => {
    if (buf) out.write(buf);
    buf = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%' && format[i + 1] === '%') {
      buf += '%';
      i++;
    } else if (c === '%' && format[i + 1] === '{') {
      const end = format.indexOf('}', i + 2);
      if (end < 0) {
        buf += format.slice(i);
        break;
      }
      const name = format.slice(i + 2, end);
      i = end;
      if (name === 'stderr' || name === 'stdout') {
        flush();
        out = name === 'stderr' ? ctx.stderr : ctx.stdout;
      } else if (Object.hasOwn(values, name)) buf += values[name];
      else {
        flush();
        ctx.stderr.write(`curl: unknown --write-out variable: '${name}'\n`);
      }
    } else if (c === '\\' && 'nrt'.includes(format[i + 1] ?? '')) {
      buf += { n: '\n', r: '\r', t: '\t' }[format[i + 1] as 'n' | 'r' | 't'];
      i++;
    } else buf += c;
  }
  flush();
}

function curl(ctx: CommandContext): Job {
  return (function* (): Job {
    let silent = false;
    let showErr = false;
    let include = false;
    let head = false;
    let maxTimeMs: number | null = null;
    let output: string | null = null;
    let method = 'GET';
    let data: string | null = null;
    let fail = false;
    let format: string | null = null;
    const extra: [string, string][] = [];
    const urls: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const next = (): string | null => (i + 1 < args.length ? args[++i] : null);
      if (a.startsWith('--')) {
        switch (a) {
          case '--silent':
            silent = true;
            break;
          case '--show-error':
            showErr = true;
            break;
          case '--include':
            include = true;
            break;
          case '--head':
            head = true;
            break;
          case '--fail':
            fail = true;
            break;
          case '--max-time':
          case '--connect-timeout': {
            const v = next();
            if (v === null || !(Number(v) >= 0)) {
              ctx.stderr.write(
                `curl: option ${a}: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`,
              );
              return 2;
            }
            maxTimeMs = Number(v) * 1000;
            break;
          }
          case '--output':
            output = next();
            break;
          case '--write-out':
            format = next();
            break;
          case '--request':
            method = next() ?? 'GET';
            break;
          case '--data':
            data = next();
            method = 'POST';
            break;
          case '--header': {
            const h = next() ?? '';
            const c = h.indexOf(':');
            if (c > 0) extra.push([h.slice(0, c).trim(), h.slice(c + 1).trim()]);
            break;
          }
          default:
            ctx.stderr.write(`curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
            return 2;
        }
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const f = a[j];
          const takes = 'moXdHw'.includes(f);
          const val = takes ? a.slice(j + 1) || next() : null;
          switch (f) {
            case 's':
              silent = true;
              break;
            case 'S':
              showErr = true;
              break;
            case 'i':
              include = true;
              break;
            case 'I':
              head = true;
              break;
            case 'f':
              fail = true;
              break;
            case 'v':
            case 'L':
            case 'k':
              break;
            case 'm':
              if (val === null || !(Number(val) >= 0)) {
                ctx.stderr.write(
                  `curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`,
                );
                return 2;
              }
              maxTimeMs = Number(val) * 1000;
              break;
            case 'o':
              output = val;
              break;
            case 'w':
              format = val;
              break;
            case 'X':
              method = val ?? 'GET';
              break;
            case 'd':
              data = val;
              method = 'POST';
              break;
            case 'H': {
              const c = (val ?? '').indexOf(':');
              if (c > 0) extra.push([val!.slice(0, c).trim(), val!.slice(c + 1).trim()]);
              break;
            }
            default:
              ctx.stderr.write(`curl: option -${f}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
              return 2;
          }
          if (takes) break;
        }
        continue;
      }
      urls.push(a);
    }
    if (!urls.length) {
      ctx.stderr.write(`curl: try 'curl --help' or 'curl --manual' for more information\n`);
      return 2;
    }
    const err = (code: number, text: string): number => {
      if (!silent || showErr) ctx.stderr.write(`curl: (${code}) ${text}\n`);
      return code;
    };
    let status = 0;
    for (const raw of urls) {
      const t: Transfer = { url: raw, code: 0, ip: '', port: 0, size: 0, contentType: '', exit: 0 };
      if ((yield* transfer(raw, t)) === 130) return 130; // Ctrl-C
      t.exit = status;
      if (format !== null) writeOut(ctx, format, t);
    }
    return status;

    /** One URL: sets `status` (curl's exit code) and what --write-out reports in `t`. */
    function* transfer(raw: string, t: Transfer): Job {
      const u = parseUrl(raw);
      if (!u) {
        status = err(3, `URL using bad/illegal format or missing URL`);
        return 0;
      }
      if (u.scheme !== 'http') {
        status = err(1, `Protocol "${u.scheme}" not supported or disabled in libcurl`);
        return 0;
      }
      if (head) method = 'HEAD';
      const r = fetch(ctx, u.host, u.port, (h) =>
        formatRequest(method, h, u.path, [['User-Agent', 'curl/7.88.1'], ['Accept', '*/*'], ...extra], data ?? ''),
      );
      if (r.kind === 'resolve') {
        if (r.waitedMs) {
          const w = maxTimeMs !== null ? Math.min(maxTimeMs, r.waitedMs) : r.waitedMs;
          const s = yield { kind: 'sleep', ms: w };
          if (s?.interrupted) return 130;
          if (maxTimeMs !== null && maxTimeMs < r.waitedMs) {
            status = err(28, `Resolving timed out after ${maxTimeMs} milliseconds`);
            return 0;
          }
        }
        status = err(6, `Could not resolve host: ${u.host}`);
        return 0;
      }
      // The address curl connected to, or tried to (conn->primary_ip is set before connecting).
      t.ip = r.ip;
      t.port = u.port;
      if (r.kind === 'connect') {
        if (r.error === 'ETIMEDOUT') {
          const wait = maxTimeMs ?? KERNEL_CONNECT_TIMEOUT_MS;
          const s = yield { kind: 'sleep', ms: wait };
          if (s?.interrupted) return 130;
          status =
            maxTimeMs !== null
              ? err(28, `Connection timed out after ${maxTimeMs} milliseconds`)
              : err(28, `Failed to connect to ${u.host} port ${u.port} after ${wait} ms: Couldn't connect to server`);
          return 0;
        }
        status = err(7, `Failed to connect to ${u.host} port ${u.port} after 0 ms: Couldn't connect to server`);
        return 0;
      }
      const resp = parseResponse(r.raw);
      if (!resp) {
        status = r.raw ? err(1, 'Received HTTP/0.9 when not allowed') : err(52, 'Empty reply from server');
        return 0;
      }
      t.code = resp.status;
      t.contentType = /^content-type:\s*(.*)$/im.exec(resp.head)?.[1]?.trim() ?? '';
      t.size = resp.body.length;
      if (fail && resp.status >= 400) {
        status = err(22, `The requested URL returned error: ${resp.status}`);
        return 0;
      }
      let text = '';
      if (include || head) text += resp.head + '\r\n\r\n';
      if (!head) text += resp.body;
      if (output === '/dev/null') return 0;
      if (output && output !== '-') {
        try {
          ctx.target.fs.write(output.startsWith('/') ? output : `${ctx.cwd}/${output}`, text);
        } catch (e) {
          status = err(23, `Failure writing output to destination: ${(e as Error).message}`);
        }
      } else ctx.stdout.write(text);
      return 0;
    }
  })();
}

function wget(ctx: CommandContext): Job {
  return (function* (): Job {
    const busybox = ctx.target.userland === 'busybox';
    let quiet = false;
    let outFile: string | null = null;
    let timeoutMs: number | null = null;
    const urls: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-O' || a === '--output-document') outFile = args[++i] ?? null;
      else if (a.startsWith('-O')) outFile = a.slice(2);
      else if (a === '-q' || a === '--quiet') quiet = true;
      else if (a === '-qO-' || a === '-qO') {
        quiet = true;
        outFile = a === '-qO-' ? '-' : (args[++i] ?? null);
      } else if (a === '-T' || a === '--timeout') timeoutMs = Number(args[++i]) * 1000;
      else if (a.startsWith('-T')) timeoutMs = Number(a.slice(2)) * 1000;
      else if (a.startsWith('-') && a.length > 1) {
        ctx.stderr.write(
          busybox
            ? `wget: unrecognized option '${a}'\n`
            : `wget: invalid option -- '${a.slice(1)}'\nUsage: wget [OPTION]... [URL]...\n\nTry \`wget --help' for more options.\n`,
        );
        return busybox ? 1 : 2;
      } else urls.push(a);
    }
    if (!urls.length) {
      ctx.stderr.write(
        busybox
          ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n'
          : "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n",
      );
      return 1;
    }
    for (const raw of urls) {
      const u = parseUrl(raw);
      if (!u || u.scheme !== 'http') {
        ctx.stderr.write(busybox ? `wget: not an http or ftp url: ${raw}\n` : `${raw}: Unsupported scheme.\n`);
        return 1;
      }
      const r = fetch(ctx, u.host, u.port, (h) =>
        formatRequest(
          'GET',
          h,
          u.path,
          busybox
            ? [
                ['User-Agent', 'Wget'],
                ['Connection', 'close'],
              ]
            : [
                ['User-Agent', 'Wget/1.21.3'],
                ['Accept', '*/*'],
                ['Accept-Encoding', 'identity'],
                ['Connection', 'Keep-Alive'],
              ],
        ),
      );
      if (r.kind === 'resolve') {
        if (r.waitedMs) {
          const s = yield { kind: 'sleep', ms: r.waitedMs };
          if (s?.interrupted) return 130;
        }
        if (busybox) ctx.stderr.write(`wget: bad address '${u.host}'\n`);
        else if (!quiet)
          ctx.stderr.write(
            `Resolving ${u.host} (${u.host})... failed: Name or service not known.\nwget: unable to resolve host address '${u.host}'\n`,
          );
        return busybox ? 1 : 4;
      }
      if (r.kind === 'connect') {
        if (r.error === 'ETIMEDOUT') {
          const wait = timeoutMs ?? (busybox ? 900_000 : 900_000);
          const s = yield { kind: 'sleep', ms: wait };
          if (s?.interrupted) return 130;
          ctx.stderr.write(busybox ? 'wget: download timed out\n' : '');
          return busybox ? 1 : 4;
        }
        if (busybox) ctx.stderr.write(`wget: can't connect to remote host (${r.ip}): ${errnoText(r.error)}\n`);
        else if (!quiet) ctx.stderr.write(`Connecting to ${u.host}:${u.port}... failed: ${errnoText(r.error)}.\n`);
        return busybox ? 1 : 4;
      }
      const resp = parseResponse(r.raw);
      if (!resp) {
        ctx.stderr.write(busybox ? 'wget: error getting response: Connection reset by peer\n' : '');
        return busybox ? 1 : 4;
      }
      if (resp.status >= 400) {
        ctx.stderr.write(
          busybox
            ? `wget: server returned error: HTTP/1.1 ${resp.status} ${resp.reason}\n`
            : quiet
              ? ''
              : `ERROR ${resp.status}: ${resp.reason}.\n`,
        );
        return busybox ? 1 : 8;
      }
      const name = outFile ?? (u.path.split('/').pop() || 'index.html');
      if (name === '-') ctx.stdout.write(resp.body);
      else {
        try {
          ctx.target.fs.write(name.startsWith('/') ? name : `${ctx.cwd}/${name}`, resp.body);
          if (!quiet)
            ctx.stderr.write(
              busybox
                ? `Connecting to ${u.host}:${u.port} (${r.ip}:${u.port})\nsaving to '${name}'\n${name}              100% |********************************|    ${resp.body.length}  0:00:00 ETA\n'${name}' saved\n`
                : '',
            );
        } catch (e) {
          ctx.stderr.write(`wget: can't open '${name}': ${(e as Error).message}\n`);
          return 1;
        }
      }
    }
    return 0;
  })();
}

register({ name: 'curl', run: curl, paths: { gnu: '/usr/bin/curl', busybox: '/usr/bin/curl' } });
register({ name: 'wget', run: wget, paths: { gnu: '/usr/bin/wget', busybox: '/usr/bin/wget' } });
