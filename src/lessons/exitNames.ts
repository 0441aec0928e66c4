/**
 * Names a question's answer may take (types.ts QuestionAsk): the exit
 * reasons the model produces, as each vendor names them, and the
 * `kvm_run.exit_reason` names of include/uapi/linux/kvm.h.
 */
import type { Vendor } from './types';

/**
 * Exit reasons the model produces. Intel: basic exit reasons
 * (arch/x86/include/uapi/asm/vmx.h `EXIT_REASON_*` without the prefix);
 * AMD: exit codes (arch/x86/include/uapi/asm/svm.h `SVM_EXIT_*`), every
 * exception intercept being `EXCP` (0x040 + vector).
 */
export const EXIT_REASON_NAMES: Readonly<Record<Vendor, readonly string[]>> = {
  intel: [
    'EXCEPTION_NMI',
    'EXTERNAL_INTERRUPT',
    'TRIPLE_FAULT',
    'INTERRUPT_WINDOW',
    'CPUID',
    'HLT',
    'VMCALL',
    'CR_ACCESS',
    'IO_INSTRUCTION',
    'MSR_READ',
    'MSR_WRITE',
    'EPT_VIOLATION',
    'EPT_MISCONFIG',
  ],
  amd: [
    'READ_CR0',
    'WRITE_CR0',
    'EXCP',
    'INTR',
    'VINTR',
    'CPUID',
    'HLT',
    'IOIO',
    'MSR',
    'SHUTDOWN',
    'VMMCALL',
    'NPF',
  ],
};

/** The `kvm-exit` answer when KVM finishes the exit in the kernel. */
export const NO_KVM_EXIT = 'none';

/** `kvm_run.exit_reason` names by number (include/uapi/linux/kvm.h). */
export const KVM_EXIT_NAMES: readonly string[] = [
  'KVM_EXIT_UNKNOWN',
  'KVM_EXIT_EXCEPTION',
  'KVM_EXIT_IO',
  'KVM_EXIT_HYPERCALL',
  'KVM_EXIT_DEBUG',
  'KVM_EXIT_HLT',
  'KVM_EXIT_MMIO',
  'KVM_EXIT_IRQ_WINDOW_OPEN',
  'KVM_EXIT_SHUTDOWN',
  'KVM_EXIT_FAIL_ENTRY',
  'KVM_EXIT_INTR',
  'KVM_EXIT_SET_TPR',
  'KVM_EXIT_TPR_ACCESS',
  'KVM_EXIT_S390_SIEIC',
  'KVM_EXIT_S390_RESET',
  'KVM_EXIT_DCR',
  'KVM_EXIT_NMI',
  'KVM_EXIT_INTERNAL_ERROR',
  'KVM_EXIT_OSI',
  'KVM_EXIT_PAPR_HCALL',
  'KVM_EXIT_S390_UCONTROL',
  'KVM_EXIT_WATCHDOG',
  'KVM_EXIT_S390_TSCH',
  'KVM_EXIT_EPR',
  'KVM_EXIT_SYSTEM_EVENT',
  'KVM_EXIT_S390_STSI',
  'KVM_EXIT_IOAPIC_EOI',
  'KVM_EXIT_HYPERV',
  'KVM_EXIT_ARM_NISV',
  'KVM_EXIT_X86_RDMSR',
  'KVM_EXIT_X86_WRMSR',
  'KVM_EXIT_DIRTY_RING_FULL',
  'KVM_EXIT_AP_RESET_HOLD',
  'KVM_EXIT_X86_BUS_LOCK',
  'KVM_EXIT_XEN',
  'KVM_EXIT_RISCV_SBI',
  'KVM_EXIT_RISCV_CSR',
  'KVM_EXIT_NOTIFY',
  'KVM_EXIT_LOONGARCH_IOCSR',
  'KVM_EXIT_MEMORY_FAULT',
  'KVM_EXIT_TDX',
];

/** The `KVM_EXIT_*` name of a number (unknown numbers as `KVM_EXIT_<n>`). */
export function kvmExitNameOf(n: number): string {
  return KVM_EXIT_NAMES[n] ?? `KVM_EXIT_${n}`;
}
