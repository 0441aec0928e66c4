/**
 * Segment descriptors in the GDT (Intel SDM Vol. 3 §3.4.5 and §7.2.3):
 * reading them for segment loads, interrupt delivery, IRETQ and LTR. Slow
 * path only, so it uses bigint freely. The LDT is not modelled: a selector
 * with TI = 1 is refused with #GP.
 */
import { readBig } from './access';
import { GuestFault } from './signals';
import { VECTOR, type SegmentState } from './state';
import type { Vcpu } from './vcpu';

export interface Descriptor {
  selector: number;
  /** Byte 5: P, DPL, S, type. */
  access: number;
  /** Byte 6 high nibble: G, D/B, L, AVL. */
  flags: number;
  base: number;
  limit: number;
  /** Linear address of the descriptor in the GDT (to set a busy bit). */
  at: number;
}

export const present = (d: Descriptor): boolean => (d.access & 0x80) !== 0;
export const dplOf = (d: Descriptor): number => (d.access >> 5) & 3;
/** S = 1: a code or data segment (not a system descriptor). */
export const isCodeOrData = (d: Descriptor): boolean => (d.access & 0x10) !== 0;
export const isCode = (d: Descriptor): boolean => isCodeOrData(d) && (d.access & 0x08) !== 0;
export const isConforming = (d: Descriptor): boolean => isCode(d) && (d.access & 0x04) !== 0;
/** Data writable, or code readable. */
export const isWritableData = (d: Descriptor): boolean =>
  isCodeOrData(d) && !isCode(d) && (d.access & 0x02) !== 0;
export const isReadable = (d: Descriptor): boolean => !isCode(d) || (d.access & 0x02) !== 0;
/** L bit: a 64-bit code segment. */
export const isLongCode = (d: Descriptor): boolean => (d.flags & 0x2) !== 0;

/**
 * Read the descriptor a selector names. Faults with `vector` (default #GP)
 * and the selector's index as error code (plus `ext`) when the selector
 * points outside the GDT or into the LDT. `wide` reads a 16-byte system
 * descriptor (TSS).
 */
export function readDescriptor(v: Vcpu, selector: number, ext = 0, wide = false): Descriptor {
  const s = v.state;
  const index = selector & 0xfff8;
  const err = (selector & 0xfffc) | ext;
  if (selector & 4) throw new GuestFault(VECTOR.GP, err);
  if (index + (wide ? 15 : 7) > s.gdtr.limit) throw new GuestFault(VECTOR.GP, err);
  const at = s.gdtr.base + index;
  const raw = readBig(v, at, 8);
  const lo = Number(raw & 0xffffffffn);
  const hi = Number(raw >> 32n);
  let base = ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
  if (wide) base += Number(readBig(v, at + 8, 4)) * 2 ** 32;
  let limit = (lo & 0xffff) | (hi & 0x000f0000);
  if (hi & 0x00800000) limit = limit * 4096 + 4095;
  return { selector, access: (hi >>> 8) & 0xff, flags: (hi >>> 20) & 0xf, base, limit, at };
}

/** The hidden-cache form of a descriptor. */
export function toSegment(d: Descriptor, selector: number): SegmentState {
  return { selector, base: d.base, limit: d.limit, attrib: (d.flags << 12) | d.access };
}

/** A null selector's segment (usable only as DS/ES/FS/GS, or SS at CPL < 3). */
export function nullSegment(selector: number): SegmentState {
  return { selector, base: 0, limit: 0, attrib: 0 };
}
