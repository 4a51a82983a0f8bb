// The playground's Vite config. The npm package (wasm-bindings/, linked by
// the npm workspace) brings aio.mjs + aio.wasm; Vite finds the .wasm through
// the loader's `new URL(..., import.meta.url)`.
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import { playgroundEndpoints } from './server/endpoints.js';

// Cross-origin isolation, so SharedArrayBuffer exists: runtime.loadDemos()
// then also loads the npm package's threads demos module, whose executors
// run on Web Workers (the "threads" demos: run_in_executor, to_thread);
// without these headers those demos are marked "needs threads".
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: import.meta.dirname,
  plugins: [playgroundEndpoints()],
  server: {
    headers: isolation,
    fs: { allow: [searchForWorkspaceRoot(process.cwd())] },
  },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
});
