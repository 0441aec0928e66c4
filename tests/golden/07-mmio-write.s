; options: {}
; A write to the MMIO device (no memslot): EPT violation → emulation → KVM_EXIT_MMIO.
  mov rbx, 0x10000000
  mov dword [rbx + 8], 0x55
  hlt
