/* global performance, window, localStorage */
// `npm run bench:site`: the site's budgets, measured in headless Chromium on the built site
// (builds it first unless BENCH_SKIP_BUILD is set). For a chapter page, 5 cold loads (fresh
// profile each): the initial JS (every JavaScript response up to network idle, gzip computed here
// with zlib so it does not depend on the server) and navigation → terminal ready (the page's
// `terminal-ready` performance mark, set when the lab has built and its prompt is shown).
// Budgets (issue 6): initial JS ≤ 150 KB gzip, terminal ready ≤ 300 ms (median of 5).
// The simulator is fetched on the first interaction with the lab (see lab-panel.ts), so each run
// then clicks into the terminal and reports what that costs: the simulator's JS (gzip) and the time from
// the click until the lab is live (fetched, parsed, built), and until a first command's output.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, findChromium, launchBrowser } from '../scripts/browser.mjs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serve } from '../scripts/serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const PAGE = process.env.BENCH_PAGE ?? '/chapters/02-default-bridge/';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUDGET_KB = 150;
const BUDGET_MS = 300;

if (!process.env.BENCH_SKIP_BUILD)
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/astro/astro.js', import.meta.url)), 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: root,
  });
const chromium = await findChromium();
const server = await serve(fileURLToPath(new URL('../dist', import.meta.url)), 0);
const base = `http://127.0.0.1:${server.address().port}`;

// The reference: a bare xterm page (bench/bare-xterm), loaded cold once per run beside the chapter.
const bareDir = mkdtempSync(join(tmpdir(), 'dnlab-bare-xterm-'));
copyFileSync(fileURLToPath(new URL('bare-xterm/index.html', import.meta.url)), join(bareDir, 'index.html'));
for (const [from, to] of [
  ['@xterm/xterm/lib/xterm.mjs', 'xterm.mjs'],
  ['@xterm/xterm/css/xterm.css', 'xterm.css'],
  ['@xterm/addon-fit/lib/addon-fit.mjs', 'addon-fit.mjs'],
])
  copyFileSync(fileURLToPath(new URL(`../node_modules/${from}`, import.meta.url)), join(bareDir, to));
const bareServer = await serve(bareDir, 0);
const bareBase = `http://127.0.0.1:${bareServer.address().port}`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const { context, close } = await launchBrowser(chromium);
  const page = await context.newPage();
  const js = new Map();
  page.on('response', async (r) => {
    if (!/javascript/.test(r.headers()['content-type'] ?? '')) return;
    try {
      const body = await r.body();
      js.set(r.url(), { raw: body.length, gzip: gzipSync(body).length });
    } catch {
      /* redirected or aborted */
    }
  });
  await page.goto(base + PAGE);
  await page.waitForFunction(() => performance.getEntriesByName('terminal-ready').length > 0, null, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      ready: performance.getEntriesByName('terminal-ready')[0].startTime,
      evaluated: performance.getEntriesByName('lab-script-evaluated')[0]?.startTime ?? NaN,
      dcl: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
    };
  });
  const files = [...js.entries()].map(([url, s]) => ({ file: new URL(url).pathname, ...s }));
  const initialUrls = new Set(js.keys());
  // First interaction: click into the terminal and type a command at once (it waits for the simulator).
  const clickAt = await page.evaluate(() => performance.now());
  await page.click('lab-panel .xterm');
  await page.keyboard.type('ip -4 addr show docker0\n');
  await page.waitForFunction(
    () => {
      const b = window.__term.buffer.active;
      for (let i = 0; i < b.length; i++) if (b.getLine(i)?.translateToString(true).includes('inet 172.17.0.1/16')) return true;
      return false;
    },
    null,
    { timeout: 30_000 },
  );
  const outputAt = await page.evaluate(() => performance.now());
  const [requestedAt, loadedAt, liveAt] = await page.evaluate(() =>
    ['lab-sim-requested', 'lab-sim-loaded', 'lab-live'].map((m) => performance.getEntriesByName(m)[0].startTime),
  );
  await page.waitForLoadState('networkidle');
  const later = [...js.entries()].filter(([url]) => !initialUrls.has(url));
  // Warm: the same page again in the same browser (a learner's next page: the renderer, its fonts
  // and the HTTP cache are warm), with the saved lab cleared so nothing is replayed.
  await page.evaluate(() => localStorage.clear());
  await page.goto(base + PAGE + '?warm');
  await page.waitForFunction(() => performance.getEntriesByName('terminal-ready').length > 0, null, { timeout: 30_000 });
  const warmReady = await page.evaluate(() => performance.getEntriesByName('terminal-ready')[0].startTime);
  await close();
  // The bare xterm reference, cold, in a browser of its own.
  const bare = await launchBrowser(chromium);
  const barePage = await bare.context.newPage();
  await barePage.goto(bareBase + '/');
  await barePage.waitForFunction(() => performance.getEntriesByName('terminal-ready').length > 0, null, { timeout: 30_000 });
  const bareReady = await barePage.evaluate(() => performance.getEntriesByName('terminal-ready')[0].startTime);
  await bare.close();
  runs.push({
    ready: Math.round(t.ready),
    bareReady: Math.round(bareReady),
    scriptEvaluated: Math.round(t.evaluated),
    dcl: Math.round(t.dcl),
    load: Math.round(t.load),
    jsRaw: files.reduce((n, f) => n + f.raw, 0),
    jsGzip: files.reduce((n, f) => n + f.gzip, 0),
    files,
    monaco: files.some((f) => /monaco/.test(f.file)),
    simGzip: later.reduce((n, [, f]) => n + f.gzip, 0),
    simRaw: later.reduce((n, [, f]) => n + f.raw, 0),
    clickToLive: Math.round(liveAt - clickAt),
    warmReady: Math.round(warmReady),
    simFetchEval: Math.round(loadedAt - requestedAt),
    labBuild: Math.round(liveAt - loadedAt),
    clickToOutput: Math.round(outputAt - clickAt),
  });
}

// Lighthouse (mobile, its default: simulated slow 4G and a 4× slower CPU), a few runs, median
// performance and the lowest accessibility score. Budgets: ≥ 95 and 100.
const LH_RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const lighthouse = [];
for (let i = 0; i < LH_RUNS; i++) {
  // Asynchronous: the page server runs in this process. Lighthouse is not a dependency (its
  // newer releases need Node 22 and its lockfile entries upset `npm ci`): npx fetches 12.8.2,
  // the last release for Node 20, from the registry on first use.
  const r = await promisify(execFile)(
    'npx',
    [
      '--yes',
      'lighthouse@12.8.2',
      base + PAGE,
      '--quiet',
      '--only-categories=performance,accessibility',
      '--output=json',
      '--output-path=stdout',
      `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`,
    ],
    { env: { ...process.env, CHROME_PATH: chromium }, encoding: 'utf8', maxBuffer: 64 << 20 },
  ).catch((e) => {
    console.log(
      `lighthouse failed: ${String(e.stderr ?? e.message)
        .split('\n')
        .slice(-3)
        .join(' ')}`,
    );
    return null;
  });
  if (!r) break;
  const lhr = JSON.parse(r.stdout);
  lighthouse.push({
    performance: Math.round(lhr.categories.performance.score * 100),
    accessibility: Math.round(lhr.categories.accessibility.score * 100),
    fcp: lhr.audits['first-contentful-paint'].displayValue,
    lcp: lhr.audits['largest-contentful-paint'].displayValue,
    tbt: lhr.audits['total-blocking-time'].displayValue,
    cls: lhr.audits['cumulative-layout-shift'].displayValue,
    failing: Object.entries(lhr.audits)
      .filter(
        ([id, a]) => a.score !== null && a.score < 1 && lhr.categories.accessibility.auditRefs.some((x) => x.id === id && x.weight > 0),
      )
      .map(([id]) => id),
  });
}
server.close();
bareServer.close();

const result = {
  page: PAGE,
  runs: runs.map(({ files: _files, ...r }) => r),
  files: runs[0].files,
  medianReadyMs: median(runs.map((r) => r.ready)),
  medianBareReadyMs: median(runs.map((r) => r.bareReady)),
  medianReadyRatio: +median(runs.map((r) => r.ready / r.bareReady)).toFixed(2),
  medianWarmReadyMs: median(runs.map((r) => r.warmReady)),
  initialJsGzipKB: +(runs[0].jsGzip / 1024).toFixed(1),
  initialJsRawKB: +(runs[0].jsRaw / 1024).toFixed(1),
  monacoInInitialLoad: runs.some((r) => r.monaco),
  simulatorGzipKB: +(runs[0].simGzip / 1024).toFixed(1),
  medianClickToLiveMs: median(runs.map((r) => r.clickToLive)),
  medianClickToOutputMs: median(runs.map((r) => r.clickToOutput)),
  lighthouse,
};
console.log(`page ${PAGE}, ${RUNS} cold loads`);
for (const f of result.files)
  console.log(`  ${f.file.padEnd(70)} ${(f.raw / 1024).toFixed(1).padStart(8)} KB  ${(f.gzip / 1024).toFixed(1).padStart(7)} KB gzip`);
console.log(
  `initial JS: ${result.initialJsRawKB} KB raw, ${result.initialJsGzipKB} KB gzip (budget ${BUDGET_KB}) ${result.initialJsGzipKB <= BUDGET_KB ? 'ok' : 'OVER'}`,
);
console.log(
  `terminal ready: ${runs.map((r) => r.ready).join(', ')} ms; median ${result.medianReadyMs} ms (budget ${BUDGET_MS}) ${result.medianReadyMs <= BUDGET_MS ? 'ok' : 'OVER'}`,
);
console.log(
  `reference, a bare xterm page loaded cold in the same runs: ${runs.map((r) => r.bareReady).join(', ')} ms; median ${result.medianBareReadyMs} ms (141 ms when the budget was set); chapter ÷ bare, median of the runs: ${result.medianReadyRatio}× (budget ÷ 141 ms: ${(BUDGET_MS / 141).toFixed(2)}×)`,
);
console.log(
  `terminal ready, warm (same page again in the same browser): ${runs.map((r) => r.warmReady).join(', ')} ms; median ${median(runs.map((r) => r.warmReady))} ms`,
);
console.log(
  `lab script evaluated (bundle fetched, parsed, run): ${runs.map((r) => r.scriptEvaluated).join(', ')} ms; lab build = ready − evaluated: ${runs.map((r) => r.ready - r.scriptEvaluated).join(', ')} ms`,
);
const load = (await import('node:os')).loadavg()[0];
console.log(
  `load average during the run: ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores (numbers are inflated on a busy machine)`,
);
console.log(
  `on first interaction: simulator ${(runs[0].simRaw / 1024).toFixed(1)} KB raw, ${(runs[0].simGzip / 1024).toFixed(1)} KB gzip; click → lab live ${runs.map((r) => r.clickToLive).join(', ')} ms (median ${median(runs.map((r) => r.clickToLive))}); click → first command's output ${runs.map((r) => r.clickToOutput).join(', ')} ms (median ${median(runs.map((r) => r.clickToOutput))})`,
);
if (lighthouse.length) {
  const perf = median(lighthouse.map((l) => l.performance));
  const a11y = Math.min(...lighthouse.map((l) => l.accessibility));
  for (const l of lighthouse)
    console.log(
      `  lighthouse mobile: performance ${l.performance} (FCP ${l.fcp}, LCP ${l.lcp}, TBT ${l.tbt}, CLS ${l.cls}), accessibility ${l.accessibility}${l.failing.length ? ` failing: ${l.failing.join(', ')}` : ''}`,
    );
  console.log(
    `lighthouse mobile: performance median ${perf} (budget 95) ${perf >= 95 ? 'ok' : 'UNDER'}; accessibility ${a11y} (budget 100) ${a11y >= 100 ? 'ok' : 'UNDER'}`,
  );
}
console.log(
  `  of which: simulator fetched + evaluated ${runs.map((r) => r.simFetchEval).join(', ')} ms; lab built + attached ${runs.map((r) => r.labBuild).join(', ')} ms`,
);
console.log(`Monaco in the initial load: ${result.monacoInInitialLoad ? 'YES (wrong)' : 'no'}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/site.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
