import type { Lane } from './lane';
import {
  clearDiff,
  paintColumn,
  reserveRows,
  type LaneMarks,
  type LayoutScratch,
  type TimeWindow,
} from './laneMarks';
import { SUMMARY_BLOCK } from './laneSummary';

/**
 * Column-sweep aggregation for zoomed-out views, exact under the same column
 * model as the sparse strategy (laneMarks.ts) but without visiting every exit:
 *
 * 1. Starts: for each column, two binary searches give the entries whose
 *    start column is c; their reason counts come from the lane's prefix
 *    histograms (laneSummary.ts) plus at most two partial blocks.
 * 2. Spans: entries that also touch columns after their start column (or
 *    started before the window) are found block by block; a block is skipped
 *    when its largest end cannot leave its first entry's column. Each span
 *    adds its extra columns to a per-reason difference array.
 *
 * Cost: O(columns · (width + log n + SUMMARY_BLOCK) + blocks in view + spans).
 * Requires lane.summary.enabled and width > 0 (the caller checks).
 */
export function aggregateDense(
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
  const { width, prefix, blockMaxEnd } = lane.summary;
  const diff = clearDiff(scratch, width * stride);
  reserveRows(scratch, width);
  const { running, counts } = scratch;
  let visible = 0;

  // 2. Spans (done first so the sweep can read the difference rows).
  for (let b = Math.floor(lo / SUMMARY_BLOCK); b * SUMMARY_BLOCK < hi; b++) {
    const first = Math.max(lo, b * SUMMARY_BLOCK);
    const last = Math.min(hi, (b + 1) * SUMMARY_BLOCK);
    const lastColumn = Math.ceil((blockMaxEnd[b] - t0) * k) - 1;
    if (lastColumn <= Math.max(Math.floor((times[first] - t0) * k), -1)) continue;
    for (let i = first; i < last; i++) {
      const c0 = Math.floor((times[i] - t0) * k);
      const x1 = (ends[i] - t0) * k;
      // The end column ceil(x1) - 1 exceeds c0 only when x1 > c0 + 1 (this also drops zero-length exits).
      if (x1 <= c0 + 1) continue;
      const c1 = Math.min(columns - 1, Math.ceil(x1) - 1);
      const from = Math.max(c0 + 1, 0);
      if (c1 < from || from >= columns) continue;
      if (c0 < 0) visible++; // started before the window: not counted among the starts
      const row = reasons[i] * stride;
      diff[row + from]++;
      diff[row + c1 + 1]--;
    }
  }

  // 1. Starts, column by column.
  running.fill(0, 0, width);
  let i0 = firstAtOrAfter(times, lo, hi, t0, 0, 1);
  for (let c = 0; c < columns; c++) {
    // floor((t - t0)·k) > c  ⟺  (t - t0)·k ≥ c + 1
    const i1 = firstAtOrAfter(times, i0, hi, t0, c + 1, k);
    countReasons(reasons, prefix, width, i0, i1, counts);
    visible += i1 - i0;
    let best = -1;
    let bestCount = 0;
    for (let r = 0; r < width; r++) {
      const n = counts[r] + (running[r] += diff[r * stride + c]);
      if (n > bestCount) {
        bestCount = n;
        best = r;
      }
    }
    paintColumn(out, c, best);
    i0 = i1;
  }
  out.visible = visible;
}

/**
 * First index in [lo, hi) with (times[i] - t0) · k ≥ x (a monotone
 * predicate), or hi. Gallops from lo first: the answer is usually near it,
 * so the probes stay in cache.
 */
function firstAtOrAfter(
  times: Float64Array,
  lo: number,
  hi: number,
  t0: number,
  x: number,
  k: number,
): number {
  let step = 1;
  while (lo + step < hi && (times[lo + step] - t0) * k < x) {
    lo += step;
    step *= 2;
  }
  hi = Math.min(hi, lo + step);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] - t0) * k >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** counts[r] = entries of reason r in [i0, i1), via prefix rows when the range is long. */
function countReasons(
  reasons: Uint16Array,
  prefix: Uint32Array,
  width: number,
  i0: number,
  i1: number,
  counts: Int32Array,
): void {
  counts.fill(0, 0, width);
  if (i1 - i0 <= 2 * SUMMARY_BLOCK) {
    for (let i = i0; i < i1; i++) counts[reasons[i]]++;
    return;
  }
  const b0 = Math.floor(i0 / SUMMARY_BLOCK);
  const b1 = Math.floor(i1 / SUMMARY_BLOCK);
  for (let r = 0; r < width; r++) counts[r] = prefix[b1 * width + r] - prefix[b0 * width + r];
  for (let i = b0 * SUMMARY_BLOCK; i < i0; i++) counts[reasons[i]]--;
  for (let i = b1 * SUMMARY_BLOCK; i < i1; i++) counts[reasons[i]]++;
}
