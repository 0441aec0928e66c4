; options: {}
; An unknown hypercall number: RAX = -KVM_ENOSYS = 0xfffffffffffffc18.
  mov eax, 1234
  vmcall
  hlt
