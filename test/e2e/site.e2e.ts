// Pages and navigation: home chapter map, chapter pages with sidebar and prev/next, deep links,
// sandbox, progress, 404, search; snippets' Run button; lab persistence, corrupt store, reset,
// share links; the file editor (Monaco loaded lazily); the topology and trace views.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { openBrowser, openLab, terminalLines, typeInTerminal, waitForTerminal } from './browser.ts';

let browser: { context: BrowserContext; close: () => Promise<void> };
const base = (): string => inject('baseUrl');

beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('home lists the chapters; chapter navigation works with sidebar and prev/next', async () => {
  const page = await browser.context.newPage();
  await page.goto(base() + '/');
  const titles = await page.locator('.map strong').allInnerTexts();
  expect(titles.slice(0, 3)).toEqual(['How containers get a network', 'The default bridge', 'Publishing ports']);
  await page.click('text=How containers get a network');
  await page.waitForURL(/\/chapters\/01-container-networks\/$/);
  expect(await page.locator('h1').first().innerText()).toBe('How containers get a network');
  await page.click('a[rel="next"]');
  await page.waitForURL(/\/chapters\/02-default-bridge\/$/);
  expect(await page.locator('.sidebar a[aria-current="page"]').innerText()).toContain('The default bridge');
  await page.click('a[rel="prev"]');
  await page.waitForURL(/01-container-networks/);
  // Deep links to headings.
  const anchor = await page.locator('.prose h2 a.anchor').first().getAttribute('href');
  expect(anchor).toMatch(/^#[a-z0-9-]+$/);
  await page.goto(base() + '/');
  expect(await page.locator('[data-chapter="01-container-networks"]').getAttribute('class')).toContain('visited');
  await page.close();
});

test('404, progress and search pages work', async () => {
  const page = await browser.context.newPage();
  const res = await page.goto(base() + '/no/such/page');
  expect(res?.status()).toBe(404);
  expect(await page.locator('h1').innerText()).toBe('Page not found');
  await page.goto(base() + '/progress/');
  expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
  await page.fill('#site-search-input', 'masquerade');
  await page.waitForSelector('#site-search-results a');
  expect(await page.locator('#site-search-results a').first().innerText()).toContain('Publishing ports');
  await page.close();
});

test('a snippet’s Run button types the command into the lab terminal', async () => {
  const page = await openLab(browser.context, base() + '/chapters/01-container-networks/');
  await page.locator('.snippet button:has-text("Run")').first().click();
  const lines = await waitForTerminal(page, (l) => l.some((x) => x.includes('# docker run --rm --net none alpine:latest ip addr')));
  expect(lines.length).toBeGreaterThan(0);
  await page.close();
});

test('the lab is restored after a reload, reset forgets it, a corrupt store is reported', async () => {
  const url = base() + '/sandbox/';
  const page = await openLab(browser.context, url);
  page.on('dialog', (d) => void d.accept());
  await page.click('[data-action=reset]');
  await typeInTerminal(page, 'echo persisted > /root/note');
  await typeInTerminal(page, 'cat /root/note');
  await waitForTerminal(page, (l) => l.includes('persisted'));
  await page.reload();
  await page.waitForSelector('lab-panel[data-ready="true"]');
  expect(await page.locator('[data-status]').innerText()).toMatch(/Restored your lab \(2 commands replayed\)/);
  await typeInTerminal(page, 'cat /root/note');
  await waitForTerminal(page, (l) => l.filter((x) => x === 'persisted').length >= 2);
  // Reset lab: the file is gone.
  await page.click('[data-action=reset]');
  await typeInTerminal(page, 'cat /root/note');
  await waitForTerminal(page, (l) => l.some((x) => x.includes('cat: /root/note: No such file or directory')));
  // A corrupt store: one line of explanation, a working lab.
  await page.evaluate(() => localStorage.setItem('dnlab:lab:sandbox', '{"v":1,"chapter":"sandbox","seed":1,"log":[{"bad":true}]}'));
  await page.reload();
  await page.waitForSelector('lab-panel[data-ready="true"]');
  expect(await page.locator('[data-status]').innerText()).toContain('could not be read');
  await page.evaluate(() => localStorage.setItem('dnlab:lab:sandbox', 'not json{'));
  await page.reload();
  await page.waitForSelector('lab-panel[data-ready="true"]');
  await typeInTerminal(page, 'echo alive');
  await waitForTerminal(page, (l) => l.includes('alive'));
  await page.close();
});

test('a share link rebuilds the same lab; a damaged link says so', async () => {
  const page = await openLab(browser.context, base() + '/sandbox/');
  page.on('dialog', (d) => void d.accept());
  await page.click('[data-action=reset]');
  await typeInTerminal(page, 'echo shared-state > /tmp/s');
  await page.waitForTimeout(200);
  await page.click('[data-action=share]');
  await page.waitForFunction(() => !!document.querySelector<HTMLElement>('lab-panel')?.dataset.shareUrl);
  const url = await page.evaluate(() => document.querySelector<HTMLElement>('lab-panel')!.dataset.shareUrl!);
  expect(url).toMatch(/#lab=[A-Za-z0-9_-]+$/);
  const other = await browser.context.newPage();
  await other.goto(url);
  await other.waitForSelector('lab-panel[data-ready="true"]');
  expect(await other.locator('[data-status]').innerText()).toContain('Opened a shared lab (1 command replayed)');
  await typeInTerminal(other, 'cat /tmp/s');
  await waitForTerminal(other, (l) => l.filter((x) => x === 'shared-state').length >= 1);
  await other.close();
  const bad = await browser.context.newPage();
  await bad.goto(base() + '/sandbox/#lab=AAAA-garbage');
  await bad.waitForSelector('lab-panel[data-ready="true"]');
  expect(await bad.locator('[data-status]').innerText()).toContain('invalid or damaged');
  // The lab still starts fresh and works.
  await typeInTerminal(bad, 'echo after-bad-link');
  await waitForTerminal(bad, (l) => l.includes('after-bad-link'));
  await bad.close();
  await page.close();
});

test('the editor loads Monaco only when opened, and Save writes into the lab', async () => {
  const page = await browser.context.newPage();
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (/javascript/.test(r.headers()['content-type'] ?? '')) scripts.push(r.url());
  });
  await page.goto(base() + '/sandbox/');
  await page.waitForSelector('lab-panel[data-ready="true"]');
  await page.waitForLoadState('networkidle');
  expect(scripts.some((s) => /monaco/.test(s))).toBe(false);
  await page.click('[data-action=files]');
  await page.click('[data-files] button:has-text("/etc/docker/daemon.json")');
  await page.waitForSelector('.monaco-editor .view-line', { timeout: 30_000 });
  expect(scripts.some((s) => /monaco/.test(s))).toBe(true);
  await page.evaluate(() =>
    (window as unknown as { __editor: { setValue(s: string): void } }).__editor.setValue('{"bip": "172.30.0.1/16"}\n'),
  );
  await page.click('[data-editor-save]');
  expect(await page.locator('[data-editor-status]').innerText()).toContain('Saved /etc/docker/daemon.json');
  await page.click('[data-editor-close]');
  await typeInTerminal(page, 'cat /etc/docker/daemon.json');
  await waitForTerminal(page, (l) => l.includes('{"bip": "172.30.0.1/16"}'));
  await page.close();
});

test('the topology view draws the host and redraws after commands; maximise and the views switch', async () => {
  const page = await openLab(browser.context, base() + '/sandbox/');
  expect(await page.locator('[data-topology] svg').count()).toBe(1);
  expect(await page.locator('[data-topology] svg').getAttribute('aria-label')).toMatch(/Network topology: 1 host/);
  const before = await page.locator('[data-topology]').innerHTML();
  await page.evaluate(() => {
    (window as unknown as { __topoDraws: number }).__topoDraws = 0;
    new MutationObserver(() => (window as unknown as { __topoDraws: number }).__topoDraws++).observe(
      document.querySelector('[data-topology]')!,
      { childList: true },
    );
  });
  await typeInTerminal(page, 'echo redraw');
  await page.waitForFunction(() => (window as unknown as { __topoDraws: number }).__topoDraws > 0);
  expect(before.length).toBeGreaterThan(0);
  await page.click('[data-view-tab=trace]');
  expect(await page.locator('[data-view=trace]').isVisible()).toBe(true);
  await page.click('[data-action=max]');
  expect(await page.locator('lab-panel').getAttribute('class')).toContain('maximised');
  await page.click('[data-action=max]');
  await page.close();
});

test('narrow screens stack lesson and lab with a toggle', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 420, height: 800 });
  await page.goto(base() + '/chapters/02-default-bridge/');
  await page.waitForSelector('lab-panel[data-ready="true"]', { state: 'attached' });
  const toggle = page.locator('[data-stack-toggle]');
  expect(await toggle.isVisible()).toBe(true);
  expect(await page.locator('.lab-side').isVisible()).toBe(false);
  await toggle.click();
  expect(await page.locator('.lesson').isVisible()).toBe(false);
  expect(await page.locator('.xterm').isVisible()).toBe(true);
  await toggle.click();
  expect(await page.locator('.lesson').isVisible()).toBe(true);
  await page.close();
});

test('after one visit the course works offline (service worker)', async () => {
  const page = await browser.context.newPage();
  await page.goto(base() + '/');
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r));
    return reg.active?.state;
  });
  await browser.context.setOffline(true);
  try {
    await page.goto(base() + '/chapters/03-publishing-ports/');
    await page.waitForSelector('lab-panel[data-ready="true"]', { state: 'attached' });
    expect(await page.locator('h1').first().innerText()).toBe('Publishing ports');
    await typeInTerminal(page, 'echo offline-ok');
    await waitForTerminal(page, (l) => l.includes('offline-ok'));
  } finally {
    await browser.context.setOffline(false);
  }
  await page.close();
});

void terminalLines;

test('nothing shifts while a chapter loads, fresh over a slow link or restoring a saved lab: terminal, topology, Run buttons, simulator, status', async () => {
  // A browser of its own, so that the first load is certainly fresh (no saved lab).
  const own = await openBrowser();
  const page = await own.context.newPage();
  // Layout shifts not caused by input, as CLS counts them; the observer is set up on every load.
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: { value: number; sources: string[] }[] };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] }[])
        if (!e.hadRecentInput)
          w.__shifts.push({
            value: e.value,
            sources: (e.sources ?? []).map((s) => (s.node as Element | undefined)?.className?.toString() ?? '?'),
          });
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const shifts = (): Promise<{ value: number; sources: string[] }[]> =>
    page.evaluate(() => (window as unknown as { __shifts: { value: number; sources: string[] }[] }).__shifts);
  // The page's HTML arrives slowly (20 KB/s, uncompressed: about three seconds), so that the
  // parser certainly stops half-way and a frame is painted in between: none may show a
  // half-built page that then moves. (A gzipped response comes in too few pieces to show it.)
  // Full speed again from DOMContentLoaded, for the scripts and the simulator.
  const cdp = await own.context.newCDPSession(page);
  await cdp.send('Network.enable');
  const slowHtml = async (on: boolean): Promise<void> => {
    await cdp.send('Network.setExtraHTTPHeaders', { headers: on ? { 'Accept-Encoding': 'identity' } : {} });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: on ? 20 * 1024 : -1,
      uploadThroughput: -1,
    });
  };
  await slowHtml(true);
  await page.goto(base() + '/chapters/03-publishing-ports/', { waitUntil: 'domcontentloaded' });
  await slowHtml(false);
  await page.waitForSelector('lab-panel[data-ready="true"]', { state: 'attached' });
  await page.waitForSelector('[data-topology] svg', { state: 'attached' });
  await page.waitForSelector('.snippet-bar button', { state: 'attached' });
  // The first interaction brings the simulator in and the views are redrawn from it.
  await page.hover('lab-panel .xterm');
  await page.waitForSelector('lab-panel[data-live="true"]', { state: 'attached' });
  await page.waitForTimeout(300);
  expect(await shifts()).toEqual([]);
  // A saved lab: on reload it is replayed and a status line says so.
  await typeInTerminal(page, 'docker run -d --name web -p 8080:80 nginx');
  await waitForTerminal(page, (l) => l.some((x) => /^[0-9a-f]{64}$/.test(x.trim())));
  await page.reload();
  await page.waitForSelector('lab-panel[data-live="true"]', { state: 'attached' });
  expect(await page.locator('[data-status]').innerText()).toContain('Restored your lab');
  await page.waitForTimeout(300);
  expect(await shifts()).toEqual([]);
  await own.close();
});
