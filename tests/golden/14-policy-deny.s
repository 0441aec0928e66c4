; options: {"policy": [{"nr": 11, "action": {"kind": "deny", "errno": 1}}]}
; An interception policy denies KVM_HC_SCHED_YIELD with -KVM_EPERM; KVM_HC_VAPIC_POLL_IRQ passes.
  mov eax, 11
  xor ebx, ebx
  vmcall
  mov r8, rax
  mov eax, 1
  vmcall
  hlt
