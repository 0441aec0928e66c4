; Near jumps over big `times` blocks, and short ones right at the boundary.
_start:
        jmp over                    ; near forward (over 300 bytes)
back:
        jz done                     ; near forward conditional
        times 300 nop
over:
        jmp short hop               ; explicit short
        times 10 nop
hop:
        jne back                    ; near backward conditional
        jmp edge127                 ; exactly +127: still short
        times 127 nop
edge127:
        jmp edge128                 ; +128: must be near
        times 128 nop
edge128:
        loop edge128
        jmp near done               ; forced near
done:
        hlt
