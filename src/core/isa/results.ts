/**
 * Public result types of the guest ISA: what the assembler produces and what
 * the decoder hands to the vCPU and the disassembler.
 */
import type { AsmError, OperandSize } from './ast';

/** One assembled statement's place in the image ↔ its source line. */
export interface SourceMapEntry {
  /** Guest address of the first byte. */
  address: number;
  /** Number of bytes the statement emitted (0 for labels, equ…). */
  length: number;
  /** 1-based source line. */
  line: number;
  /** True for instructions (the debugger steps over these), false for data. */
  isInsn: boolean;
}

/** A defined name: a label (an address) or an `equ` constant. */
export interface SymbolInfo {
  name: string;
  value: bigint;
  kind: 'label' | 'equ';
  line: number;
}

/**
 * What `assemble` returns. It never throws: any problem is an entry of
 * `errors` (all of them, sorted by line and column), and then `ok` is false
 * and `bytes` is empty.
 */
export interface AssembleResult {
  ok: boolean;
  /** The flat image, from `origin` (like `nasm -f bin`). */
  bytes: Uint8Array;
  /** Address of `bytes[0]`: 0x10000 unless the program says `org`. */
  origin: number;
  /** Where execution starts: label `_start` if defined, else `origin`. */
  entry: number;
  /** One entry per statement that has an address, in address order. */
  sourceMap: SourceMapEntry[];
  symbols: SymbolInfo[];
  errors: AsmError[];
}

export interface AssembleOptions {
  /** Default origin when the program has no `org` (DESIGN.md §5: 0x10000). */
  origin?: number;
}

/** Operand kinds of a decoded instruction (small integers, for a fast vCPU). */
export const OpKind = {
  /** General register: `reg` 0–15, or 16–19 for AH, CH, DH, BH. */
  Reg: 1,
  /** Immediate, already sign- or zero-extended to `size` (`immLo`/`immHi`). */
  Imm: 2,
  /** Memory: `base`/`index` 0–15 or -1, `base` 16 = RIP, `disp` signed. */
  Mem: 3,
  /** Relative branch: `disp` is the signed displacement from the next RIP. */
  Rel: 4,
  /** Segment register in `reg`: 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS. */
  SReg: 5,
  /** Control register in `reg` (CR0, CR2, CR3, CR4, CR8). */
  CReg: 6,
} as const;
export type OpKind = (typeof OpKind)[keyof typeof OpKind];

/** Register number standing for RIP in {@link DecodedOperand.base}. */
export const REG_RIP = 16;

/**
 * One operand of a decoded instruction. Every field is present on every
 * operand (one shape, so V8 keeps property access monomorphic).
 */
export interface DecodedOperand {
  kind: OpKind;
  /** Width in bits of the value the operand reads or writes. */
  size: OperandSize;
  reg: number;
  base: number;
  index: number;
  scale: number;
  /** Memory displacement or branch displacement, signed 32-bit. */
  disp: number;
  /** Immediate: low and high 32 bits (unsigned) of the extended value. */
  immLo: number;
  immHi: number;
}

/**
 * A decoded instruction. `ok` false means the bytes are not an instruction
 * this ISA knows, or are cut short: the vCPU raises #UD (or, for `truncated`,
 * fetches more / faults) — the decoder never throws.
 */
export interface DecodedInsn {
  ok: boolean;
  /**
   * When !ok: 'unknown' (not an instruction of this ISA, or an invalid
   * encoding such as LOCK on a register: the vCPU raises #UD), 'truncated'
   * (the bytes end mid-instruction) or 'tooLong' (over 15 bytes: #GP(0)).
   */
  error?: 'unknown' | 'truncated' | 'tooLong';
  /** Total length in bytes including prefixes (for !ok: bytes examined). */
  length: number;
  /** Index of the matching row in OPCODE_TABLE (-1 when !ok). */
  row: number;
  /** Canonical mnemonic (e.g. `jz` is decoded as `je`). */
  mnemonic: string;
  /** Effective operand size in bits (after 66/REX.W/defaults). */
  opSize: OperandSize;
  /** Effective address size (67 prefix gives 32). */
  addrSize: 32 | 64;
  /** 0, 0xF3 (rep/repe) or 0xF2 (repne) when the row allows a rep prefix. */
  rep: number;
  lock: boolean;
  /** Segment override 0–5 (ES…GS) or -1. */
  seg: number;
  operands: DecodedOperand[];
}
