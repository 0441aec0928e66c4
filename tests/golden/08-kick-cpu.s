; options: {"vcpus": 2}
; KVM_HC_KICK_CPU: vCPU 0 wakes vCPU 1, which halted in the kernel.
  test edi, edi
  jnz ap
  mov ecx, 20000
spin:
  dec ecx
  jnz spin
  mov eax, 5         ; KVM_HC_KICK_CPU
  xor ebx, ebx       ; a0: flags
  mov ecx, 1         ; a1: APIC ID of vCPU 1
  vmcall
  hlt
ap:
  hlt
  mov eax, 0x600d
  hlt
