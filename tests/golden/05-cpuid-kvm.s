; options: {}
; CPUID 0x40000000: KVM's signature "KVMKVMKVM" in EBX, ECX, EDX.
  mov eax, 0x40000000
  cpuid
  hlt
