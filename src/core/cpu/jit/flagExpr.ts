/**
 * Flag fusion for the block compiler: JS expressions for CF, ZF, SF, OF, PF
 * and the 16 condition codes, computed straight from the locals of the
 * flag-setting instruction earlier in the same block (its `Producer`)
 * instead of from the lazy-flag fields of CpuState.
 *
 * Every expression here is the formula of the matching getter in
 * ../flags.ts, specialised for a kind and size known at compile time
 * (tests/cpu/jit.test.ts checks each one against the getters). The lazy
 * fields themselves are still stored by the block where the interpreter
 * would leave them; fusion only saves reading them back.
 *
 * Inputs are local variable names or numeric literals, never guest text.
 */
import { LOP } from '../state';

/**
 * What the block compiler knows about the last flag-setting instruction:
 * its lazy-flag kind and size, and the JS names of the values it recorded
 * (`a`/`b`/`r` and their high halves for 64-bit, `cf` for ADC/SBB/INC/DEC,
 * `flags` for EAGER). Unused names are ''.
 */
export interface Producer {
  kind: number;
  size: number;
  a: string;
  b: string;
  r: string;
  ah: string;
  bh: string;
  rh: string;
  cf: string;
  flags: string;
}

/** A producer with every name empty (fill in what the kind uses). */
export function producer(kind: number, size: number, fields: Partial<Producer>): Producer {
  return { a: '', b: '', r: '', ah: '', bh: '', rh: '', cf: '', flags: '', ...fields, kind, size };
}

/** Bit `i` of an int32 expression as 0/1. */
const bitOf = (x: string, i: number): string => `((${x} >>> ${i}) & 1)`;

/** CF as a 0/1 expression (getCF). */
export function cfExpr(p: Producer): string {
  const wide = p.size === 64;
  switch (p.kind) {
    case LOP.ADD:
      return wide
        ? `((${p.rh} >>> 0) < (${p.ah} >>> 0) || ((${p.rh} >>> 0) === (${p.ah} >>> 0) && (${p.r} >>> 0) < (${p.a} >>> 0)) ? 1 : 0)`
        : `((${p.r} >>> 0) < (${p.a} >>> 0) ? 1 : 0)`;
    case LOP.SUB:
      return wide
        ? `((${p.ah} >>> 0) < (${p.bh} >>> 0) || ((${p.ah} >>> 0) === (${p.bh} >>> 0) && (${p.a} >>> 0) < (${p.b} >>> 0)) ? 1 : 0)`
        : `((${p.a} >>> 0) < (${p.b} >>> 0) ? 1 : 0)`;
    case LOP.LOGIC:
      return '0';
    case LOP.NEG:
      return wide ? `(${p.r} !== 0 || ${p.rh} !== 0 ? 1 : 0)` : `(${p.r} !== 0 ? 1 : 0)`;
    case LOP.EAGER:
      return `(${p.flags} & 1)`;
    default:
      return p.cf;
  }
}

/** ZF as a 0/1 expression (getZF). */
export function zfExpr(p: Producer): string {
  if (p.kind === LOP.EAGER) return `((${p.flags} >> 6) & 1)`;
  return p.size === 64 ? `(${p.r} === 0 && ${p.rh} === 0 ? 1 : 0)` : `(${p.r} === 0 ? 1 : 0)`;
}

/** SF as a 0/1 expression (getSF). */
export function sfExpr(p: Producer): string {
  if (p.kind === LOP.EAGER) return `((${p.flags} >> 7) & 1)`;
  return p.size === 64 ? `(${p.rh} >>> 31)` : bitOf(p.r, p.size - 1);
}

/** PF as a 0/1 expression (getPF); needs the PARITY table in scope. */
export function pfExpr(p: Producer): string {
  if (p.kind === LOP.EAGER) return `((${p.flags} >> 2) & 1)`;
  return `PARITY[${p.r} & 255]`;
}

/** OF as a 0/1 expression (getOF). */
export function ofExpr(p: Producer): string {
  const wide = p.size === 64;
  const [a, b, r] = wide ? [p.ah, p.bh, p.rh] : [p.a, p.b, p.r];
  const top = wide ? 31 : p.size - 1;
  switch (p.kind) {
    case LOP.EAGER:
      return `((${p.flags} >> 11) & 1)`;
    case LOP.LOGIC:
      return '0';
    case LOP.ADD:
    case LOP.ADC:
    case LOP.INC:
      return bitOf(`((${a} ^ ${r}) & (${b} ^ ${r}))`, top);
    case LOP.SUB:
    case LOP.SBB:
    case LOP.DEC:
      return bitOf(`((${a} ^ ${b}) & (${a} ^ ${r}))`, top);
    case LOP.NEG:
      return wide
        ? `(${p.rh} === -2147483648 && ${p.r} === 0 ? 1 : 0)`
        : `(${p.r} === ${p.size === 32 ? -2147483648 : 1 << (p.size - 1)} ? 1 : 0)`;
    default:
      return '0';
  }
}

/** A `size`-bit value (zero-extended int32) sign-extended to int32. */
function signed(x: string, size: number): string {
  return size === 32 ? `(${x} | 0)` : `((${x} << ${32 - size}) >> ${32 - size})`;
}

/**
 * Condition `cc` (0–15, SDM Vol. 1 Table B-1) as a boolean expression
 * (testCondition). SUB (CMP/SUB) and LOGIC (TEST/AND/OR/XOR) producers get
 * direct comparisons; everything else combines the flag expressions.
 */
export function conditionExpr(p: Producer, cc: number): string {
  const neg = (cc & 1) === 1;
  const direct = directCondition(p, cc & ~1);
  if (direct !== null) return neg ? `!(${direct})` : `(${direct})`;
  let e: string;
  switch (cc >> 1) {
    case 0:
      e = ofExpr(p);
      break;
    case 1:
      e = cfExpr(p);
      break;
    case 2:
      e = zfExpr(p);
      break;
    case 3:
      e = `(${cfExpr(p)} | ${zfExpr(p)})`;
      break;
    case 4:
      e = sfExpr(p);
      break;
    case 5:
      e = pfExpr(p);
      break;
    case 6:
      e = `(${sfExpr(p)} ^ ${ofExpr(p)})`;
      break;
    default:
      e = `((${sfExpr(p)} ^ ${ofExpr(p)}) | ${zfExpr(p)})`;
  }
  return neg ? `(${e} === 0)` : `(${e} !== 0)`;
}

/** The positive form (even cc) of a condition as a comparison, or null. */
function directCondition(p: Producer, cc: number): string | null {
  const wide = p.size === 64;
  if (cc === 4 && p.kind !== LOP.EAGER) {
    // E: the result is zero.
    return wide ? `(${p.r} | ${p.rh}) === 0` : `${p.r} === 0`;
  }
  if (p.kind === LOP.SUB) {
    // r = a - b: the unsigned and signed orders of a and b.
    const { a, b, ah, bh } = p;
    if (wide) {
      const ult = `(${ah} >>> 0) < (${bh} >>> 0) || (${ah} === ${bh} && (${a} >>> 0) < (${b} >>> 0))`;
      const ule = `(${ah} >>> 0) < (${bh} >>> 0) || (${ah} === ${bh} && (${a} >>> 0) <= (${b} >>> 0))`;
      const slt = `${ah} < ${bh} || (${ah} === ${bh} && (${a} >>> 0) < (${b} >>> 0))`;
      const sle = `${ah} < ${bh} || (${ah} === ${bh} && (${a} >>> 0) <= (${b} >>> 0))`;
      return cc === 2 ? ult : cc === 6 ? ule : cc === 12 ? slt : cc === 14 ? sle : null;
    }
    const ua = `(${a} >>> 0)`;
    const ub = `(${b} >>> 0)`;
    const sa = signed(a, p.size);
    const sb = signed(b, p.size);
    switch (cc) {
      case 2:
        return `${ua} < ${ub}`;
      case 6:
        return `${ua} <= ${ub}`;
      case 12:
        return `${sa} < ${sb}`;
      case 14:
        return `${sa} <= ${sb}`;
      default:
        return null;
    }
  }
  if (p.kind === LOP.LOGIC) {
    // CF = OF = 0.
    const zero = wide ? `(${p.r} | ${p.rh}) === 0` : `${p.r} === 0`;
    const sign = wide ? `${p.rh} < 0` : `${bitOf(p.r, p.size - 1)} !== 0`;
    switch (cc) {
      case 0:
      case 2:
        return 'false';
      case 6:
        return zero;
      case 12:
        return sign;
      case 14:
        return `${zero} || ${sign}`;
      default:
        return null;
    }
  }
  return null;
}
