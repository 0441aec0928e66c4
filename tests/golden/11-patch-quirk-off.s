; options: {"vendor": "intel", "fixHypercallQuirk": false}
; With KVM_X86_QUIRK_FIX_HYPERCALL_INSN disabled, VMMCALL on Intel is a #UD in the guest.
; The guest's #UD handler sets RAX = -14 (-EFAULT) and skips the 3 bytes, as in fix_hypercall_test.c.
  jmp setup
align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
  dq gdt
idtr: dw 16 * 7 - 1
  dq idt
align 16
idt:
  times 6 dq 0, 0
  dw (ud_handler) & 0xffff, 0x08, 0x8e00, ((ud_handler) >> 16) & 0xffff
  dd (ud_handler) >> 32, 0
ud_handler:
  mov rax, -14
  add qword [rsp], 3
  iretq
setup:
  lgdt [gdtr]
  lidt [idtr]
  mov eax, 11
  xor ebx, ebx
site:
  vmmcall
  hlt
