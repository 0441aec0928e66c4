/**
 * Linear-address checks and guest memory access for the interpreter.
 *
 * Address translation in this model (DESIGN.md §5): the lower canonical
 * half is identity-mapped with user access allowed, so linear address =
 * guest physical address there; the upper canonical half
 * (0xffff800000000000 and up) is not mapped and any access to it is a page
 * fault (#PF, not-present, with CR2 = the address). A non-canonical address
 * is #GP(0), or #SS(0) for a stack access. CR3 is held and shown, but guest
 * page tables are not walked.
 *
 * A guest-physical address at or above the end of RAM has no memory slot:
 * the access stops the instruction with an `mmio` exit request (EPT
 * violation / NPF), unless the hypervisor is emulating the instruction and
 * has supplied the data (see Vcpu.mmio).
 *
 * Fast paths: an address that is a small non-negative double inside RAM is
 * served straight from the typed arrays; everything else goes through
 * {@link slowCheck}.
 */
import { PAGE_CODE, PAGE_DIRTY, PAGE_SHIFT } from './memory';
import { EXIT_SIGNAL, GuestFault } from './signals';
import { VECTOR } from './state';
import type { Vcpu } from './vcpu';

/** 2^47: the first non-canonical address of the lower half. */
const CANONICAL_LIMIT = 2 ** 47;

/** #PF error code bits (SDM Vol. 3 §4.7). */
const PF_WRITE = 1 << 1;
const PF_USER = 1 << 2;
const PF_FETCH = 1 << 4;

export type AccessKind = 'read' | 'write' | 'fetch';

/**
 * Classify an address the fast path refused: fault, MMIO exit, or (when
 * the hypervisor is emulating) MMIO data. Returns the guest-physical address
 * for MMIO; throws GuestFault / EXIT_SIGNAL otherwise.
 */
export function slowCheck(
  v: Vcpu,
  ea: number,
  size: number,
  kind: AccessKind,
  stack: boolean,
): number {
  if (!(ea >= -CANONICAL_LIMIT && ea + size <= CANONICAL_LIMIT) || !Number.isFinite(ea)) {
    throw new GuestFault(stack ? VECTOR.SS : VECTOR.GP, 0);
  }
  if (ea < 0) {
    v.state.cr2 = ea;
    const err =
      (kind === 'write' ? PF_WRITE : 0) |
      (kind === 'fetch' ? PF_FETCH : 0) |
      (v.state.cpl === 3 ? PF_USER : 0);
    throw new GuestFault(VECTOR.PF, err, ea);
  }
  return ea;
}

/** Raise the MMIO exit for an access at `gpa` (or return emulation data). */
function mmioRead(v: Vcpu, gpa: number, size: number): bigint {
  const supplied = v.mmio.reads.get(gpa);
  if (supplied !== undefined) return supplied;
  v.raiseExit({ kind: 'mmio', rip: v.insnRip, length: v.insnLength, gpa, size, access: 'read' });
  throw EXIT_SIGNAL;
}

function mmioWrite(v: Vcpu, gpa: number, size: number, value: bigint): void {
  if (v.mmio.emulating) {
    v.mmio.writes.push({ gpa, size, value });
    return;
  }
  v.raiseExit({
    kind: 'mmio',
    rip: v.insnRip,
    length: v.insnLength,
    gpa,
    size,
    access: 'write',
    value,
  });
  throw EXIT_SIGNAL;
}

/** Read `size` (1–8) bytes at `ea` as an unsigned bigint (slow path). */
function slowReadBig(v: Vcpu, ea: number, size: number, stack: boolean): bigint {
  const gpa = slowCheck(v, ea, size, 'read', stack);
  if (gpa + size <= v.ramSize) {
    let x = 0n;
    for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(v.bytes[gpa + i]);
    return x;
  }
  return mmioRead(v, gpa, size);
}

function slowWriteBig(v: Vcpu, ea: number, size: number, value: bigint, stack: boolean): void {
  const gpa = slowCheck(v, ea, size, 'write', stack);
  if (gpa + size <= v.ramSize) {
    let x = BigInt.asUintN(size * 8, value);
    for (let i = 0; i < size; i++) {
      v.bytes[gpa + i] = Number(x & 0xffn);
      x >>= 8n;
    }
    markWritten(v, gpa, size);
    return;
  }
  mmioWrite(v, gpa, size, BigInt.asUintN(size * 8, value));
}

/** Note a write: dirty page for checkpoints; a code page drops the decode cache. */
export function markWritten(v: Vcpu, gpa: number, size: number): void {
  const marks = v.mem.pageMarks;
  const first = gpa >> PAGE_SHIFT;
  const last = (gpa + size - 1) >> PAGE_SHIFT;
  for (let p = first; p <= last; p++) {
    if (marks[p] !== PAGE_DIRTY) {
      if (marks[p] & PAGE_CODE) v.codeWritten();
      marks[p] = PAGE_DIRTY;
    }
  }
}

export function read8(v: Vcpu, ea: number, stack = false): number {
  if (ea >= 0 && ea < v.ramSize) return v.bytes[ea];
  return Number(slowReadBig(v, ea, 1, stack));
}

export function read16(v: Vcpu, ea: number, stack = false): number {
  if (ea >= 0 && ea <= v.ramSize - 2) return v.view.getUint16(ea, true);
  return Number(slowReadBig(v, ea, 2, stack));
}

/** A 32-bit read as int32. */
export function read32(v: Vcpu, ea: number, stack = false): number {
  if (ea >= 0 && ea <= v.ramSize - 4) return v.view.getInt32(ea, true);
  return Number(BigInt.asIntN(32, slowReadBig(v, ea, 4, stack)));
}

/** A 64-bit read: returns the low half (int32) and leaves the high half in v.hi. */
export function read64(v: Vcpu, ea: number, stack = false): number {
  if (ea >= 0 && ea <= v.ramSize - 8) {
    v.hi = v.view.getInt32(ea + 4, true);
    return v.view.getInt32(ea, true);
  }
  const x = slowReadBig(v, ea, 8, stack);
  v.hi = Number(BigInt.asIntN(32, x >> 32n));
  return Number(BigInt.asIntN(32, x));
}

export function write8(v: Vcpu, ea: number, value: number, stack = false): void {
  if (ea >= 0 && ea < v.ramSize) {
    v.bytes[ea] = value;
    if (v.mem.pageMarks[ea >> PAGE_SHIFT] !== PAGE_DIRTY) markWritten(v, ea, 1);
    return;
  }
  slowWriteBig(v, ea, 1, BigInt(value & 0xff), stack);
}

export function write16(v: Vcpu, ea: number, value: number, stack = false): void {
  if (ea >= 0 && ea <= v.ramSize - 2) {
    v.view.setUint16(ea, value, true);
    if (
      v.mem.pageMarks[ea >> PAGE_SHIFT] !== PAGE_DIRTY ||
      v.mem.pageMarks[(ea + 1) >> PAGE_SHIFT] !== PAGE_DIRTY
    ) {
      markWritten(v, ea, 2);
    }
    return;
  }
  slowWriteBig(v, ea, 2, BigInt(value & 0xffff), stack);
}

export function write32(v: Vcpu, ea: number, value: number, stack = false): void {
  if (ea >= 0 && ea <= v.ramSize - 4) {
    v.view.setInt32(ea, value, true);
    if (
      v.mem.pageMarks[ea >> PAGE_SHIFT] !== PAGE_DIRTY ||
      v.mem.pageMarks[(ea + 3) >> PAGE_SHIFT] !== PAGE_DIRTY
    ) {
      markWritten(v, ea, 4);
    }
    return;
  }
  slowWriteBig(v, ea, 4, BigInt(value >>> 0), stack);
}

export function write64(v: Vcpu, ea: number, lo: number, hi: number, stack = false): void {
  if (ea >= 0 && ea <= v.ramSize - 8) {
    v.view.setInt32(ea, lo, true);
    v.view.setInt32(ea + 4, hi, true);
    if (
      v.mem.pageMarks[ea >> PAGE_SHIFT] !== PAGE_DIRTY ||
      v.mem.pageMarks[(ea + 7) >> PAGE_SHIFT] !== PAGE_DIRTY
    ) {
      markWritten(v, ea, 8);
    }
    return;
  }
  slowWriteBig(v, ea, 8, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0), stack);
}

/** Read `size` bytes (1, 2, 4) as an int32 (8/16-bit values zero-extended). */
export function readSized(v: Vcpu, ea: number, size: number): number {
  return size === 8 ? read8(v, ea) : size === 16 ? read16(v, ea) : read32(v, ea);
}

/** Write the low `size` bits of `value`. */
export function writeSized(v: Vcpu, ea: number, size: number, value: number): void {
  if (size === 8) write8(v, ea, value);
  else if (size === 16) write16(v, ea, value);
  else write32(v, ea, value);
}

/** Translate a linear address for a system-table read (GDT, IDT, TSS); faults as a read would. */
export function readBig(v: Vcpu, ea: number, size: number): bigint {
  if (ea >= 0 && ea + size <= v.ramSize) {
    let x = 0n;
    for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(v.bytes[ea + i]);
    return x;
  }
  return slowReadBig(v, ea, size, false);
}

/** Write a system structure (descriptor busy bit, etc.). */
export function writeBig(v: Vcpu, ea: number, size: number, value: bigint): void {
  slowWriteBig(v, ea, size, value, false);
}
