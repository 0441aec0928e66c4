import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { yieldLoop } from '../fixtures/programs';
import { guardNetwork, openApp, setProgram, runToEnd } from './support';

const PROGRAM = yieldLoop(5);

test('export the trace, statistics and timeline; import a host trace into the timeline', async ({
  page,
}) => {
  const external = await guardNetwork(page);
  const errors = await openApp(page);
  await setProgram(page, PROGRAM);
  await runToEnd(page);
  const tools = page.getByRole('group', { name: 'Export and import' });

  const save = async (name: string): Promise<string> => {
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      tools.getByRole('button', { name }).click(),
    ]);
    const path = await d.path();
    return readFileSync(path, 'utf8');
  };
  const trace = JSON.parse(await save('Trace (JSON)')) as {
    traceEvents: { ph: string; name: string }[];
  };
  expect(trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'VMCALL')).toHaveLength(5);
  const csv = await save('Statistics (CSV)');
  expect(csv.split('\r\n')[0]).toBe('reason,count,samples_pct,time_pct,min,max,avg,total');
  expect(csv).toContain('VMCALL,5,');
  const svg = await save('Timeline (SVG)');
  expect(svg).toContain('6 VM exits');
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    tools.getByRole('button', { name: 'Timeline (PNG)' }).click(),
  ]);
  expect(
    readFileSync(await png.path())
      .subarray(1, 4)
      .toString(),
  ).toBe('PNG');

  // Import a trace-cmd report (Linux 6 format, no plugin): 9 exits on 4 vCPUs.
  await tools
    .getByLabel(/Import a host trace/)
    .setInputFiles('tests/fixtures/trace-cmd-linux6-raw.txt');
  await expect(tools).toContainText('Showing trace-cmd-linux6-raw.txt (trace-cmd): 9 VM exits');
  const canvas = page.getByRole('img', { name: /Timeline of/ });
  await expect(canvas).toHaveAccessibleName('Timeline of 9 VM exits on 4 vCPUs');
  await tools.getByRole('button', { name: 'Back to the run' }).click();
  await expect(canvas).toHaveAccessibleName('Timeline of 6 VM exits on 1 vCPU');
  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});
