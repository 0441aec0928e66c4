/**
 * Which arithmetic flags each generated instruction reads, defines and leaves
 * UNDEFINED, per the Intel SDM Vol. 2 "Flags Affected" sections (checked
 * against the AMD APM Vol. 3 where the two differ; anything either manual
 * leaves undefined is undefined here).
 *
 * The random program generator (./generator.ts) tracks flag definedness with
 * these rules so that (a) no instruction ever READS an undefined flag, and
 * (b) the differential test compares, at the end, only the flags that are
 * defined. The six arithmetic flags are CF PF AF ZF SF OF (mask 0x8d5).
 *
 * An effect is {reads, defines, undefines}: after the instruction, flags in
 * `defines` hold architecturally defined values, flags in `undefines` hold
 * undefined ones, every other flag keeps its previous state.
 */

export const CF = 0x001;
export const PF = 0x004;
export const AF = 0x010;
export const ZF = 0x040;
export const SF = 0x080;
export const OF = 0x800;
/** The six arithmetic status flags. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF; // 0x8d5
export const NO_FLAGS = 0;

export interface FlagEffect {
  /** Flags whose value the instruction consumes (must be defined before it). */
  reads: number;
  /** Flags the instruction sets to defined values. */
  defines: number;
  /** Flags the instruction leaves undefined. */
  undefines: number;
}

const eff = (reads: number, defines: number, undefines = 0): FlagEffect => ({
  reads,
  defines,
  undefines,
});
const NONE = eff(0, 0);

/**
 * Instructions whose flag effect does not depend on operands. (Shifts and
 * rotates depend on the count: see {@link shiftEffect}.)
 */
export const FLAG_RULES = {
  // SDM ADD/SUB/CMP: "The OF, SF, ZF, AF, CF, and PF flags are set according to the result."
  add: eff(0, ARITH_FLAGS),
  sub: eff(0, ARITH_FLAGS),
  cmp: eff(0, ARITH_FLAGS),
  // SDM ADC/SBB: same, and they read CF (DEST + SRC + CF).
  adc: eff(CF, ARITH_FLAGS),
  sbb: eff(CF, ARITH_FLAGS),
  // SDM NEG: "The CF flag set to 0 if the source operand is 0; otherwise it is set to 1.
  // The OF, SF, ZF, AF, and PF flags are set according to the result."
  neg: eff(0, ARITH_FLAGS),
  // SDM AND/OR/XOR/TEST: "The OF and CF flags are cleared; the SF, ZF, and PF flags are set
  // according to the result. The state of the AF flag is undefined."
  and: eff(0, CF | OF | SF | ZF | PF, AF),
  or: eff(0, CF | OF | SF | ZF | PF, AF),
  xor: eff(0, CF | OF | SF | ZF | PF, AF),
  test: eff(0, CF | OF | SF | ZF | PF, AF),
  // SDM INC/DEC: "The CF flag is not affected. The OF, SF, ZF, AF, and PF flags are set
  // according to the result."
  inc: eff(0, OF | SF | ZF | AF | PF),
  dec: eff(0, OF | SF | ZF | AF | PF),
  // SDM NOT: "None."
  not: NONE,
  // SDM MUL: "The OF and CF flags are set to 0 if the upper half of the result is 0; otherwise,
  // they are set to 1. The SF, ZF, AF, and PF flags are undefined."
  mul: eff(0, CF | OF, SF | ZF | AF | PF),
  // SDM IMUL (all three forms): CF and OF set when significant bits are lost/carried into
  // the upper half; "The SF, ZF, AF, and PF flags are undefined."
  imul: eff(0, CF | OF, SF | ZF | AF | PF),
  // SDM DIV/IDIV: "The CF, OF, SF, ZF, AF, and PF flags are undefined."
  div: eff(0, 0, ARITH_FLAGS),
  idiv: eff(0, 0, ARITH_FLAGS),
  // SDM CLC/STC: "The CF flag is cleared/set. The OF, ZF, SF, AF, and PF flags are unaffected."
  clc: eff(0, CF),
  stc: eff(0, CF),
  // SDM CMC: "The CF flag contains the complement of its original value."
  cmc: eff(CF, CF),
  // SDM SAHF: "The SF, ZF, AF, PF, and CF flags are loaded with values from the AH register."
  sahf: eff(0, SF | ZF | AF | PF | CF),
  // SDM LAHF: "None. The state of the flags in the EFLAGS register is not affected." It reads
  // SF:ZF:0:AF:0:PF:1:CF into AH.
  lahf: eff(SF | ZF | AF | PF | CF, 0),
  // SDM PUSHF: no flags affected; the whole RFLAGS image (all six) is stored.
  pushfq: eff(ARITH_FLAGS, 0),
  // SDM POPF: all non-reserved flags are loaded from the stack (CPL 0: IF and IOPL too).
  popfq: eff(0, ARITH_FLAGS),
  // SDM CMPS/SCAS: "The CF, OF, SF, ZF, AF, and PF flags are set according to the temporary
  // result of the comparison." (With REP and RCX = 0 nothing runs: the generator never does that.)
  cmps: eff(0, ARITH_FLAGS),
  scas: eff(0, ARITH_FLAGS),
  // No flags affected (SDM "Flags Affected: None" for each): data movement, stack, control.
  mov: NONE,
  movzx: NONE,
  movsx: NONE,
  movsxd: NONE,
  lea: NONE,
  xchg: NONE,
  push: NONE,
  pop: NONE,
  call: NONE,
  ret: NONE,
  jmp: NONE,
  loop: NONE,
  jrcxz: NONE,
  cbw: NONE,
  cwde: NONE,
  cdqe: NONE,
  cwd: NONE,
  cdq: NONE,
  cqo: NONE,
  movs: NONE,
  stos: NONE,
  lods: NONE,
  // SDM CLD/STD: only DF (not one of the six compared flags).
  cld: NONE,
  std: NONE,
} as const satisfies Record<string, FlagEffect>;

export type FlagRuleName = keyof typeof FLAG_RULES;

/** The flags a condition code reads (Jcc, SETcc, CMOVcc; SDM Vol. 1 Table B-1). */
export const CONDITION_READS: Readonly<Record<string, number>> = {
  o: OF, no: OF,
  b: CF, ae: CF,
  e: ZF, ne: ZF,
  be: CF | ZF, a: CF | ZF,
  s: SF, ns: SF,
  p: PF, np: PF,
  l: SF | OF, ge: SF | OF,
  le: ZF | SF | OF, g: ZF | SF | OF,
}; // prettier-ignore

/** One spelling per condition, in encoding order (0–15). */
export const CONDITIONS = [
  'o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g',
] as const; // prettier-ignore

/** Jcc / SETcc / CMOVcc: reads the condition's flags, writes none. */
export function conditionEffect(cc: string): FlagEffect {
  const reads = CONDITION_READS[cc];
  if (reads === undefined) throw new Error(`unknown condition ${cc}`);
  return eff(reads, 0);
}

/** LOOPE/LOOPNE read ZF (SDM LOOP/LOOPcc: "Flags Affected: None"). */
export const LOOPCC_EFFECT = eff(ZF, 0);

export type ShiftOp = 'shl' | 'shr' | 'sar' | 'rol' | 'ror' | 'rcl' | 'rcr';

/**
 * Flag effect of a shift or rotate by a KNOWN count (`count` is the raw
 * 1 / CL / imm8 value, 0–255; the CPU masks it to 5 bits, 6 with REX.W).
 *
 * SDM SAL/SAR/SHL/SHR: "The CF flag contains the value of the last bit shifted out of the
 * destination operand; it is undefined for SHL and SHR instructions where the count is
 * greater than or equal to the size (in bits) of the destination operand. The OF flag is
 * affected only for 1-bit shifts; otherwise, it is undefined. The SF, ZF, and PF flags are
 * set according to the result. If the count is 0, the flags are not affected. For a
 * non-zero count, the AF flag is undefined."
 *   (SAR with count >= size shifts out copies of the sign bit: CF stays defined.)
 *
 * SDM RCL/RCR/ROL/ROR: "If the masked count is 0, the flags are not affected. If the masked
 * count is 1, then the OF flag is affected, otherwise (masked count is greater than 1) the
 * OF flag is undefined. The CF flag is affected when the masked count is non-zero. The SF,
 * ZF, AF, and PF flags are always unaffected."
 *   (RCL/RCR also READ CF; the generator requires CF defined for them whatever the count.
 *   For a masked count that is a multiple of 9 / 17 (8- / 16-bit RCL/RCR) CF keeps its
 *   value; ROL/ROR by a multiple of the size still sets CF from the result. Checked on
 *   AMD hardware under KVM against the SDM pseudocode.)
 */
export function shiftEffect(op: ShiftOp, size: 8 | 16 | 32 | 64, count: number): FlagEffect {
  const masked = count & (size === 64 ? 0x3f : 0x1f);
  const reads = op === 'rcl' || op === 'rcr' ? CF : 0;
  if (masked === 0) return eff(reads, 0);
  const ofDefined = masked === 1;
  if (op === 'rol' || op === 'ror' || op === 'rcl' || op === 'rcr') {
    return ofDefined ? eff(reads, CF | OF) : eff(reads, CF, OF);
  }
  let defines = SF | ZF | PF;
  let undefines = AF;
  if (ofDefined) defines |= OF;
  else undefines |= OF;
  if ((op === 'shl' || op === 'shr') && masked >= size) undefines |= CF;
  else defines |= CF;
  return eff(reads, defines, undefines);
}

/**
 * Flag definedness as a transfer function of the (unknown) state at the start
 * of a block: `defined(after) = (defined(before) & keep) | def`. Sequencing
 * and merging (at a join point) both keep this shape, so subroutines can be
 * summarised once and applied at each call site.
 */
export interface FlagFn {
  keep: number;
  def: number;
}

export const IDENTITY: FlagFn = { keep: ARITH_FLAGS, def: 0 };

/** The state after applying `e` to `f`. */
export function applyEffect(f: FlagFn, e: FlagEffect): FlagFn {
  const touched = e.defines | e.undefines;
  return { keep: f.keep & ~touched, def: (f.def & ~touched) | e.defines };
}

/** `g` after `f`. */
export function compose(f: FlagFn, g: FlagFn): FlagFn {
  return { keep: f.keep & g.keep, def: (f.def & g.keep) | g.def };
}

/** The state at a join point of two paths (defined on both). */
export function merge(a: FlagFn, b: FlagFn): FlagFn {
  return {
    keep: (a.keep & b.keep) | (a.keep & b.def) | (a.def & b.keep),
    def: a.def & b.def,
  };
}

/** Evaluate: which flags are defined given those defined at the block start. */
export function definedGiven(f: FlagFn, atStart: number): number {
  return (atStart & f.keep) | f.def;
}

/** Does state `a` guarantee at least everything `b` guarantees, for any start? */
export function covers(a: FlagFn, b: FlagFn): boolean {
  return (b.def & ~a.def) === 0 && (b.keep & ~(a.keep | a.def)) === 0;
}
