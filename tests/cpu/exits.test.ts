/**
 * The vCPU stops *before* retiring every instruction a hypervisor
 * intercepts, and describes it (kind, RIP, length, port, size, direction,
 * address); register widths behave as the SDM says; self-modifying code
 * runs the new bytes; every mnemonic of the opcode table has semantics.
 */
import { describe, expect, it } from 'vitest';
import { OPCODE_TABLE } from '../../src/core/isa/opcodeTable';
import { assemble } from '../../src/core/isa';
import { SEMANTICS } from '../../src/core/cpu/compile';
import { ENTER_CPL3 } from './snippets';
import {
  createCpuState,
  createMemory,
  getReg64,
  loadBytes,
  runFlatImage,
  Vcpu,
} from '../../src/core/cpu';

function run(src: string, vendor: 'intel' | 'amd' = 'intel') {
  const a = assemble(src);
  expect(a.errors).toEqual([]);
  const labels = new Map(a.symbols.map((s) => [s.name, Number(s.value)]));
  return { r: runFlatImage(a.bytes, a.origin, { vendor, maxSteps: 1_000_000 }), labels };
}

describe('exit requests', () => {
  it('VMCALL on Intel and VMMCALL on AMD stop before retiring, length 3', () => {
    for (const [vendor, insn] of [
      ['intel', 'vmcall'],
      ['amd', 'vmmcall'],
    ] as const) {
      const { r, labels } = run(`mov eax, 5\nat: ${insn}\nhlt`, vendor);
      expect(r.stop).toBe('exit');
      expect(r.exit).toEqual({ kind: 'hypercall', rip: labels.get('at'), length: 3, insn });
      expect(r.rip).toBe(BigInt(labels.get('at')!));
      expect(r.regs[0]).toBe(5n);
    }
  });

  it('HLT, CPUID, RDMSR, WRMSR', () => {
    expect(run('hlt').r.exit).toEqual({ kind: 'hlt', rip: 0x10000, length: 1 });
    expect(run('cpuid').r.exit).toEqual({ kind: 'cpuid', rip: 0x10000, length: 2 });
    expect(run('rdmsr').r.exit).toEqual({ kind: 'rdmsr', rip: 0x10000, length: 2 });
    expect(run('wrmsr').r.exit).toEqual({ kind: 'wrmsr', rip: 0x10000, length: 2 });
  });

  it('IN/OUT with immediate and DX ports, all sizes, and string I/O', () => {
    const io = (src: string) => run(src).r.exit;
    expect(io('out 0xe9, al')).toMatchObject({
      kind: 'io',
      port: 0xe9,
      size: 1,
      direction: 'out',
      string: false,
      immediatePort: true,
      length: 2,
    });
    expect(io('mov dx, 0x3f8\nout dx, ax')).toMatchObject({
      port: 0x3f8,
      size: 2,
      direction: 'out',
      immediatePort: false,
      rip: 0x10004,
      length: 2,
    });
    expect(io('in eax, 0x60')).toMatchObject({ port: 0x60, size: 4, direction: 'in' });
    expect(io('mov dx, 0x3f8\noutsb')).toMatchObject({
      port: 0x3f8,
      size: 1,
      direction: 'out',
      string: true,
      rep: false,
    });
    expect(io('mov dx, 0x3f8\nmov ecx, 5\nrep outsb')).toMatchObject({
      string: true,
      rep: true,
      length: 2,
    });
    // REP with RCX = 0 does nothing and does not exit.
    expect(run('mov dx, 0x3f8\nxor ecx, ecx\nrep outsb\nhlt').r.exit?.kind).toBe('hlt');
  });

  it('an access with no memory slot (at or above the end of RAM) is an MMIO exit', () => {
    const w = run('mov rbx, 0x200000\nmov dword [rbx + 8], 0x1234\nhlt').r;
    expect(w.exit).toMatchObject({
      kind: 'mmio',
      gpa: 0x200008,
      size: 4,
      access: 'write',
      value: 0x1234n,
    });
    const { r: rd, labels } = run('mov rbx, 0x300000\nat: mov ax, [rbx]\nhlt');
    expect(rd.exit).toMatchObject({
      kind: 'mmio',
      gpa: 0x300000,
      size: 2,
      access: 'read',
      rip: labels.get('at'),
    });
    // Nothing retired: RIP is at the instruction that made the access.
    expect(rd.rip).toBe(BigInt(labels.get('at')!));
    const fetch = run('mov rax, 0x400000\njmp rax').r;
    expect(fetch.exit).toMatchObject({ kind: 'mmio', gpa: 0x400000, access: 'fetch' });
  });

  it("VMCALL exits at CPL 3 too: refusing it is KVM's job, not the CPU's", () => {
    const src = `
  jmp setup
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff, 0x00affa000000ffff, 0x00cff2000000ffff
gdtr: dw 39
  dq gdt
setup:
  lgdt [gdtr]
${ENTER_CPL3}
user:
  vmcall
  hlt`;
    const { r, labels } = run(src);
    // VMCALL exits at any CPL (KVM answers -KVM_EPERM); it is the hypervisor's check.
    expect(r.exit).toMatchObject({ kind: 'hypercall', rip: labels.get('user') });
  });
});

describe('register widths (SDM Vol. 1 §3.4.1.1)', () => {
  it('32-bit writes zero the upper half; 8- and 16-bit writes keep it', () => {
    const { r } = run(`
  mov rax, -1
  mov eax, 1
  mov rbx, -1
  mov bx, 2
  mov rcx, -1
  mov cl, 3
  mov rdx, -1
  mov dh, 4
  hlt`);
    expect(r.regs[0]).toBe(1n);
    expect(r.regs[3]).toBe(0xffffffffffff0002n);
    expect(r.regs[1]).toBe(0xffffffffffffff03n);
    expect(r.regs[2]).toBe(0xffffffffffff04ffn);
  });
});

describe('self-modifying code', () => {
  it('a write over an instruction already executed runs the new bytes next time', () => {
    // The loop body's `mov al, 1` is rewritten to `mov al, 7` after the first pass.
    const { r } = run(`
  xor ebx, ebx
  mov ecx, 2
again:
patch:
  mov al, 1
  add bl, al
  mov byte [rel patch + 1], 7
  dec ecx
  jnz again
  hlt`);
    expect(r.stop).toBe('hlt');
    expect(r.regs[3]).toBe(8n);
  });

  it('KVM-style patching: rewriting VMMCALL to VMCALL in place', () => {
    const a = assemble('site: vmmcall\nhlt');
    const mem = createMemory();
    loadBytes(mem, a.origin, a.bytes);
    const v = new Vcpu(createCpuState({ entry: a.origin }), mem);
    v.exceptionBitmap = 1 << 6; // intercept #UD as KVM does
    expect(v.run(10)).toBe('exit');
    expect(v.exit).toMatchObject({ kind: 'exception', vector: 6, rip: 0x10000, length: 3 });
    // The hypervisor rewrites the three bytes (emulator_fix_hypercall) and re-enters.
    mem.bytes.set([0x0f, 0x01, 0xc1], 0x10000);
    v.noteWrite(0x10000, 3);
    v.exit = null;
    expect(v.run(10)).toBe('exit');
    expect(v.exit).toMatchObject({ kind: 'hypercall', insn: 'vmcall' });
    expect(getReg64(v.state, 0)).toBe(0n);
  });
});

describe('semantics table', () => {
  it('covers every mnemonic of the opcode table', () => {
    const missing = [...new Set(OPCODE_TABLE.map((r) => r.mnemonic))].filter((m) => !SEMANTICS[m]);
    expect(missing).toEqual([]);
  });
});
