; options: {}
; A fault with no IDT: #UD → #GP → #DF → triple fault → KVM_EXIT_SHUTDOWN.
  ud2
