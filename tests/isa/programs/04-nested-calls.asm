; Nested calls with stack frames (push rbp / mov rbp, rsp / leave / ret).
_start:
        mov rdi, 5
        call factorial
        mov r15, rax
        mov rdi, 3
        mov rsi, 4
        call add_then_square
        hlt

; rax = rdi!
factorial:
        push rbp
        mov rbp, rsp
        push rbx
        mov rbx, rdi
        cmp rdi, 1
        jbe .base
        lea rdi, [rdi - 1]
        call factorial
        imul rax, rbx
        jmp .out
.base:
        mov eax, 1
.out:
        pop rbx
        leave
        ret

; rax = (rdi + rsi)^2
add_then_square:
        push rbp
        mov rbp, rsp
        sub rsp, 16
        mov [rbp - 8], rdi
        mov [rbp - 16], rsi
        call .sum
        imul rax, rax
        leave
        ret
.sum:
        mov rax, [rbp - 8]
        add rax, qword [rbp - 16]
        ret
