/**
 * The free run (`KvmMachine.run`, what `Vmm.run` uses) takes shortcuts — no
 * scheduling for a lone vCPU, an in-kernel exit's phases back to back — so
 * it is checked against its definition: `step` called in a loop. Same trace
 * (every event and exit), same machine state, for every golden scenario,
 * policy rules, the timer, and instruction budgets that end mid-exit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { Vmm, type VmOptions } from '../../src/core/vmm/vmm';
import { fingerprint } from '../session/fingerprint';

const GOLDEN = join(import.meta.dirname, '../golden');

function vmmOf(src: string, options: VmOptions): Vmm {
  const a = assemble(src);
  expect(a.errors).toEqual([]);
  return new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry }, options);
}

/** Vmm.run as it was defined before the free run: one `step` at a time. */
function runByStep(vmm: Vmm, maxSteps: number): string {
  for (;;) {
    if (vmm.kvm.retired >= maxSteps) return 'budget';
    const r = vmm.kvm.step(maxSteps - vmm.kvm.retired);
    if (r.kind === 'idle') return r.why === 'all-halted' ? 'all-halted' : vmm.stopName();
  }
}

function expectSameRun(src: string, options: VmOptions, maxSteps: number): void {
  const free = vmmOf(src, options);
  const stepped = vmmOf(src, options);
  const stop = free.run(maxSteps).stop;
  expect(stop).toBe(runByStep(stepped, maxSteps));
  expect(free.trace.length).toBe(stepped.trace.length);
  expect(fingerprint(free)).toBe(fingerprint(stepped));
}

const scenarios = readdirSync(GOLDEN).filter((f) => f.endsWith('.s'));

describe('free run = step in a loop', () => {
  for (const file of scenarios) {
    it(file, () => {
      const src = readFileSync(join(GOLDEN, file), 'utf8');
      const m = /^; options: (.*)$/m.exec(src);
      const options = JSON.parse(m ? m[1] : '{}') as VmOptions;
      expectSameRun(src, options, 1_000_000);
      // Budgets that run out in the middle of the run (and of an exit's phases).
      for (const budget of [1, 2, 3, 5, 8, 13, 21]) expectSameRun(src, options, budget);
    });
  }

  const loop = (body: string) => `  mov r15d, 20\ntop:\n  ${body}\n  dec r15d\n  jnz top\n  hlt`;

  it('hypercalls, port I/O, CPUID and MMIO reads in a loop, at every budget', () => {
    const src = loop(
      [
        'mov eax, 1\n  vmcall',
        'mov eax, 99\n  vmcall',
        'mov al, 0x41\n  mov dx, 0x3f8\n  out dx, al',
        'in al, 0x61',
        'mov eax, 0x40000000\n  cpuid',
        'mov rdi, 0x10000000\n  mov dword [rdi + 8], eax\n  mov esi, [rdi]',
      ].join('\n  '),
    );
    for (let budget = 1; budget < 60; budget++) expectSameRun(src, {}, budget);
    expectSameRun(src, {}, 1_000_000);
    expectSameRun(src, { vendor: 'amd' }, 1_000_000);
  });

  it('a timer armed from userspace while the guest keeps running', () => {
    // Arming the timer (an MMIO write the VMM handles) gives the lone vCPU a
    // deadline: from then on its interrupts must fire exactly on time.
    const src = `  jmp setup
align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
  dq gdt
idtr: dw 16 * 0x21 - 1
  dq idt
align 16
idt:
  times 0x20 dq 0, 0
  dw (tick) & 0xffff, 0x08, 0x8e00, ((tick) >> 16) & 0xffff
  dd (tick) >> 32, 0
tick:
  inc r12
  iretq
setup:
  lgdt [gdtr]
  lidt [idtr]
  mov rbx, 0x10000000
  mov dword [rbx + 0x18], 3000
  sti
spin:
  mov eax, 1
  vmcall
  add r13, 7
  cmp r12, 5
  jb spin
  mov dword [rbx + 0x18], 0
  cli
  hlt`;
    for (const budget of [50, 200, 1_000_000]) expectSameRun(src, { irqchip: true }, budget);
  });

  it('with interception rules', () => {
    const src = loop('mov eax, 1\n  vmcall\n  mov eax, 5\n  vmcall');
    const policy: VmOptions['policy'] = [
      { nr: 1, action: { kind: 'deny', errno: 22 } },
      { nr: 5, action: { kind: 'log' } },
    ];
    for (const budget of [1, 7, 30, 1_000_000]) expectSameRun(src, { policy }, budget);
  });
});
