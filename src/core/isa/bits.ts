/**
 * Integer helpers shared by the ISA code. Values that may be 64 bits wide
 * are `bigint` here (the assembler is not a hot path); the decoder works in
 * `number`s and splits 64-bit immediates into 32-bit halves.
 */

/** True when `v` is representable as a signed `bits`-bit integer. */
export function fitsSigned(v: bigint, bits: number): boolean {
  const lim = 1n << BigInt(bits - 1);
  return v >= -lim && v < lim;
}

/** True when `v` is representable as an unsigned `bits`-bit integer. */
export function fitsUnsigned(v: bigint, bits: number): boolean {
  return v >= 0n && v < 1n << BigInt(bits);
}

/** True when `v` fits `bits` bits read either as signed or as unsigned. */
export function fitsEither(v: bigint, bits: number): boolean {
  return fitsSigned(v, bits) || fitsUnsigned(v, bits);
}

/** Little-endian bytes of the low `width` bytes of `v` (two's complement). */
export function leBytes(v: bigint, width: number): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(width * 8, v);
  for (let i = 0; i < width; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}

/** Format a value for a message: decimal when small, else 0x-hex. */
export function showValue(v: bigint): string {
  if (v > -65536n && v < 65536n) return v.toString();
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** Lower-case 0x-prefixed hex of a non-negative number. */
export function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}
