/**
 * The first program a student sees: print "Hello" on the serial console with
 * port I/O (one `out` = one IO_INSTRUCTION exit, handled by the VMM in
 * userspace), make one hypercall (VMCALL, handled inside KVM), then halt.
 *
 * The hypercall is KVM_HC_SCHED_YIELD (nr 11, include/uapi/linux/kvm_para.h):
 * rax = nr, rbx = a0 = the APIC id of a vCPU that appears preempted. KVM
 * handles it in kvm_emulate_hypercall (arch/x86/kvm/x86.c); yielding to itself
 * is skipped, and rax = 0 on return.
 */
export const HELLO_PROGRAM = `; hello.s - print "Hello" on the serial port, ask KVM to yield, halt.
; Runs at the default origin 0x10000 in 64-bit mode.

_start:
    lea rsi, [rel msg]      ; rsi -> the string
    mov ecx, msg_len        ; rcx = number of bytes to send
    mov dx, 0x3f8           ; COM1 data register

.next:
    mov al, [rsi]           ; next character
    out dx, al              ; port write -> VM exit (IO_INSTRUCTION)
    inc rsi
    dec ecx
    jnz .next

    mov eax, 11             ; KVM_HC_SCHED_YIELD
    mov ebx, 0              ; a0 = APIC id to yield to (0: ourselves)
    vmcall                  ; hypercall -> VM exit (VMCALL), handled in KVM

    hlt                     ; VM exit (HLT)

msg:     db "Hello", 10
msg_len  equ $ - msg
`;
