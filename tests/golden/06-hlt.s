; options: {}
; HLT with the local APIC in userspace (no KVM_CREATE_IRQCHIP): KVM_EXIT_HLT.
  hlt
