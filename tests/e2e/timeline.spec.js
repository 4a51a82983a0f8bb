// The timeline draws one lane per task of the demo, live.
import { expect, open, runShownDemo, screenshotDir, test } from './fixtures.js';

test('the timeline has a lane per task with its outcome', async ({ page }) => {
  await open(page, 'demo/task-group');
  await runShownDemo(page);
  const lanes = page.locator('#demos svg g.task-lane');
  await expect(lanes).toHaveCount(3);
  await expect(page.locator('#demos svg g.task-lane[data-outcome=done]')).toHaveCount(3);
  await expect(page.locator('#demos svg g.loop-lane rect.mark').first()).toBeAttached();
  // Hover details are <title> elements naming the task and the times; a
  // segment's is made when the pointer reaches it.
  await expect(lanes.first().locator('title').first()).toContainText('Task-');
  const segment = lanes.first().locator('rect.seg').first();
  await segment.dispatchEvent('pointerover');
  await expect(segment.locator('title')).toContainText(/Task-1: (running|waiting)/);
});

test('a task waiting on a semaphore or a queue is drawn in that colour, not as a future', async ({ page }) => {
  // (The lock demo's waits take no time: nothing to draw.)
  for (const [demo, kind, what] of [['semaphore-workers', 'lock', /\(semaphore\)/],
    ['producer-consumer', 'queue', /\(queue\.(get|put)\)/]]) {
    await open(page, `demo/${demo}`);
    expect(await runShownDemo(page)).toBe('finished');
    const waits = page.locator(`#demos svg g.task-lane rect.seg.k-wait-${kind}`);
    await expect(waits.first(), `${demo}: a ${kind} wait`).toBeAttached();
    await waits.first().dispatchEvent('pointerover');
    await expect(waits.first().locator('title')).toHaveText(what);
  }
});

test('a virtual-time run watched at 1x draws the timeline while it runs', async ({ page }) => {
  await open(page, 'demo/say-after');
  await page.locator('#demos select[name=clock]').selectOption('virtual');
  await page.locator('#demos select[name=speed]').selectOption('1');
  await page.locator('#demos button.run').click();
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'running');
  await expect(page.locator('#demos pre.output')).toContainText('hello');
  await expect(page.locator('#demos pre.output')).not.toContainText('world');
  await expect(page.locator('#demos svg g.task-lane')).toHaveCount(3);
  await page.screenshot({ path: `${screenshotDir}/timeline-running.png`, fullPage: true });
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'finished', { timeout: 10_000 });
  await expect(page.locator('#demos .parity-badge')).toHaveAttribute('data-state', 'match');
});

test('cancelling a running demo cancels its main task', async ({ page }) => {
  await open(page, 'demo/say-after');
  await page.locator('#demos select[name=clock]').selectOption('real');
  await page.locator('#demos button.run').click();
  await expect(page.locator('#demos pre.output')).toContainText('started at');
  await page.locator('#demos button.cancel').click();
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.locator('#demos svg g.task-lane[data-outcome=cancelled]').first()).toBeAttached();
});

test('the trace exports as Chrome Trace JSON', async ({ page }) => {
  await open(page, 'demo/task-group');
  await runShownDemo(page);
  const download = page.waitForEvent('download');
  await page.locator('#demos button.export').click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const trace = JSON.parse(readFileSync(file, 'utf8'));
  expect(trace.traceEvents.some((e) => e.ph === 'X')).toBe(true);
  expect(trace.traceEvents.filter((e) => e.name === 'thread_name').length).toBeGreaterThanOrEqual(4);
});
