// Every demo runs in the page on the virtual clock, prints what the native
// CLI printed, and its parity badge says the output and trace match.
import { demoData, expect, open, runShownDemo, screenshotDir, test } from './fixtures.js';

const demos = demoData.demos;
const needsThreads = (d) => d.group === 'threads';
const browserOnly = (d) => d.group === 'io';

test('every demo prints its native output and its parity badge matches', async ({ page }) => {
  await open(page);
  await page.locator('#demos select[name=clock]').selectOption('virtual');
  await page.locator('#demos select[name=speed]').selectOption('0');
  const failures = [];
  for (const demo of demos.filter((d) => !needsThreads(d) && !browserOnly(d))) {
    await page.evaluate((name) => { location.hash = `#demo/${name}`; }, demo.name);
    await expect(page.locator('#demos')).toHaveAttribute('data-demo', demo.name);
    const state = await runShownDemo(page);
    // The verdict comes after the run ends: the trace's digest is computed on
    // a worker, whose first start can take longer than the demo did.
    await expect(page.locator('#demos .parity-badge')).not.toHaveAttribute('data-state', 'running', { timeout: 15_000 });
    const output = await page.locator('#demos pre.output').textContent();
    const badge = await page.locator('#demos .parity-badge').getAttribute('data-state');
    if (state !== 'finished' || output !== demo.native.stdout || badge !== 'match')
      failures.push({ demo: demo.name, state, badge, output: output.slice(0, 300), expected: demo.native.stdout.slice(0, 300) });
  }
  expect(failures).toEqual([]);
});

test('demos that need threads run on Web Workers in the cross-origin isolated page', async ({ page }) => {
  const threadDemos = demos.filter(needsThreads);
  test.skip(!threadDemos.length, 'no threads demo');
  await open(page);
  // vite.config.js serves the page with COOP/COEP: createRuntime() loads the threads module.
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  await page.locator('#demos select[name=clock]').selectOption('virtual');
  await page.locator('#demos select[name=speed]').selectOption('0');
  const failures = [];
  for (const demo of threadDemos) {
    await page.evaluate((name) => { location.hash = `#demo/${name}`; }, demo.name);
    await expect(page.locator('#demos')).toHaveAttribute('data-demo', demo.name);
    const state = await runShownDemo(page);
    const output = await page.locator('#demos pre.output').textContent();
    if (state !== 'finished' || output !== demo.native.stdout)
      failures.push({ demo: demo.name, state, output: output.slice(0, 300), expected: demo.native.stdout.slice(0, 300) });
  }
  expect(failures).toEqual([]);
});

test('where the page is not cross-origin isolated, demos that need threads say so instead of running inline', async ({ page }) => {
  const demo = demos.find(needsThreads);
  test.skip(!demo, 'no threads demo');
  // The same server without the isolation headers: no SharedArrayBuffer, so
  // createRuntime() loads the module without threads.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await open(page, `demo/${demo.name}`);
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
  await expect(page.locator('#demos .demo-note')).toBeVisible();
  const state = await runShownDemo(page);
  expect(state).toBe('failed');
  await expect(page.locator('#demos pre.output')).toContainText('needs threads');
});

test('the gallery groups demos as a learner meets them and shows source and parameters', async ({ page }) => {
  await open(page, 'demo/say-after');
  const groups = await page.locator('.demo-list h3').allTextContents();
  expect(groups.slice(0, 3)).toEqual(['Basics', 'Combinators', 'Cancellation and timeouts']);
  await expect(page.locator('#demos .source .cm-content')).toContainText('co_await sleep(delay)');
  await expect(page.locator('#demos .demo-params input[name=first]')).toHaveValue('1.0');
  // Every control is labelled.
  await expect(page.locator('#demos button.run')).toHaveText('Run');
  await expect(page.locator('#demos button.cancel')).toHaveText('Cancel');
  await expect(page.locator('#demos select[name=clock] option[value=virtual]')).toHaveText('virtual');
  // A changed parameter changes the run (and the badge no longer applies).
  await page.locator('#demos .demo-params input[name=second]').fill('3');
  await runShownDemo(page);
  await expect(page.locator('#demos pre.output')).toContainText('finished at 3.000');
  await expect(page.locator('#demos .parity-badge')).toHaveAttribute('data-state', 'na');
  await page.screenshot({ path: `${screenshotDir}/gallery.png`, fullPage: true });
});

test('the interface switches to Chinese and back', async ({ page }) => {
  await open(page, 'demo/say-after');
  await page.locator('#lang-toggle').click();
  await expect(page.locator('.tabs a[data-tab=demos]')).toHaveText('示例');
  await expect(page.locator('#demos .demo-title')).toHaveText('两个任务同时睡眠');
  await page.screenshot({ path: `${screenshotDir}/gallery-zh-dark.png` });
  await page.locator('#lang-toggle').click();
  await expect(page.locator('.tabs a[data-tab=demos]')).toHaveText('Demos');
});
