// The playground's Vite config. The npm package (wasm-bindings/, linked by
// the npm workspace) brings aio.mjs + aio.wasm; Vite finds the .wasm through
// the loader's `new URL(..., import.meta.url)`.
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import { playgroundEndpoints } from './server/endpoints.js';

// Cross-origin isolation, so SharedArrayBuffer exists: the worker that runs
// blocking demos on the real clock sleeps with Atomics.wait instead of
// spinning.
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
