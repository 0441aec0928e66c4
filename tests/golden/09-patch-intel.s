; options: {"vendor": "intel"}
; VMMCALL on Intel: #UD exit, KVM rewrites the 3 bytes to VMCALL, the guest re-executes them.
  mov eax, 11
  xor ebx, ebx
site:
  vmmcall
  hlt
