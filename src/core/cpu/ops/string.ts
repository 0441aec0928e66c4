/**
 * String instructions: MOVS, STOS, LODS, CMPS, SCAS with REP/REPE/REPNE
 * (Intel SDM Vol. 2). RSI/RDI step by the element size, backwards when
 * DF = 1; rCX counts repetitions. Each iteration commits its register
 * updates, so a fault or an MMIO exit midway leaves the instruction
 * restartable exactly where it stopped, as on hardware.
 *
 * INS/OUTS are I/O instructions and live in system.ts.
 */
import { readSized, read64, writeSized, write64 } from '../access';
import { JUMP, NEXT } from '../signals';
import { FLAG, LOP, type CpuState } from '../state';
import type { Ctx, Exec } from './context';

const TWO32 = 4294967296;
/** Iterations of a REP string instruction per slice before the run loop regains control. */
const REP_SLICE = 4096;

/** Register `r` as an address at the instruction's address size. */
export function addrReg(s: CpuState, r: number, wide: boolean): number {
  return wide ? s.rh[r] * TWO32 + (s.rl[r] >>> 0) : s.rl[r] >>> 0;
}

/** Add `delta` to register `r` at the address size (32-bit writes zero-extend). */
export function stepReg(s: CpuState, r: number, delta: number, wide: boolean): void {
  if (!wide) {
    s.rl[r] = (s.rl[r] + delta) | 0;
    s.rh[r] = 0;
    return;
  }
  const lo = (s.rl[r] >>> 0) + delta;
  const c = lo >= TWO32 ? 1 : lo < 0 ? -1 : 0;
  s.rl[r] = lo | 0;
  s.rh[r] = (s.rh[r] + c) | 0;
}

/** rCX is zero (at the address size). */
export function countZero(s: CpuState, wide: boolean): boolean {
  return s.rl[1] === 0 && (!wide || s.rh[1] === 0);
}

export function compileString(c: Ctx): Exec {
  const { v, s, insn } = c;
  const kind = insn.mnemonic.slice(0, 4);
  const size = insn.opSize;
  const bytes = size / 8;
  const wide = insn.addrSize === 64;
  const rep = insn.rep;
  const { rl, rh } = s;
  const mask = size === 32 || size === 64 ? -1 : (1 << size) - 1;

  const once = (): boolean => {
    const delta = s.flagsOther & FLAG.DF ? -bytes : bytes;
    switch (kind) {
      case 'movs': {
        const from = addrReg(s, 6, wide);
        const to = addrReg(s, 7, wide);
        if (size === 64) {
          const lo = read64(v, from);
          write64(v, to, lo, v.hi);
        } else {
          writeSized(v, to, size, readSized(v, from, size));
        }
        stepReg(s, 6, delta, wide);
        stepReg(s, 7, delta, wide);
        return true;
      }
      case 'stos': {
        const to = addrReg(s, 7, wide);
        if (size === 64) write64(v, to, rl[0], rh[0]);
        else writeSized(v, to, size, rl[0] & mask);
        stepReg(s, 7, delta, wide);
        return true;
      }
      case 'lods': {
        const from = addrReg(s, 6, wide);
        if (size === 64) {
          rl[0] = read64(v, from);
          rh[0] = v.hi;
        } else {
          const x = readSized(v, from, size);
          if (size === 32) {
            rl[0] = x;
            rh[0] = 0;
          } else rl[0] = (rl[0] & ~mask) | x;
        }
        stepReg(s, 6, delta, wide);
        return true;
      }
      default: {
        // CMPS compares [rSI] with [rDI]; SCAS compares rAX with [rDI].
        let a: number;
        let ah = 0;
        if (kind === 'cmps') {
          const from = addrReg(s, 6, wide);
          a = size === 64 ? read64(v, from) : readSized(v, from, size);
          if (size === 64) ah = v.hi;
        } else {
          a = size === 64 ? rl[0] : rl[0] & mask;
          ah = rh[0];
        }
        const to = addrReg(s, 7, wide);
        const b = size === 64 ? read64(v, to) : readSized(v, to, size);
        const bh = size === 64 ? v.hi : 0;
        setCompareFlags(s, size, a, ah, b, bh);
        if (kind === 'cmps') stepReg(s, 6, delta, wide);
        stepReg(s, 7, delta, wide);
        // Keep going while ZF matches the prefix: REPE while equal, REPNE while not.
        const zf = s.lr === 0 && (size !== 64 || s.lrh === 0);
        return rep === 0xf3 ? zf : !zf;
      }
    }
  };

  if (!rep) return () => (once(), NEXT);
  const self = c.rip;
  return () => {
    for (let n = 0; !countZero(s, wide); n++) {
      if (n === REP_SLICE) {
        // Repeated string instructions are interruptible between iterations:
        // come back to this instruction (RIP unchanged) to go on.
        s.rip = self;
        return JUMP;
      }
      const more = once();
      stepReg(s, 1, -1, wide);
      if (!more) break;
    }
    return NEXT;
  };
}

/** Flags of a - b (CMPS/SCAS) in the lazy form. */
function setCompareFlags(
  s: CpuState,
  size: number,
  a: number,
  ah: number,
  b: number,
  bh: number,
): void {
  s.lop = LOP.SUB;
  s.lsz = size;
  s.la = a;
  s.lb = b;
  if (size === 64) {
    const lo = (a >>> 0) - (b >>> 0);
    s.lah = ah;
    s.lbh = bh;
    s.lr = lo | 0;
    s.lrh = (ah - bh - (lo < 0 ? 1 : 0)) | 0;
  } else {
    s.lr = (a - b) & (size === 32 ? -1 : (1 << size) - 1);
  }
}
