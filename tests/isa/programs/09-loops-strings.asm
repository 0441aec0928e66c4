; Loops (loop, dec/jnz, cmp/jl) and string instructions with rep.
BUF     equ 0x80000
N       equ 64

_start:
        cld
        mov rdi, BUF                ; fill N bytes with 0x41
        mov ecx, N
        mov al, 0x41
        rep stosb
        mov rsi, BUF                ; copy them N bytes further
        lea rdi, [rsi + N]
        mov ecx, N / 8
        rep movsq
        xor eax, eax                ; sum with loop
        mov ecx, 10
.sum:
        add eax, ecx
        loop .sum
        mov ebx, 5                  ; countdown with dec/jnz
.down:
        dec ebx
        jnz .down
        xor edx, edx                ; count up with cmp/jl
.up:
        inc edx
        cmp edx, 100
        jl .up
        mov rsi, BUF                ; write 4 bytes to the debug port
        mov dx, 0xe9
        mov ecx, 4
        rep outsb
        lodsb
        stosd
        movsw
        hlt
