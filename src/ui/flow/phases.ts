import type { Vendor } from './labels';
import type { FlowPhase } from './phaseNodes';

/**
 * What the hardware or the kernel does in each kind of phase: one sentence
 * per phase and vendor, shown under the live values of the active phase.
 * Checked against /work/shared/reference/kvm-hypercalls.md (§4 in-kernel
 * path, §4.5 userspace branch, §5 exit tables, §6 ioctls).
 *
 * Contract (tests/ui/flow/phases.test.ts):
 * - `functions` are functions of this phase's own host call chain
 *   (src/core/kvm/hostFunctions.ts, same phase and vendor), each named in
 *   `summary`;
 * - every other lower-case identifier in `summary` is a function of some
 *   chain of that vendor, or one of FIELD_TERMS (struct fields, not code);
 * - Intel sentences say VMCS/VMCALL and never VMCB/VMMCALL, and vice versa.
 */
export interface PhaseExplanation {
  readonly summary: string;
  readonly functions: readonly string[];
}

/** Lower-case identifiers in the summaries that name struct fields, not functions. */
export const FIELD_TERMS: readonly string[] = [
  'exit_reason',
  'exit_code',
  'exit_info_1',
  'exit_info_2',
  'next_rip',
  'kvm_run',
];

type Table = Readonly<Record<FlowPhase, PhaseExplanation>>;

const SHARED = {
  intercept: {
    summary:
      'Not upstream KVM: a teaching model of kVMI-style introspection (proposed for Linux, never merged) in which the first matching rule may log the hypercall, deny it (RAX ← -errno), redirect it to another number, rewrite its arguments or forward it to the VMM as KVM_EXIT_HYPERCALL.',
    functions: [],
  },
  userspace: {
    summary:
      'The handler returned 0, so vcpu_run leaves its loop and the KVM_RUN ioctl returns to the VMM, which switches on run->exit_reason (KVM_EXIT_IO, KVM_EXIT_MMIO, KVM_EXIT_HYPERCALL, KVM_EXIT_HLT …), services the device, writes any reply into kvm_run and calls KVM_RUN again.',
    functions: ['KVM_RUN'],
  },
  ioctl: {
    summary:
      'Set-up, not a hypercall: the VMM configures the machine with ioctls on /dev/kvm (kvm_dev_ioctl: KVM_CREATE_VM), on the VM fd (kvm_vm_ioctl: KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU) and on the vCPU fd (kvm_vcpu_ioctl: KVM_SET_CPUID2, KVM_SET_SREGS, KVM_SET_REGS, KVM_RUN).',
    functions: ['kvm_dev_ioctl', 'kvm_vm_ioctl', 'kvm_vcpu_ioctl'],
  },
  block: {
    summary:
      'HLT with the local APIC in the kernel: kvm_emulate_halt leaves the vCPU halted, so vcpu_run calls vcpu_block, where kvm_vcpu_halt puts the vCPU thread to sleep until an interrupt or a kick makes it runnable.',
    functions: ['vcpu_run', 'vcpu_block', 'kvm_vcpu_halt'],
  },
  wake: {
    summary:
      'An interrupt for the halted vCPU, or KVM_HC_KICK_CPU from another vCPU, reaches kvm_vcpu_kick, whose kvm_vcpu_wake_up wakes the sleeping vCPU thread; vcpu_block returns and vcpu_run can enter the guest again.',
    functions: ['kvm_vcpu_kick', 'kvm_vcpu_wake_up'],
  },
  irq: {
    summary:
      'A device interrupt without a KVM_RUN round trip: the VMM timer writes its irqfd, irqfd_wakeup leads to kvm_set_irq, the in-kernel IOAPIC routes GSI 0 and kvm_apic_set_irq sets the vector in the target local APIC, kicking the vCPU if it sleeps.',
    functions: ['irqfd_wakeup', 'kvm_set_irq', 'kvm_apic_set_irq'],
  },
} as const satisfies Partial<Table>;

/** Intel VMX. */
export const INTEL_PHASES: Table = {
  ...SHARED,
  guest: {
    summary:
      'The vCPU executes guest code in VMX non-root operation; an instruction that must exit (VMCALL 0F 01 C1, HLT, IN/OUT, CPUID, an access to guest-physical memory with no memslot) does not retire: the CPU takes a VM exit instead.',
    functions: [],
  },
  'vm-exit': {
    summary:
      'The CPU saves guest state in the VMCS, records the exit reason, exit qualification and VM-exit instruction length, and loads host state from the VMCS, so execution continues in __vmx_vcpu_run after VMRESUME and returns through vmx_vcpu_enter_exit and vmx_vcpu_run to vcpu_enter_guest.',
    functions: ['__vmx_vcpu_run', 'vmx_vcpu_enter_exit', 'vmx_vcpu_run'],
  },
  dispatch: {
    summary:
      'Back in vcpu_enter_guest, KVM calls vmx_handle_exit; __vmx_handle_exit checks for a failed VM entry and for event delivery, then calls the entry of kvm_vmx_exit_handlers[] indexed by the basic exit reason (18 = VMCALL → kvm_emulate_hypercall).',
    functions: [
      'vcpu_enter_guest',
      'vmx_handle_exit',
      '__vmx_handle_exit',
      'kvm_vmx_exit_handlers[]',
    ],
  },
  handle: {
    summary:
      'The handler from the table runs; for VMCALL, kvm_emulate_hypercall reads nr from RAX and a0–a3 from RBX, RCX, RDX, RSI, answers -KVM_EPERM if CPL ≠ 0, dispatches on nr and stages the result in kvm_run.hypercall.ret, returning 1 to re-enter the guest or 0 to exit to userspace.',
    functions: ['kvm_emulate_hypercall'],
  },
  resume: {
    summary:
      'KVM completes the instruction — for a hypercall complete_hypercall_exit copies kvm_run.hypercall.ret to RAX and kvm_skip_emulated_instruction advances RIP by the VM-exit instruction length — and vcpu_enter_guest enters the guest again with VMRESUME.',
    functions: ['complete_hypercall_exit', 'kvm_skip_emulated_instruction', 'vcpu_enter_guest'],
  },
};

/** AMD SVM. */
export const AMD_PHASES: Table = {
  ...SHARED,
  guest: {
    summary:
      'The vCPU executes guest code in guest mode, entered by VMRUN; an intercepted instruction (VMMCALL 0F 01 D9, HLT, IN/OUT, CPUID) or a nested page fault on guest-physical memory with no memslot does not complete: the CPU performs a #VMEXIT instead.',
    functions: [],
  },
  'vm-exit': {
    summary:
      '#VMEXIT: the CPU saves guest state in the VMCB, writes exit_code, exit_info_1, exit_info_2 (and next_rip with NRIPS) to its control area and restores the host state VMRUN saved, so execution continues after VMRUN in __svm_vcpu_run and returns through svm_vcpu_enter_exit and svm_vcpu_run to vcpu_enter_guest.',
    functions: ['__svm_vcpu_run', 'svm_vcpu_enter_exit', 'svm_vcpu_run'],
  },
  dispatch: {
    summary:
      'Back in vcpu_enter_guest, KVM calls svm_handle_exit, which checks for SVM_EXIT_ERR (a failed VMRUN); svm_invoke_exit_handler then calls the entry of svm_exit_handlers[] indexed by the VMCB exit_code (0x081 = VMMCALL → kvm_emulate_hypercall).',
    functions: [
      'vcpu_enter_guest',
      'svm_handle_exit',
      'svm_invoke_exit_handler',
      'svm_exit_handlers[]',
    ],
  },
  handle: {
    summary:
      'The handler from the table runs; for VMMCALL, kvm_emulate_hypercall reads nr from RAX and a0–a3 from RBX, RCX, RDX, RSI, answers -KVM_EPERM if CPL ≠ 0, dispatches on nr and stages the result in kvm_run.hypercall.ret, returning 1 to re-enter the guest or 0 to exit to userspace.',
    functions: ['kvm_emulate_hypercall'],
  },
  resume: {
    summary:
      'KVM completes the instruction — for a hypercall complete_hypercall_exit copies kvm_run.hypercall.ret to RAX and kvm_skip_emulated_instruction sets RIP to the VMCB next_rip (NRIPS) — and vcpu_enter_guest enters the guest again with VMRUN.',
    functions: ['complete_hypercall_exit', 'kvm_skip_emulated_instruction', 'vcpu_enter_guest'],
  },
};

/** The explanation of a phase kind for a vendor, or null for an unknown phase name. */
export function explainPhase(phase: string, vendor: Vendor): PhaseExplanation | null {
  const table = vendor === 'intel' ? INTEL_PHASES : AMD_PHASES;
  return Object.hasOwn(table, phase) ? table[phase as FlowPhase] : null;
}
