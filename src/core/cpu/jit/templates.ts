/**
 * Per-family code templates of the block compiler. Each `emit*` function
 * either writes the JS for the current instruction of a BlockGen and
 * returns true, or returns false before writing anything (the instruction
 * then runs through its interpreter `exec()` closure).
 *
 * Each template is the interpreter's semantic function (ops/*.ts) written
 * out for operands known at compile time: same arithmetic, same order of
 * reads, lazy-flag records and writes (so a fault or MMIO exit midway leaves
 * the same state), same lazy-flag fields.
 */
import { CONDITIONS } from '../../isa/conditions';
import { OpKind, type DecodedOperand } from '../../isa/results';
import { ARITH_FLAGS, LOP } from '../state';
import { BlockGen, TWO32, lit, plainOperand, type Val } from './codegen';

const CANON = 2 ** 47;

/** Condition number of a jcc/setcc/cmovcc mnemonic (ops/data.ts conditionOf). */
function conditionOf(mnemonic: string, prefix: string): number {
  const cc = mnemonic.slice(prefix.length);
  return CONDITIONS.findIndex((names) => names.includes(cc));
}

const maskOf = (size: number): number => (size === 8 ? 0xff : size === 16 ? 0xffff : -1);

// ── ALU ────────────────────────────────────────────────────────────────

const BINARY: Record<string, [kind: number, writes: boolean]> = {
  add: [LOP.ADD, true],
  adc: [LOP.ADC, true],
  sub: [LOP.SUB, true],
  sbb: [LOP.SBB, true],
  cmp: [LOP.SUB, false],
  and: [LOP.LOGIC, true],
  or: [LOP.LOGIC, true],
  xor: [LOP.LOGIC, true],
  test: [LOP.LOGIC, false],
};

const LOGIC_OP: Record<string, string> = { and: '&', or: '|', xor: '^', test: '&' };

/** ADD/ADC/SUB/SBB/CMP/AND/OR/XOR/TEST (ops/alu.ts compileBinary). */
export function emitBinary(g: BlockGen): boolean {
  const insn = g.insn;
  const entry = BINARY[insn.mnemonic];
  if (!entry) return false;
  const [kind, writes] = entry;
  const [d0, s0] = insn.operands;
  if (!plainOperand(d0) || !plainOperand(s0) || d0.kind === OpKind.Imm) return false;
  const size = insn.opSize;
  const m = insn.mnemonic;
  const de = d0.kind === OpKind.Mem ? g.ea(d0) : '';
  const a = g.read(d0, size, de);
  const se = s0.kind === OpKind.Mem ? g.ea(s0) : '';
  const b = g.read(s0, size, se);
  const cin = m === 'adc' || m === 'sbb' ? g.carry() : '';
  let r: Val;
  let cf = '';
  if (size === 64) {
    switch (m) {
      case 'add': {
        const lo = g.bind('s', `(${a.lo} >>> 0) + (${b.lo} >>> 0)`);
        r = {
          lo: g.bind('r', `${lo} | 0`),
          hi: g.bind('rh', `(${a.hi} + ${b.hi} + (${lo} >= ${TWO32} ? 1 : 0)) | 0`),
        };
        break;
      }
      case 'adc': {
        const lo = g.bind('s', `(${a.lo} >>> 0) + (${b.lo} >>> 0) + ${cin}`);
        const hi = g.bind('sh', `(${a.hi} >>> 0) + (${b.hi} >>> 0) + (${lo} >= ${TWO32} ? 1 : 0)`);
        cf = g.bind('co', `${hi} >= ${TWO32} ? 1 : 0`);
        r = { lo: g.bind('r', `${lo} | 0`), hi: g.bind('rh', `${hi} | 0`) };
        break;
      }
      case 'sub':
      case 'cmp': {
        const lo = g.bind('s', `(${a.lo} >>> 0) - (${b.lo} >>> 0)`);
        r = {
          lo: g.bind('r', `${lo} | 0`),
          hi: g.bind('rh', `(${a.hi} - ${b.hi} - (${lo} < 0 ? 1 : 0)) | 0`),
        };
        break;
      }
      case 'sbb': {
        const lo = g.bind('s', `(${a.lo} >>> 0) - (${b.lo} >>> 0) - ${cin}`);
        const hi = g.bind('sh', `(${a.hi} >>> 0) - (${b.hi} >>> 0) - (${lo} < 0 ? 1 : 0)`);
        cf = g.bind('co', `${hi} < 0 ? 1 : 0`);
        r = { lo: g.bind('r', `${lo} | 0`), hi: g.bind('rh', `${hi} | 0`) };
        break;
      }
      default: {
        const o = LOGIC_OP[m];
        r = {
          lo: g.bind('r', `${a.lo} ${o} ${b.lo}`),
          hi: g.bind('rh', `${a.hi} ${o} ${b.hi}`),
        };
      }
    }
    g.record64(kind, a, b, r, cf);
  } else {
    const mk = lit(maskOf(size));
    switch (m) {
      case 'add':
        r = { lo: g.bind('r', `(${a.lo} + ${b.lo}) & ${mk}`), hi: '0' };
        break;
      case 'sub':
      case 'cmp':
        r = { lo: g.bind('r', `(${a.lo} - ${b.lo}) & ${mk}`), hi: '0' };
        break;
      case 'adc': {
        const sum = g.bind('s', `((${a.lo} & ${mk}) >>> 0) + ((${b.lo} & ${mk}) >>> 0) + ${cin}`);
        cf = g.bind('co', `${sum} > ${maskOf(size) >>> 0} ? 1 : 0`);
        r = { lo: g.bind('r', `${sum} & ${mk}`), hi: '0' };
        break;
      }
      case 'sbb':
        cf = g.bind('co', `((${a.lo} & ${mk}) >>> 0) < ((${b.lo} & ${mk}) >>> 0) + ${cin} ? 1 : 0`);
        r = { lo: g.bind('r', `(${a.lo} - ${b.lo} - ${cin}) & ${mk}`), hi: '0' };
        break;
      default:
        r = { lo: g.bind('r', `${a.lo} ${LOGIC_OP[m]} ${b.lo}`), hi: '0' };
    }
    g.record(kind, size, a.lo, b.lo, r.lo, cf);
  }
  if (writes) g.write(d0, size, r, de);
  return true;
}

/** INC, DEC (CF kept), NEG, NOT (ops/alu.ts compileUnary). */
export function emitUnary(g: BlockGen): boolean {
  const insn = g.insn;
  const m = insn.mnemonic;
  if (m !== 'inc' && m !== 'dec' && m !== 'neg' && m !== 'not') return false;
  const d0 = insn.operands[0];
  if (d0.kind !== OpKind.Reg && d0.kind !== OpKind.Mem) return false;
  const size = insn.opSize;
  const mk = lit(maskOf(size));
  const de = d0.kind === OpKind.Mem ? g.ea(d0) : '';
  const a = g.read(d0, size, de);
  let r: Val;
  if (m === 'inc' || m === 'dec') {
    const kind = m === 'dec' ? LOP.DEC : LOP.INC;
    const cf = g.carry();
    const delta = m === 'dec' ? '- 1' : '+ 1';
    if (size === 64) {
      const lo = g.bind('s', `(${a.lo} >>> 0) ${delta}`);
      const c = g.bind('c', `${lo} >= ${TWO32} ? 1 : ${lo} < 0 ? -1 : 0`);
      r = { lo: g.bind('r', `${lo} | 0`), hi: g.bind('rh', `(${a.hi} + ${c}) | 0`) };
      g.record64(kind, a, { lo: '1', hi: '0' }, r, cf);
    } else {
      r = { lo: g.bind('r', `(${a.lo} ${delta}) & ${mk}`), hi: '0' };
      g.record(kind, size, a.lo, '1', r.lo, cf);
    }
  } else if (m === 'neg') {
    if (size === 64) {
      const lo = g.bind('s', `-(${a.lo} >>> 0)`);
      r = {
        lo: g.bind('r', `${lo} | 0`),
        hi: g.bind('rh', `(~${a.hi} + (${lo} === 0 ? 1 : 0)) | 0`),
      };
      g.record64(LOP.NEG, { lo: '0', hi: '0' }, a, r);
    } else {
      r = { lo: g.bind('r', `-${a.lo} & ${mk}`), hi: '0' };
      g.record(LOP.NEG, size, '0', a.lo, r.lo);
    }
  } else if (size === 64) {
    r = { lo: g.bind('r', `~${a.lo}`), hi: g.bind('rh', `~${a.hi}`) };
  } else {
    r = { lo: g.bind('r', `~${a.lo} & ${mk}`), hi: '0' };
  }
  g.write(d0, size, r, de);
  return true;
}

/**
 * The destination and masked immediate count of a 32/64-bit shift or
 * rotate: null when no template applies (let exec() run it), 'done' when
 * the count is 0 — flags untouched, but the operand is read (and may
 * fault) and a 32-bit register is still written (upper half cleared).
 */
function countedOperand(
  g: BlockGen,
): { size: number; d0: DecodedOperand; n: number; de: string } | 'done' | null {
  const insn = g.insn;
  const size = insn.opSize;
  const [d0, c0] = insn.operands;
  if (size < 32 || c0.kind !== OpKind.Imm) return null;
  if (d0.kind !== OpKind.Reg && d0.kind !== OpKind.Mem) return null;
  const n = c0.immLo & 0xff & (size === 64 ? 63 : 31);
  const de = d0.kind === OpKind.Mem ? g.ea(d0) : '';
  if (n === 0) {
    if (d0.kind === OpKind.Mem) g.read(d0, size, de);
    else if (size === 32) g.emit(`RH[${d0.reg}] = 0;`);
    return 'done';
  }
  return { size, d0, n, de };
}

/** SHL/SAL, SHR, SAR by an immediate count, 32 and 64 bits (ops/shift.ts). */
export function emitShiftImm(g: BlockGen): boolean {
  const insn = g.insn;
  const m = insn.mnemonic;
  if (m !== 'shl' && m !== 'shr' && m !== 'sar') return false;
  const op = countedOperand(g);
  if (op === null) return false;
  if (op === 'done') return true;
  const { size, d0, n, de } = op;
  const x = g.read(d0, size, de);
  let r: Val;
  let cf: string;
  let of: string;
  if (size === 32) {
    if (m === 'shl') {
      r = { lo: g.bind('r', `${x.lo} << ${n}`), hi: '0' };
      cf = `((${x.lo} >>> ${32 - n}) & 1)`;
      of = `(((${r.lo} >>> 31) & 1) ^ ${cf})`;
    } else if (m === 'shr') {
      r = { lo: g.bind('r', `(${x.lo} >>> ${n}) | 0`), hi: '0' };
      cf = `((${x.lo} >>> ${n - 1}) & 1)`;
      of = `((${x.lo} >>> 31) & 1)`;
    } else {
      r = { lo: g.bind('r', `${x.lo} >> ${n}`), hi: '0' };
      cf = `((${x.lo} >>> ${n - 1}) & 1)`;
      of = '0';
    }
  } else {
    const bit = (v: Val, i: number): string =>
      i >= 32 ? `((${v.hi} >>> ${i - 32}) & 1)` : `((${v.lo} >>> ${i}) & 1)`;
    if (m === 'shl') {
      r =
        n >= 32
          ? { lo: '0', hi: g.bind('rh', `(${x.lo} << ${n - 32}) | 0`) }
          : {
              lo: g.bind('r', `(${x.lo} << ${n}) | 0`),
              hi: g.bind('rh', `(${x.hi} << ${n}) | (${x.lo} >>> ${32 - n}) | 0`),
            };
      cf = bit(x, 64 - n);
      of = `((${r.hi} >>> 31) ^ ${cf})`;
    } else if (m === 'shr') {
      r =
        n >= 32
          ? { lo: g.bind('r', `(${x.hi} >>> ${n - 32}) | 0`), hi: '0' }
          : {
              lo: g.bind('r', `(${x.lo} >>> ${n}) | (${x.hi} << ${32 - n}) | 0`),
              hi: g.bind('rh', `(${x.hi} >>> ${n}) | 0`),
            };
      cf = bit(x, n - 1);
      of = `(${x.hi} >>> 31)`;
    } else {
      r =
        n >= 32
          ? {
              lo: g.bind('r', `${x.hi} >> ${Math.min(n - 32, 31)}`),
              hi: g.bind('rh', `${x.hi} >> 31`),
            }
          : {
              lo: g.bind('r', `(${x.lo} >>> ${n}) | (${x.hi} << ${32 - n}) | 0`),
              hi: g.bind('rh', `${x.hi} >> ${n}`),
            };
      cf = bit(x, Math.min(n - 1, 63));
      of = '0';
    }
  }
  // The result is written first, then the flags (ops/shift.ts order).
  g.write(d0, size, r, de);
  const zero = size === 64 ? `${r.lo} === 0 && ${r.hi} === 0` : `${r.lo} === 0`;
  const sign = size === 64 ? `${r.hi} < 0` : `(${r.lo} >>> 31) !== 0`;
  // flags.ts resultFlags | CF | OF, masked as setArithFlags does.
  const bits = g.bind(
    'f',
    `((PARITY[${r.lo} & 255] << 2) | (${zero} ? 64 : 0) | (${sign} ? 128 : 0) | ${cf} | (${of} ? 2048 : 0)) & ${ARITH_FLAGS}`,
  );
  g.eager(bits);
  return true;
}

/**
 * ROL/ROR by an immediate count, 32 and 64 bits (ops/shift.ts): only CF and
 * OF change, so the other four flags are read back from CpuState first.
 */
export function emitRotateImm(g: BlockGen): boolean {
  const insn = g.insn;
  const m = insn.mnemonic;
  if (m !== 'rol' && m !== 'ror') return false;
  const op = countedOperand(g);
  if (op === null) return false;
  if (op === 'done') return true;
  const { size, d0, n, de } = op;
  const x = g.read(d0, size, de);
  // A left rotation by k is a right rotation by size - k.
  const left = m === 'rol' ? n : size - n;
  let r: Val;
  if (size === 32) {
    r = { lo: g.bind('r', `(${x.lo} << ${left}) | (${x.lo} >>> ${32 - left})`), hi: '0' };
  } else {
    // Rotate the 64-bit pair left by `left` (1–63): swap halves for 32 and up.
    const [lo, hi] = left >= 32 ? [x.hi, x.lo] : [x.lo, x.hi];
    const k = left % 32;
    r =
      k === 0
        ? { lo: g.bind('r', `${lo} | 0`), hi: g.bind('rh', `${hi} | 0`) }
        : {
            lo: g.bind('r', `(${lo} << ${k}) | (${hi} >>> ${32 - k})`),
            hi: g.bind('rh', `(${hi} << ${k}) | (${lo} >>> ${32 - k})`),
          };
  }
  const top = size === 64 ? `(${r.hi} >>> 31)` : `(${r.lo} >>> 31)`;
  const next = size === 64 ? `((${r.hi} >>> 30) & 1)` : `((${r.lo} >>> 30) & 1)`;
  const cf = m === 'rol' ? `(${r.lo} & 1)` : top;
  const of = m === 'rol' ? `(${top} ^ ${r.lo} & 1)` : `(${top} ^ ${next})`;
  g.write(d0, size, r, de);
  // ops/shift.ts applyFlags: keep PF/AF/ZF/SF, replace CF and OF.
  g.sync(true);
  const bits = g.bind(
    'f',
    `(getArithFlags(S) & ${ARITH_FLAGS & ~0x801}) | ${cf} | (${of} ? 2048 : 0)`,
  );
  g.eager(bits);
  return true;
}

/**
 * Two- and three-operand IMUL at 16 and 32 bits (ops/muldiv.ts): the
 * truncated product, CF = OF = (it differs from the full product), SF/ZF/PF
 * from the truncated result, AF cleared. (64-bit products stay in bigint.)
 */
export function emitImul(g: BlockGen): boolean {
  const insn = g.insn;
  const ops = insn.operands;
  const size = insn.opSize;
  if (ops.length < 2 || (size !== 16 && size !== 32) || ops[0].kind !== OpKind.Reg) return false;
  const src = ops.length === 3 ? ops[1] : ops[0];
  const immOp = ops.length === 3 ? ops[2] : ops[1].kind === OpKind.Imm ? ops[1] : null;
  const other = immOp ? null : ops[1];
  if (src.kind !== OpKind.Reg && src.kind !== OpKind.Mem) return false;
  if (other && other.kind !== OpKind.Reg && other.kind !== OpKind.Mem) return false;
  const sx = (v: string): string => (size === 32 ? `(${v} | 0)` : `((${v} << 16) >> 16)`);
  const ae = src.kind === OpKind.Mem ? g.ea(src) : '';
  const a = g.bind('x', sx(g.read(src, size, ae).lo));
  let b: string;
  if (immOp) {
    const v = immOp.immLo | 0;
    b = lit(size === 32 ? v : ((v & 0xffff) << 16) >> 16);
  } else {
    const be = other!.kind === OpKind.Mem ? g.ea(other!) : '';
    b = g.bind('y', sx(g.read(other!, size, be).lo));
  }
  // The double product is exact whenever it fits 32 bits (and far from it otherwise).
  const p = g.bind('p', `${a} * ${b}`);
  const t = g.bind('t', size === 32 ? `Math.imul(${a}, ${b})` : `(${p} << 16) >> 16`);
  g.regSet(ops[0].reg, size, { lo: size === 32 ? t : `(${t} & 65535)`, hi: '0' });
  const sign = size === 32 ? `${t} < 0` : `((${t} >>> 15) & 1) !== 0`;
  const zero = size === 32 ? `${t} === 0` : `(${t} & 65535) === 0`;
  const bits = g.bind(
    'f',
    `((PARITY[${t} & 255] << 2) | (${zero} ? 64 : 0) | (${sign} ? 128 : 0) | (${t} !== ${p} ? 2049 : 0)) & ${ARITH_FLAGS}`,
  );
  g.eager(bits);
  return true;
}

// ── data movement ────────────────────────────────────────────────────────

/** MOV between general registers, memory and immediates (ops/data.ts compileMov). */
export function emitMov(g: BlockGen): boolean {
  const insn = g.insn;
  const [d0, s0] = insn.operands;
  if (!plainOperand(d0) || !plainOperand(s0) || d0.kind === OpKind.Imm) return false;
  const size = insn.opSize;
  // The source is read first (it may fault), then the destination resolved.
  const se = s0.kind === OpKind.Mem ? g.ea(s0) : '';
  const v = g.read(s0, size, se);
  const de = d0.kind === OpKind.Mem ? g.ea(d0) : '';
  g.write(d0, size, v, de);
  return true;
}

/** MOVZX, MOVSX, MOVSXD (ops/data.ts compileExtend). */
export function emitExtend(g: BlockGen): boolean {
  const insn = g.insn;
  const [d0, s0] = insn.operands;
  if (d0.kind !== OpKind.Reg || (s0.kind !== OpKind.Reg && s0.kind !== OpKind.Mem)) return false;
  const size = insn.opSize;
  const from = s0.size;
  const signed = insn.mnemonic !== 'movzx';
  const se = s0.kind === OpKind.Mem ? g.ea(s0) : '';
  let x = g.read(s0, from, se).lo;
  if (signed) x = g.bind('x', `(${x} << ${32 - from}) >> ${32 - from}`);
  if (size === 64) g.regSet(d0.reg, 64, { lo: x, hi: signed ? `(${x} < 0 ? -1 : 0)` : '0' });
  else g.regSet(d0.reg, size, { lo: size === 16 ? `(${x} & 65535)` : x, hi: '0' });
  return true;
}

/** LEA without an FS/GS override (ops/data.ts compileLea). */
export function emitLea(g: BlockGen): boolean {
  const insn = g.insn;
  const [d0, s0] = insn.operands;
  if (d0.kind !== OpKind.Reg || s0.kind !== OpKind.Mem || insn.seg === 4 || insn.seg === 5)
    return false;
  const size = insn.opSize;
  let lo: string;
  let hi: string;
  if (s0.base === 16 || insn.addrSize === 32) {
    const a = g.ea(s0);
    lo = g.bind('r', `(${a} % ${TWO32}) | 0`);
    hi = size === 64 ? g.bind('rh', `Math.floor(${a} / ${TWO32}) | 0`) : '0';
  } else {
    const b = s0.base;
    const i = s0.index;
    const sc = s0.scale;
    const base = b >= 0 ? `(RL[${b}] >>> 0)` : '0';
    const index = i >= 0 ? `(RL[${i}] >>> 0) * ${sc}` : '0';
    const l = g.bind('l', `${base} + ${index} + ${lit(s0.disp)}`);
    const c = g.bind('c', `Math.floor(${l} / ${TWO32})`);
    lo = g.bind('r', `(${l} - ${c} * ${TWO32}) | 0`);
    const baseHi = b >= 0 ? `RH[${b}]` : '0';
    const indexHi = i >= 0 ? `RH[${i}] * ${sc}` : '0';
    hi = size === 64 ? g.bind('rh', `(${baseHi} + ${indexHi} + ${c}) | 0`) : '0';
  }
  g.regSet(d0.reg, size, { lo: size === 16 ? `(${lo} & 65535)` : lo, hi });
  return true;
}

/** XCHG of two registers (ops/data.ts compileXchg). */
export function emitXchg(g: BlockGen): boolean {
  const insn = g.insn;
  const [a0, b0] = insn.operands;
  if (a0.kind !== OpKind.Reg || b0.kind !== OpKind.Reg) return false;
  const size = insn.opSize;
  const x = g.regGet(a0.reg, size);
  const y = g.regGet(b0.reg, size);
  g.regSet(b0.reg, size, x);
  g.regSet(a0.reg, size, y);
  return true;
}

/** SETcc (ops/data.ts compileSetcc). */
export function emitSetcc(g: BlockGen): boolean {
  const d0 = g.insn.operands[0];
  if (d0.kind !== OpKind.Reg && d0.kind !== OpKind.Mem) return false;
  const cc = conditionOf(g.insn.mnemonic, 'set');
  const de = d0.kind === OpKind.Mem ? g.ea(d0) : '';
  const v = g.bind('v', `${g.condition(cc)} ? 1 : 0`);
  g.write(d0, 8, { lo: v, hi: '0' }, de);
  return true;
}

/** CMOVcc: the source is always read; a 32-bit destination is zero-extended regardless. */
export function emitCmov(g: BlockGen): boolean {
  const insn = g.insn;
  const [d0, s0] = insn.operands;
  if (d0.kind !== OpKind.Reg || (s0.kind !== OpKind.Reg && s0.kind !== OpKind.Mem)) return false;
  const size = insn.opSize;
  const cc = conditionOf(insn.mnemonic, 'cmov');
  const se = s0.kind === OpKind.Mem ? g.ea(s0) : '';
  const x = g.read(s0, size, se);
  const cond = g.condition(cc);
  g.emit(`if (${cond}) {`);
  g.regSet(d0.reg, size, x);
  if (size === 32) {
    g.emit('} else {');
    g.emit(`RH[${d0.reg}] = 0;`);
  }
  g.emit('}');
  return true;
}

// ── stack ────────────────────────────────────────────────────────────────

/** RSP as an address (ops/control.ts rsp). */
function rspNow(g: BlockGen): string {
  return g.bind('sp', `RH[4] * ${TWO32} + (RL[4] >>> 0)`);
}

/** RSP ← `at` (ops/control.ts setRsp: splitLo / splitHi). */
function setRsp(g: BlockGen, at: string): void {
  g.emit(`RL[4] = (${at} % ${TWO32}) | 0; RH[4] = Math.floor(${at} / ${TWO32}) | 0;`);
}

/** ops/control.ts push64. */
function push64(g: BlockGen, v: Val): void {
  const at = g.bind('sp', `RH[4] * ${TWO32} + (RL[4] >>> 0) - 8`);
  g.store(at, 64, true, v);
  setRsp(g, at);
}

/** PUSH r64 / imm (64-bit stack width). */
export function emitPush(g: BlockGen): boolean {
  const insn = g.insn;
  const o = insn.operands[0];
  if (insn.opSize !== 64) return false;
  if (o.kind === OpKind.Imm) {
    push64(g, { lo: lit(o.immLo | 0), hi: lit(o.immHi | 0) });
    return true;
  }
  if (o.kind !== OpKind.Reg) return false;
  push64(g, g.regGet(o.reg, 64));
  return true;
}

/** POP r64: read, move RSP, then write the register. */
export function emitPop(g: BlockGen): boolean {
  const insn = g.insn;
  const o = insn.operands[0];
  if (insn.opSize !== 64 || o.kind !== OpKind.Reg) return false;
  const old = rspNow(g);
  const v = g.load(old, 64, true);
  const at = g.bind('sp', `${old} + 8`);
  setRsp(g, at);
  g.regSet(o.reg, 64, v);
  return true;
}

// ── control transfer (block terminators) ────────────────────────────────

/**
 * End the block with a branch: to `target` when `cond` holds (always when
 * null), else to the next instruction. A branch back to the block's start
 * in a self-loop block becomes the loop's back edge.
 */
export function branch(g: BlockGen, cond: string | null, target: number | string): void {
  const retired = g.k + 1;
  const start = g.ops[0].rip;
  if (cond !== null) g.emit(`if (${cond}) {`);
  if (g.loop && target === start) {
    g.emit(`n += ${retired};`);
    g.emit(`if (n + ${retired} > lim) {`);
    g.exit(0, lit(start), 0);
    g.emit('}');
    g.carryFlags();
    g.emit('continue;');
  } else {
    g.exit(retired, typeof target === 'number' ? lit(target) : target, 0);
  }
  if (cond !== null) {
    g.emit('}');
    g.exit(retired, lit(g.op.nextRip), 0);
  }
}

const canonical = (t: number): boolean => t < CANON && t >= -CANON;

/** JMP rel, Jcc, LOOP/LOOPE/LOOPNE/JRCXZ, CALL rel, RET [imm16]. */
export function emitControl(g: BlockGen): boolean {
  const insn = g.insn;
  const m = insn.mnemonic;
  const o: DecodedOperand | undefined = insn.operands[0];
  if (m === 'ret') {
    const extra = insn.operands.length ? insn.operands[0].immLo & 0xffff : 0;
    const at = rspNow(g);
    const v = g.load(at, 64, true);
    const t = g.bind('t', `${v.hi} * ${TWO32} + (${v.lo} >>> 0)`);
    g.emit(`if (${t} >= ${CANON} || ${t} < ${-CANON}) {`);
    g.barrier();
    g.emit('throw new GuestFault(13, 0); }');
    setRsp(g, g.bind('sp', `${at} + ${8 + extra}`));
    branch(g, null, t);
    return true;
  }
  if (!o || o.kind !== OpKind.Rel) return false;
  const target = g.op.nextRip + o.disp;
  if (!canonical(target)) return false;
  if (m === 'jmp') {
    branch(g, null, target);
    return true;
  }
  if (m === 'call') {
    push64(g, {
      lo: lit((g.op.nextRip % 2 ** 32) | 0),
      hi: lit(Math.floor(g.op.nextRip / 2 ** 32) | 0),
    });
    branch(g, null, target);
    return true;
  }
  if (m === 'loop' || m === 'loope' || m === 'loopne' || m === 'jrcxz') {
    const wide = insn.addrSize === 64;
    const zero = wide ? '(RL[1] === 0 && RH[1] === 0)' : '(RL[1] === 0)';
    if (m === 'jrcxz') {
      branch(g, zero, target);
      return true;
    }
    if (wide) g.emit('if (RL[1] === 0) RH[1] = (RH[1] - 1) | 0; RL[1] = (RL[1] - 1) | 0;');
    else g.emit('RL[1] = (RL[1] - 1) | 0; RH[1] = 0;');
    if (m === 'loop') branch(g, `!${zero}`, target);
    else branch(g, `!${zero} && ${g.condition(m === 'loope' ? 4 : 5)}`, target);
    return true;
  }
  if (m.startsWith('j')) {
    const cc = conditionOf(m, 'j');
    if (cc < 0) return false;
    branch(g, g.condition(cc), target);
    return true;
  }
  return false;
}

/** Mnemonics whose template ends the block (they always leave through an exit). */
export function isTemplatedBranch(mnemonic: string): boolean {
  return (
    mnemonic === 'jmp' ||
    mnemonic === 'call' ||
    mnemonic === 'ret' ||
    mnemonic.startsWith('loop') ||
    mnemonic === 'jrcxz' ||
    (mnemonic.startsWith('j') && conditionOf(mnemonic, 'j') >= 0)
  );
}

/** Family templates by mnemonic. */
export const TEMPLATES: Readonly<Record<string, (g: BlockGen) => boolean>> = {
  ...Object.fromEntries(Object.keys(BINARY).map((m) => [m, emitBinary])),
  inc: emitUnary,
  dec: emitUnary,
  neg: emitUnary,
  not: emitUnary,
  shl: emitShiftImm,
  shr: emitShiftImm,
  sar: emitShiftImm,
  rol: emitRotateImm,
  ror: emitRotateImm,
  imul: emitImul,
  mov: emitMov,
  movzx: emitExtend,
  movsx: emitExtend,
  movsxd: emitExtend,
  lea: emitLea,
  xchg: emitXchg,
  push: emitPush,
  pop: emitPop,
  nop: () => true,
  pause: () => true,
};

/** The template for `mnemonic` (set/cmov/jcc families included), if any. */
export function templateFor(mnemonic: string): ((g: BlockGen) => boolean) | undefined {
  const t = TEMPLATES[mnemonic];
  if (t) return t;
  if (mnemonic.startsWith('set')) return emitSetcc;
  if (mnemonic.startsWith('cmov')) return emitCmov;
  if (isTemplatedBranch(mnemonic)) return emitControl;
  return undefined;
}
