import { hex, lineOf, reasons, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 1: your first hypercall.
; A hypercall is the guest kernel calling the hypervisor, the way a program
; calls its kernel with SYSCALL. The KVM calling convention (x86-64):
;   RAX = hypercall number (nr)
;   RBX, RCX, RDX, RSI = arguments a0, a1, a2, a3
;   RAX = result when the guest resumes
; The program runs at CPL 0 in 64-bit mode, loaded at 0x10000.

    mov eax, 11             ; RAX = nr 11 = KVM_HC_SCHED_YIELD
    xor ebx, ebx            ; RBX = a0 = APIC ID of a vCPU that looks preempted (0: ourselves)
    vmcall                  ; VM exit: KVM runs the hypercall, RAX = result

    mov eax, 9              ; RAX = nr 9 = KVM_HC_CLOCK_PAIRING
    lea rbx, [rel clock]    ; RBX = a0 = guest-physical address of the result buffer
    xor ecx, ecx            ; RCX = a1 = clock type 0 (KVM_CLOCK_PAIRING_WALLCLOCK)
    vmcall                  ; KVM writes host time and guest TSC into the buffer
    mov r8, [rel clock]     ; r8 = clock.sec: host wall-clock seconds, written by KVM

    hlt                     ; stop this vCPU (KVM_RUN returns KVM_EXIT_HLT to the VMM)

; struct kvm_clock_pairing { s64 sec; s64 nsec; u64 tsc; u32 flags; u32 pad[9]; }
; Guest memory is identity-mapped, so this label's address is also its
; guest-physical address.
align 8
clock: times 64 db 0
`;

export const LESSON_1: Lesson = {
  id: 1,
  slug: 'first-hypercall',
  title: 'What is a hypercall?',
  summary:
    'The first VMCALL: the number goes in RAX, arguments in RBX, RCX, RDX and RSI, the result comes back in RAX.',
  text: `A hypercall is how a guest kernel asks the hypervisor for something. It works like a system call one level down. A program calls its kernel with \`SYSCALL\`; a guest kernel calls KVM with \`VMCALL\` on Intel or \`VMMCALL\` on AMD. The CPU cannot run that instruction inside the guest. It stops the guest (a VM exit) and hands control to KVM. KVM runs the hypercall, writes the result into the guest's RAX and resumes the guest at the next instruction.

The KVM calling convention is in \`Documentation/virt/kvm/x86/hypercalls.rst\` and \`arch/x86/include/asm/kvm_para.h\` (the guest's \`kvm_hypercall0()\` … \`kvm_hypercall4()\`):
- RAX = the hypercall number, one of the \`KVM_HC_*\` values in \`include/uapi/linux/kvm_para.h\`
- RBX, RCX, RDX, RSI = the arguments a0, a1, a2, a3 (at most four)
- RAX = the result: 0 or a count on success, a negative \`-KVM_E*\` code on failure
- other registers are not changed

This program makes two hypercalls. \`KVM_HC_SCHED_YIELD\` (11) takes one argument: the APIC ID of a vCPU the guest thinks is preempted, to give it our time slice. Yielding to ourselves is skipped and the result is 0. \`KVM_HC_CLOCK_PAIRING\` (9) takes the guest-physical address of a buffer. KVM writes the host's wall-clock time and the guest TSC of the same instant into it. This shows that an argument can be a pointer, and that KVM can write guest memory as well as RAX.

Step through it. At each \`vmcall\`, watch the flow diagram: guest, then VM exit, then \`kvm_emulate_hypercall\` in \`arch/x86/kvm/x86.c\`, then back to the guest. Watch RAX change while the guest is stopped, and RIP move past the 3-byte instruction.`,
  program: PROGRAM,
  settings: { vendor: 'intel', vcpus: 1 },
  expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { VMCALL: 2, HLT: 1 } },
  questions: [
    {
      at: { line: lineOf(PROGRAM, 'VM exit: KVM runs the hypercall') },
      ask: { kind: 'exit-reason' },
      prompt: 'The vCPU is about to execute the first VMCALL. What is the next VM exit?',
      choices: reasons('VMCALL', 'CPUID', 'IO_INSTRUCTION', 'HLT', 'EXCEPTION_NMI'),
      answer: 'VMCALL',
      explain:
        'In VMX non-root operation VMCALL always causes a VM exit. The basic exit reason is 18, EXIT_REASON_VMCALL (arch/x86/include/uapi/asm/vmx.h). KVM looks the reason up in kvm_vmx_exit_handlers[] (arch/x86/kvm/vmx/vmx.c), and entry 18 is kvm_emulate_hypercall.',
    },
    {
      at: { line: lineOf(PROGRAM, 'KVM writes host time and guest TSC') },
      ask: { kind: 'register', reg: 'rax' },
      prompt: 'What will RAX hold when the guest resumes after the KVM_HC_CLOCK_PAIRING hypercall?',
      choices: [
        value(0, '0: success'),
        value(9, 'the hypercall number, unchanged'),
        value(-1000, '-KVM_ENOSYS'),
        value(-95, '-KVM_EOPNOTSUPP'),
      ],
      answer: hex(0),
      explain:
        'kvm_pv_clock_pairing (arch/x86/kvm/x86.c) wrote struct kvm_clock_pairing to the address in a0 and returned 0. KVM stages the result in kvm_run.hypercall.ret, and complete_hypercall_exit copies it into RAX before RIP moves past the VMCALL. On a host whose clocksource is not TSC-based the same call returns -KVM_EOPNOTSUPP (-95). This model always has a TSC clock.',
    },
  ],
  seed: [
    {
      claim:
        'that hypercalls are how a VM asks the hypervisor to create virtual devices, allocate memory or configure network interfaces',
      linux:
        'the KVM hypercall ABI is a short list: KVM_HC_VAPIC_POLL_IRQ (1), KVM_HC_KICK_CPU (5), KVM_HC_CLOCK_PAIRING (9), KVM_HC_SEND_IPI (10), KVM_HC_SCHED_YIELD (11) and KVM_HC_MAP_GPA_RANGE (12) on x86. The userspace VMM creates devices and memory with ioctls and emulates the devices itself. The guest uses those devices through port I/O and MMIO, not through hypercalls',
      source: 'include/uapi/linux/kvm_para.h, Documentation/virt/kvm/x86/hypercalls.rst',
    },
    {
      claim:
        'that the KVM API (the system calls and data structures host processes use) is the mechanism behind hypercalls',
      linux:
        'the KVM API is the ioctl interface that a host process (the VMM) uses on /dev/kvm and on the VM and vCPU file descriptors. A hypercall comes from the other side: a guest instruction, VMCALL or VMMCALL, whose VM exit KVM handles in kvm_emulate_hypercall. See lesson 6',
      source: 'Documentation/virt/kvm/api.rst, arch/x86/kvm/x86.c',
    },
  ],
};
