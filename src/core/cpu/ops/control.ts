/**
 * Stack and control transfer: PUSH, POP, PUSHFQ, POPFQ, LEAVE, JMP, Jcc,
 * CALL, RET, LOOP/LOOPE/LOOPNE, JRCXZ (Intel SDM Vol. 2).
 *
 * The stack is addressed through RSP (64-bit stack width; a 66 prefix makes
 * PUSH/POP move 16 bits). Stack faults are #SS(0). A branch to a
 * non-canonical address raises #GP(0) at the branch, before anything changes.
 */
import { read16, read64, write16, write64 } from '../access';
import { getRflags, setRflags, testCondition } from '../flags';
import { immLo, joinHalves, makeLoc, splitHi, splitLo } from '../operands';
import { GuestFault, JUMP, NEXT, RECHECK } from '../signals';
import { FLAG, VECTOR, WRITABLE_FLAGS, type CpuState } from '../state';
import { OpKind } from '../../isa/results';
import type { Vcpu } from '../vcpu';
import { conditionOf } from './data';
import type { Ctx, Exec } from './context';
import { loadSegment } from './system';

const CANON = 2 ** 47;
const TWO32 = 4294967296;

function rsp(s: CpuState): number {
  return s.rh[4] * TWO32 + (s.rl[4] >>> 0);
}

function setRsp(s: CpuState, v: number): void {
  s.rl[4] = splitLo(v);
  s.rh[4] = splitHi(v);
}

/** Push a 64-bit value (halves). */
export function push64(v: Vcpu, lo: number, hi: number): void {
  const s = v.state;
  const at = rsp(s) - 8;
  write64(v, at, lo, hi, true);
  setRsp(s, at);
}

/** Pop a 64-bit value: returns the low half, high half in v.hi. */
export function pop64(v: Vcpu): number {
  const s = v.state;
  const at = rsp(s);
  const lo = read64(v, at, true);
  setRsp(s, at + 8);
  return lo;
}

/** Check a branch target is canonical (else #GP(0)) and jump. */
function branchTo(s: CpuState, target: number): number {
  if (target >= CANON || target < -CANON) throw new GuestFault(VECTOR.GP, 0);
  s.rip = target;
  return JUMP;
}

export function compilePush(c: Ctx): Exec {
  const { v, s, insn } = c;
  const o = insn.operands[0];
  const size = insn.opSize;
  if (o.kind === OpKind.SReg) {
    // PUSH FS/GS: the selector, zero-extended to 64 bits.
    const r = o.reg;
    return () => {
      push64(v, s.seg[r].selector, 0);
      return NEXT;
    };
  }
  if (size === 16) {
    const src = o.kind === OpKind.Imm ? null : makeLoc(v, o, insn, c.next, 16);
    const imm = o.kind === OpKind.Imm ? immLo(o, 16) : 0;
    return () => {
      let x = imm;
      if (src) {
        src.resolve();
        x = src.get();
      }
      const at = rsp(s) - 2;
      write16(v, at, x, true);
      setRsp(s, at);
      return NEXT;
    };
  }
  if (o.kind === OpKind.Imm) {
    const lo = o.immLo | 0;
    const hi = o.immHi | 0;
    return () => {
      push64(v, lo, hi);
      return NEXT;
    };
  }
  const src = makeLoc(v, o, insn, c.next, 64);
  return () => {
    src.resolve();
    const lo = src.get();
    push64(v, lo, src.getHi());
    return NEXT;
  };
}

export function compilePop(c: Ctx): Exec {
  const { v, s, insn } = c;
  const o = insn.operands[0];
  const size = insn.opSize;
  if (o.kind === OpKind.SReg) {
    // POP FS/GS: load the segment first (it may fault), then move RSP.
    const r = o.reg;
    return () => {
      const at = rsp(s);
      const sel = read16(v, at, true);
      loadSegment(v, r, sel);
      setRsp(s, at + 8);
      return NEXT;
    };
  }
  const dst = makeLoc(v, o, insn, c.next, size);
  return () => {
    const old = rsp(s);
    let lo: number;
    let hi = 0;
    if (size === 16) {
      lo = read16(v, old, true);
      setRsp(s, old + 2);
    } else {
      lo = read64(v, old, true);
      hi = v.hi;
      setRsp(s, old + 8);
    }
    // The destination address is computed after RSP moves (SDM POP).
    try {
      dst.resolve();
      if (size === 16) dst.set(lo);
      else dst.set64(lo, hi);
    } catch (e) {
      setRsp(s, old);
      throw e;
    }
    return NEXT;
  };
}

export function compilePushf(c: Ctx): Exec {
  const { v, s } = c;
  return () => {
    // RF and VM are pushed as 0.
    push64(v, getRflags(s) & ~(FLAG.RF | (1 << 17)), 0);
    return NEXT;
  };
}

/** POPFQ: at CPL 0 every writable flag; above it IOPL is kept, and IF unless CPL ≤ IOPL. */
export function compilePopf(c: Ctx): Exec {
  const { v, s } = c;
  return () => {
    const x = pop64(v);
    let mask = WRITABLE_FLAGS;
    const iopl = (s.flagsOther & FLAG.IOPL) >> 12;
    if (s.cpl > 0) mask &= ~FLAG.IOPL;
    if (s.cpl > iopl) mask &= ~FLAG.IF;
    setRflags(s, (getRflags(s) & ~mask) | (x & mask));
    return RECHECK;
  };
}

export function compileLeave(c: Ctx): Exec {
  const { v, s } = c;
  return () => {
    const frame = joinHalves(s.rl[5], s.rh[5]);
    const lo = read64(v, frame, true);
    const hi = v.hi;
    setRsp(s, frame + 8);
    s.rl[5] = lo;
    s.rh[5] = hi;
    return NEXT;
  };
}

export function compileJump(c: Ctx): Exec {
  const { v, s, insn } = c;
  const o = insn.operands[0];
  const call = insn.mnemonic === 'call';
  const retLo = splitLo(c.next);
  const retHi = splitHi(c.next);
  if (o.kind === OpKind.Rel) {
    const target = c.next + o.disp;
    return call
      ? () => {
          if (target >= CANON || target < -CANON) throw new GuestFault(VECTOR.GP, 0);
          push64(v, retLo, retHi);
          s.rip = target;
          return JUMP;
        }
      : () => branchTo(s, target);
  }
  const src = makeLoc(v, o, insn, c.next, 64);
  return () => {
    src.resolve();
    const lo = src.get();
    const target = joinHalves(lo, src.getHi());
    if (target >= CANON || target < -CANON) throw new GuestFault(VECTOR.GP, 0);
    if (call) push64(v, retLo, retHi);
    s.rip = target;
    return JUMP;
  };
}

export function compileJcc(c: Ctx): Exec {
  const { s, insn } = c;
  const cc = conditionOf(insn.mnemonic, 'j');
  const target = c.next + insn.operands[0].disp;
  return () => (testCondition(s, cc) ? branchTo(s, target) : NEXT);
}

/** LOOP/LOOPE/LOOPNE decrement rCX (no flags); JRCXZ tests it. */
export function compileLoop(c: Ctx): Exec {
  const { s, insn } = c;
  const target = c.next + insn.operands[0].disp;
  const { rl, rh } = s;
  const wide = insn.addrSize === 64;
  const zeroAfter = (): boolean => rl[1] === 0 && (!wide || rh[1] === 0);
  const dec = (): void => {
    if (wide) {
      if (rl[1] === 0) rh[1] = (rh[1] - 1) | 0;
      rl[1] = (rl[1] - 1) | 0;
    } else {
      rl[1] = (rl[1] - 1) | 0;
      rh[1] = 0;
    }
  };
  switch (insn.mnemonic) {
    case 'jrcxz':
      return () => (zeroAfter() ? branchTo(s, target) : NEXT);
    case 'loop':
      return () => {
        dec();
        return zeroAfter() ? NEXT : branchTo(s, target);
      };
    default: {
      const wantZ = insn.mnemonic === 'loope';
      return () => {
        dec();
        return !zeroAfter() && testCondition(s, 4) === wantZ ? branchTo(s, target) : NEXT;
      };
    }
  }
}

export function compileRet(c: Ctx): Exec {
  const { v, s, insn } = c;
  const extra = insn.operands.length ? insn.operands[0].immLo & 0xffff : 0;
  return () => {
    const at = rsp(s);
    const lo = read64(v, at, true);
    const target = joinHalves(lo, v.hi);
    if (target >= CANON || target < -CANON) throw new GuestFault(VECTOR.GP, 0);
    setRsp(s, at + 8 + extra);
    s.rip = target;
    return JUMP;
  };
}
