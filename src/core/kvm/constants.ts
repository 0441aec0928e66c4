/**
 * KVM ABI numbers, spelled as in the Linux uapi headers:
 * include/uapi/linux/kvm_para.h (KVM_HC_*, KVM_E*),
 * include/uapi/linux/kvm.h (KVM_EXIT_*, KVM_CAP_*),
 * arch/x86/include/uapi/asm/kvm_para.h (KVM_FEATURE_*, MSR_KVM_*, CPUID leaves),
 * arch/x86/include/uapi/asm/kvm.h (quirks).
 */

/** Hypercall numbers (include/uapi/linux/kvm_para.h). */
export const KVM_HC = {
  VAPIC_POLL_IRQ: 1,
  MMU_OP: 2,
  FEATURES: 3,
  PPC_MAP_MAGIC_PAGE: 4,
  KICK_CPU: 5,
  MIPS_GET_CLOCK_FREQ: 6,
  MIPS_EXIT_VM: 7,
  MIPS_CONSOLE_OUTPUT: 8,
  CLOCK_PAIRING: 9,
  SEND_IPI: 10,
  SCHED_YIELD: 11,
  MAP_GPA_RANGE: 12,
} as const;

/** Hypercall error numbers; the guest sees the negated value in RAX. */
export const KVM_E = {
  ENOSYS: 1000,
  EFAULT: 14,
  EINVAL: 22,
  E2BIG: 7,
  EPERM: 1,
  EOPNOTSUPP: 95,
} as const;

/** kvm_run.exit_reason values (include/uapi/linux/kvm.h). */
export const KVM_EXIT = {
  UNKNOWN: 0,
  EXCEPTION: 1,
  IO: 2,
  HYPERCALL: 3,
  DEBUG: 4,
  HLT: 5,
  MMIO: 6,
  IRQ_WINDOW_OPEN: 7,
  SHUTDOWN: 8,
  FAIL_ENTRY: 9,
  INTR: 10,
  INTERNAL_ERROR: 17,
  SYSTEM_EVENT: 24,
  X86_RDMSR: 29,
  X86_WRMSR: 30,
} as const;

export type KvmExitName = `KVM_EXIT_${keyof typeof KVM_EXIT}`;

/** `KVM_EXIT_*` name of a number. */
export function kvmExitName(n: number): KvmExitName {
  const e = Object.entries(KVM_EXIT).find(([, v]) => v === n);
  return `KVM_EXIT_${(e?.[0] ?? 'UNKNOWN') as keyof typeof KVM_EXIT}`;
}

/** KVM_EXIT_IO directions (kvm_run.io.direction). */
export const KVM_EXIT_IO_IN = 0;
export const KVM_EXIT_IO_OUT = 1;
/** kvm_run.io.data_offset: the PIO data page follows kvm_run (KVM_PIO_PAGE_OFFSET = 1). */
export const KVM_PIO_DATA_OFFSET = 4096;
/** kvm_run.hypercall.flags bit 0 (arch/x86/include/uapi/asm/kvm.h). */
export const KVM_EXIT_HYPERCALL_LONG_MODE = 1;
/** KVM_INTERNAL_ERROR_* suberrors. */
export const KVM_INTERNAL_ERROR = {
  EMULATION: 1,
  SIMUL_EX: 2,
  DELIVERY_EV: 3,
  UNEXPECTED_EXIT_REASON: 4,
} as const;

/** Capabilities used by the VMM model. */
export const KVM_CAP = {
  IRQCHIP: 0,
  IRQFD: 32,
  ENFORCE_PV_FEATURE_CPUID: 190,
  EXIT_HYPERCALL: 201,
  DISABLE_QUIRKS2: 213,
} as const;

/** KVM_X86_QUIRK_FIX_HYPERCALL_INSN (on by default). */
export const KVM_X86_QUIRK_FIX_HYPERCALL_INSN = 1 << 5;

/** PV feature bits in CPUID 0x40000001 EAX. */
export const KVM_FEATURE = {
  CLOCKSOURCE: 0,
  NOP_IO_DELAY: 1,
  CLOCKSOURCE2: 3,
  ASYNC_PF: 4,
  STEAL_TIME: 5,
  PV_EOI: 6,
  PV_UNHALT: 7,
  PV_TLB_FLUSH: 9,
  PV_SEND_IPI: 11,
  POLL_CONTROL: 12,
  PV_SCHED_YIELD: 13,
  HC_MAP_GPA_RANGE: 16,
  CLOCKSOURCE_STABLE_BIT: 24,
} as const;

/** CPUID leaves of the KVM signature (arch/x86/include/uapi/asm/kvm_para.h). */
export const KVM_CPUID_SIGNATURE = 0x40000000;
export const KVM_CPUID_FEATURES = 0x40000001;

/** KVM paravirtual MSRs (arch/x86/include/uapi/asm/kvm_para.h). */
export const MSR_KVM = {
  WALL_CLOCK: 0x11,
  SYSTEM_TIME: 0x12,
  WALL_CLOCK_NEW: 0x4b564d00,
  SYSTEM_TIME_NEW: 0x4b564d01,
  ASYNC_PF_EN: 0x4b564d02,
  STEAL_TIME: 0x4b564d03,
  PV_EOI_EN: 0x4b564d04,
  POLL_CONTROL: 0x4b564d05,
  ASYNC_PF_INT: 0x4b564d06,
  ASYNC_PF_ACK: 0x4b564d07,
} as const;

/** Name of a hypercall number, or undefined. */
export function hypercallName(nr: bigint | number): string | undefined {
  const n = Number(nr);
  const e = Object.entries(KVM_HC).find(([, v]) => v === n);
  return e ? `KVM_HC_${e[0]}` : undefined;
}
