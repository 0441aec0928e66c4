; Data of every width, strings, times, align, equ and label arithmetic.
WIDTH   equ 16
HEIGHT  equ WIDTH / 2
AREA    equ WIDTH * HEIGHT

_start:
        mov eax, AREA
        mov ecx, HEIGHT
        add eax, WIDTH - 1
        lea rsi, [rel bytes]
        movzx edx, byte [rsi + 2]
        movsx r8, word [rel words + 2]
        mov r9d, [rel dwords]
        mov r10, [rel qwords + 8]
        hlt

bytes:  db 1, 2, 0xff, -1, 'A', "bc", 0
words:  dw 0x1234, -2, 'xy', AREA
        align 4
dwords: dd 0xdeadbeef, -1, bytes_len, words - bytes
qwords: dq 0x123456789abcdef0, -1, _start
        times 3 db 0xcc
        times 2 dw 0x1111
        align 16
table:  times 4 dd 7
bytes_len equ words - bytes
        db 'end'
