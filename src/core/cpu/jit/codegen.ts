/**
 * The block compiler's code generator: the state it tracks while turning a
 * block of decoded instructions into JS source, and the building blocks the
 * per-family templates (templates.ts) are written with — operand reads and
 * writes, memory accesses with an inline fast path, lazy-flag stores,
 * condition codes and block exits.
 *
 * Generated code is built only from numbers (addresses, register indices,
 * immediates, displacements) and the fixed template text in this folder —
 * never from guest-supplied or user-supplied text — so `new Function` never
 * sees anything an attacker controls.
 *
 * Invariants of the generated code (what makes a block behave exactly like
 * the interpreter running the same instructions one by one):
 *  - Registers are read and written in `S.rl`/`S.rh` directly.
 *  - Lazy-flag fields may be held in locals ("pending") and stored later,
 *    but every point where anything could observe CpuState — a possible
 *    fault, an MMIO exit, an interpreter `exec()` call, a read through
 *    flags.ts, a block exit — first stores them all (`sync`), so the state
 *    there is exactly the interpreter's.
 *  - `V.cur` is set to the instruction's Op before anything that may throw
 *    (the run loop reads the faulting RIP from it) and before each exit.
 *  - `S.icount` is exact at every exit, at every `exec()` call (RDTSC reads
 *    it) and, through the catch clause, at a fault.
 */
import type { DecodedInsn, DecodedOperand } from '../../isa/results';
import { OpKind, REG_RIP } from '../../isa/results';
import type { Op } from '../compile';
import { PAGE_DIRTY, PAGE_SHIFT } from '../memory';
import { cfExpr, conditionExpr, producer, type Producer } from './flagExpr';

/** The lazy-flag fields of CpuState (flags.ts), in store order. */
export const FLAG_FIELDS = [
  'lop',
  'lsz',
  'la',
  'lah',
  'lb',
  'lbh',
  'lr',
  'lrh',
  'lcf',
  'lflags',
] as const;
export type FlagField = (typeof FLAG_FIELDS)[number];

/** 2^32 as it appears in generated code. */
export const TWO32 = '4294967296';

/** A number as a JS literal (parenthesised when negative). */
export function lit(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return x < 0 ? `(${x})` : String(x);
}

/** A value of up to 64 bits as two JS expressions (`hi` is '0' below 64 bits). */
export interface Val {
  lo: string;
  hi: string;
}

/** Per-block code generation state. */
export class BlockGen {
  readonly out: string[] = [];
  /** Flag fields computed but not yet stored in S, with the local holding each. */
  readonly pending = new Map<FlagField, string>();
  /** The last flag-setting instruction in this block, when its kind is known. */
  producer: Producer | null = null;
  /**
   * Self-loops only: the local holding each field's current value, or null
   * when only S has it (after an `exec()`). The back edge copies these into
   * the loop-carried locals `F_<field>`, which the next pass starts from as
   * pending values — so flags cost no stores per pass, only at exits.
   */
  readonly current = new Map<FlagField, string | null>();
  /** Index of the instruction being generated. */
  k = 0;
  /** The current instruction wrote memory (check for code invalidation after it). */
  wroteMemory = false;
  private uniq = 0;

  constructor(
    readonly ops: readonly Op[],
    /** The block branches back to its own start: the body is a loop. */
    readonly loop: boolean,
  ) {
    if (loop) {
      for (const f of FLAG_FIELDS) {
        this.pending.set(f, `F_${f}`);
        this.current.set(f, `F_${f}`);
      }
    }
  }

  get op(): Op {
    return this.ops[this.k];
  }

  get insn(): DecodedInsn {
    return this.ops[this.k].insn;
  }

  emit(line: string): void {
    this.out.push(line);
  }

  /** A fresh local name. */
  local(stem: string): string {
    return `${stem}${this.k}_${this.uniq++}`;
  }

  /** `const name = expr;`, returning the name. */
  bind(stem: string, expr: string): string {
    const name = this.local(stem);
    this.emit(`const ${name} = ${expr};`);
    return name;
  }

  /**
   * Store every pending flag field into S: CpuState must be complete here.
   * `clear` forgets them afterwards (use only on straight-line code, never
   * inside a branch that not every execution takes).
   */
  sync(clear: boolean): void {
    for (const [f, e] of this.pending) this.emit(`S.${f} = ${e};`);
    if (clear) this.pending.clear();
  }

  /** After an `exec()`: S holds every field, no local does. */
  flagsInState(): void {
    this.producer = null;
    for (const f of FLAG_FIELDS) if (this.loop) this.current.set(f, null);
  }

  /** Back edge of a self-loop: carry the current flag values into the next pass. */
  carryFlags(): void {
    for (const f of FLAG_FIELDS) {
      const e = this.current.get(f);
      if (e === null) this.emit(`F_${f} = S.${f};`);
      else if (e !== `F_${f}`) this.emit(`F_${f} = ${e};`);
    }
  }

  /** Before something that may throw: complete state and the faulting Op. */
  barrier(): void {
    this.sync(false);
    this.emit(`V.cur = O[${this.k}];`);
  }

  private setField(f: FlagField, expr: string): void {
    this.pending.set(f, expr);
    if (this.loop) this.current.set(f, expr);
  }

  /** Lazy flags of an 8/16/32-bit operation (flags.ts `record`). */
  record(kind: number, size: number, a: string, b: string, r: string, cf = ''): void {
    if (cf) this.setField('lcf', cf);
    this.setField('lop', String(kind));
    this.setField('lsz', String(size));
    this.setField('la', a);
    this.setField('lb', b);
    this.setField('lr', r);
    this.producer = producer(kind, size, { a, b, r, cf });
  }

  /** Lazy flags of a 64-bit operation (`record64`). */
  record64(kind: number, a: Val, b: Val, r: Val, cf = ''): void {
    if (cf) this.setField('lcf', cf);
    this.setField('lop', String(kind));
    this.setField('lsz', '64');
    this.setField('la', a.lo);
    this.setField('lah', a.hi);
    this.setField('lb', b.lo);
    this.setField('lbh', b.hi);
    this.setField('lr', r.lo);
    this.setField('lrh', r.hi);
    this.producer = producer(kind, 64, {
      a: a.lo,
      b: b.lo,
      r: r.lo,
      ah: a.hi,
      bh: b.hi,
      rh: r.hi,
      cf,
    });
  }

  /** Eager arithmetic flags (`setArithFlags`); `bits` must already be masked. */
  eager(bits: string): void {
    this.setField('lop', '0');
    this.setField('lflags', bits);
    this.producer = producer(0, 32, { flags: bits });
  }

  /** Condition `cc` as a boolean expression: fused when the producer is known. */
  condition(cc: number): string {
    if (this.producer) return conditionExpr(this.producer, cc);
    this.sync(true);
    return `testCondition(S, ${cc})`;
  }

  /** CF as a 0/1 expression (ADC/SBB carry-in, INC/DEC's saved CF). */
  carry(): string {
    if (this.producer) return this.bind('cf', cfExpr(this.producer));
    this.sync(true);
    return this.bind('cf', 'getCF(S)');
  }

  // ── exits ──────────────────────────────────────────────────────────────

  /**
   * Leave the block: `retired` instructions of this pass retired, RIP =
   * `rip`, V.cur = the Op at `last`. Status 0: go on at S.rip; 1: return to
   * Vcpu.run (exit request or RECHECK).
   */
  exit(retired: number, rip: string, status: 0 | 1, last = this.k): void {
    this.sync(false);
    this.emit(
      `V.cur = O[${last}]; S.rip = ${rip}; S.icount = IC + n + ${retired}; return ${status};`,
    );
  }

  // ── registers ─────────────────────────────────────────────────────────

  /** Read general register `reg` (16–19: AH/CH/DH/BH) at `size` (int32, zero-extended below 32). */
  regGet(reg: number, size: number): Val {
    if (size === 64) return { lo: this.bind('g', `RL[${reg}]`), hi: this.bind('gh', `RH[${reg}]`) };
    let e: string;
    if (size === 32) e = `RL[${reg}]`;
    else if (size === 16) e = `(RL[${reg}] & 65535)`;
    else if (reg >= 16) e = `((RL[${reg - 16}] >> 8) & 255)`;
    else e = `(RL[${reg}] & 255)`;
    return { lo: this.bind('g', e), hi: '0' };
  }

  /** Write general register `reg` at `size`, with the zero-extension/merging rules of RegLoc. */
  regSet(reg: number, size: number, v: Val): void {
    if (size === 64) this.emit(`RL[${reg}] = ${v.lo}; RH[${reg}] = ${v.hi};`);
    else if (size === 32) this.emit(`RL[${reg}] = ${v.lo}; RH[${reg}] = 0;`);
    else if (size === 16) this.emit(`RL[${reg}] = (RL[${reg}] & -65536) | (${v.lo} & 65535);`);
    else if (reg >= 16)
      this.emit(`RL[${reg - 16}] = (RL[${reg - 16}] & -65281) | ((${v.lo} & 255) << 8);`);
    else this.emit(`RL[${reg}] = (RL[${reg}] & -256) | (${v.lo} & 255);`);
  }

  // ── memory ────────────────────────────────────────────────────────────

  /**
   * The linear address of memory operand `o` into a new local (operands.ts
   * `compileEa`, formula for formula).
   */
  ea(o: DecodedOperand): string {
    const insn = this.insn;
    const seg = insn.seg === 4 || insn.seg === 5 ? ` + S.seg[${insn.seg}].base` : '';
    const disp = o.disp;
    const b = o.base;
    const i = o.index;
    const sc = o.scale;
    if (b === REG_RIP) return this.bind('e', `${lit(this.op.nextRip + disp)}${seg}`);
    if (insn.addrSize === 32) {
      const base = b >= 0 ? `RL[${b}]` : '0';
      const index = i >= 0 ? `RL[${i}] * ${sc}` : '0';
      return this.bind('e', `((${base} + ${index} + ${lit(disp)}) >>> 0)${seg}`);
    }
    if (i < 0 && b >= 0) {
      // compileEa's carry-and-wrap formula equals hi * 2^32 + lo + disp except
      // when the 64-bit sum wraps past ±2^63: both results are then far outside
      // the canonical range and fault identically (#GP(0) / #SS(0)).
      return this.bind('e', `RH[${b}] * ${TWO32} + ((RL[${b}] >>> 0) + ${lit(disp)})${seg}`);
    }
    if (b < 0 && i < 0) return this.bind('e', `${lit(disp)}${seg}`);
    const base = b >= 0 ? `(RL[${b}] >>> 0)` : '0';
    const index = i >= 0 ? `(RL[${i}] >>> 0) * ${sc}` : '0';
    const l = this.bind('l', `${base} + ${index} + ${lit(disp)}`);
    const c = this.bind('c', `Math.floor(${l} / ${TWO32})`);
    const baseHi = b >= 0 ? `RH[${b}]` : '0';
    const indexHi = i >= 0 ? `RH[${i}] * ${sc}` : '0';
    const hi = this.bind('eh', `(${baseHi} + ${indexHi} + ${c}) | 0`);
    return this.bind('e', `${hi} * ${TWO32} + (${l} - ${c} * ${TWO32})${seg}`);
  }

  /** Load `size` bits at `e` (access.ts read8…read64; `stack`: faults are #SS). */
  load(e: string, size: number, stack: boolean): Val {
    const x = this.local('m');
    const st = stack ? 'true' : 'false';
    if (size === 64) {
      const xh = this.local('mh');
      this.emit(`let ${x}, ${xh};`);
      this.emit(
        `if (${e} >= 0 && ${e} <= RAM - 8) { ${x} = VIEW.getInt32(${e}, true); ${xh} = VIEW.getInt32(${e} + 4, true); } else {`,
      );
      this.barrier();
      this.emit(`${x} = read64(V, ${e}, ${st}); ${xh} = V.hi; }`);
      return { lo: x, hi: xh };
    }
    const [fast, slow] =
      size === 8
        ? [`${e} < RAM`, `BYTES[${e}]`]
        : size === 16
          ? [`${e} <= RAM - 2`, `VIEW.getUint16(${e}, true)`]
          : [`${e} <= RAM - 4`, `VIEW.getInt32(${e}, true)`];
    this.emit(`let ${x};`);
    this.emit(`if (${e} >= 0 && ${fast}) ${x} = ${slow}; else {`);
    this.barrier();
    this.emit(`${x} = read${size}(V, ${e}, ${st}); }`);
    return { lo: x, hi: '0' };
  }

  /**
   * Store `size` bits at `e` (access.ts write8…write64, dirty/code marks
   * included). Outside self-loops pending flags are stored first, on the hot
   * path: it keeps the cold paths of stores (slow access, code-write exit)
   * free of flag code, which would otherwise dominate the size of
   * store-heavy blocks.
   */
  store(e: string, size: number, stack: boolean, v: Val): void {
    this.wroteMemory = true;
    // (Not in self-loops: there the flags of a pass stay in locals.)
    if (!this.loop) this.sync(true);
    const st = stack ? 'true' : 'false';
    const bytes = size / 8;
    const mark = (at: string): string => `MARKS[(${at}) >> ${PAGE_SHIFT}] !== ${PAGE_DIRTY}`;
    const marks = bytes === 1 ? mark(e) : `${mark(e)} || ${mark(`${e} + ${bytes - 1}`)}`;
    let fast: string;
    if (size === 8) fast = `BYTES[${e}] = ${v.lo};`;
    else if (size === 16) fast = `VIEW.setUint16(${e}, ${v.lo}, true);`;
    else if (size === 32) fast = `VIEW.setInt32(${e}, ${v.lo}, true);`;
    else fast = `VIEW.setInt32(${e}, ${v.lo}, true); VIEW.setInt32(${e} + 4, ${v.hi}, true);`;
    const bound = size === 8 ? `${e} < RAM` : `${e} <= RAM - ${bytes}`;
    this.emit(
      `if (${e} >= 0 && ${bound}) { ${fast} if (${marks}) markWritten(V, ${e}, ${bytes}); } else {`,
    );
    this.barrier();
    if (size === 64) this.emit(`write64(V, ${e}, ${v.lo}, ${v.hi}, ${st}); }`);
    else this.emit(`write${size}(V, ${e}, ${v.lo}, ${st}); }`);
  }

  // ── operands ──────────────────────────────────────────────────────────

  /**
   * Read operand `o` at `size`: a register, an immediate (operands.ts
   * `immLo` masking; high half sign-extended by the decoder) or memory at
   * the address `e` (computed by the caller with `ea`).
   */
  read(o: DecodedOperand, size: number, e = ''): Val {
    if (o.kind === OpKind.Imm) {
      const x = o.immLo | 0;
      const lo = size === 8 ? x & 0xff : size === 16 ? x & 0xffff : x;
      return { lo: lit(lo), hi: size === 64 ? lit(o.immHi | 0) : '0' };
    }
    if (o.kind === OpKind.Mem) return this.load(e, size, isStack(o));
    return this.regGet(o.reg, size);
  }

  /** Write operand `o` (a register, or memory at `e`) at `size`. */
  write(o: DecodedOperand, size: number, v: Val, e = ''): void {
    if (o.kind === OpKind.Mem) this.store(e, size, isStack(o), v);
    else this.regSet(o.reg, size, v);
  }
}

/** operands.ts `isStackOperand`: base RSP or RBP faults as #SS. */
export function isStack(o: DecodedOperand): boolean {
  return o.kind === OpKind.Mem && (o.base === 4 || o.base === 5);
}

/** An operand a template can handle: a general register, an immediate or memory. */
export function plainOperand(o: DecodedOperand): boolean {
  return o.kind === OpKind.Reg || o.kind === OpKind.Imm || o.kind === OpKind.Mem;
}
