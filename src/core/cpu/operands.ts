/**
 * Operand locations for compiled instructions. A decoded operand becomes a
 * `Loc` — a register or a memory location — with the same four methods,
 * so one semantic function serves every operand form. For memory,
 * `resolve()` computes the effective address once per execution (a
 * read-modify-write touches one address).
 *
 * Effective addresses are computed exactly in 64 bits from the 32-bit
 * register halves (SDM Vol. 1 §3.7.5), then handed to the access layer as
 * a JS number: exact for every canonical address, and outside the
 * canonical range (so faulting) otherwise.
 */
import { read16, read32, read64, read8, write16, write32, write64, write8 } from './access';
import { OpKind, REG_RIP, type DecodedInsn, type DecodedOperand } from '../isa/results';
import type { CpuState } from './state';
import type { Vcpu } from './vcpu';

const TWO32 = 4294967296;

/** A place an instruction reads or writes. Values are int32 (8/16-bit zero-extended). */
export interface Loc {
  readonly size: number;
  readonly isMem: boolean;
  /** Compute the address (memory) — call once before get/set. */
  resolve(): void;
  get(): number;
  /** High half after `get()` of a 64-bit operand. */
  getHi(): number;
  set(value: number): void;
  set64(lo: number, hi: number): void;
}

/** A general register: num 0–15, or 16–19 for AH/CH/DH/BH. */
class RegLoc implements Loc {
  readonly isMem = false;
  private readonly rl: Int32Array;
  private readonly rh: Int32Array;
  private readonly n: number;
  private readonly high: boolean;
  constructor(
    s: CpuState,
    num: number,
    readonly size: number,
  ) {
    this.rl = s.rl;
    this.rh = s.rh;
    this.high = num >= 16;
    this.n = this.high ? num - 16 : num;
  }
  resolve(): void {}
  get(): number {
    const x = this.rl[this.n];
    switch (this.size) {
      case 8:
        return this.high ? (x >> 8) & 0xff : x & 0xff;
      case 16:
        return x & 0xffff;
      default:
        return x;
    }
  }
  getHi(): number {
    return this.rh[this.n];
  }
  set(value: number): void {
    const n = this.n;
    switch (this.size) {
      case 8:
        this.rl[n] = this.high
          ? (this.rl[n] & ~0xff00) | ((value & 0xff) << 8)
          : (this.rl[n] & ~0xff) | (value & 0xff);
        return;
      case 16:
        this.rl[n] = (this.rl[n] & ~0xffff) | (value & 0xffff);
        return;
      default:
        // A 32-bit write zero-extends into the full register (SDM Vol. 1 §3.4.1.1).
        this.rl[n] = value;
        this.rh[n] = 0;
    }
  }
  set64(lo: number, hi: number): void {
    this.rl[this.n] = lo;
    this.rh[this.n] = hi;
  }
}

class MemLoc implements Loc {
  readonly isMem = true;
  private ea = 0;
  constructor(
    private readonly v: Vcpu,
    private readonly eaFn: () => number,
    readonly size: number,
    private readonly stack: boolean,
  ) {}
  resolve(): void {
    this.ea = this.eaFn();
  }
  /** The resolved address (for instructions that need it). */
  address(): number {
    return this.ea;
  }
  get(): number {
    switch (this.size) {
      case 8:
        return read8(this.v, this.ea, this.stack);
      case 16:
        return read16(this.v, this.ea, this.stack);
      case 32:
        return read32(this.v, this.ea, this.stack);
      default:
        return read64(this.v, this.ea, this.stack);
    }
  }
  getHi(): number {
    return this.v.hi;
  }
  set(value: number): void {
    switch (this.size) {
      case 8:
        return write8(this.v, this.ea, value, this.stack);
      case 16:
        return write16(this.v, this.ea, value, this.stack);
      default:
        return write32(this.v, this.ea, value, this.stack);
    }
  }
  set64(lo: number, hi: number): void {
    write64(this.v, this.ea, lo, hi, this.stack);
  }
}

/**
 * A closure computing the linear address of memory operand `o` of `insn`
 * (at `nextRip` for RIP-relative forms). FS/GS overrides add the segment
 * base; other segment bases are 0 in 64-bit mode.
 */
export function compileEa(
  v: Vcpu,
  o: DecodedOperand,
  insn: DecodedInsn,
  nextRip: number,
): () => number {
  const s = v.state;
  const { rl, rh } = s;
  const disp = o.disp;
  const segBase = insn.seg === 4 || insn.seg === 5 ? () => s.seg[insn.seg].base : null;
  let fn: () => number;
  if (o.base === REG_RIP) {
    const target = nextRip + disp;
    fn = () => target;
  } else if (insn.addrSize === 32) {
    const b = o.base;
    const i = o.index;
    const sc = o.scale;
    fn = () => ((b >= 0 ? rl[b] : 0) + (i >= 0 ? rl[i] * sc : 0) + disp) >>> 0;
  } else if (o.index < 0 && o.base >= 0) {
    const b = o.base;
    fn = () => {
      const lo = (rl[b] >>> 0) + disp;
      const c = lo >= TWO32 ? 1 : lo < 0 ? -1 : 0;
      return ((rh[b] + c) | 0) * TWO32 + (lo - c * TWO32);
    };
  } else if (o.base < 0 && o.index < 0) {
    fn = () => disp;
  } else {
    const b = o.base;
    const i = o.index;
    const sc = o.scale;
    fn = () => {
      const lo = (b >= 0 ? rl[b] >>> 0 : 0) + (i >= 0 ? (rl[i] >>> 0) * sc : 0) + disp;
      const c = Math.floor(lo / TWO32);
      const hi = ((b >= 0 ? rh[b] : 0) + (i >= 0 ? rh[i] * sc : 0) + c) | 0;
      return hi * TWO32 + (lo - c * TWO32);
    };
  }
  if (segBase) {
    const inner = fn;
    return () => inner() + segBase();
  }
  return fn;
}

/** True when the operand addresses the stack (base RSP or RBP): faults are #SS. */
export function isStackOperand(o: DecodedOperand): boolean {
  return o.kind === OpKind.Mem && (o.base === 4 || o.base === 5);
}

/** A Loc for register or memory operand `o` at width `size` (default: the operand's). */
export function makeLoc(
  v: Vcpu,
  o: DecodedOperand,
  insn: DecodedInsn,
  nextRip: number,
  size = o.size,
): Loc {
  if (o.kind === OpKind.Mem)
    return new MemLoc(v, compileEa(v, o, insn, nextRip), size, isStackOperand(o));
  return new RegLoc(v.state, o.reg, size);
}

/** The immediate's value as int32 (masked to `size` for 8/16). */
export function immLo(o: DecodedOperand, size = o.size): number {
  const x = o.immLo | 0;
  return size === 8 ? x & 0xff : size === 16 ? x & 0xffff : x;
}

/** Split a JS number holding an integer address into int32 halves. */
export function splitLo(n: number): number {
  return (n % TWO32) | 0;
}
export function splitHi(n: number): number {
  return Math.floor(n / TWO32) | 0;
}
/** Join int32 halves into a number (exact when the value is below 2^53 in magnitude). */
export function joinHalves(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}
