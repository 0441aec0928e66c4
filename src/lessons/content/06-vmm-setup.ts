import { IN_KERNEL, hex, kvmExit, lineOf, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 6: before the first instruction runs, the VMM has already made many ioctls.
; Open the timeline's VMM lane: KVM_GET_API_VERSION, KVM_CREATE_VM, …,
; KVM_RUN. This guest has two vCPUs; each starts here with RDI = its index.

    test edi, edi           ; RDI was set by the VMM with KVM_SET_REGS
    jnz secondary           ; vCPU 1 goes straight to sleep

    ; Can the guest create a VM? Try KVM_CREATE_VM's ioctl request code
    ; (0xAE01) as a hypercall number:
    mov eax, 0xae01
    vmcall                  ; (question 1)
    mov r8, rax

    mov dx, 0xe9            ; the debug port: one KVM_EXIT_IO
    mov al, 'A'
    out dx, al

secondary:
    hlt                     ; (question 2) KVM_CREATE_IRQCHIP: HLT sleeps in KVM
`;

export const LESSON_6: Lesson = {
  id: 6,
  slug: 'vmm-setup',
  title: 'The VMM sets up the VM with ioctls',
  summary:
    'KVM_GET_API_VERSION, KVM_CREATE_VM … KVM_RUN are ioctls of a host process, not hypercalls. The guest cannot make them.',
  text: `Before the guest runs, a userspace program (the VMM: QEMU, kvmtool, Firecracker, or this lab's model of one) builds the VM. It does this with \`ioctl()\` system calls on file descriptors (\`include/uapi/linux/kvm.h\`, \`Documentation/virt/kvm/api.rst\`):
- \`open("/dev/kvm")\`, then \`KVM_GET_API_VERSION\` (0xAE00), which must return 12
- \`KVM_CREATE_VM\` (0xAE01) on /dev/kvm returns a VM fd
- on the VM fd: \`KVM_SET_TSS_ADDR\` (Intel), \`KVM_CREATE_IRQCHIP\` (0xAE60) for an in-kernel PIC, IOAPIC and local APICs, and \`KVM_SET_USER_MEMORY_REGION\` (0x4020AE46) to map the VMM's memory as guest RAM
- \`KVM_CREATE_VCPU\` (0xAE41) returns a vCPU fd; the VMM mmaps \`struct kvm_run\` from it (size from \`KVM_GET_VCPU_MMAP_SIZE\`)
- on each vCPU fd: \`KVM_SET_CPUID2\`, \`KVM_SET_SREGS\` and \`KVM_SET_REGS\` (the registers the guest starts with)
- \`KVM_IRQFD\` (0x4020AE76) ties an eventfd to an interrupt line, so a device thread can raise it without going through \`KVM_RUN\`
- finally each vCPU thread loops on \`KVM_RUN\` (0xAE80)

\`virt/kvm/kvm_main.c\` dispatches these in \`kvm_dev_ioctl\`, \`kvm_vm_ioctl\` and \`kvm_vcpu_ioctl\`. They are host system calls. The caller needs the file descriptors, and only the VMM process has them. Hypercalls go the other way. The guest has no file descriptors, and its only way into KVM is a VM exit. KVM's hypercall switch is the short \`KVM_HC_*\` list of lesson 3, and none of it creates VMs, vCPUs, memory slots or interrupt routes.

The program shows this. It puts \`KVM_CREATE_VM\`'s request code into RAX and executes VMCALL. KVM has no such case and returns -1000.

The set-up also decides how exits behave later. This VM has two vCPUs, so the VMM called \`KVM_CREATE_IRQCHIP\` and the local APICs are in the kernel. A HLT then never reaches the VMM. \`kvm_emulate_halt\` → \`__kvm_emulate_halt\` marks the vCPU halted and returns 1, and \`vcpu_run\` puts the thread to sleep in \`vcpu_block\` until an interrupt or a kick arrives. In lesson 5 (no in-kernel irqchip) the same HLT returned \`KVM_EXIT_HLT\`. Both vCPUs end up asleep: the machine ends "all-halted".`,
  program: PROGRAM,
  settings: { vendor: 'intel', vcpus: 2 },
  expect: {
    stop: 'all-halted',
    console: 'A',
    exitsByReason: { VMCALL: 1, IO_INSTRUCTION: 1, HLT: 2 },
    ioctls: [
      'KVM_GET_API_VERSION',
      'KVM_CREATE_VM',
      'KVM_SET_TSS_ADDR',
      'KVM_CREATE_IRQCHIP',
      'KVM_SET_USER_MEMORY_REGION',
      'KVM_CREATE_VCPU',
      'KVM_GET_VCPU_MMAP_SIZE',
      'KVM_SET_CPUID2',
      'KVM_SET_SREGS',
      'KVM_SET_REGS',
      'KVM_CREATE_VCPU',
      'KVM_SET_CPUID2',
      'KVM_SET_SREGS',
      'KVM_SET_REGS',
      'KVM_IRQFD',
      'KVM_RUN',
      'KVM_RUN',
    ],
  },
  questions: [
    {
      at: { line: lineOf(PROGRAM, '(question 1)') },
      ask: { kind: 'register', reg: 'rax' },
      prompt:
        'The guest puts 0xAE01 (the ioctl code of KVM_CREATE_VM) in RAX and executes VMCALL. What will RAX hold afterwards?',
      choices: [
        value(3, 'a new VM file descriptor'),
        value(0, '0: success'),
        value(-1000, '-KVM_ENOSYS'),
        value(-1, '-KVM_EPERM'),
      ],
      answer: hex(-1000),
      explain:
        '0xAE01 is not a KVM_HC_* number, so ____kvm_emulate_hypercall returns -KVM_ENOSYS. KVM_CREATE_VM is handled by kvm_dev_ioctl in virt/kvm/kvm_main.c, and only a host process holding the /dev/kvm fd can call it.',
    },
    {
      at: { line: lineOf(PROGRAM, '(question 2)'), vcpu: 1 },
      ask: { kind: 'kvm-exit' },
      prompt:
        "vCPU 1 reaches HLT. This VM has an in-kernel irqchip. What does vCPU 1's KVM_RUN return?",
      choices: [
        IN_KERNEL,
        kvmExit('KVM_EXIT_HLT'),
        kvmExit('KVM_EXIT_SHUTDOWN'),
        kvmExit('KVM_EXIT_INTR'),
      ],
      answer: IN_KERNEL.value,
      explain:
        'With KVM_CREATE_IRQCHIP the local APIC is emulated in the kernel (lapic_in_kernel), so __kvm_emulate_halt sets the vCPU halted and returns 1. vcpu_run then blocks the thread in vcpu_block / kvm_vcpu_halt until an event arrives. KVM_EXIT_HLT is only used when userspace emulates the LAPIC.',
    },
  ],
  seed: [
    {
      claim:
        'that KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_SET_USER_MEMORY_REGION, KVM_IRQFD and KVM_CREATE_IRQCHIP are hypercalls, with parameters such as a vCPU ID or a file descriptor',
      linux:
        'they are ioctls the userspace VMM issues. KVM_CREATE_VM goes on the /dev/kvm fd and returns a VM fd. KVM_CREATE_VCPU, KVM_SET_USER_MEMORY_REGION, KVM_CREATE_IRQCHIP and KVM_IRQFD go on the VM fd. The file descriptor in their parameters is the giveaway: a guest has none',
      source: 'include/uapi/linux/kvm.h, virt/kvm/kvm_main.c, Documentation/virt/kvm/api.rst',
    },
  ],
};
