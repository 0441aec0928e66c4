import { IN_KERNEL, hex, kvmExit, lineOf, value } from '../author';
import type { Lesson } from '../types';

const PROGRAM = `; Lesson 5: who finishes the exit, KVM or the VMM?
; The serial port (a 16550 UART at 0x3F8) is emulated by the VMM in user
; space, so every IN/OUT to it leaves the kernel: KVM_RUN returns
; KVM_EXIT_IO. A hypercall normally stays in KVM.

    mov dx, 0x3fd           ; COM1 line status register (LSR)
wait_tx:
    xor eax, eax
    in al, dx               ; (questions 1 and 2) read LSR: is the transmitter empty?
    test al, 0x20           ; bit 5 = THRE, transmit holding register empty
    jz wait_tx

    mov dx, 0x3f8           ; COM1 data register
    mov al, 'O'
    out dx, al              ; KVM_EXIT_IO (out): the VMM prints 'O'
    mov al, 'K'
    out dx, al
    mov al, 10
    out dx, al

    mov eax, 11             ; KVM_HC_SCHED_YIELD: handled inside KVM
    xor ebx, ebx
    vmcall

    mov eax, 12             ; KVM_HC_MAP_GPA_RANGE: this VMM asked for it with
    mov ebx, 0x100000       ;   KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL, 1 << 12)
    mov ecx, 4              ; a1 = 4 pages
    mov edx, 0x10           ; a2 = bit 4: make them private (encrypted)
    vmcall                  ; (question 3)

    hlt                     ; no in-kernel LAPIC here: KVM_EXIT_HLT
`;

export const LESSON_5: Lesson = {
  id: 5,
  slug: 'userspace-exits',
  title: 'In-kernel and userspace exits',
  summary:
    'Serial console I/O goes through the VMM (KVM_EXIT_IO); hypercalls stay in KVM, except MAP_GPA_RANGE when the VMM opts in.',
  text: `Every exit handler in KVM returns 1 or 0. 1 means "handled, re-enter the guest": \`KVM_RUN\` keeps running and the VMM never hears about the exit. 0 means "\`kvm_run\` is filled in": \`KVM_RUN\` returns to the VMM, which reads \`run->exit_reason\`, does the work, and calls \`KVM_RUN\` again. This contract is documented above \`kvm_vmx_exit_handlers[]\` in \`arch/x86/kvm/vmx/vmx.c\`. A userspace exit costs far more than an in-kernel one: kvm-unit-tests measured about 13,000 extra cycles for the round trip to QEMU.

Devices that KVM does not emulate in the kernel live in the VMM: here a 16550 UART at port 0x3F8. An IN or OUT to it exits with \`IO_INSTRUCTION\`. \`handle_io\` → \`kvm_fast_pio\` finds no in-kernel device on the port and fills \`run->io\`: the direction, the size, the port, the count, and \`data_offset\`, which points at a data page inside the mmap'd \`kvm_run\` area. It then returns 0. For an OUT the VMM takes the byte from that page. For an IN the VMM writes the byte there, and on the next \`KVM_RUN\`, \`complete_fast_pio_in\` copies it into AL and moves RIP past the IN. In both cases RIP moves only after the VMM has answered.

Hypercalls are the opposite. All KVM-ABI hypercalls finish in the kernel, with one exception: \`KVM_HC_MAP_GPA_RANGE\`, and only if the VMM enabled it with \`KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL)\`, bit 12. Then KVM fills \`run->hypercall\` (nr, args, flags), sets \`complete_userspace_io\` and returns 0 with \`KVM_EXIT_HYPERCALL\`. The VMM converts the memory and writes \`run->hypercall.ret\`. The next \`KVM_RUN\` copies it into RAX (\`complete_hypercall_exit\`). This lesson's settings enable the bit, which is why the program's MAP_GPA_RANGE reaches the VMM while the same call in lesson 3 got -1000.

HLT is a third kind. Without an in-kernel local APIC (no \`KVM_CREATE_IRQCHIP\`, as here), KVM cannot know when an interrupt will wake the vCPU, so it returns \`KVM_EXIT_HLT\` and leaves that to the VMM. Lesson 6 shows the other case. On the timeline, userspace exits and in-kernel exits have different marks; count each kind.`,
  program: PROGRAM,
  settings: { vendor: 'intel', vcpus: 1, vm: { exitHypercallMask: 0x1000 } },
  expect: {
    stop: 'KVM_EXIT_HLT',
    console: 'OK\n',
    exitsByReason: { IO_INSTRUCTION: 4, VMCALL: 2, HLT: 1 },
  },
  questions: [
    {
      at: { line: lineOf(PROGRAM, '(questions 1 and 2)') },
      ask: { kind: 'kvm-exit' },
      prompt:
        'The vCPU is about to read the UART status with IN. What does KVM_RUN return to the VMM?',
      choices: [
        IN_KERNEL,
        kvmExit('KVM_EXIT_IO'),
        kvmExit('KVM_EXIT_MMIO'),
        kvmExit('KVM_EXIT_HYPERCALL'),
      ],
      answer: 'KVM_EXIT_IO',
      explain:
        'No in-kernel device claims port 0x3FD (kvm_io_bus_read on KVM_PIO_BUS fails), so emulator_pio_in_out fills run->io with direction KVM_EXIT_IO_IN (0), size 1, port 0x3fd, count 1, data_offset 4096, and the handler returns 0. A UART is emulated by QEMU or kvmtool, not by KVM.',
    },
    {
      at: { line: lineOf(PROGRAM, '(questions 1 and 2)') },
      ask: { kind: 'register', reg: 'rax' },
      prompt: 'RAX is 0 before the IN. What will RAX hold when the vCPU re-enters the guest?',
      choices: [
        value(0, 'unchanged'),
        value(0x60, 'LSR = THRE | TEMT'),
        value(0xff, 'nothing there: all ones'),
        value(0x3fd, 'the port number'),
      ],
      answer: hex(0x60),
      explain:
        "The VMM's UART answered 0x60 (bits 5 and 6: transmitter empty) in the kvm_run data page. On the next KVM_RUN, complete_fast_pio_in merged that byte into AL (a 1-byte IN keeps the rest of RAX) and only then skipped the instruction.",
    },
    {
      at: { line: lineOf(PROGRAM, '(question 3)') },
      ask: { kind: 'kvm-exit' },
      prompt:
        'The VMM enabled KVM_CAP_EXIT_HYPERCALL for bit 12. What does KVM_RUN return for this KVM_HC_MAP_GPA_RANGE?',
      choices: [
        IN_KERNEL,
        kvmExit('KVM_EXIT_HYPERCALL'),
        kvmExit('KVM_EXIT_IO'),
        kvmExit('KVM_EXIT_MEMORY_FAULT'),
      ],
      answer: 'KVM_EXIT_HYPERCALL',
      explain:
        'user_exit_on_hypercall(kvm, 12) is true, and the arguments are valid (page-aligned GPA, npages > 0). ____kvm_emulate_hypercall fills run->hypercall (nr 12, args, KVM_EXIT_HYPERCALL_LONG_MODE), sets complete_userspace_io = complete_hypercall_exit and returns 0. It is the only KVM_HC_* that can reach the VMM.',
    },
  ],
  seed: [
    {
      claim:
        'a four-step flow (guest → run loop → handler → return to guest) in which every hypercall is finished by the KVM handler and the userspace VMM never appears',
      linux:
        'a handler can also return 0: KVM_RUN then returns to the VMM with kvm_run.exit_reason set (KVM_EXIT_IO, KVM_EXIT_MMIO, KVM_EXIT_HLT, KVM_EXIT_HYPERCALL …), and the VMM completes the exit before the next KVM_RUN. For hypercalls that happens only for KVM_HC_MAP_GPA_RANGE after the VMM opts in. For device I/O it is the usual path',
      source:
        'arch/x86/kvm/vmx/vmx.c (comment above kvm_vmx_exit_handlers), arch/x86/kvm/x86.c, Documentation/virt/kvm/api.rst (KVM_CAP_EXIT_HYPERCALL)',
    },
  ],
};
