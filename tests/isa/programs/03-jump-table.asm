; Dispatch through a table of code addresses (dq label list).
_start:
        xor eax, eax
.again:
        cmp eax, 4
        jae .done
        lea rcx, [rel table]
        mov rdx, [rcx + rax*8]
        push rax
        call rdx
        pop rax
        inc eax
        jmp .again
.done:
        ; the same table, absolute addressing, via an indirect jump
        mov eax, 2
        jmp [table + rax*8]

case0:  mov ebx, 100
        ret
case1:  mov ebx, 101
        ret
case2:  mov ebx, 102
        hlt
case3:  mov ebx, 103
        ret

align 8
table:  dq case0, case1, case2, case3
count:  dd (count - table) / 8
