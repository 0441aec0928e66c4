/**
 * Screenshots of the main states for docs/ (shown in the README). Not a
 * check: it runs only with SCREENSHOTS=1 (`SCREENSHOTS=1 npx playwright test
 * screenshots`) and overwrites docs/screenshots/*.png.
 */
import { expect, test } from '@playwright/test';
import { button, flow, openApp, setProgram, runToEnd } from './support';

const OUT = 'docs/screenshots';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh docs/screenshots');

const HYPERCALLS = `; three hypercalls, a line on the serial port, then HLT
_start:
    mov r12d, 3
.again:
    mov eax, 11          ; KVM_HC_SCHED_YIELD
    xor ebx, ebx         ; a0 = APIC id 0
    vmcall               ; VM exit: VMCALL, handled in KVM
    dec r12d
    jnz .again
    mov dx, 0x3f8        ; COM1
    mov al, 'K'
    out dx, al           ; VM exit: IO_INSTRUCTION, handled by the VMM
    hlt
`;

test('main states', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openApp(page);
  await page.screenshot({ path: `${OUT}/01-start.png` });

  await setProgram(page, HYPERCALLS);
  for (let i = 0; i < 5; i++) await button(page, 'Step phase').click();
  await expect(flow(page)).toContainText('kvm_emulate_hypercall');
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${OUT}/02-inside-a-hypercall.png` });

  await runToEnd(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${OUT}/03-run-with-timeline.png` });

  await page.getByLabel('Vendor').selectOption('amd');
  await setProgram(page, HYPERCALLS.replace(/vmcall /g, 'vmmcall'));
  for (let i = 0; i < 4; i++) await button(page, 'Step phase').click();
  await expect(flow(page)).toContainText('svm');
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${OUT}/04-amd-dispatch.png` });
});
