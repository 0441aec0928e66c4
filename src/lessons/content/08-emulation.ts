import { lineOf, reasons } from '../author';
import type { Lesson, LessonSettings } from '../types';

const PROGRAM = `; Lesson 8: the wrong vendor's hypercall instruction, on an AMD host.
; Old guest kernels hard-coded Intel's VMCALL (0F 01 C1). On AMD the
; instruction is VMMCALL (0F 01 D9), and VMCALL is an invalid opcode (#UD).
; The guest calls one helper, like the kernel's kvm_hypercall0(), three times.

    jmp setup

align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
    dq gdt
idtr: dw 16 * 7 - 1
    dq idt
align 16
idt:                            ; vectors 0-5 empty, 6 (#UD) → ud_handler
    times 6 dq 0, 0
    dw ud_handler & 0xffff, 0x08, 0x8e00, (ud_handler >> 16) & 0xffff
    dd ud_handler >> 32, 0

ud_handler:                     ; only runs if KVM hands the #UD to the guest:
    mov rax, -14                ;   "hypercall failed" (-EFAULT), as the
    add qword [rsp], 3          ;   selftest fix_hypercall_test.c does,
    iretq                       ;   and skip the 3-byte instruction

hypercall:                      ; RAX = nr, RBX = a0 → RAX = result
site:
    vmcall                      ; Intel's opcode, on an AMD CPU
    ret

setup:
    lgdt [gdtr]
    lidt [idtr]

    mov eax, 11                 ; KVM_HC_SCHED_YIELD
    xor ebx, ebx
    call hypercall              ; first time through the site (question 1)
    mov r8, rax

    mov eax, 11
    call hypercall              ; second time
    mov r9, rax

    mov eax, 2                  ; KVM_HC_MMU_OP, which old guests used;
    call hypercall              ;   KVM no longer implements it
    mov r10, rax
    hlt
`;

const AMD: LessonSettings = { vendor: 'amd', vcpus: 1 };
const AMD_QUIRK_OFF: LessonSettings = { vendor: 'amd', vcpus: 1, vm: { fixHypercallQuirk: false } };

export const LESSON_8: Lesson = {
  id: 8,
  slug: 'emulation',
  title: 'Emulation: the VMCALL ↔ VMMCALL patch',
  summary:
    "On AMD, VMCALL raises #UD; KVM's emulator rewrites it to VMMCALL (a quirk). With the quirk off, the guest gets the #UD. Unknown numbers are not translated.",
  text: `Intel and AMD use different hypercall instructions: \`VMCALL\` (0F 01 C1) and \`VMMCALL\` (0F 01 D9). Each is an invalid opcode on the other vendor's CPU. Current Linux guests choose the right one at boot (\`ALTERNATIVE("vmcall", "vmmcall", X86_FEATURE_VMMCALL)\` in \`arch/x86/include/asm/kvm_para.h\`). Older guests hard-coded VMCALL, and a VM can be migrated from an Intel host to an AMD one.

What KVM does about it:
- The #UD is intercepted. AMD: exit code \`0x046\` (\`EXCP\`, vector 6) → \`ud_interception\`. Intel: \`EXCEPTION_NMI\` → \`handle_exception_nmi\`. Either way \`handle_ud\` → \`kvm_emulate_instruction(vcpu, EMULTYPE_TRAP_UD)\`.
- KVM's x86 emulator (\`arch/x86/kvm/emulate.c\`) decodes the bytes. VMCALL and VMMCALL are among the few opcodes it agrees to emulate on #UD. \`em_hypercall\` calls \`emulator_fix_hypercall\` in \`arch/x86/kvm/x86.c\`.
- With the quirk \`KVM_X86_QUIRK_FIX_HYPERCALL_INSN\` on (the default), the vendor hook \`patch_hypercall\` supplies the native bytes and KVM writes them over the guest's instruction. RIP does not move. The guest re-executes the now-native VMMCALL and takes the normal hypercall exit.
- The first call therefore costs two exits (#UD, then VMMCALL), and later calls through the same site cost one. KVM has rewritten guest code: compare the bytes at \`site\` in the memory view before and after.
- With the quirk off (the VMM called \`KVM_ENABLE_CAP(KVM_CAP_DISABLE_QUIRKS2, 0x20)\`), \`emulator_fix_hypercall\` injects the #UD into the guest and memory is not touched. Guests that must not be patched behind their back (or whose code KVM cannot read, like SEV) need this. The \`quirk-off\` variant shows it.

Emulation does not mean translation. The third call uses \`KVM_HC_MMU_OP\` (2), which older guests used for paravirtual MMU updates. KVM no longer implements it, so today the number falls through the switch: \`-KVM_ENOSYS\`. KVM does implement complete foreign hypercall ABIs: Hyper-V for Windows guests (\`arch/x86/kvm/hyperv.c\`) and Xen (\`arch/x86/kvm/xen.c\`). Those are whole interfaces the VMM turns on, not a fallback for unknown numbers.`,
  program: PROGRAM,
  settings: AMD,
  expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { EXCP: 1, VMMCALL: 3, HLT: 1 } },
  variants: [
    {
      id: 'quirk-on',
      label: 'Quirk on (default): KVM patches VMCALL to VMMCALL',
      group: 'fix-hypercall-quirk',
      program: PROGRAM,
      settings: AMD,
      expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { EXCP: 1, VMMCALL: 3, HLT: 1 } },
      note: 'One #UD exit in total: after the patch, the site holds VMMCALL.',
    },
    {
      id: 'quirk-off',
      label: "Quirk off: the guest's #UD handler runs",
      group: 'fix-hypercall-quirk',
      program: PROGRAM,
      settings: AMD_QUIRK_OFF,
      expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { EXCP: 3, HLT: 1 } },
      note: 'Every call is a #UD exit that KVM reflects into the guest; no hypercall is ever made.',
    },
  ],
  questions: [
    {
      at: { line: lineOf(PROGRAM, '(question 1)') },
      ask: { kind: 'exit-reason' },
      prompt:
        'The AMD vCPU is about to make its first call through VMCALL. What is the next VM exit?',
      choices: reasons('VMMCALL', 'EXCP', 'NPF', 'SHUTDOWN'),
      answer: 'EXCP',
      explain:
        'VMCALL is not an instruction on AMD, so the CPU raises #UD. KVM intercepts #UD, which shows as exit code 0x046 (SVM_EXIT_EXCP_BASE + 6) handled by ud_interception. The emulator then patches the bytes. The VMMCALL exit (0x081) comes next, when the guest re-executes the site.',
    },
    {
      at: { exit: 1 },
      ask: { kind: 'exit-reason' },
      prompt: 'KVM has just handled that #UD (exit 0) with the quirk on. What is exit 1?',
      choices: reasons('EXCP', 'VMMCALL', 'HLT', 'NPF'),
      answer: 'VMMCALL',
      explain:
        'emulator_fix_hypercall wrote 0F 01 D9 over the instruction and left RIP on it. On VM entry the guest executes the patched VMMCALL: exit 0x081 → kvm_emulate_hypercall, KVM_HC_SCHED_YIELD, RAX = 0. The second call through the site takes only this exit.',
    },
    {
      variant: 'quirk-off',
      at: { exit: 1 },
      ask: { kind: 'exit-reason' },
      prompt: 'Quirk off: exit 0 was the first #UD. What is exit 1?',
      choices: reasons('EXCP', 'VMMCALL', 'HLT', 'SHUTDOWN'),
      answer: 'EXCP',
      explain:
        "With KVM_X86_QUIRK_FIX_HYPERCALL_INSN disabled, emulator_fix_hypercall injects #UD instead of patching. The guest's ud_handler sets RAX = -14 and skips the instruction. The site still holds VMCALL, so the second call raises #UD again: another EXCP exit, and never a VMMCALL.",
    },
  ],
  seed: [
    {
      claim:
        'that hypercall emulation handles unsupported hypercalls from older operating systems, through hypercall translation layers, guest OS modification or dynamic binary translation',
      linux:
        "KVM does not emulate or translate unknown hypercall numbers: ____kvm_emulate_hypercall returns -KVM_ENOSYS. What KVM emulates is the instruction. The wrong vendor's VMCALL/VMMCALL traps with #UD, and the x86 emulator (em_hypercall → emulator_fix_hypercall) rewrites it in guest memory to the native opcode. This is binary patching at run time, and the VMM can turn it off with KVM_X86_QUIRK_FIX_HYPERCALL_INSN. Foreign ABIs (Hyper-V, Xen) are implemented as whole interfaces the VMM enables",
      source:
        'arch/x86/kvm/x86.c (emulator_fix_hypercall), arch/x86/kvm/emulate.c (em_hypercall), arch/x86/kvm/svm/svm.c (svm_patch_hypercall), tools/testing/selftests/kvm/x86/fix_hypercall_test.c',
    },
  ],
};
