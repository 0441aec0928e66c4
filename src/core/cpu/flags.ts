/**
 * Lazy arithmetic flags. Flag-setting instructions record their operation
 * kind, size, operands and result (a handful of stores); CF, PF, AF, ZF, SF
 * and OF are computed from those only when an instruction reads them. This
 * is the classic emulator technique (QEMU's cc_op, Bochs' lazy flags) and
 * keeps the hot ALU path short.
 *
 * Values of 8/16/32-bit operations are held as int32 with the bits above
 * the operand size zero; 64-bit operations also record the high halves.
 * Flag definitions: Intel SDM Vol. 1 §3.4.3.1 and each instruction's
 * "Flags Affected".
 */
import { ARITH_FLAGS, createCpuState, FLAG, LOP, type CpuState } from './state';

/**
 * What RFLAGS is computed from: CpuState's lazy-flag fields and the other
 * RFLAGS bits. A copy of them (`copyFlags`) keeps a moment's RFLAGS without
 * computing it — the VM exit's saved guest state does this on every exit,
 * and computes RFLAGS only when the debugger shows it.
 */
export type FlagsState = Pick<
  CpuState,
  'flagsOther' | 'lop' | 'lsz' | 'la' | 'lah' | 'lb' | 'lbh' | 'lr' | 'lrh' | 'lcf' | 'lflags'
>;

/** The flag state of a vCPU at reset (RFLAGS = 2), as createCpuState sets it. */
export function resetFlags(): FlagsState {
  const flags = {} as FlagsState;
  copyFlags(createCpuState({ entry: 0 }), flags);
  return flags;
}

/** Copy the flag state of `from` into `to` (getRflags(to) then equals getRflags(from)). */
export function copyFlags(from: FlagsState, to: FlagsState): void {
  to.flagsOther = from.flagsOther;
  to.lop = from.lop;
  to.lsz = from.lsz;
  to.la = from.la;
  to.lah = from.lah;
  to.lb = from.lb;
  to.lbh = from.lbh;
  to.lr = from.lr;
  to.lrh = from.lrh;
  to.lcf = from.lcf;
  to.lflags = from.lflags;
}

/** PARITY[b] is PF for the low byte b: 1 when b has an even number of set bits. */
const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  PARITY[i] = n & 1 ? 0 : 1;
}

/** The top word (the half holding the sign bit) and its sign position. */
function signBit(cpu: FlagsState, v: number, vh: number): number {
  return cpu.lsz === 64 ? vh >>> 31 : (v >>> (cpu.lsz - 1)) & 1;
}

/** CF of ADD: the result is below the first operand (unsigned). */
function addCarry(cpu: FlagsState): number {
  if (cpu.lsz === 64) {
    const rh = cpu.lrh >>> 0;
    const ah = cpu.lah >>> 0;
    return rh < ah || (rh === ah && cpu.lr >>> 0 < cpu.la >>> 0) ? 1 : 0;
  }
  return cpu.lr >>> 0 < cpu.la >>> 0 ? 1 : 0;
}

/** CF of SUB: a borrow, the first operand below the second (unsigned). */
function subBorrow(cpu: FlagsState): number {
  if (cpu.lsz === 64) {
    const ah = cpu.lah >>> 0;
    const bh = cpu.lbh >>> 0;
    return ah < bh || (ah === bh && cpu.la >>> 0 < cpu.lb >>> 0) ? 1 : 0;
  }
  return cpu.la >>> 0 < cpu.lb >>> 0 ? 1 : 0;
}

/** CF of NEG: the operand was not zero (below 64 bits lrh is stale, not written by the NEG). */
function negCarry(cpu: FlagsState): number {
  return cpu.lr !== 0 || (cpu.lsz === 64 && cpu.lrh !== 0) ? 1 : 0;
}

/** OF of ADD, ADC, INC: both operands have the same sign and the result the other. */
function addOverflow(cpu: FlagsState): number {
  const wide = cpu.lsz === 64;
  const a = wide ? cpu.lah : cpu.la;
  const b = wide ? cpu.lbh : cpu.lb;
  const r = wide ? cpu.lrh : cpu.lr;
  const x = (a ^ r) & (b ^ r);
  return wide ? x >>> 31 : (x >>> (cpu.lsz - 1)) & 1;
}

/** OF of SUB, SBB, DEC: the operands' signs differ and the result's differs from the first's. */
function subOverflow(cpu: FlagsState): number {
  const wide = cpu.lsz === 64;
  const a = wide ? cpu.lah : cpu.la;
  const b = wide ? cpu.lbh : cpu.lb;
  const r = wide ? cpu.lrh : cpu.lr;
  const x = (a ^ b) & (a ^ r);
  return wide ? x >>> 31 : (x >>> (cpu.lsz - 1)) & 1;
}

/** OF of NEG: the operand was the most negative value (result == operand). */
function negOverflow(cpu: FlagsState): number {
  const r = cpu.lsz === 64 ? cpu.lrh : cpu.lr;
  const lowZero = cpu.lsz !== 64 || cpu.lr === 0;
  const min =
    cpu.lsz === 64
      ? r === (0x80000000 | 0)
      : r === 1 << (cpu.lsz - 1) || (cpu.lsz === 32 && r === (0x80000000 | 0));
  return min && lowZero ? 1 : 0;
}

/** AF of the additions and subtractions: the carry out of bit 3. */
function auxCarry(cpu: FlagsState): number {
  return ((cpu.la ^ cpu.lb ^ cpu.lr) >> 4) & 1;
}

export function getCF(cpu: FlagsState): number {
  switch (cpu.lop) {
    case LOP.ADD:
      return addCarry(cpu);
    case LOP.SUB:
      return subBorrow(cpu);
    case LOP.LOGIC:
      return 0;
    case LOP.NEG:
      return negCarry(cpu);
    case LOP.EAGER:
      return cpu.lflags & FLAG.CF;
    default:
      // ADC, SBB, INC, DEC keep CF in lcf.
      return cpu.lcf;
  }
}

export function getZF(cpu: FlagsState): number {
  if (cpu.lop === LOP.EAGER) return (cpu.lflags >> 6) & 1;
  return cpu.lr === 0 && (cpu.lsz !== 64 || cpu.lrh === 0) ? 1 : 0;
}

export function getSF(cpu: FlagsState): number {
  if (cpu.lop === LOP.EAGER) return (cpu.lflags >> 7) & 1;
  return signBit(cpu, cpu.lr, cpu.lrh);
}

export function getPF(cpu: FlagsState): number {
  if (cpu.lop === LOP.EAGER) return (cpu.lflags >> 2) & 1;
  return PARITY[cpu.lr & 0xff];
}

export function getAF(cpu: FlagsState): number {
  switch (cpu.lop) {
    case LOP.EAGER:
      return (cpu.lflags >> 4) & 1;
    case LOP.LOGIC:
      // Undefined after AND/OR/XOR/TEST (SDM); the hardware we compare with clears it.
      return 0;
    case LOP.NEG:
      return (cpu.lr & 0xf) !== 0 ? 1 : 0;
    default:
      return auxCarry(cpu);
  }
}

export function getOF(cpu: FlagsState): number {
  switch (cpu.lop) {
    case LOP.EAGER:
      return (cpu.lflags >> 11) & 1;
    case LOP.LOGIC:
      return 0;
    case LOP.ADD:
    case LOP.ADC:
    case LOP.INC:
      return addOverflow(cpu);
    case LOP.SUB:
    case LOP.SBB:
    case LOP.DEC:
      return subOverflow(cpu);
    case LOP.NEG:
      return negOverflow(cpu);
    default:
      return 0;
  }
}

/**
 * The six arithmetic flags as RFLAGS bits: the getters above in one pass,
 * with one dispatch on the operation rather than one per flag (RFLAGS is
 * read at every VM exit, for the saved guest state).
 */
export function getArithFlags(cpu: FlagsState): number {
  const lop = cpu.lop;
  if (lop === LOP.EAGER) return cpu.lflags & ARITH_FLAGS;
  // PF, ZF, SF depend on the result only.
  const lr = cpu.lr;
  let f = PARITY[lr & 0xff] << 2;
  if (lr === 0 && (cpu.lsz !== 64 || cpu.lrh === 0)) f |= FLAG.ZF;
  f |= signBit(cpu, lr, cpu.lrh) << 7;
  switch (lop) {
    case LOP.LOGIC:
      return f; // CF, AF and OF are 0
    case LOP.ADD:
      return f | addCarry(cpu) | (auxCarry(cpu) << 4) | (addOverflow(cpu) << 11);
    case LOP.ADC:
    case LOP.INC:
      return f | cpu.lcf | (auxCarry(cpu) << 4) | (addOverflow(cpu) << 11);
    case LOP.SUB:
      return f | subBorrow(cpu) | (auxCarry(cpu) << 4) | (subOverflow(cpu) << 11);
    case LOP.SBB:
    case LOP.DEC:
      return f | cpu.lcf | (auxCarry(cpu) << 4) | (subOverflow(cpu) << 11);
    case LOP.NEG:
      return f | negCarry(cpu) | ((lr & 0xf) !== 0 ? FLAG.AF : 0) | (negOverflow(cpu) << 11);
    default:
      return f | cpu.lcf | (auxCarry(cpu) << 4);
  }
}

/** The full RFLAGS value. */
export function getRflags(cpu: FlagsState): number {
  return (cpu.flagsOther & ~ARITH_FLAGS) | getArithFlags(cpu) | FLAG.FIXED;
}

/** Replace the arithmetic flags (an eager write, e.g. after a shift). */
export function setArithFlags(cpu: CpuState, bits: number): void {
  cpu.lop = LOP.EAGER;
  cpu.lflags = bits & ARITH_FLAGS;
}

/** Load the whole of RFLAGS (POPF, IRETQ, interrupt delivery). */
export function setRflags(cpu: CpuState, value: number): void {
  cpu.flagsOther = (value & ~ARITH_FLAGS) | FLAG.FIXED;
  setArithFlags(cpu, value);
}

/** PF, ZF and SF of a result of `size` bits (int32 halves), as RFLAGS bits. */
export function resultFlags(lo: number, hi: number, size: number): number {
  let f = PARITY[lo & 0xff] << 2;
  if (size === 64) {
    if (lo === 0 && hi === 0) f |= FLAG.ZF;
    if (hi < 0) f |= FLAG.SF;
  } else {
    const mask = size === 32 ? -1 : (1 << size) - 1;
    if ((lo & mask) === 0) f |= FLAG.ZF;
    if ((lo >>> (size - 1)) & 1) f |= FLAG.SF;
  }
  return f;
}

/**
 * Evaluate condition code `cc` (0–15, SDM Vol. 1 Table B-1) on the current
 * flags: O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G.
 */
export function testCondition(cpu: CpuState, cc: number): boolean {
  let r: number;
  switch (cc >> 1) {
    case 0:
      r = getOF(cpu);
      break;
    case 1:
      r = getCF(cpu);
      break;
    case 2:
      r = getZF(cpu);
      break;
    case 3:
      r = getCF(cpu) | getZF(cpu);
      break;
    case 4:
      r = getSF(cpu);
      break;
    case 5:
      r = getPF(cpu);
      break;
    case 6:
      r = getSF(cpu) ^ getOF(cpu);
      break;
    default:
      r = (getSF(cpu) ^ getOF(cpu)) | getZF(cpu);
  }
  return (r !== 0) !== ((cc & 1) === 1);
}
