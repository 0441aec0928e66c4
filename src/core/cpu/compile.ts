/**
 * Turn a decoded instruction into an `Op`: its address, length and an
 * `exec` closure specialised for its operands. SEMANTICS maps every
 * mnemonic of OPCODE_TABLE to the family that executes it; a test checks
 * that none is missing. Bytes the decoder does not know execute as #UD
 * (over-long instructions as #GP(0)), as on hardware.
 */
import { OPCODE_TABLE } from '../isa/opcodeTable';
import { OpKind, type DecodedInsn } from '../isa/results';
import { compileBinary, compileUnary } from './ops/alu';
import type { Compiler, Ctx, Exec } from './ops/context';
import {
  compileCmov,
  compileExtend,
  compileLahfSahf,
  compileLea,
  compileMov,
  compileAccExtend,
  compileSetcc,
  compileSignFill,
  compileXchg,
} from './ops/data';
import {
  compileJcc,
  compileJump,
  compileLeave,
  compileLoop,
  compilePop,
  compilePopf,
  compilePush,
  compilePushf,
  compileRet,
} from './ops/control';
import { compileMulDiv } from './ops/muldiv';
import { compileShift } from './ops/shift';
import { compileString } from './ops/string';
import {
  compileFlagOp,
  compileIntercepted,
  compileIo,
  compileIret,
  compileLtr,
  compileMovCr,
  compileMovSeg,
  compileNop,
  compileRdtsc,
  compileTableLoad,
  compileTrap,
} from './ops/system';
import { GuestFault } from './signals';
import { VECTOR } from './state';
import type { Vcpu } from './vcpu';

/** A compiled instruction, linked to its successors once they are known. */
export interface Op {
  rip: number;
  length: number;
  nextRip: number;
  exec: Exec;
  /** The instruction that follows in memory (linked by the run loop). */
  next: Op | null;
  /** The last taken-branch target (validated against RIP before use). */
  taken: Op | null;
  insn: DecodedInsn;
}

/** MOV has three families: general, segment registers, control registers. */
const compileMovAny: Compiler = (c) => {
  const kinds = c.insn.operands.map((o) => o.kind);
  if (kinds.includes(OpKind.SReg)) return compileMovSeg(c);
  if (kinds.includes(OpKind.CReg)) return compileMovCr(c);
  return compileMov(c);
};

const byPrefix = (prefix: string, compiler: Compiler): [string, Compiler][] =>
  [...new Set(OPCODE_TABLE.map((r) => r.mnemonic))]
    .filter((m) => m.startsWith(prefix))
    .map((m) => [m, compiler]);

/** Every mnemonic → the family that executes it. */
export const SEMANTICS: Readonly<Record<string, Compiler>> = Object.freeze({
  mov: compileMovAny,
  movzx: compileExtend,
  movsx: compileExtend,
  movsxd: compileExtend,
  lea: compileLea,
  xchg: compileXchg,
  push: compilePush,
  pop: compilePop,
  pushfq: compilePushf,
  popfq: compilePopf,
  leave: compileLeave,
  cbw: compileAccExtend,
  cwde: compileAccExtend,
  cdqe: compileAccExtend,
  cwd: compileSignFill,
  cdq: compileSignFill,
  cqo: compileSignFill,
  lahf: compileLahfSahf,
  sahf: compileLahfSahf,
  add: compileBinary,
  or: compileBinary,
  adc: compileBinary,
  sbb: compileBinary,
  and: compileBinary,
  sub: compileBinary,
  xor: compileBinary,
  cmp: compileBinary,
  test: compileBinary,
  inc: compileUnary,
  dec: compileUnary,
  not: compileUnary,
  neg: compileUnary,
  mul: compileMulDiv,
  imul: compileMulDiv,
  div: compileMulDiv,
  idiv: compileMulDiv,
  rol: compileShift,
  ror: compileShift,
  rcl: compileShift,
  rcr: compileShift,
  shl: compileShift,
  shr: compileShift,
  sar: compileShift,
  jmp: compileJump,
  call: compileJump,
  ret: compileRet,
  loop: compileLoop,
  loope: compileLoop,
  loopne: compileLoop,
  jrcxz: compileLoop,
  ...Object.fromEntries(byPrefix('j', compileJcc).filter(([m]) => m !== 'jmp' && m !== 'jrcxz')),
  ...Object.fromEntries(byPrefix('set', compileSetcc)),
  ...Object.fromEntries(byPrefix('cmov', compileCmov)),
  int3: compileTrap,
  int: compileTrap,
  ud2: compileTrap,
  iretd: compileIret,
  iretq: compileIret,
  clc: compileFlagOp,
  stc: compileFlagOp,
  cmc: compileFlagOp,
  cld: compileFlagOp,
  std: compileFlagOp,
  cli: compileFlagOp,
  sti: compileFlagOp,
  // Exactly movsb/movsw/movsd/movsq etc. (a prefix match would catch movsx/movsxd).
  ...Object.fromEntries(
    ['movs', 'stos', 'lods', 'cmps', 'scas'].flatMap((p) =>
      ['b', 'w', 'd', 'q'].map((sz): [string, Compiler] => [p + sz, compileString]),
    ),
  ),
  ...Object.fromEntries(
    ['ins', 'outs'].flatMap((p) =>
      ['b', 'w', 'd'].map((sz): [string, Compiler] => [p + sz, compileIo]),
    ),
  ),
  in: compileIo,
  out: compileIo,
  nop: compileNop,
  pause: compileNop,
  hlt: compileIntercepted,
  cpuid: compileIntercepted,
  rdmsr: compileIntercepted,
  wrmsr: compileIntercepted,
  vmcall: compileIntercepted,
  vmmcall: compileIntercepted,
  rdtsc: compileRdtsc,
  lgdt: compileTableLoad,
  lidt: compileTableLoad,
  ltr: compileLtr,
});

/** Compile `insn`, decoded at `rip`. */
export function compileInsn(v: Vcpu, insn: DecodedInsn, rip: number): Op {
  const length = insn.ok ? insn.length : 1;
  const op: Op = {
    rip,
    length,
    nextRip: rip + length,
    exec: () => 0,
    next: null,
    taken: null,
    insn,
  };
  if (!insn.ok) {
    const vector = insn.error === 'tooLong' ? VECTOR.GP : VECTOR.UD;
    const code = vector === VECTOR.GP ? 0 : undefined;
    op.exec = () => {
      throw new GuestFault(vector, code);
    };
    return op;
  }
  const ctx: Ctx = { v, s: v.state, insn, rip, next: rip + insn.length };
  const compiler = SEMANTICS[insn.mnemonic];
  op.exec = compiler
    ? compiler(ctx)
    : () => {
        throw new GuestFault(VECTOR.UD, undefined);
      };
  return op;
}
