/**
 * Shared helpers of the browser tests: the no-network guard, loading a
 * program through the editor's test hook, and reading the debugger.
 */
import { expect, type Page } from '@playwright/test';
import { yieldLoop } from '../fixtures/programs';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A million hypercalls, then HLT: the timeline test's and the page benchmark's run. */
export const MILLION = yieldLoop(1_000_000);

/** A guest that never exits: for Run/Pause responsiveness. */
export const ENDLESS_LOOP = '_start:\n    inc rax\n    jmp _start\n';

/** The 95th percentile of a list of numbers. */
export function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? NaN;
}

/** True for URLs the page may load: this machine, or inline data/blob URLs. */
export function isLocal(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  return LOCAL_HOSTS.has(u.hostname);
}

/**
 * Records (and blocks) every request that leaves the machine: the app must run
 * with no CDN and no network. Returns the list, checked at the end of a test.
 */
export async function guardNetwork(page: Page): Promise<string[]> {
  const external: string[] = [];
  page.on('request', (request) => {
    if (!isLocal(request.url())) external.push(request.url());
  });
  await page.context().route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocal(url)) await route.continue();
    else {
      if (!external.includes(url)) external.push(url);
      await route.abort('blockedbyclient');
    }
  });
  return external;
}

/** Open the app and wait for Monaco. Returns the page errors list (checked by the caller). */
export async function openApp(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
  return errors;
}

/** Replace the editor's text and wait past its 200 ms change debounce. */
export async function setProgram(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => window.__hypercallEditor!.setValue(t), text);
  await page.waitForTimeout(450);
}

/** A register's value as the debugger shows it. */
export async function register(page: Page, name: string): Promise<string> {
  const row = page
    .getByRole('region', { name: 'Debugger', exact: true })
    .locator('.dbg-reg', { has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) });
  return (await row.locator('dd').innerText()).trim();
}

export const flow = (page: Page) => page.getByRole('region', { name: 'Flow', exact: true });
export const status = (page: Page) => page.locator('.status-bar [role="status"]');
export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** Click Run and wait until the status bar says the run is over. */
export async function runToEnd(page: Page, timeout?: number): Promise<void> {
  await button(page, 'Run').click();
  await expect(status(page)).toContainText('The run is over', { timeout });
}
