// The scratchpad runs JS against the npm API, reports syntax errors with
// their line, cancels a running program (its finally blocks run) and keeps
// the code in the URL.
import { expect, open, screenshotDir, test } from './fixtures.js';

async function setCode(page, code) {
  await page.locator('#scratch .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);  // one input event, like a paste: no auto-closing brackets
}

test('runs an example and shows its output and timeline', async ({ page }) => {
  await open(page, 'scratch');
  await page.locator('#scratch select.examples').selectOption('hello');
  await page.locator('#scratch button.run').click();
  await expect(page.locator('#scratch')).toHaveAttribute('data-state', 'finished', { timeout: 15_000 });
  await expect(page.locator('#scratch pre.output')).toHaveText(/started at 0\.0\d\d\nhello\nworld\nfinished at 2\.0\d\d\n/);
  await page.screenshot({ path: `${screenshotDir}/scratchpad.png`, fullPage: true });
});

test('asCompleted hands out the tasks themselves as they finish, until its timeout', async ({ page }) => {
  await open(page, 'scratch');
  await page.locator('#scratch select.examples').selectOption('as-completed');
  await page.locator('#scratch button.run').click();
  await expect(page.locator('#scratch')).toHaveAttribute('data-state', 'finished', { timeout: 15_000 });
  await expect(page.locator('#scratch pre.output')).toHaveText(
    'about done: about.html\nmissing failed: 404 not found\nhome done: home.html\n' +
    'TimeoutError: blog still running (aio.run cancels it at the end)\n');
});

test("eager tasks finish inside createTask; debug mode's warnings reach the output", async ({ page }) => {
  await open(page, 'scratch');
  await page.locator('#scratch select.examples').selectOption('eager-debug');
  await page.locator('#scratch button.run').click();
  await expect(page.locator('#scratch')).toHaveAttribute('data-state', 'finished', { timeout: 15_000 });
  const out = page.locator('#scratch pre.output');
  await expect(out).toContainText('home done at once: true, about: false\n<h1>about</h1>\n');
  await expect(out.locator('.warn').filter({ hasText: "name='blocker'" }))
    .toHaveText(/Executing <Task pending name='blocker' coro=<blocker\(\)>> took \d+\.\d{3} seconds/);
});

test('the npm API\'s own fetch is aborted on the wire by a timeout; WebSocket.messages() ends at a clean close', async ({ page }) => {
  await open(page, 'scratch');
  await page.locator('#scratch select.examples').selectOption('web-io');
  await page.locator('#scratch button.run').click();
  await expect(page.locator('#scratch')).toHaveAttribute('data-state', 'finished', { timeout: 15_000 });
  await expect(page.locator('#scratch pre.output')).toHaveText(
    'TimeoutError: gave up after 0.3 s\nthe server saw the request aborted: true\n' +
    'echo: one\necho: two\necho: three\nclosed cleanly\n');
});

test('a syntax error is shown with its line', async ({ page }) => {
  await open(page, 'scratch');
  await setCode(page, 'print("one");\nprint("two");\nlet x = ;\n');
  await page.locator('#scratch button.run').click();
  await expect(page.locator('#scratch pre.output')).toContainText('line 3');
  await expect(page.locator('#scratch')).toHaveAttribute('data-state', 'syntax-error');
});

test('cancel stops a running program and its finally block runs', async ({ page }) => {
  await open(page, 'scratch');
  await page.locator('#scratch select.examples').selectOption('cancel');
  await page.locator('#scratch button.run').click();
  await expect(page.locator('#scratch pre.output')).toContainText('b: tick 3');
  await page.locator('#scratch button.cancel').click();
  await expect(page.locator('#scratch')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.locator('#scratch pre.output')).toContainText('b: cleaning up');
});

test('a link reproduces the code', async ({ page, context }) => {
  await open(page, 'scratch');
  await setCode(page, 'print("from a link");\n');
  await page.waitForFunction(() => location.hash.length > '#scratch/'.length);
  const url = page.url();
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(other.locator('#scratch .cm-content')).toContainText('from a link');
  await other.locator('#scratch button.run').click();
  await expect(other.locator('#scratch pre.output')).toHaveText('from a link\n');
  await other.close();
});
