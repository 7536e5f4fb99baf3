// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { rehypeHeadingIds } from '@astrojs/markdown-remark';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Rewrites every built HTML page with `edit` (writing only the pages it changes).
 * @param {URL} dir the build's output directory
 * @param {(html: string) => string | Promise<string>} edit
 */
async function rewritePages(dir, edit) {
  const root = fileURLToPath(dir);
  const files = /** @type {string[]} */ (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.html'));
  for (const f of files) {
    const path = join(root, f);
    const html = await readFile(path, 'utf8');
    const next = await edit(html);
    if (next !== html) await writeFile(path, next);
  }
}

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
      'astro:build:done': ({ dir }) =>
        rewritePages(dir, (html) => html.replace(/<link rel="stylesheet" href="[^"]*\/monaco[^"]*\.css"\s*\/?>/g, '')),
    },
  };
}

/**
 * Offline: writes dist/sw.js, a service worker that precaches the pages, scripts and styles of
 * the built site (Monaco's chunks are cached on first use) and serves them cache-first.
 */
function offlineServiceWorker() {
  return {
    name: 'offline-service-worker',
    hooks: {
      /** @param {{ dir: URL }} opts */
      'astro:build:done': async ({ dir }) => {
        const root = fileURLToPath(dir);
        const all = /** @type {string[]} */ (await readdir(root, { recursive: true, withFileTypes: false }));
        const urls = [];
        const hash = createHash('sha256');
        for (const f of all.sort()) {
          const rel = f.split('\\').join('/');
          if (!/\.(html|js|css|json|svg|webmanifest|woff2)$/.test(rel) || rel === 'sw.js' || /monaco|editor\.worker/.test(rel)) continue;
          hash.update(rel).update(await readFile(join(root, f)));
          urls.push('/' + rel.replace(/(^|\/)index\.html$/, '$1'));
        }
        const template = await readFile(new URL('./src/lib/sw-template.js', import.meta.url), 'utf8');
        const sw = template.replace('__VERSION__', hash.digest('hex').slice(0, 12)).replace('/* precache list */ []', JSON.stringify(urls));
        await writeFile(join(root, 'sw.js'), sw);
      },
    },
  };
}

/**
 * A page's module scripts import small shared chunks (i18n, lab-store); the browser finds those
 * only after parsing the script that imports them — one round trip more before the lab starts.
 * Vite adds <link rel="modulepreload"> for its own HTML entries but Astro does not for hoisted
 * scripts, so the static imports (transitively) are preloaded here. Dynamic imports (the
 * simulator, Monaco) stay lazy.
 */
function modulePreload() {
  return {
    name: 'module-preload',
    hooks: {
      /** @param {{ dir: URL }} opts */
      'astro:build:done': async ({ dir }) => {
        const root = fileURLToPath(dir);
        /** @type {Map<string, string[]>} */
        const importsOf = new Map();
        /** @param {string} src */
        const staticImports = async (src) => {
          let deps = importsOf.get(src);
          if (deps) return deps;
          const code = await readFile(join(root, src), 'utf8').catch(() => '');
          // Minified static imports: `import{a as b}from"./x.js";` or `import"./x.js";` (never `import(`).
          deps = [...code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?"(\.\/[^"]+\.js)"/g)].map((m) =>
            join(src, '..', m[1]).split('\\').join('/'),
          );
          importsOf.set(src, deps);
          return deps;
        };
        await rewritePages(dir, async (html) => {
          const entries = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]);
          const seen = new Set(entries);
          const queue = [...entries];
          const preload = [];
          while (queue.length) {
            for (const dep of await staticImports(queue.shift() ?? '')) {
              if (seen.has(dep)) continue;
              seen.add(dep);
              preload.push(dep);
              queue.push(dep);
            }
          }
          const links = preload.map((p) => `<link rel="modulepreload" href="${p}">`).join('');
          return html.replace('</head>', `${links}</head>`);
        });
      },
    },
  };
}

/** Heading anchors (deep links): a `#` link after each h2/h3, whose id Astro's slugger gives. */
function rehypeHeadingAnchors() {
  /** @param {any} node */
  const walk = (node) => {
    if (node.type === 'element' && /^h[23]$/.test(node.tagName) && node.properties?.id) {
      node.children.push({
        type: 'element',
        tagName: 'a',
        properties: { className: ['anchor'], href: `#${node.properties.id}`, ariaLabel: 'Link to this section' },
        children: [{ type: 'text', value: '#' }],
      });
    }
    for (const c of node.children ?? []) walk(c);
  };
  return (/** @type {any} */ tree) => walk(tree);
}

/**
 * Lesson code blocks: ```sh run``` is a runnable snippet (Run and Copy buttons are added in the
 * browser from data-code), ```text output``` is the output the simulator gives for the snippet
 * before it (checked by test/content/snippets.test.ts).
 */
const labSnippets = {
  name: 'lab-snippets',
  /** @param {any} node */
  pre(node) {
    // @ts-expect-error Shiki's transformer context
    const meta = String(this.options.meta?.__raw ?? '');
    if (/(^|\s)run(\s|$)/.test(meta)) {
      node.properties['data-run'] = '';
      // @ts-expect-error Shiki's transformer context
      node.properties['data-code'] = this.source.replace(/\n+$/, '');
    }
    if (/(^|\s)output(\s|$)/.test(meta)) node.properties['data-output'] = '';
  },
};

export default defineConfig({
  integrations: [mdx(), lazyMonacoCss(), modulePreload(), offlineServiceWorker()],
  server: { port: Number(process.env.PORT) || 4321, host: true },
  trailingSlash: 'ignore',
  // The page's own stylesheets (a few KB each) go inline: a cold load then lays the page out as
  // soon as the HTML is parsed instead of waiting for three more responses (bench:site). Monaco's
  // 175 KB stylesheet stays a file (see vite.build.assetsInlineLimit below).
  build: { inlineStylesheets: 'auto' },
  markdown: {
    shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' }, transformers: [labSnippets] },
    rehypePlugins: [rehypeHeadingIds, rehypeHeadingAnchors],
  },
  vite: {
    worker: { format: 'es' },
    build: {
      chunkSizeWarningLimit: 5000,
      // Astro asks this of each stylesheet (inlineStylesheets 'auto'): inline all but Monaco's.
      // Anything else (undefined) keeps Vite's default 4 KB rule.
      assetsInlineLimit: (file) => (file.endsWith('.css') ? !/monaco/.test(file) : undefined),
    },
    optimizeDeps: {
      include: ['@xterm/xterm', '@xterm/addon-fit', 'monaco-editor/editor', 'monaco-editor/features/register.all'],
    },
  },
});
