import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { yieldLoop } from '../fixtures/programs';
import { button, flow, guardNetwork, openApp, setProgram, runToEnd } from './support';

const PROGRAM = yieldLoop(20, "    mov dx, 0x3f8\n    mov al, 'K'\n    out dx, al\n    hlt\n");

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

test('axe-core finds no serious or critical violations on the main states', async ({ page }) => {
  const external = await guardNetwork(page);
  await openApp(page);
  expect(await seriousViolations(page), 'initial state').toEqual([]);

  await setProgram(page, PROGRAM);
  for (let i = 0; i < 5; i++) await button(page, 'Step phase').click();
  await expect(flow(page)).toContainText('kvm_emulate_hypercall');
  expect(await seriousViolations(page), 'inside a hypercall').toEqual([]);

  await runToEnd(page);
  expect(await seriousViolations(page), 'after a run, with the timeline').toEqual([]);
  expect(external).toEqual([]);
});
