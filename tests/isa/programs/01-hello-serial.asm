; Write "Hello, KVM!" to the first serial port (COM1 at 0x3F8), then halt.
; Every `out` is a VM exit (IO_INSTRUCTION) handled by the VMM's UART model.
COM1    equ 0x3f8

_start:
        lea rsi, [rel message]      ; RIP-relative: position independent
        mov ecx, message_len
        mov dx, COM1
.next:
        mov al, [rsi]
        out dx, al
        inc rsi
        dec ecx
        jnz .next
        mov al, 10                  ; newline
        out dx, al
        hlt

message:
        db 'Hello, KVM!'
message_len equ $ - message
