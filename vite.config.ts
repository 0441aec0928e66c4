/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * One config for the app (Vite) and the unit tests (Vitest).
 *
 * Monaco is bundled from the local `monaco-editor` package and loaded lazily
 * (see src/ui/editor/loadMonaco.ts), so it lands in its own chunk; that chunk
 * is several MB by nature, hence the raised warning limit. Nothing is fetched
 * from a CDN at run time.
 */
export default defineConfig({
  plugins: [react()],
  worker: {
    format: 'es',
  },
  build: {
    target: 'es2022',
    // The lazily loaded Monaco chunk is ~4 MB minified; everything else is small.
    chunkSizeWarningLimit: 6000,
  },
  server: {
    port: 5173,
  },
  preview: {
    port: 4173,
  },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    // Differential and property tests run many programs; give them room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
