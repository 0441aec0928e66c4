; Alignment between functions and padding to a fixed size with $ and $$.
_start:
        call f1
        call f2
        jmp finish

        align 16
f1:     mov eax, 1
        ret

        align 32
f2:     mov eax, 2
        ret

finish:
        hlt
        times 128 - ($ - $$) db 0   ; pad to 128 bytes
stamp:  dd $ - $$                   ; = 128
        dd stamp
        times 2 nop
        align 4
        dw 0xaa55
