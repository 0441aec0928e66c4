import { IN_KERNEL, hex, kvmExit, lineOf, reasons, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 2: the VM exit and the vCPU run loop.
; Four instructions that the CPU cannot finish inside the guest. Each one
; causes a VM exit with its own exit reason and its own instruction length.

    mov eax, 0x40000000     ; CPUID leaf 0x40000000: "which hypervisor is this?"
    cpuid                   ; 0F A2, 2 bytes: exit reason CPUID (10)
                            ; KVM answers EBX:ECX:EDX = "KVMKVMKVM\\0\\0\\0"
    mov eax, 1              ; KVM_HC_VAPIC_POLL_IRQ: does nothing and returns 0
    vmcall                  ; 0F 01 C1, 3 bytes: exit reason VMCALL (18)
    mov dx, 0xe9            ; the debug port
    mov al, 'K'
    out dx, al              ; EE, 1 byte: exit reason IO_INSTRUCTION (30)
    hlt                     ; F4, 1 byte: exit reason HLT (12)
`;

export const LESSON_2: Lesson = {
  id: 2,
  slug: 'vm-exit',
  title: 'The VM exit and the vCPU run loop',
  summary:
    'What the CPU saves at a VM exit (VMCS guest-state area, exit reason, instruction length) and where KVM picks it up.',
  text: `The VMM thread runs a vCPU with the \`KVM_RUN\` ioctl. Inside it, \`vcpu_run\` and \`vcpu_enter_guest\` in \`arch/x86/kvm/x86.c\` loop: enter the guest (VMLAUNCH or VMRESUME on Intel, VMRUN on AMD), wait for the CPU to come back, handle the reason, enter again. The guest runs at full speed on the real CPU until it does something the CPU is set up to stop on. Then the hardware performs a VM exit.

At a VM exit the Intel CPU writes the guest's state into the VMCS guest-state area: RIP, RSP, RFLAGS, CR0, CR3, CR4, EFER, the segment registers (CS, SS …) and the interruptibility state. It also writes information about the exit:
- the exit reason: 10 for CPUID, 18 for VMCALL, 30 for I/O, 12 for HLT (\`EXIT_REASON_*\` in \`arch/x86/include/uapi/asm/vmx.h\`)
- the exit qualification, which says more: for I/O, the port, the size and the direction
- the VM-exit instruction length: how many bytes the exiting instruction had
Then it loads the host's state, and \`vmx_vcpu_run\` returns into KVM. On AMD the same information goes into the VMCB: the save area, \`exit_code\`, \`exit_info_1\`/\`exit_info_2\`, and \`next_rip\`.

KVM's \`vmx_handle_exit\` reads the reason and calls \`kvm_vmx_exit_handlers[reason]\`. The handler returns 1 ("done, re-enter the guest") or 0 ("kvm_run is filled in, return to userspace"). When the handler has done the instruction's work, KVM moves RIP past it with \`kvm_skip_emulated_instruction\`. That adds the instruction length the CPU recorded (\`skip_emulated_instruction\` in \`vmx.c\`), so the length is 2 for CPUID, 3 for VMCALL and 1 for OUT or HLT.

Most exits end inside KVM. CPUID and VMCALL here never leave the kernel: \`KVM_RUN\` does not return to the VMM for them. The VMM only sees the OUT (its device must print the character) and the HLT (this VM has no in-kernel local APIC). Open the debugger's VMCS view at each exit and compare the exit reason, the instruction length and the saved guest RIP.`,
  program: PROGRAM,
  settings: { vendor: 'intel', vcpus: 1 },
  expect: {
    stop: 'KVM_EXIT_HLT',
    console: 'K',
    exitsByReason: { CPUID: 1, VMCALL: 1, IO_INSTRUCTION: 1, HLT: 1 },
  },
  questions: [
    {
      at: { line: lineOf(PROGRAM, 'exit reason CPUID (10)') },
      ask: { kind: 'exit-reason' },
      prompt: 'The vCPU is about to execute CPUID. What is the next VM exit?',
      choices: reasons('CPUID', 'VMCALL', 'EXCEPTION_NMI', 'IO_INSTRUCTION'),
      answer: 'CPUID',
      explain:
        'CPUID always causes a VM exit in VMX non-root operation (exit reason 10). KVM emulates it in kvm_emulate_cpuid (arch/x86/kvm/cpuid.c) from the table the VMM installed with KVM_SET_CPUID2. Leaf 0x40000000 returns the signature "KVMKVMKVM".',
    },
    {
      at: { line: lineOf(PROGRAM, 'exit reason CPUID (10)') },
      ask: { kind: 'register', reg: 'rip' },
      prompt:
        'CPUID is at 0x10005. What will RIP be when KVM re-enters the guest after the CPUID exit?',
      choices: [
        value(0x10005, 'unchanged'),
        value(0x10006, '+1'),
        value(0x10007, '+2'),
        value(0x10008, '+3'),
      ],
      answer: hex(0x10007),
      explain:
        "kvm_emulate_cpuid ends with kvm_skip_emulated_instruction, which adds the VM-exit instruction length the CPU stored in the VMCS (VM_EXIT_INSTRUCTION_LEN = 2 for 0F A2). RIP does not always move by 3: that number is only VMCALL's length.",
    },
    {
      at: { line: lineOf(PROGRAM, 'exit reason VMCALL (18)') },
      ask: { kind: 'kvm-exit' },
      prompt: 'At the VMCALL: what does KVM_RUN return to the VMM for this exit?',
      choices: [
        IN_KERNEL,
        kvmExit('KVM_EXIT_HYPERCALL'),
        kvmExit('KVM_EXIT_IO'),
        kvmExit('KVM_EXIT_UNKNOWN'),
      ],
      answer: IN_KERNEL.value,
      explain:
        'kvm_emulate_hypercall handles KVM_HC_VAPIC_POLL_IRQ in the kernel and returns 1, so vcpu_run loops and re-enters the guest. The VMM thread stays blocked inside the KVM_RUN ioctl and never sees this exit.',
    },
  ],
  seed: [
    {
      claim: 'that the vCPU run loop intercepts the hypercall and triggers the VM exit',
      linux:
        'the CPU triggers the VM exit in hardware: VMCALL always exits in VMX non-root operation, and VMMCALL exits because KVM sets its intercept in the VMCB. The run loop (vcpu_enter_guest / vcpu_run) is where KVM gets control back after VMRESUME/VMRUN returns. It then calls the vendor handler: vmx_handle_exit → kvm_vmx_exit_handlers[18], or svm_handle_exit → svm_exit_handlers[0x081]',
      source: 'arch/x86/kvm/x86.c, arch/x86/kvm/vmx/vmx.c, arch/x86/kvm/svm/svm.c',
    },
    {
      claim:
        'a flow diagram that labels the VM exit as step 4, after the intercept (step 2) and the return (step 3), so the exit seems to come after the handling',
      linux:
        'the order is fixed: the guest executes VMCALL; the VM exit saves guest state and the exit reason; KVM dispatches on the exit reason; kvm_emulate_hypercall dispatches on the number in RAX; complete_hypercall_exit writes RAX and skips the instruction; VM entry resumes the guest',
      source: 'arch/x86/kvm/x86.c (____kvm_emulate_hypercall, complete_hypercall_exit)',
    },
  ],
};
