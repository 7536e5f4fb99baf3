// Accessibility: axe with the WCAG 2.0/2.1/2.2 A and AA rules on every page, in light and dark.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { openBrowser } from './browser.ts';

let browser: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PAGES = [
  '/',
  '/chapters/01-container-networks/',
  '/chapters/02-default-bridge/',
  '/chapters/03-publishing-ports/',
  '/sandbox/',
  '/exercises/bridge-two-containers/',
  '/progress/',
  '/404.html',
];

for (const theme of ['light', 'dark'] as const) {
  for (const path of PAGES) {
    test(`${path} (${theme}) has no WCAG 2.2 A/AA violations`, async () => {
      const page = await browser.context.newPage();
      await page.addInitScript((t) => localStorage.setItem('dnlab:theme', t), theme);
      await page.goto(inject('baseUrl') + path);
      if (path.includes('chapters') || path.includes('sandbox') || path.includes('exercises'))
        await page.waitForSelector('lab-panel[data-ready="true"]');
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
        .analyze();
      const summary = results.violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`).join('\n  ')}`,
      );
      expect(summary.join('\n')).toBe('');
      await page.close();
    });
  }
}
