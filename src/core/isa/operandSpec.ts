/**
 * Operand specifications of the opcode table, in the notation of the Intel
 * SDM Vol. 2, Appendix A.2 ("Key to Abbreviations"), plus the fixed
 * registers the SDM writes by name.
 *
 * Addressing method (first letter):
 *  - `E` ModRM r/m: a general register or memory.   `G` ModRM reg: a general register.
 *  - `M` ModRM r/m, memory only (`Mw`: a word).       `R` ModRM r/m, register only.
 *  - `S` ModRM reg: a segment register.              `C` ModRM reg: a control register.
 *  - `I` an immediate.                               `J` a relative branch offset.
 *  - `Z` a general register in the low 3 bits of the opcode byte (`+r` / `+rb`).
 * Operand type (the rest): `b` byte, `w` word, `d` dword, `q` qword, `v` the
 * operand size (16/32/64), `z` 16 or 32 (never 64: a 64-bit operation takes
 * a 32-bit immediate and sign-extends it), `s` a 10-byte pseudo-descriptor.
 * `IbS` is an `Ib` the CPU sign-extends to the operand size (opcodes 6A, 6B,
 * 83), kept apart because the assembler may only choose it when the value
 * fits.
 */
export type OperandSpec =
  | 'Eb'
  | 'Ew'
  | 'Ed'
  | 'Ev'
  | 'Gb'
  | 'Gv'
  | 'Gd'
  | 'M'
  | 'Mw'
  | 'Ms'
  | 'Rq'
  | 'Sw'
  | 'Cq'
  | 'Ib'
  | 'IbS'
  | 'Iw'
  | 'Iz'
  | 'Iv'
  | 'Jb'
  | 'Jz'
  | 'Zb'
  | 'Zv'
  /** The accumulator at byte size. */
  | 'AL'
  /** The accumulator at the operand size (16/32/64). */
  | 'rAX'
  /** The count register CL (shifts). */
  | 'CL'
  /** DX as an I/O port number. */
  | 'DX'
  /** The constant 1 (the D0/D1 shift-by-one forms). */
  | '1'
  /** The FS or GS segment register (PUSH/POP FS/GS). */
  | 'FS'
  | 'GS';

/** True for specs whose operand lives in ModRM.r/m. */
export function isRmSpec(s: OperandSpec): boolean {
  return s[0] === 'E' || s === 'M' || s === 'Mw' || s === 'Ms' || s === 'Rq';
}

/** True for specs whose operand lives in ModRM.reg. */
export function isRegFieldSpec(s: OperandSpec): boolean {
  return s[0] === 'G' || s === 'Sw' || s === 'Cq';
}

/** True for immediate specs (not branch offsets). */
export function isImmSpec(s: OperandSpec): boolean {
  return s[0] === 'I';
}
