// Shared helpers for the end-to-end tests: one Chromium per test file, terminal read/write.
import type { BrowserContext, Page } from 'playwright-core';
// @ts-expect-error plain JS helper without types
import { launchBrowser } from '../../scripts/browser.mjs';

export async function openBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const path = process.env.CHROMIUM_PATH;
  if (!path) throw new Error('CHROMIUM_PATH is not set: run the e2e tests with `npm run test:e2e`');
  return launchBrowser(path);
}

/** The terminal's visible text, one string per buffer line (trailing blanks trimmed). */
export async function terminalLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const term = (
      window as unknown as {
        __term: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
      }
    ).__term;
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out;
  });
}

export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.click('.xterm');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Waits until some terminal line satisfies `pred`. */
export async function waitForTerminal(page: Page, pred: (lines: string[]) => boolean, timeoutMs = 10_000): Promise<string[]> {
  const start = Date.now();
  for (;;) {
    const lines = await terminalLines(page);
    if (pred(lines)) return lines;
    if (Date.now() - start > timeoutMs)
      throw new Error(`terminal did not show the expected text; it shows:\n${lines.filter(Boolean).join('\n')}`);
    await page.waitForTimeout(50);
  }
}
