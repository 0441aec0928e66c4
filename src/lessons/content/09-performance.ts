import { IN_KERNEL, hex, kvmExit, lineOf, value } from '../author';
import type { Lesson, LessonSettings, LessonVariant } from '../types';

/** Guest set-up shared by the three waiting variants: IDT, timer every 50,000 cycles, STI. */
const TIMER_SETUP = `    jmp setup

align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
    dq gdt
idtr: dw 16 * 0x21 - 1
    dq idt
align 16
idt:                            ; vector 0x20 (the timer) → tick
    times 0x20 dq 0, 0
    dw tick & 0xffff, 0x08, 0x8e00, (tick >> 16) & 0xffff
    dd tick >> 32, 0

tick:                           ; timer interrupt handler: count ticks in r12
    inc r12
    iretq

setup:
    lgdt [gdtr]
    lidt [idtr]
    mov rbx, 0x10000000         ; the VMM's MMIO device
    mov dword [rbx + 0x18], 50000 ; TIMER register: interrupt every 50,000 cycles
    sti                         ; accept interrupts`;

const TIMER_STOP = `    mov dword [rbx + 0x18], 0   ; stop the timer
    cli
    hlt                         ; sleep for good`;

const WAIT_HLT = `; Lesson 9, variant "hlt": wait for three timer ticks, event-driven.
; Each HLT puts the vCPU to sleep in KVM until the timer interrupt arrives.
${TIMER_SETUP}
wait:
    hlt                         ; (question 3) sleep until an interrupt
    cmp r12, 3
    jb wait
${TIMER_STOP}
`;

const WAIT_POLL_HYPERCALL = `; Lesson 9, variant "poll-hypercall": wait for three ticks by polling.
; Each pass makes a KVM_HC_VAPIC_POLL_IRQ hypercall, an exit whose only job
; is to let KVM deliver pending interrupts.
${TIMER_SETUP}
poll:
    mov eax, 1                  ; KVM_HC_VAPIC_POLL_IRQ
    vmcall
    cmp r12, 3
    jb poll
${TIMER_STOP}
`;

const WAIT_SPIN = `; Lesson 9, variant "spin": wait for three ticks by spinning in the guest.
; Almost no exits, but the vCPU (and its host CPU) is busy all the time.
${TIMER_SETUP}
spin:
    pause
    cmp r12, 3
    jb spin
${TIMER_STOP}
`;

const MAP_SINGLE = `; Lesson 9, variant "map-single": convert 8 pages with 8 hypercalls.
; With KVM_CAP_EXIT_HYPERCALL each KVM_HC_MAP_GPA_RANGE goes to the VMM.
    mov r12, 0x100000           ; GPA of the first page
    mov r13d, 8                 ; pages left
next:
    mov eax, 12                 ; KVM_HC_MAP_GPA_RANGE
    mov rbx, r12                ; a0 = GPA
    mov ecx, 1                  ; a1 = 1 page
    mov edx, 0x10               ; a2 = private
    vmcall                      ; KVM_EXIT_HYPERCALL, once per page
    add r12, 0x1000
    dec r13d
    jnz next
    hlt
`;

const MAP_BATCHED = `; Lesson 9, variant "map-batched": the same 8 pages in one hypercall.
    mov eax, 12                 ; KVM_HC_MAP_GPA_RANGE
    mov ebx, 0x100000           ; a0 = GPA of the first page
    mov ecx, 8                  ; a1 = 8 pages: the ABI takes a count
    mov edx, 0x10               ; a2 = private
    vmcall                      ; one KVM_EXIT_HYPERCALL
    hlt
`;

const OUT_PER_BYTE = `; Lesson 9, variant "out-per-byte": 8 bytes to the UART, one OUT each.
    lea rsi, [rel msg]
    mov ecx, 8
    mov dx, 0x3f8               ; COM1 data register
next:
    lodsb                       ; al = [rsi], rsi += 1
    out dx, al                  ; KVM_EXIT_IO
    dec ecx
    jnz next
    hlt
msg: db "batched!"
`;

const REP_OUTSB = `; Lesson 9, variant "rep-outsb": the same 8 bytes with one REP OUTSB.
    lea rsi, [rel msg]
    mov ecx, 8                  ; RCX = count
    mov dx, 0x3f8
    rep outsb                   ; (question 1) one instruction, how many exits?
    hlt
msg: db "batched!"
`;

const IN_PER_BYTE = `; Lesson 9, variant "in-per-byte": read 16 bytes from a data port, one IN each.
; 0x1F0 is the classic ATA data port. This VMM has no disk there, so it
; reads as all ones, but the pattern of exits is what matters here.
    lea rdi, [rel buf]
    mov ecx, 16
    mov dx, 0x1f0
next:
    in al, dx                   ; KVM_EXIT_IO (in)
    stosb                       ; [rdi] = al, rdi += 1
    dec ecx
    jnz next
    hlt
align 16
buf: times 16 db 0
`;

const REP_INSB = `; Lesson 9, variant "rep-insb": the same 16 bytes with one REP INSB.
    lea rdi, [rel buf]
    mov ecx, 16                 ; RCX = count
    mov dx, 0x1f0
    rep insb                    ; (question 2) one instruction, how many exits?
    hlt
align 16
buf: times 16 db 0
`;

const WITH_TIMER: LessonSettings = { vendor: 'intel', vcpus: 1, vm: { irqchip: true } };
const MAP_TO_VMM: LessonSettings = { vendor: 'intel', vcpus: 1, vm: { exitHypercallMask: 0x1000 } };
const PLAIN: LessonSettings = { vendor: 'intel', vcpus: 1 };

const VARIANTS: LessonVariant[] = [
  {
    id: 'hlt',
    label: 'Wait with HLT (event-driven)',
    group: 'waiting',
    program: WAIT_HLT,
    settings: WITH_TIMER,
    expect: { stop: 'all-halted' },
    note: 'A few exits; the vCPU sleeps in KVM between ticks (halted cycles).',
  },
  {
    id: 'poll-hypercall',
    label: 'Poll with KVM_HC_VAPIC_POLL_IRQ',
    group: 'waiting',
    program: WAIT_POLL_HYPERCALL,
    settings: WITH_TIMER,
    expect: { stop: 'all-halted' },
    note: 'About one VMCALL exit per 1,500 cycles of waiting.',
  },
  {
    id: 'spin',
    label: 'Spin in the guest (PAUSE loop)',
    group: 'waiting',
    program: WAIT_SPIN,
    settings: WITH_TIMER,
    expect: { stop: 'all-halted' },
    note: 'Few exits, but the guest never stops executing: compare guest instructions and halted cycles.',
  },
  {
    id: 'map-single',
    label: '8 × KVM_HC_MAP_GPA_RANGE, 1 page each',
    group: 'batching hypercalls',
    program: MAP_SINGLE,
    settings: MAP_TO_VMM,
    expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { VMCALL: 8, HLT: 1 } },
  },
  {
    id: 'map-batched',
    label: '1 × KVM_HC_MAP_GPA_RANGE, 8 pages',
    group: 'batching hypercalls',
    program: MAP_BATCHED,
    settings: MAP_TO_VMM,
    expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { VMCALL: 1, HLT: 1 } },
  },
  {
    id: 'out-per-byte',
    label: '8 × OUT (one byte each)',
    group: 'port output',
    program: OUT_PER_BYTE,
    settings: PLAIN,
    expect: {
      stop: 'KVM_EXIT_HLT',
      console: 'batched!',
      exitsByReason: { IO_INSTRUCTION: 8, HLT: 1 },
    },
  },
  {
    id: 'rep-outsb',
    label: '1 × REP OUTSB (8 bytes)',
    group: 'port output',
    program: REP_OUTSB,
    settings: PLAIN,
    expect: {
      stop: 'KVM_EXIT_HLT',
      console: 'batched!',
      exitsByReason: { IO_INSTRUCTION: 8, HLT: 1 },
    },
    note: 'Still 8 exits: KVM emulates OUTS one element per exit.',
  },
  {
    id: 'in-per-byte',
    label: '16 × IN (one byte each)',
    group: 'port input',
    program: IN_PER_BYTE,
    settings: PLAIN,
    expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { IO_INSTRUCTION: 16, HLT: 1 } },
  },
  {
    id: 'rep-insb',
    label: '1 × REP INSB (16 bytes)',
    group: 'port input',
    program: REP_INSB,
    settings: PLAIN,
    expect: { stop: 'KVM_EXIT_HLT', exitsByReason: { IO_INSTRUCTION: 1, HLT: 1 } },
    note: 'One exit with kvm_run.io.count = 16: KVM reads ahead for INS.',
  },
];

export const LESSON_9: Lesson = {
  id: 9,
  slug: 'performance',
  title: 'Performance: waiting and batching',
  summary:
    'Fewer exits, less time: HLT vs polling, one batched hypercall vs many, and what REP OUTSB / REP INSB really cost.',
  text: `An exit costs about 1,000–1,500 cycles when KVM handles it in the kernel (published kvm-unit-tests \`vmexit\` figures: VMCALL about 1,530 cycles on Skylake-SP, CPUID about 1,030), and about 13,000 more when it goes out to the VMM and back. This lab's cost model uses those figures. Guest instructions cost 1 cycle each. Making a guest fast mostly means taking fewer exits, and above all fewer userspace exits. Run the comparison: each group of variants does the same work in different ways.

Waiting. The guest needs three timer ticks. With HLT it sleeps: \`kvm_emulate_halt\` marks the vCPU halted, \`vcpu_block\` puts the thread to sleep, and the timer's interrupt wakes it. That is one exit per tick, and the host CPU is free in between (the halted cycles). Polling with a hypercall (\`KVM_HC_VAPIC_POLL_IRQ\` exists to make KVM check pending interrupts) takes an exit on every pass. A PAUSE loop takes almost no exits, but the vCPU never stops running, so its host CPU is never free.

Batching. KVM has no general way to batch hypercalls. Some hypercall ABIs batch on their own: \`KVM_HC_MAP_GPA_RANGE\` takes a page count, and \`KVM_HC_SEND_IPI\` takes a bitmap of up to 128 destination vCPUs (lesson 10). Converting 8 pages one call at a time costs 8 userspace exits; one call with a1 = 8 costs one.

String I/O. It is tempting to think \`REP OUTSB\` sends a whole buffer in one exit. In Linux it does not. String I/O goes through KVM's instruction emulator, and \`em_out\` (\`arch/x86/kvm/emulate.c\`) passes a count of 1. Each byte is its own \`KVM_EXIT_IO\` (count 1), after which the guest re-executes the REP instruction with RCX one smaller. REP OUTSB only saves guest instructions. \`REP INSB\` is different: \`pio_in_emulated\` reads ahead, asking for min(bytes left in the page, 1024 / size, RCX) elements in one exit (\`kvm_run.io.count\` > 1). Devices that move data fast avoid port I/O altogether: virtio puts the data in shared memory and makes one notification per batch.`,
  program: WAIT_HLT,
  settings: WITH_TIMER,
  expect: { stop: 'all-halted' },
  variants: VARIANTS,
  questions: [
    {
      variant: 'rep-outsb',
      at: { line: lineOf(REP_OUTSB, '(question 1)') },
      ask: { kind: 'register', reg: 'rcx' },
      prompt:
        'RCX = 8 and the vCPU is about to execute REP OUTSB to the UART. What will RCX be when the vCPU re-enters the guest after the first exit?',
      choices: [
        value(0, 'all 8 bytes sent in one exit'),
        value(7, 'one byte per exit'),
        value(8, 'nothing sent yet'),
        value(4, 'half of them'),
      ],
      answer: hex(7),
      explain:
        'em_out calls pio_out_emulated with count 1, so KVM_RUN returns KVM_EXIT_IO with count = 1 for each byte. The emulator commits RSI + 1 and RCX - 1 and leaves RIP on the REP OUTSB, so the guest re-executes it and exits again: 8 bytes, 8 exits. This is the same number of exits as the OUT loop.',
    },
    {
      variant: 'rep-insb',
      at: { line: lineOf(REP_INSB, '(question 2)') },
      ask: { kind: 'register', reg: 'rcx' },
      prompt:
        'RCX = 16 and the vCPU is about to execute REP INSB from port 0x1F0. What will RCX be when the vCPU re-enters the guest after the first exit?',
      choices: [
        value(0, 'all 16 bytes in one exit'),
        value(15, 'one byte per exit'),
        value(16, 'nothing read yet'),
        value(8, 'half of them'),
      ],
      answer: hex(0),
      explain:
        'pio_in_emulated (arch/x86/kvm/emulate.c) refills its read-ahead cache with n = min(bytes left in the page at RDI, sizeof(io_read.data) / size, RCX) = 16 elements. KVM_RUN returns one KVM_EXIT_IO with count = 16, the VMM fills all 16 bytes, and the re-executed REP INSB completes from the cache.',
    },
    {
      variant: 'hlt',
      at: { line: lineOf(WAIT_HLT, '(question 3)') },
      ask: { kind: 'kvm-exit' },
      prompt:
        'In the HLT variant (in-kernel irqchip), the vCPU is about to execute HLT. What does KVM_RUN return?',
      choices: [
        IN_KERNEL,
        kvmExit('KVM_EXIT_HLT'),
        kvmExit('KVM_EXIT_INTR'),
        kvmExit('KVM_EXIT_IRQ_WINDOW_OPEN'),
      ],
      answer: IN_KERNEL.value,
      explain:
        "The local APIC is in the kernel, so __kvm_emulate_halt returns 1 and vcpu_run sleeps in vcpu_block. The timer's irqfd raises GSI 0, the interrupt becomes pending in the local APIC, and kvm_vcpu_kick wakes the thread. The VMM takes no part in waiting or waking.",
    },
  ],
  seed: [
    {
      claim:
        'that KVM is efficient because it is event-driven: the hypervisor waits for hypercalls instead of continuously polling for them',
      linux:
        "KVM never polls for hypercalls. A hypercall is a synchronous VM exit on the calling vCPU's own thread. Waiting is where events matter: a guest HLT puts the vCPU thread to sleep in kvm_vcpu_halt until an interrupt or a PV kick wakes it. KVM even polls on purpose for a short time before sleeping (halt-polling, the halt_poll_ns parameter), to wake faster. This model does not simulate halt-polling",
      source:
        'arch/x86/kvm/x86.c (kvm_emulate_halt, vcpu_block), virt/kvm/kvm_main.c (kvm_vcpu_halt, halt_poll_ns)',
    },
    {
      claim: 'that KVM gives hypercall processing priority with dedicated thread pools',
      linux:
        "there is no thread pool. Each exit, hypercalls included, is handled on the vCPU's own thread inside its KVM_RUN ioctl (vcpu_run), before the guest is re-entered. Extra threads exist in the VMM and in vhost for device back-ends (QEMU iothreads, vhost workers), and they never run hypercalls",
      source: 'arch/x86/kvm/x86.c (vcpu_run), virt/kvm/kvm_main.c (kvm_vcpu_ioctl)',
    },
    {
      claim: 'that KVM reduces VM-exit overhead by batching related hypercalls',
      linux:
        'KVM does not batch hypercalls. Batching is built into particular ABIs: KVM_HC_SEND_IPI reaches up to 128 vCPUs in one call (kvm_pv_send_ipi), and KVM_HC_MAP_GPA_RANGE converts many pages in one call. For port I/O, REP INS is read ahead (pio_in_emulated), but REP OUTS still costs one exit per element (em_out passes count 1)',
      source:
        'arch/x86/kvm/lapic.c (kvm_pv_send_ipi), arch/x86/kvm/x86.c, arch/x86/kvm/emulate.c (em_out, pio_in_emulated)',
    },
  ],
};
