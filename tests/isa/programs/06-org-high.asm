; A program placed at 0x20000 with `org`; absolute label values, $ and $$.
        org 0x20000

_start:
        mov eax, _start             ; label as an immediate: its address
        mov rbx, data_block
        mov ecx, data_block + 4
        lea rdx, [rel data_block]
        mov esi, [data_block]       ; absolute (not RIP-relative) memory
        mov rdi, [rel data_block + 8]
        mov r8d, $                  ; address of this instruction
        mov r9d, $ - $$             ; offset from the origin
        push data_block
        cmp rbx, data_block
        jne .bad
        hlt
.bad:
        ud2

data_block:
        dd 0x11223344, 0x55667788
        dq $$, $, data_block
        dd $ - $$
