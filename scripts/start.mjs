// `npm start`: builds the course and serves it locally (PORT, default 4321).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/astro/astro.js', import.meta.url)), 'build'], {
  stdio: 'inherit',
  cwd: root,
});
const port = Number(process.env.PORT) || 4321;
const host = process.env.HOST || '0.0.0.0';
await serve(fileURLToPath(new URL('../dist', import.meta.url)), port, host);
console.log(`\nDocker Networking Lab is running at http://localhost:${port}/  (Ctrl-C to stop)`);
