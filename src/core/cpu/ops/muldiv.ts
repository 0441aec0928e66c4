/**
 * MUL, IMUL (one, two and three operands), DIV, IDIV (Intel SDM Vol. 2).
 *
 * MUL/IMUL set CF = OF when the full product does not fit the destination;
 * SF, ZF, AF and PF are undefined by the SDM — here SF, ZF and PF follow the
 * low half of the product and AF is cleared. DIV/IDIV leave every flag
 * undefined — here they are left unchanged. Divide by zero, or a quotient
 * that does not fit, raises #DE.
 *
 * 32×32 products use 16-bit limbs; 64-bit ones use bigint (not a hot path).
 */
import { getArithFlags, resultFlags, setArithFlags } from '../flags';
import { immLo, makeLoc } from '../operands';
import { GuestFault, NEXT } from '../signals';
import { FLAG, VECTOR, type CpuState } from '../state';
import { OpKind } from '../../isa/results';
import type { Ctx, Exec } from './context';

const u64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const s64 = (lo: number, hi: number): bigint => BigInt.asIntN(64, u64(lo, hi));

/** Signed value of a `size`-bit operand (int32 zero-extended below 32 bits). */
function signed(x: number, size: number): bigint {
  if (size === 32) return BigInt(x | 0);
  return BigInt((x << (32 - size)) >> (32 - size));
}

function mulFlags(s: CpuState, overflow: boolean, lo: number, hi: number, size: number): void {
  const f = resultFlags(lo, hi, size) | (overflow ? FLAG.CF | FLAG.OF : 0);
  setArithFlags(s, f);
}

/** Write a 2×size-bit product into rDX:rAX (AX for 8-bit). */
function writeProduct(s: CpuState, p: bigint, size: number): void {
  const { rl, rh } = s;
  const m = (1n << BigInt(size)) - 1n;
  const low = p & m;
  const high = (p >> BigInt(size)) & m;
  if (size === 8) {
    rl[0] = (rl[0] & ~0xffff) | Number(BigInt.asUintN(16, p));
    return;
  }
  if (size === 16) {
    rl[0] = (rl[0] & ~0xffff) | Number(low);
    rl[2] = (rl[2] & ~0xffff) | Number(high);
    return;
  }
  if (size === 32) {
    rl[0] = Number(low) | 0;
    rh[0] = 0;
    rl[2] = Number(high) | 0;
    rh[2] = 0;
    return;
  }
  rl[0] = Number(low & 0xffffffffn) | 0;
  rh[0] = Number(low >> 32n) | 0;
  rl[2] = Number(high & 0xffffffffn) | 0;
  rh[2] = Number(high >> 32n) | 0;
}

/** rAX (and rDX for the dividend) at `size` as unsigned bigints. */
function acc(s: CpuState, reg: number, size: number): bigint {
  if (size === 64) return u64(s.rl[reg], s.rh[reg]);
  const m = size === 32 ? 0xffffffff : (1 << size) - 1;
  return BigInt((s.rl[reg] & m) >>> 0);
}

export function compileMulDiv(c: Ctx): Exec {
  const { insn, s } = c;
  const size = insn.opSize;
  const op = insn.mnemonic;
  const ops = insn.operands;

  if (op === 'imul' && ops.length >= 2) {
    // Two/three-operand IMUL: dst = truncate(src1 * src2).
    const dst = makeLoc(c.v, ops[0], insn, c.next, size);
    const a = makeLoc(c.v, ops.length === 3 ? ops[1] : ops[0], insn, c.next, size);
    const immOp = ops.length === 3 ? ops[2] : ops[1].kind === OpKind.Imm ? ops[1] : null;
    const b = immOp ? null : makeLoc(c.v, ops[1], insn, c.next, size);
    const imm = immOp
      ? size === 64
        ? s64(immOp.immLo, immOp.immHi)
        : signed(immLo(immOp, size), size)
      : 0n;
    return () => {
      a.resolve();
      const av = size === 64 ? s64(a.get(), a.getHi()) : signed(a.get(), size);
      let bv = imm;
      if (b) {
        b.resolve();
        bv = size === 64 ? s64(b.get(), b.getHi()) : signed(b.get(), size);
      }
      const p = av * bv;
      const t = BigInt.asIntN(size, p);
      const lo = Number(BigInt.asIntN(32, t));
      const hi = size === 64 ? Number(BigInt.asIntN(32, t >> 32n)) : 0;
      dst.resolve();
      if (size === 64) dst.set64(lo, hi);
      else dst.set(size === 32 ? lo : lo & ((1 << size) - 1));
      mulFlags(s, t !== p, lo, hi, size);
      return NEXT;
    };
  }

  const src = makeLoc(c.v, ops[0], insn, c.next, size);
  const read = (): bigint => {
    src.resolve();
    const x = src.get();
    return size === 64 ? u64(x, src.getHi()) : BigInt(size === 32 ? x >>> 0 : x);
  };
  const bits = BigInt(size);
  switch (op) {
    case 'mul':
      return () => {
        const p = acc(s, 0, size) * read();
        writeProduct(s, p, size);
        const low = BigInt.asUintN(size, p);
        mulFlags(
          s,
          p >> bits !== 0n,
          Number(BigInt.asIntN(32, low)),
          Number(BigInt.asIntN(32, low >> 32n)),
          size,
        );
        return NEXT;
      };
    case 'imul':
      return () => {
        const b = BigInt.asIntN(size, read());
        const p = BigInt.asIntN(size, acc(s, 0, size)) * b;
        writeProduct(s, BigInt.asUintN(size * 2, p), size);
        const low = BigInt.asUintN(size, p);
        mulFlags(
          s,
          BigInt.asIntN(size, p) !== p,
          Number(BigInt.asIntN(32, low)),
          Number(BigInt.asIntN(32, low >> 32n)),
          size,
        );
        return NEXT;
      };
    default: {
      const isSigned = op === 'idiv';
      return () => {
        const divisor = read();
        if (divisor === 0n) throw new GuestFault(VECTOR.DE, undefined);
        // Dividend: AX for 8-bit, else rDX:rAX.
        const dividendU = size === 8 ? acc(s, 0, 16) : (acc(s, 2, size) << bits) | acc(s, 0, size);
        let q: bigint;
        let r: bigint;
        if (isSigned) {
          const n = BigInt.asIntN(size * 2, dividendU);
          const d = BigInt.asIntN(size, divisor);
          q = n / d;
          r = n % d;
          if (q !== BigInt.asIntN(size, q)) throw new GuestFault(VECTOR.DE, undefined);
        } else {
          q = dividendU / divisor;
          r = dividendU % divisor;
          if (q >> bits !== 0n) throw new GuestFault(VECTOR.DE, undefined);
        }
        const qu = BigInt.asUintN(size, q);
        const ru = BigInt.asUintN(size, r);
        const { rl, rh } = s;
        if (size === 8) {
          rl[0] = (rl[0] & ~0xffff) | Number(qu) | (Number(ru) << 8);
        } else if (size === 16) {
          rl[0] = (rl[0] & ~0xffff) | Number(qu);
          rl[2] = (rl[2] & ~0xffff) | Number(ru);
        } else if (size === 32) {
          rl[0] = Number(qu) | 0;
          rh[0] = 0;
          rl[2] = Number(ru) | 0;
          rh[2] = 0;
        } else {
          rl[0] = Number(qu & 0xffffffffn) | 0;
          rh[0] = Number(qu >> 32n) | 0;
          rl[2] = Number(ru & 0xffffffffn) | 0;
          rh[2] = Number(ru >> 32n) | 0;
        }
        // Flags are undefined after DIV/IDIV; keep them as they were.
        setArithFlags(s, getArithFlags(s));
        return NEXT;
      };
    }
  }
}
