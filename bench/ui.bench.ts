/**
 * The page, measured in Chromium (Debian's, as the e2e tests use): a
 * million-hypercall run and its timeline's zoom/pan frame times, Pause
 * latency and long tasks during an endless loop. Builds the app if dist/ is
 * missing and serves it with `vite preview`. Skips with a reason when no
 * Chromium is installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { ENDLESS_LOOP, MILLION, p95, setProgram, status } from '../tests/e2e/support';
import { median, type BenchResult } from './harness';

const PORT = 4174;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function serve(): Promise<ChildProcess> {
  if (!existsSync('dist/index.html'))
    spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'ignore' });
  const server = spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'preview', '--port', String(PORT), '--strictPort'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://localhost:${PORT}/`)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM))
    return [{ name: `ui: skipped (no ${CHROMIUM})`, medianMs: 0, samples: 0 }];
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const results: BenchResult[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://localhost:${PORT}/`);
    await page.locator('[data-ready="true"]').waitFor({ timeout: 60_000 });

    // A million hypercalls, then zoom and pan the timeline.
    await setProgram(page, MILLION);
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await status(page).filter({ hasText: 'The run is over' }).waitFor({ timeout: 300_000 });
    const runMs = Date.now() - t0;
    results.push({
      name: 'page: 1,000,001 exits run to the end (Worker, every phase recorded)',
      medianMs: runMs,
      samples: 1,
      throughput: { value: 1_000_000 / (runMs / 1000), unit: 'hypercalls/s' },
    });
    const canvas = page.getByRole('img', { name: /Timeline of/ });
    const box = (await canvas.boundingBox())!;
    await page.evaluate(() => {
      window.__timelineFrameTimes = [];
    });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // Passed as text: tsx would wrap named functions with a helper the page lacks.
    const rafDuring = page.evaluate(`new Promise((resolve) => {
      const deltas = [];
      let on = true;
      let last = performance.now();
      const tick = (now) => {
        deltas.push(now - last);
        last = now;
        if (on) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      setTimeout(() => { on = false; resolve(deltas.slice(1)); }, 2500);
    })`) as Promise<number[]>;
    for (let i = 0; i < 15; i++) {
      await page.mouse.wheel(0, i < 10 ? -240 : 240);
      await page.waitForTimeout(25);
    }
    await page.mouse.down();
    for (let i = 0; i < 25; i++)
      await page.mouse.move(box.x + box.width / 2 - i * 12, box.y + box.height / 2);
    await page.mouse.up();
    const intervals = await rafDuring;
    const draws = await page.evaluate(() => window.__timelineFrameTimes ?? []);
    results.push({
      name: `timeline zoom/pan over 1M exits: draw time p95 (${draws.length} redraws)`,
      medianMs: p95(draws),
      samples: draws.length,
    });
    results.push({
      name: `timeline zoom/pan: requestAnimationFrame interval p95 (${intervals.length} frames)`,
      medianMs: p95(intervals),
      samples: intervals.length,
    });

    // Pause latency and long tasks during an endless loop.
    await setProgram(page, ENDLESS_LOOP);
    const latencies: number[] = [];
    let longTasks = 0;
    for (let k = 0; k < 5; k++) {
      await page.evaluate(() => {
        const w = window as unknown as { __lt: number[] };
        w.__lt = [];
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__lt.push(e.duration);
        }).observe({ type: 'longtask' });
      });
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForTimeout(1500);
      const ms = (await page.evaluate(`new Promise((resolve) => {
        const status = document.querySelector('.status-bar [role="status"]');
        const t = performance.now();
        const obs = new MutationObserver(() => {
          if (status.textContent.includes('Paused')) {
            obs.disconnect();
            resolve(performance.now() - t);
          }
        });
        obs.observe(status, { childList: true, characterData: true, subtree: true });
        document.querySelector('button[aria-keyshortcuts="F6"]').click();
      })`)) as number;
      latencies.push(ms);
      longTasks += await page.evaluate(
        () => (window as unknown as { __lt: number[] }).__lt.filter((d) => d > 50).length,
      );
    }
    results.push({
      name: 'Pause → "Paused" shown (endless loop running)',
      medianMs: median(latencies),
      samples: latencies.length,
    });
    results.push({
      name: `long tasks > 50 ms during 5 × 1.5 s of Run: ${longTasks}`,
      medianMs: 0,
      samples: 5,
    });
  } finally {
    await browser.close();
    server.kill();
  }
  return results;
}
