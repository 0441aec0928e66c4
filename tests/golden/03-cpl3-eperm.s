; options: {}
; A hypercall from CPL 3: RAX = -KVM_EPERM, RIP still advanced.
  jmp setup
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff, 0x00affa000000ffff, 0x00cff2000000ffff
gdtr: dw 39
  dq gdt
setup:
  lgdt [gdtr]
  push 0x23          ; SS
  push 0x60000       ; RSP
  push 0x3002        ; RFLAGS: IOPL 3, so user mode may use the debug port
  push 0x1b          ; CS, RPL 3
  lea rax, [rel user]
  push rax
  iretq
user:
  mov eax, 11
  vmcall
  mov al, 'u'
  out 0xe9, al
  hlt                ; #GP at CPL 3: no IDT, so a triple fault ends the run
