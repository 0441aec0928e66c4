import type { FlowNodeId, ZoneId } from './graph';

/**
 * The words on the diagram, per vendor: Intel VMX says VMCS, VM exit,
 * VMRESUME, vmx_handle_exit; AMD SVM says VMCB, #VMEXIT, VMRUN,
 * svm_handle_exit. Function names are spelled as in the Linux source
 * (arch/x86/kvm/{x86.c,vmx/vmx.c,svm/svm.c}, virt/kvm/kvm_main.c).
 */

export type Vendor = 'intel' | 'amd';

/** A box's text. Lines must fit the box (tests/ui/flow checks a width estimate). */
export interface NodeLabel {
  /** First line, bold. */
  readonly title: string;
  /** Further lines, smaller (a box under 30 units tall draws its one detail line after the title). */
  readonly detail: readonly string[];
  /** Draw the detail lines (and the title when `titleMono`) in the monospace font: they are identifiers. */
  readonly mono?: boolean;
  readonly titleMono?: boolean;
  /** The node's `<title>` (hover text): what this box is, in one or two sentences. */
  readonly tooltip: string;
}

/** An arrow's text. */
export interface EdgeLabel {
  /** Short text drawn beside the arrow (edges with `labelAt` only). */
  readonly text?: string;
  /** The arrow's `<title>`: what happens along it. */
  readonly tooltip: string;
}

export interface VendorLabels {
  readonly zones: Readonly<Record<ZoneId, string>>;
  readonly nodes: Readonly<Record<FlowNodeId, NodeLabel>>;
  /** By FlowEdge id (`from>to`). */
  readonly edges: Readonly<Record<string, EdgeLabel>>;
}

const SHARED_NODES = {
  intercept: {
    title: 'interception policy',
    detail: ['model, not upstream KVM'],
    tooltip:
      'A teaching model of kVMI-style hypercall introspection (proposed for Linux, never merged): the first matching rule may log, deny, redirect, rewrite or forward a hypercall.',
  },
  'run-loop': {
    title: 'run loop (vcpu_run)',
    detail: ['vcpu_enter_guest'],
    mono: true,
    tooltip:
      'vcpu_run (arch/x86/kvm/x86.c) loops: a runnable vCPU goes through vcpu_enter_guest into the guest, a halted one sleeps in vcpu_block; a handler result of 0 or less ends the loop and KVM_RUN returns.',
  },
  halt: {
    title: 'HLT: vcpu_block',
    detail: ['sleeps in kvm_vcpu_halt'],
    tooltip:
      'With the local APIC in the kernel, a halted vCPU thread sleeps in vcpu_block → kvm_vcpu_halt until an interrupt or kvm_vcpu_kick → kvm_vcpu_wake_up makes it runnable.',
  },
  'vmm-setup': {
    title: 'VMM set-up',
    detail: ['ioctl(): KVM_CREATE_VM, …'],
    tooltip:
      'The VMM builds the machine with ioctls, not hypercalls: KVM_CREATE_VM on /dev/kvm, KVM_SET_USER_MEMORY_REGION and KVM_CREATE_VCPU on the VM fd, KVM_SET_REGS, KVM_SET_SREGS and KVM_RUN on the vCPU fd.',
  },
  devices: {
    title: 'devices',
    detail: ['serial 0x3F8 · debug 0xE9', 'MMIO 0x10000000 · timer'],
    tooltip:
      'Emulated in the VMM: a 16550 UART at port 0x3F8, the 0xE9 debug port, an MMIO block at 0x10000000 and a timer that raises GSI 0 through KVM_IRQFD.',
  },
  'vmm-switch': {
    title: 'KVM_RUN returns',
    detail: ['switch (run->exit_reason)'],
    mono: true,
    tooltip:
      'The ioctl(vcpu_fd, KVM_RUN) call returns to the VMM, which switches on run->exit_reason (KVM_EXIT_IO, KVM_EXIT_MMIO, KVM_EXIT_HYPERCALL, KVM_EXIT_HLT, …), handles it and calls KVM_RUN again.',
  },
} as const satisfies Partial<Record<FlowNodeId, NodeLabel>>;

const SHARED_EDGES: Record<string, EdgeLabel> = {
  'exit-dispatch>intercept': {
    tooltip: 'Model: an interception rule matches this hypercall (not upstream KVM).',
  },
  'intercept>handler': {
    tooltip: 'Model: log, redirect or rewrite, then the hypercall handler runs.',
  },
  'intercept>run-loop': {
    text: 'deny',
    tooltip:
      'Model: deny — RAX ← -errno and RIP advances; the handler never runs, the guest is re-entered.',
  },
  'intercept>vmm-switch': {
    text: 'forward (model)',
    tooltip: 'Model: forward — KVM_RUN returns to the VMM with KVM_EXIT_HYPERCALL.',
  },
  'handler>run-loop': {
    text: 'return 1',
    tooltip:
      'The handler returns 1: handled in the kernel, vcpu_run loops and re-enters the guest.',
  },
  'handler>halt': {
    text: 'HLT',
    tooltip:
      'HLT with nothing pending: kvm_emulate_halt leaves the vCPU halted, so vcpu_run calls vcpu_block.',
  },
  'handler>vmm-switch': {
    text: 'return 0 → exit to userspace',
    tooltip:
      'The handler filled kvm_run and returns 0: vcpu_run leaves its loop and KVM_RUN returns to the VMM.',
  },
  'halt>run-loop': {
    tooltip: 'Woken: vcpu_block returns and vcpu_run enters the guest again.',
  },
  'vmm-setup>run-loop': {
    text: 'KVM_RUN',
    tooltip:
      'ioctl(vcpu_fd, KVM_RUN): kvm_vcpu_ioctl → kvm_arch_vcpu_ioctl_run → vcpu_run, the first entry.',
  },
  'vmm-switch>run-loop': {
    text: 'KVM_RUN',
    tooltip:
      'KVM_RUN again: kvm_arch_vcpu_ioctl_run first completes the exit (complete_userspace_io), then vcpu_run.',
  },
  'devices>halt': {
    text: 'irqfd',
    tooltip:
      'The timer writes its irqfd: irqfd_wakeup → kvm_set_irq → IOAPIC → kvm_apic_set_irq, then kvm_vcpu_kick wakes the vCPU — no KVM_RUN round trip.',
  },
};

/** Intel VMX wording. */
export const INTEL_LABELS: VendorLabels = {
  zones: {
    guest: 'Guest · VMX non-root operation',
    hardware: 'CPU · VMX transitions',
    kernel: 'KVM · host kernel (VMX root operation)',
    userspace: 'VMM · userspace',
  },
  nodes: {
    ...SHARED_NODES,
    guest: {
      title: 'guest code',
      detail: ['exits on VMCALL (0F 01 C1), HLT, IN/OUT, CPUID, MMIO access'],
      tooltip:
        'The vCPU runs the guest program in VMX non-root operation until an instruction or event causes a VM exit.',
    },
    'vm-exit': {
      title: 'VM exit',
      detail: ['VMCS ← exit reason, length'],
      tooltip:
        'The CPU saves guest state in the VMCS, records the exit reason, exit qualification and VM-exit instruction length, and loads host state.',
    },
    'vm-control': {
      title: 'VMCS',
      detail: [],
      tooltip:
        'Virtual-machine control structure: guest-state area, host-state area, controls and VM-exit information fields.',
    },
    'vm-entry': {
      title: 'VM entry',
      detail: ['VMRESUME (first: VMLAUNCH)'],
      tooltip:
        '__vmx_vcpu_run executes VMRESUME (VMLAUNCH the first time): the CPU loads guest state from the VMCS and the guest continues.',
    },
    'exit-dispatch': {
      title: 'vmx_handle_exit',
      titleMono: true,
      detail: ['kvm_vmx_exit_handlers[reason]'],
      mono: true,
      tooltip:
        'vcpu_enter_guest → vmx_handle_exit → __vmx_handle_exit: checks, then the handler indexed by the basic exit reason in kvm_vmx_exit_handlers[] (arch/x86/kvm/vmx/vmx.c).',
    },
    handler: {
      title: 'exit handler',
      detail: ['kvm_emulate_hypercall, …'],
      mono: true,
      tooltip:
        'The table entry runs: kvm_emulate_hypercall for VMCALL (18), handle_io for IO_INSTRUCTION (30), kvm_emulate_halt for HLT (12), kvm_emulate_cpuid for CPUID (10), handle_ept_violation / handle_ept_misconfig for MMIO.',
    },
  },
  edges: {
    ...SHARED_EDGES,
    'guest>vm-exit': { tooltip: 'The exiting instruction does not retire: VM exit.' },
    'vm-exit>exit-dispatch': {
      tooltip:
        'Host state loaded from the VMCS: __vmx_vcpu_run returns through vmx_vcpu_run to vcpu_enter_guest, which calls kvm_x86_call(handle_exit).',
    },
    'exit-dispatch>handler': {
      text: '[reason]',
      tooltip: 'kvm_vmx_exit_handlers[exit reason] is called.',
    },
    'run-loop>vm-entry': {
      tooltip: 'vcpu_enter_guest → vmx_vcpu_run → __vmx_vcpu_run: VMRESUME.',
    },
    'vm-entry>guest': { tooltip: 'VM entry: the guest continues at the (advanced) RIP.' },
  },
};

/** AMD SVM wording. */
export const AMD_LABELS: VendorLabels = {
  zones: {
    guest: 'Guest · SVM guest mode',
    hardware: 'CPU · SVM world switch',
    kernel: 'KVM · host kernel (host mode)',
    userspace: 'VMM · userspace',
  },
  nodes: {
    ...SHARED_NODES,
    guest: {
      title: 'guest code',
      detail: ['exits on VMMCALL (0F 01 D9), HLT, IN/OUT, CPUID, MMIO access'],
      tooltip:
        'The vCPU runs the guest program in guest mode (entered by VMRUN) until an intercepted instruction or event causes a #VMEXIT.',
    },
    'vm-exit': {
      title: '#VMEXIT',
      detail: ['VMCB ← exit_code, exit_info'],
      tooltip:
        'The CPU saves guest state in the VMCB, writes exit_code, exit_info_1, exit_info_2 (and next_rip with NRIPS) and restores the host state VMRUN saved.',
    },
    'vm-control': {
      title: 'VMCB',
      detail: [],
      tooltip:
        'Virtual machine control block: the control area (intercepts, exit_code, exit_info_1/2, next_rip) and the state-save area.',
    },
    'vm-entry': {
      title: 'VMRUN',
      detail: ['guest state ← VMCB'],
      tooltip:
        '__svm_vcpu_run executes VMRUN: the CPU saves host state, loads guest state from the VMCB and the guest continues.',
    },
    'exit-dispatch': {
      title: 'svm_handle_exit',
      titleMono: true,
      detail: ['svm_exit_handlers[exit_code]'],
      mono: true,
      tooltip:
        'vcpu_enter_guest → svm_handle_exit → svm_invoke_exit_handler: the handler indexed by the VMCB exit_code in svm_exit_handlers[] (arch/x86/kvm/svm/svm.c).',
    },
    handler: {
      title: 'exit handler',
      detail: ['kvm_emulate_hypercall, …'],
      mono: true,
      tooltip:
        'The table entry runs: kvm_emulate_hypercall for VMMCALL (0x081), io_interception for IOIO (0x07b), kvm_emulate_halt for HLT (0x078), kvm_emulate_cpuid for CPUID (0x072), npf_interception for MMIO.',
    },
  },
  edges: {
    ...SHARED_EDGES,
    'guest>vm-exit': { tooltip: 'The intercepted instruction does not complete: #VMEXIT.' },
    'vm-exit>exit-dispatch': {
      tooltip:
        'Execution continues after VMRUN in __svm_vcpu_run, which returns through svm_vcpu_run to vcpu_enter_guest; it calls kvm_x86_call(handle_exit).',
    },
    'exit-dispatch>handler': {
      text: '[exit_code]',
      tooltip: 'svm_exit_handlers[exit_code] is called.',
    },
    'run-loop>vm-entry': {
      tooltip: 'vcpu_enter_guest → svm_vcpu_run → __svm_vcpu_run: VMRUN.',
    },
    'vm-entry>guest': { tooltip: 'VMRUN: the guest continues at the (advanced) RIP.' },
  },
};

/** The labels for a vendor. */
export function labelsFor(vendor: Vendor): VendorLabels {
  return vendor === 'intel' ? INTEL_LABELS : AMD_LABELS;
}
