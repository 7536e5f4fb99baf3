import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { openBrowser, typeInTerminal, waitForTerminal } from './browser.ts';

let browser: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('the terminal runs commands through the simulator', async () => {
  const page = await browser.context.newPage();
  await page.goto(inject('baseUrl') + '/');
  await page.waitForFunction(() => 'console' in window && (window as unknown as { __term?: unknown }).__term !== undefined);
  await typeInTerminal(page, 'echo hello');
  const lines = await waitForTerminal(page, (l) => l.some((x) => x === 'hello'));
  expect(lines.some((l) => l.endsWith('# echo hello'))).toBe(true);
  await typeInTerminal(page, 'nosuchcmd');
  await waitForTerminal(page, (l) => l.includes('bash: nosuchcmd: command not found'));
  await page.close();
});

test('the editor loads lazily and renders', async () => {
  const page = await browser.context.newPage();
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (/javascript/.test(r.headers()['content-type'] ?? '')) scripts.push(r.url());
  });
  await page.goto(inject('baseUrl') + '/');
  await page.waitForLoadState('networkidle');
  expect(scripts.some((s) => /monaco/.test(s))).toBe(false);
  await page.click('button[data-open]');
  await page.waitForSelector('.monaco-editor .view-line', { timeout: 30_000 });
  const text = await page.locator('.monaco-editor .view-lines').innerText();
  expect(text).toContain('bip');
  expect(scripts.some((s) => /monaco/.test(s))).toBe(true);
  await page.close();
});
