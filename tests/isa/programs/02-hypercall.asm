; A sequence of KVM hypercalls: nr in rax, arguments in rbx, rcx, rdx, rsi.
KVM_HC_VAPIC_POLL_IRQ   equ 1
KVM_HC_KICK_CPU         equ 5
KVM_HC_SEND_IPI         equ 10
KVM_HC_SCHED_YIELD      equ 11
KVM_HC_MAP_GPA_RANGE    equ 12

_start:
        mov rax, KVM_HC_VAPIC_POLL_IRQ
        vmcall
        mov rax, KVM_HC_KICK_CPU
        xor ebx, ebx                ; flags
        mov ecx, 1                  ; apic id
        vmcall
        mov rax, 11                 ; KVM_HC_SCHED_YIELD, as a literal
        mov rbx, 1
        vmcall
        cmp rax, -1000              ; -KVM_ENOSYS?
        je .failed
        mov rax, KVM_HC_SEND_IPI
        mov rbx, 0xffffffffffffffff ; bitmap low
        xor ecx, ecx                ; bitmap high
        xor edx, edx                ; min apic id
        mov esi, 0xfd               ; icr
        vmcall
        mov eax, KVM_HC_MAP_GPA_RANGE
        mov rbx, 0x100000
        mov rcx, 16
        mov rdx, 0
        vmmcall                     ; the AMD spelling
        test rax, rax
        jnz .failed
        hlt
.failed:
        mov rdi, rax
        ud2
