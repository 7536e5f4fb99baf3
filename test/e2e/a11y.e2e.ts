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

// Light and dark at the desktop size; light again on a phone, where the layout changes (a stacked
// lesson/lab, a header whose brand shows only its icon).
const VARIANTS = [
  { theme: 'light', phone: false },
  { theme: 'dark', phone: false },
  { theme: 'light', phone: true },
] as const;

for (const { theme, phone } of VARIANTS) {
  for (const path of PAGES) {
    test(`${path} (${theme}${phone ? ', phone' : ''}) has no WCAG 2.2 A/AA violations`, async () => {
      const page = await browser.context.newPage();
      if (phone) await page.setViewportSize({ width: 375, height: 667 });
      await page.addInitScript((t) => localStorage.setItem('dnlab:theme', t), theme);
      await page.goto(inject('baseUrl') + path);
      if (path.includes('chapters') || path.includes('sandbox') || path.includes('exercises'))
        await page.waitForSelector('lab-panel[data-ready="true"]', { state: 'attached' });
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
