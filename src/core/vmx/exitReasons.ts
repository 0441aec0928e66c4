/**
 * Exit reasons as the hardware numbers them and as KVM dispatches them.
 *
 * Intel: the basic exit reason in the VMCS (SDM Vol. 3 Appendix C;
 * arch/x86/include/uapi/asm/vmx.h `EXIT_REASON_*`), dispatched by
 * `__vmx_handle_exit` through `kvm_vmx_exit_handlers[]`
 * (arch/x86/kvm/vmx/vmx.c).
 * AMD: the VMCB exit code (APM Vol. 2 Appendix C;
 * arch/x86/include/uapi/asm/svm.h `SVM_EXIT_*`), dispatched by
 * `svm_invoke_exit_handler` through `svm_exit_handlers[]`
 * (arch/x86/kvm/svm/svm.c).
 *
 * Names are the constants without their prefix (`EXIT_REASON_VMCALL` →
 * `VMCALL`, `SVM_EXIT_IOIO` → `IOIO`); every AMD exception intercept is
 * `EXCP` (code 0x40 + vector).
 */

export type VendorName = 'intel' | 'amd';

export interface ExitReasonInfo {
  vendor: VendorName;
  /** The hardware's number: VMX basic exit reason, or SVM exit code. */
  code: number;
  name: string;
  /** The KVM handler in the vendor's exit-handler table. */
  handler: string;
  /** Source file of the handler, relative to the Linux tree. */
  source: string;
}

const VMX_SRC = 'arch/x86/kvm/vmx/vmx.c';
const SVM_SRC = 'arch/x86/kvm/svm/svm.c';
const X86_SRC = 'arch/x86/kvm/x86.c';

/** The reasons this model produces, Intel numbering (EXIT_REASON_*). */
export const VMX_EXIT = {
  EXCEPTION_NMI: 0,
  EXTERNAL_INTERRUPT: 1,
  TRIPLE_FAULT: 2,
  INTERRUPT_WINDOW: 7,
  CPUID: 10,
  HLT: 12,
  VMCALL: 18,
  CR_ACCESS: 28,
  IO_INSTRUCTION: 30,
  MSR_READ: 31,
  MSR_WRITE: 32,
  EPT_VIOLATION: 48,
  EPT_MISCONFIG: 49,
} as const;

/** The codes this model produces, AMD numbering (SVM_EXIT_*). */
export const SVM_EXIT = {
  READ_CR0: 0x000,
  WRITE_CR0: 0x010,
  EXCP_BASE: 0x040,
  INTR: 0x060,
  VINTR: 0x064,
  CPUID: 0x072,
  HLT: 0x078,
  IOIO: 0x07b,
  MSR: 0x07c,
  SHUTDOWN: 0x07f,
  VMMCALL: 0x081,
  NPF: 0x400,
} as const;

/**
 * kvm_vmx_exit_handlers[]: exit reason → handler. Every reason the model can
 * produce is here; a reason missing from the table goes to KVM's
 * "unexpected exit" path (KVM_EXIT_INTERNAL_ERROR).
 */
export const VMX_EXIT_HANDLERS: Readonly<Record<number, ExitReasonInfo>> = Object.freeze(
  Object.fromEntries(
    (
      [
        [VMX_EXIT.EXCEPTION_NMI, 'EXCEPTION_NMI', 'handle_exception_nmi', VMX_SRC],
        [VMX_EXIT.EXTERNAL_INTERRUPT, 'EXTERNAL_INTERRUPT', 'handle_external_interrupt', VMX_SRC],
        [VMX_EXIT.TRIPLE_FAULT, 'TRIPLE_FAULT', 'handle_triple_fault', VMX_SRC],
        [VMX_EXIT.INTERRUPT_WINDOW, 'INTERRUPT_WINDOW', 'handle_interrupt_window', VMX_SRC],
        [VMX_EXIT.CPUID, 'CPUID', 'kvm_emulate_cpuid', 'arch/x86/kvm/cpuid.c'],
        [VMX_EXIT.HLT, 'HLT', 'kvm_emulate_halt', X86_SRC],
        [VMX_EXIT.VMCALL, 'VMCALL', 'kvm_emulate_hypercall', X86_SRC],
        [VMX_EXIT.CR_ACCESS, 'CR_ACCESS', 'handle_cr', VMX_SRC],
        [VMX_EXIT.IO_INSTRUCTION, 'IO_INSTRUCTION', 'handle_io', VMX_SRC],
        [VMX_EXIT.MSR_READ, 'MSR_READ', 'kvm_emulate_rdmsr', X86_SRC],
        [VMX_EXIT.MSR_WRITE, 'MSR_WRITE', 'kvm_emulate_wrmsr', X86_SRC],
        [VMX_EXIT.EPT_VIOLATION, 'EPT_VIOLATION', 'handle_ept_violation', VMX_SRC],
        [VMX_EXIT.EPT_MISCONFIG, 'EPT_MISCONFIG', 'handle_ept_misconfig', VMX_SRC],
      ] as const
    ).map(([code, name, handler, source]) => [
      code,
      { vendor: 'intel' as const, code, name, handler, source },
    ]),
  ),
);

/** svm_exit_handlers[]: exit code → handler (exception intercepts: one per vector). */
export const SVM_EXIT_HANDLERS: Readonly<Record<number, ExitReasonInfo>> = Object.freeze(
  Object.fromEntries(
    (
      [
        [SVM_EXIT.READ_CR0, 'READ_CR0', 'cr_interception', SVM_SRC],
        [SVM_EXIT.WRITE_CR0, 'WRITE_CR0', 'cr_interception', SVM_SRC],
        [SVM_EXIT.EXCP_BASE + 1, 'EXCP', 'db_interception', SVM_SRC],
        [SVM_EXIT.EXCP_BASE + 3, 'EXCP', 'bp_interception', SVM_SRC],
        [SVM_EXIT.EXCP_BASE + 6, 'EXCP', 'ud_interception', SVM_SRC],
        [SVM_EXIT.EXCP_BASE + 13, 'EXCP', 'gp_interception', SVM_SRC],
        [SVM_EXIT.EXCP_BASE + 14, 'EXCP', 'pf_interception', SVM_SRC],
        [SVM_EXIT.EXCP_BASE + 17, 'EXCP', 'ac_interception', SVM_SRC],
        [SVM_EXIT.EXCP_BASE + 18, 'EXCP', 'mc_interception', SVM_SRC],
        [SVM_EXIT.INTR, 'INTR', 'intr_interception', SVM_SRC],
        [SVM_EXIT.VINTR, 'VINTR', 'interrupt_window_interception', SVM_SRC],
        [SVM_EXIT.CPUID, 'CPUID', 'kvm_emulate_cpuid', 'arch/x86/kvm/cpuid.c'],
        [SVM_EXIT.HLT, 'HLT', 'kvm_emulate_halt', X86_SRC],
        [SVM_EXIT.IOIO, 'IOIO', 'io_interception', SVM_SRC],
        [SVM_EXIT.MSR, 'MSR', 'msr_interception', SVM_SRC],
        [SVM_EXIT.SHUTDOWN, 'SHUTDOWN', 'shutdown_interception', SVM_SRC],
        [SVM_EXIT.VMMCALL, 'VMMCALL', 'vmmcall_interception', SVM_SRC],
        [SVM_EXIT.NPF, 'NPF', 'npf_interception', SVM_SRC],
      ] as const
    ).map(([code, name, handler, source]) => [
      code,
      { vendor: 'amd' as const, code, name, handler, source },
    ]),
  ),
);

/** The handler table of a vendor. */
export function exitHandlers(vendor: VendorName): Readonly<Record<number, ExitReasonInfo>> {
  return vendor === 'intel' ? VMX_EXIT_HANDLERS : SVM_EXIT_HANDLERS;
}

/** Format an exit code as the vendor writes it: decimal for VMX, 0x%03x for SVM. */
export function formatExitCode(vendor: VendorName, code: number): string {
  return vendor === 'intel' ? String(code) : `0x${code.toString(16).padStart(3, '0')}`;
}
