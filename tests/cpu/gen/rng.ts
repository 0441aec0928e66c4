/**
 * A small deterministic PRNG for the program generator: sfc32 seeded through
 * splitmix32, so nearby seeds give unrelated streams. Same seed, same program,
 * on every machine and Node version (no Math.random).
 */

export type Size = 8 | 16 | 32 | 64;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const sm = splitmix32(seed);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm() | 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniformly random unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  /** Integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Pick by weight: `[[weight, value], …]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of items) total += w;
    let r = (this.next() / 0x1_0000_0000) * total;
    for (const [w, v] of items) {
      if (r < w) return v;
      r -= w;
    }
    return items[items.length - 1]![1];
  }

  /** A uniformly random unsigned 64-bit value. */
  u64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }

  /**
   * An "interesting" unsigned value of `size` bits: boundaries (0, 1, all
   * ones, sign-bit values and their neighbours), small numbers, or random.
   */
  interesting(size: Size): bigint {
    const mask = (1n << BigInt(size)) - 1n;
    const sign = 1n << BigInt(size - 1);
    const kind = this.int(10);
    switch (kind) {
      case 0:
        return this.pick([0n, 1n, 2n, mask, mask - 1n]);
      case 1:
        return this.pick([sign, sign - 1n, sign + 1n]) & mask;
      case 2:
        return BigInt(this.int(16));
      case 3: {
        // A value near a smaller power of two (carries between bytes/words).
        const bit = BigInt(this.int(size));
        return ((1n << bit) + BigInt(this.range(-2, 1))) & mask;
      }
      case 4:
        return (mask - BigInt(this.int(16))) & mask;
      default:
        return this.u64() & mask;
    }
  }
}
