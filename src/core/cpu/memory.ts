/**
 * Guest physical memory: one little-endian RAM block at guest physical 0
 * (2 MiB by default), divided into 4 KiB pages for bookkeeping.
 *
 * Per page it keeps two marks: `dirty` (written since the last checkpoint
 * took it, so a checkpoint copies only changed pages and shares the rest
 * with the previous one) and `code` (instructions were decoded from it, so
 * a write there must drop the decode cache: self-modifying code and KVM's
 * hypercall patching both rely on that).
 *
 * The memory is plain data (typed arrays); the DataView is rebuilt from the
 * buffer when needed and is not part of a snapshot.
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** DESIGN.md §5: 2 MiB of RAM by default. */
export const DEFAULT_RAM_BYTES = 2 * 1024 * 1024;

export const PAGE_DIRTY = 1;
export const PAGE_CODE = 2;

export interface GuestMemory {
  /** RAM size in bytes (a multiple of the page size). */
  size: number;
  bytes: Uint8Array;
  /** Per page: PAGE_DIRTY | PAGE_CODE marks. */
  pageMarks: Uint8Array;
  view: DataView;
  /**
   * Bumped whenever code in this memory is overwritten; each vCPU compares
   * it with the epoch its decode caches were built at (vCPUs share memory).
   */
  codeEpoch: number;
}

/** New zeroed RAM of `size` bytes (rounded up to whole pages). */
export function createMemory(size = DEFAULT_RAM_BYTES): GuestMemory {
  const rounded = Math.max(PAGE_SIZE, Math.ceil(size / PAGE_SIZE) * PAGE_SIZE);
  const bytes = new Uint8Array(rounded);
  return {
    size: rounded,
    bytes,
    pageMarks: new Uint8Array(rounded >> PAGE_SHIFT).fill(PAGE_DIRTY),
    view: new DataView(bytes.buffer),
    codeEpoch: 0,
  };
}

/** Copy `data` into RAM at `addr` (a loader's write: marks pages dirty). */
export function loadBytes(mem: GuestMemory, addr: number, data: Uint8Array): void {
  if (addr < 0 || addr + data.length > mem.size) {
    throw new RangeError(`image at 0x${addr.toString(16)} (+${data.length}) does not fit in RAM`);
  }
  mem.bytes.set(data, addr);
  for (let p = addr >> PAGE_SHIFT; p <= (addr + data.length - 1) >> PAGE_SHIFT; p++) {
    mem.pageMarks[p] |= PAGE_DIRTY;
  }
}
