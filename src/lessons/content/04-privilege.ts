import { hex, lineOf, reasons, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 4: only the guest kernel (CPL 0) may make hypercalls.
; The program sets up a GDT with user segments, a TSS (the stack for traps
; from user mode) and an IDT with a #GP handler. It makes one hypercall
; at CPL 0, drops to user mode (CPL 3) and tries the same hypercall there.

    jmp setup

align 8
gdt:
    dq 0                        ; 0x00 null
    dq 0x00af9a000000ffff       ; 0x08 kernel code: DPL 0, 64-bit
    dq 0x00cf92000000ffff       ; 0x10 kernel data: DPL 0
    dq 0x00affa000000ffff       ; 0x18 user code:   DPL 3, 64-bit
    dq 0x00cff2000000ffff       ; 0x20 user data:   DPL 3
    dw 103, tss & 0xffff        ; 0x28 64-bit TSS descriptor (16 bytes)
    db (tss >> 16) & 0xff, 0x89, 0, (tss >> 24) & 0xff
    dd tss >> 32, 0
gdt_end:
gdtr: dw gdt_end - gdt - 1
    dq gdt
idtr: dw 16 * 14 - 1
    dq idt

align 16
idt:                            ; vectors 0-12 empty, 13 (#GP) → gp_handler
    times 13 dq 0, 0
    dw gp_handler & 0xffff, 0x08, 0x8e00, (gp_handler >> 16) & 0xffff
    dd gp_handler >> 32, 0

align 16
tss:                            ; 104-byte 64-bit TSS
    dd 0
    dq 0x70000                  ; RSP0: kernel stack for traps from CPL 3
    times 92 db 0

setup:
    lgdt [gdtr]
    lidt [idtr]
    mov ax, 0x28
    ltr ax                      ; load the TSS

    mov eax, 11                 ; KVM_HC_SCHED_YIELD at CPL 0
    xor ebx, ebx
    vmcall                      ; → 0

    push 0x23                   ; iretq frame: SS = user data | RPL 3
    push 0x60000                ;              RSP
    push 0x2                    ;              RFLAGS
    push 0x1b                   ;              CS = user code | RPL 3
    lea rax, [rel user]
    push rax                    ;              RIP
    iretq                       ; now CPL = 3

user:
    mov eax, 11                 ; the same hypercall, from user mode
    xor ebx, ebx
    vmcall                      ; (questions 1 and 2)
    mov r8, rax
    hlt                         ; (question 3) HLT is privileged too

gp_handler:                     ; the guest kernel's #GP handler (CPL 0 again)
    mov al, '!'
    out 0xe9, al                ; report on the debug port
    hlt
`;

export const LESSON_4: Lesson = {
  id: 4,
  slug: 'privilege',
  title: 'Privilege: hypercalls from user mode',
  summary:
    'VMCALL exits at any CPL, but KVM only serves CPL 0: user mode gets -KVM_EPERM, and RIP still moves on.',
  text: `A hypercall is meant for the guest kernel. The CPU does not enforce that: in VMX non-root operation VMCALL causes a VM exit at any privilege level. On AMD, VMMCALL exits whenever KVM intercepts it. KVM checks the privilege itself. \`kvm_emulate_hypercall\` passes \`kvm_x86_call(get_cpl)(vcpu)\` to \`____kvm_emulate_hypercall\`. If the CPL is not 0, that function skips the switch and sets the result to \`-KVM_EPERM\` (-1).

The call still counts as a hypercall (\`stat.hypercalls\` goes up), RAX still receives a result, and RIP still moves past the VMCALL through the normal completion path (\`complete_hypercall_exit\` → \`kvm_skip_emulated_instruction\`). User code gets an error, and neither the guest kernel nor KVM crashes.

Compare HLT, which is also privileged. HLT at CPL 3 does not exit at all. The CPU checks privilege first and raises #GP inside the guest. The SDM gives faults based on privilege level priority over VM exits. KVM does not intercept #GP, so the guest's own IDT handler runs, as on bare metal. The next exit is whatever that handler does.

The program builds the minimum a guest kernel needs to run user code: GDT entries for user code and data, a TSS whose RSP0 gives the kernel stack for traps from CPL 3, and an IDT with a #GP handler. It then drops to CPL 3 with \`iretq\`. Watch the CPL in the debugger's register pane change from 0 to 3, and back to 0 when the #GP handler runs.`,
  program: PROGRAM,
  settings: { vendor: 'intel', vcpus: 1 },
  expect: {
    stop: 'KVM_EXIT_HLT',
    console: '!',
    exitsByReason: { VMCALL: 2, IO_INSTRUCTION: 1, HLT: 1 },
  },
  questions: [
    {
      at: { line: lineOf(PROGRAM, '(questions 1 and 2)') },
      ask: { kind: 'exit-reason' },
      prompt: 'The vCPU runs at CPL 3 and is about to execute VMCALL. What is the next VM exit?',
      choices: reasons('VMCALL', 'EXCEPTION_NMI', 'TRIPLE_FAULT', 'HLT'),
      answer: 'VMCALL',
      explain:
        "VMCALL in VMX non-root operation causes a VM exit whatever the CPL (SDM VMCALL pseudocode: the non-root check comes before the CPL check). The privilege check is KVM's, in ____kvm_emulate_hypercall.",
    },
    {
      at: { line: lineOf(PROGRAM, '(questions 1 and 2)') },
      ask: { kind: 'register', reg: 'rax' },
      prompt: 'And what will RAX hold after this user-mode hypercall?',
      choices: [
        value(0, '0: success'),
        value(-1, '-1, -KVM_EPERM'),
        value(-1000, '-KVM_ENOSYS'),
        value(11, 'unchanged'),
      ],
      answer: hex(-1),
      explain:
        '____kvm_emulate_hypercall (arch/x86/kvm/x86.c): if (cpl) { ret = -KVM_EPERM; goto out; }. KVM_EPERM is EPERM (1). The result still goes through kvm_run.hypercall.ret into RAX, and RIP still moves past the VMCALL, so the user program continues at the next instruction.',
    },
    {
      at: { line: lineOf(PROGRAM, '(question 3)') },
      ask: { kind: 'exit-reason' },
      prompt: 'Still at CPL 3, the vCPU is about to execute HLT. What is the next VM exit?',
      choices: reasons('HLT', 'EXCEPTION_NMI', 'IO_INSTRUCTION', 'TRIPLE_FAULT'),
      answer: 'IO_INSTRUCTION',
      explain:
        "HLT at CPL 3 raises #GP before any VM exit: faults based on privilege level take priority over VM exits. KVM does not intercept #GP (it is not in the exception bitmap, see vmx_update_exception_bitmap), so the guest's IDT delivers it to gp_handler at CPL 0. The next exit is that handler's OUT to port 0xE9.",
    },
  ],
  seed: [
    {
      claim: 'that hypercalls are privileged instructions',
      linux:
        'VMCALL/VMMCALL exit to the hypervisor from any CPL. The "privilege" is a software rule in KVM: a caller with CPL ≠ 0 gets -KVM_EPERM, and RIP is still advanced',
      source: 'arch/x86/kvm/x86.c (kvm_emulate_hypercall, ____kvm_emulate_hypercall)',
    },
  ],
};
