; options: {"irqchip": true}
; The VMM's timer device: the guest programs a 50000-cycle period, then sleeps in HLT.
; Each expiry the VMM writes the timer's irqfd; KVM injects vector 0x20 and wakes the vCPU.
; Three ticks, then the guest stops the timer and halts for good (all-halted).
  jmp setup
align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
  dq gdt
idtr: dw 16 * 0x21 - 1
  dq idt
align 16
idt:
  times 0x20 dq 0, 0
  dw (tick) & 0xffff, 0x08, 0x8e00, ((tick) >> 16) & 0xffff
  dd (tick) >> 32, 0
tick:
  inc r12
  iretq
setup:
  lgdt [gdtr]
  lidt [idtr]
  mov rbx, 0x10000000
  mov dword [rbx + 0x18], 50000   ; TIMER: period in cycles
  sti
wait:
  hlt
  cmp r12, 3
  jb wait
  mov dword [rbx + 0x18], 0       ; stop the timer
  cli
  hlt
