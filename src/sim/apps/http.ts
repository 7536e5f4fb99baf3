/**
 * HTTP/1.1 over the simulated TCP: request/response text, and a small server harness that
 * programs (busybox httpd, nginx, the flask app, tomcat, adminer) plug their handlers into.
 * Servers answer with `Connection: close` and close after the response, as busybox httpd does,
 * which also lets clients know the response is complete.
 */
import type { Netns } from '../net/netns.ts';
import type { ServerConnection, SocketOwner } from '../net/sockets.ts';
import type { Clock } from '../base/clock.ts';
import { httpDate } from '../base/clock.ts';

export interface HttpRequest {
  method: string;
  path: string;
  version: string;
  headers: [string, string][];
  body: string;
  peer: { ip: number; port: number };
}

export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

export function formatRequest(method: string, host: string, path: string, headers: [string, string][], body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push(`Content-Length: ${body.length}`);
  return lines.join('\r\n') + '\r\n\r\n' + body;
}

/** Parses a complete request (headers and Content-Length body); null while incomplete. */
export function parseRequest(buf: string, peer: { ip: number; port: number }): HttpRequest | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [first, ...rest] = buf.slice(0, end).split('\r\n');
  const [method = '', path = '/', version = 'HTTP/1.0'] = first.split(' ');
  const headers = rest.map((l): [string, string] => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
  });
  const len = Number(headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? 0);
  const body = buf.slice(end + 4);
  if (body.length < len) return null;
  return { method, path, version, headers, body: body.slice(0, len), peer };
}

export function formatResponse(r: HttpResponse): string {
  return `HTTP/1.1 ${r.status} ${r.reason}\r\n` + r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n' + r.body;
}

/** Splits a received response into status line, headers and body. */
export function parseResponse(
  text: string,
): { status: number; reason: string; head: string; headers: [string, string][]; body: string } | null {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/') || end < 0) return null;
  const head = text.slice(0, end);
  const [first, ...rest] = head.split('\r\n');
  const m = /^HTTP\/\d\.\d (\d{3}) ?(.*)$/.exec(first);
  if (!m) return null;
  const headers = rest.map((l): [string, string] => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
  });
  return { status: Number(m[1]), reason: m[2], head, headers, body: text.slice(end + 4) };
}

export type HttpHandler = (req: HttpRequest) => HttpResponse;

/** Listens on `ip:port/tcp` in `ns` and serves each request with `handler`, then closes. */
export function serveHttp(
  ns: Netns,
  addr: { family: 4; ip: number } | { family: 6; ip: string },
  port: number,
  owner: SocketOwner | null,
  handler: HttpHandler,
  v6only = false,
  backlog?: number,
): void {
  ns.sockets.bind({
    proto: 'tcp',
    local: addr,
    port,
    v6only,
    backlog,
    owner,
    handler: {
      onData(conn: ServerConnection, data: string) {
        const buf = ((conn.state.buf as string | undefined) ?? '') + data;
        conn.state.buf = buf;
        const req = parseRequest(buf, conn.peer);
        if (!req) return;
        conn.write(formatResponse(handler(req)));
        conn.close();
      },
    },
  });
}

/** Standard headers of a static-file response as busybox httpd sends them. */
export function busyboxHttpdHeaders(clock: Clock, body: string, lastModified: number, contentType = 'text/html'): [string, string][] {
  return [
    ['Date', httpDate(clock.now())],
    ['Connection', 'close'],
    ['Content-type', contentType],
    ['Accept-Ranges', 'bytes'],
    ['Last-Modified', httpDate(lastModified)],
    ['ETag', `"${Math.floor(lastModified / 1000).toString(16)}-${body.length.toString(16)}"`],
    ['Content-Length', String(body.length)],
  ];
}
