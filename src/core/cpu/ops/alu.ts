/**
 * Integer arithmetic and logic: ADD, ADC, SUB, SBB, CMP, AND, OR, XOR, TEST,
 * INC, DEC, NEG, NOT (Intel SDM Vol. 2, each instruction's Operation and
 * Flags Affected). Results set the lazy flags (flags.ts).
 */
import { getCF } from '../flags';
import { immLo, makeLoc, type Loc } from '../operands';
import { NEXT } from '../signals';
import { LOP, type CpuState } from '../state';
import { OpKind } from '../../isa/results';
import type { Ctx, Exec } from './context';
import type { OperandSize } from '../../isa/ast';

const TWO32 = 4294967296;

function mask(size: number): number {
  return size === 8 ? 0xff : size === 16 ? 0xffff : -1;
}

/** One binary ALU operation at ≤ 32 bits: returns the result, sets lazy flags. */
type Alu32 = (s: CpuState, size: number, a: number, b: number) => number;
/** The 64-bit form: returns the low half and leaves the high half in s.lrh. */
type Alu64 = (s: CpuState, a: number, ah: number, b: number, bh: number) => number;

function record(s: CpuState, op: number, size: number, a: number, b: number, r: number): number {
  s.lop = op;
  s.lsz = size;
  s.la = a;
  s.lb = b;
  s.lr = r;
  return r;
}

function record64(
  s: CpuState,
  op: number,
  a: number,
  ah: number,
  b: number,
  bh: number,
  r: number,
  rh: number,
): number {
  s.lop = op;
  s.lsz = 64;
  s.la = a;
  s.lah = ah;
  s.lb = b;
  s.lbh = bh;
  s.lr = r;
  s.lrh = rh;
  return r;
}

const add32: Alu32 = (s, size, a, b) => record(s, LOP.ADD, size, a, b, (a + b) & mask(size));
const sub32: Alu32 = (s, size, a, b) => record(s, LOP.SUB, size, a, b, (a - b) & mask(size));
const and32: Alu32 = (s, size, a, b) => record(s, LOP.LOGIC, size, a, b, a & b);
const or32: Alu32 = (s, size, a, b) => record(s, LOP.LOGIC, size, a, b, a | b);
const xor32: Alu32 = (s, size, a, b) => record(s, LOP.LOGIC, size, a, b, a ^ b);
const adc32: Alu32 = (s, size, a, b) => {
  const c = getCF(s);
  const m = mask(size);
  const wide = (a & m) >>> 0;
  const sum = wide + ((b & m) >>> 0) + c;
  s.lcf = sum > m >>> 0 ? 1 : 0;
  return record(s, LOP.ADC, size, a, b, sum & m);
};
const sbb32: Alu32 = (s, size, a, b) => {
  const c = getCF(s);
  const m = mask(size);
  s.lcf = (a & m) >>> 0 < ((b & m) >>> 0) + c ? 1 : 0;
  return record(s, LOP.SBB, size, a, b, (a - b - c) & m);
};

const add64: Alu64 = (s, a, ah, b, bh) => {
  const lo = (a >>> 0) + (b >>> 0);
  const c = lo >= TWO32 ? 1 : 0;
  return record64(s, LOP.ADD, a, ah, b, bh, lo | 0, (ah + bh + c) | 0);
};
const adc64: Alu64 = (s, a, ah, b, bh) => {
  const cin = getCF(s);
  const lo = (a >>> 0) + (b >>> 0) + cin;
  const c = lo >= TWO32 ? 1 : 0;
  const hi = (ah >>> 0) + (bh >>> 0) + c;
  s.lcf = hi >= TWO32 ? 1 : 0;
  return record64(s, LOP.ADC, a, ah, b, bh, lo | 0, hi | 0);
};
const sub64: Alu64 = (s, a, ah, b, bh) => {
  const lo = (a >>> 0) - (b >>> 0);
  const borrow = lo < 0 ? 1 : 0;
  return record64(s, LOP.SUB, a, ah, b, bh, lo | 0, (ah - bh - borrow) | 0);
};
const sbb64: Alu64 = (s, a, ah, b, bh) => {
  const cin = getCF(s);
  const lo = (a >>> 0) - (b >>> 0) - cin;
  const borrow = lo < 0 ? 1 : 0;
  const hi = (ah >>> 0) - (bh >>> 0) - borrow;
  s.lcf = hi < 0 ? 1 : 0;
  return record64(s, LOP.SBB, a, ah, b, bh, lo | 0, hi | 0);
};
const and64: Alu64 = (s, a, ah, b, bh) => record64(s, LOP.LOGIC, a, ah, b, bh, a & b, ah & bh);
const or64: Alu64 = (s, a, ah, b, bh) => record64(s, LOP.LOGIC, a, ah, b, bh, a | b, ah | bh);
const xor64: Alu64 = (s, a, ah, b, bh) => record64(s, LOP.LOGIC, a, ah, b, bh, a ^ b, ah ^ bh);

const BINARY: Record<string, [Alu32, Alu64, boolean]> = {
  add: [add32, add64, true],
  adc: [adc32, adc64, true],
  sub: [sub32, sub64, true],
  sbb: [sbb32, sbb64, true],
  cmp: [sub32, sub64, false],
  and: [and32, and64, true],
  or: [or32, or64, true],
  xor: [xor32, xor64, true],
  test: [and32, and64, false],
};

/** A source operand's value: immediates are constant, others a Loc. */
function source(c: Ctx, i: number, size: OperandSize): { loc: Loc | null; lo: number; hi: number } {
  const o = c.insn.operands[i];
  if (o.kind === OpKind.Imm) return { loc: null, lo: immLo(o, size), hi: o.immHi | 0 };
  return { loc: makeLoc(c.v, o, c.insn, c.next, size), lo: 0, hi: 0 };
}

/** ADD/ADC/SUB/SBB/CMP/AND/OR/XOR/TEST dst, src. */
export function compileBinary(c: Ctx): Exec {
  const [op32, op64, writes] = BINARY[c.insn.mnemonic];
  const size = c.insn.opSize;
  const s = c.s;
  const dst = makeLoc(c.v, c.insn.operands[0], c.insn, c.next, size);
  const src = source(c, 1, size);
  const sl = src.loc;
  const { rl, rh } = s;
  const d0 = c.insn.operands[0];
  const s0 = c.insn.operands[1];
  // Fast paths for register operands (the hot loop of most programs).
  if (d0.kind === OpKind.Reg && d0.reg < 16 && size >= 32) {
    const d = d0.reg;
    if (size === 32) {
      if (sl === null) {
        const b = src.lo;
        return writes
          ? () => {
              rl[d] = op32(s, 32, rl[d], b);
              rh[d] = 0;
              return NEXT;
            }
          : () => (op32(s, 32, rl[d], b), NEXT);
      }
      if (s0.kind === OpKind.Reg) {
        const r = s0.reg;
        return writes
          ? () => {
              rl[d] = op32(s, 32, rl[d], rl[r]);
              rh[d] = 0;
              return NEXT;
            }
          : () => (op32(s, 32, rl[d], rl[r]), NEXT);
      }
    } else {
      if (sl === null) {
        const b = src.lo;
        const bh = src.hi;
        return writes
          ? () => {
              rl[d] = op64(s, rl[d], rh[d], b, bh);
              rh[d] = s.lrh;
              return NEXT;
            }
          : () => (op64(s, rl[d], rh[d], b, bh), NEXT);
      }
      if (s0.kind === OpKind.Reg) {
        const r = s0.reg;
        return writes
          ? () => {
              rl[d] = op64(s, rl[d], rh[d], rl[r], rh[r]);
              rh[d] = s.lrh;
              return NEXT;
            }
          : () => (op64(s, rl[d], rh[d], rl[r], rh[r]), NEXT);
      }
    }
  }
  if (size === 64) {
    return () => {
      dst.resolve();
      const a = dst.get();
      const ah = dst.getHi();
      let b = src.lo;
      let bh = src.hi;
      if (sl) {
        sl.resolve();
        b = sl.get();
        bh = sl.getHi();
      }
      const r = op64(s, a, ah, b, bh);
      if (writes) dst.set64(r, s.lrh);
      return NEXT;
    };
  }
  return () => {
    dst.resolve();
    const a = dst.get();
    let b = src.lo;
    if (sl) {
      sl.resolve();
      b = sl.get();
    }
    const r = op32(s, size, a, b);
    if (writes) dst.set(r);
    return NEXT;
  };
}

/** INC, DEC (CF unchanged), NEG, NOT (no flags). */
export function compileUnary(c: Ctx): Exec {
  const size = c.insn.opSize;
  const s = c.s;
  const dst = makeLoc(c.v, c.insn.operands[0], c.insn, c.next, size);
  const m = mask(size);
  switch (c.insn.mnemonic) {
    case 'inc':
    case 'dec': {
      const dec = c.insn.mnemonic === 'dec';
      const kind = dec ? LOP.DEC : LOP.INC;
      if (size === 64) {
        return () => {
          dst.resolve();
          const a = dst.get();
          const ah = dst.getHi();
          s.lcf = getCF(s);
          const lo = (a >>> 0) + (dec ? -1 : 1);
          const c2 = lo >= TWO32 ? 1 : lo < 0 ? -1 : 0;
          const r = record64(s, kind, a, ah, 1, 0, lo | 0, (ah + c2) | 0);
          dst.set64(r, s.lrh);
          return NEXT;
        };
      }
      return () => {
        dst.resolve();
        const a = dst.get();
        s.lcf = getCF(s);
        dst.set(record(s, kind, size, a, 1, (dec ? a - 1 : a + 1) & m));
        return NEXT;
      };
    }
    case 'neg':
      if (size === 64) {
        return () => {
          dst.resolve();
          const a = dst.get();
          const ah = dst.getHi();
          const lo = -(a >>> 0);
          const hi = (~ah + (lo === 0 ? 1 : 0)) | 0;
          const r = record64(s, LOP.NEG, 0, 0, a, ah, lo | 0, hi);
          dst.set64(r, hi);
          return NEXT;
        };
      }
      return () => {
        dst.resolve();
        const a = dst.get();
        dst.set(record(s, LOP.NEG, size, 0, a, -a & m));
        return NEXT;
      };
    default:
      // NOT: no flags.
      if (size === 64) {
        return () => {
          dst.resolve();
          const a = dst.get();
          const ah = dst.getHi();
          dst.set64(~a, ~ah);
          return NEXT;
        };
      }
      return () => {
        dst.resolve();
        dst.set(~dst.get() & m);
        return NEXT;
      };
  }
}
