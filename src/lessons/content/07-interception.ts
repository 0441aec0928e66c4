import { hex, lineOf, reasons, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 7: an interception policy between dispatch and the handler.
; This lesson's VM has three rules (see the settings):
;   nr 11   (KVM_HC_SCHED_YIELD)   → log it, then let KVM run it
;   nr 9    (KVM_HC_CLOCK_PAIRING) → deny it with -KVM_EPERM
;   nr 1234 (unknown)              → redirect it to nr 1 (KVM_HC_VAPIC_POLL_IRQ)
; A kVMI-style teaching model: upstream KVM has no such hook.

    mov eax, 11             ; logged, then handled as usual
    xor ebx, ebx
    vmcall                  ; → 0
    mov r8, rax

    mov eax, 9              ; denied: the handler never runs,
    lea rbx, [rel clock]    ;   so nothing is written to clock
    xor ecx, ecx
    vmcall                  ; (questions 1 and 2)
    mov r9, rax

    mov eax, 1234           ; would be -KVM_ENOSYS …
    vmcall                  ; (question 3) … but the policy redirects it
    mov r10, rax

    hlt

align 8
clock: times 64 db 0
`;

export const LESSON_7: Lesson = {
  id: 7,
  slug: 'interception',
  title: 'Intercepting hypercalls (a kVMI-style model)',
  summary:
    'A policy that logs, denies and redirects hypercalls inside the host. This is a teaching model: upstream KVM has no such layer.',
  text: `Be clear about what is real here. Upstream KVM has no hook for filtering or rewriting hypercalls. \`kvm_emulate_hypercall\` goes straight from the exit to the \`switch (nr)\` in \`arch/x86/kvm/x86.c\`. This lesson's policy layer is a teaching model in the spirit of KVM Virtual Machine Introspection (KVMI). KVMI was a patch series proposed on the KVM mailing list to let a security tool watch and control a guest from outside. It was never merged into Linux.

In the model, the rules sit between dispatch and the handler, and each rule's action is its own phase on the flow diagram:
- log: record the call (number, arguments, vCPU) and let it through unchanged
- deny: do not run the handler; RAX gets a negative error (here \`-KVM_EPERM\`) and RIP still moves on
- redirect: run a different hypercall number instead
- rewrite (not used here): change a0–a3 before the handler
- forward: give the call to the VMM as \`KVM_EXIT_HYPERCALL\`

The first rule that matches acts. A rule cannot stop the VM exit itself. The CPU exits first, and only then can any host software look at the call. That is also why interception costs something: every intercepted call is a full exit, plus the policy's own work.

What mainline does have is narrower and decided by the VMM: \`KVM_CAP_EXIT_HYPERCALL\` (only for \`KVM_HC_MAP_GPA_RANGE\`, lesson 5), the Xen and Hyper-V hypercall ABIs (which the VMM turns on with \`KVM_XEN_HVM_CONFIG\` or by exposing the Hyper-V CPUID leaves), and \`KVM_X86_SET_MSR_FILTER\` / \`KVM_CAP_X86_USER_SPACE_MSR\` to send chosen MSR accesses to the VMM. A real introspection tool on mainline works with these, or from inside the guest.`,
  program: PROGRAM,
  settings: {
    vendor: 'intel',
    vcpus: 1,
    vm: {
      policy: [
        { nr: 11, action: { kind: 'log' } },
        { nr: 9, action: { kind: 'deny', errno: 1 } },
        { nr: 1234, action: { kind: 'redirect', nr: 1 } },
      ],
    },
  },
  expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { VMCALL: 3, HLT: 1 } },
  questions: [
    {
      at: { line: lineOf(PROGRAM, '(questions 1 and 2)') },
      ask: { kind: 'exit-reason' },
      prompt:
        'A rule denies KVM_HC_CLOCK_PAIRING. The vCPU is about to execute that VMCALL. What is the next VM exit?',
      choices: reasons('VMCALL', 'EXCEPTION_NMI', 'HLT'),
      answer: 'VMCALL',
      explain:
        'The policy runs in the host, after the exit. The CPU exits on VMCALL as it always does (reason 18), KVM dispatches it, and the rule acts in the intercept phase. Nothing in the host can stop a guest instruction from exiting.',
    },
    {
      at: { line: lineOf(PROGRAM, '(questions 1 and 2)') },
      ask: { kind: 'register', reg: 'rax' },
      prompt: 'What will RAX hold after the denied KVM_HC_CLOCK_PAIRING?',
      choices: [
        value(0, '0: success'),
        value(-1, '-KVM_EPERM'),
        value(-1000, '-KVM_ENOSYS'),
        value(9, 'unchanged'),
      ],
      answer: hex(-1),
      explain:
        'The deny rule sets the result to -errno = -1 (-KVM_EPERM) without running kvm_pv_clock_pairing, so the clock buffer stays zero. The result still goes into RAX and RIP still moves past the VMCALL, the same completion as a real hypercall.',
    },
    {
      at: { line: lineOf(PROGRAM, '(question 3)') },
      ask: { kind: 'register', reg: 'rax' },
      prompt: 'nr 1234 is redirected to KVM_HC_VAPIC_POLL_IRQ. What will RAX hold after it?',
      choices: [
        value(0, '0: VAPIC_POLL_IRQ ran'),
        value(-1000, '-KVM_ENOSYS'),
        value(1234, 'unchanged'),
        value(-1, '-KVM_EPERM'),
      ],
      answer: hex(0),
      explain:
        'The redirect replaced the number before the handler ran, so KVM_HC_VAPIC_POLL_IRQ ran and returned 0. Without the rule this call would have returned -1000. The trace records the number as the guest sent it (1234), with the intercept phase showing the change.',
    },
  ],
  seed: [
    {
      claim:
        "that interception changes or redirects a hypercall on its way to the hypervisor, for example through KVM's introspection interface (kVMI)",
      linux:
        'every hypercall reaches the hypervisor first, because that is what the VM exit does. Mainline KVM has no introspection interface and no hypercall-interception hook: kvm_emulate_hypercall dispatches straight to its switch. KVMI was proposed on the KVM list and never merged. Mainline lets the VMM take over only KVM_HC_MAP_GPA_RANGE (KVM_CAP_EXIT_HYPERCALL), the Xen/Hyper-V ABIs, and MSR accesses (MSR filters)',
      source: 'arch/x86/kvm/x86.c (kvm_emulate_hypercall), Documentation/virt/kvm/api.rst',
    },
  ],
};
