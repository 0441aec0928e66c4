import type { PhaseView } from '../../../src/core';

/** A PhaseView as core's describe.ts produces it (golden 08-kick-cpu, Intel). */
export const HANDLE_KICK: PhaseView = {
  index: 42,
  time: 72857,
  vcpu: 0,
  phase: 'handle',
  chain: ['kvm_emulate_hypercall', '____kvm_emulate_hypercall'],
  source: 'arch/x86/kvm/x86.c',
  text: 'nr = RAX = 0x5 → KVM_HC_KICK_CPU; a0 = RBX = 0x0, a1 = RCX = 0x1, a2 = RDX = 0x0, a3 = RSI = 0x0; result 0x0 staged in kvm_run.hypercall.ret',
  reads: ['RAX (nr)', 'RBX', 'RCX', 'RDX', 'RSI (a0–a3)', 'CPL'],
  writes: ['kvm_run.hypercall.ret'],
  exit: 3,
};
