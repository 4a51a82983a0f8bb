// The playground's entry: loads the WebAssembly runtime (with a loading
// indicator and an error banner if it fails), then shows the demo gallery
// or the scratchpad according to the URL (#demo/NAME, #scratch/CODE).
import { createRuntime } from 'aio-asyncio';
import demoData from '../generated/demos.json';
import { Gallery } from './gallery.js';
import { Scratchpad } from './scratchpad.js';
import { applyTranslations, currentLang, setLang, t } from './i18n.js';
import { setEditorsDark } from './editor.js';

// Tests and curious users can watch unhandled errors in the console.
const problems = [];
globalThis.__aioProblems = problems;
addEventListener('unhandledrejection', (e) => problems.push(String(e.reason?.stack ?? e.reason)));
addEventListener('error', (e) => problems.push(String(e.error?.stack ?? e.message)));

function initTheme() {
  const saved = localStorage.getItem('aio.theme');
  const dark = saved ? saved === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  const apply = (isDark) => {
    document.documentElement.dataset.theme = isDark ? 'dark' : 'light';
    setEditorsDark(isDark);
  };
  apply(dark);
  document.getElementById('theme-toggle').addEventListener('click', () => {
    const next = document.documentElement.dataset.theme !== 'dark';
    localStorage.setItem('aio.theme', next ? 'dark' : 'light');
    apply(next);
  });
}

function showBanner(message) {
  const banner = document.getElementById('banner');
  banner.hidden = false;
  banner.textContent = message;
}

/**
 * The demos the page's wasm module has, in its order, with what the build
 * bundled about them (C++ source; native output and trace for the parity
 * badge), then the native build's demos this module cannot run (threads),
 * which the page lists with the reason.
 */
function mergeDemos(wasmDemos, data) {
  const native = new Map(data.demos.map((d) => [d.name, d]));
  const merged = wasmDemos.map((d) => {
    const n = native.get(d.name);
    const src = data.sources[d.name];
    return {
      ...d,
      style: n?.style ?? 'main',
      source: src?.code ?? null,
      sourceFile: src?.file ?? null,
      native: n?.native ?? null,
    };
  });
  const have = new Set(wasmDemos.map((d) => d.name));
  for (const n of data.demos) if (!have.has(n.name)) merged.push({ ...n, unavailable: true });
  return merged;
}

async function main() {
  document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';
  applyTranslations(document);
  initTheme();
  document.getElementById('lang-toggle').addEventListener('click', () => setLang(currentLang() === 'en' ? 'zh' : 'en'));

  let runtime;
  try {
    runtime = await createRuntime({ demos: true });
  } catch (e) {
    document.getElementById('loading').hidden = true;
    showBanner(`${t('load.failed')}: ${e?.message ?? e}`);
    document.body.dataset.ready = 'failed';
    return;
  }
  document.getElementById('loading').hidden = true;

  const demos = mergeDemos(runtime.demos.list(), demoData);
  const gallery = new Gallery(document.getElementById('demos'), { runtime, demos });
  const scratch = new Scratchpad(document.getElementById('scratch'), { runtime });
  applyTranslations(document);  // the labels of what the gallery and scratchpad just built

  const route = () => {
    const hash = decodeURIComponent(location.hash.slice(1));
    const [tab, ...rest] = hash.split('/');
    const arg = rest.join('/');
    const isScratch = tab === 'scratch';
    document.getElementById('demos').hidden = isScratch;
    document.getElementById('scratch').hidden = !isScratch;
    for (const a of document.querySelectorAll('.tabs a')) a.toggleAttribute('aria-current', a.dataset.tab === (isScratch ? 'scratch' : 'demos'));
    if (isScratch) scratch.show(arg);
    else gallery.show(arg || demos[0].name);
  };
  addEventListener('hashchange', route);
  route();

  addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (!document.getElementById('scratch').hidden) scratch.runShortcut();
      else gallery.runShortcut();
    }
  });
  document.body.dataset.ready = 'true';
}

main();
