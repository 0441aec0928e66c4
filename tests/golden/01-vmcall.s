; options: {}
; A VMCALL with a known number: KVM_HC_SCHED_YIELD (11) toward APIC ID 0.
  mov eax, 11
  xor ebx, ebx
  vmcall
  hlt
