; Sum, min and max of a dword array: indexed addressing, setcc, cmovcc.
_start:
        lea rbx, [rel array]
        xor ecx, ecx
        xor eax, eax                ; sum
        mov r8d, 0x7fffffff         ; min
        mov r9d, -0x80000000        ; max
.next:
        mov edx, [rbx + rcx*4]
        add eax, edx
        cmp edx, r8d
        cmovl r8d, edx
        cmp edx, r9d
        cmovg r9d, edx
        inc rcx
        cmp rcx, 8
        jb .next
        test eax, eax
        sets r10b                   ; negative sum?
        setz byte [rel flags]
        imul r11d, eax, 3
        imul eax, eax, -7
        movsx r12, byte [rel small]
        movzx r13d, word [rel small]
        mov r14, [rbx + rcx*4 - 8]
        mov r15, [array + rcx*4 - 8] ; absolute base + index
        hlt

array:  dd 5, -3, 12, 0, 7, -20, 9, 1
small:  db -5, 0x80
flags:  db 0
