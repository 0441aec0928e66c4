; options: {"vendor": "amd"}
; VMCALL on AMD: #UD intercept, KVM rewrites the 3 bytes to VMMCALL, the guest re-executes them.
  mov eax, 11
  xor ebx, ebx
site:
  vmcall
  hlt
