/**
 * Straight-line instruction items of the random program generator. Each
 * item emits one instruction (plus flag-neutral operand set-up, or a flag
 * producer when it is about to read flags) and returns false when the
 * current context cannot host it (e.g. the registers it needs are reserved).
 */
import { Ctx, RAX, RCX, RDI, RDX, RSI, SIZES, bit, num, regName } from './context';
import {
  AF,
  ARITH_FLAGS,
  CF,
  CONDITIONS,
  CONDITION_READS,
  FLAG_RULES,
  OF,
  PF,
  SF,
  ZF,
  conditionEffect,
  shiftEffect,
  type ShiftOp,
} from './flagRules';
import { BASE_LO, BASE_SPAN, DATA_SIZE, STRING_MAX_BYTES } from './layout';
import type { Size } from './rng';

export type Item = (c: Ctx) => boolean;

const pickSize = (c: Ctx): Size => c.rng.pick(SIZES);
/** Use only AH/CH/DH/BH-compatible (no-REX) operands for this 8-bit instruction? */
const legacyFor = (c: Ctx, size: Size): boolean => size === 8 && c.rng.chance(0.2);

/** A condition code, preferring those whose flags are already defined. */
export function pickCondition(c: Ctx): string {
  const ok = CONDITIONS.filter((cc) => (CONDITION_READS[cc]! & ~c.defined()) === 0);
  const cc = ok.length > 0 && c.rng.chance(0.85) ? c.rng.pick(ok) : c.rng.pick(CONDITIONS);
  c.ensureFlags(CONDITION_READS[cc]!);
  return cc;
}

// ── ALU ──────────────────────────────────────────────────────────────────

const ALU_OPS = ['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test'] as const;

const alu: Item = (c) => {
  const rng = c.rng;
  const op = rng.pick(ALU_OPS);
  const size = pickSize(c);
  const legacy = legacyFor(c, size);
  const readOnly = op === 'cmp' || op === 'test';
  if (op === 'adc' || op === 'sbb') c.ensureFlags(CF);
  const form = rng.pick(['rr', 'ri', 'rm', 'mr', 'mi'] as const);
  let text: string;
  if (form === 'mr' || form === 'mi') {
    const src = form === 'mr' ? c.src(size, { legacy }).name : c.imm(size);
    const m = c.mem(size, { write: !readOnly, legacy, sized: form === 'mi' || rng.chance(0.5) });
    text = `${op} ${m}, ${src}`;
  } else {
    const d = readOnly ? c.src(size, { legacy }) : c.dst(size, { legacy });
    if (!d) return false;
    if (form === 'rr') text = `${op} ${d.name}, ${c.src(size, { legacy }).name}`;
    else if (form === 'ri') text = `${op} ${d.name}, ${c.imm(size)}`;
    else text = `${op} ${d.name}, ${c.mem(size, { legacy, sized: rng.chance(0.5) })}`;
  }
  c.emit(text);
  c.apply(FLAG_RULES[op]);
  return true;
};

const unary: Item = (c) => {
  const op = c.rng.pick(['inc', 'dec', 'neg', 'not'] as const);
  const size = pickSize(c);
  const legacy = legacyFor(c, size);
  if (c.rng.chance(0.35)) c.emit(`${op} ${c.mem(size, { write: true, legacy })}`);
  else {
    const d = c.dst(size, { legacy });
    if (!d) return false;
    c.emit(`${op} ${d.name}`);
  }
  c.apply(FLAG_RULES[op]);
  return true;
};

// ── Shifts and rotates ───────────────────────────────────────────────────

const SHIFT_OPS: readonly ShiftOp[] = ['shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr'];

const shift: Item = (c) => {
  const rng = c.rng;
  const op = rng.pick(SHIFT_OPS);
  const size = pickSize(c);
  const legacy = legacyFor(c, size);
  let kind = rng.weighted([
    [2, 'one'],
    [3, 'cl'],
    [3, 'imm'],
  ] as const);
  if (kind === 'cl' && !c.writable(RCX)) kind = 'imm';
  // Counts: mostly in range, sometimes beyond the operand size or the 5/6-bit mask.
  const count = rng.chance(0.6) ? rng.range(0, size) : rng.int(256);
  if (op === 'rcl' || op === 'rcr') c.ensureFlags(CF);
  let countText: string;
  let n: number;
  if (kind === 'one') {
    n = 1;
    countText = '1';
  } else if (kind === 'imm') {
    n = count;
    countText = String(count);
  } else {
    n = count;
    c.write(RCX);
    c.emit(`mov cl, ${count}`);
    countText = 'cl';
  }
  const mnemonic = op === 'shl' && rng.chance(0.2) ? 'sal' : op;
  let target: string;
  if (rng.chance(0.3))
    target = c.mem(size, { write: true, legacy, avoid: kind === 'cl' ? bit(RCX) : 0 });
  else {
    const d = c.dst(size, { legacy });
    if (!d) return false;
    target = d.name;
  }
  c.emit(`${mnemonic} ${target}, ${countText}`);
  c.apply(shiftEffect(op, size, n));
  return true;
};

// ── Multiply and divide ──────────────────────────────────────────────────

const mul1: Item = (c) => {
  const size = pickSize(c);
  if (!c.writable(RAX) || (size > 8 && !c.writable(RDX))) return false;
  const op = c.rng.pick(['mul', 'imul'] as const);
  const legacy = legacyFor(c, size);
  const operand = c.rng.chance(0.3) ? c.mem(size, { legacy }) : c.src(size, { legacy }).name;
  c.write(RAX);
  if (size > 8) c.write(RDX);
  c.emit(`${op} ${operand}`);
  c.apply(FLAG_RULES[op]);
  return true;
};

const imulN: Item = (c) => {
  const rng = c.rng;
  const size = rng.pick([16, 32, 64] as const);
  const d = c.dst(size);
  if (!d) return false;
  const src = rng.chance(0.3) ? c.mem(size, { sized: rng.chance(0.5) }) : c.src(size).name;
  const three = rng.chance(0.5);
  const imm =
    size === 16 ? num(BigInt.asIntN(16, rng.interesting(16))) : c.imm(size === 64 ? 64 : 32);
  if (!three) c.emit(`imul ${d.name}, ${src}`);
  else if (rng.chance(0.2)) c.emit(`imul ${d.name}, ${imm}`);
  else c.emit(`imul ${d.name}, ${src}, ${imm}`);
  c.apply(FLAG_RULES.imul);
  return true;
};

/**
 * DIV / IDIV that cannot fault: the divisor is made non-zero (and not -1 for
 * IDIV) and the dividend's high half is below the divisor (DIV) or the
 * sign-extension of the low half (IDIV), so the quotient always fits.
 */
const divide: Item = (c) => {
  const rng = c.rng;
  const size = pickSize(c);
  const signed = rng.chance(0.5);
  if (!c.writable(RAX) || !c.writable(RDX)) return false;
  const dv = c.dst(64, { avoid: bit(RAX) | bit(RDX) });
  if (!dv) return false;
  const d = regName(dv.reg, size);
  // 1. The divisor, in register dv.
  if (rng.chance(0.4)) {
    let v = rng.interesting(size);
    if (v === 0n) v = 3n;
    if (signed && BigInt.asIntN(size, v) === -1n) v = 5n;
    c.emit(
      `mov ${regName(dv.reg, size === 64 ? 64 : 32)}, ${num(size === 64 ? BigInt.asIntN(64, v) : v)}`,
    );
  } else {
    // Data-dependent: 2x+1 is odd, hence non-zero.
    const w = size === 64 ? 64 : 32;
    c.emit(`lea ${regName(dv.reg, w)}, [${regName(dv.reg, 64)}*2 + 1]`);
    if (signed) {
      const ok = c.prog.label();
      c.emit(`cmp ${d}, -1`);
      c.emit(`jne ${ok}`);
      c.emit(`mov ${regName(dv.reg, 32)}, 7`);
      c.emitLabel(ok);
      c.apply(FLAG_RULES.cmp);
    }
  }
  // 2. The dividend's high half.
  c.write(RAX);
  if (size > 8) c.write(RDX);
  if (signed) c.emit({ 8: 'cbw', 16: 'cwd', 32: 'cdq', 64: 'cqo' }[size]);
  else if (size === 8) {
    if (dv.reg < 4 && rng.chance(0.5)) {
      c.emit(`mov ah, ${regName(dv.reg, 8)}`);
      c.emit('shr ah, 1'); // below the divisor
      c.apply(shiftEffect('shr', 8, 1));
    } else c.emit('movzx eax, al');
  } else if (rng.chance(0.5)) {
    c.emit(`mov ${regName(RDX, size)}, ${d}`);
    c.emit(`shr ${regName(RDX, size)}, 1`); // below the divisor
    c.apply(shiftEffect('shr', size, 1));
  } else
    c.emit(
      rng.chance(0.5)
        ? `mov ${regName(RDX, 32)}, 0`
        : `xor ${regName(RDX, 32)}, ${regName(RDX, 32)}`,
    );
  // 3. Divide by the register or by a copy of it in memory.
  const op = signed ? 'idiv' : 'div';
  if (rng.chance(0.4)) {
    const m = c.mem(size, { write: true, avoid: bit(RAX) | bit(RDX) | bit(dv.reg) });
    c.emit(`mov ${m}, ${d}`);
    c.emit(`${op} ${m}`);
  } else c.emit(`${op} ${d}`);
  c.apply(FLAG_RULES[op]);
  return true;
};

// ── Data movement ────────────────────────────────────────────────────────

const mov: Item = (c) => {
  const rng = c.rng;
  const size = pickSize(c);
  const legacy = legacyFor(c, size);
  const form = rng.pick(['rr', 'ri', 'rm', 'mr', 'mi', 'imm64'] as const);
  if (form === 'mr')
    c.emit(
      `mov ${c.mem(size, { write: true, legacy, sized: rng.chance(0.5) })}, ${c.src(size, { legacy }).name}`,
    );
  else if (form === 'mi') c.emit(`mov ${c.mem(size, { write: true, legacy })}, ${c.imm(size)}`);
  else {
    const d = c.dst(form === 'imm64' ? 64 : size, { legacy });
    if (!d) return false;
    if (form === 'imm64') c.emit(`mov ${d.name}, ${num(rng.interesting(64))}`);
    else if (form === 'rr') c.emit(`mov ${d.name}, ${c.src(size, { legacy }).name}`);
    else if (form === 'ri') c.emit(`mov ${d.name}, ${c.imm(size)}`);
    else c.emit(`mov ${d.name}, ${c.mem(size, { legacy, sized: rng.chance(0.5) })}`);
  }
  return true;
};

const extend: Item = (c) => {
  const rng = c.rng;
  const kind = rng.pick(['movzx', 'movsx', 'movsxd'] as const);
  const from: Size = kind === 'movsxd' ? 32 : rng.pick([8, 16] as const);
  const to: Size =
    kind === 'movsxd'
      ? 64
      : from === 8
        ? rng.pick([16, 32, 64] as const)
        : rng.pick([32, 64] as const);
  const legacy = from === 8 && to < 64 && rng.chance(0.2);
  const d = c.dst(to, { legacy });
  if (!d) return false;
  const src = rng.chance(0.35) ? c.mem(from, { legacy }) : c.src(from, { legacy }).name;
  c.emit(`${kind} ${d.name}, ${src}`);
  return true;
};

/** LEA with every addressing form; the address need not be valid memory. */
const lea: Item = (c) => {
  const rng = c.rng;
  const size = rng.pick([16, 32, 64] as const);
  const d = c.dst(size);
  if (!d) return false;
  const any = () => rng.int(16);
  const idx = () => {
    let r = rng.int(16);
    if (r === 4) r = 12;
    return r;
  };
  const disp = () =>
    rng.pick([
      () => '',
      () => ` + ${rng.int(128)}`,
      () => ` - ${rng.range(1, 128)}`,
      () => ` + ${num(rng.next() & 0x7fffffff)}`,
      () => ` - ${num(rng.range(1, 0x7fffffff))}`,
    ])();
  const scale = () => rng.pick([1, 2, 4, 8]);
  const w = rng.chance(0.15) ? 32 : 64;
  const addr = rng.pick([
    () => `[${regName(any(), w)}${disp()}]`,
    () => `[${regName(any(), w)} + ${regName(idx(), w)}*${scale()}${disp()}]`,
    () => `[${regName(idx(), w)}*${scale()}${disp() || ' + 0'}]`,
    () => `[rel data + ${rng.int(DATA_SIZE)}]`,
    () => `[${num(rng.next() & 0x7fffffff)}]`,
  ])();
  c.emit(`lea ${d.name}, ${addr}`);
  return true;
};

const xchg: Item = (c) => {
  const size = pickSize(c);
  const legacy = legacyFor(c, size);
  const a = c.dst(size, { legacy });
  if (!a) return false;
  if (c.rng.chance(0.3)) {
    const m = c.mem(size, { write: true, legacy, sized: c.rng.chance(0.5) });
    c.emit(c.rng.chance(0.5) ? `xchg ${m}, ${a.name}` : `xchg ${a.name}, ${m}`);
  } else {
    const b = c.rng.chance(0.15) ? a : c.dst(size, { legacy });
    if (!b) return false;
    c.emit(`xchg ${a.name}, ${b.name}`);
  }
  return true;
};

const setcc: Item = (c) => {
  const cc = pickCondition(c);
  const legacy = c.rng.chance(0.2);
  if (c.rng.chance(0.3)) c.emit(`set${cc} ${c.mem(8, { write: true, legacy })}`);
  else {
    const d = c.dst(8, { legacy });
    if (!d) return false;
    c.emit(`set${cc} ${d.name}`);
  }
  c.apply(conditionEffect(cc));
  return true;
};

const cmov: Item = (c) => {
  const size = c.rng.pick([16, 32, 64] as const);
  const cc = pickCondition(c);
  const d = c.dst(size);
  if (!d) return false;
  const src = c.rng.chance(0.3) ? c.mem(size, { sized: c.rng.chance(0.5) }) : c.src(size).name;
  c.emit(`cmov${cc} ${d.name}, ${src}`);
  c.apply(conditionEffect(cc));
  return true;
};

const convert: Item = (c) => {
  const op = c.rng.pick(['cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo'] as const);
  const wide = op === 'cwd' || op === 'cdq' || op === 'cqo';
  if (!c.writable(wide ? RDX : RAX)) return false;
  c.write(wide ? RDX : RAX);
  c.emit(op);
  return true;
};

// ── Stack ────────────────────────────────────────────────────────────────

const pushPop: Item = (c) => {
  const rng = c.rng;
  const top = c.stack[c.stack.length - 1];
  if (top !== undefined && rng.chance(0.5)) {
    const size: Size = top === 8 ? 64 : 16;
    if (rng.chance(0.3)) c.emit(`pop ${c.mem(size, { write: true })}`);
    else {
      const d = c.dst(size);
      if (!d) return false;
      c.emit(`pop ${d.name}`);
    }
    c.stack.pop();
    return true;
  }
  if (c.stack.length >= 6) return false;
  const form = rng.weighted([
    [4, 'r64'],
    [1, 'r16'],
    [2, 'imm'],
    [2, 'm64'],
    [1, 'm16'],
  ] as const);
  if (form === 'r64') c.emit(`push ${c.src(64).name}`);
  else if (form === 'r16') c.emit(`push ${c.src(16).name}`);
  else if (form === 'imm') c.emit(`push ${c.imm(64)}`);
  else if (form === 'm64') c.emit(`push ${c.mem(64)}`);
  else c.emit(`push ${c.mem(16)}`);
  c.stack.push(form === 'r16' || form === 'm16' ? 2 : 8);
  return true;
};

/** PUSHFQ (all six flags must be defined) or POPFQ of a sane value. */
const pushfPopf: Item = (c) => {
  const rng = c.rng;
  if (rng.chance(0.5)) {
    // PUSHFQ, then POP and clear IF (bit 9) in the image: the differential test
    // runs the KVM side at CPL 3, where some hosts (PVM) show IF = 1 to PUSHF.
    if (c.stack.length >= 6) return false;
    const r = c.dst(64);
    if (!r) return false;
    c.ensureFlags(ARITH_FLAGS);
    c.emit('pushfq');
    c.apply(FLAG_RULES.pushfq);
    c.emit(`pop ${r.name}`);
    c.emit(`and ${r.name}, ${num(~0x200)}`);
    c.apply(FLAG_RULES.and);
    if (rng.chance(0.5)) {
      c.emit(`push ${r.name}`); // left on the stack for a later POP
      c.stack.push(8);
    }
    return true;
  }
  // POPFQ: only arithmetic flags and the reserved bit 1 (TF, IF, DF stay 0).
  const r = rng.chance(0.5) ? c.dst(64) : undefined;
  if (r) {
    c.emit(`mov ${r.name}, ${c.src(64).name}`);
    c.emit(`and ${regName(r.reg, 32)}, ${num(ARITH_FLAGS)}`);
    c.emit(`or ${regName(r.reg, 32)}, 2`);
    c.emit(`push ${r.name}`);
  } else c.emit(`push ${num((rng.next() & ARITH_FLAGS) | 2)}`);
  c.emit('popfq');
  c.apply(FLAG_RULES.popfq);
  return true;
};

// ── Flag instructions ────────────────────────────────────────────────────

const flagOps: Item = (c) => {
  const op = c.rng.pick(['clc', 'stc', 'cmc', 'lahf', 'sahf'] as const);
  if (op === 'cmc') c.ensureFlags(CF);
  if (op === 'lahf') {
    if (!c.writable(RAX)) return false;
    c.ensureFlags(SF | ZF | AF | PF | CF);
    c.write(RAX);
  }
  c.emit(op);
  c.apply(FLAG_RULES[op]);
  return true;
};

// ── String operations ────────────────────────────────────────────────────

const STRING_SUFFIX: Record<Size, string> = { 8: 'b', 16: 'w', 32: 'd', 64: 'q' };

/**
 * MOVS / STOS / LODS / CMPS / SCAS, with or without REP, forwards (CLD) or
 * backwards (STD … CLD). RSI/RDI point into the window or the data block so
 * that every element stays inside; RCX >= 1 for REP forms.
 */
const stringOp: Item = (c) => {
  const rng = c.rng;
  const op = rng.weighted([
    [3, 'movs'],
    [3, 'stos'],
    [2, 'lods'],
    [1, 'cmps'],
    [1, 'scas'],
  ] as const);
  const size = pickSize(c);
  const bytes = size / 8;
  const rep = rng.chance(0.5);
  const usesSi = op === 'movs' || op === 'lods' || op === 'cmps';
  const usesDi = op !== 'lods';
  const need =
    (usesSi ? bit(RSI) : 0) |
    (usesDi ? bit(RDI) : 0) |
    (rep ? bit(RCX) : 0) |
    (op === 'lods' ? bit(RAX) : 0);
  for (let r = 0; r < 16; r++) if (need & bit(r) && !c.writable(r)) return false;
  const n = rep ? rng.range(1, Math.min(32, STRING_MAX_BYTES / bytes)) : 1;
  const backwards = rng.chance(0.3);
  const span = n * bytes;
  const place = (reg: number, mayUseData: boolean) => {
    c.write(reg);
    const name64 = regName(reg, 64);
    if (mayUseData && span <= DATA_SIZE && rng.chance(0.4)) {
      const start = rng.int(DATA_SIZE - span + 1);
      const at = backwards ? start + span - bytes : start;
      c.emit(`lea ${name64}, [rel data + ${at}]`);
    } else {
      const start = BASE_LO + rng.int(BASE_SPAN);
      c.emit(`mov ${regName(reg, 32)}, ${num(backwards ? start + span - bytes : start)}`);
    }
  };
  if (usesSi) place(RSI, true);
  if (usesDi) place(RDI, op !== 'movs' && op !== 'stos');
  if (rep) {
    c.write(RCX);
    c.emit(`mov ecx, ${n}`);
  }
  if (op === 'lods') c.write(RAX);
  if (backwards) c.emit('std');
  const prefix = !rep
    ? ''
    : op === 'cmps' || op === 'scas'
      ? `${rng.pick(['repe', 'repne'])} `
      : 'rep ';
  c.emit(`${prefix}${op}${STRING_SUFFIX[size]}`);
  if (backwards) c.emit('cld');
  if (op === 'cmps' || op === 'scas') c.apply(FLAG_RULES[op]);
  return true;
};

/** Weighted straight-line items. */
export const STRAIGHT_ITEMS: readonly (readonly [number, Item])[] = [
  [14, alu],
  [5, unary],
  [8, shift],
  [3, mul1],
  [3, imulN],
  [3, divide],
  [6, mov],
  [3, extend],
  [3, lea],
  [2, xchg],
  [3, setcc],
  [3, cmov],
  [2, convert],
  [3, pushPop],
  [2, pushfPopf],
  [2, flagOps],
  [2, stringOp],
];

/** Names of the flag constants, for reports: `CF|ZF`. */
export function flagNames(mask: number): string {
  const names: string[] = [];
  for (const [bitv, name] of [
    [CF, 'CF'],
    [PF, 'PF'],
    [AF, 'AF'],
    [ZF, 'ZF'],
    [SF, 'SF'],
    [OF, 'OF'],
  ] as const)
    if (mask & bitv) names.push(name);
  return names.join('|') || 'none';
}
