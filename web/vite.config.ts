/** Builds the dashboard SPA into web/dist; the engine serves it at /dashboard/ (src/http/dashboard.ts). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small app: keep the output to a handful of files.
    chunkSizeWarningLimit: 400,
  },
  logLevel: 'warn',
});
