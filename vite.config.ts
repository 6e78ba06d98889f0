import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The renderer: both shells load dist/renderer/index.html, the web shell over http://127.0.0.1
// and Electron from disk, so every URL in the build is relative (base './').
export default defineConfig({
  root: here('./src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Source maps stay out of the shipped bundle; the app loads nothing it does not need.
    sourcemap: false,
    // PARLEY_RENDERER_UNMINIFIED=1 (profiling, e.g. `bench:app --profile`): names a profile can show.
    minify: process.env.PARLEY_RENDERER_UNMINIFIED !== '1',
    // No inlined data: URLs, so the CSP can stay 'self' for images and fonts.
    assetsInlineLimit: 0,
    // A desktop app loads its bundle from disk or 127.0.0.1: big chunks are fine. There are two:
    // the first screens, and the signed-in app (app/SignedInAppLoader.tsx), fetched after them.
    chunkSizeWarningLimit: 1_000,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; it drops them, nothing to act on.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
