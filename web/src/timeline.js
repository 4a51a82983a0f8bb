// The live timeline: one lane per task showing when it runs, what it waits
// on (timer, future, lock, queue, fetch, socket ...), and how it ends; an
// event-loop lane with timers and callbacks. Built from the runtime's trace
// events ({t (µs), kind, id, name, detail}, the JSON Lines format of
// aio::TraceRecorder), drawn as SVG so every lane and segment is a DOM node
// (tests check them; <title> children give hover details); a lane with more
// than MAX_SEGMENT_RECTS segments in view is a path per kind instead.
//
// Hand-rolled rather than a charting library: it is the product's own view
// of its own trace format, and it must take thousands of events per second
// while a demo runs (drawing is coalesced into one frame).
import { t as tr } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const MAX_LANES = 120;
const MAX_LIVE_LANES = 30;        // the same while a run is live or has more than MAX_DETAILED_TASKS
const MAX_EVENTS = 100_000;   // loop events beyond this are counted, not kept
const MAX_DETAILED_TASKS = 2_000;  // beyond this, tasks' outcomes are kept, not their segments
const MAX_SEGMENTS = 20_000;  // per task; then its last segment stands for the rest
const MAX_MARK_RECTS = 400;  // beyond this, the loop lane's marks are drawn as one path per kind
const MAX_SEGMENT_RECTS = 100;  // beyond this, a task lane's segments are drawn as one path per kind
const SAMPLE = 5_000;         // loop events of one kind looked at per draw
const LANE_H = 22;
const LABEL_W = 150;
// A narrow window (a phone) keeps more of its width for the plot: shorter
// lane labels, ellipsized sooner (the full name is in the label's tooltip).
const NARROW_W = 560;
const LABEL_W_NARROW = 90;
const labelWidth = (width) => (width < NARROW_W ? LABEL_W_NARROW : LABEL_W);
const labelChars = (width) => (width < NARROW_W ? 11 : 20);
const AXIS_H = 24;
const PLOT_PAD_RIGHT = 8;
const TICK_CHAR_W = 7;  // at most, px per character of a tick label (11 px font)
// The narrowest view, in µs: trace times are whole µs, and an axis needs a
// few ticks (a run at one instant of a virtual clock is shown 0 to 10 µs).
const MIN_SPAN_US = 10;

/** What a task waits on, from the trace's `detail` of task_suspended. */
// What a waiting task waits on, each with its colour in the lanes (and the
// legend): waitKind() sorts a suspension's detail into one of them.
const WAIT_KINDS = ['timer', 'future', 'lock', 'queue', 'event', 'fetch', 'socket', 'yield'];

export function waitKind(detail) {
  const d = (detail || '').toLowerCase();
  if (d.includes('sleep') || d.includes('timer') || d.includes('timeout')) return 'timer';
  if (d.includes('lock') || d.includes('semaphore') || d.includes('condition') || d.includes('barrier')) return 'lock';
  if (d.includes('queue')) return 'queue';
  if (d.includes('fetch') || d.includes('http')) return 'fetch';
  if (d.includes('socket') || d.includes('websocket') || d.includes('ws')) return 'socket';
  if (d.includes('event')) return 'event';
  if (d.includes('yield')) return 'yield';
  return 'future';
}

// A time in the largest unit that keeps it at 1 or more. `step`, for the
// axis: the µs between ticks, whose labels get just the decimals that tell
// them apart (ticks 100 µs apart late in a run read 1.5001 s, 1.5002 s, not
// 1.500 s twice; 200 ms apart, 1.2 s, 1.4 s).
function fmtTime(us, step = 0) {
  const a = Math.abs(us);
  const [div, unit, decimals] = a >= 1e6 ? [1e6, 's', 3] : a >= 1000 ? [1000, 'ms', 2] : [1, 'µs', 0];
  const places = step > 0 ? Math.max(0, Math.ceil(-Math.log10(step / div) - 1e-9)) : decimals;
  return `${(us / div).toFixed(Math.min(6, places))} ${unit}`;
}

function el(name, attrs = {}, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/** Set attributes whose values changed (a draw sets the same ones again). */
function setAttrs(node, attrs) {
  const last = (node.aioAttrs ??= {});
  for (const k in attrs) {
    const v = String(attrs[k]);
    if (last[k] !== v) {
      node.setAttribute(k, v);
      last[k] = v;
    }
  }
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * Children of `parent` made anew each draw but kept from the last one where
 * they fit (same element, same place): a live draw then changes attributes
 * instead of making and styling hundreds of new elements.
 */
class Reuse {
  constructor(parent) {
    this.parent = parent;
    this.i = 0;
  }

  el(name, attrs) {
    const at = this.parent.children[this.i++];
    if (at?.localName === name) {
      setAttrs(at, attrs);
      return at;
    }
    const node = document.createElementNS(SVG, name);
    setAttrs(node, attrs);
    this.parent.insertBefore(node, at ?? null);
    return node;
  }

  /** Remove the children this draw did not use. */
  end() {
    while (this.parent.children.length > this.i) this.parent.lastElementChild.remove();
  }
}

/** Hover text made when hovered (see the pointerover listener); kept current once made. */
function hoverable(node, title) {
  node.aioHover = title;
  if (node.firstChild) node.firstChild.textContent = title();
}

/** A legend entry: its colour and its name, kept on one line. */
function key(cls, i18n) {
  return `<span class="tl-key"><i class="${cls}"></i><span data-i18n="${i18n}"></span></span>`;
}

function titled(node, text) {
  el('title', {}, node).textContent = text;
  return node;
}

export class TimelineModel {
  constructor() {
    this.reset();
  }

  reset() {
    this.tasks = new Map();  // key -> {key, id, name, created, segments[], open, end}
    this.order = [];         // task keys in creation order
    this.byName = new Map(); // name -> key of the newest live task so named (tasks with id 0)
    this.named = 0;
    this.pending = new Set(); // keys of the tasks not finished yet, oldest first
    this.loopEvents = [];    // timers and callbacks
    this.loopByKind = new Map(); // the same by trace kind
    this.dropped = 0;        // loop events beyond MAX_EVENTS, counted only
    this.tMax = 0;
  }

  add(ev) {
    const t = ev.t;
    if (t > this.tMax) this.tMax = t;
    switch (ev.kind) {
      case 'task_created':
        this.create(ev);
        break;
      case 'task_resumed':
      case 'task_suspended': {
        const task = this.task(ev);
        if (task.open) task.open.end = t;
        const segments = task.segments;
        if (!segments) break;  // beyond MAX_DETAILED_TASKS
        if (segments.length >= MAX_SEGMENTS) {
          // The rest of this task's life is one block: the last segment grows.
          task.open = segments[segments.length - 1];
          task.open.end = null;
          break;
        }
        task.open = ev.kind === 'task_resumed'
          ? { kind: 'run', start: t, end: null, what: '' }
          : { kind: 'wait', start: t, end: null, what: ev.detail || 'future' };
        segments.push(task.open);
        break;
      }
      case 'task_done':
      case 'task_failed':
      case 'task_cancelled': {
        const task = this.task(ev);
        if (task.open) task.open.end = t;
        task.open = null;
        task.end = { t, outcome: ev.kind.slice(5), detail: ev.detail || '' };
        if (!ev.id && this.byName.get(ev.name) === task.key) this.byName.delete(ev.name);
        this.pending.delete(task.key);
        break;
      }
      default:
        // Where its mark goes: a scheduled timer at its deadline.
        ev.at = ev.kind === 'timer_scheduled' ? Number.parseFloat(ev.detail) * 1e6 : t;
        if (this.loopEvents.length < MAX_EVENTS) {
          // Kept compact: a run may have 100,000 timers.
          ev = { t, at: ev.at, kind: ev.kind, id: ev.id, name: ev.name, detail: ev.detail };
          this.loopEvents.push(ev);
          let same = this.loopByKind.get(ev.kind);
          if (!same) this.loopByKind.set(ev.kind, (same = []));
          same.push(ev);
        } else {
          this.dropped++;
        }
    }
  }

  // The trace numbers unnamed tasks (Task-N has id N) but gives tasks named
  // by the program id 0, as asyncio's name counter does: those are told
  // apart by name (two live tasks sharing a name share the newer one's lane,
  // as in aio::TraceRecorder's Chrome trace).
  create(ev) {
    const key = ev.id ? ev.id : `${ev.name}#${++this.named}`;
    const detailed = this.order.length < MAX_DETAILED_TASKS;
    const task = { key, id: ev.id, name: ev.name, created: ev.t, segments: detailed ? [] : null, open: null, end: null };
    this.tasks.set(key, task);
    this.order.push(key);
    this.pending.add(key);
    if (!ev.id) this.byName.set(ev.name, key);
    return task;
  }

  task(ev) {
    const key = ev.id ? ev.id : this.byName.get(ev.name);
    // A task created before tracing began: its lane starts here.
    return (key !== undefined && this.tasks.get(key)) || this.create(ev);
  }

  /** The trace as Chrome Trace Event JSON (opens in Perfetto / chrome://tracing). */
  toChromeTrace() {
    const out = [
      { name: 'process_name', ph: 'M', pid: 1, tid: 0, args: { name: 'aio event loop (browser)' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 0, args: { name: 'event loop (callbacks, timers)' } },
    ];
    this.order.forEach((key, index) => {
      const id = index + 1;  // the Chrome trace's lane (tid), 0 being the loop
      const task = this.tasks.get(key);
      out.push({ name: 'thread_name', ph: 'M', pid: 1, tid: id, args: { name: task.name } });
      out.push({ name: 'thread_sort_index', ph: 'M', pid: 1, tid: id, args: { sort_index: id } });
      for (const s of task.segments ?? []) {
        const end = s.end ?? this.tMax;
        out.push({
          name: s.kind === 'run' ? task.name : `wait: ${s.what}`,
          cat: s.kind === 'run' ? 'run' : `wait.${waitKind(s.what)}`,
          ph: 'X', ts: s.start, dur: Math.max(0, end - s.start), pid: 1, tid: id,
        });
      }
      if (task.end) out.push({ name: task.end.outcome, cat: 'task', ph: 'i', s: 't', ts: task.end.t, pid: 1, tid: id, args: { detail: task.end.detail } });
    });
    for (const ev of this.loopEvents)
      out.push({ name: ev.name, cat: ev.kind, ph: 'i', s: 't', ts: ev.t, pid: 1, tid: 0, args: { id: ev.id, detail: ev.detail } });
    return { traceEvents: out, displayTimeUnit: 'ms' };
  }
}

export class Timeline {
  /** @param {HTMLElement} root  an empty element the timeline fills */
  constructor(root) {
    this.root = root;
    this.model = new TimelineModel();
    this.view = null;  // {start, end} in µs; null = fit everything
    this.live = false;
    this.nowUs = () => this.model.tMax;
    this.frame = 0;
    root.classList.add('timeline');
    root.innerHTML = '';
    const bar = document.createElement('div');
    bar.className = 'tl-toolbar';
    bar.innerHTML = `
      <button type="button" data-act="in" data-i18n-title="timeline.zoomIn" aria-label="zoom in">+</button>
      <button type="button" data-act="out" data-i18n-title="timeline.zoomOut" aria-label="zoom out">−</button>
      <button type="button" data-act="fit" data-i18n="timeline.fit"></button>
      <span class="tl-legend">
        ${key('k-run', 'timeline.legend.run')}
        <span class="tl-legend-waits"><span data-i18n="timeline.legend.waitOn"></span>
          ${WAIT_KINDS.map((k) => key(`k-wait-${k}`, `timeline.wait.${k}`)).join('')}
        </span>
        ${['done', 'failed', 'cancelled', 'timer', 'callback'].map((k) => key(`k-${k}`, `timeline.legend.${k}`)).join('')}
      </span>
      <span class="tl-hint" data-i18n="timeline.hint"></span>`;
    root.appendChild(bar);
    this.scroller = document.createElement('div');
    this.scroller.className = 'tl-scroller';
    root.appendChild(this.scroller);
    this.svg = el('svg', { class: 'tl-svg', role: 'img' });
    this.scroller.appendChild(this.svg);
    this.empty = document.createElement('p');
    this.empty.className = 'tl-empty';
    this.empty.dataset.i18n = 'timeline.empty';
    this.empty.textContent = tr('timeline.empty');
    root.appendChild(this.empty);
    for (const b of bar.querySelectorAll('[data-i18n]')) b.textContent = tr(b.dataset.i18n);
    for (const b of bar.querySelectorAll('[data-i18n-title]')) b.title = tr(b.dataset.i18nTitle);
    bar.addEventListener('click', (e) => {
      const act = e.target.closest('button')?.dataset.act;
      if (act === 'fit') this.view = null;
      else if (act === 'in') this.zoom(0.5);
      else if (act === 'out') this.zoom(2);
      this.schedule();
    });
    this.installPanZoom();
    this.svg.addEventListener('pointerover', (e) => {
      // Segments and marks get their hover text when hovered: a draw makes
      // thousands of them, most never hovered.
      const hover = e.target.aioHover;
      if (hover && !e.target.firstChild) titled(e.target, hover());
    });
    this.svg.addEventListener('pointermove', (e) => {
      const hoverAt = e.target.aioHoverAt;
      if (!hoverAt) return;
      const text = hoverAt(e.clientX);
      if (e.target.firstChild) e.target.firstChild.textContent = text;
      else titled(e.target, text);
    });
    // The width as the observer reports it: reading clientWidth in draw()
    // made the browser lay the page out first, in the middle of the draw.
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1].contentRect.width;
      this.schedule();
    }).observe(this.scroller);
  }

  reset() {
    this.model.reset();
    this.view = null;
    this.schedule();
  }

  /** Add trace events (one object or an array); drawing waits for the next frame. */
  add(events) {
    if (Array.isArray(events)) for (const ev of events) this.model.add(ev);
    else this.model.add(events);
    this.schedule();
  }

  setLive(live, nowUs) {
    this.live = live;
    if (nowUs) this.nowUs = nowUs;
    this.schedule();
  }

  // Drawing rebuilds the SVG, so it is paced: at most once per frame, and
  // no more than a tenth of the time goes to drawing (a run with 100,000
  // tasks delivers events much faster than they can be drawn). A live
  // timeline with no new events redraws a few times a second (its "now"
  // moves).
  schedule() {
    this.dirty = true;
    this.pace();
  }

  pace() {
    if (this.frame || this.timer) return;
    const wait = Math.max(0, (this.lastDrawAt ?? -Infinity) + 9 * (this.lastDrawMs ?? 0) - performance.now());
    const go = () => {
      this.timer = 0;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (this.dirty || this.live) {
          this.dirty = false;
          const t0 = performance.now();
          this.draw();
          // What the draw costs includes laying the new SVG out: done now
          // (the frame would do it next anyway), so it is measured.
          void this.scroller.scrollHeight;
          this.lastDrawAt = performance.now();
          this.lastDrawMs = this.lastDrawAt - t0;
        }
        if (this.dirty) this.pace();
        else if (this.live) this.timer = setTimeout(() => { this.timer = 0; this.pace(); }, 100);
      });
    };
    if (wait > 0) this.timer = setTimeout(go, wait);
    else go();
  }

  extent() {
    const end = Math.max(this.model.tMax * 1.02, this.live ? this.nowUs() * 1.02 : 0, MIN_SPAN_US);
    return { start: 0, end };
  }

  zoom(factor, centerUs) {
    const v = this.view ?? this.extent();
    const c = centerUs ?? (v.start + v.end) / 2;
    const span = Math.max(MIN_SPAN_US, (v.end - v.start) * factor);
    const frac = (c - v.start) / (v.end - v.start || 1);
    this.view = { start: c - span * frac, end: c - span * frac + span };
  }

  /** The width of the plot right of the lane labels, as draw() lays it out. */
  plotWidth() {
    const width = this.drawWidth();
    return width - labelWidth(width) - PLOT_PAD_RIGHT;
  }

  /** The SVG's width, as draw() lays it out. */
  drawWidth() {
    return Math.max(320, this.width ?? this.scroller.clientWidth);
  }

  installPanZoom() {
    const s = this.scroller;
    // The same map from the pointer to time as draw()'s from time to x, so
    // what is under the pointer stays under it (a wheel zoom) or follows it
    // (a drag).
    const usAt = (clientX) => {
      const v = this.view ?? this.extent();
      const left = this.svg.getBoundingClientRect().left;
      return v.start + ((clientX - left - labelWidth(this.drawWidth())) / this.plotWidth()) * (v.end - v.start);
    };
    s.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;
      e.preventDefault();
      this.zoom(e.deltaY > 0 ? 1.25 : 0.8, usAt(e.clientX));
      this.schedule();
    }, { passive: false });
    let drag = null;
    s.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, view: this.view ?? this.extent() };
      s.setPointerCapture(e.pointerId);
    });
    s.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dUs = ((e.clientX - drag.x) / this.plotWidth()) * (drag.view.end - drag.view.start);
      this.view = { start: drag.view.start - dUs, end: drag.view.end - dUs };
      this.schedule();
    });
    const end = () => { drag = null; };
    s.addEventListener('pointerup', end);
    s.addEventListener('pointercancel', end);
  }

  draw() {
    const m = this.model;
    const svg = this.svg;
    this.empty.hidden = m.order.length > 0 || m.loopEvents.length > 0;
    this.svg.style.display = this.empty.hidden ? '' : 'none';  // no axis without events
    if (!this.empty.hidden) return;
    const width = this.drawWidth();
    const labelW = labelWidth(width);
    // Fewer lanes while a big run is live, and for a run too big to keep
    // every task's segments: a draw must stay well inside a frame.
    const few = (this.live || m.order.length > MAX_DETAILED_TASKS) && m.order.length > MAX_LIVE_LANES;
    const lanes = m.order.slice(0, few ? MAX_LIVE_LANES : MAX_LANES);
    const hidden = m.order.length - lanes.length;
    const height = AXIS_H + (lanes.length + 1) * LANE_H + (hidden > 0 ? LANE_H : 0);
    setAttrs(svg, { width, height, viewBox: `0 0 ${width} ${height}` });
    // What carries text (labels, ticks) stays from draw to draw and changes
    // only where it must: laying text out again every draw was most of a
    // draw's cost. Segments and marks go into the last draw's elements
    // (Reuse).
    const layers = this.layers ??= {
      axis: el('g', { class: 'tl-axis' }, svg),
      ticks: [],
      loop: el('g', { class: 'lane loop-lane', 'data-lane': 'loop' }, svg),
      lanes: [],
      more: el('text', { x: 6, class: 'tl-more' }, svg),
    };
    if (!layers.loopLabel) {
      layers.loopLabel = el('text', { x: 6, y: AXIS_H + 15, class: 'tl-label' }, layers.loop);
      layers.loopMarks = el('g', {}, layers.loop);
    }

    const v = this.view ?? this.extent();
    const span = Math.max(MIN_SPAN_US, v.end - v.start);
    const plotW = width - labelW - PLOT_PAD_RIGHT;
    const x = (us) => labelW + ((us - v.start) / span) * plotW;
    const now = this.live ? this.nowUs() : m.tMax;

    // The time axis.
    // Trace times are whole µs: no finer ticks.
    const step = niceStep(Math.max(1, span / Math.max(2, Math.floor(plotW / 90))));
    let nticks = 0;
    let labelsEnd = -Infinity;  // where the last tick label ends (px)
    for (let tick = Math.ceil(v.start / step) * step; tick <= v.end; tick += step) {
      const px = x(tick);
      const t = layers.ticks[nticks++] ??= {
        line: el('line', { class: 'tl-grid' }, layers.axis),
        text: el('text', { class: 'tl-tick' }, layers.axis),
      };
      if (!t.line.parentNode) layers.axis.append(t.line, t.text);
      setAttrs(t.line, { x1: px, x2: px, y1: AXIS_H - 6, y2: height });
      // A label that would run past the right edge ends at its tick instead
      // (and is left out if it would then cover the label before it).
      const label = fmtTime(tick, step);
      const tickTextW = label.length * TICK_CHAR_W;
      const atEnd = px + 2 + tickTextW > width;
      setAttrs(t.text, {
        x: atEnd ? px - 2 : px + 2, y: AXIS_H - 9, 'text-anchor': atEnd ? 'end' : 'start',
        visibility: atEnd && px - 2 - tickTextW < labelsEnd ? 'hidden' : 'visible',
      });
      setText(t.text, label);
      labelsEnd = px + 2 + tickTextW;
    }
    for (let i = nticks; i < layers.ticks.length; i++) {
      layers.ticks[i].line.remove();
      layers.ticks[i].text.remove();
    }

    // The event loop lane: timers scheduled/fired and callbacks run.
    const ly = AXIS_H;
    setText(layers.loopLabel, tr('timeline.loop'));
    const loopLane = new Reuse(layers.loopMarks);
    // One mark per pixel and kind: thousands of timers can share a pixel
    // (a draw goes through up to 200,000 events: no allocation per event).
    // Beyond SAMPLE events of a kind, every k-th one is looked at and
    // counts for k: a kind with few events (a cancelled timer among 100,000
    // that fired) is always drawn exactly.
    const kinds = new Map();  // trace kind -> {first: events by pixel, count: per pixel}
    const columns = Math.ceil(width) + 2;
    for (const [kind, events] of m.loopByKind) {
      const stride = Math.ceil(events.length / SAMPLE);
      const k = { first: new Array(columns), count: new Uint32Array(columns) };
      kinds.set(kind, k);
      for (let i = 0; i < events.length; i += stride) {
        const ev = events[i];
        const at = ev.at;
        if (!(at >= v.start && at <= v.end)) continue;
        const px = Math.round(x(at));
        if (k.count[px] === 0) k.first[px] = ev;
        k.count[px] += stride;
      }
    }
    // A few hundred marks are rects of their own; beyond that each kind is
    // one <path> (a run with 100,000 timers would otherwise rebuild
    // thousands of rects per draw), whose hover text follows the pointer.
    let marks = 0;
    for (const { count } of kinds.values()) for (let px = 0; px < columns; px++) if (count[px]) marks++;
    for (const [evKind, { first, count }] of kinds) {
      const kind = evKind === 'callback_run' ? 'callback' : evKind === 'timer_scheduled' ? 'timer-due' : evKind === 'timer_fired' ? 'timer' : evKind.replace('_', '-');
      const y0 = ly + (kind === 'callback' ? 12 : 3);
      if (marks <= MAX_MARK_RECTS) {
        for (let px = 0; px < columns; px++) {
          if (!count[px]) continue;
          const rect = loopLane.el('rect', { x: px - 1, y: y0, width: 2, height: 8, class: `mark k-${kind}` });
          const mark = { ev: first[px], n: count[px] };
          hoverable(rect, () => markTitle(mark));
        }
        continue;
      }
      let d = '';
      for (let px = 0; px < columns; px++) if (count[px]) d += `M${px - 1} ${y0}h2v8h-2z`;
      const path = loopLane.el('path', { d, class: `mark k-${kind}` });
      path.aioHoverAt = (clientX) => {
        const px = Math.round(clientX - this.svg.getBoundingClientRect().left);
        for (let dx = 0; dx <= 2; dx++) {
          for (const p of [px - dx, px + dx]) if (count[p]) return markTitle({ ev: first[p], n: count[p] });
        }
        return '';
      };
    }

    loopLane.end();

    // One lane per task.
    lanes.forEach((key, i) => {
      const task = m.tasks.get(key);
      const y = AXIS_H + (i + 1) * LANE_H;
      const outcome = task.end ? task.end.outcome : 'pending';
      const lane = layers.lanes[i] ??= { g: el('g', {}) };
      if (!lane.g.parentNode) svg.insertBefore(lane.g, layers.more);
      setAttrs(lane.g, { class: `lane task-lane o-${outcome}`, 'data-task': task.name, 'data-task-id': task.id, 'data-outcome': outcome });
      if (!lane.label) {
        lane.label = el('text', { x: 6, class: 'tl-label' }, lane.g);
        lane.title = el('title', {}, lane.label);
        lane.name = lane.label.appendChild(document.createTextNode(''));
      }
      setAttrs(lane.label, { y: y + 15 });
      setText(lane.title, task.name);
      const shown = ellipsize(task.name, labelChars(width));
      if (lane.name.data !== shown) lane.name.data = shown;
      lane.content ??= el('g', {}, lane.g);
      const g = new Reuse(lane.content);
      // What the lane shows, left to right: {x0, x1, run, cls, title()}.
      const items = [];
      const segmentItem = (s, x0, x1) => items.push({
        x0, x1: x0 + Math.max(s.kind === 'run' ? 2 : 1, x1 - x0), run: s.kind === 'run',
        cls: s.kind === 'run' ? 'seg run' : `seg wait k-wait-${waitKind(s.what)}`,
        title: () => `${task.name}: ${s.kind === 'run' ? tr('timeline.legend.run') : `${tr('timeline.legend.wait')} (${s.what})`} ${fmtTime(s.start)} → ${s.end == null ? '…' : fmtTime(s.end)}`,
      });
      // Segments narrower than a pixel that follow each other (a task that
      // awaits 100,000 others has 200,000 of them) become one item.
      let dense = null;  // {x0, x1, run, first, last, count}
      const flushDense = () => {
        if (!dense) return;
        const d = dense;
        dense = null;
        if (d.count === 1) return segmentItem(d.first, d.x0, d.x1);
        items.push({
          x0: d.x0, x1: d.x0 + Math.max(2, d.x1 - d.x0), run: d.run,
          cls: `seg dense ${d.run ? 'run' : `wait k-wait-${waitKind(d.first.what)}`}`,
          title: () => `${task.name}: ${d.count} ${tr('timeline.legend.run')}/${tr('timeline.legend.wait')} ${fmtTime(d.first.start)} → ${d.last.end == null ? '…' : fmtTime(d.last.end)}`,
        });
      };
      const segments = task.segments ?? [];
      const usAt = (px) => v.start + ((px - labelW) / plotW) * span;
      // Segments follow each other: their ends only grow (the open one's is now).
      const firstEndingAt = (us, from) => {
        let lo = from;
        let hi = segments.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((segments[mid].end ?? now) < us) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      for (let i = firstEndingAt(v.start, 0); i < segments.length; i++) {
        const s = segments[i];
        if (s.start > v.end) break;
        const end = s.end ?? now;
        const x0 = Math.max(labelW, x(s.start));
        const x1 = Math.min(width, x(end));
        if (x1 - x0 < 1) {
          if (dense && x0 - dense.x1 < 1) {
            dense.x1 = Math.max(dense.x1, x1);
            dense.run ||= s.kind === 'run';
            dense.last = s;
            dense.count++;
          } else {
            flushDense();
            dense = { x0, x1, run: s.kind === 'run', first: s, last: s, count: 1 };
          }
          // The segments that end within the next pixel join this block
          // too: skipped, not looked at one by one (the main task of a run
          // with 100,000 tasks has 20,000 segments to draw in 1,000 pixels).
          // Two or more in a row include a run (a task runs between waits).
          const j = firstEndingAt(usAt(dense.x1 + 1), i + 1) - 1;
          if (j > i) {
            dense.run = true;
            dense.last = segments[j];
            dense.x1 = Math.max(dense.x1, Math.min(width, x(segments[j].end ?? now)));
            dense.count += j - i;
            i = j;
          }
          continue;
        }
        flushDense();
        segmentItem(s, x0, x1);
      }
      flushDense();
      if (items.length <= MAX_SEGMENT_RECTS) {
        for (const it of items) {
          const rect = g.el('rect', { x: it.x0, y: y + (it.run ? 3 : 7), width: it.x1 - it.x0, height: it.run ? 16 : 8, class: it.cls });
          hoverable(rect, it.title);
        }
      } else {
        // A busy lane is one <path> per kind of segment: rebuilding
        // thousands of rects per draw kept the page busy laying them out.
        // The hover text follows the pointer.
        const paths = new Map();  // class -> path data
        for (const it of items) {
          const h = it.run ? 16 : 8;
          paths.set(it.cls, `${paths.get(it.cls) ?? ''}M${it.x0.toFixed(1)} ${y + (it.run ? 3 : 7)}h${(it.x1 - it.x0).toFixed(1)}v${h}h${(it.x0 - it.x1).toFixed(1)}z`);
        }
        const hoverAt = (clientX) => {
          const px = clientX - this.svg.getBoundingClientRect().left;
          let lo = 0;
          let hi = items.length;
          while (lo < hi) {  // the first item that ends at or after px
            const mid = (lo + hi) >> 1;
            if (items[mid].x1 < px - 1) lo = mid + 1;
            else hi = mid;
          }
          return lo < items.length && items[lo].x0 <= px + 1 ? items[lo].title() : '';
        };
        for (const [cls, d] of paths) g.el('path', { d, class: cls }).aioHoverAt = hoverAt;
      }
      if (task.end && task.end.t >= v.start && task.end.t <= v.end) {
        const px = x(task.end.t);
        const end = g.el('circle', { cx: px, cy: y + 11, r: 5, class: `end k-${outcome}` });
        setText(end.firstChild ?? el('title', {}, end), `${task.name}: ${outcome} @ ${fmtTime(task.end.t)}${task.end.detail ? ` — ${task.end.detail}` : ''}`);
      }
      g.end();
    });
    for (let i = lanes.length; i < layers.lanes.length; i++) layers.lanes[i].g.remove();
    layers.more.style.display = hidden > 0 ? '' : 'none';
    if (hidden > 0) {
      setAttrs(layers.more, { y: AXIS_H + (lanes.length + 1) * LANE_H + 15 });
      setText(layers.more, tr('timeline.moreLanes', { n: groupDigits(hidden) }));
    }
  }
}

function markTitle({ ev, n }) {
  const what = `${ev.kind} ${ev.name}${ev.kind === 'timer_scheduled' ? ` due ${fmtTime(ev.at)}` : ''} @ ${fmtTime(ev.t)}`;
  return n > 1 ? `${what} (and about ${n - 1} more here)` : what;
}

// 100000 -> "100,000" (English and Chinese group digits alike). Not
// toLocaleString(): its first call loads the locale's data, 25-60 ms inside
// a live draw, and each later call makes a formatter.
function groupDigits(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const k of [1, 2, 5, 10]) if (k * p >= raw) return k * p;
  return 10 * p;
}

function ellipsize(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
