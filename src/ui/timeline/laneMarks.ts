/**
 * The vocabulary shared by the layout strategies: the window being laid out,
 * the runs a lane paints, and reusable scratch buffers.
 *
 * Column model: the window [t0, t1) is cut into `columns` equal columns;
 * an exit [time, end) touches column c when its start column
 * floor((time - t0) · k) ≤ c ≤ its end column ceil((end - t0) · k) - 1
 * (k = columns / (t1 - t0); a zero-length exit touches only its start
 * column). Each touched column is painted in the reason of the most exits
 * touching it; ties go to the lower reason index. Adjacent columns of the
 * same reason merge into one run.
 */

/** The visible time window and the number of pixel columns it spans. */
export interface TimeWindow {
  /** Left edge (cycles). */
  t0: number;
  /** Right edge (cycles), > t0. */
  t1: number;
  /** Pixel columns (≥ 1). */
  columns: number;
}

/** The painted runs of one lane: run r covers columns [start[r], end[r]) in reason reason[r]. */
export interface LaneMarks {
  /** Number of runs. */
  count: number;
  start: Int32Array;
  end: Int32Array;
  reason: Uint16Array;
  /** Exits that touch the window. */
  visible: number;
}

/** Reusable buffers so a frame allocates nothing once warmed up (grown on demand). */
export interface LayoutScratch {
  /** Per-row difference arrays, `columns + 1` wide each. */
  diff: Int32Array;
  /** Reason index (any Uint16) → slot, -1 when unused; all -1 between calls. */
  slotOfReason: Int32Array;
  /** Slot → reason index. */
  reasonOfSlot: Int32Array;
  /** Running count per row while sweeping the columns. */
  running: Int32Array;
  /** Per-reason counts of the column being swept (dense strategy). */
  counts: Int32Array;
}

/** Reason indices are Uint16 (TimelineData.reason), so a slot map of this size needs no bounds check. */
const REASON_LIMIT = 0x10000;

/** Fresh scratch buffers (256 KiB for the slot map; the rest grows on demand). */
export function createLayoutScratch(): LayoutScratch {
  return {
    diff: new Int32Array(0),
    slotOfReason: new Int32Array(REASON_LIMIT).fill(-1),
    reasonOfSlot: new Int32Array(8),
    running: new Int32Array(8),
    counts: new Int32Array(8),
  };
}

/** Makes `scratch.diff` hold at least `size` entries and zeroes [0, size). */
export function clearDiff(scratch: LayoutScratch, size: number): Int32Array {
  if (scratch.diff.length < size)
    scratch.diff = new Int32Array(Math.max(size, scratch.diff.length * 2));
  scratch.diff.fill(0, 0, size);
  return scratch.diff;
}

/** Makes `running` and `counts` hold at least `rows` entries. */
export function reserveRows(scratch: LayoutScratch, rows: number): void {
  if (scratch.running.length >= rows) return;
  const size = Math.max(rows, scratch.running.length * 2);
  scratch.running = new Int32Array(size);
  scratch.counts = new Int32Array(size);
  const reasonOfSlot = new Int32Array(size);
  reasonOfSlot.set(scratch.reasonOfSlot);
  scratch.reasonOfSlot = reasonOfSlot;
}

/** An empty LaneMarks with room for `capacity` runs. */
export function createLaneMarks(capacity = 64): LaneMarks {
  return {
    count: 0,
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    reason: new Uint16Array(capacity),
    visible: 0,
  };
}

/**
 * Appends column `column` painted in `reason` (-1: empty) to `out`, extending
 * the last run when it ends at `column` with the same reason. Columns must
 * come in increasing order.
 */
export function paintColumn(out: LaneMarks, column: number, reason: number): void {
  if (reason < 0) return;
  const last = out.count - 1;
  if (last >= 0 && out.end[last] === column && out.reason[last] === reason) {
    out.end[last] = column + 1;
    return;
  }
  if (out.count === out.start.length) {
    const capacity = Math.max(8, out.count * 2);
    const grow = <T extends Int32Array | Uint16Array>(a: T, b: T): T => (b.set(a), b);
    out.start = grow(out.start, new Int32Array(capacity));
    out.end = grow(out.end, new Int32Array(capacity));
    out.reason = grow(out.reason, new Uint16Array(capacity));
  }
  out.start[out.count] = column;
  out.end[out.count] = column + 1;
  out.reason[out.count] = reason;
  out.count++;
}
