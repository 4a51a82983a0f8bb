// Shared by the specs: every test fails if the page logged a console error or
// had an unhandled error or rejection, and screenshots go to one folder.
import { test as base, expect } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const screenshotDir = resolve(here, '../../build/e2e/screenshots');
mkdirSync(screenshotDir, { recursive: true });

export const demoData = JSON.parse(readFileSync(resolve(here, '../../web/generated/demos.json'), 'utf8'));

export const test = base.extend({
  // Console errors a test provokes on purpose (regular expressions), e.g. the
  // browser's own "Failed to load resource" line for an HTTP 503 the demo
  // asks for: every other console error still fails the test.
  expectedConsoleErrors: [[], { option: true }],
  page: async ({ page, expectedConsoleErrors }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      if (expectedConsoleErrors.some((re) => re.test(msg.text()))) return;
      problems.push(`console.error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await use(page);
    const inPage = await page.evaluate(() => globalThis.__aioProblems ?? []).catch(() => []);
    expect([...problems, ...inPage], 'console errors or unhandled errors/rejections').toEqual([]);
  },
});

export { expect };

/** Open the playground at `hash` and wait for the runtime to load. */
export async function open(page, hash = '') {
  await page.goto(`/${hash ? `#${hash}` : ''}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** Run the demo shown and wait until it has finished, failed or been cancelled. */
export async function runShownDemo(page) {
  const view = page.locator('#demos');
  await page.locator('#demos button.run').click();
  await expect(view).not.toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  return view.getAttribute('data-state');
}
