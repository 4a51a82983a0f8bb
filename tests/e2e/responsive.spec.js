// The loop never freezes the page: 100,000 tasks on the page's own event
// loop, traced live into the timeline, and no long task over 50 ms.
//
// A long task is measured on the wall clock (PerformanceObserver 'longtask'),
// so on a machine whose cores are busy with other work it also counts the
// time the page's thread waited for a core: on the 2-core machine these
// tests run on, with other builds running, a task that computed for 5 ms
// was seen to take 60-120 ms. What the page controls is the time its thread
// computes, which Chromium's trace reports per task (thread time, `tdur`);
// so this asserts that no task of the page's thread computes for more than
// 50 ms during the run, and that no long task is over 50 ms when the page
// had its core to itself (a long task whose thread time is close to its
// length). Both lists are printed.
//
// While the demo runs the test only waits, in the page: Playwright's
// locator assertions poll by running its selector engine in the page, and
// those calls were themselves tasks of 30-70 ms on the page's thread.
import { expect, open, test } from './fixtures.js';

const TARGET_MS = 50;

test('100,000 tasks keep the page responsive (no task over 50 ms)', async ({ page }) => {
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

  // The tasks of the page's main thread, with their wall and thread times.
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel'] }, transferMode: 'ReportEvents' });

  // Until the run has finished, its parity badge is decided and the page
  // has had half a second more for what follows (the last timeline draw).
  const state = await page.evaluate(async () => {
    const view = document.querySelector('#demos');
    const badge = view.querySelector('.parity-badge');
    const until = (node, attr, done) => new Promise((resolve) => {
      if (done()) return resolve();
      new MutationObserver((_, observer) => {
        if (!done()) return;
        observer.disconnect();
        resolve();
      }).observe(node, { attributes: true, attributeFilter: [attr] });
    });
    view.querySelector('button.run').click();  // sets data-state=running at once
    await until(view, 'data-state', () => view.dataset.state !== 'running');
    await until(badge, 'data-state', () => badge.dataset.state !== 'running');
    await new Promise((resolve) => setTimeout(resolve, 500));
    return view.dataset.state;
  });
  const longTasks = await page.evaluate(() => globalThis.__longTasks);
  const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await traced;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  expect(main, 'the page\'s main thread in the trace').toBeTruthy();
  const tasks = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask');
  expect(tasks.length).toBeGreaterThan(100);
  // Every task that could break the target has its thread time. Chromium
  // leaves it out of some tasks of a microsecond or two (V8's
  // MinorGCJob::TryScheduleTask), and a task's thread time is never more
  // than its wall time, so a task within the target on the wall cannot be
  // computing for longer.
  const mayBeLong = tasks.filter((e) => e.dur > TARGET_MS * 1000);
  expect(mayBeLong.filter((e) => typeof e.tdur === 'number').length, 'tasks over the target with a thread time')
    .toBe(mayBeLong.length);
  const ms = (us) => Math.round(us / 1000);
  const longOnWall = tasks.filter((e) => e.dur > TARGET_MS * 1000).map((e) => ({ wall: ms(e.dur), thread: ms(e.tdur) }));
  const computing = tasks.filter((e) => e.tdur > TARGET_MS * 1000).map((e) => ({ wall: ms(e.dur), thread: ms(e.tdur) }));
  // Had its core: computed for at least 80% of the task's length.
  const ownLong = longOnWall.filter((t) => t.thread >= 0.8 * t.wall);
  console.log(`long tasks during the 100,000-task run (ms): ${JSON.stringify(longTasks)}; `
    + `traced tasks over ${TARGET_MS} ms (wall/thread ms): ${longOnWall.map((t) => `${t.wall}/${t.thread}`).join(' ') || 'none'}; `
    + `longest thread time: ${ms(Math.max(...tasks.map((e) => e.tdur ?? 0)))} ms over ${tasks.length} tasks`);
  expect(state).toBe('finished');
  await expect(page.locator('#demos pre.output')).toContainText('100000');
  await expect(page.locator('#demos .parity-badge')).toHaveAttribute('data-state', 'match');
  expect(computing, `tasks computing for over ${TARGET_MS} ms`).toEqual([]);
  expect(ownLong, `long tasks over ${TARGET_MS} ms that had a core to themselves`).toEqual([]);
});
