import { IN_KERNEL, hex, kvmExit, lineOf, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 10: two vCPUs. A hypercall on one vCPU wakes the other.
; Both vCPUs start here; RDI = the vCPU index (= its APIC ID).
; vCPU 1 sleeps twice: first until vCPU 0 kicks it with KVM_HC_KICK_CPU,
; then until vCPU 0 sends it interrupt 0x40 with KVM_HC_SEND_IPI.

    jmp setup

align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
    dq gdt
idtr: dw 16 * 0x41 - 1
    dq idt
align 16
idt:                            ; vector 0x40 → ipi_handler
    times 0x40 dq 0, 0
    dw ipi_handler & 0xffff, 0x08, 0x8e00, (ipi_handler >> 16) & 0xffff
    dd ipi_handler >> 32, 0

ipi_handler:                    ; runs on vCPU 1 when the IPI arrives
    mov r9, 0x1b1
    iretq

setup:
    lgdt [gdtr]
    lidt [idtr]
    test edi, edi
    jnz ap                      ; vCPU 1 → ap

; ---- vCPU 0 ----
    mov ecx, 20000
spin1:                          ; give vCPU 1 time to fall asleep
    dec ecx
    jnz spin1
    mov eax, 5                  ; KVM_HC_KICK_CPU
    xor ebx, ebx                ; a0 = flags (reserved, 0)
    mov ecx, 1                  ; a1 = APIC ID of the vCPU to wake
    vmcall                      ; (question 2)
    mov r8, rax

    mov ecx, 20000
spin2:                          ; let vCPU 1 go back to sleep
    dec ecx
    jnz spin2
    mov eax, 10                 ; KVM_HC_SEND_IPI
    mov ebx, 2                  ; a0 = destination bitmap, low half: bit 1 → APIC ID min + 1
    xor ecx, ecx                ; a1 = bitmap, high half
    xor edx, edx                ; a2 = min: the APIC ID of bit 0
    mov esi, 0x40               ; a3 = ICR: fixed delivery, vector 0x40
    vmcall                      ; (question 3)
    mov r10, rax
    hlt                         ; vCPU 0 is done (IF = 0: sleeps for good)

; ---- vCPU 1 ----
ap:
    hlt                         ; (question 1) IF = 0: only a PV kick can wake it
    mov r8, 0x600d              ; woken by KVM_HC_KICK_CPU
    sti                         ; now accept interrupts
    hlt                         ; sleep until the IPI; ipi_handler runs, then …
    hlt                         ; … back to sleep for good
`;

export const LESSON_10: Lesson = {
  id: 10,
  slug: 'two-vcpus',
  title: 'Two vCPUs: KICK_CPU and SEND_IPI',
  summary:
    'Each vCPU is a thread in KVM_RUN. A hypercall on one can wake the other: KVM_HC_KICK_CPU (PV unhalt) and KVM_HC_SEND_IPI (many IPIs, one exit).',
  text: `Each vCPU is its own file descriptor and its own VMM thread blocked in \`KVM_RUN\`. The vCPUs run in parallel, and each one's exits are handled on its own thread. Two hypercalls exist so that one vCPU can act on another.

\`KVM_HC_KICK_CPU\` (5) exists for paravirtual spinlocks. A guest vCPU waiting for a lock held by a preempted vCPU halts instead of spinning. The vCPU that releases the lock kicks it: a0 = flags (0), a1 = the APIC ID of the sleeper. \`kvm_pv_kick_cpu_op\` (\`arch/x86/kvm/x86.c\`) delivers an \`APIC_DM_REMRD\` message that sets \`pv_unhalted\` on the target and calls \`kvm_vcpu_kick\`. The sleeping thread wakes even though the guest has interrupts disabled, and no guest interrupt handler runs. KVM then tries a directed yield to the target (\`kvm_sched_yield\`) and returns 0. The guest may only use it if CPUID 0x40000001 has \`KVM_FEATURE_PV_UNHALT\` (bit 7), and KVM enforces that only when the VMM enabled \`KVM_CAP_ENFORCE_PV_FEATURE_CPUID\`.

\`KVM_HC_SEND_IPI\` (10) sends one interrupt to many vCPUs with a single exit. a0 and a1 are a 128-bit bitmap of destinations, a2 is the APIC ID of bit 0, and a3 is the ICR value (delivery mode and vector). \`kvm_pv_send_ipi\` (\`arch/x86/kvm/lapic.c\`) delivers a fixed interrupt to each destination's local APIC and returns how many it reached. Without it, a guest writes the local APIC's ICR once per destination, and without hardware APIC virtualization each write is an exit. Linux guests use it when CPUID has \`KVM_FEATURE_PV_SEND_IPI\` (bit 11).

In the program, vCPU 1 halts with interrupts disabled. vCPU 0 kicks it, then sends it vector 0x40 once vCPU 1 sleeps again with interrupts enabled. Follow the two lanes on the timeline. vCPU 1's HLT exits stay open while it sleeps, and each one ends when a hypercall on vCPU 0 wakes it. The wake phase appears on vCPU 1's lane at vCPU 0's time. This VM has two vCPUs, so the VMM created the in-kernel irqchip, and all of this happens without the VMM: both hypercalls and both wake-ups are in-kernel work.`,
  program: PROGRAM,
  settings: { vendor: 'intel', vcpus: 2 },
  expect: { stop: 'all-halted', exitsByReason: { VMCALL: 2, HLT: 4 } },
  questions: [
    {
      at: { line: lineOf(PROGRAM, '(question 1)'), vcpu: 1 },
      ask: { kind: 'kvm-exit' },
      prompt: 'vCPU 1 halts with interrupts disabled. What does its KVM_RUN return to the VMM?',
      choices: [IN_KERNEL, kvmExit('KVM_EXIT_HLT'), kvmExit('KVM_EXIT_SHUTDOWN')],
      answer: IN_KERNEL.value,
      explain:
        'With the in-kernel LAPIC, __kvm_emulate_halt makes the vCPU halted and returns 1. The thread sleeps inside KVM_RUN (vcpu_block → kvm_vcpu_halt) until kvm_vcpu_kick wakes it. IF = 0 does not make this a hang: pv_unhalted counts as a wake-up event in kvm_arch_vcpu_runnable.',
    },
    {
      at: { line: lineOf(PROGRAM, '(question 2)'), vcpu: 0 },
      ask: { kind: 'register', reg: 'rax' },
      prompt:
        "vCPU 0 kicks APIC ID 1 with KVM_HC_KICK_CPU. What will vCPU 0's RAX hold afterwards?",
      choices: [
        value(0, '0: success'),
        value(1, 'one vCPU woken'),
        value(-1000, '-KVM_ENOSYS'),
        value(5, 'unchanged'),
      ],
      answer: hex(0),
      explain:
        'The KVM_HC_KICK_CPU case calls kvm_pv_kick_cpu_op(vcpu->kvm, a1), then kvm_sched_yield, and sets ret = 0. It would be -KVM_ENOSYS only if the VMM enforced PV features and left KVM_FEATURE_PV_UNHALT out of CPUID 0x40000001.',
    },
    {
      at: { line: lineOf(PROGRAM, '(question 3)'), vcpu: 0 },
      ask: { kind: 'register', reg: 'rax' },
      prompt:
        'vCPU 0 sends vector 0x40 to the bitmap {APIC ID 1} with KVM_HC_SEND_IPI. What will RAX hold afterwards?',
      choices: [
        value(0, '0: success'),
        value(1, 'delivered to 1 vCPU'),
        value(2, 'the bitmap'),
        value(0x40, 'the vector'),
      ],
      answer: hex(1),
      explain:
        'KVM_HC_SEND_IPI is the hypercall that returns a count: kvm_pv_send_ipi returns how many local APICs accepted the interrupt, here 1. The interrupt wakes vCPU 1, because it halted with IF = 1, and ipi_handler runs there (r9 = 0x1b1).',
    },
  ],
  seed: [
    {
      claim:
        'that control returns to the guest VM once the handler has processed the hypercall, as if a hypercall only concerned the vCPU that made it',
      linux:
        "a hypercall is handled on the calling vCPU's thread, but it can act on other vCPUs. KVM_HC_KICK_CPU wakes a halted vCPU through kvm_vcpu_kick, and KVM_HC_SEND_IPI delivers interrupts to many local APICs. The target vCPUs wake on their own threads, without any exit of their own",
      source: 'arch/x86/kvm/x86.c (kvm_pv_kick_cpu_op), arch/x86/kvm/lapic.c (kvm_pv_send_ipi)',
    },
  ],
};
