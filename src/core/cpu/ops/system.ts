/**
 * System instructions and the ones a hypervisor intercepts (Intel SDM
 * Vol. 2 and Vol. 3 chapter 26 "Instructions that cause VM exits").
 *
 * Intercepted instructions — VMCALL/VMMCALL, HLT, CPUID, RDMSR, WRMSR,
 * IN/OUT/INS/OUTS — do their privilege checks (those faults come first, as
 * on hardware) and then stop with an exit request; the hypervisor model
 * completes them. The vendor's non-native hypercall instruction is #UD.
 *
 * Privilege: HLT, CLI/STI (CPL > IOPL), LGDT/LIDT/LTR, MOV CRn, RDMSR/WRMSR
 * and IN/OUT (CPL > IOPL; the TSS I/O-permission bitmap is not modelled)
 * raise #GP(0) above CPL 0.
 */
import { readBig, writeBig } from '../access';
import {
  dplOf,
  isCode,
  isConforming,
  isLongCode,
  isReadable,
  isWritableData,
  nullSegment,
  present,
  readDescriptor,
  toSegment,
} from '../descriptors';
import { getArithFlags, getRflags, setArithFlags, setRflags } from '../flags';
import { compileEa, makeLoc, splitHi, splitLo } from '../operands';
import type { ExitRequest } from '../exits';
import { EXIT, GuestFault, JUMP, JUMP_RECHECK, NEXT, RECHECK } from '../signals';
import { FLAG, SEG, VECTOR, WRITABLE_FLAGS, type CpuState } from '../state';
import { OpKind } from '../../isa/results';
import type { Vcpu } from '../vcpu';
import type { Ctx, Exec } from './context';
import { countZero } from './string';

const iopl = (s: CpuState): number => (s.flagsOther & FLAG.IOPL) >> 12;

function requireCpl0(s: CpuState): void {
  if (s.cpl !== 0) throw new GuestFault(VECTOR.GP, 0);
}

/**
 * Instructions that only stop for the hypervisor (after their fault checks).
 * Their exit request depends only on the instruction, so each compiled
 * instruction raises one frozen request object, made once (no allocation
 * per exit; nothing modifies a request).
 */
export function compileIntercepted(c: Ctx): Exec {
  const { v, s, insn, rip } = c;
  const length = insn.length;
  switch (insn.mnemonic) {
    case 'vmcall':
    case 'vmmcall': {
      const which = insn.mnemonic;
      const req: ExitRequest = Object.freeze({ kind: 'hypercall', rip, length, insn: which });
      return () => {
        const native = v.vendor === 'intel' ? 'vmcall' : 'vmmcall';
        if (which !== native) throw new GuestFault(VECTOR.UD, undefined);
        v.raiseExit(req);
        return EXIT;
      };
    }
    case 'hlt': {
      const req: ExitRequest = Object.freeze({ kind: 'hlt', rip, length });
      return () => {
        requireCpl0(s);
        v.raiseExit(req);
        return EXIT;
      };
    }
    case 'cpuid': {
      const req: ExitRequest = Object.freeze({ kind: 'cpuid', rip, length });
      return () => {
        v.raiseExit(req);
        return EXIT;
      };
    }
    default: {
      const kind = insn.mnemonic === 'rdmsr' ? 'rdmsr' : 'wrmsr';
      const req: ExitRequest = Object.freeze({ kind, rip, length });
      return () => {
        requireCpl0(s);
        v.raiseExit(req);
        return EXIT;
      };
    }
  }
}

/** IN, OUT, INS*, OUTS*: #GP(0) if CPL > IOPL, else an `io` exit. */
export function compileIo(c: Ctx): Exec {
  const { v, s, insn, rip } = c;
  const m = insn.mnemonic;
  const string = m.startsWith('ins') || m.startsWith('outs');
  const direction = m.startsWith('in') ? 'in' : 'out';
  const size = (
    string ? insn.opSize / 8 : (direction === 'in' ? insn.operands[0] : insn.operands[1]).size / 8
  ) as 1 | 2 | 4;
  const portOp = string ? null : direction === 'in' ? insn.operands[1] : insn.operands[0];
  const immediatePort = portOp !== null && portOp.kind === OpKind.Imm;
  const fixedPort = immediatePort ? portOp.immLo & 0xff : -1;
  const rep = insn.rep !== 0;
  const wide = insn.addrSize === 64;
  return () => {
    if (s.cpl > iopl(s)) throw new GuestFault(VECTOR.GP, 0);
    if (rep && countZero(s, wide)) return NEXT;
    const port = fixedPort >= 0 ? fixedPort : s.rl[2] & 0xffff;
    v.raiseExit({
      kind: 'io',
      rip,
      length: insn.length,
      port,
      size,
      direction,
      string,
      rep,
      immediatePort,
    });
    return EXIT;
  };
}

export function compileRdtsc(c: Ctx): Exec {
  const { s } = c;
  return () => {
    // CR4.TSD (bit 2) makes RDTSC privileged.
    if (s.cr4 & 4 && s.cpl !== 0) throw new GuestFault(VECTOR.GP, 0);
    const t = s.icount + s.tscOffset;
    s.rl[0] = splitLo(t);
    s.rh[0] = 0;
    s.rl[2] = splitHi(t);
    s.rh[2] = 0;
    return NEXT;
  };
}

/** CLC, STC, CMC, CLD, STD, CLI, STI. */
export function compileFlagOp(c: Ctx): Exec {
  const { s } = c;
  switch (c.insn.mnemonic) {
    case 'clc':
      return () => (setArithFlags(s, getArithFlags(s) & ~FLAG.CF), NEXT);
    case 'stc':
      return () => (setArithFlags(s, getArithFlags(s) | FLAG.CF), NEXT);
    case 'cmc':
      return () => (setArithFlags(s, getArithFlags(s) ^ FLAG.CF), NEXT);
    case 'cld':
      return () => ((s.flagsOther &= ~FLAG.DF), NEXT);
    case 'std':
      return () => ((s.flagsOther |= FLAG.DF), NEXT);
    case 'cli':
      return () => {
        if (s.cpl > iopl(s)) throw new GuestFault(VECTOR.GP, 0);
        s.flagsOther &= ~FLAG.IF;
        return RECHECK;
      };
    default:
      return () => {
        if (s.cpl > iopl(s)) throw new GuestFault(VECTOR.GP, 0);
        // STI holds interrupts off for one more instruction (SDM STI).
        if (!(s.flagsOther & FLAG.IF)) s.interruptShadow = true;
        s.flagsOther |= FLAG.IF;
        return RECHECK;
      };
  }
}

/** INT3, INT n, UD2. */
export function compileTrap(c: Ctx): Exec {
  const { v, s, insn } = c;
  const next = c.next;
  switch (insn.mnemonic) {
    case 'ud2':
      return () => {
        throw new GuestFault(VECTOR.UD, undefined);
      };
    case 'int3':
      return () => {
        s.rip = next;
        const r = v.deliver(VECTOR.BP, undefined, 'int3', next);
        return r === 'event' ? JUMP : settle(v, r);
      };
    default: {
      const vector = insn.operands[0].immLo & 0xff;
      return () => {
        s.rip = next;
        const r = v.deliver(vector, undefined, 'int', next);
        return r === 'event' ? JUMP : settle(v, r);
      };
    }
  }
}

/** After an INT that did not reach a handler: stop at the instruction. */
function settle(v: Vcpu, r: string): number {
  v.state.rip = v.insnRip;
  void r;
  return EXIT;
}

/** LGDT, LIDT: load a 10-byte pseudo-descriptor (limit, base). */
export function compileTableLoad(c: Ctx): Exec {
  const { v, s, insn } = c;
  const ea = compileEa(v, insn.operands[0], insn, c.next);
  const idt = insn.mnemonic === 'lidt';
  return () => {
    requireCpl0(s);
    const at = ea();
    const limit = Number(readBig(v, at, 2));
    const base = Number(BigInt.asIntN(64, readBig(v, at + 2, 8)));
    if (idt) s.idtr = { base, limit };
    else s.gdtr = { base, limit };
    return NEXT;
  };
}

/** LTR: load the task register from an available 64-bit TSS descriptor, and mark it busy. */
export function compileLtr(c: Ctx): Exec {
  const { v, s, insn } = c;
  const src = makeLoc(v, insn.operands[0], insn, c.next, 16);
  return () => {
    requireCpl0(s);
    src.resolve();
    const sel = src.get() & 0xffff;
    if ((sel & 0xfffc) === 0) throw new GuestFault(VECTOR.GP, 0);
    const d = readDescriptor(v, sel, 0, true);
    if ((d.access & 0x1f) !== 0x09) throw new GuestFault(VECTOR.GP, sel & 0xfffc);
    if (!present(d)) throw new GuestFault(VECTOR.NP, sel & 0xfffc);
    writeBig(v, d.at + 5, 1, BigInt(d.access | 0x02));
    s.tr = { ...toSegment(d, sel), attrib: toSegment(d, sel).attrib | 0x02 };
    return NEXT;
  };
}

/** MOV Sreg, r/m16 (with the 64-bit mode checks of SDM "MOV") and MOV r/m, Sreg. */
export function compileMovSeg(c: Ctx): Exec {
  const { v, s, insn } = c;
  const [d0, s0] = insn.operands;
  if (s0.kind === OpKind.SReg) {
    const dst = makeLoc(v, d0, insn, c.next, d0.kind === OpKind.Mem ? 16 : d0.size);
    const r = s0.reg;
    return () => {
      dst.resolve();
      const sel = s.seg[r].selector;
      if (dst.size === 64) dst.set64(sel, 0);
      else dst.set(sel);
      return NEXT;
    };
  }
  const target = d0.reg;
  const src = makeLoc(v, s0, insn, c.next, 16);
  return () => {
    if (target === SEG.CS) throw new GuestFault(VECTOR.UD, undefined);
    src.resolve();
    const sel = src.get() & 0xffff;
    loadSegment(v, target, sel);
    if (target === SEG.SS) {
      s.interruptShadow = true;
      return RECHECK;
    }
    return NEXT;
  };
}

/** Load a data or stack segment register (SDM Vol. 3 §5.5–5.7 checks). */
export function loadSegment(v: Vcpu, reg: number, sel: number): void {
  const s = v.state;
  const rpl = sel & 3;
  if ((sel & 0xfffc) === 0) {
    if (reg === SEG.SS && (s.cpl === 3 || rpl !== s.cpl)) throw new GuestFault(VECTOR.GP, 0);
    s.seg[reg] = nullSegment(sel);
    return;
  }
  const d = readDescriptor(v, sel);
  const err = sel & 0xfffc;
  if (reg === SEG.SS) {
    if (rpl !== s.cpl || !isWritableData(d) || dplOf(d) !== s.cpl)
      throw new GuestFault(VECTOR.GP, err);
    if (!present(d)) throw new GuestFault(VECTOR.SS, err);
  } else {
    if (!isReadable(d) || !(d.access & 0x10)) throw new GuestFault(VECTOR.GP, err);
    if (!isConforming(d) && dplOf(d) < Math.max(s.cpl, rpl)) throw new GuestFault(VECTOR.GP, err);
    if (!present(d)) throw new GuestFault(VECTOR.NP, err);
  }
  s.seg[reg] = toSegment(d, sel);
}

/** MOV to/from CR0, CR2, CR3, CR4, CR8 at CPL 0. */
export function compileMovCr(c: Ctx): Exec {
  const { s, insn } = c;
  const [d0, s0] = insn.operands;
  const { rl, rh } = s;
  if (d0.kind === OpKind.CReg) {
    const cr = d0.reg;
    const g = s0.reg;
    return () => {
      requireCpl0(s);
      const lo = rl[g];
      const hi = rh[g];
      const value = hi * 4294967296 + (lo >>> 0);
      switch (cr) {
        case 0:
          // Long mode needs PG and PE; reserved high bits must be 0.
          if (hi !== 0 || (lo & 0x80000001) !== (0x80000001 | 0))
            throw new GuestFault(VECTOR.GP, 0);
          s.cr0 = lo >>> 0;
          break;
        case 2:
          s.cr2 = value;
          break;
        case 3:
          s.cr3 = value;
          break;
        case 4:
          // Long mode needs PAE.
          if (hi !== 0 || !(lo & (1 << 5))) throw new GuestFault(VECTOR.GP, 0);
          s.cr4 = lo >>> 0;
          break;
        default:
          if (value > 15 || value < 0) throw new GuestFault(VECTOR.GP, 0);
          s.cr8 = value;
      }
      return NEXT;
    };
  }
  const cr = s0.reg;
  const g = d0.reg;
  return () => {
    requireCpl0(s);
    const value = cr === 0 ? s.cr0 : cr === 2 ? s.cr2 : cr === 3 ? s.cr3 : cr === 4 ? s.cr4 : s.cr8;
    rl[g] = splitLo(value);
    rh[g] = splitHi(value);
    return NEXT;
  };
}

/**
 * IRETQ (and IRETD): pop RIP, CS, RFLAGS, RSP, SS — in 64-bit mode always
 * all five (SDM "IRET"). Returning to an outer level (CPL 3) checks the
 * new CS and SS descriptors; the new CPL is CS.RPL.
 */
export function compileIret(c: Ctx): Exec {
  const { v, s, insn } = c;
  const width = insn.opSize === 64 ? 8 : 4;
  return () => {
    const sp = s.rh[4] * 4294967296 + (s.rl[4] >>> 0);
    const pop = (i: number): number => {
      const x = readBig(v, sp + i * width, width);
      return Number(width === 8 ? BigInt.asIntN(64, x) : x);
    };
    const rip = pop(0);
    const csSel = pop(1) & 0xffff;
    const flags = pop(2);
    const rsp = pop(3);
    const ssSel = pop(4) & 0xffff;
    const rpl = csSel & 3;
    if ((csSel & 0xfffc) === 0) throw new GuestFault(VECTOR.GP, 0);
    if (rpl < s.cpl) throw new GuestFault(VECTOR.GP, csSel & 0xfffc);
    const cs = readDescriptor(v, csSel);
    if (!isCode(cs) || !isLongCode(cs)) throw new GuestFault(VECTOR.GP, csSel & 0xfffc);
    if (isConforming(cs) ? dplOf(cs) > rpl : dplOf(cs) !== rpl)
      throw new GuestFault(VECTOR.GP, csSel & 0xfffc);
    if (!present(cs)) throw new GuestFault(VECTOR.NP, csSel & 0xfffc);
    let ss = nullSegment(ssSel);
    if ((ssSel & 0xfffc) !== 0) {
      const d = readDescriptor(v, ssSel);
      if ((ssSel & 3) !== rpl || !isWritableData(d) || dplOf(d) !== rpl)
        throw new GuestFault(VECTOR.GP, ssSel & 0xfffc);
      if (!present(d)) throw new GuestFault(VECTOR.SS, ssSel & 0xfffc);
      ss = toSegment(d, ssSel);
    } else if (rpl === 3) {
      throw new GuestFault(VECTOR.GP, 0);
    }
    if (rip >= 2 ** 47 || rip < -(2 ** 47)) throw new GuestFault(VECTOR.GP, 0);
    // RFLAGS: IOPL only at CPL 0; IF only when CPL <= IOPL.
    let mask = WRITABLE_FLAGS;
    if (s.cpl > 0) mask &= ~FLAG.IOPL;
    if (s.cpl > iopl(s)) mask &= ~FLAG.IF;
    setRflags(s, (getRflags(s) & ~mask) | (flags & mask));
    s.seg[SEG.CS] = toSegment(cs, csSel);
    s.seg[SEG.SS] = ss;
    if (rpl > s.cpl) {
      // Data segments the new level may not use become null (SDM IRET).
      for (const r of [SEG.ES, SEG.DS, SEG.FS, SEG.GS]) {
        const seg = s.seg[r];
        const dpl = (seg.attrib >> 5) & 3;
        const conformingCode = (seg.attrib & 0x1c) === 0x1c;
        if ((seg.selector & 0xfffc) !== 0 && !conformingCode && dpl < rpl)
          s.seg[r] = nullSegment(0);
      }
    }
    s.cpl = rpl;
    s.rl[4] = splitLo(rsp);
    s.rh[4] = splitHi(rsp);
    s.rip = rip;
    return JUMP_RECHECK;
  };
}

export function compileNop(): Exec {
  return () => NEXT;
}
