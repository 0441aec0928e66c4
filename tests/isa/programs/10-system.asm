; Privileged and exiting instructions: cpuid, rdtsc, msr, control registers,
; port I/O, descriptor tables, segment registers, interrupts.
IA32_APIC_BASE equ 0x1b

_start:
        cli
        lgdt [rel gdt_ptr]
        lidt [rel idt_ptr]
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov eax, ds
        xor eax, eax
        cpuid
        rdtsc
        shl rdx, 32
        or rax, rdx
        mov ecx, IA32_APIC_BASE
        rdmsr
        wrmsr
        mov rax, cr0
        mov rbx, cr3
        mov cr3, rbx
        mov rcx, cr4
        mov cr4, rcx
        in al, 0x61
        out 0x80, al
        mov dx, 0x3f8
        in al, dx
        in eax, dx
        out dx, eax
        pushfq
        popfq
        sti
        pause
        int3
        int 0x80
        hlt

        align 8
gdt:    dq 0
        dq 0x00af9a000000ffff       ; 64-bit code
        dq 0x00cf92000000ffff       ; data
gdt_end:
gdt_ptr:
        dw gdt_end - gdt - 1
        dq gdt
idt_ptr:
        dw 0
        dq 0
