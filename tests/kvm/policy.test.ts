/** The interception layer's actions, and the VMCS/VMCB view of an exit. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { getReg64 } from '../../src/core/cpu';
import { PHASE } from '../../src/core/trace/trace';
import { Vmm, type VmOptions } from '../../src/core/vmm/vmm';

function run(src: string, options: VmOptions) {
  const a = assemble(src);
  expect(a.errors).toEqual([]);
  const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry }, options);
  vmm.run(100_000);
  return vmm;
}

const CALL = (nr: number) => `mov eax, ${nr}\n  mov ebx, 0x11\n  mov ecx, 0x22\n  vmcall\n  hlt`;

describe('interception policy', () => {
  it('log lets the call through, with an intercept phase', () => {
    const vmm = run(CALL(1), { policy: [{ nr: 1, action: { kind: 'log' } }] });
    expect(getReg64(vmm.kvm.cpus[0].state, 0)).toBe(0n);
    expect(Array.from(vmm.trace.phase.subarray(0, vmm.trace.length))).toContain(PHASE.intercept);
  });

  it('deny answers -errno without running the handler', () => {
    const vmm = run(CALL(1), { policy: [{ nr: 1, action: { kind: 'deny', errno: 22 } }] });
    expect(getReg64(vmm.kvm.cpus[0].state, 0)).toBe(BigInt.asUintN(64, -22n));
    const t = vmm.trace;
    const phasesOfExit0 = Array.from({ length: t.length }, (_, e) => e)
      .filter((e) => t.exit[e] === 0)
      .map((e) => t.phase[e]);
    expect(phasesOfExit0).toContain(PHASE.intercept);
    expect(phasesOfExit0).not.toContain(PHASE.handle);
  });

  it('redirect runs another number (here an unknown one → -KVM_ENOSYS)', () => {
    const vmm = run(CALL(1), { policy: [{ nr: 1, action: { kind: 'redirect', nr: 99 } }] });
    expect(getReg64(vmm.kvm.cpus[0].state, 0)).toBe(0xfffffffffffffc18n);
  });

  it('rewrite changes the arguments KVM sees (SEND_IPI to nobody → 0, to vCPU 0 → 1)', () => {
    // a0 = 0x11 has bit 0 set: one IPI to APIC ID 0; rewriting a0 to 0 sends none.
    const plain = run(
      `mov eax, 10\n  mov ebx, 1\n  xor ecx, ecx\n  xor edx, edx\n  mov esi, 0x30\n  vmcall\n  hlt`,
      {},
    );
    expect(getReg64(plain.kvm.cpus[0].state, 0)).toBe(1n);
    const rewritten = run(
      `mov eax, 10\n  mov ebx, 1\n  xor ecx, ecx\n  xor edx, edx\n  mov esi, 0x30\n  vmcall\n  hlt`,
      {
        policy: [{ nr: 10, action: { kind: 'rewrite', args: { 0: 0n } } }],
      },
    );
    expect(getReg64(rewritten.kvm.cpus[0].state, 0)).toBe(0n);
  });

  it('KICK_CPU reads the APIC ID a rule rewrote', () => {
    // vCPU 0 kicks APIC ID 7, which no vCPU has; the rule makes it vCPU 1.
    const src = `test edi, edi\n  jnz ap\n  mov eax, 5\n  xor ebx, ebx\n  mov ecx, 7\n  vmcall\n  hlt\nap:\n  hlt\n  mov r12d, 1\n  hlt`;
    const plain = run(src, { vcpus: 2 });
    expect(getReg64(plain.kvm.cpus[1].state, 12)).toBe(0n);
    const rewritten = run(src, {
      vcpus: 2,
      policy: [{ nr: 5, action: { kind: 'rewrite', args: { 1: 1n } } }],
    });
    expect(getReg64(rewritten.kvm.cpus[1].state, 12)).toBe(1n);
  });

  it('forward hands the call to userspace as KVM_EXIT_HYPERCALL', () => {
    const vmm = run(CALL(1), { policy: [{ nr: 1, action: { kind: 'forward' } }] });
    const row = vmm.trace.exitRow(0);
    expect(row.handledIn).toBe('userspace');
    expect(row.kvmExit).toBe(3);
    // The VMM answers a forwarded call it does not implement with -KVM_ENOSYS.
    expect(getReg64(vmm.kvm.cpus[0].state, 0)).toBe(0xfffffffffffffc18n);
  });
});

describe('VMCS / VMCB fields of the last exit', () => {
  it('Intel: exit reason, instruction length and the saved guest RIP', () => {
    const vmm = run(CALL(11), { vendor: 'intel' });
    const f = Object.fromEntries(vmm.kvm.controlFields(0).map((x) => [x.name, x.value]));
    expect(f.VM_EXIT_REASON).toBe(12n); // the last exit is the HLT
    expect(f.VM_EXIT_INSTRUCTION_LEN).toBe(1n);
    expect(f.GUEST_CS_SELECTOR).toBe(8n);
  });
  it('RFLAGS is the guest’s at the exit, also after the guest has changed its flags', () => {
    for (const vendor of ['intel', 'amd'] as const) {
      const a = assemble(
        `mov eax, 0x7fffffff\n  add eax, 1\n  mov eax, 1\n  ${vendor === 'intel' ? 'vmcall' : 'vmmcall'}\n  xor ecx, ecx\n  hlt`,
      );
      const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry }, { vendor });
      // mov, add, mov, the hypercall (retired by KVM's skip), xor: stop before the HLT exits.
      vmm.run(5);
      const f = Object.fromEntries(vmm.kvm.controlFields(0).map((x) => [x.name, x.value]));
      const saved = f[vendor === 'intel' ? 'GUEST_RFLAGS' : 'save.rflags'];
      // 0x7fffffff + 1: OF, SF, AF and PF set; ZF and CF clear.
      expect(saved & 0x8d5n).toBe(0x894n);
      // The XOR after it set ZF and cleared the others.
      expect(vmm.kvm.rflags(0) & 0x8d5).toBe(0x44);
    }
  });
  it('AMD: exit code, next_rip and EXITINFO1 of an IOIO exit', () => {
    const vmm = run(
      `mov dx, 0x3f8\n  mov al, 65\n  out dx, al\n  mov eax, 11\n  vmmcall\n  xor eax, eax\n  mov dx, 0x3f8\nlast:\n  out dx, al\n  cli\n  hlt`,
      { vendor: 'amd' },
    );
    // Look at the IOIO exit: step the same program only to it.
    expect(vmm.devices.console.startsWith('A')).toBe(true);
    const f = Object.fromEntries(vmm.kvm.controlFields(0).map((x) => [x.name, x.value]));
    expect(f['control.exit_code']).toBe(0x78n); // HLT last
    expect(f['control.next_rip']).toBe(f['save.rip'] + 1n);
  });
});
