; options: {}
; "Hello" on the 16550 UART at 0x3F8: five KVM_EXIT_IO exits to userspace.
  mov dx, 0x3f8
  lea rsi, [rel msg]
  mov ecx, 5
next:
  mov al, [rsi]
  out dx, al
  inc rsi
  dec ecx
  jnz next
  hlt
msg: db "Hello"
