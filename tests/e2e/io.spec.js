// The browser I/O demos against the preview server's own endpoints: a
// cancelled download really aborts its request (the server's abort log says
// so), the WebSocket session echoes and closes cleanly, a fetch under
// wait_for() times out, and a failing TaskGroup child aborts the others.
import { expect, open, test } from './fixtures.js';

async function resetAborts(page) {
  await page.request.post('/api/aborts/reset');
}
async function serverLog(page) {
  return (await page.request.get('/api/aborts')).json();
}

test('cancelling one download task aborts its HTTP request', async ({ page }) => {
  await resetAborts(page);
  await open(page, 'demo/image-download');
  await page.locator('#demos select[name=clock]').selectOption('real');
  await page.locator('#demos .demo-params input[name=delay]').fill('3');
  await page.locator('#demos button.run').click();
  const cancel = page.locator('#demos .task-list button[data-task-name="download-1"]');
  await expect(cancel).toBeVisible();
  await expect(page.locator('#demos pre.output')).toContainText('发送请求： /api/image/1?');
  await cancel.click();
  await expect(page.locator('#demos pre.output')).toContainText('已取消：image_1.jpg');
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'finished', { timeout: 30_000 });
  await expect(page.locator('#demos pre.output')).toContainText('downloaded 4 cancelled 1');
  const log = await serverLog(page);
  expect(log.aborted.map((a) => a.label)).toEqual(['image 1']);
  // The Semaphore(2) bounds the requests that ran to completion; the raw
  // count may see the cancelled one's close a moment after the next began.
  expect(log.maxInFlightCompleted).toBe(2);
  expect(log.maxInFlight).toBeLessThanOrEqual(3);
});

test('the WebSocket demo echoes and closes cleanly', async ({ page }) => {
  await open(page, 'demo/websocket-echo');
  await page.locator('#demos select[name=clock]').selectOption('real');
  await page.locator('#demos button.run').click();
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'finished');
  const out = await page.locator('#demos pre.output').textContent();
  expect(out).toContain('received: hello\nreceived: asyncio\nreceived: 你好\nreceived: 3 bytes\n');
  expect(out).toContain('closed with code 1000 bye');
});

test('a fetch under wait_for() raises TimeoutError and is aborted', async ({ page }) => {
  await resetAborts(page);
  await open(page, 'demo/fetch-timeout');
  await page.locator('#demos select[name=clock]').selectOption('real');
  await page.locator('#demos button.run').click();
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'finished');
  await expect(page.locator('#demos pre.output')).toContainText('TimeoutError at 1.0');
  await expect.poll(async () => (await serverLog(page)).aborted.map((a) => a.label)).toEqual(['fetch-timeout']);
});

test.describe('a TaskGroup', () => {
  // The failing child asks the server for an HTTP 503, which Chromium logs.
  test.use({ expectedConsoleErrors: [/Failed to load resource: the server responded with a status of 503/] });

  test("a failing child cancels the group's fetches", async ({ page }) => {
    await resetAborts(page);
    await open(page, 'demo/taskgroup-fetch');
    await page.locator('#demos select[name=clock]').selectOption('real');
    await page.locator('#demos button.run').click();
    await expect(page.locator('#demos')).toHaveAttribute('data-state', 'finished');
    const out = await page.locator('#demos pre.output').textContent();
    for (const k of [1, 2, 3]) expect(out).toContain(`fetch ${k} cancelled`);
    expect(out).toContain('ExceptionGroup:');
    await expect.poll(async () => (await serverLog(page)).aborted.length).toBe(3);
  });
});
