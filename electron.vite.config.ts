// Builds the three Electron targets plus the processor, which runs as its own utilityProcess,
// and the query worker, a thread of main's (electron/core/queries): each its own entry in out/main.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          processor: resolve('electron/processor/main.ts'),
          'query-worker': resolve('electron/core/queries/query-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only electron: bundle what it imports (zod, shared/).
      externalizeDeps: false,
      // A sandboxed preload cannot be an ES module: emit CommonJS (.cjs, as the package is "type": "module").
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
