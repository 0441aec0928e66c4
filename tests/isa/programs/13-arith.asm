; Arithmetic and logic: mul/div, shifts and rotates, xchg, flags.
_start:
        mov rax, 1000
        mov rcx, 7
        cqo
        idiv rcx
        mov rbx, rax
        mov eax, 12345
        xor edx, edx
        mov ecx, 10
        div ecx
        mul ecx
        imul rbx
        neg rax
        not rdx
        shl rax, 3
        sar rax, 1
        shr edx, cl
        rol ebx, 1
        ror bx, 4
        rcl rax, cl
        rcr r8, 2
        sal r9d, 5
        xchg rax, rbx
        xchg eax, ecx
        xchg r8, r9
        xchg al, ah
        cbw
        cwde
        cdqe
        cwd
        cdq
        clc
        stc
        cmc
        adc eax, 0
        sbb ebx, ebx
        and eax, 0xfff0
        or al, 0x80
        test ecx, 0xff
        std
        cld
        hlt
