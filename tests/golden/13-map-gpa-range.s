; options: {"exitHypercallMask": 4096}
; KVM_HC_MAP_GPA_RANGE with KVM_CAP_EXIT_HYPERCALL enabled: KVM_EXIT_HYPERCALL to userspace.
  mov eax, 12          ; KVM_HC_MAP_GPA_RANGE
  mov ebx, 0x100000    ; a0: GPA
  mov ecx, 16          ; a1: 16 pages
  mov edx, 0x10        ; a2: private
  vmcall
  hlt
