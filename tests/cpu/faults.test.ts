/**
 * Exceptions and interrupts reach the right IDT vector with the right
 * error code and stack frame (Intel SDM Vol. 3 §6.12–6.15), double faults
 * and triple faults follow Table 6-5, external interrupts respect IF and
 * the STI shadow, and IRETQ returns — including to CPL 3 and back.
 *
 * Each program below runs on the DESIGN.md §5 machine with a GDT, a TSS and
 * an IDT of its own (built by `prologue`); each handler records what the
 * CPU pushed into registers and halts:
 *   r8 = vector, r9 = error code (or -1), r10 = saved RIP, r11 = saved CS,
 *   r12 = saved RFLAGS, r13 = saved RSP, r14 = saved SS, r15 = CR2.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { createCpuState, createMemory, getReg64, loadBytes, Vcpu, FLAG } from '../../src/core/cpu';
import { ENTER_CPL3 } from './snippets';

const WITH_ERROR = new Set([8, 10, 11, 12, 13, 14, 17]);
const VECTORS = [0, 1, 3, 6, 8, 12, 13, 14, 0x20, 0x80];

/**
 * GDT (0x08 kernel code, 0x10 kernel data, 0x1b user code, 0x23 user data,
 * 0x28 TSS), TSS with RSP0 = 0x70000, IDT with a handler per VECTORS entry.
 * `absent` lists vectors whose gate is marked not present.
 */
function prologue(absent: number[] = []): string {
  const gates = Array.from({ length: 0x81 }, (_, v) => {
    const h = VECTORS.includes(v) ? `h${v}` : 'h_unexpected';
    const present = VECTORS.includes(v) && !absent.includes(v) ? 0x8e00 : 0x0e00;
    return `  dw (${h}) & 0xffff, 0x08, ${present}, ((${h}) >> 16) & 0xffff\n  dd (${h}) >> 32, 0`;
  }).join('\n');
  const handlers = VECTORS.map((v) => {
    const hasErr = WITH_ERROR.has(v);
    return `h${v}:
  mov r8, ${v}
  ${hasErr ? 'pop r9' : 'mov r9, -1'}
  mov r10, [rsp]
  mov r11, [rsp + 8]
  mov r12, [rsp + 16]
  mov r13, [rsp + 24]
  mov r14, [rsp + 32]
  mov r15, cr2
  hlt`;
  }).join('\n');
  return `
  jmp _setup
align 16
gdt:
  dq 0
  dq 0x00af9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00affa000000ffff
  dq 0x00cff2000000ffff
  dw 0x67, tss & 0xffff
  db (tss >> 16) & 0xff, 0x89, 0, (tss >> 24) & 0xff
  dd tss >> 32, 0
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dq gdt
idtr:
  dw 0x81 * 16 - 1
  dq idt
align 16
tss:
  dd 0
  dq 0x70000
  times 104 - 12 db 0
align 16
idt:
${gates}
${handlers}
h_unexpected:
  mov r8, 0xbad
  hlt
_setup:
  lgdt [gdtr]
  lidt [idtr]
  mov ax, 0x28
  ltr ax
`;
}

interface Booted {
  vcpu: Vcpu;
  labels: Map<string, number>;
  reg: (i: number) => bigint;
}

function boot(body: string, opts: { absent?: number[]; noIdt?: boolean } = {}): Booted {
  const src = opts.noIdt ? body : `${prologue(opts.absent)}\n${body}`;
  const a = assemble(src);
  expect(a.errors, 'assembles').toEqual([]);
  const mem = createMemory();
  loadBytes(mem, a.origin, a.bytes);
  const vcpu = new Vcpu(createCpuState({ entry: a.origin }), mem);
  const labels = new Map(a.symbols.map((s) => [s.name, Number(s.value)]));
  return { vcpu, labels, reg: (i) => getReg64(vcpu.state, i) };
}

/** Run until the vCPU stops; expect a HLT exit. */
function runToHlt(b: Booted): void {
  const r = b.vcpu.run(100_000);
  expect(r).toBe('exit');
  expect(b.vcpu.exit?.kind).toBe('hlt');
}

const R8 = 8;
const R9 = 9;
const R10 = 10;
const R11 = 11;
const R12 = 12;
const R13 = 13;
const R14 = 14;
const R15 = 15;
const NO_ERROR = 0xffffffffffffffffn;

describe('exception delivery through the IDT', () => {
  it('#DE: divide by zero, fault: saved RIP is the DIV, no error code', () => {
    const b = boot(`
  xor ecx, ecx
  mov eax, 1
fault:
  div ecx
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(0n);
    expect(b.reg(R9)).toBe(NO_ERROR);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('fault')!));
    expect(b.reg(R11)).toBe(0x08n);
    expect(b.reg(R13)).toBe(0x80000n);
  });

  it('#DE: quotient too large for IDIV', () => {
    const b = boot(`
  mov eax, 0
  mov edx, 1
  mov ecx, 1
fault:
  idiv ecx
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(0n);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('fault')!));
  });

  it('#DB: single-step trap after the instruction that runs with TF set', () => {
    const b = boot(`
  pushfq
  or qword [rsp], 0x100
  popfq
stepped:
  nop
after:
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(1n);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('after')!));
    // TF is in the saved RFLAGS and cleared in the handler.
    expect(b.reg(R12) & 0x100n).toBe(0x100n);
    expect(BigInt(b.vcpu.state.flagsOther) & 0x100n).toBe(0n);
  });

  it('#BP: INT3 is a trap, saved RIP is after it', () => {
    const b = boot(`
  int3
after:
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(3n);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('after')!));
  });

  it('#UD: UD2, and the non-native hypercall instruction', () => {
    const b = boot(`
fault:
  ud2`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(6n);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('fault')!));
    const amd = boot(`
fault:
  vmcall`);
    amd.vcpu.vendor = 'amd';
    runToHlt(amd);
    expect(amd.reg(R8)).toBe(6n);
    expect(amd.reg(R10)).toBe(BigInt(amd.labels.get('fault')!));
  });

  it('#GP(0): a non-canonical address', () => {
    const b = boot(`
  mov rbx, 0x0000800000000000
fault:
  mov rax, [rbx]
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(13n);
    expect(b.reg(R9)).toBe(0n);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('fault')!));
  });

  it('#SS(0): a non-canonical stack address', () => {
    const b = boot(`
  mov rbp, 0x0000800000000000
fault:
  mov rax, [rbp]
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(12n);
    expect(b.reg(R9)).toBe(0n);
  });

  it('#PF: the unmapped upper half, read and write error codes, CR2', () => {
    const b = boot(`
  mov rbx, 0xffff800000001000
fault:
  mov rax, [rbx]
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(14n);
    expect(b.reg(R9)).toBe(0n);
    expect(b.reg(R15)).toBe(0xffff800000001000n);
    const w = boot(`
  mov rbx, 0xffff800000002000
  mov qword [rbx], 1
  hlt`);
    runToHlt(w);
    expect(w.reg(R8)).toBe(14n);
    expect(w.reg(R9)).toBe(2n);
    expect(w.reg(R15)).toBe(0xffff800000002000n);
  });

  it('#GP from CPL 3: HLT in user mode, frame on the RSP0 stack with the user CS/SS', () => {
    const b = boot(`
${ENTER_CPL3}
user:
  mov rax, 5
fault:
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(13n);
    expect(b.reg(R9)).toBe(0n);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('fault')!));
    expect(b.reg(R11)).toBe(0x1bn);
    expect(b.reg(R13)).toBe(0x60000n);
    expect(b.reg(R14)).toBe(0x23n);
    expect(b.reg(0)).toBe(5n);
    expect(b.vcpu.state.cpl).toBe(0);
    // The handler ran on the TSS RSP0 stack: six words pushed, the error code popped.
    expect(getReg64(b.vcpu.state, 4)).toBe(0x70000n - 6n * 8n + 8n);
  });

  it('#DF: a contributory fault while delivering #GP (gate not present → #NP)', () => {
    const b = boot(
      `
  mov rbx, 0x0000800000000000
  mov rax, [rbx]
  hlt`,
      { absent: [13] },
    );
    runToHlt(b);
    expect(b.reg(R8)).toBe(8n);
    expect(b.reg(R9)).toBe(0n);
  });

  it('triple fault: a fault while delivering #DF shuts the vCPU down', () => {
    const b = boot(
      `
  mov rbx, 0x0000800000000000
  mov rax, [rbx]
  hlt`,
      { absent: [8, 13] },
    );
    expect(b.vcpu.run(100_000)).toBe('shutdown');
    expect(b.vcpu.exit?.kind).toBe('triple-fault');
    expect(b.vcpu.state.shutdown).toBe(true);
  });

  it('with no IDT loaded, the first fault ends in a triple fault', () => {
    const b = boot(`ud2`, { noIdt: true });
    expect(b.vcpu.run(100)).toBe('shutdown');
    expect(b.vcpu.exit?.kind).toBe('triple-fault');
  });

  it('INT n from CPL 0 and IRETQ back', () => {
    const b = boot(`
  int 0x80
back:
  hlt`);
    runToHlt(b);
    expect(b.reg(R8)).toBe(0x80n);
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('back')!));
  });
});

describe('external interrupts', () => {
  it('wait for IF, and for the instruction after STI', () => {
    const b = boot(`
  cli
  nop
  nop
  sti
shadow:
  nop
delivered_here:
  nop
  hlt`);
    const s = b.vcpu.state;
    // Run the prologue and up to the first NOP.
    b.vcpu.breakpoints = new Set([b.labels.get('shadow')!]);
    s.pendingIrq = -1;
    expect(b.vcpu.run(10_000)).toBe('breakpoint');
    s.pendingIrq = 0x20;
    b.vcpu.breakpoints = new Set();
    runToHlt(b);
    expect(b.reg(R8)).toBe(0x20n);
    // STI's shadow held the interrupt off for one instruction.
    expect(b.reg(R10)).toBe(BigInt(b.labels.get('delivered_here')!));
    expect(b.reg(R12) & BigInt(FLAG.IF)).toBe(BigInt(FLAG.IF));
  });

  it('are held while IF = 0', () => {
    const b = boot(`
  cli
spin:
  nop
  nop
  hlt`);
    b.vcpu.state.pendingIrq = 0x20;
    runToHlt(b);
    expect(b.vcpu.state.pendingIrq).toBe(0x20);
    expect(b.reg(R8)).toBe(0n);
  });
});

describe('IRETQ', () => {
  it('returns from a #BP handler that IRETQs', () => {
    const src = `${prologue()}
  mov rax, 1
  int3
  mov rbx, 2
  hlt
`.replace(/h3:\n {2}mov r8, 3\n {2}mov r9, -1/, 'h3:\n  add rax, 10\n  iretq\n  mov r9, -1');
    const a = assemble(src);
    expect(a.errors).toEqual([]);
    const mem = createMemory();
    loadBytes(mem, a.origin, a.bytes);
    const vcpu = new Vcpu(createCpuState({ entry: a.origin }), mem);
    expect(vcpu.run(100_000)).toBe('exit');
    expect(vcpu.exit?.kind).toBe('hlt');
    expect(getReg64(vcpu.state, 0)).toBe(11n);
    expect(getReg64(vcpu.state, 3)).toBe(2n);
    expect(getReg64(vcpu.state, 4)).toBe(0x80000n);
  });
});
