/**
 * Classroom features in the built page: share links (round trip, broken and
 * hostile links), persistence across reloads, projector mode and the light
 * theme (sizes, axe-core), the Content-Security-Policy, and offline use
 * through the service worker.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { button, guardNetwork, openApp, register, setProgram, status, runToEnd } from './support';

// lz-string is CommonJS: Playwright's ESM loader sees only its default export.
const { compressToEncodedURIComponent } = LZString;

const PROGRAM = `; four hypercalls on two vCPUs, then HLT
_start:
    mov r12d, 4
    add r12, rdi          ; vCPU 1 makes one more
.again:
    mov eax, 11           ; KVM_HC_SCHED_YIELD
    mov rbx, rdi
    vmcall
    dec r12d
    jnz .again
    hlt
`;

const REGISTERS = ['rax', 'rbx', 'rcx', 'rdi', 'r12', 'rip', 'rflags'];

const editorText = (page: Page) => page.evaluate(() => window.__hypercallEditor!.getValue());
const banner = (page: Page) => page.locator('.banner[role="alert"]');
/** The vCPU count select (its accessible name also holds its options' text). */
const vcpusSelect = (page: Page) => page.getByRole('combobox', { name: /^vCPUs/ });
const debuggerPane = (page: Page) => page.getByRole('region', { name: 'Debugger', exact: true });

async function readRegisters(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of REGISTERS) out[r] = await register(page, r);
  return out;
}

/** The exit the debugger's exit panel shows ("Exit #" fact). */
async function exitNumber(page: Page): Promise<string> {
  const fact = debuggerPane(page).locator('div', {
    has: page.locator('dt', { hasText: /^Exit #$/ }),
  });
  return (await fact.locator('dd').first().innerText()).trim();
}

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fifty hashes that are not valid links (truncated, wrong version, huge, wrong types, hostile). */
function brokenHashes(good: string): string[] {
  const payload = good.slice(4); // after '#v1='
  const fields = {
    program: PROGRAM,
    vendor: 'intel',
    vcpus: 2,
    speed: 5,
    lesson: null,
    exit: 3,
    vcpu: 1,
  } as Record<string, unknown>;
  const link = (v: unknown) => `#v1=${compressToEncodedURIComponent(JSON.stringify(v))}`;
  const raw = (t: string) => `#v1=${compressToEncodedURIComponent(t)}`;
  const withField = (k: string, v: unknown) => link({ ...fields, [k]: v });
  return [
    ...[1, 3, 8, 15, 30, 60, 90].map((n) => `#v1=${payload.slice(0, n)}`),
    `#v2=${payload}`,
    `#v0=${payload}`,
    `#v10=${payload}`,
    `#x1=${payload}`,
    `#${payload}`,
    '#v1=',
    '#v1',
    '#hello',
    '#v1=!!!',
    '#v1=%3Cimg%20src=x%20onerror=alert(1)%3E',
    '#%3Cscript%3Ealert(1)%3C/script%3E',
    raw('<img src=x onerror=alert(1)>'),
    raw('not json'),
    raw('{"program":'),
    link([1, 2]),
    link(null),
    link(7),
    link('text'),
    withField('program', 1),
    withField('program', ['<img src=x onerror=alert(1)>']),
    withField('vendor', 'arm'),
    withField('vendor', '<b>intel</b>'),
    withField('vcpus', 0),
    withField('vcpus', 8),
    withField('vcpus', '2'),
    withField('speed', 9),
    withField('speed', '5'),
    withField('vendor', null),
    withField('lesson', ''),
    withField('program', { toString: 'x' }),
    withField('speed', null),
    withField('lesson', '<img src=x onerror=alert(1)>'),
    withField('lesson', 12),
    withField('exit', -5),
    withField('exit', 0.5),
    withField('exit', 1e15),
    withField('vcpu', 2),
    withField('extra', 'field'),
    raw(`{"__proto__":{"polluted":true},${JSON.stringify(fields).slice(1)}`),
    raw(`{"constructor":{"prototype":{"x":1}},${JSON.stringify(fields).slice(1)}`),
    withField('program', 'nop\n'.repeat(17_000)),
    raw('x'.repeat(300_000)),
    `#v1=${'A'.repeat(4000)}`,
  ];
}

test.describe('classroom', () => {
  test('a share link reopens the program at the same exit, with the same registers', async ({
    page,
    context,
  }) => {
    const external = await guardNetwork(page);
    const errors = await openApp(page);
    await vcpusSelect(page).selectOption('2');
    await setProgram(page, PROGRAM);
    for (let i = 0; i < 4; i++) {
      await button(page, 'Next exit').click();
      await expect(status(page)).toContainText('Stopped at the next VM exit');
    }
    const before = await readRegisters(page);
    const exit = await exitNumber(page);
    expect(exit).not.toBe('');

    await button(page, 'Share').click();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/^#v1=/);
    const url = page.url();

    const other = await context.newPage();
    const dialogs: string[] = [];
    other.on('dialog', (d) => void dialogs.push(d.message()));
    const otherErrors: string[] = [];
    other.on('pageerror', (e) => otherErrors.push(e.message));
    await other.goto(url);
    await expect(other.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    await expect(status(other)).toContainText('Moved to the chosen exit');
    expect(await editorText(other)).toBe(PROGRAM);
    await expect(vcpusSelect(other)).toHaveValue('2');
    expect(await readRegisters(other)).toEqual(before);
    expect(await exitNumber(other)).toBe(exit);
    expect([...errors, ...otherErrors, ...dialogs]).toEqual([]);
    expect(external).toEqual([]);
  });

  test('50 broken links each show a message and lose nothing', async ({ page }) => {
    const external = await guardNetwork(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const errors = await openApp(page);
    await setProgram(page, PROGRAM);
    await button(page, 'Share').click();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/^#v1=/);
    const good = new URL(page.url()).hash;
    // Start from an edited program the link does not hold.
    const mine = `${PROGRAM}; my own edit\n`;
    await setProgram(page, mine);

    const hashes = brokenHashes(good);
    expect(hashes).toHaveLength(50);
    for (const hash of hashes) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await expect(banner(page), hash.slice(0, 60)).toContainText('cannot be opened');
      await expect(banner(page)).toContainText('Your program is unchanged');
      expect(await editorText(page), hash.slice(0, 60)).toBe(mine);
      await banner(page).getByRole('button', { name: 'Dismiss' }).click();
      await expect(banner(page)).toHaveCount(0);
    }

    // A valid link whose program holds a script payload: shown as text, never run.
    const hostile = `; <img src=x onerror=alert(1)> <script>alert(2)</script>\n_start:\n    hlt\n`;
    const json = JSON.stringify({
      program: hostile,
      vendor: 'intel',
      vcpus: 1,
      speed: 5,
      lesson: null,
      exit: null,
      vcpu: 0,
    });
    await page.evaluate(
      (h) => {
        location.hash = h;
      },
      `#v1=${compressToEncodedURIComponent(json)}`,
    );
    await expect.poll(() => editorText(page)).toBe(hostile);
    await expect(page.locator('.view-lines')).toContainText('<img src=x onerror=alert(1)>');
    expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  test('a reload keeps the edited program and the settings', async ({ page }) => {
    const external = await guardNetwork(page);
    await openApp(page);
    const edited = `${PROGRAM}; kept across a reload\n`;
    await setProgram(page, edited);
    await page.getByLabel('Vendor').selectOption('amd');
    await vcpusSelect(page).selectOption('3');
    await page.getByLabel('Theme').selectOption('light');
    await page.reload();
    await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    expect(await editorText(page)).toBe(edited);
    await expect(page.getByLabel('Vendor')).toHaveValue('amd');
    await expect(vcpusSelect(page)).toHaveValue('3');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

    // Reset lesson brings the example back; Undo the edit.
    await button(page, 'Reset lesson').click();
    await expect.poll(() => editorText(page)).toContain('hello.s');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => editorText(page)).toBe(edited);
    expect(external).toEqual([]);
  });

  test('projector mode enlarges the editor, the registers and the rest; axe finds no serious issue', async ({
    page,
  }) => {
    const external = await guardNetwork(page);
    await openApp(page);
    await setProgram(page, PROGRAM);
    await runToEnd(page);
    const sizes = () =>
      page.evaluate(() => {
        const px = (sel: string) =>
          parseFloat(getComputedStyle(document.querySelector(sel)!).fontSize);
        return {
          editor: px('.monaco-editor .view-lines'),
          registers: px('.dbg-reg dd'),
          timeline: px('.timeline-lane-label'),
          status: px('.status-bar'),
        };
      });
    const normal = await sizes();
    const toggle = page.getByRole('button', { name: 'Projector mode' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await sizes()).editor).toBeGreaterThan(normal.editor);
    const big = await sizes();
    expect(big.registers).toBeGreaterThan(normal.registers * 1.2);
    expect(big.timeline).toBeGreaterThan(normal.timeline);
    expect(big.status).toBeGreaterThan(normal.status);
    expect(await seriousViolations(page), 'projector mode, dark').toEqual([]);
    expect(external).toEqual([]);
  });

  test('the light theme: a light editor, and axe finds no serious issue (also in projector mode)', async ({
    page,
  }) => {
    const external = await guardNetwork(page);
    await openApp(page);
    await setProgram(page, PROGRAM);
    await runToEnd(page);
    await page.getByLabel('Theme').selectOption('light');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect(page.locator('.monaco-editor').first()).toHaveCSS(
      'background-color',
      'rgb(255, 255, 255)',
    );
    expect(await seriousViolations(page), 'light theme').toEqual([]);
    await page.getByRole('button', { name: 'Projector mode' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-projector', 'true');
    expect(await seriousViolations(page), 'projector mode, light').toEqual([]);
    expect(external).toEqual([]);
  });

  test('the built page runs under its Content-Security-Policy', async ({ page }) => {
    const external = await guardNetwork(page);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to|Could not create web worker/i.test(m.text()))
        problems.push(m.text());
    });
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    const response = await page.goto('/');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const meta = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(meta).toContain("object-src 'none'");
    await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    await page.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    // A hot loop, so the JIT compiles blocks (and would be refused under a worker CSP).
    await page.keyboard.type('mov ecx, 200000\nspin: dec ecx\njnz spin\nhlt\n');
    await page.waitForTimeout(450);
    await runToEnd(page);
    // The session worker's script carries no policy of its own: its block JIT works.
    await expect(page.locator('.status-counters')).toContainText('block JIT');
    await expect.poll(() => workers.some((u) => /editor\.worker/.test(u))).toBe(true);
    expect(workers.some((u) => /\/assets\/worker-/.test(u))).toBe(true);
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
  });

  test('after one visit the app loads and runs offline', async ({ page, context }) => {
    const external = await guardNetwork(page);
    await openApp(page);
    // Wait until the service worker controls the page and has precached the build (Monaco too).
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      for (let i = 0; i < 200; i++) {
        const names = await caches.keys();
        let urls: string[] = [];
        for (const n of names)
          urls = urls.concat((await (await caches.open(n)).keys()).map((r) => r.url));
        if (navigator.serviceWorker.controller && urls.some((u) => /monacoBundle.*\.js/.test(u)))
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the service worker did not precache the app');
    });
    await context.setOffline(true);
    try {
      await page.reload();
      await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
      await runToEnd(page);
      await expect(page.getByRole('log', { name: 'Guest serial output' })).toContainText('Hello');
    } finally {
      await context.setOffline(false);
    }
    expect(external).toEqual([]);
  });
});
