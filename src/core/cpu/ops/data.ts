/**
 * Data movement: MOV (general registers and memory), MOVZX, MOVSX, MOVSXD,
 * LEA, XCHG, CMOVcc, SETcc, CBW/CWDE/CDQE, CWD/CDQ/CQO, LAHF/SAHF
 * (Intel SDM Vol. 2).
 */
import { getArithFlags, setArithFlags, testCondition } from '../flags';
import { compileEa, immLo, makeLoc } from '../operands';
import { NEXT } from '../signals';
import { ARITH_FLAGS, FLAG } from '../state';
import { OpKind } from '../../isa/results';
import type { Ctx, Exec } from './context';
import { CONDITIONS } from '../../isa/conditions';

/** Condition number of a jcc/setcc/cmovcc mnemonic (after its prefix). */
export function conditionOf(mnemonic: string, prefix: string): number {
  const cc = mnemonic.slice(prefix.length);
  return CONDITIONS.findIndex((names) => names.includes(cc));
}

export function compileMov(c: Ctx): Exec {
  const { insn } = c;
  const size = insn.opSize;
  const [d0, s0] = insn.operands;
  const { rl, rh } = c.s;
  if (d0.kind === OpKind.Reg && d0.reg < 16 && size >= 32) {
    const d = d0.reg;
    if (s0.kind === OpKind.Reg) {
      const r = s0.reg;
      return size === 64
        ? () => {
            rl[d] = rl[r];
            rh[d] = rh[r];
            return NEXT;
          }
        : () => {
            rl[d] = rl[r];
            rh[d] = 0;
            return NEXT;
          };
    }
    if (s0.kind === OpKind.Imm) {
      const lo = s0.immLo | 0;
      const hi = size === 64 ? s0.immHi | 0 : 0;
      return () => {
        rl[d] = lo;
        rh[d] = hi;
        return NEXT;
      };
    }
  }
  const dst = makeLoc(c.v, d0, insn, c.next, size);
  if (s0.kind === OpKind.Imm) {
    const lo = immLo(s0, size);
    const hi = s0.immHi | 0;
    return size === 64
      ? () => {
          dst.resolve();
          dst.set64(lo, hi);
          return NEXT;
        }
      : () => {
          dst.resolve();
          dst.set(lo);
          return NEXT;
        };
  }
  const src = makeLoc(c.v, s0, insn, c.next, size);
  return size === 64
    ? () => {
        src.resolve();
        const lo = src.get();
        const hi = src.getHi();
        dst.resolve();
        dst.set64(lo, hi);
        return NEXT;
      }
    : () => {
        src.resolve();
        const x = src.get();
        dst.resolve();
        dst.set(x);
        return NEXT;
      };
}

/** MOVZX / MOVSX / MOVSXD: extend a narrower source into the destination size. */
export function compileExtend(c: Ctx): Exec {
  const { insn } = c;
  const size = insn.opSize;
  const [d0, s0] = insn.operands;
  const dst = makeLoc(c.v, d0, insn, c.next, size);
  const src = makeLoc(c.v, s0, insn, c.next);
  const from = s0.size;
  const signed = insn.mnemonic !== 'movzx';
  const shift = 32 - from;
  const m = size === 16 ? 0xffff : -1;
  return () => {
    src.resolve();
    let x = src.get();
    if (signed) x = (x << shift) >> shift;
    if (size === 64) {
      dst.set64(x, signed && x < 0 ? -1 : 0);
    } else {
      dst.set(x & m);
    }
    return NEXT;
  };
}

/** LEA: the effective address, truncated to the operand size; no memory access. */
export function compileLea(c: Ctx): Exec {
  const { insn } = c;
  const size = insn.opSize;
  const dst = makeLoc(c.v, insn.operands[0], insn, c.next, size);
  const s = c.s;
  const o = insn.operands[1];
  const { rl, rh } = s;
  if (o.base === 16 || insn.addrSize === 32) {
    const ea = compileEa(c.v, o, insn, c.next);
    return () => {
      const a = ea();
      const lo = (a % 4294967296) | 0;
      if (size === 64) dst.set64(lo, Math.floor(a / 4294967296) | 0);
      else dst.set(size === 16 ? lo & 0xffff : lo);
      return NEXT;
    };
  }
  // Exact 64-bit sum, whatever the register values (no canonical check for LEA).
  const b = o.base;
  const i = o.index;
  const sc = o.scale;
  const disp = o.disp;
  return () => {
    const lo = (b >= 0 ? rl[b] >>> 0 : 0) + (i >= 0 ? (rl[i] >>> 0) * sc : 0) + disp;
    const carry = Math.floor(lo / 4294967296);
    const low = (lo - carry * 4294967296) | 0;
    if (size === 64) dst.set64(low, ((b >= 0 ? rh[b] : 0) + (i >= 0 ? rh[i] * sc : 0) + carry) | 0);
    else dst.set(size === 16 ? low & 0xffff : low);
    return NEXT;
  };
}

export function compileXchg(c: Ctx): Exec {
  const { insn } = c;
  const size = insn.opSize;
  const a = makeLoc(c.v, insn.operands[0], insn, c.next, size);
  const b = makeLoc(c.v, insn.operands[1], insn, c.next, size);
  return () => {
    a.resolve();
    b.resolve();
    const x = a.get();
    const xh = a.getHi();
    const y = b.get();
    const yh = b.getHi();
    // Write memory first (it may fault); a register write cannot.
    if (a.isMem) {
      if (size === 64) a.set64(y, yh);
      else a.set(y);
      if (size === 64) b.set64(x, xh);
      else b.set(x);
    } else {
      if (size === 64) b.set64(x, xh);
      else b.set(x);
      if (size === 64) a.set64(y, yh);
      else a.set(y);
    }
    return NEXT;
  };
}

/** CMOVcc: the source is always read; a 32-bit destination is zero-extended even when not moved. */
export function compileCmov(c: Ctx): Exec {
  const { insn } = c;
  const size = insn.opSize;
  const cc = conditionOf(insn.mnemonic, 'cmov');
  const dst = makeLoc(c.v, insn.operands[0], insn, c.next, size);
  const src = makeLoc(c.v, insn.operands[1], insn, c.next, size);
  const s = c.s;
  return () => {
    src.resolve();
    const x = src.get();
    const xh = src.getHi();
    if (testCondition(s, cc)) {
      if (size === 64) dst.set64(x, xh);
      else dst.set(x);
    } else if (size === 32) {
      dst.set(dst.get());
    }
    return NEXT;
  };
}

export function compileSetcc(c: Ctx): Exec {
  const cc = conditionOf(c.insn.mnemonic, 'set');
  const dst = makeLoc(c.v, c.insn.operands[0], c.insn, c.next, 8);
  const s = c.s;
  return () => {
    dst.resolve();
    dst.set(testCondition(s, cc) ? 1 : 0);
    return NEXT;
  };
}

/** CBW/CWDE/CDQE: sign-extend the accumulator's lower half into itself. */
export function compileAccExtend(c: Ctx): Exec {
  const { rl, rh } = c.s;
  switch (c.insn.opSize) {
    case 16:
      return () => {
        rl[0] = (rl[0] & ~0xffff) | (((rl[0] << 24) >> 24) & 0xffff);
        return NEXT;
      };
    case 32:
      return () => {
        rl[0] = (rl[0] << 16) >> 16;
        rh[0] = 0;
        return NEXT;
      };
    default:
      return () => {
        rh[0] = rl[0] >> 31;
        return NEXT;
      };
  }
}

/** CWD/CDQ/CQO: fill rDX with the sign of rAX. */
export function compileSignFill(c: Ctx): Exec {
  const { rl, rh } = c.s;
  switch (c.insn.opSize) {
    case 16:
      return () => {
        rl[2] = (rl[2] & ~0xffff) | (((rl[0] << 16) >> 31) & 0xffff);
        return NEXT;
      };
    case 32:
      return () => {
        rl[2] = rl[0] >> 31;
        rh[2] = 0;
        return NEXT;
      };
    default:
      return () => {
        rl[2] = rh[0] >> 31;
        rh[2] = rh[0] >> 31;
        return NEXT;
      };
  }
}

/** LAHF: AH ← SF:ZF:0:AF:0:PF:1:CF.  SAHF: those flags ← AH. */
export function compileLahfSahf(c: Ctx): Exec {
  const s = c.s;
  const { rl } = s;
  const bits = FLAG.SF | FLAG.ZF | FLAG.AF | FLAG.PF | FLAG.CF;
  if (c.insn.mnemonic === 'lahf') {
    return () => {
      rl[0] = (rl[0] & ~0xff00) | (((getArithFlags(s) & bits) | FLAG.FIXED) << 8);
      return NEXT;
    };
  }
  return () => {
    const ah = (rl[0] >> 8) & 0xff;
    setArithFlags(s, (getArithFlags(s) & ARITH_FLAGS & ~bits) | (ah & bits));
    return NEXT;
  };
}
