; Local labels (.name) belong to the previous global label.
_start:
        call strlen_test
        call count_bits
        hlt

strlen_test:
        lea rdi, [rel text]
        xor eax, eax
.loop:
        cmp byte [rdi + rax], 0
        je .done
        inc rax
        jmp .loop
.done:
        ret

count_bits:
        mov rdx, 0xf0f0
        xor eax, eax
.loop:                              ; same name, different function
        test rdx, rdx
        jz .done
        mov rcx, rdx
        and ecx, 1
        add eax, ecx
        shr rdx, 1
        jmp .loop
.done:
        ret

text:   db 'local labels', 0
