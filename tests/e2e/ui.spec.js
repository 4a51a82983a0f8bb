// The page's own controls: timeline zoom and pan, the Ctrl+Enter shortcut,
// a phone-sized window, the loading indicator and error banner, and the
// light and dark themes.
import { demoData, expect, open, runShownDemo, screenshotDir, test } from './fixtures.js';

const sayAfter = demoData.demos.find((d) => d.name === 'say-after');

// ---------------------------------------------------------------------------
// Timeline zoom and pan

/** A tick label ("1.5 s", "1.5005 s", "250 ms", "40 µs") in µs. */
function tickUs(label) {
  const m = label.trim().match(/^(-?[\d.]+) (s|ms|µs)$/);
  if (!m) throw new Error(`unexpected tick label ${JSON.stringify(label)}`);
  return Number(m[1]) * { s: 1e6, ms: 1e3, 'µs': 1 }[m[2]];
}

/**
 * The time axis as the page draws it: the tick labels, and the linear map
 * from time to the timeline's x (SVG px) their grid lines give.
 */
async function axis(timeline) {
  const ticks = await timeline.locator('svg g.tl-axis').evaluate((g) => {
    const lines = [...g.querySelectorAll('line.tl-grid')];
    const texts = [...g.querySelectorAll('text.tl-tick')];
    return lines.map((line, i) => ({ x: Number(line.getAttribute('x1')), label: texts[i].textContent }));
  });
  expect(ticks.length, 'tick marks on the axis').toBeGreaterThanOrEqual(3);
  const first = ticks[0];
  const last = ticks[ticks.length - 1];
  const pxPerUs = (last.x - first.x) / (tickUs(last.label) - tickUs(first.label));
  return {
    labels: ticks.map((t) => t.label),
    pxPerUs,
    xOf: (us) => first.x + (us - tickUs(first.label)) * pxPerUs,
    usAt: (x) => tickUs(first.label) + (x - first.x) / pxPerUs,
  };
}

/**
 * Wait until the axis is drawn as `expected(axis)` says (it returns how far
 * off the drawing is, in px; within half a pixel is there), then return the axis.
 * Draws wait for a frame, and a drag draws several times on its way.
 */
async function axisWhen(timeline, what, offBy) {
  await expect.poll(async () => Math.abs(offBy(await axis(timeline))), { message: what }).toBeLessThanOrEqual(0.5);
  return axis(timeline);
}

/**
 * Every tick label shown is drawn inside the timeline (none cut off at its
 * right edge) and clear of the others.
 */
async function expectTickLabelsInside(timeline) {
  const { outside, overlapping, shown } = await timeline.locator('svg.tl-svg').evaluate((svg) => {
    const width = Number(svg.getAttribute('width'));
    const labels = [...svg.querySelectorAll('text.tl-tick')]
      .filter((t) => getComputedStyle(t).visibility !== 'hidden')
      .map((t) => ({ label: t.textContent, box: t.getBBox() }));
    const span = ({ label, box }) => `${label}: ${box.x.toFixed(1)}..${(box.x + box.width).toFixed(1)}`;
    return {
      shown: labels.length,
      outside: labels.filter(({ box }) => box.x < 0 || box.x + box.width > width + 0.5).map((l) => `${span(l)} of ${width}`),
      overlapping: labels.slice(1).map((l, i) => [labels[i], l])
        .filter(([a, b]) => b.box.x < a.box.x + a.box.width).map(([a, b]) => `${span(a)} and ${span(b)}`),
    };
  });
  expect(shown, 'tick labels shown').toBeGreaterThanOrEqual(2);
  expect(outside, 'tick labels cut off').toEqual([]);
  expect(overlapping, 'tick labels overlapping').toEqual([]);
}

/** x (SVG px) of each task's end mark, by task name. */
async function endMarks(timeline) {
  return timeline.locator('svg g.task-lane').evaluateAll((lanes) => Object.fromEntries(lanes
    .map((g) => [g.dataset.task, g.querySelector('circle.end')?.getAttribute('cx')])
    .filter(([, cx]) => cx != null).map(([name, cx]) => [name, Number(cx)])));
}

test('the timeline zooms with its buttons and the wheel, and pans by dragging', async ({ page }) => {
  await open(page, 'demo/say-after');
  expect(await runShownDemo(page)).toBe('finished');
  const timeline = page.locator('#demos .timeline');
  await expect(timeline.locator('svg g.task-lane[data-outcome=done]')).toHaveCount(3);
  const svg = timeline.locator('svg.tl-svg');
  const svgBox = await svg.boundingBox();
  const width = Number(await svg.getAttribute('width'));
  const plotLeft = 150;                 // LABEL_W in timeline.js
  const plotRight = width - 8;         // PLOT_PAD_RIGHT
  const plotW = plotRight - plotLeft;
  const mid = (plotLeft + plotRight) / 2;
  const close = (a, b, tol, what) => expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
  // How far (px, across the plot) a drawn scale is from `factor` times `base`'s.
  const scaleOff = (base, factor) => (a) => (a.pxPerUs / (base.pxPerUs * factor) - 1) * plotW;

  // Fitted: the whole run (say-after ends at 2 s virtual) is in view.
  const fit = await axis(timeline);
  expect(fit.usAt(plotLeft)).toBeLessThanOrEqual(0.5);
  expect(fit.usAt(plotRight)).toBeGreaterThanOrEqual(2e6);
  expect(fit.usAt(plotRight)).toBeLessThan(2.2e6);
  await expectTickLabelsInside(timeline);
  const fitEnds = await endMarks(timeline);
  expect(Object.keys(fitEnds).length).toBe(3);

  // Zoom in (+): twice the pixels per µs, about the middle of the view.
  await timeline.locator('button[data-act=in]').click();
  const zin = await axisWhen(timeline, 'zoomed in twice', scaleOff(fit, 2));
  close(zin.xOf(fit.usAt(mid)), mid, 1, 'the middle stays put');
  expect(zin.labels).not.toEqual(fit.labels);
  // The end marks in view moved away from the middle twice as far.
  const zinEnds = await endMarks(timeline);
  expect(Object.keys(zinEnds).length).toBeGreaterThan(0);
  for (const [name, cx] of Object.entries(zinEnds))
    close(cx, mid + 2 * (fitEnds[name] - mid), 1, `end mark of ${name}`);

  // Zoom out (−) restores the fitted view.
  await timeline.locator('button[data-act=out]').click();
  const zout = await axisWhen(timeline, 'zoomed back out', scaleOff(fit, 1));
  close(zout.xOf(fit.usAt(plotLeft)), plotLeft, 1, 'zoom-out restores the start');
  expect(zout.labels).toEqual(fit.labels);
  await expect.poll(() => endMarks(timeline)).toEqual(fitEnds);

  // The wheel zooms about the pointer: the time under it stays under it.
  const pointerX = plotLeft + 0.3 * plotW;
  const pointerY = 40;
  await page.mouse.move(svgBox.x + pointerX, svgBox.y + pointerY);
  const underPointer = zout.usAt(pointerX);
  await page.mouse.wheel(0, -100);
  const wheelIn = await axisWhen(timeline, 'wheel zoomed in by 1.25', scaleOff(zout, 1.25));
  close(wheelIn.xOf(underPointer), pointerX, 0.5, 'the time under the pointer stays under it (wheel in)');
  await page.mouse.wheel(0, 100);
  const wheelOut = await axisWhen(timeline, 'wheel zoomed back out', scaleOff(zout, 1));
  close(wheelOut.xOf(underPointer), pointerX, 0.5, 'the time under the pointer stays under it (wheel out)');

  // Zoomed in, a drag to the right pans to earlier times: everything drawn
  // moves with the pointer.
  await timeline.locator('button[data-act=in]').click();
  const before = await axisWhen(timeline, 'zoomed in before the drag', scaleOff(wheelOut, 2));
  const endsBefore = await endMarks(timeline);
  const dragFrom = plotLeft + 0.5 * plotW;
  const dx = 120;
  const grabbed = before.usAt(dragFrom);
  await page.mouse.move(svgBox.x + dragFrom, svgBox.y + pointerY);
  await page.mouse.down();
  await page.mouse.move(svgBox.x + dragFrom + dx / 2, svgBox.y + pointerY, { steps: 3 });
  await page.mouse.move(svgBox.x + dragFrom + dx, svgBox.y + pointerY, { steps: 3 });
  await page.mouse.up();
  const panned = await axisWhen(timeline, 'the time grabbed follows the pointer', (a) => a.xOf(grabbed) - (dragFrom + dx));
  close(panned.pxPerUs / before.pxPerUs, 1, 0.001, 'panning keeps the scale');
  expect(panned.labels).not.toEqual(before.labels);
  const endsAfter = await endMarks(timeline);
  for (const [name, cx] of Object.entries(endsBefore)) {
    if (cx + dx > plotRight) continue;  // panned out of view
    close(endsAfter[name], cx + dx, 0.5, `end mark of ${name} after the drag`);
  }

  // Fit shows the whole run again.
  await timeline.locator('button[data-act=fit]').click();
  const refit = await axisWhen(timeline, 'fitted again', (a) => a.xOf(fit.usAt(plotRight)) - plotRight);
  expect(refit.labels).toEqual(fit.labels);
  await expect.poll(() => endMarks(timeline)).toEqual(fitEnds);
});

test('tick labels tell their ticks apart, zoomed deep late in a run or for a run at one instant', async ({ page }) => {
  const timeline = page.locator('#demos .timeline');
  const expectDistinctLabels = async (what) => {
    const { labels } = await axis(timeline);
    expect(new Set(labels).size, `${what}: ${labels.join(', ')}`).toBe(labels.length);
    return labels;
  };
  // say-after ends at 2 s virtual: zoomed in about its end, ticks are a few
  // µs apart while the times are seconds.
  await open(page, 'demo/say-after');
  expect(await runShownDemo(page)).toBe('finished');
  const svg = timeline.locator('svg.tl-svg');
  const box = await svg.boundingBox();
  await page.mouse.move(box.x + box.width - 40, box.y + 40);
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -100);  // 1.25× each
  await expect.poll(async () => (await axis(timeline)).labels.every((l) => /^\d\.\d{4,} s$/.test(l)),
    { message: 'seconds with µs decimals' }).toBe(true);
  await expectDistinctLabels('zoomed in at 2 s');
  await expectTickLabelsInside(timeline);
  // create-task-state runs at virtual time 0 throughout: an axis of whole
  // µs (0 to 10), not "0 µs, 0 µs, 0 µs, 1 µs, 1 µs".
  await open(page, 'demo/create-task-state');
  expect(await runShownDemo(page)).toBe('finished');
  await expect(timeline.locator('svg g.task-lane[data-outcome=done]')).toHaveCount(1);
  expect(await expectDistinctLabels('a run at one instant')).toContain('0 µs');
});

// ---------------------------------------------------------------------------
// Ctrl+Enter

test('Ctrl+Enter runs the demo shown in the gallery', async ({ page }) => {
  await open(page, 'demo/say-after');
  const view = page.locator('#demos');
  await page.locator('#demos select[name=speed]').selectOption('0');
  await expect(page.locator('#demos pre.output')).toHaveText('');
  await page.locator('#demos .demo-title').click();  // focus in the page, not in a control
  await page.keyboard.press('Control+Enter');
  await expect(view).toHaveAttribute('data-state', 'finished');
  await expect(page.locator('#demos pre.output')).toHaveText(sayAfter.native.stdout);
  // Also from a parameter field (whose form must not be submitted instead).
  await page.locator('#demos .demo-params input[name=second]').fill('3');
  await page.locator('#demos .demo-params input[name=second]').press('Control+Enter');
  await expect(page.locator('#demos pre.output')).toContainText('finished at 3.000');
  await expect(view).toHaveAttribute('data-state', 'finished');
  expect(new URL(page.url()).hash).toBe('#demo/say-after');
});

test('Enter in a demo\'s only parameter field does not reload the page', async ({ page }) => {
  await open(page, 'demo/wait-foo');
  await page.evaluate(() => { globalThis.__samePage = true; });
  const delay = page.locator('#demos .demo-params input[name=delay]');
  await expect(delay).toHaveValue('1.0');
  await delay.fill('2');
  await delay.press('Enter');
  await delay.press('Control+Enter');
  await expect(page.locator('#demos')).toHaveAttribute('data-state', 'finished');
  await expect(page.locator('#demos pre.output')).toContainText('foo done');
  expect(await page.evaluate(() => globalThis.__samePage), 'the page was not reloaded').toBe(true);
  expect(new URL(page.url()).search).toBe('');
  await expect(delay).toHaveValue('2');
});

test('Ctrl+Enter in the scratchpad runs its code, once', async ({ page }) => {
  await open(page, 'scratch');
  const scratch = page.locator('#scratch');
  // In the editor (CodeMirror's own key binding and the page's both see the key).
  await page.locator('#scratch .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('print("ran by the shortcut");\n');
  await page.keyboard.press('Control+Enter');
  await expect(scratch).toHaveAttribute('data-state', 'finished');
  await expect(page.locator('#scratch pre.output')).toHaveText('ran by the shortcut\n');
  // The shortcut did not type a line break into the code.
  await expect(page.locator('#scratch .cm-content .cm-line')).toHaveCount(2);
  // Outside the editor too.
  await page.locator('#scratch .scratch-head h2').click();
  await page.evaluate(() => { document.querySelector('#scratch pre.output').textContent = ''; });
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('#scratch pre.output')).toHaveText('ran by the shortcut\n');
  await expect(scratch).toHaveAttribute('data-state', 'finished');
});

// ---------------------------------------------------------------------------
// A narrow window

async function expectNoHorizontalOverflow(page, what) {
  const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
    const root = document.documentElement;
    // What sticks out, to say why if it does.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > root.clientWidth + 0.5)
      .slice(0, 5).map((el) => `${el.localName}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
  });
  expect(scrollWidth, `${what}: the document is no wider than the window (${wide.join(', ')})`).toBeLessThanOrEqual(clientWidth);
}

async function expectInWindow(page, locator, what) {
  await expect(locator, what).toBeVisible();
  await locator.scrollIntoViewIfNeeded();
  await expect(locator, what).toBeInViewport({ ratio: 1 });
  const box = await locator.boundingBox();
  const width = page.viewportSize().width;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(width);
}

test.describe('a 400 px wide window', () => {
  test.use({ viewport: { width: 400, height: 800 } });

  test('the gallery and the scratchpad fit and still run', async ({ page }) => {
    await open(page, 'demo/say-after');
    await expectNoHorizontalOverflow(page, 'gallery');
    await expectInWindow(page, page.locator('#demos button.run'), 'the gallery\'s Run button');
    expect(await runShownDemo(page)).toBe('finished');
    await expect(page.locator('#demos pre.output')).toHaveText(sayAfter.native.stdout);
    await expect(page.locator('#demos svg g.task-lane[data-outcome=done]')).toHaveCount(3);
    await expectTickLabelsInside(page.locator('#demos .timeline'));
    // The lane labels take a narrower column here, leaving the plot most of
    // the width: the tasks' first segments (at time 0) start left of 30 %.
    const { left, width } = await page.locator('#demos .timeline svg.tl-svg').evaluate((svg) => ({
      width: Number(svg.getAttribute('width')),
      left: Math.min(...[...svg.querySelectorAll('g.task-lane rect.seg')].map((r) => Number(r.getAttribute('x')))),
    }));
    expect(left, `where the plot starts in a ${width} px timeline`).toBeLessThan(width * 0.3);
    await expectNoHorizontalOverflow(page, 'gallery after a run');
    await page.locator('#demos .demo-title').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshotDir}/narrow.png`, fullPage: true });

    await page.locator('.tabs a[data-tab=scratch]').click();
    await expect(page.locator('#scratch')).toBeVisible();
    await expectNoHorizontalOverflow(page, 'scratchpad');
    await page.locator('#scratch select.examples').selectOption('hello');
    await expectInWindow(page, page.locator('#scratch button.run'), 'the scratchpad\'s Run button');
    await page.locator('#scratch button.run').click();
    await expect(page.locator('#scratch')).toHaveAttribute('data-state', 'finished', { timeout: 15_000 });
    await expect(page.locator('#scratch pre.output')).toContainText('world');
    await expectNoHorizontalOverflow(page, 'scratchpad after a run');
    await page.screenshot({ path: `${screenshotDir}/narrow-scratchpad.png`, fullPage: true });
  });
});

// ---------------------------------------------------------------------------
// Loading indicator and error banner

test('the loading indicator shows until the runtime has loaded', async ({ page }) => {
  // Hold the WebAssembly back until the indicator has been seen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/#demo/say-after');
  await expect(page.locator('#loading')).toBeVisible();
  await expect(page.locator('#loading')).toContainText('Loading the WebAssembly runtime');
  await expect(page.locator('#banner')).toBeHidden();
  release();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#loading')).toBeHidden();
  await expect(page.locator('#banner')).toBeHidden();
  await expect(page.locator('#demos button.run')).toBeVisible();
});

test.describe('when the WebAssembly cannot be fetched', () => {
  // The one console error this provokes: the browser's line for the aborted request.
  test.use({ expectedConsoleErrors: [/^Failed to load resource: net::ERR_FAILED$/] });

  test('an error banner says so and the loading indicator goes', async ({ page }) => {
    const aborted = [];
    await page.route('**/*.wasm', (route) => {
      aborted.push(new URL(route.request().url()).pathname);
      return route.abort('failed');
    });
    await page.goto('/#demo/say-after');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'failed');
    const banner = page.locator('#banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('role', 'alert');
    await expect(banner).toContainText('The WebAssembly runtime failed to load: ');
    // The reason follows: more than an empty or "undefined" message.
    const reason = (await banner.textContent()).split('failed to load: ')[1];
    expect(reason.trim().length).toBeGreaterThan(3);
    expect(reason).not.toMatch(/^(undefined|null|\[object \w+\])$/);
    await expect(page.locator('#loading')).toBeHidden();
    await expect(page.locator('#demos')).toBeHidden();
    expect(aborted.length).toBeGreaterThan(0);
    expect(aborted.every((p) => p.endsWith('.wasm'))).toBe(true);
    await page.screenshot({ path: `${screenshotDir}/load-failed.png` });
  });
});

// ---------------------------------------------------------------------------
// Light and dark

/** WCAG relative luminance of a CSS rgb()/rgba() colour. */
function luminance(css) {
  const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/** Text colour and the background it is drawn on (the nearest opaque one). */
async function colours(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const style = getComputedStyle(el);
    const fg = el instanceof SVGElement ? style.fill : style.color;
    let bg = 'rgba(0, 0, 0, 0)';
    for (let n = el; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
    }
    return { fg, bg };
  });
}

for (const scheme of ['dark', 'light']) {
  test(`the page follows the system's ${scheme} colour scheme and stays readable`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page, 'demo/say-after');
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    expect(await runShownDemo(page)).toBe('finished');
    const body = await colours(page, 'body');
    const [bgL, fgL] = [luminance(body.bg), luminance(body.fg)];
    if (scheme === 'dark') {
      expect(bgL, `body background ${body.bg} is dark`).toBeLessThan(0.05);
      expect(fgL, `body text ${body.fg} is light`).toBeGreaterThan(0.6);
    } else {
      expect(bgL, `body background ${body.bg} is light`).toBeGreaterThan(0.85);
      expect(fgL, `body text ${body.fg} is dark`).toBeLessThan(0.05);
    }
    // Text across the page has WCAG AA contrast (4.5:1) on its background.
    const low = [];
    for (const selector of ['body', '.brand h1', '.tagline', '.tabs a[aria-current]', '.tabs a:not([aria-current])',
      '#lang-toggle', '#demos .demo-list a[aria-current]', '#demos .demo-list a:not([aria-current])', '#demos .demo-list h3',
      '#demos .demo-title', '#demos .demo-summary', '#demos .demo-meta', '#demos .demo-params label span',
      '#demos .demo-params small', '#demos button.run', '#demos button.export', '#demos .run-status',
      '#demos .pane h3', '#demos pre.output', '#demos .parity-badge', '#demos .tl-label', '#demos .tl-tick',
      '#demos .tl-legend span', '#demos .source .cm-content']) {
      const c = await colours(page, selector);
      const ratio = contrast(c.fg, c.bg);
      if (ratio < 4.5) low.push(`${selector}: ${c.fg} on ${c.bg} = ${ratio.toFixed(2)}`);
    }
    expect(low, 'text with too little contrast').toEqual([]);
    // The C++ source's editor follows the theme too.
    const editor = await colours(page, '#demos .source .cm-editor');
    expect(scheme === 'dark' ? luminance(editor.bg) < 0.05 : luminance(editor.bg) > 0.85, `editor background ${editor.bg}`).toBe(true);
    await page.screenshot({ path: `${screenshotDir}/theme-${scheme}.png` });
  });
}
