import type { Lane } from './lane';
import {
  paintColumn,
  reserveRows,
  type LaneMarks,
  type LayoutScratch,
  type TimeWindow,
} from './laneMarks';

/**
 * Per-exit aggregation (laneMarks.ts column model): every entry in [lo, hi)
 * adds +1/-1 to a per-reason difference array over the columns it touches;
 * one sweep then picks each column's majority. O(hi - lo + columns · distinct
 * reasons). Best when few exits are visible; exact for any reason index.
 */
export function aggregateSparse(
  lane: Lane,
  w: TimeWindow,
  lo: number,
  hi: number,
  scratch: LayoutScratch,
  out: LaneMarks,
): void {
  const columns = Math.max(1, Math.floor(w.columns));
  const stride = columns + 1;
  const t0 = w.t0;
  const k = columns / (w.t1 - t0);
  const { times, ends, reasons } = lane;
  const slotOf = scratch.slotOfReason;
  let diff = scratch.diff;
  let slots = 0;
  let visible = 0;
  // Hot loop: locals only, no allocation; a new reason (rare) claims a slot and may grow `diff`.
  for (let i = lo; i < hi; i++) {
    const time = times[i];
    const end = ends[i];
    let c0 = Math.floor((time - t0) * k);
    let c1 = end > time ? Math.ceil((end - t0) * k) - 1 : c0;
    if (c1 < c0) c1 = c0;
    if (c1 < 0 || c0 >= columns) continue;
    if (c0 < 0) c0 = 0;
    if (c1 >= columns) c1 = columns - 1;
    const reason = reasons[i];
    let slot = slotOf[reason];
    if (slot < 0) {
      slot = slots++;
      reserveRows(scratch, slots);
      scratch.reasonOfSlot[slot] = reason;
      slotOf[reason] = slot;
      diff = growRows(scratch, slots, stride);
    }
    const row = slot * stride;
    diff[row + c0]++;
    diff[row + c1 + 1]--;
    visible++;
  }
  out.visible = visible;

  const { reasonOfSlot, running } = scratch;
  running.fill(0, 0, slots);
  for (let c = 0; c < columns; c++) {
    let best = -1;
    let bestCount = 0;
    for (let s = 0; s < slots; s++) {
      const n = (running[s] += diff[s * stride + c]);
      if (n > bestCount || (n === bestCount && n > 0 && reasonOfSlot[s] < best)) {
        bestCount = n;
        best = reasonOfSlot[s];
      }
    }
    paintColumn(out, c, best);
  }
  for (let s = 0; s < slots; s++) slotOf[reasonOfSlot[s]] = -1;
}

/** Makes room for `rows` difference rows, keeping rows [0, rows - 1) and zeroing the new one. */
function growRows(scratch: LayoutScratch, rows: number, stride: number): Int32Array {
  const needed = rows * stride;
  if (scratch.diff.length < needed) {
    const grown = new Int32Array(Math.max(needed, scratch.diff.length * 2));
    grown.set(scratch.diff.subarray(0, (rows - 1) * stride));
    scratch.diff = grown;
  }
  scratch.diff.fill(0, (rows - 1) * stride, needed);
  return scratch.diff;
}
