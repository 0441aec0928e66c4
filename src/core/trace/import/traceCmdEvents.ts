/**
 * The payload of each KVM tracepoint as `trace-cmd report` (or `perf
 * script`, or /sys/kernel/tracing/trace) prints it: the TP_printk format of
 * arch/x86/kvm/trace.h and include/trace/events/kvm.h, across kernel
 * versions, or the kvm plugin's rendering. Each parser returns undefined for
 * text it does not recognise (the caller counts the line as unparsed).
 *
 * kvm_exit, in the order the kernel changed it:
 *  - 2.6.31 (arch/x86/kvm/trace-arch.h, the first TRACE_EVENT port):
 *      "reason %s rip 0x%lx"
 *  - ~3.1 … 5.4 (trace.h with `isa` and kvm_x86_ops->get_exit_info):
 *      "reason %s rip 0x%lx info %llx %llx"   (info without 0x)
 *    — trace-cmd's kvm plugin (libtraceevent plugins/plugin_kvm.c,
 *    kvm_exit_handler) prints this same shape on every kernel, from the raw
 *    fields, with its own reason names (exitNames.ts).
 *  - Peter Xu, "KVM: X86: Trace vcpu_id for vmexit" (2019-09):
 *      "vcpu %u reason %s rip 0x%lx info %llx %llx"
 *  - torvalds/linux 029e8c8ad655 trace.h (TRACE_EVENT_KVM_EXIT, 5.1x):
 *      "vcpu %u reason %s%s%s rip 0x%lx info1 0x%016llx info2 0x%016llx
 *       intr_info 0x%08x error_code 0x%08x"   (%s%s%s: reason, " ", VMX flags)
 *    later patches append fields ("requests 0x%016llx", " [guest]"); they
 *    are ignored.
 *  - when libtraceevent cannot evaluate a print format it prints
 *    "[FAILED TO PARSE] field=value …"; exit_reason, isa, vcpu_id and
 *    guest_rip are read from there.
 * kvm_entry: "vcpu %u" (2.6.31 …), "vcpu %u, rip 0x%lx" (029e8c8ad655), later
 *   with a nested/guest-mode suffix.
 * kvm_hypercall: "nr 0x%lx a0 0x%lx a1 0x%lx a2 0x%lx a3 0x%lx".
 * kvm_pio: "pio_%s at 0x%x size %d count %d" (2.6.3x), then
 *   "… val 0x%x %s" (the %s is "(...)" for string I/O).
 * kvm_mmio (include/trace/events/kvm.h):
 *   "mmio %s len %u gpa 0x%llx val 0x%llx", %s = unsatisfied-read | read | write.
 * kvm_msr: "msr_%s %x = 0x%llx%s", %s = "" or " (#GP)".
 * kvm_userspace_exit (include/trace/events/kvm.h):
 *   "reason %s (%d)": the KVM_EXIT_* name and number, or "restart"/"error"
 *   and the errno; a reason missing from kvm_trace_exit_reason prints as a number.
 */

/** A kvm_exit payload. `reason` is the printed reason text, or `code` the number. */
export interface ExitPayload {
  vcpu?: number;
  reason?: string;
  code?: number;
  isa?: number;
}

/** `key=value` fields of a "[FAILED TO PARSE]" payload. */
function failedFields(p: string): Map<string, string> | undefined {
  if (!p.startsWith('[FAILED TO PARSE]')) return undefined;
  const fields = new Map<string, string>();
  for (const m of p.slice(17).matchAll(/(\w+)=(\S+)/g)) fields.set(m[1], m[2]);
  return fields;
}

const num = (s: string | undefined): number | undefined =>
  s !== undefined && /^(?:0x[0-9a-fA-F]+|-?\d+)$/.test(s) ? Number(s) : undefined;

/** kvm_exit. */
export function parseKvmExit(p: string): ExitPayload | undefined {
  const failed = failedFields(p);
  if (failed) {
    const code = num(failed.get('exit_reason'));
    if (code === undefined) return undefined;
    return { code, isa: num(failed.get('isa')), vcpu: num(failed.get('vcpu_id')) };
  }
  const m = /^(?:vcpu (\d+) )?reason (.+?) rip (?:0x)?[0-9a-fA-F]+(?:\s|$)/.exec(p);
  if (!m) return undefined;
  return { vcpu: m[1] !== undefined ? Number(m[1]) : undefined, reason: m[2] };
}

/** kvm_entry: the vCPU id. */
export function parseKvmEntry(p: string): { vcpu: number } | undefined {
  const failed = failedFields(p);
  const v = failed ? num(failed.get('vcpu_id')) : num(/^vcpu (\d+)(?:,|\s|$)/.exec(p)?.[1]);
  return v === undefined ? undefined : { vcpu: v };
}

/** kvm_hypercall: nr and a0–a3 (hex strings as printed). */
export function parseKvmHypercall(p: string): { nr: string; args: string[] } | undefined {
  const m =
    /^nr (0x[0-9a-fA-F]+) a0 (0x[0-9a-fA-F]+) a1 (0x[0-9a-fA-F]+) a2 (0x[0-9a-fA-F]+) a3 (0x[0-9a-fA-F]+)/.exec(
      p,
    );
  return m ? { nr: `0x${BigInt(m[1]).toString(16)}`, args: m.slice(2, 6) } : undefined;
}

/** kvm_pio. */
export function parseKvmPio(p: string): { write: boolean; port: number; size: number } | undefined {
  const m = /^pio_(read|write) at (0x[0-9a-fA-F]+) size (\d+) count (\d+)/.exec(p);
  return m ? { write: m[1] === 'write', port: Number(m[2]), size: Number(m[3]) } : undefined;
}

/** kvm_mmio. */
export function parseKvmMmio(p: string): { type: string; gpa: string } | undefined {
  const m =
    /^mmio (unsatisfied-read|read|write) len (\d+) gpa (0x[0-9a-fA-F]+) val 0x[0-9a-fA-F]+/.exec(p);
  return m ? { type: m[1], gpa: m[3] } : undefined;
}

/** kvm_msr. */
export function parseKvmMsr(p: string): { write: boolean; msr: string; gp: boolean } | undefined {
  const m = /^msr_(read|write) ([0-9a-fA-F]+) = 0x[0-9a-fA-F]+( \(#GP\))?/.exec(p);
  return m ? { write: m[1] === 'write', msr: `0x${m[2].toLowerCase()}`, gp: !!m[3] } : undefined;
}

/** KVM_EXIT_* by kvm_run.exit_reason (include/uapi/linux/kvm.h). */
const KVM_EXITS = [
  'UNKNOWN',
  'EXCEPTION',
  'IO',
  'HYPERCALL',
  'DEBUG',
  'HLT',
  'MMIO',
  'IRQ_WINDOW_OPEN',
  'SHUTDOWN',
  'FAIL_ENTRY',
  'INTR',
  'SET_TPR',
  'TPR_ACCESS',
  'S390_SIEIC',
  'S390_RESET',
  'DCR',
  'NMI',
  'INTERNAL_ERROR',
  'OSI',
  'PAPR_HCALL',
  'S390_UCONTROL',
  'WATCHDOG',
  'S390_TSCH',
  'EPR',
  'SYSTEM_EVENT',
  'S390_STSI',
  'IOAPIC_EOI',
  'HYPERV',
  'ARM_NISV',
  'X86_RDMSR',
  'X86_WRMSR',
  'DIRTY_RING_FULL',
  'AP_RESET_HOLD',
  'X86_BUS_LOCK',
  'XEN',
  'RISCV_SBI',
  'RISCV_CSR',
  'NOTIFY',
  'LOONGARCH_IOCSR',
  'MEMORY_FAULT',
];

/** kvm_userspace_exit: the KVM_EXIT_* name, or undefined when KVM_RUN failed (restart/error). */
export function parseKvmUserspaceExit(p: string): { exit?: string } | undefined {
  const m = /^reason (\S+) \((-?\d+)\)/.exec(p);
  if (!m) return undefined;
  if (m[1] === 'restart' || m[1] === 'error') return {};
  if (m[1].startsWith('KVM_EXIT_')) return { exit: m[1] };
  const n = Number(m[2]);
  return { exit: `KVM_EXIT_${KVM_EXITS[n] ?? n}` };
}
