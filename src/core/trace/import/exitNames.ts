/**
 * Exit-reason names as host tools print them, mapped to the names this lab
 * uses (DESIGN.md §5: the vendor constant without its prefix — `VMCALL`,
 * `IO_INSTRUCTION` on Intel; `VMMCALL`, `IOIO`, `EXCP` on AMD), so an
 * imported host trace and a run of the model compare reason by reason.
 *
 * What the tools print, by source:
 *  - kernel TP_printk (arch/x86/kvm/trace.h kvm_exit) uses __print_symbolic
 *    with VMX_EXIT_REASONS (arch/x86/include/uapi/asm/vmx.h: "EXCEPTION_NMI",
 *    "VMCALL", …, plus VMX_EXIT_REASON_FLAGS "FAILED_VMENTRY" after a space
 *    since v5.11) or SVM_EXIT_REASONS (uapi/asm/svm.h: lower-case "io",
 *    "msr", "hypercall", "npf", "UD excp", …); a code missing from the table
 *    prints as a number;
 *  - trace-cmd's kvm plugin (libtraceevent plugins/plugin_kvm.c,
 *    print_exit_reason) prints its own tables: VMX names as above (7 still
 *    "PENDING_INTERRUPT", renamed INTERRUPT_WINDOW in v5.6), SVM names as
 *    "EXIT_IOIO", "EXIT_VMMCALL", "EXIT_EXCP_BASE", …, and
 *    "UNKNOWN (<decimal>)" for a code it lacks;
 *  - perf kvm stat (tools/perf/arch/x86/util/kvm-stat.c) prints the uapi
 *    tables' strings.
 * Every AMD exception intercept (0x40 + vector) is `EXCP`, as in
 * core/vmx/exitReasons.ts.
 */

export type Vendor = 'intel' | 'amd';

/** VMX basic exit reasons (uapi/asm/vmx.h EXIT_REASON_*, Linux 6.x), by number. */
export const VMX_REASONS: Readonly<Record<number, string>> = Object.freeze({
  0: 'EXCEPTION_NMI',
  1: 'EXTERNAL_INTERRUPT',
  2: 'TRIPLE_FAULT',
  3: 'INIT_SIGNAL',
  4: 'SIPI_SIGNAL',
  7: 'INTERRUPT_WINDOW',
  8: 'NMI_WINDOW',
  9: 'TASK_SWITCH',
  10: 'CPUID',
  12: 'HLT',
  13: 'INVD',
  14: 'INVLPG',
  15: 'RDPMC',
  16: 'RDTSC',
  18: 'VMCALL',
  19: 'VMCLEAR',
  20: 'VMLAUNCH',
  21: 'VMPTRLD',
  22: 'VMPTRST',
  23: 'VMREAD',
  24: 'VMRESUME',
  25: 'VMWRITE',
  26: 'VMOFF',
  27: 'VMON',
  28: 'CR_ACCESS',
  29: 'DR_ACCESS',
  30: 'IO_INSTRUCTION',
  31: 'MSR_READ',
  32: 'MSR_WRITE',
  33: 'INVALID_STATE',
  34: 'MSR_LOAD_FAIL',
  36: 'MWAIT_INSTRUCTION',
  37: 'MONITOR_TRAP_FLAG',
  39: 'MONITOR_INSTRUCTION',
  40: 'PAUSE_INSTRUCTION',
  41: 'MCE_DURING_VMENTRY',
  43: 'TPR_BELOW_THRESHOLD',
  44: 'APIC_ACCESS',
  45: 'EOI_INDUCED',
  46: 'GDTR_IDTR',
  47: 'LDTR_TR',
  48: 'EPT_VIOLATION',
  49: 'EPT_MISCONFIG',
  50: 'INVEPT',
  51: 'RDTSCP',
  52: 'PREEMPTION_TIMER',
  53: 'INVVPID',
  54: 'WBINVD',
  55: 'XSETBV',
  56: 'APIC_WRITE',
  57: 'RDRAND',
  58: 'INVPCID',
  59: 'VMFUNC',
  60: 'ENCLS',
  61: 'RDSEED',
  62: 'PML_FULL',
  63: 'XSAVES',
  64: 'XRSTORS',
  67: 'UMWAIT',
  68: 'TPAUSE',
  74: 'BUS_LOCK',
  75: 'NOTIFY',
});

/** Older VMX spellings → today's. */
const VMX_ALIASES: Readonly<Record<string, string>> = { PENDING_INTERRUPT: 'INTERRUPT_WINDOW' };

/** VMX_EXIT_REASON_FLAGS, printed after the reason (bit 31: the VM entry failed). */
const VMX_FLAGS = new Set(['FAILED_VMENTRY']);

/** SVM exit codes (uapi/asm/svm.h SVM_EXIT_*): code → [constant without prefix, SVM_EXIT_REASONS string]. */
const SVM_TABLE: readonly (readonly [number, string, string])[] = [
  [0x000, 'READ_CR0', 'read_cr0'],
  [0x002, 'READ_CR2', 'read_cr2'],
  [0x003, 'READ_CR3', 'read_cr3'],
  [0x004, 'READ_CR4', 'read_cr4'],
  [0x008, 'READ_CR8', 'read_cr8'],
  [0x010, 'WRITE_CR0', 'write_cr0'],
  [0x012, 'WRITE_CR2', 'write_cr2'],
  [0x013, 'WRITE_CR3', 'write_cr3'],
  [0x014, 'WRITE_CR4', 'write_cr4'],
  [0x018, 'WRITE_CR8', 'write_cr8'],
  ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap(
    (n) =>
      [
        [0x020 + n, `READ_DR${n}`, `read_dr${n}`],
        [0x030 + n, `WRITE_DR${n}`, `write_dr${n}`],
      ] as const,
  ),
  [0x060, 'INTR', 'interrupt'],
  [0x061, 'NMI', 'nmi'],
  [0x062, 'SMI', 'smi'],
  [0x063, 'INIT', 'init'],
  [0x064, 'VINTR', 'vintr'],
  [0x065, 'CR0_SEL_WRITE', 'cr0_sel_write'],
  [0x066, 'IDTR_READ', 'read_idtr'],
  [0x067, 'GDTR_READ', 'read_gdtr'],
  [0x068, 'LDTR_READ', 'read_ldtr'],
  [0x069, 'TR_READ', 'read_rt'],
  [0x06a, 'IDTR_WRITE', 'write_idtr'],
  [0x06b, 'GDTR_WRITE', 'write_gdtr'],
  [0x06c, 'LDTR_WRITE', 'write_ldtr'],
  [0x06d, 'TR_WRITE', 'write_rt'],
  [0x06e, 'RDTSC', 'rdtsc'],
  [0x06f, 'RDPMC', 'rdpmc'],
  [0x070, 'PUSHF', 'pushf'],
  [0x071, 'POPF', 'popf'],
  [0x072, 'CPUID', 'cpuid'],
  [0x073, 'RSM', 'rsm'],
  [0x074, 'IRET', 'iret'],
  [0x075, 'SWINT', 'swint'],
  [0x076, 'INVD', 'invd'],
  [0x077, 'PAUSE', 'pause'],
  [0x078, 'HLT', 'hlt'],
  [0x079, 'INVLPG', 'invlpg'],
  [0x07a, 'INVLPGA', 'invlpga'],
  [0x07b, 'IOIO', 'io'],
  [0x07c, 'MSR', 'msr'],
  [0x07d, 'TASK_SWITCH', 'task_switch'],
  [0x07e, 'FERR_FREEZE', 'ferr_freeze'],
  [0x07f, 'SHUTDOWN', 'shutdown'],
  [0x080, 'VMRUN', 'vmrun'],
  [0x081, 'VMMCALL', 'hypercall'],
  [0x082, 'VMLOAD', 'vmload'],
  [0x083, 'VMSAVE', 'vmsave'],
  [0x084, 'STGI', 'stgi'],
  [0x085, 'CLGI', 'clgi'],
  [0x086, 'SKINIT', 'skinit'],
  [0x087, 'RDTSCP', 'rdtscp'],
  [0x088, 'ICEBP', 'icebp'],
  [0x089, 'WBINVD', 'wbinvd'],
  [0x08a, 'MONITOR', 'monitor'],
  [0x08b, 'MWAIT', 'mwait'],
  [0x08c, 'MWAIT_COND', 'mwait_cond'],
  [0x08d, 'XSETBV', 'xsetbv'],
  [0x08e, 'RDPRU', 'rdpru'],
  [0x08f, 'EFER_WRITE_TRAP', 'write_efer_trap'],
  [0x090, 'CR0_WRITE_TRAP', 'write_cr0_trap'],
  [0x094, 'CR4_WRITE_TRAP', 'write_cr4_trap'],
  [0x098, 'CR8_WRITE_TRAP', 'write_cr8_trap'],
  [0x0a3, 'INVPCID', 'invpcid'],
  [0x0a5, 'BUS_LOCK', 'buslock'],
  [0x0a6, 'IDLE_HLT', 'idle-halt'],
  [0x400, 'NPF', 'npf'],
  [0x401, 'AVIC_INCOMPLETE_IPI', 'avic_incomplete_ipi'],
  [0x402, 'AVIC_UNACCELERATED_ACCESS', 'avic_unaccelerated_access'],
  [0x403, 'VMGEXIT', 'vmgexit'],
];

/** The SVM exception intercepts: SVM_EXIT_EXCP_BASE (0x40) + vector, 0x40–0x5f. */
const SVM_EXCP_FIRST = 0x040;
const SVM_EXCP_LAST = 0x05f;

const SVM_BY_CODE = new Map(SVM_TABLE.map(([code, name]) => [code, name]));
const SVM_BY_PRINT = new Map(SVM_TABLE.map(([, name, print]) => [print, name]));
const SVM_NAMES = new Set([...SVM_TABLE.map(([, name]) => name), 'EXCP']);
const VMX_NAMES = new Set(Object.values(VMX_REASONS));

/** A reason as printed, resolved: a name (with the vendor it proves, if any), or a bare code. */
export type ReasonToken =
  { kind: 'name'; name: string; vendor: Vendor | null } | { kind: 'code'; code: number };

/** The name of exit `code` for `vendor` (`UNKNOWN_<code>` when the tables lack it). */
export function reasonName(vendor: Vendor, code: number): string {
  if (vendor === 'intel') return VMX_REASONS[code & 0xffff] ?? `UNKNOWN_${code}`;
  if (code >= SVM_EXCP_FIRST && code <= SVM_EXCP_LAST) return 'EXCP';
  return SVM_BY_CODE.get(code) ?? `UNKNOWN_0x${code.toString(16)}`;
}

/**
 * Read a reason as a tool printed it (see the file comment). Names shared
 * by both vendors in this lab's naming (HLT, CPUID, …) prove no vendor.
 */
export function readReason(text: string): ReasonToken {
  const s = text.trim();
  const unknown = /^UNKNOWN \((\d+)\)$/.exec(s);
  if (unknown) return { kind: 'code', code: Number(unknown[1]) };
  if (/^(?:0x[0-9a-fA-F]+|\d+)$/.test(s)) return { kind: 'code', code: Number(s) };
  if (/^[A-Z]{2} excp$/.test(s)) return { kind: 'name', name: 'EXCP', vendor: 'amd' };
  const svmPrint = SVM_BY_PRINT.get(s);
  if (svmPrint) return { kind: 'name', name: svmPrint, vendor: 'amd' };
  if (s.startsWith('EXIT_')) {
    const rest = s.slice(5);
    const name = rest === 'EXCP_BASE' ? 'EXCP' : rest;
    if (SVM_NAMES.has(name) || rest === 'ERR') return { kind: 'name', name, vendor: 'amd' };
  }
  const words = s.split(/\s+/);
  const first = VMX_ALIASES[words[0]] ?? words[0];
  const flagsOnly = words.slice(1).every((w) => VMX_FLAGS.has(w));
  if (flagsOnly && VMX_NAMES.has(first))
    return { kind: 'name', name: first, vendor: SVM_NAMES.has(first) ? null : 'intel' };
  if (SVM_NAMES.has(s)) return { kind: 'name', name: s, vendor: 'amd' };
  return { kind: 'name', name: s, vendor: null };
}

/** The vendor named by the kvm_exit `isa` field (KVM_ISA_VMX = 1, KVM_ISA_SVM = 2), if any. */
export function isaVendor(isa: number): Vendor | null {
  return isa === 1 ? 'intel' : isa === 2 ? 'amd' : null;
}
