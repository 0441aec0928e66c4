import { expect, test } from '@playwright/test';
import { guardNetwork } from './support';

const REGIONS = ['Editor', 'Flow', 'Debugger', 'Timeline', 'Console'] as const;
const BUTTONS = ['Run', 'Pause', 'Step', 'Step back', 'Reset'] as const;

test('the shell shows every named region, the controls and the example program', async ({
  page,
}) => {
  const external = await guardNetwork(page);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto('/');

  for (const name of REGIONS) {
    await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
  }
  for (const name of BUTTONS) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }

  const editor = page.getByRole('region', { name: 'Editor', exact: true });
  const monaco = editor.locator('.monaco-editor');
  await expect(monaco).toBeVisible({ timeout: 30_000 });
  await expect(editor.getByRole('status')).toHaveCount(0);
  const lines = monaco.locator('.view-lines');
  await expect(lines).toContainText('vmcall');
  await expect(lines).toContainText('out dx, al');
  await expect(lines).toContainText('hlt');

  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  expect(external, 'requests to non-local hosts').toEqual([]);
});

test('the editor accepts typing', async ({ page }) => {
  const external = await guardNetwork(page);
  await page.goto('/');
  const monaco = page
    .getByRole('region', { name: 'Editor', exact: true })
    .locator('.monaco-editor');
  await expect(monaco).toBeVisible({ timeout: 30_000 });
  await monaco.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('    nop ; typed by the test');
  await expect(monaco.locator('.view-lines')).toContainText('typed by the test');
  expect(external, 'requests to non-local hosts').toEqual([]);
});
