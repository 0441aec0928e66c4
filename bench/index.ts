/**
 * `npm run bench [filter]`: bundles every `bench/*.bench.ts` (bench/bundle.ts
 * says why), imports the bundle, calls its exported `run()` and prints the
 * results. Exits 1 if a bench module is malformed or throws.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleBench } from './bundle';
import { formatResult, type BenchResult } from './harness';

interface BenchModule {
  run?: () => BenchResult[] | Promise<BenchResult[]>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter === undefined || f.includes(filter))
  .sort();

if (modules.length === 0) {
  console.log('no benches registered');
} else {
  let failed = false;
  for (const file of modules) {
    console.log(`# ${file}`);
    try {
      const bundled = await bundleBench(join(here, file), dirname(here));
      const mod = (await import(pathToFileURL(bundled).href)) as BenchModule;
      if (typeof mod.run !== 'function') throw new Error('exports no run() function');
      for (const result of await mod.run()) console.log(formatResult(result));
    } catch (error) {
      failed = true;
      console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failed) process.exitCode = 1;
}
