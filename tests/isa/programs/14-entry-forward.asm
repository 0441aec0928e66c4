; `_start` is not the first line; forward references everywhere.
        jmp _start                  ; skipped-over preamble
        db 'HYPERCALL-LAB', 0
        align 8
config:
        dq handler
        dd 3
_start:
        mov rax, [rel config]
        call rax
        mov rcx, [config]           ; absolute
        mov edx, [rel config + 8]
        jmp .tail
        times 200 db 0x90
.tail:
        call far_away
        hlt
handler:
        mov r12, 0x1234
        ret
        times 100 nop
far_away:
        mov eax, later_const
        add eax, 5
        ret
later_const equ 42
