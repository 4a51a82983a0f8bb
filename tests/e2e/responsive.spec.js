// The loop never freezes the page: 100,000 tasks on the page's own event
// loop, traced live into the timeline. The target is no long task
// over 50 ms; today a quiet machine still sees one or two of 55-85 ms (V8
// major GCs and a timeline draw, see issue 4's notes), so this asserts what
// holds now — at most six long tasks, none over 150 ms — and prints them,
// to be tightened to the target.
import { expect, open, test } from './fixtures.js';

test('100,000 tasks keep the page responsive (at most 6 long tasks, none over 150 ms; target: none over 50 ms)', async ({ page }) => {
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
  console.log(`long tasks during the 100,000-task run (ms): ${JSON.stringify(longTasks)}`);
  expect(longTasks.length, `long tasks (ms): ${JSON.stringify(longTasks)}`).toBeLessThanOrEqual(6);
  expect(Math.max(0, ...longTasks), `long tasks (ms): ${JSON.stringify(longTasks)}`).toBeLessThanOrEqual(150);
});
