/**
 * Register names of x86-64 as the assembler spells them (Intel SDM Vol. 2,
 * §3.1.1.1 and Table 2-2), with their encoding numbers.
 *
 * `num` is the 4-bit register number (REX.R/X/B supplies bit 3). The legacy
 * high-byte registers AH, CH, DH, BH share numbers 4–7 with SPL, BPL, SIL,
 * DIL: which one the bits mean depends on whether a REX prefix is present,
 * so `ah` can never appear in an instruction that needs REX, and `spl` always
 * forces one.
 */
import type { OperandSize } from './ast';

export type RegClass = 'gpr' | 'sreg' | 'creg';

export interface RegInfo {
  name: string;
  cls: RegClass;
  /** Width in bits (segment registers: 16; control registers: 64). */
  size: OperandSize;
  /** 0–15 (segment registers: 0 ES … 5 GS; control registers: the CR number). */
  num: number;
  /** AH/CH/DH/BH: not encodable when a REX prefix is present. */
  high8?: boolean;
  /** SPL/BPL/SIL/DIL: need a REX prefix to be encoded. */
  needsRex?: boolean;
}

const GPR64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const GPR16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const GPR8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'];
const HIGH8 = ['ah', 'ch', 'dh', 'bh'];
const SREGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const CREGS = [0, 2, 3, 4, 8];

function buildRegisters(): ReadonlyMap<string, RegInfo> {
  const m = new Map<string, RegInfo>();
  const add = (r: RegInfo): void => {
    m.set(r.name, Object.freeze(r));
  };
  for (let i = 0; i < 16; i++) {
    const lo = i < 8;
    add({ name: lo ? GPR64[i] : `r${i}`, cls: 'gpr', size: 64, num: i });
    add({ name: lo ? GPR32[i] : `r${i}d`, cls: 'gpr', size: 32, num: i });
    add({ name: lo ? GPR16[i] : `r${i}w`, cls: 'gpr', size: 16, num: i });
    const r8: RegInfo = { name: lo ? GPR8[i] : `r${i}b`, cls: 'gpr', size: 8, num: i };
    if (i >= 4 && i < 8) r8.needsRex = true;
    add(r8);
  }
  HIGH8.forEach((name, i) => add({ name, cls: 'gpr', size: 8, num: 4 + i, high8: true }));
  SREGS.forEach((name, num) => add({ name, cls: 'sreg', size: 16, num }));
  for (const n of CREGS) add({ name: `cr${n}`, cls: 'creg', size: 64, num: n });
  return m;
}

/** Every register name (lower case) → its encoding facts. */
export const REGISTERS: ReadonlyMap<string, RegInfo> = buildRegisters();

/** Look a register up by name, case-insensitively; undefined if not one. */
export function lookupRegister(name: string): RegInfo | undefined {
  return REGISTERS.get(name.toLowerCase());
}

/**
 * The name of general register `num` at `size` bits. `num` 16–19 are AH, CH,
 * DH, BH (the decoder's numbering for high-byte registers).
 */
export function gprName(num: number, size: OperandSize): string {
  if (size === 8 && num >= 16) return HIGH8[num - 16];
  const lo = num < 8;
  switch (size) {
    case 64:
      return lo ? GPR64[num] : `r${num}`;
    case 32:
      return lo ? GPR32[num] : `r${num}d`;
    case 16:
      return lo ? GPR16[num] : `r${num}w`;
    default:
      return lo ? GPR8[num] : `r${num}b`;
  }
}

/** Segment register name for number 0–5 (ES, CS, SS, DS, FS, GS). */
export function sregName(num: number): string {
  return SREGS[num] ?? `sreg${num}`;
}
