// The terminal feels like a real one: commands, line editing, history, Tab, Ctrl-C, Ctrl-L.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { cursorLine, openBrowser, openLab, terminalLines, typeInTerminal, waitForPrompt, waitForTerminal } from './browser.ts';

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = await openLab(browser.context, inject('baseUrl') + '/sandbox/');
});
afterAll(async () => {
  await browser?.close();
});

test('typing a command runs it in the simulator', async () => {
  await typeInTerminal(page, 'echo hello');
  const lines = await waitForTerminal(page, (l) => l.includes('hello'));
  expect(lines.some((l) => /^root@docker-node1:~# echo hello$/.test(l))).toBe(true);
  await typeInTerminal(page, 'nosuchcmd');
  await waitForTerminal(page, (l) => l.includes('bash: nosuchcmd: command not found'));
});

test('history: Up recalls earlier lines, Down returns to the draft', async () => {
  await typeInTerminal(page, 'echo one');
  await typeInTerminal(page, 'echo two');
  await waitForTerminal(page, (l) => l.includes('two'));
  await page.keyboard.press('ArrowUp');
  expect(await cursorLine(page)).toMatch(/# echo two$/);
  await page.keyboard.press('ArrowUp');
  expect(await cursorLine(page)).toMatch(/# echo one$/);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await cursorLine(page)).toMatch(/:~#$/);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await waitForTerminal(page, (l) => l.filter((x) => x === 'two').length === 2);
});

test('line editing: Home/End, Ctrl-A/E/U/K/W', async () => {
  await typeInTerminal(page, 'cho abc', false);
  await page.keyboard.press('Home');
  await page.keyboard.type('e');
  await page.keyboard.press('End');
  await page.keyboard.type(' def');
  await page.keyboard.press('Control+w'); // deletes "def"
  await page.keyboard.type('xyz');
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+e');
  await page.keyboard.press('Enter');
  await waitForTerminal(page, (l) => l.includes('abc xyz'));
  await typeInTerminal(page, 'echo gone', false);
  await page.keyboard.press('Control+u');
  await page.keyboard.type('echo kept tail');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Enter');
  const lines = await waitForTerminal(page, (l) => l.includes('kept'));
  expect(lines).not.toContain('gone');
});

test('Tab completes a command name; a second Tab lists the candidates', async () => {
  await typeInTerminal(page, 'hostna', false);
  await page.keyboard.press('Tab');
  expect(await cursorLine(page)).toMatch(/# hostname$/);
  await page.keyboard.press('Enter');
  await waitForTerminal(page, (l) => l.includes('docker-node1'));
  await typeInTerminal(page, 'ec', false);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+c');
  await waitForPrompt(page);
});

test('Ctrl-C interrupts a running command; Ctrl-L clears the screen', async () => {
  await typeInTerminal(page, 'sleep 100');
  await page.waitForTimeout(300);
  expect(await cursorLine(page)).not.toMatch(/#$/);
  await page.keyboard.press('Control+c');
  await waitForPrompt(page);
  const lines = await terminalLines(page);
  expect(lines.some((l) => l === '^C')).toBe(true);
  await typeInTerminal(page, 'echo still-works');
  await waitForTerminal(page, (l) => l.includes('still-works'));
  await page.keyboard.press('Control+l');
  await page.waitForTimeout(100);
  const visible = await page.evaluate(() => {
    const term = (window as unknown as { __term: { buffer: { active: { baseY: number; cursorY: number } } } }).__term;
    return term.buffer.active.cursorY;
  });
  expect(visible).toBe(0);
});

test('a pasted multi-line text runs line by line', async () => {
  await page.evaluate(() => {
    (window as unknown as { __term: { paste(s: string): void } }).__term.paste('echo p1\necho p2\n');
  });
  await waitForTerminal(page, (l) => l.includes('p1') && l.includes('p2'));
});

test('the simulator is fetched on the first interaction; a line typed before it arrives runs, under the prompt printed at build time', async () => {
  const fresh = await browser.context.newPage();
  const scripts: string[] = [];
  fresh.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await fresh.goto(inject('baseUrl') + '/chapters/02-default-bridge/');
  await fresh.waitForSelector('lab-panel[data-ready="true"]', { state: 'attached' });
  await fresh.waitForLoadState('networkidle');
  // Nothing has touched the lab: its terminal shows the build-time prompt, the simulator is not loaded.
  const before = [...scripts];
  expect(await fresh.getAttribute('lab-panel', 'data-live')).toBeNull();
  const buildPrompt = await cursorLine(fresh);
  expect(buildPrompt).toMatch(/^root@\S+:~#$/);
  // Typed at once, before the simulator arrives: the line waits for it, then runs.
  await fresh.focus('.xterm textarea');
  await fresh.keyboard.type('ip -4 addr show docker0');
  await fresh.keyboard.press('Enter');
  await waitForTerminal(fresh, (l) => l.some((x) => x.includes('inet 172.17.0.1/16')));
  await waitForPrompt(fresh);
  expect(await fresh.getAttribute('lab-panel', 'data-live')).toBe('true');
  expect(scripts.length).toBeGreaterThan(before.length);
  // The simulator's own prompt is the one the page was built with.
  const livePrompt = await fresh.evaluate(() =>
    (document.querySelector('lab-panel') as unknown as { lab: { openSession(): { prompt(): string } } }).lab.openSession().prompt(),
  );
  expect(livePrompt.trimEnd()).toBe(buildPrompt);
  await fresh.close();
});

test('Ctrl-D typed before the simulator arrives waits for it, then ends the shell as it does once loaded', async () => {
  // A browser of its own: in the shared one the service worker serves the chunk, out of route()'s reach.
  const own = await openBrowser();
  const fresh = await own.context.newPage();
  // Hold the simulator's chunk back so that the key is certainly typed before it arrives.
  let release = (): void => {};
  const held = new Promise<void>((r) => (release = r));
  await fresh.route('**/_astro/live.*.js', async (route) => {
    await held;
    await route.continue();
  });
  await fresh.goto(inject('baseUrl') + '/chapters/02-default-bridge/');
  await fresh.waitForSelector('lab-panel[data-ready="true"]', { state: 'attached' });
  await fresh.focus('.xterm textarea');
  await fresh.keyboard.press('Control+d');
  expect(await fresh.getAttribute('lab-panel', 'data-live')).toBeNull();
  release();
  const lines = await waitForTerminal(fresh, (l) => l.some((x) => x.includes('[session closed')));
  expect(lines.map((l) => l.trim())).toContain('exit');
  await own.close();
});
