// Issue 7's acceptance path in Chromium: solve an exercise in its lab, Check shows every check
// green and the progress page records it; a wrong attempt shows the failing check with its
// expected and actual values.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openBrowser, openLab, typeInTerminal, waitForPrompt } from './browser.ts';

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function check(p: Page): Promise<{ summary: string; rows: { state: string; text: string }[] }> {
  await p.click('exercise-panel [data-ex-action=check]');
  await p.waitForSelector('exercise-panel [data-result] table', { timeout: 20_000 });
  const summary = await p.locator('exercise-panel [data-result] p').innerText();
  const rows = await p
    .locator('exercise-panel [data-result] tr[data-state]')
    .evaluateAll((trs) => trs.map((tr) => ({ state: (tr as HTMLElement).dataset.state ?? '', text: (tr as HTMLElement).innerText })));
  return { summary, rows };
}

test('Check clicked before the lab has loaded its simulator still grades (the click waits for the lab)', async () => {
  const p = await browser.context.newPage();
  await p.goto(inject('baseUrl') + '/exercises/bridge-two-containers/');
  await p.waitForSelector('exercise-panel [data-ex-action=check]');
  const r = await check(p);
  expect(r.summary).toMatch(/^Not yet/);
  expect(r.rows.length).toBeGreaterThan(0);
  await p.close();
});

test('a wrong attempt shows the failing check with expected and actual', async () => {
  page = await openLab(browser.context, inject('baseUrl') + '/exercises/bridge-two-containers/');
  await typeInTerminal(page, 'docker run -d --name c1 busybox sleep 3600');
  await waitForPrompt(page, 20_000);
  const r = await check(page);
  expect(r.summary).toMatch(/^Not yet/);
  const failed = r.rows.filter((x) => x.state === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed[0].text).toContain('c2-running');
});

test('the reference solution turns every check green and the progress page records it', async () => {
  await typeInTerminal(page, 'docker run -d --name c2 busybox sleep 3600');
  await waitForPrompt(page, 20_000);
  const r = await check(page);
  expect(r.summary).toMatch(/^Passed/);
  expect(r.rows.every((x) => x.state === 'passed')).toBe(true);
  await page.goto(inject('baseUrl') + '/progress/');
  const row = page.locator('tr[data-exercise="bridge-two-containers"] [data-ex-status]');
  await expect.poll(async () => row.innerText(), { timeout: 10_000 }).toMatch(/passed/);
});
