/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * One config for the app (Vite) and the unit tests (Vitest).
 *
 * Monaco is bundled from the local `monaco-editor` package and loaded lazily
 * (see src/ui/editor/loadMonaco.ts), so it lands in its own chunk; that chunk
 * is several MB by nature, hence the raised warning limit. Nothing is fetched
 * from a CDN at run time.
 */

/**
 * The Content-Security-Policy of the built page: only our own scripts
 * (no inline script, no eval), workers from our origin (Monaco's editor
 * worker and the session worker; blob: for bundlers that inline one),
 * inline styles (Monaco injects <style> elements and style attributes),
 * images and fonts from our origin or data: URLs (Monaco's codicons),
 * no plugins, no <base>, and network access to our origin only.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/** As a response header it can also forbid framing (a <meta> cannot). */
const CSP_HEADER = `${CSP}; frame-ancestors 'none'`;

/**
 * `vite preview` sends the policy with documents only. A dedicated worker
 * takes its policy from its own script's response, and the session worker
 * must be free to use `new Function`: its block JIT compiles guest code
 * from numbers and fixed templates only (src/core/cpu/jit/codegen.ts), never
 * from user text. Under `script-src 'self'` it would fall back to the
 * interpreter, ~10× slower. The page itself never evaluates code.
 */
function previewPolicy(): Plugin {
  return {
    name: 'hypercall-lab:preview-csp',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '/').split('?')[0];
        if (!/\.(js|mjs|css|svg|png|ttf|woff2?|webmanifest|json|map)$/.test(path))
          res.setHeader('Content-Security-Policy', CSP_HEADER);
        next();
      });
    },
  };
}

/**
 * Adds the CSP as a <meta http-equiv> to the built index.html only: the dev
 * server's client and React Refresh run inline scripts the policy forbids.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'hypercall-lab:csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  plugins: [
    react(),
    contentSecurityPolicy(),
    previewPolicy(),
    // Offline after one visit: the service worker precaches the whole build,
    // Monaco and both workers included, and serves it without a network.
    VitePWA({
      registerType: 'autoUpdate',
      // A script file, not an inline script (the CSP forbids those).
      injectRegister: 'script-defer',
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Hypercall Lab',
        short_name: 'Hypercall Lab',
        description:
          'Write x86-64 guest assembly, run it on an emulated vCPU inside a model of Linux KVM, and watch every VM exit.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#16181d',
        background_color: '#16181d',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ttf,woff,woff2,webmanifest}'],
        // Monaco's chunk is ~4 MB; the default limit (2 MiB) would leave it out.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // autoUpdate: a new build's worker takes over at once (the page loads
        // Monaco and both workers at start, so no old lazy chunk is left to fetch).
        skipWaiting: true,
        clientsClaim: true,
      },
    }),
  ],
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
