// The demo gallery: the tutorial demos grouped as a learner meets them, each
// with its C++ source, explanation, parameters, Run/Cancel, live output, a
// live timeline and the parity badge.
import { compareWithNative, prewarmDigest, TraceDigest } from './parity.js';
import { Timeline } from './timeline.js';
import { currentLang, demoText, groupName, onLangChange, t } from './i18n.js';
import { readOnlyEditor } from './editor.js';
import { runDemo } from './demo-runner.js';

const GROUP_ORDER = ['basics', 'combinators', 'cancellation', 'synchronisation', 'queues', 'io', 'threads'];
const SPEEDS = [
  { value: 1, label: '1×' },
  { value: 10, label: '10×' },
  { value: 100, label: '100×' },
  { value: 0, label: null },  // instant
];

export class Gallery {
  constructor(root, { runtime, demos }) {
    this.root = root;
    this.runtime = runtime;
    this.demos = demos;
    this.byName = new Map(demos.map((d) => [d.name, d]));
    this.current = null;
    this.run = null;
    root.innerHTML = `
      <nav class="demo-list" aria-label="demos"></nav>
      <section class="demo-view" aria-live="polite">
        <header class="demo-head">
          <h2 class="demo-title"></h2>
          <span class="parity-badge" data-state="pending"></span>
        </header>
        <p class="demo-summary"></p>
        <p class="demo-note" hidden></p>
        <p class="demo-meta"></p>
        <div class="demo-controls">
          <form class="demo-params" autocomplete="off"></form>
          <div class="demo-buttons">
            <label><span data-i18n="demo.clock"></span>
              <select name="clock">
                <option value="virtual" data-i18n="demo.clock.virtual"></option>
                <option value="real" data-i18n="demo.clock.real"></option>
              </select></label>
            <label class="speed"><span data-i18n="demo.speed"></span>
              <select name="speed">${SPEEDS.map((s) => `<option value="${s.value}">${s.label ?? ''}</option>`).join('')}</select></label>
            <button type="button" class="run primary" data-i18n="demo.run"></button>
            <button type="button" class="cancel" data-i18n="demo.cancel" disabled></button>
            <button type="button" class="export" data-i18n="demo.exportTrace" disabled></button>
            <span class="run-status" role="status"></span>
            <span class="shortcut" data-i18n="demo.shortcut"></span>
          </div>
        </div>
        <div class="demo-panes">
          <section class="pane output-pane"><h3 data-i18n="demo.output"></h3>
            <div class="task-list" aria-label="running tasks"></div>
            <pre class="output" tabindex="0"></pre>
            <details class="parity-diff" hidden><summary data-i18n="parity.firstDiff"></summary><pre></pre></details></section>
          <section class="pane source-pane"><h3 data-i18n="demo.source"></h3><div class="source"></div></section>
        </div>
        <section class="pane timeline-pane"><h3 data-i18n="timeline.title"></h3><div class="timeline-root"></div></section>
      </section>`;
    this.$ = (sel) => root.querySelector(sel);
    this.timeline = new Timeline(this.$('.timeline-root'));
    prewarmDigest();
    this.source = readOnlyEditor(this.$('.source'), 'cpp');
    this.renderList();
    this.$('.run').addEventListener('click', () => this.start());
    // Enter in the only field of a form submits it, which reloaded the page
    // (with ?name=value) and lost the parameter: a demo runs on Run or Ctrl+Enter.
    this.$('.demo-params').addEventListener('submit', (e) => e.preventDefault());
    this.$('.cancel').addEventListener('click', () => this.cancel());
    this.$('.export').addEventListener('click', () => this.exportTrace());
    this.$('select[name=speed]').value = '10';
    this.$('select[name=clock]').addEventListener('change', () => this.updateSpeedControl());
    onLangChange(() => {
      this.renderList();
      if (this.current) this.show(this.current.name, { keepOutput: true });
    });
  }

  renderList() {
    const nav = this.$('.demo-list');
    nav.replaceChildren();
    const groups = [...new Set(this.demos.map((d) => d.group))].sort(
      (a, b) => (GROUP_ORDER.indexOf(a) + 1 || 99) - (GROUP_ORDER.indexOf(b) + 1 || 99));
    for (const group of groups) {
      const h = document.createElement('h3');
      h.textContent = groupName(group);
      nav.appendChild(h);
      const ul = document.createElement('ul');
      for (const demo of this.demos.filter((d) => d.group === group)) {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = `#demo/${demo.name}`;
        a.dataset.demo = demo.name;
        a.textContent = demoText(demo).title;
        a.title = demo.name;
        if (this.current?.name === demo.name) a.setAttribute('aria-current', 'page');
        li.appendChild(a);
        ul.appendChild(li);
      }
      nav.appendChild(ul);
    }
  }

  show(name, { keepOutput = false } = {}) {
    const demo = this.byName.get(name) ?? this.demos[0];
    if (this.current?.name !== demo.name) this.cancel();
    this.current = demo;
    for (const a of this.root.querySelectorAll('.demo-list a'))
      a.toggleAttribute('aria-current', a.dataset.demo === demo.name);
    const text = demoText(demo);
    this.root.dataset.demo = demo.name;
    this.$('.demo-title').textContent = text.title;
    this.$('.demo-summary').textContent = text.summary;
    const meta = [`<code>${demo.name}</code>`];
    if (demo.scenario) meta.push(`${t('demo.scenario')}: <code>tests/conformance/py/scenarios/${demo.scenario}.py</code>`);
    if (demo.sourceFile) meta.push(`<code>${demo.sourceFile}</code>`);
    this.$('.demo-meta').innerHTML = meta.join(' · ');
    const note = this.$('.demo-note');
    note.hidden = !(demo.unavailable || demo.style === 'program' || !demo.native);
    note.textContent = demo.unavailable ? t('demo.needsThreads') : demo.style === 'program' ? t('demo.programStyle')
      : !demo.native ? t('demo.browserOnly') : '';
    this.renderParams(demo);
    this.source.setText(demo.source ?? '// (source not found)');
    if (!keepOutput) {
      this.$('.output').textContent = '';
      this.timeline.reset();
      this.setBadge('pending');
      this.$('.export').disabled = true;
      this.$('.run-status').textContent = '';
    }
    this.updateSpeedControl();
  }

  renderParams(demo) {
    const form = this.$('.demo-params');
    form.replaceChildren();
    const legend = document.createElement('h3');
    legend.textContent = t('demo.params');
    form.appendChild(legend);
    if (!demo.params.length) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = t('demo.noParams');
      form.appendChild(p);
      return;
    }
    for (const p of demo.params) {
      const label = document.createElement('label');
      label.title = p.help;
      const span = document.createElement('span');
      span.textContent = p.name;
      const input = document.createElement('input');
      input.name = p.name;
      input.dataset.default = p.default;
      if (p.kind === 'flag') {
        input.type = 'checkbox';
        input.checked = p.default === 'true';
      } else {
        input.type = p.kind === 'text' ? 'text' : 'number';
        if (p.kind === 'integer') input.step = '1';
        if (p.kind === 'number') input.step = 'any';
        input.value = p.default;
        input.required = true;
      }
      label.append(span, input);
      const help = document.createElement('small');
      help.textContent = p.help;
      label.appendChild(help);
      form.appendChild(label);
    }
  }

  params() {
    const out = {};
    let changed = false;
    for (const input of this.$('.demo-params').querySelectorAll('input')) {
      const value = input.type === 'checkbox' ? String(input.checked) : input.value.trim();
      if (value !== input.dataset.default) changed = true;
      out[input.name] = value;
    }
    return { params: out, changed };
  }

  updateSpeedControl() {
    const virtual = this.$('select[name=clock]').value === 'virtual';
    this.$('label.speed').hidden = !virtual;
    this.$('select[name=speed] option[value="0"]').textContent = t('demo.speed.instant');
  }

  setBadge(state, detail) {
    const badge = this.$('.parity-badge');
    badge.dataset.state = state;
    badge.title = t('parity.title');
    badge.textContent = {
      pending: t('parity.pending'), match: `✓ ${t('parity.match')}`, mismatch: `✗ ${t('parity.mismatch')}`,
      na: t('parity.na'), running: '…',
    }[state] ?? state;
    const diff = this.$('.parity-diff');
    diff.hidden = state !== 'mismatch';
    if (state === 'mismatch' && detail) {
      diff.open = true;
      diff.querySelector('pre').textContent =
        `${t(`parity.${detail.what}`)}, line ${detail.diff.line}\n` +
        `${t('parity.native')}:  ${detail.diff.expected}\n${t('parity.browser')}: ${detail.diff.actual}`;
    }
  }

  async start() {
    const demo = this.current;
    if (!demo || this.run) return;
    const { params, changed } = this.params();
    const clock = this.$('select[name=clock]').value;
    const speed = Number(this.$('select[name=speed]').value);
    const out = this.$('.output');
    out.textContent = '';
    out.classList.remove('failed');
    this.timeline.reset();
    this.setBadge(clock === 'virtual' ? 'running' : 'na');
    this.$('.run').disabled = true;
    this.$('.cancel').disabled = false;
    this.$('.export').disabled = true;
    this.$('.run-status').textContent = t('demo.running');
    this.root.dataset.state = 'running';
    const outputLines = [];
    // Only a run the badge compares with the native one is hashed.
    const comparable = clock === 'virtual' && !changed && demo.native && !demo.unavailable;
    const trace = comparable ? new TraceDigest() : null;
    const runId = (this.runId = (this.runId ?? 0) + 1);
    const started = performance.now();
    this.timeline.setLive(true, clock === 'real' ? () => (performance.now() - started) * 1000 : undefined);
    let pending = '';
    let flush = 0;
    const appendOutput = (line) => {
      outputLines.push(line);
      pending += `${line}\n`;
      if (!flush) flush = requestAnimationFrame(() => { flush = 0; out.append(pending); pending = ''; out.scrollTop = out.scrollHeight; });
    };
    this.run = runDemo(this.runtime, demo, {
      params: changed ? params : {},
      clock,
      speed,
      onOutput: appendOutput,
      onError: (line) => appendOutput(line),
      onTraceBytes: trace ? (bytes) => trace.addBytes(bytes) : undefined,
      onTrace: (event) => {
        trace?.note(event.line);
        this.timeline.add(event);  // the JSON Lines record ({t} in µs, kind, id, name, detail)
        if (event.kind.startsWith('task_') && event.kind !== 'task_resumed' && event.kind !== 'task_suspended') this.scheduleTaskList();
      },
    });
    this.scheduleTaskList();
    let result;
    try {
      result = await this.run.done;
    } catch (e) {
      result = { status: 'failed', error: e };
      appendOutput(String(e?.message ?? e));
    }
    this.run = null;
    this.scheduleTaskList();
    if (flush) { cancelAnimationFrame(flush); flush = 0; }
    out.append(pending);
    this.timeline.setLive(false);
    this.$('.run').disabled = false;
    this.$('.cancel').disabled = true;
    this.$('.export').disabled = false;
    this.root.dataset.state = result.status;
    this.$('.run-status').textContent = t(`demo.${result.status}`);
    out.classList.toggle('failed', result.status === 'failed');
    if (!trace || result.status === 'cancelled') {
      trace?.discard();
      this.setBadge('na');
    } else {
      const verdict = await compareWithNative(demo.native, outputLines, trace).catch((e) => {
        console.error(e);
        return null;
      });
      if (this.runId !== runId) return;  // a newer run owns the badge
      if (verdict) this.setBadge(verdict.match ? 'match' : 'mismatch', verdict);
      else this.setBadge('na');
    }
  }

  cancel() {
    this.run?.cancel();
  }

  /**
   * The pending tasks of the run, each with a Cancel button (task.cancel()).
   * Redrawn only when the first 40 pending tasks change: during a run with
   * 100,000 tasks they seldom do, and rebuilding the buttons every frame
   * made the page lay itself out again every frame.
   */
  scheduleTaskList() {
    if (this.taskListFrame) return;
    this.taskListFrame = requestAnimationFrame(() => {
      this.taskListFrame = 0;
      const list = this.$('.task-list');
      const m = this.timeline.model;
      const pending = [];
      if (this.run?.cancelTask) {
        for (const key of m.pending) {
          if (pending.length === 40) break;
          pending.push(key);
        }
      }
      const shown = this.taskListKeys ?? [];
      if (pending.length === shown.length && pending.every((key, i) => key === shown[i]) && list.childElementCount === shown.length) return;
      this.taskListKeys = pending;
      list.replaceChildren(...pending.map((key) => {
        const task = m.tasks.get(key);
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'task-cancel';
        b.dataset.taskName = task.name;
        b.dataset.taskId = task.id;
        b.textContent = `✕ ${task.name}`;
        b.title = `${t('demo.cancel')} ${task.name}`;
        // Tasks the program named have id 0 in the trace: cancelled by name.
        b.addEventListener('click', () => this.run?.cancelTask(task.id || task.name));
        return b;
      }));
    });
  }

  exportTrace() {
    const blob = new Blob([JSON.stringify(this.timeline.model.toChromeTrace())], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `aio-${this.current?.name ?? 'trace'}.trace.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  /** Run the current demo (Ctrl/Cmd+Enter). */
  runShortcut() {
    if (this.run) return;
    this.start();
  }

  get lang() {
    return currentLang();
  }
}
