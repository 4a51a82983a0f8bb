// The loop never freezes the page: 100,000 tasks on the page's own event
// loop, and no long task (over 50 ms) while they run.
import { expect, open, test } from './fixtures.js';

test('100,000 tasks keep the page responsive (no long task over 50 ms)', async ({ page }) => {
  await open(page, 'demo/many-tasks');
  await page.evaluate(() => {
    globalThis.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) globalThis.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
  await page.locator('#demos select[name=clock]').selectOption('virtual');
  await page.locator('#demos select[name=speed]').selectOption('0');
  await page.locator('#demos .demo-params input[name=n]').fill('100000');
  await page.locator('#demos button.run').click();
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'finished', { timeout: 120_000 });
  await expect(page.locator('#demos pre.output')).toContainText('100000');
  const longTasks = await page.evaluate(() => globalThis.__longTasks);
  expect(longTasks, 'long tasks (ms) during the run').toEqual([]);
});
