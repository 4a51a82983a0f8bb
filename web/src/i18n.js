// The interface in English and in Chinese (the language of the tutorials the
// demos come from). Strings are looked up by key; elements carrying
// data-i18n="key" are filled in by applyTranslations(). The demos' own
// titles and explanations in Chinese are in demo-text-zh.js.
import { demoTextZh, groupNamesZh } from './demo-text-zh.js';

const strings = {
  en: {
    'app.title': 'aio playground',
    'app.tagline': "Python's asyncio, rebuilt in C++20, running on this page's event loop",
    'nav.demos': 'Demos',
    'nav.scratchpad': 'Scratchpad',
    'loading': 'Loading the WebAssembly runtime…',
    'load.failed': 'The WebAssembly runtime failed to load',
    'theme.toggle': 'Toggle dark mode',
    'lang.toggle': '中文',
    'demo.source': 'C++ source',
    'demo.output': 'Output',
    'demo.params': 'Parameters',
    'demo.noParams': 'This demo takes no parameters.',
    'demo.run': 'Run',
    'demo.cancel': 'Cancel',
    'demo.clock': 'Clock',
    'demo.clock.virtual': 'virtual',
    'demo.clock.real': 'real',
    'demo.speed': 'Speed',
    'demo.speed.instant': 'instant',
    'demo.running': 'running…',
    'demo.finished': 'finished',
    'demo.failed': 'failed',
    'demo.cancelled': 'cancelled',
    'demo.exportTrace': 'Export trace (Chrome/Perfetto)',
    'demo.scenario': 'CPython twin',
    'demo.shortcut': 'Ctrl/⌘+Enter runs',
    'demo.needsThreads': 'Needs threads: run_in_executor runs on Web Workers, which need a cross-origin isolated page (served with the COOP and COEP headers); this one is not, so the demo cannot run here (the native CLI runs it).',
    'demo.programStyle': 'This demo drives its loop itself (loop.run_until_complete), which cannot hand control back to the page mid-call: on the real clock it runs on the virtual clock and its output is played back in real time.',
    'demo.browserOnly': 'Browser I/O against this page\'s own server: it has no native twin, so there is no parity badge.',
    'parity.title': 'Parity with the native build',
    'parity.match': 'matches native',
    'parity.mismatch': 'differs from native',
    'parity.pending': 'run on the virtual clock to compare',
    'parity.na': 'no comparison on the real clock',
    'parity.firstDiff': 'First difference',
    'parity.output': 'output',
    'parity.trace': 'trace',
    'parity.native': 'native',
    'parity.browser': 'browser',
    'timeline.title': 'Timeline',
    'timeline.fit': 'Fit',
    'timeline.zoomIn': 'Zoom in',
    'timeline.zoomOut': 'Zoom out',
    'timeline.empty': 'Run the demo to see its tasks, timers and callbacks here.',
    'timeline.loop': 'event loop',
    'timeline.moreLanes': '{n} more tasks not drawn',
    'timeline.legend.run': 'running',
    'timeline.legend.wait': 'waiting',
    'timeline.legend.waitOn': 'waiting on:',
    'timeline.wait.timer': 'sleep',
    'timeline.wait.future': 'future',
    'timeline.wait.lock': 'lock',
    'timeline.wait.queue': 'queue',
    'timeline.wait.event': 'event',
    'timeline.wait.fetch': 'fetch',
    'timeline.wait.socket': 'socket',
    'timeline.wait.yield': 'yield',
    'timeline.legend.done': 'done',
    'timeline.legend.failed': 'failed',
    'timeline.legend.cancelled': 'cancelled',
    'timeline.legend.timer': 'timer',
    'timeline.legend.callback': 'callback',
    'timeline.hint': 'Wheel to zoom, drag to pan, hover for details.',
    'scratch.title': 'Scratchpad: the npm API',
    'scratch.examples': 'Examples',
    'scratch.run': 'Run',
    'scratch.cancel': 'Cancel',
    'scratch.share': 'Copy link',
    'scratch.copied': 'Link copied',
    'scratch.intro': 'Generator functions are coroutines: `yield` awaits a future, a task or a Promise. The code runs only when you press Run.',
    'scratch.syntaxError': 'Syntax error',
    'scratch.error': 'Error',
    'group.basics': 'Basics',
    'group.combinators': 'Combinators',
    'group.cancellation': 'Cancellation and timeouts',
    'group.synchronisation': 'Synchronisation',
    'group.queues': 'Queues',
    'group.threads': 'Threads',
    'group.io': 'Browser I/O',
  },
  zh: {
    'app.title': 'aio 演练场',
    'app.tagline': '用 C++20 重写的 Python asyncio，运行在本页面的事件循环上',
    'nav.demos': '示例',
    'nav.scratchpad': '草稿板',
    'loading': '正在加载 WebAssembly 运行时…',
    'load.failed': 'WebAssembly 运行时加载失败',
    'theme.toggle': '切换深色模式',
    'lang.toggle': 'English',
    'demo.source': 'C++ 源码',
    'demo.output': '输出',
    'demo.params': '参数',
    'demo.noParams': '这个示例没有参数。',
    'demo.run': '运行',
    'demo.cancel': '取消',
    'demo.clock': '时钟',
    'demo.clock.virtual': '虚拟',
    'demo.clock.real': '真实',
    'demo.speed': '速度',
    'demo.speed.instant': '瞬间',
    'demo.running': '运行中…',
    'demo.finished': '已完成',
    'demo.failed': '失败',
    'demo.cancelled': '已取消',
    'demo.exportTrace': '导出跟踪（Chrome/Perfetto）',
    'demo.scenario': '对应的 CPython 程序',
    'demo.shortcut': 'Ctrl/⌘+Enter 运行',
    'demo.needsThreads': '需要线程：run_in_executor 在 Web Worker 上运行，这要求页面跨源隔离（以 COOP 和 COEP 响应头提供）；本页面不是，因此示例无法在这里运行（原生命令行可以运行它）。',
    'demo.programStyle': '这个示例自己驱动事件循环（loop.run_until_complete），调用过程中无法把控制权交还给页面：使用真实时钟时它先在虚拟时钟上运行，再按真实时间回放输出。',
    'demo.browserOnly': '针对本页面自身服务器的浏览器 I/O：它没有原生版本，因此没有一致性标记。',
    'parity.title': '与原生构建一致',
    'parity.match': '与原生一致',
    'parity.mismatch': '与原生不同',
    'parity.pending': '用虚拟时钟运行后比较',
    'parity.na': '真实时钟下不比较',
    'parity.firstDiff': '第一处不同',
    'parity.output': '输出',
    'parity.trace': '跟踪',
    'parity.native': '原生',
    'parity.browser': '浏览器',
    'timeline.title': '时间线',
    'timeline.fit': '适应',
    'timeline.zoomIn': '放大',
    'timeline.zoomOut': '缩小',
    'timeline.empty': '运行示例后，这里会显示它的任务、定时器和回调。',
    'timeline.loop': '事件循环',
    'timeline.moreLanes': '还有 {n} 个任务未绘制',
    'timeline.legend.run': '运行',
    'timeline.legend.wait': '等待',
    'timeline.legend.waitOn': '等待：',
    'timeline.wait.timer': '睡眠',
    'timeline.wait.future': 'future',
    'timeline.wait.lock': '锁',
    'timeline.wait.queue': '队列',
    'timeline.wait.event': '事件',
    'timeline.wait.fetch': 'fetch',
    'timeline.wait.socket': '套接字',
    'timeline.wait.yield': '让出',
    'timeline.legend.done': '完成',
    'timeline.legend.failed': '失败',
    'timeline.legend.cancelled': '取消',
    'timeline.legend.timer': '定时器',
    'timeline.legend.callback': '回调',
    'timeline.hint': '滚轮缩放，拖动平移，悬停查看详情。',
    'scratch.title': '草稿板：npm API',
    'scratch.examples': '示例',
    'scratch.run': '运行',
    'scratch.cancel': '取消',
    'scratch.share': '复制链接',
    'scratch.copied': '链接已复制',
    'scratch.intro': '生成器函数就是协程：`yield` 等待一个 future、task 或 Promise。代码只在你点击“运行”时执行。',
    'scratch.syntaxError': '语法错误',
    'scratch.error': '错误',
    'group.basics': '基础',
    'group.combinators': '组合器',
    'group.cancellation': '取消与超时',
    'group.synchronisation': '同步原语',
    'group.queues': '队列',
    'group.threads': '线程',
    'group.io': '浏览器 I/O',
  },
};

const listeners = new Set();
let lang = (() => {
  const saved = globalThis.localStorage?.getItem('aio.lang');
  if (saved === 'en' || saved === 'zh') return saved;
  return (globalThis.navigator?.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
})();

export function currentLang() {
  return lang;
}

export function setLang(next) {
  if (next !== 'en' && next !== 'zh') throw new Error(`unknown language '${next}': use 'en' or 'zh'`);
  lang = next;
  globalThis.localStorage?.setItem('aio.lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  applyTranslations(document);
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The string for `key` in the current language, with {name} placeholders filled. */
export function t(key, vars = {}) {
  const s = strings[lang][key] ?? strings.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

export function applyTranslations(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

/** A demo's title and explanation in the current language (English from the C++ registry). */
export function demoText(demo) {
  if (lang === 'zh' && demoTextZh[demo.name]) return demoTextZh[demo.name];
  return { title: demo.title, summary: demo.summary };
}

export function groupName(group) {
  if (lang === 'zh' && groupNamesZh[group]) return groupNamesZh[group];
  return t(`group.${group}`);
}
