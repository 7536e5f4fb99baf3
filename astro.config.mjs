// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Astro hoists CSS imported by a lazily loaded module (Monaco's 175 KB stylesheet) into every
 * page's <head> (withastro/astro#9495, #11404). Vite's preload helper loads that CSS anyway when
 * the dynamic import runs, so the eager <link> is removed after the build.
 */
function lazyMonacoCss() {
  return {
    name: 'lazy-monaco-css',
    hooks: {
      /** @param {{ dir: URL }} opts */
      'astro:build:done': async ({ dir }) => {
        const root = fileURLToPath(dir);
        const files = /** @type {string[]} */ (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.html'));
        for (const f of files) {
          const path = join(root, f);
          const html = await readFile(path, 'utf8');
          const cleaned = html.replace(/<link rel="stylesheet" href="[^"]*\/monaco[^"]*\.css"\s*\/?>/g, '');
          if (cleaned !== html) await writeFile(path, cleaned);
        }
      },
    },
  };
}

export default defineConfig({
  integrations: [mdx(), lazyMonacoCss()],
  server: { port: Number(process.env.PORT) || 4321, host: true },
  vite: {
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 5000 },
    optimizeDeps: {
      include: ['@xterm/xterm', '@xterm/addon-fit', 'monaco-editor/editor', 'monaco-editor/features/register.all'],
    },
  },
});
