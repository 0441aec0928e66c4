/**
 * What an instruction does to the hypervisor: whether it causes a VM exit in
 * a KVM guest, with which exit reason (Intel) / exit code (AMD), which KVM
 * handler runs and whether `KVM_RUN` returns to the VMM. Facts from
 * shared/reference/kvm-hypercalls.md (§1, §4–§5, §7, §10).
 *
 * Contract: every mnemonic with an OPCODE_TABLE row marked `vmExit` gets a
 * paragraph starting with "**VM exit**"; a few that students expect to exit
 * but do not (RDTSC) or only sometimes do (PAUSE, INT3, UD2) get a note.
 */
import { OPCODE_TABLE, type OpcodeRow } from '../../../core';

type ExitKind = NonNullable<OpcodeRow['vmExit']>;

const ABI =
  'Hypercall ABI: RAX = hypercall number; a0–a3 in RBX, RCX, RDX, RSI; result in RAX. ' +
  'The guest must be at CPL 0, otherwise KVM returns -KVM_EPERM (-1) without doing anything.';

const VMCALL_DOC =
  '**VM exit** on Intel: basic exit reason 18 (`EXIT_REASON_VMCALL`), instruction length 3 → ' +
  '`kvm_emulate_hypercall` (arch/x86/kvm/x86.c), handled in the kernel; RIP += 3 and the guest ' +
  'resumes (only `KVM_HC_MAP_GPA_RANGE` can return to the VMM, as `KVM_EXIT_HYPERCALL`).\n\n' +
  'On AMD, VMCALL is undefined: it raises #UD, which KVM intercepts (exit code 0x046, ' +
  '`ud_interception`); the emulator rewrites the 3 bytes to VMMCALL (`0F 01 D9`) and the guest ' +
  're-executes it (`KVM_X86_QUIRK_FIX_HYPERCALL_INSN`, on by default: two exits the first time). ' +
  'With the quirk disabled the guest gets #UD.';

const VMMCALL_DOC =
  '**VM exit** on AMD: #VMEXIT with exit code 0x081 (`SVM_EXIT_VMMCALL`) → ' +
  '`kvm_emulate_hypercall` (arch/x86/kvm/x86.c), handled in the kernel; RIP moves past the ' +
  '3-byte instruction (`next_rip`) and the guest resumes (only `KVM_HC_MAP_GPA_RANGE` can return ' +
  'to the VMM, as `KVM_EXIT_HYPERCALL`).\n\n' +
  'On Intel, VMMCALL is undefined: it raises #UD → exit reason 0 (`EXCEPTION_NMI`, ' +
  '`handle_exception_nmi`); the emulator rewrites the 3 bytes to VMCALL (`0F 01 C1`) and the ' +
  'guest re-executes it (`KVM_X86_QUIRK_FIX_HYPERCALL_INSN`, on by default). With the quirk ' +
  'disabled the guest gets #UD.';

const KIND_DOC: Readonly<Record<ExitKind, string>> = {
  VMCALL: VMCALL_DOC,
  HLT:
    '**VM exit**: Intel exit reason 12 (`EXIT_REASON_HLT`), AMD exit code 0x078 (`SVM_EXIT_HLT`) → ' +
    '`kvm_emulate_halt` (arch/x86/kvm/x86.c). With the local APIC in the kernel the vCPU sleeps ' +
    'inside KVM until an interrupt is pending; only with a userspace LAPIC does `KVM_RUN` return ' +
    'with `KVM_EXIT_HLT`.',
  CPUID:
    '**VM exit**, always: Intel exit reason 10 (`EXIT_REASON_CPUID`), AMD exit code 0x072 ' +
    '(`SVM_EXIT_CPUID`) → `kvm_emulate_cpuid` (arch/x86/kvm/cpuid.c), answered in the kernel from ' +
    'the table the VMM set with `KVM_SET_CPUID2`. Leaf 0x40000000 returns "KVMKVMKVM" in ' +
    'EBX/ECX/EDX; leaf 0x40000001 returns the PV feature bits in EAX.',
  IO_INSTRUCTION:
    '**VM exit**: Intel exit reason 30 (`EXIT_REASON_IO_INSTRUCTION`) → `handle_io` → ' +
    '`kvm_fast_pio` (string forms go through the emulator); AMD exit code 0x07b (`SVM_EXIT_IOIO`) → ' +
    '`io_interception`. A port served by an in-kernel device or an ioeventfd is handled in the ' +
    'kernel; any other port returns to the VMM as `KVM_EXIT_IO` (`kvm_run.io`: direction, size, ' +
    'port, count, data at `data_offset`).',
  MSR_READ:
    '**VM exit** when the MSR bitmap intercepts the MSR: Intel exit reason 31 ' +
    '(`EXIT_REASON_MSR_READ`) → `kvm_emulate_rdmsr`; AMD exit code 0x07c (`SVM_EXIT_MSR`, ' +
    'EXITINFO1 = 0) → `msr_interception`. Handled in the kernel (an unknown MSR gives the guest ' +
    '#GP); `KVM_EXIT_X86_RDMSR` only if the VMM enabled `KVM_CAP_X86_USER_SPACE_MSR` or an MSR filter.',
  MSR_WRITE:
    '**VM exit** when the MSR bitmap intercepts the MSR: Intel exit reason 32 ' +
    '(`EXIT_REASON_MSR_WRITE`) → `kvm_emulate_wrmsr` (some writes take the fastpath ' +
    '`handle_fastpath_wrmsr`); AMD exit code 0x07c (`SVM_EXIT_MSR`, EXITINFO1 = 1) → ' +
    '`msr_interception`. Handled in the kernel (an unknown MSR gives the guest #GP); ' +
    '`KVM_EXIT_X86_WRMSR` only if the VMM enabled `KVM_CAP_X86_USER_SPACE_MSR` or an MSR filter.',
  CR_ACCESS:
    '**VM exit** (forms with CRn) when KVM intercepts that control register: Intel exit reason 28 ' +
    '(`EXIT_REASON_CR_ACCESS`) → `handle_cr`; AMD exit codes 0x000+n (`SVM_EXIT_READ_CR0`+n) / ' +
    '0x010+n (`SVM_EXIT_WRITE_CR0`+n) → `cr_interception`. Handled in the kernel.',
};

/** Notes for instructions that do not exit, or only in special cases. */
const NOTES: Readonly<Record<string, string>> = {
  rdtsc:
    'No VM exit under KVM: RDTSC is not intercepted; the guest reads the host TSC plus an offset ' +
    '(and scaling) that KVM programs.',
  pause:
    'Usually no VM exit. With pause-loop exiting, a vCPU spinning on PAUSE exits (Intel reason 40 ' +
    '`PAUSE_INSTRUCTION` → `handle_pause`; AMD 0x077 → `pause_interception`) and KVM yields to ' +
    'another vCPU.',
  int3:
    'No VM exit normally: #BP goes to the guest\u2019s own IDT. KVM intercepts it only while the ' +
    'VMM debugs the guest (then `KVM_EXIT_DEBUG`).',
  ud2:
    'The #UD is intercepted (Intel exit reason 0 `EXCEPTION_NMI`, AMD 0x046 `ud_interception`) ' +
    'because KVM emulates a few opcodes on #UD (VMCALL/VMMCALL); UD2 is not one of them, so KVM ' +
    'injects #UD back into the guest.',
};

/** VM-exit kinds of the rows of canonical mnemonic `canon`, in table order. */
export function exitKinds(canon: string): ExitKind[] {
  const kinds: ExitKind[] = [];
  for (const row of OPCODE_TABLE) {
    if (row.mnemonic === canon && row.vmExit && !kinds.includes(row.vmExit)) kinds.push(row.vmExit);
  }
  return kinds;
}

/** Markdown paragraphs about the VM-exit behaviour of `canon` (empty if nothing to say). */
export function vmExitDoc(canon: string): string[] {
  const out: string[] = [];
  for (const kind of exitKinds(canon)) {
    out.push(kind === 'VMCALL' && canon === 'vmmcall' ? VMMCALL_DOC : KIND_DOC[kind]);
    if (kind === 'VMCALL') out.push(ABI);
  }
  const note = NOTES[canon];
  if (note !== undefined) out.push(note);
  return out;
}
