// Shared helpers for the end-to-end tests: one Chromium per test file, terminal read/write.
import type { BrowserContext, Page } from 'playwright-core';
// @ts-expect-error plain JS helper without types
import { launchBrowser } from '../../scripts/browser.mjs';

export async function openBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const path = process.env.CHROMIUM_PATH;
  if (!path) throw new Error('CHROMIUM_PATH is not set: run the e2e tests with `npm run test:e2e`');
  return launchBrowser(path);
}

/** Opens a page and waits until its lab (if any) has built and replayed. */
export async function openLab(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`pageerror on ${url}: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('lab-panel[data-ready="true"]', { timeout: 20_000, state: 'attached' });
  return page;
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

/** The line the cursor is on. */
export async function cursorLine(page: Page): Promise<string> {
  return page.evaluate(() => {
    const term = (
      window as unknown as {
        __term: {
          buffer: {
            active: { cursorY: number; baseY: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined };
          };
        };
      }
    ).__term;
    const b = term.buffer.active;
    return (b.getLine(b.baseY + b.cursorY)?.translateToString(true) ?? '').trimEnd();
  });
}

export async function typeInTerminal(page: Page, text: string, enter = true): Promise<void> {
  await page.click('.xterm');
  await page.keyboard.type(text);
  if (enter) await page.keyboard.press('Enter');
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

/** Waits until the terminal shows a prompt with nothing typed after it (the command finished). */
export async function waitForPrompt(page: Page, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  // translateToString(true) trims the blank after the prompt.
  while (!/[#$]$/.test(await cursorLine(page))) {
    if (Date.now() - start > timeoutMs) throw new Error(`no prompt; cursor line: ${await cursorLine(page)}`);
    await page.waitForTimeout(50);
  }
}
