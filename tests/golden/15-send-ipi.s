; options: {"vcpus": 2}
; KVM_HC_SEND_IPI: vCPU 0 sends vector 0x40 to APIC ID 1 with one hypercall; RAX = 1 (delivered to one vCPU).
; vCPU 1 sleeps in HLT with interrupts enabled; the IPI wakes it and its handler runs.
  jmp setup
align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
  dq gdt
idtr: dw 16 * 0x41 - 1
  dq idt
align 16
idt:
  times 0x40 dq 0, 0
  dw (ipi_handler) & 0xffff, 0x08, 0x8e00, ((ipi_handler) >> 16) & 0xffff
  dd (ipi_handler) >> 32, 0
ipi_handler:
  mov r9, 0x1b1
  iretq
setup:
  lgdt [gdtr]
  lidt [idtr]
  test edi, edi
  jnz ap
  mov ecx, 30000
spin:
  dec ecx
  jnz spin
  mov eax, 10        ; KVM_HC_SEND_IPI
  mov ebx, 2         ; a0: bitmap low — bit 1 = APIC ID min + 1
  xor ecx, ecx       ; a1: bitmap high
  xor edx, edx       ; a2: min = APIC ID 0
  mov esi, 0x40      ; a3: ICR — fixed delivery, vector 0x40
  vmcall
  hlt
ap:
  sti
  hlt
  hlt
