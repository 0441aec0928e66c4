/**
 * Shifts and rotates: SHL/SAL, SHR, SAR, ROL, ROR, RCL, RCR (Intel SDM
 * Vol. 2, "SAL/SAR/SHL/SHR" and "RCL/RCR/ROL/ROR").
 *
 * The count is masked to 5 bits (6 with a 64-bit operand); a masked count
 * of 0 changes nothing, flags included. Flags the SDM leaves undefined are
 * computed by one fixed rule, documented at each use: OF for counts other
 * than 1 uses the count-1 formula; AF after a shift is cleared; CF after a
 * SHL/SHR count larger than the operand is the last bit shifted out of an
 * infinitely wide operand (0). The differential test against the real CPU
 * only compares flags the SDM defines.
 */
import { getArithFlags, resultFlags, setArithFlags } from '../flags';
import { makeLoc } from '../operands';
import { NEXT } from '../signals';
import { FLAG, type CpuState } from '../state';
import { OpKind } from '../../isa/results';
import type { Ctx, Exec } from './context';

/** A 64-bit value as unsigned halves during shifting. */
interface Pair {
  lo: number;
  hi: number;
}

function shl64(x: Pair, n: number): Pair {
  if (n === 0) return x;
  if (n >= 64) return { lo: 0, hi: 0 };
  if (n >= 32) return { lo: 0, hi: (x.lo << (n - 32)) | 0 };
  return { lo: (x.lo << n) | 0, hi: (x.hi << n) | (x.lo >>> (32 - n)) | 0 };
}

function shr64(x: Pair, n: number): Pair {
  if (n === 0) return x;
  if (n >= 64) return { lo: 0, hi: 0 };
  if (n >= 32) return { lo: (x.hi >>> (n - 32)) | 0, hi: 0 };
  return { lo: (x.lo >>> n) | (x.hi << (32 - n)) | 0, hi: (x.hi >>> n) | 0 };
}

function sar64(x: Pair, n: number): Pair {
  if (n === 0) return x;
  if (n >= 32) return { lo: x.hi >> Math.min(n - 32, 31), hi: x.hi >> 31 };
  return { lo: (x.lo >>> n) | (x.hi << (32 - n)) | 0, hi: x.hi >> n };
}

/** Bit `i` (0–63) of a pair. */
function bit(x: Pair, i: number): number {
  return i >= 32 ? (x.hi >>> (i - 32)) & 1 : (x.lo >>> i) & 1;
}

/**
 * Apply shift/rotate `op` to `x` (size bits, zero-extended halves) by the
 * masked count `n` > 0, with carry-in `cf`. Returns the result and the new
 * CF and OF.
 */
export function shiftOp(
  op: string,
  x: Pair,
  size: number,
  n: number,
  cf: number,
): { r: Pair; cf: number; of: number } {
  const top = size - 1;
  const mask = (p: Pair): Pair =>
    size === 64 ? p : { lo: size === 32 ? p.lo | 0 : p.lo & ((1 << size) - 1), hi: 0 };
  switch (op) {
    case 'shl': {
      const r = mask(shl64(x, n));
      const c = n <= size ? bit(x, size - n) : 0;
      return { r, cf: c, of: bit(r, top) ^ c };
    }
    case 'shr': {
      const r = shr64(x, n);
      const c = n <= size ? bit(x, n - 1) : 0;
      return { r, cf: c, of: bit(x, top) };
    }
    case 'sar': {
      // Sign-extend to 64 bits first.
      const sx: Pair = size === 64 ? x : { lo: (x.lo << (32 - size)) >> (32 - size), hi: 0 };
      if (size !== 64) sx.hi = sx.lo >> 31;
      const r = mask(sar64(sx, n));
      const c = bit(sx, Math.min(n - 1, 63));
      return { r, cf: c, of: 0 };
    }
    case 'rol':
    case 'ror': {
      const k = n % size;
      const r =
        k === 0
          ? x
          : op === 'rol'
            ? mask(orPair(shl64(x, k), shr64(x, size - k)))
            : mask(orPair(shr64(x, k), shl64(x, size - k)));
      if (op === 'rol') {
        const c = bit(r, 0);
        return { r, cf: c, of: bit(r, top) ^ c };
      }
      const c = bit(r, top);
      return { r, cf: c, of: bit(r, top) ^ bit(r, top - 1) };
    }
    default: {
      // RCL/RCR rotate through CF: a (size+1)-bit rotation, one bit at a time.
      const k = size <= 16 ? n % (size + 1) : n;
      let r = x;
      let c = cf;
      for (let i = 0; i < k; i++) {
        if (op === 'rcl') {
          const out = bit(r, top);
          r = mask(shl64(r, 1));
          if (c) r = orPair(r, { lo: 1, hi: 0 });
          c = out;
        } else {
          const out = bit(r, 0);
          r = shr64(r, 1);
          if (c)
            r = orPair(r, top >= 32 ? { lo: 0, hi: 1 << (top - 32) } : { lo: 1 << top, hi: 0 });
          c = out;
        }
      }
      const of = op === 'rcl' ? bit(r, top) ^ c : bit(r, top) ^ bit(r, top - 1);
      return { r: mask(r), cf: c, of };
    }
  }
}

function orPair(a: Pair, b: Pair): Pair {
  return { lo: a.lo | b.lo, hi: a.hi | b.hi };
}

function applyFlags(s: CpuState, op: string, r: Pair, size: number, cf: number, of: number): void {
  if (op === 'shl' || op === 'shr' || op === 'sar') {
    // SF, ZF, PF from the result; AF undefined (cleared here).
    setArithFlags(s, resultFlags(r.lo, r.hi, size) | cf | (of ? FLAG.OF : 0));
  } else {
    // Rotates change only CF and OF.
    const keep = getArithFlags(s) & ~(FLAG.CF | FLAG.OF);
    setArithFlags(s, keep | cf | (of ? FLAG.OF : 0));
  }
}

export function compileShift(c: Ctx): Exec {
  const { insn } = c;
  const op = insn.mnemonic;
  const size = insn.opSize;
  const s = c.s;
  const dst = makeLoc(c.v, insn.operands[0], insn, c.next, size);
  const countOp = insn.operands[1];
  const countMask = size === 64 ? 63 : 31;
  const fixed = countOp.kind === OpKind.Imm ? countOp.immLo & 0xff & countMask : -1;
  return () => {
    const n = fixed >= 0 ? fixed : s.rl[1] & countMask;
    dst.resolve();
    const lo = dst.get();
    const hi = size === 64 ? dst.getHi() : 0;
    if (n === 0) {
      // Flags untouched, but a 32-bit register is still written (upper half cleared).
      if (size === 32 && !dst.isMem) dst.set(lo);
      return NEXT;
    }
    const cf = getArithFlags(s) & FLAG.CF;
    const res = shiftOp(op, { lo: size === 32 || size === 64 ? lo | 0 : lo, hi }, size, n, cf);
    if (size === 64) dst.set64(res.r.lo, res.r.hi);
    else dst.set(res.r.lo);
    applyFlags(s, op, res.r, size, res.cf, res.of);
    return NEXT;
  };
}
