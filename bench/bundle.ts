/**
 * Bundle a bench module the way the product ships its core: one ES module
 * built by a bundler, imports resolved at build time. Run through tsx
 * instead, Node loads every source file as a CommonJS module whose imports
 * are property getters (`FLAG.CF` in a hot loop becomes a function call):
 * measured that way the hypervisor model ran at about half the speed of
 * the same code bundled (0.5 M vs 1.2 M hypercall round trips/s), which
 * would measure the loader, not the model.
 *
 * esbuild (the compiler tsx itself uses, so the TypeScript semantics are the
 * same) with npm packages left external; the output lands in
 * node_modules/.cache/hypercall-lab/bench/.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Bundles `entry` (a path) and returns the path of the ES module written. */
export async function bundleBench(entry: string, repo: string): Promise<string> {
  const outDir = join(repo, 'node_modules/.cache/hypercall-lab/bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}
