// CodeMirror 6 editors: a read-only one for the demos' C++ source, an
// editable one for the scratchpad's JavaScript. The theme follows the page's
// light/dark setting.
import { basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { cpp } from '@codemirror/lang-cpp';
import { javascript } from '@codemirror/lang-javascript';
import { oneDark } from '@codemirror/theme-one-dark';

const editors = new Set();
const themeFor = (dark) => (dark ? oneDark : []);
let dark = false;

/** Switch every editor's theme (called when the page's theme changes). */
export function setEditorsDark(isDark) {
  dark = isDark;
  for (const { view, theme } of editors) view.dispatch({ effects: theme.reconfigure(themeFor(dark)) });
}

function make(parent, { lang, readOnly, doc = '', onRun, onChange }) {
  const theme = new Compartment();
  const extensions = [
    basicSetup,
    lang === 'cpp' ? cpp() : javascript(),
    theme.of(themeFor(dark)),
    EditorView.lineWrapping,
  ];
  if (readOnly) extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
  if (onRun) extensions.unshift(keymap.of([{ key: 'Mod-Enter', run: () => { onRun(); return true; } }]));
  if (onChange) extensions.push(EditorView.updateListener.of((u) => { if (u.docChanged) onChange(u.state.doc.toString()); }));
  const view = new EditorView({ doc, extensions, parent });
  const entry = { view, theme };
  editors.add(entry);
  return {
    view,
    getText: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
  };
}

export const readOnlyEditor = (parent, lang) => make(parent, { lang, readOnly: true });
export const codeEditor = (parent, options) => make(parent, { lang: 'js', readOnly: false, ...options });
