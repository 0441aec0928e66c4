import { expect, test } from '@playwright/test';
import {
  button,
  ENDLESS_LOOP,
  flow,
  guardNetwork,
  openApp,
  register,
  setProgram,
  status,
} from './support';

const VMCALL = `; one hypercall
_start:
    mov eax, 11          ; KVM_HC_SCHED_YIELD
    xor ebx, ebx         ; a0 = APIC id 0
    vmcall
    hlt
`;

test('Step phase walks a VMCALL through its chain; Step back restores the exact state', async ({
  page,
}) => {
  const external = await guardNetwork(page);
  const errors = await openApp(page);
  await setProgram(page, VMCALL);

  // KVM_RUN's first VM entry, then the hypercall's chain.
  await button(page, 'Step phase').click();
  await expect(flow(page)).toContainText('vcpu_enter_guest');
  const expected = [
    ['guest', 'vmcall'],
    ['vm-exit', 'vmx_vcpu_run'],
    ['dispatch', 'kvm_vmx_exit_handlers'],
    ['handle', 'kvm_emulate_hypercall'],
    ['resume', 'complete_hypercall_exit'],
  ];
  const debuggerPane = page.getByRole('region', { name: 'Debugger', exact: true });
  const snapshots: string[] = [];
  for (const [, text] of expected) {
    snapshots.push(await debuggerPane.innerText());
    await button(page, 'Step phase').click();
    await expect(flow(page)).toContainText(text);
  }
  expect(await register(page, 'rax')).toBe('0x0000000000000000');
  // mov eax, imm32 (5 bytes) + xor ebx, ebx (2): vmcall at 0x10007, RIP += 3.
  expect(await register(page, 'rip')).toBe('0x000000000001000a');
  await expect(flow(page)).toContainText('RIP += 3');
  await expect(debuggerPane).toContainText('VMCALL (18)');

  // Step back: the state before the resume phase, exactly.
  await button(page, 'Step back').click();
  await expect(flow(page)).toContainText('kvm_emulate_hypercall');
  expect(await register(page, 'rip')).toBe('0x0000000000010007');
  await expect.poll(() => debuggerPane.innerText()).toBe(snapshots[4]);

  // Forward again, one more phase, then Shift+F10 (Step back) from the keyboard.
  await button(page, 'Step phase').click();
  await expect(flow(page)).toContainText('complete_hypercall_exit');
  const afterResume = await debuggerPane.innerText();
  await button(page, 'Step phase').click();
  await expect(flow(page)).toContainText('hlt');
  await page.keyboard.press('Shift+F10');
  await expect.poll(() => debuggerPane.innerText()).toBe(afterResume);

  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});

test('an assembler error marks its line and column, and Run is refused with the reason', async ({
  page,
}) => {
  const external = await guardNetwork(page);
  await openApp(page);
  await setProgram(page, '_start:\n    mov eax, 1\n    movv ebx, 2\n    hlt\n');
  const markers = await page.evaluate(() => window.__hypercallEditor!.markers());
  expect(markers[0]).toMatchObject({ line: 3, column: 5 });
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await button(page, 'Run').click();
  await expect(status(page)).toContainText('Cannot run');
  await expect(status(page)).toContainText('Line 3, column 5');
  expect(external).toEqual([]);
});

test('Run of an endless loop leaves the page responsive; Pause stops it', async ({ page }) => {
  const external = await guardNetwork(page);
  await openApp(page);
  await setProgram(page, ENDLESS_LOOP);
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
  });
  await button(page, 'Run').click();
  await expect(status(page)).toContainText('Running');
  // Let it run, interacting with the page meanwhile.
  for (let i = 0; i < 10; i++) {
    await page.mouse.move(100 + i * 10, 300);
    await page.waitForTimeout(200);
  }
  const clicked = await page.evaluate(() => performance.now());
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('Paused');
  const paused = await page.evaluate(() => performance.now());
  const rax = BigInt(await register(page, 'rax'));
  expect(rax).toBeGreaterThan(1000n);
  const longTasks = await page.evaluate(
    () => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks,
  );
  // "During Run": tasks that began before Pause was clicked. The stop itself
  // (the full view, memory and disassembly, drawn once) is reported apart.
  const during = longTasks.filter((t) => t.start < clicked).map((t) => Math.round(t.duration));
  const atPause = longTasks.filter((t) => t.start >= clicked).map((t) => Math.round(t.duration));
  console.log(
    `endless loop: RAX = ${rax} after ~2 s; Pause → "Paused" in ${Math.round(paused - clicked)} ms; long tasks during Run: ${JSON.stringify(during)}, at Pause: ${JSON.stringify(atPause)}`,
  );
  expect(during.filter((d) => d > 50)).toEqual([]);
  // Paused means paused: RAX no longer changes.
  await page.waitForTimeout(300);
  expect(BigInt(await register(page, 'rax'))).toBe(rax);
  expect(external).toEqual([]);
});

test('a breakpoint set in the gutter stops Run at its line', async ({ page }) => {
  const external = await guardNetwork(page);
  await openApp(page);
  await setProgram(
    page,
    '_start:\n    mov r12d, 5\n.again:\n    mov eax, 11\n    xor ebx, ebx\n    vmcall\n    dec r12d\n    jnz .again\n    hlt\n',
  );
  // Click the glyph margin of line 7 (dec r12d), left of its line number.
  const editor = page.getByRole('region', { name: 'Editor', exact: true });
  const number = editor.locator('.line-numbers', { hasText: /^7$/ });
  const box = (await number.boundingBox())!;
  const glyph = (await editor.locator('.glyph-margin').first().boundingBox())!;
  await page.mouse.click(glyph.x + glyph.width / 2, box.y + box.height / 2);
  await expect(editor.locator('.hl-breakpoint-glyph')).toHaveCount(1);
  await page.keyboard.press('F5');
  await expect(status(page)).toContainText('Stopped at a breakpoint');
  await expect(page.getByRole('region', { name: 'Debugger', exact: true })).toContainText(
    /Line\s*7/,
  );
  expect(await register(page, 'r12')).toBe('0x0000000000000005');
  // F5 again: the next arrival, one loop later.
  await page.keyboard.press('F5');
  await expect.poll(() => register(page, 'r12')).toBe('0x0000000000000004');
  expect(external).toEqual([]);
});
