/**
 * Guest code shared by the vCPU tests. ENTER_CPL3 drops to user mode with
 * IRETQ (SS 0x23, RSP 0x60000, RFLAGS 0x2, CS 0x1b) and continues at label
 * `user`; the program must load a GDT with user segments at 0x18 and 0x20.
 */
export const ENTER_CPL3 = `
  push 0x23
  push 0x60000
  push 0x2
  push 0x1b
  lea rax, [rel user]
  push rax
  iretq`;
