/**
 * The generator's state: emitted lines, which registers may be written, the
 * flag-definedness state, the stack of outstanding pushes, and helpers that
 * pick operands (registers, immediates, always-valid memory operands).
 */
import {
  AF,
  ARITH_FLAGS,
  CF,
  OF,
  applyEffect,
  definedGiven,
  type FlagEffect,
  type FlagFn,
  FLAG_RULES,
} from './flagRules';
import { BASE_LO, BASE_SPAN, DATA_SIZE, DISP32_MAX } from './layout';
import { Rng, type Size } from './rng';

export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RBP = 5;
export const RSI = 6;
export const RDI = 7;

export const REG64 = [
  'rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
] as const; // prettier-ignore
const REG32 = [
  'eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi',
  'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d',
] as const; // prettier-ignore
const REG16 = [
  'ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di',
  'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w',
] as const; // prettier-ignore
const REG8 = [
  'al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil',
  'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b',
] as const; // prettier-ignore
const HIGH8 = ['ah', 'ch', 'dh', 'bh'] as const;

export const SIZES: readonly Size[] = [8, 16, 32, 64];
export const SIZE_KW: Record<Size, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

/** Register name; `high` selects AH/CH/DH/BH for registers 0–3 at size 8. */
export function regName(reg: number, size: Size, high = false): string {
  if (high) return HIGH8[reg]!;
  const table = size === 64 ? REG64 : size === 32 ? REG32 : size === 16 ? REG16 : REG8;
  return table[reg]!;
}

export const bit = (reg: number): number => 1 << reg;

/** A register operand: its number (for bookkeeping) and its spelling. */
export interface RegOp {
  reg: number;
  name: string;
}

/** A subroutine already generated: call sites apply its summary. */
export interface Sub {
  name: string;
  /** Flag definedness at its `ret` as a function of the state at the call. */
  flags: FlagFn;
  /** Registers it (or anything it calls) writes. */
  clobbers: number;
  lines: string[];
}

/** Whole-program state shared by every context. */
export class Program {
  readonly rng: Rng;
  private labels = 0;
  readonly subs: Sub[] = [];

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  label(prefix = 'L'): string {
    return `${prefix}${this.labels++}`;
  }
}

export interface CtxInit {
  flags: FlagFn;
  /** Flags known defined when the function (main or a subroutine) starts. */
  entryDefined: number;
  reserved: number;
  inSub: boolean;
  subLevel: number;
}

/** Hex for non-negative numbers, decimal for negative ones. */
export function num(v: bigint | number): string {
  const b = BigInt(v);
  return b < 0n ? `${b}` : `0x${b.toString(16)}`;
}

/** One function being generated (main or a subroutine). */
export class Ctx {
  readonly prog: Program;
  readonly rng: Rng;
  readonly lines: string[] = [];
  flags: FlagFn;
  readonly entryDefined: number;
  /** Registers that must not be written (RSP, live loop counters, …). */
  reserved: number;
  /** Registers written so far (a subroutine's summary). */
  clobbers = 0;
  /** Bytes of each outstanding push in this function (2 or 8). */
  readonly stack: number[] = [];
  readonly inSub: boolean;
  readonly subLevel: number;
  /** Nesting of loops / skipped blocks around the current point. */
  depth = 0;
  loopDepth = 0;

  constructor(prog: Program, init: CtxInit) {
    this.prog = prog;
    this.rng = prog.rng;
    this.flags = init.flags;
    this.entryDefined = init.entryDefined;
    this.reserved = init.reserved | bit(RSP);
    this.inSub = init.inSub;
    this.subLevel = init.subLevel;
  }

  emit(line: string): void {
    this.lines.push(`  ${line}`);
  }

  emitLabel(name: string): void {
    this.lines.push(`${name}:`);
  }

  /** Flags whose values are defined right now. */
  defined(): number {
    return definedGiven(this.flags, this.entryDefined);
  }

  apply(e: FlagEffect): void {
    if ((e.reads & ~this.defined()) !== 0)
      throw new Error(
        `generator bug: reads undefined flags 0x${(e.reads & ~this.defined()).toString(16)}`,
      );
    this.flags = applyEffect(this.flags, e);
  }

  writable(reg: number): boolean {
    return (this.reserved & bit(reg)) === 0;
  }

  /** Record a write to `reg` (it must be writable). */
  write(reg: number): void {
    if (!this.writable(reg)) throw new Error(`generator bug: writes reserved ${REG64[reg]}`);
    this.clobbers |= bit(reg);
  }

  /** Writable registers, optionally limited to the legacy (no-REX) eight. */
  writableRegs(opts: { legacy?: boolean; avoid?: number } = {}): number[] {
    const out: number[] = [];
    const limit = opts.legacy ? 8 : 16;
    for (let r = 0; r < limit; r++)
      if (this.writable(r) && ((opts.avoid ?? 0) & bit(r)) === 0) out.push(r);
    return out;
  }

  /** A register to write at `size`, or undefined if none is free. */
  dst(size: Size, opts: { legacy?: boolean; avoid?: number } = {}): RegOp | undefined {
    if (size === 8 && opts.legacy) {
      const cands: [number, boolean][] = [];
      for (let r = 0; r < 4; r++)
        if (this.writable(r) && ((opts.avoid ?? 0) & bit(r)) === 0)
          cands.push([r, false], [r, true]);
      if (cands.length === 0) return undefined;
      const [reg, high] = this.rng.pick(cands);
      this.write(reg);
      return { reg, name: regName(reg, 8, high) };
    }
    const cands = this.writableRegs(opts);
    if (cands.length === 0) return undefined;
    const reg = this.rng.pick(cands);
    this.write(reg);
    return { reg, name: regName(reg, size) };
  }

  /** A register to read at `size` (any register, RSP included). */
  src(size: Size, opts: { legacy?: boolean } = {}): RegOp {
    if (size === 8 && opts.legacy) {
      const reg = this.rng.int(4);
      return { reg, name: regName(reg, 8, this.rng.chance(0.5)) };
    }
    const reg = this.rng.int(opts.legacy ? 8 : 16);
    return { reg, name: regName(reg, size) };
  }

  /**
   * An immediate for an ALU operation of `size` (what the assembler accepts:
   * 8: -128..255, 16: -32768..65535, 32: any 32-bit, 64: sign-extended imm32).
   */
  imm(size: Size): string {
    if (size === 64) {
      const v = this.rng.interesting(32);
      return num(BigInt.asIntN(32, v));
    }
    const v = this.rng.interesting(size);
    return this.rng.chance(0.3) ? num(BigInt.asIntN(size, v)) : num(v);
  }

  /** A flag-neutral `mov` of a random value into a whole register. */
  loadRandom(reg: number): void {
    this.write(reg);
    const v = this.rng.interesting(64);
    if (v <= 0xffffffffn && this.rng.chance(0.5)) this.emit(`mov ${regName(reg, 32)}, ${num(v)}`);
    else this.emit(`mov ${regName(reg, 64)}, ${num(v)}`);
  }

  /**
   * Emit an instruction that defines (at least) `mask`, unless those flags
   * are already defined. Reads registers only.
   */
  ensureFlags(mask: number): void {
    if ((mask & ~this.defined()) === 0) return;
    this.defineFlags(mask);
  }

  /** Emit a flag producer that defines every flag in `mask`. */
  defineFlags(mask: number): void {
    const rng = this.rng;
    const size = rng.pick(SIZES);
    const choices: (() => void)[] = [
      () => {
        this.emit(`cmp ${this.src(size).name}, ${this.imm(size)}`);
        this.apply(FLAG_RULES.cmp);
      },
      () => {
        this.emit(`cmp ${this.src(size).name}, ${this.src(size).name}`);
        this.apply(FLAG_RULES.cmp);
      },
    ];
    if ((mask & AF) === 0)
      choices.push(() => {
        const r = this.src(size).name;
        this.emit(`test ${r}, ${rng.chance(0.5) ? r : this.src(size).name}`);
        this.apply(FLAG_RULES.test);
      });
    if (mask === CF)
      choices.push(() => {
        const op = rng.pick(['clc', 'stc'] as const);
        this.emit(op);
        this.apply(FLAG_RULES[op]);
      });
    if ((mask & OF) === 0)
      choices.push(() => {
        this.emit('sahf');
        this.apply(FLAG_RULES.sahf);
      });
    choices.push(() => {
      this.emit(`push ${num((rng.next() & ARITH_FLAGS) | 2)}`);
      this.emit('popfq');
      this.apply(FLAG_RULES.popfq);
    });
    rng.pick(choices)();
  }

  /** Pop or drop pushes until `depth` entries remain (flag-neutral). */
  balanceStack(depth: number): void {
    while (this.stack.length > depth) {
      const bytes = this.stack[this.stack.length - 1]!;
      const dst = this.rng.chance(0.7) ? this.dst(bytes === 8 ? 64 : 16) : undefined;
      if (dst) {
        this.emit(`pop ${dst.name}`);
        this.stack.pop();
      } else {
        let total = 0;
        while (this.stack.length > depth) total += this.stack.pop()!;
        this.emit(`lea rsp, [rsp + ${total}]`);
      }
    }
  }

  // ── Memory operands ──────────────────────────────────────────────────

  /**
   * A memory operand of `size` whose address is valid whatever the
   * registers hold: base/index registers are set up right here with
   * flag-neutral instructions (mov, movzx, lea). Returns the operand text
   * with its size keyword (`dword [rbx + rsi*4 + 0x10]`), or without it
   * when `sized` is false.
   */
  mem(
    size: Size,
    opts: { write?: boolean; avoid?: number; legacy?: boolean; sized?: boolean } = {},
  ): string {
    const kw = opts.sized === false ? '' : `${SIZE_KW[size]} `;
    return kw + this.address(size / 8, opts);
  }

  /** The bracketed address part of {@link mem}, for an access of `bytes`. */
  address(bytes: number, opts: { write?: boolean; avoid?: number; legacy?: boolean } = {}): string {
    const rng = this.rng;
    const avoid = (opts.avoid ?? 0) | bit(RSP);
    const regs = this.writableRegs({ legacy: opts.legacy, avoid });
    const form = rng.weighted([
      [3, 'rel'],
      [1, 'abs'],
      [3, 'base'],
      [3, 'base+d8'],
      [2, 'base+d32'],
      [3, 'base+index'],
      [3, 'base+index+disp'],
      [2, 'index+disp32'],
      [2, 'rsp'],
      [1, 'addr32'],
    ] as const);
    const needs = form === 'base+index' || form === 'base+index+disp' || form === 'addr32' ? 2 : 1;
    if (form === 'rel' || (form !== 'abs' && form !== 'rsp' && regs.length < needs)) {
      const k = rng.int(DATA_SIZE - bytes + 1);
      return k === 0 && rng.chance(0.5) ? '[rel data]' : `[rel data + ${k}]`;
    }
    if (form === 'abs') return `[${num(BASE_LO + rng.int(BASE_SPAN))}]`;
    if (form === 'rsp') {
      // Below RSP is free; above it in a subroutine is the return address.
      if (opts.write && this.inSub) return `[rsp - ${rng.range(8, 64)}]`;
      const d = rng.range(-64, 64);
      return d === 0 ? '[rsp]' : d < 0 ? `[rsp - ${-d}]` : `[rsp + ${d}]`;
    }
    const base = rng.pick(regs);
    const disp8 = rng.range(-128, 127);
    const disp32 = rng.pick([-1, 1]) * rng.range(128, DISP32_MAX);
    const dispText = (d: number) => (d < 0 ? ` - ${num(-d)}` : ` + ${num(d)}`);
    if (form === 'index+disp32') {
      const scale = rng.pick([1, 2, 4, 8]);
      this.setupIndex(base);
      return `[${regName(base, 64)}*${scale} + ${num(BASE_LO + rng.int(BASE_SPAN))}]`;
    }
    this.setupBase(base);
    const b = regName(base, 64);
    switch (form) {
      case 'base':
        return `[${b}]`;
      case 'base+d8':
        return `[${b}${dispText(disp8)}]`;
      case 'base+d32':
        return `[${b}${dispText(disp32)}]`;
      default: {
        const index = rng.pick(regs.filter((r) => r !== base));
        this.setupIndex(index);
        const scale = rng.pick([1, 2, 4, 8]);
        const w = form === 'addr32' ? 32 : 64;
        const bi = `${regName(base, w)} + ${regName(index, w)}*${scale}`;
        if (form === 'base+index') return `[${bi}]`;
        return `[${bi}${dispText(rng.chance(0.5) ? disp8 : disp32)}]`;
      }
    }
  }

  /** Put a value in [BASE_LO, BASE_LO + BASE_SPAN) into `reg`, flag-neutrally. */
  private setupBase(reg: number): void {
    this.write(reg);
    const rng = this.rng;
    if (rng.chance(0.5)) {
      this.emit(`mov ${regName(reg, 32)}, ${num(BASE_LO + rng.int(BASE_SPAN))}`);
    } else {
      // Data-dependent: the register's own low byte, scaled.
      this.emit(`movzx ${regName(reg, 32)}, ${regName(reg, 8)}`);
      const scale = rng.pick([1, 2, 4, 8]);
      this.emit(`lea ${regName(reg, 64)}, [${regName(reg, 64)}*${scale} + ${num(BASE_LO)}]`);
    }
  }

  /** Put a value in [0, 255] into `reg`, flag-neutrally. */
  private setupIndex(reg: number): void {
    this.write(reg);
    if (this.rng.chance(0.7)) this.emit(`movzx ${regName(reg, 32)}, ${regName(reg, 8)}`);
    else this.emit(`mov ${regName(reg, 32)}, ${this.rng.int(256)}`);
  }
}
