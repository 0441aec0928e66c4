/**
 * Typed-array columns of released traces, kept for the next trace's growth.
 *
 * Why: a trace's columns are large (a million hypercalls fill about 200 MB)
 * and every page of a new typed array is a page fault on first touch —
 * measured here as a quarter of a free run's time (system time, in a VM
 * where a fault is dear). When the page loads a program again, or a
 * benchmark runs VM after VM, the next trace grows through the same
 * capacities (16 Ki × 4ᵏ rows), so the released columns fit exactly.
 *
 * Contract: `takeColumn` returns a column whose contents are the last
 * owner's — zeroing all of it would cost a memset of the whole capacity,
 * most of which a trace overwrites or never reaches — so the caller zeroes
 * what it needs zero (Trace: the columns whose new rows must read 0).
 * `giveColumn` is for columns nobody will read again (Trace.release empties
 * its trace first). Bounded by POOL_LIMIT_BYTES: past it, columns are left
 * to the garbage collector.
 */

export type Column =
  Float64Array | Int32Array | Uint32Array | Uint16Array | Int16Array | Uint8Array;

export type ColumnType<T extends Column> = new (n: number) => T;

/**
 * Bytes the pool may hold: what it keeps is memory the page holds on to
 * after a run is gone, so it keeps a run of a few hundred thousand exits
 * whole (200 000 hypercalls: about 45 MB of columns) and a million-exit
 * run's (about 260 MB) only in part.
 */
export const POOL_LIMIT_BYTES = 128 * 1024 * 1024;

const free = new Map<string, Column[]>();
let pooledBytes = 0;

const keyOf = (type: ColumnType<Column>, length: number): string => `${type.name}:${length}`;

/** A column of `type` and `length` from the pool (holding a released trace's data), or null. */
export function takeColumn<T extends Column>(type: ColumnType<T>, length: number): T | null {
  const list = free.get(keyOf(type, length));
  const a = list?.pop();
  if (a === undefined) return null;
  pooledBytes -= a.byteLength;
  return a as T;
}

/** Hand a column nobody reads any more to the pool; false if it was dropped (the pool is full). */
export function giveColumn(a: Column): boolean {
  if (a.length === 0 || pooledBytes + a.byteLength > POOL_LIMIT_BYTES) return false;
  const key = keyOf(a.constructor as ColumnType<Column>, a.length);
  let list = free.get(key);
  if (!list) free.set(key, (list = []));
  list.push(a);
  pooledBytes += a.byteLength;
  return true;
}

/** Bytes held by the pool now (tests and the benchmark). */
export function pooledColumnBytes(): number {
  return pooledBytes;
}

/** Empty the pool (tests). */
export function clearColumnPool(): void {
  free.clear();
  pooledBytes = 0;
}
