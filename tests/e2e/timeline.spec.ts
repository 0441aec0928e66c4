import { expect, test } from '@playwright/test';
import { guardNetwork, MILLION, openApp, p95, setProgram, status, runToEnd } from './support';

test('a million hypercalls: the timeline shows them, zooms, pans, and a click seeks', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const external = await guardNetwork(page);
  const errors = await openApp(page);
  await setProgram(page, MILLION);
  const started = Date.now();
  await runToEnd(page, 200_000);
  const runMs = Date.now() - started;

  const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
  const canvas = timeline.getByRole('img', { name: /Timeline of/ });
  await expect(canvas).toHaveAccessibleName(/1,?000,?001 VM exits/);

  // Zoom with the wheel and pan by dragging, timing frames with requestAnimationFrame.
  await page.evaluate(() => {
    window.__timelineFrameTimes = [];
    const w = window as unknown as { __raf: number[]; __rafOn: boolean };
    w.__raf = [];
    w.__rafOn = true;
    let last = performance.now();
    const tick = (now: number): void => {
      w.__raf.push(now - last);
      last = now;
      if (w.__rafOn) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const box = (await canvas.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, -240);
    await page.waitForTimeout(30);
  }
  await page.mouse.down();
  for (let i = 0; i < 20; i++) await page.mouse.move(cx - i * 15, cy, { steps: 2 });
  await page.mouse.up();
  for (let i = 0; i < 6; i++) {
    await page.mouse.wheel(0, 240);
    await page.waitForTimeout(30);
  }
  const { raf, draws } = await page.evaluate(() => {
    const w = window as unknown as { __raf: number[]; __rafOn: boolean };
    w.__rafOn = false;
    return { raf: w.__raf.slice(1), draws: window.__timelineFrameTimes ?? [] };
  });
  console.log(
    `1M hypercalls: run to the end in ${runMs} ms (page clock); zoom/pan: ${draws.length} redraws, draw p95 ${p95(draws).toFixed(1)} ms, rAF interval p95 ${p95(raf).toFixed(1)} ms over ${raf.length} frames`,
  );
  expect(draws.length).toBeGreaterThan(5);

  // Click a mark on the vCPU 0 lane: the page seeks to that exit.
  const lane = (await timeline.getByText('vCPU 0', { exact: true }).boundingBox())!;
  await page.mouse.click(cx, lane.y + lane.height / 2);
  await expect(status(page)).toContainText('Moved to the chosen exit');
  const debuggerPane = page.getByRole('region', { name: 'Debugger', exact: true });
  await expect(debuggerPane).toContainText('VMCALL (18)');
  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});
