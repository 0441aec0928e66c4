/**
 * The host code each phase models: a call chain (outermost first) and the
 * file it lives in, named as in the Linux source so a student can open it.
 * Trace events store an index into HOST_FUNCTIONS.
 */

export interface HostFunction {
  key: string;
  /** Call chain, outermost first. */
  chain: readonly string[];
  /** Path in the Linux tree ('' for guest code; 'VMM' for the userspace model). */
  source: string;
  /** True when this is not upstream Linux (the interception layer). */
  model?: boolean;
}

/**
 * Registers and fields each phase reads and writes (by host-function key),
 * for the debugger's highlights and the flow diagram's "read/wrote" lines.
 */
export const READS_WRITES: Readonly<
  Record<string, { reads: readonly string[]; writes: readonly string[] }>
> = {
  'vm-exit:intel': {
    reads: ['guest RIP, RSP, RFLAGS, CR0, CR3, CR4, segments'],
    writes: ['VMCS: VM_EXIT_REASON, EXIT_QUALIFICATION, VM_EXIT_INSTRUCTION_LEN, guest-state area'],
  },
  'vm-exit:amd': {
    reads: ['guest RIP, RSP, RFLAGS, CR0, CR3, CR4, segments'],
    writes: ['VMCB: control.exit_code, exit_info_1, exit_info_2, next_rip, save area'],
  },
  'dispatch:intel': { reads: ['VMCS VM_EXIT_REASON'], writes: [] },
  'dispatch:amd': { reads: ['VMCB control.exit_code'], writes: [] },
  'handle:hypercall:intel': {
    reads: ['RAX (nr)', 'RBX', 'RCX', 'RDX', 'RSI (a0–a3)', 'CPL'],
    writes: ['kvm_run.hypercall.ret'],
  },
  'handle:hypercall:amd': {
    reads: ['RAX (nr)', 'RBX', 'RCX', 'RDX', 'RSI (a0–a3)', 'CPL'],
    writes: ['kvm_run.hypercall.ret'],
  },
  'handle:hypercall-eperm:intel': { reads: ['RAX', 'CPL'], writes: ['kvm_run.hypercall.ret'] },
  'handle:hypercall-eperm:amd': { reads: ['RAX', 'CPL'], writes: ['kvm_run.hypercall.ret'] },
  'handle:cpuid': {
    reads: ['EAX (leaf)', 'ECX (subleaf)'],
    writes: ['EAX', 'EBX', 'ECX', 'EDX', 'RIP'],
  },
  'handle:rdmsr': { reads: ['ECX (MSR index)'], writes: ['EDX:EAX', 'RIP'] },
  'handle:wrmsr': { reads: ['ECX (MSR index)', 'EDX:EAX'], writes: ['the MSR', 'RIP'] },
  'handle:hlt': { reads: ['pending interrupts', 'RFLAGS.IF'], writes: ['RIP', 'mp_state'] },
  'handle:io:intel': {
    reads: ['EXIT_QUALIFICATION (port, size, direction)', 'RAX (OUT data)'],
    writes: ['kvm_run.io'],
  },
  'handle:io:amd': {
    reads: ['EXITINFO1 (port, size, direction)', 'RAX (OUT data)'],
    writes: ['kvm_run.io'],
  },
  'handle:ept-violation': {
    reads: ['GUEST_PHYSICAL_ADDRESS', 'EXIT_QUALIFICATION', 'the instruction at RIP'],
    writes: ['kvm_run.mmio', 'an MMIO SPTE'],
  },
  'handle:ept-misconfig': {
    reads: ['GUEST_PHYSICAL_ADDRESS', 'the instruction at RIP'],
    writes: ['kvm_run.mmio'],
  },
  'handle:npf': {
    reads: ['EXITINFO1 (error code)', 'EXITINFO2 (GPA)', 'the instruction at RIP'],
    writes: ['kvm_run.mmio'],
  },
  'handle:ud:intel': { reads: ['the 3 bytes at RIP'], writes: ['guest memory at RIP (0F 01 C1)'] },
  'handle:ud:amd': { reads: ['the 3 bytes at RIP'], writes: ['guest memory at RIP (0F 01 D9)'] },
  'resume:hypercall': {
    reads: ['kvm_run.hypercall.ret', 'VM_EXIT_INSTRUCTION_LEN / next_rip'],
    writes: ['RAX', 'RIP'],
  },
  'resume:hypercall-user': { reads: ['kvm_run.hypercall.ret'], writes: ['RAX', 'RIP'] },
  'resume:pio-out': { reads: ['instruction length'], writes: ['RIP'] },
  'resume:pio-in': { reads: ['kvm_run.io data'], writes: ['RAX', 'RIP'] },
  'resume:mmio': { reads: ['kvm_run.mmio.data'], writes: ['the destination register', 'RIP'] },
  'resume:skip': { reads: ['instruction length'], writes: ['RIP'] },
};

const VMX = 'arch/x86/kvm/vmx/vmx.c';
const SVM = 'arch/x86/kvm/svm/svm.c';
const X86 = 'arch/x86/kvm/x86.c';
const MAIN = 'virt/kvm/kvm_main.c';

const ENTRIES: HostFunction[] = [
  { key: 'guest', chain: ['guest code (VMX non-root / SVM guest mode)'], source: '' },
  {
    key: 'vm-exit:intel',
    chain: ['__vmx_vcpu_run', 'vmx_vcpu_enter_exit', 'vmx_vcpu_run', 'vt_vcpu_run'],
    source: 'arch/x86/kvm/vmx/vmenter.S',
  },
  {
    key: 'vm-exit:amd',
    chain: ['__svm_vcpu_run', 'svm_vcpu_enter_exit', 'svm_vcpu_run'],
    source: 'arch/x86/kvm/svm/vmenter.S',
  },
  {
    key: 'dispatch:intel',
    chain: [
      'vcpu_enter_guest',
      'kvm_x86_call(handle_exit) → vt_handle_exit',
      'vmx_handle_exit',
      '__vmx_handle_exit',
      'kvm_vmx_exit_handlers[]',
    ],
    source: VMX,
  },
  {
    key: 'dispatch:amd',
    chain: [
      'vcpu_enter_guest',
      'svm_handle_exit',
      'svm_invoke_exit_handler',
      'svm_exit_handlers[]',
    ],
    source: SVM,
  },
  {
    key: 'intercept',
    chain: ['hypercall interception policy (kVMI-style model)'],
    source: 'model: not in upstream KVM',
    model: true,
  },
  {
    key: 'handle:hypercall:intel',
    chain: ['kvm_emulate_hypercall', '____kvm_emulate_hypercall'],
    source: X86,
  },
  {
    key: 'handle:hypercall:amd',
    chain: ['vmmcall_interception', 'kvm_emulate_hypercall', '____kvm_emulate_hypercall'],
    source: X86,
  },
  {
    key: 'handle:hypercall-eperm:intel',
    chain: ['kvm_emulate_hypercall', '____kvm_emulate_hypercall (cpl != 0)'],
    source: X86,
  },
  {
    key: 'handle:hypercall-eperm:amd',
    chain: [
      'vmmcall_interception',
      'kvm_emulate_hypercall',
      '____kvm_emulate_hypercall (cpl != 0)',
    ],
    source: X86,
  },
  {
    key: 'handle:cpuid',
    chain: ['kvm_emulate_cpuid', 'kvm_cpuid', 'kvm_skip_emulated_instruction'],
    source: 'arch/x86/kvm/cpuid.c',
  },
  {
    key: 'handle:rdmsr',
    chain: ['kvm_emulate_rdmsr', 'kvm_emulate_msr_read', 'kvm_get_msr_common'],
    source: 'arch/x86/kvm/x86.c, arch/x86/kvm/msrs.c',
  },
  {
    key: 'handle:wrmsr',
    chain: ['kvm_emulate_wrmsr', 'kvm_emulate_msr_write', 'kvm_set_msr_common'],
    source: 'arch/x86/kvm/x86.c, arch/x86/kvm/msrs.c',
  },
  {
    key: 'handle:hlt',
    chain: ['kvm_emulate_halt', 'kvm_emulate_halt_noskip', '__kvm_emulate_halt'],
    source: X86,
  },
  {
    key: 'handle:io:intel',
    chain: [
      'handle_io',
      'kvm_fast_pio',
      'kvm_fast_pio_out / kvm_fast_pio_in',
      'emulator_pio_in_out',
    ],
    source: VMX,
  },
  {
    key: 'handle:io:amd',
    chain: [
      'io_interception',
      'kvm_fast_pio',
      'kvm_fast_pio_out / kvm_fast_pio_in',
      'emulator_pio_in_out',
    ],
    source: SVM,
  },
  {
    key: 'handle:io-string:intel',
    chain: ['handle_io', 'kvm_emulate_instruction', 'x86_emulate_instruction'],
    source: VMX,
  },
  {
    key: 'handle:io-string:amd',
    chain: ['io_interception', 'kvm_emulate_instruction', 'x86_emulate_instruction'],
    source: SVM,
  },
  {
    key: 'handle:ept-violation',
    chain: [
      'handle_ept_violation',
      '__vmx_handle_ept_violation',
      'kvm_mmu_page_fault',
      'x86_emulate_instruction',
    ],
    source: VMX,
  },
  {
    key: 'handle:ept-misconfig',
    chain: ['handle_ept_misconfig', 'kvm_mmu_page_fault', 'x86_emulate_instruction'],
    source: VMX,
  },
  {
    key: 'handle:npf',
    chain: ['npf_interception', 'kvm_mmu_page_fault', 'x86_emulate_instruction'],
    source: SVM,
  },
  {
    key: 'handle:ud:intel',
    chain: [
      'handle_exception_nmi',
      'handle_ud',
      'kvm_emulate_instruction',
      'em_hypercall',
      'emulator_fix_hypercall',
    ],
    source: VMX,
  },
  {
    key: 'handle:ud:amd',
    chain: [
      'ud_interception',
      'handle_ud',
      'kvm_emulate_instruction',
      'em_hypercall',
      'emulator_fix_hypercall',
    ],
    source: SVM,
  },
  {
    key: 'handle:ud-reflect:intel',
    chain: ['handle_exception_nmi', 'handle_ud', 'kvm_queue_exception'],
    source: VMX,
  },
  {
    key: 'handle:ud-reflect:amd',
    chain: ['ud_interception', 'handle_ud', 'kvm_queue_exception'],
    source: SVM,
  },
  {
    key: 'handle:exception:intel',
    chain: ['handle_exception_nmi', 'kvm_queue_exception'],
    source: VMX,
  },
  {
    key: 'handle:exception:amd',
    chain: ['svm_exit_handlers[EXCP]', 'kvm_queue_exception'],
    source: SVM,
  },
  { key: 'handle:triple-fault:intel', chain: ['handle_triple_fault'], source: VMX },
  { key: 'handle:triple-fault:amd', chain: ['shutdown_interception'], source: SVM },
  { key: 'handle:extint:intel', chain: ['handle_external_interrupt'], source: VMX },
  { key: 'handle:extint:amd', chain: ['intr_interception'], source: SVM },
  {
    key: 'userspace',
    chain: ['KVM_RUN returns 0', 'VMM: switch (run->exit_reason)'],
    source: 'VMM (kvmtool-like userspace model)',
  },
  {
    key: 'resume:hypercall',
    chain: ['complete_hypercall_exit', 'kvm_skip_emulated_instruction', 'vcpu_enter_guest'],
    source: X86,
  },
  {
    key: 'resume:userspace',
    chain: ['kvm_arch_vcpu_ioctl_run', 'vcpu_run', 'vcpu_enter_guest'],
    source: X86,
  },
  {
    key: 'resume:pio-out',
    chain: [
      'kvm_arch_vcpu_ioctl_run',
      'complete_fast_pio_out',
      'kvm_skip_emulated_instruction',
      'vcpu_run',
      'vcpu_enter_guest',
    ],
    source: X86,
  },
  {
    key: 'resume:pio-in',
    chain: [
      'kvm_arch_vcpu_ioctl_run',
      'complete_fast_pio_in',
      'kvm_skip_emulated_instruction',
      'vcpu_run',
      'vcpu_enter_guest',
    ],
    source: X86,
  },
  {
    key: 'resume:string-io',
    chain: ['kvm_arch_vcpu_ioctl_run', 'complete_emulated_pio', 'vcpu_run', 'vcpu_enter_guest'],
    source: X86,
  },
  {
    key: 'resume:mmio',
    chain: [
      'kvm_arch_vcpu_ioctl_run',
      'complete_emulated_mmio',
      'complete_emulated_io',
      'vcpu_run',
      'vcpu_enter_guest',
    ],
    source: X86,
  },
  {
    key: 'resume:hypercall-user',
    chain: [
      'kvm_arch_vcpu_ioctl_run',
      'complete_hypercall_exit',
      'kvm_skip_emulated_instruction',
      'vcpu_run',
      'vcpu_enter_guest',
    ],
    source: X86,
  },
  {
    key: 'resume:skip',
    chain: ['kvm_skip_emulated_instruction', 'vcpu_run', 'vcpu_enter_guest'],
    source: X86,
  },
  { key: 'resume:entry', chain: ['vcpu_run', 'vcpu_enter_guest'], source: X86 },
  {
    key: 'resume:inject',
    chain: ['vcpu_enter_guest', 'kvm_check_and_inject_events', 'kvm_x86_call(inject_exception)'],
    source: X86,
  },
  {
    key: 'resume:first',
    chain: ['kvm_vcpu_ioctl', 'kvm_arch_vcpu_ioctl_run', 'vcpu_run', 'vcpu_enter_guest'],
    source: X86,
  },
  { key: 'block', chain: ['vcpu_run', 'vcpu_block', 'kvm_vcpu_halt'], source: X86 },
  { key: 'wake', chain: ['kvm_vcpu_kick', 'kvm_vcpu_wake_up'], source: MAIN },
  {
    key: 'irq',
    chain: [
      'VMM timer: write(irqfd)',
      'irqfd_wakeup',
      'kvm_set_irq',
      'kvm_ioapic_set_irq',
      'kvm_irq_delivery_to_apic',
      'kvm_apic_set_irq',
    ],
    source: 'virt/kvm/eventfd.c',
  },
  { key: 'ioctl:dev', chain: ['ioctl(/dev/kvm)', 'kvm_dev_ioctl'], source: MAIN },
  { key: 'ioctl:vm', chain: ['ioctl(vm_fd)', 'kvm_vm_ioctl'], source: MAIN },
  { key: 'ioctl:vcpu', chain: ['ioctl(vcpu_fd)', 'kvm_vcpu_ioctl'], source: MAIN },
];

export const HOST_FUNCTIONS: readonly HostFunction[] = Object.freeze(ENTRIES);

const INDEX = new Map(ENTRIES.map((e, i) => [e.key, i]));

/** The index of a host function by key (throws on a typo: a programming error). */
export function fnId(key: string): number {
  const i = INDEX.get(key);
  if (i === undefined) throw new Error(`unknown host function key ${key}`);
  return i;
}
