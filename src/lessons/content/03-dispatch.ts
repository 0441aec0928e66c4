import { IN_KERNEL, hex, kvmExit, lineOf, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 3: KVM dispatches on the number in RAX.
; Every VMCALL below takes the same VM exit (VMCALL, reason 18). What
; differs is the case of the switch (nr) in ____kvm_emulate_hypercall.

    mov eax, 0x40000001     ; CPUID leaf 0x40000001 = KVM_CPUID_FEATURES
    cpuid                   ; EAX = the PV features this guest may use
    mov r15, rax            ; keep the bitmap (bit 7 = KVM_FEATURE_PV_UNHALT, …)

    mov eax, 1              ; nr 1 = KVM_HC_VAPIC_POLL_IRQ
    vmcall                  ; → 0
    mov r8, rax

    mov eax, 3              ; nr 3 = KVM_HC_FEATURES, a PowerPC hypercall
    vmcall                  ; (question 1)
    mov r9, rax

    mov eax, 12             ; nr 12 = KVM_HC_MAP_GPA_RANGE, but this VMM did not
    mov ebx, 0x100000       ;   enable KVM_CAP_EXIT_HYPERCALL for it
    mov ecx, 1              ; a1 = 1 page
    xor edx, edx            ; a2 = attributes
    vmcall                  ; (question 2)
    mov r10, rax

    mov eax, 9              ; nr 9 = KVM_HC_CLOCK_PAIRING …
    lea rbx, [rel clock]
    mov ecx, 1              ; … with clock type 1, which does not exist
    vmcall                  ; (question 3)
    mov r11, rax

    mov eax, 1234           ; no such hypercall
    vmcall                  ; → -KVM_ENOSYS
    mov r12, rax
    hlt

align 8
clock: times 64 db 0
`;

export const LESSON_3: Lesson = {
  id: 3,
  slug: 'dispatch',
  title: 'Dispatch on the hypercall number',
  summary:
    'One exit reason, many hypercalls: KVM switches on RAX and returns -KVM_ENOSYS (-1000) for numbers it does not handle.',
  text: `Every hypercall takes the same VM exit. For the CPU, a VMCALL is a VMCALL (exit reason 18). KVM does a second dispatch, on the number in RAX. \`kvm_emulate_hypercall\` first checks whether the VMM enabled the Xen or Hyper-V hypercall ABIs. Otherwise it calls \`____kvm_emulate_hypercall\` in \`arch/x86/kvm/x86.c\`, which reads nr and a0–a3, checks the CPL (lesson 4), and runs a \`switch (nr)\`.

The numbers are in \`include/uapi/linux/kvm_para.h\`. x86 handles 1 (\`VAPIC_POLL_IRQ\`), 5 (\`KICK_CPU\`), 9 (\`CLOCK_PAIRING\`), 10 (\`SEND_IPI\`), 11 (\`SCHED_YIELD\`) and 12 (\`MAP_GPA_RANGE\`). Every other number goes to \`default:\` and gets \`-KVM_ENOSYS\`. That covers the deprecated \`KVM_HC_MMU_OP\` (2), PowerPC's \`KVM_HC_FEATURES\` (3) and \`KVM_HC_PPC_MAP_MAGIC_PAGE\` (4), the MIPS numbers 6–8, and made-up numbers. Some cases also check a PV feature bit (\`guest_pv_has\`) or a VMM opt-in and return \`-KVM_ENOSYS\` when it is missing.

\`KVM_ENOSYS\` is 1000, not Linux's \`ENOSYS\` (38). The guest sees the negated value, -1000 = \`0xfffffffffffffc18\`. The other codes are \`-KVM_EPERM\` (-1), \`-KVM_EFAULT\` (-14), \`-KVM_EINVAL\` (-22), \`-KVM_E2BIG\` (-7) and \`-KVM_EOPNOTSUPP\` (-95).

A guest finds out what it may call with CPUID, not with a hypercall. Leaf \`0x40000000\` returns "KVMKVMKVM". Leaf \`0x40000001\` (\`KVM_CPUID_FEATURES\`) returns the \`KVM_FEATURE_*\` bits in EAX. The section numbers in \`hypercalls.rst\` are list positions (the list even uses 6 twice), not hypercall numbers. Always use the \`KVM_HC_*\` values from the header: \`KVM_HC_SEND_IPI\` is 10 and \`KVM_HC_SCHED_YIELD\` is 11.

Run the program and compare r8 to r12, or set a breakpoint on each VMCALL and watch the dispatch phase name the hypercall.`,
  program: PROGRAM,
  settings: { vendor: 'intel', vcpus: 1 },
  expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { CPUID: 1, VMCALL: 5, HLT: 1 } },
  questions: [
    {
      at: { line: lineOf(PROGRAM, '(question 1)') },
      ask: { kind: 'register', reg: 'rax' },
      prompt: 'RAX = 3 (KVM_HC_FEATURES). What will RAX hold after this hypercall?',
      choices: [
        value(0, '0: success'),
        value(-1000, '-1000, -KVM_ENOSYS'),
        value(-38, '-38, Linux -ENOSYS'),
        value(3, 'unchanged'),
      ],
      answer: hex(-1000),
      explain:
        'KVM_HC_FEATURES (3) is a PowerPC hypercall. x86 has no case for it in ____kvm_emulate_hypercall, so it falls to default: ret = -KVM_ENOSYS. KVM_ENOSYS is defined as 1000 in include/uapi/linux/kvm_para.h, not as ENOSYS (38). x86 guests discover features with CPUID 0x40000001 instead.',
    },
    {
      at: { line: lineOf(PROGRAM, '(question 2)') },
      ask: { kind: 'kvm-exit' },
      prompt:
        'KVM_HC_MAP_GPA_RANGE is the one hypercall that can go to the VMM. Here the VMM did not enable KVM_CAP_EXIT_HYPERCALL. What does KVM_RUN return?',
      choices: [IN_KERNEL, kvmExit('KVM_EXIT_HYPERCALL'), kvmExit('KVM_EXIT_MMIO')],
      answer: IN_KERNEL.value,
      explain:
        'The MAP_GPA_RANGE case first checks user_exit_on_hypercall(kvm, KVM_HC_MAP_GPA_RANGE), that is, whether the VMM enabled bit 12 with KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL). It did not, so KVM returns -KVM_ENOSYS in the kernel and the VMM never sees the call. Lesson 5 turns the bit on.',
    },
    {
      at: { line: lineOf(PROGRAM, '(question 3)') },
      ask: { kind: 'register', reg: 'rax' },
      prompt: 'KVM_HC_CLOCK_PAIRING with clock type 1. What will RAX hold after it?',
      choices: [
        value(0, '0: success'),
        value(-1000, '-KVM_ENOSYS'),
        value(-95, '-KVM_EOPNOTSUPP'),
        value(-22, '-KVM_EINVAL'),
      ],
      answer: hex(-95),
      explain:
        'The number is known, so the switch reaches kvm_pv_clock_pairing. That function only supports KVM_CLOCK_PAIRING_WALLCLOCK (0) and returns -KVM_EOPNOTSUPP (-95) for any other clock type. A handler can fail with its own error code; -KVM_ENOSYS only means "no such hypercall here".',
    },
  ],
  seed: [
    {
      claim:
        'a table of "common KVM hypercalls" listing KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_SET_USER_MEMORY_REGION, KVM_IRQFD and KVM_CREATE_IRQCHIP',
      linux:
        'none of these is a hypercall number. The KVM_HC_* list is 1 VAPIC_POLL_IRQ, 2 MMU_OP (deprecated), 3 FEATURES (PPC), 4 PPC_MAP_MAGIC_PAGE, 5 KICK_CPU, 6–8 MIPS, 9 CLOCK_PAIRING, 10 SEND_IPI, 11 SCHED_YIELD and 12 MAP_GPA_RANGE. The five names in the table are ioctls of the userspace VMM (lesson 6)',
      source: 'include/uapi/linux/kvm_para.h, include/uapi/linux/kvm.h',
    },
  ],
};
