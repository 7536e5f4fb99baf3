// `npm run test:e2e`: makes sure a Chromium is available (installing Debian's package when it can),
// builds the site, then runs the end-to-end tests (test/e2e) in that browser.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findChromium } from './browser.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let chromium;
try {
  chromium = await findChromium();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const node = process.execPath;
const bin = (p) => fileURLToPath(new URL(`../node_modules/${p}`, import.meta.url));
if (!process.env.E2E_SKIP_BUILD)
  execFileSync(node, [bin('astro/astro.js'), 'build'], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
try {
  execFileSync(node, [bin('vitest/vitest.mjs'), 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, CHROMIUM_PATH: chromium },
  });
} catch {
  process.exit(1);
}
