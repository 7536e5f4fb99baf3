// A small static file server with gzip for the built site (dist/), used by `npm start`, the
// end-to-end tests and the site benchmarks. Unknown paths get dist/404.html with status 404.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
};

/** Compressed bodies by path and mtime: a static host serves pre-compressed files; compressing on
 * every request would make this server, not the page, the slow part of a measured load. */
const gzipped = new Map();

function gzipOnce(file, mtimeMs, body) {
  const key = `${file}\0${mtimeMs}`;
  let z = gzipped.get(key);
  if (!z) {
    z = gzipSync(body);
    gzipped.set(key, z);
  }
  return z;
}

export function serve(root, port = 0, host = '127.0.0.1') {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(root, path);
      let status = 200;
      let st = await stat(file).catch(() => null);
      if (st?.isDirectory()) {
        file = join(file, 'index.html');
        st = await stat(file).catch(() => null);
      }
      if (!st && !extname(path)) {
        const html = `${file}.html`;
        st = await stat(html).catch(() => null);
        if (st) file = html;
      }
      if (!st) {
        status = 404;
        file = join(root, '404.html');
        st = await stat(file).catch(() => null);
        if (!st) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('Not found');
          return;
        }
      }
      let body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
      if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && body.length > 512 && !/\.(png|woff2|wasm)$/.test(file)) {
        body = gzipOnce(file, st.mtimeMs, body);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(status, headers);
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
