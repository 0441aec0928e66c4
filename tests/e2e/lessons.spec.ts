import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { LESSONS } from '../../src/lessons/index';
import { button, guardNetwork, openApp, status } from './support';

test('all ten lessons, in order: open, load, run, answer every question', async ({ page }) => {
  test.setTimeout(180_000);
  const external = await guardNetwork(page);
  const errors = await openApp(page);
  const picker = page.getByRole('combobox', { name: 'Lesson', exact: true });
  const pane = page.getByRole('region', { name: 'Lesson', exact: true });
  for (const lesson of LESSONS) {
    await picker.selectOption(lesson.slug);
    await expect(pane).toContainText(`Lesson ${lesson.id}: ${lesson.title}`);
    // The lesson's program is in the editor and runs to its end.
    await expect
      .poll(() => page.evaluate(() => window.__hypercallEditor!.getValue()))
      .toBe(lesson.program);
    await button(page, 'Run').click();
    await expect(status(page)).toContainText(/The run is over|Stopped|Paused/, { timeout: 30_000 });
    // Every question, answered with the lesson's stated answer, checked against the run.
    for (const [i, q] of lesson.questions.entries()) {
      const fieldset = pane.locator('.lsn-question').nth(i);
      await fieldset.locator(`input[type="radio"][value="${q.answer}"]`).check();
      await pane.getByRole('button', { name: `Check question ${i + 1}`, exact: true }).click();
      await expect(fieldset.locator('.lsn-result')).toContainText('Correct.', { timeout: 30_000 });
    }
    if (lesson.variants?.length) {
      await expect(pane.locator('.lsn-variants')).toContainText(lesson.variants[0].label);
    }
  }
  const a11y = await new AxeBuilder({ page }).analyze();
  expect(
    a11y.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});

test('a wrong answer is told the run’s answer', async ({ page }) => {
  await openApp(page);
  const lesson = LESSONS[0];
  await page.getByRole('combobox', { name: 'Lesson', exact: true }).selectOption(lesson.slug);
  const pane = page.getByRole('region', { name: 'Lesson', exact: true });
  const q = lesson.questions[0];
  const wrong = q.choices.find((c) => c.value !== q.answer)!;
  const fieldset = pane.locator('.lsn-question').first();
  await fieldset.locator(`input[type="radio"][value="${wrong.value}"]`).check();
  await pane.getByRole('button', { name: 'Check question 1', exact: true }).click();
  await expect(fieldset.locator('.lsn-result')).toContainText('Not this time');
});
