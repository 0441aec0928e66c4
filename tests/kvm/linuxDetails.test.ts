/**
 * Details where the model follows a specific line of Linux, pinned so a
 * refactor cannot drift from it (each test names the kernel function).
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { getReg64 } from '../../src/core/cpu';
import { Vmm, type VmOptions } from '../../src/core/vmm/vmm';

function run(src: string, options: VmOptions = {}) {
  const a = assemble(src);
  expect(a.errors).toEqual([]);
  const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry }, options);
  const { stop } = vmm.run(1_000_000);
  return { vmm, stop };
}

const insExits = (vmm: Vmm) => {
  const t = vmm.trace;
  return Array.from({ length: t.exitCount }, (_, x) => t.exitRow(x)).filter(
    (r) => r.name === 'IO_INSTRUCTION',
  ).length;
};

describe('REP INS read-ahead (pio_in_emulated, arch/x86/kvm/emulate.c)', () => {
  it('reads at most sizeof(read_cache.data) = 1024 bytes per exit', () => {
    const { vmm } = run(`
      mov edi, 0x20000
      mov ecx, 2048
      mov dx, 0x3fd
      rep insb
      hlt`);
    expect(insExits(vmm)).toBe(2);
    expect(getReg64(vmm.kvm.cpus[0].state, 1)).toBe(0n);
  });

  it('stops a batch at the end of RDI’s page', () => {
    const { vmm } = run(`
      mov edi, 0x20f00
      mov ecx, 512
      mov dx, 0x3fd
      rep insb
      hlt`);
    expect(insExits(vmm)).toBe(2); // 256 bytes to the page end, then 256
  });
});

describe('HLT after KICK_CPU (__kvm_emulate_halt, arch/x86/kvm/x86.c)', () => {
  it('a kick that came first is used up by one HLT; the next HLT sleeps', () => {
    // vCPU 0 kicks vCPU 1 at once; vCPU 1 spins first, then halts twice.
    const { vmm, stop } = run(
      `
      test edi, edi
      jnz ap
      mov eax, 5         ; KVM_HC_KICK_CPU
      xor ebx, ebx
      mov ecx, 1
      vmcall
      hlt
    ap:
      mov ecx, 50000
    spin:
      dec ecx
      jnz spin
      hlt                ; falls through: the kick is pending (pv_unhalted)
      mov r12d, 1
      hlt                ; sleeps: the kick was used up
      mov r12d, 2`,
      { vcpus: 2 },
    );
    expect(stop).toBe('all-halted');
    expect(getReg64(vmm.kvm.cpus[1].state, 12)).toBe(1n);
  });
});

describe('KICK_CPU (kvm_pv_kick_cpu_op, kvm_sched_yield, arch/x86/kvm/x86.c)', () => {
  // vCPU 0 kicks a1; vCPU 1 sleeps in HLT and records that it woke.
  const kick = (a1: string) => `
      test edi, edi
      jnz ap
      mov eax, 5         ; KVM_HC_KICK_CPU
      xor ebx, ebx
      mov rcx, ${a1}
      vmcall
      hlt
    ap:
      hlt
      mov r12d, 1
      hlt`;

  it('kicks the APIC ID in a1 taken as an int (its low 32 bits)', () => {
    // kvm_pv_kick_cpu_op(struct kvm *kvm, int apicid) is called with a1.
    const { vmm } = run(kick('0x100000001'), { vcpus: 2 });
    expect(getReg64(vmm.kvm.cpus[1].state, 12)).toBe(1n);
    const none = run(kick('7'), { vcpus: 2 }).vmm;
    expect(getReg64(none.kvm.cpus[1].state, 12)).toBe(0n);
  });

  it('a kick to itself yields to nobody: the next exit comes at the same time as after no kick', () => {
    // kvm_sched_yield: "Ignore requests to yield to self".
    const at = (a1: number) => {
      const { vmm } = run(
        `mov eax, 5\n  xor ebx, ebx\n  mov ecx, ${a1}\n  vmcall\n  mov eax, 1\n  vmcall\n  hlt`,
      );
      return vmm.trace.exitRow(1).time;
    };
    expect(at(0)).toBe(at(7));
  });
});

describe('SEND_IPI (kvm_pv_send_ipi, arch/x86/kvm/lapic.c)', () => {
  it('takes a2, the APIC ID of bit 0, as a u32', () => {
    // Bit 0 of the low bitmap, min = 0x1_0000_0000 → (u32) 0: APIC ID 0, one IPI.
    const { vmm } = run(
      `mov eax, 10\n  mov ebx, 1\n  xor ecx, ecx\n  mov rdx, 0x100000000\n  mov esi, 0x30\n  vmcall\n  hlt`,
    );
    expect(getReg64(vmm.kvm.cpus[0].state, 0)).toBe(1n);
  });
});
