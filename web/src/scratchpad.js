// The scratchpad: JavaScript against the npm package, edited in CodeMirror,
// run on the page's event loop with the same timeline as the demos. The code
// lives in the URL (#scratch/<compressed>) so a link reproduces it. It runs
// only code the user typed or opened a link to, and only on Run.
import * as acorn from 'acorn';
import * as aioModule from 'aio-asyncio';
import { codeEditor } from './editor.js';
import { currentLang, onLangChange, t } from './i18n.js';
import { examples } from './scratch-examples.js';
import { Timeline } from './timeline.js';

const AsyncFunction = (async () => {}).constructor;
// `new AsyncFunction(params, body)` puts the body two lines below the
// function header V8 reports in stack traces.
const BODY_LINE_OFFSET = 2;

async function encode(code) {
  const stream = new Blob([code]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function decode(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

/** Where in the user's code a runtime error was thrown, from its stack. */
function errorLine(error) {
  const m = String(error?.stack ?? '').match(/<anonymous>:(\d+):(\d+)/);
  return m ? { line: Number(m[1]) - BODY_LINE_OFFSET, column: Number(m[2]) } : null;
}

export class Scratchpad {
  constructor(root, { runtime }) {
    this.root = root;
    this.runtime = runtime;
    this.running = null;
    root.innerHTML = `
      <section class="scratch-head">
        <h2 data-i18n="scratch.title"></h2>
        <p class="muted" data-i18n="scratch.intro"></p>
        <div class="demo-buttons">
          <label><span data-i18n="scratch.examples"></span> <select class="examples"></select></label>
          <button type="button" class="run primary" data-i18n="scratch.run"></button>
          <button type="button" class="cancel" data-i18n="scratch.cancel" disabled></button>
          <button type="button" class="share" data-i18n="scratch.share"></button>
          <span class="run-status" role="status"></span>
          <span class="shortcut" data-i18n="demo.shortcut"></span>
        </div>
      </section>
      <div class="demo-panes">
        <section class="pane editor-pane"><div class="editor"></div></section>
        <section class="pane output-pane"><h3 data-i18n="demo.output"></h3><pre class="output" tabindex="0"></pre></section>
      </div>
      <section class="pane timeline-pane"><h3 data-i18n="timeline.title"></h3><div class="timeline-root"></div></section>`;
    this.$ = (sel) => root.querySelector(sel);
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    this.editor = codeEditor(this.$('.editor'), {
      doc: examples[0].code,
      onRun: () => this.runShortcut(),
      onChange: () => this.saveSoon(),
    });
    this.timeline = new Timeline(this.$('.timeline-root'));
    this.renderExamples();
    onLangChange(() => this.renderExamples());
    this.$('.examples').addEventListener('change', (e) => {
      const ex = examples.find((x) => x.id === e.target.value);
      if (ex) this.editor.setText(ex.code);
    });
    this.$('.run').addEventListener('click', () => this.run());
    this.$('.cancel').addEventListener('click', () => this.cancel());
    this.$('.share').addEventListener('click', async () => {
      await this.save();
      await navigator.clipboard?.writeText(location.href).catch(() => {});
      this.$('.run-status').textContent = t('scratch.copied');
    });
  }

  renderExamples() {
    const select = this.$('.examples');
    const value = select.value;
    select.replaceChildren(...examples.map((ex) => new Option(ex.title[currentLang()] ?? ex.title.en, ex.id)));
    if (value) select.value = value;
  }

  /** Show the scratchpad; `arg` is the compressed code from the URL, if any. */
  async show(arg) {
    if (!arg || arg === this.loadedArg) return;
    this.loadedArg = arg;
    try {
      this.editor.setText(await decode(arg));
    } catch {
      this.print(`${t('scratch.error')}: the link's code could not be decoded`, 'error');
    }
  }

  saveSoon() {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), 400);
  }

  async save() {
    const arg = await encode(this.editor.getText());
    this.loadedArg = arg;
    history.replaceState(null, '', `#scratch/${arg}`);
  }

  print(text, kind = '') {
    const line = document.createElement('span');
    line.className = `line ${kind}`;
    line.textContent = `${text}\n`;
    const out = this.$('.output');
    out.appendChild(line);
    out.scrollTop = out.scrollHeight;
  }

  async run() {
    if (this.running) return;
    const code = this.editor.getText();
    this.$('.output').textContent = '';
    this.timeline.reset();
    try {
      acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true });
    } catch (e) {
      const where = e.loc ? ` (line ${e.loc.line}, column ${e.loc.column + 1})` : '';
      this.print(`${t('scratch.syntaxError')}${where}: ${e.message.replace(/ \(\d+:\d+\)$/, '')}`, 'error');
      this.root.dataset.state = 'syntax-error';
      return;
    }
    const rt = this.runtime;
    const print = (...args) => this.print(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' '));
    const started = performance.now();
    const timeline = this.timeline;
    const loops = new Set();
    this.loops = loops;
    // aio.run as the package's run (asyncio.run: a fresh loop, the tasks left
    // cancelled at the end), with the loop traced into the timeline and known
    // to Cancel.
    // The timeline starts at 0 when the loop does: loop.time() on the real
    // clock has an arbitrary origin (the page's performance.now()).
    async function run(main, { clock = 'real', debug = false } = {}) {
      const loop = new rt.EventLoop({ clock, debug });
      const origin = loop.time();
      loop.setTracer((ev) => timeline.add({ t: Math.round((ev.time - origin) * 1e6), kind: ev.kind, id: ev.id, name: ev.name, detail: ev.detail }));
      loops.add(loop);
      try {
        return await loop.runUntilComplete(loop.createTask(main, { name: 'main' }));
      } finally {
        const left = rt.allTasks(loop);
        for (const task of left) task.cancel();
        if (left.length) await loop.runUntilComplete(rt.gather(...left, { returnExceptions: true })).catch(() => {});
        loops.delete(loop);
        loop.setTracer(null);
        loop.close();
      }
    }
    const aio = { ...aioModule, ...rt, run };
    this.timeline.setLive(true, () => (performance.now() - started) * 1000);
    this.setRunning(true);
    // Debug mode's reports (console.warn) go to the output too, while the
    // program runs.
    const warn = console.warn;
    console.warn = (...args) => {
      warn(...args);
      this.print(args.join(' '), 'warn');
    };
    try {
      const fn = new AsyncFunction('aio', 'print', code);
      this.running = fn(aio, print);
      await this.running;
      this.root.dataset.state = 'finished';
      this.$('.run-status').textContent = t('demo.finished');
    } catch (e) {
      const at = errorLine(e);
      const cancelled = e instanceof aioModule.CancelledError;
      this.print(`${cancelled ? '' : `${t('scratch.error')}${at ? ` (line ${at.line})` : ''}: `}${e?.name ?? 'Error'}: ${e?.message ?? e}`, cancelled ? 'cancelled' : 'error');
      this.root.dataset.state = cancelled ? 'cancelled' : 'failed';
      this.$('.run-status').textContent = t(cancelled ? 'demo.cancelled' : 'demo.failed');
    } finally {
      console.warn = warn;
      this.running = null;
      this.timeline.setLive(false);
      this.setRunning(false);
    }
  }

  setRunning(on) {
    this.$('.run').disabled = on;
    this.$('.cancel').disabled = !on;
    if (on) {
      this.root.dataset.state = 'running';
      this.$('.run-status').textContent = t('demo.running');
    }
  }

  /** Cancel every task of the program: CancelledError reaches each generator's yield. */
  cancel() {
    if (!this.running) return;
    for (const loop of this.loops ?? []) for (const task of this.runtime.allTasks(loop)) task.cancel('cancelled from the scratchpad');
  }

  runShortcut() {
    this.run();
  }
}
