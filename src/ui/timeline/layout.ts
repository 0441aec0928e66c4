import { aggregateDense } from './denseLayout';
import { createLane, type Lane } from './lane';
import { createLaneMarks, type LaneMarks, type LayoutScratch, type TimeWindow } from './laneMarks';
import { lowerBound } from './search';
import { aggregateSparse } from './sparseLayout';
import type { TimelineIndex } from './timelineIndex';

/**
 * Timeline layout: from sorted lanes and a visible time window to the bars a
 * frame paints, aggregated per pixel column as Perfetto does when marks are
 * denser than pixels (column model: laneMarks.ts). Pure (no DOM): the canvas
 * painter only fills rectangles.
 *
 * Two exact strategies give identical output: per-exit (sparseLayout.ts,
 * O(visible exits + columns · reasons)) and column sweep over block
 * histograms (denseLayout.ts, O(columns · (reasons + log n + block))).
 * `aggregateLane` picks the cheaper one, so a frame is bounded by
 * O(log n + min(visible exits, pixels · (reasons + block))) per lane.
 */

export {
  createLaneMarks,
  createLayoutScratch,
  type LaneMarks,
  type LayoutScratch,
  type TimeWindow,
} from './laneMarks';

/** Which aggregation to run; 'auto' picks by cost. Tests force the others to compare them. */
export type LayoutStrategy = 'auto' | 'sparse' | 'dense';

/** Use the column sweep when there are more visible entries than this many per column. */
const DENSE_PER_COLUMN = 4;

/**
 * Lane positions [lo, hi) that can touch [t0, t1): lo is the first entry whose
 * running end reaches t0, hi the first entry starting at or after t1. Entries
 * inside may still end before t0 (an earlier long exit raised the reach); the
 * strategies skip those.
 */
export function visibleRange(lane: Lane, t0: number, t1: number): [number, number] {
  const lo = lowerBound(lane.reach, lane.length, t0);
  const hi = lowerBound(lane.times, lane.length, t1);
  return [lo, Math.max(lo, hi)];
}

/** First and last column (inclusive, unclamped) an exit [time, end) touches in `w`. */
export function columnsOf(time: number, end: number, w: TimeWindow): [number, number] {
  const k = w.columns / (w.t1 - w.t0);
  const c0 = Math.floor((time - w.t0) * k);
  const c1 = end > time ? Math.max(c0, Math.ceil((end - w.t0) * k) - 1) : c0;
  return [c0, c1];
}

/**
 * Aggregates one lane into painted runs for window `w` (column model in
 * laneMarks.ts). Writes into `out` (grown as needed) and returns it.
 */
export function aggregateLane(
  lane: Lane,
  w: TimeWindow,
  scratch: LayoutScratch,
  out: LaneMarks = createLaneMarks(),
  strategy: LayoutStrategy = 'auto',
): LaneMarks {
  out.count = 0;
  out.visible = 0;
  if (lane.length === 0 || !(w.t1 > w.t0) || !(w.columns >= 1)) return out;
  const [lo, hi] = visibleRange(lane, w.t0, w.t1);
  if (lo >= hi) return out;
  const summarised = lane.summary.enabled && lane.summary.width > 0;
  const dense =
    summarised &&
    (strategy === 'dense' ||
      (strategy === 'auto' &&
        hi - lo > w.columns * Math.max(DENSE_PER_COLUMN, lane.summary.width / 2)));
  if (dense) aggregateDense(lane, w, lo, hi, scratch, out);
  else aggregateSparse(lane, w, lo, hi, scratch, out);
  return out;
}

/** Which lanes a frame shows: vCPU lanes 0 … vcpus-1, then the VMM lane when `vmmLane`. */
export interface LaneSelection {
  vcpus: number;
  vmmLane: boolean;
}

const EMPTY_LANE: Lane = createLane(0);

/** The lanes of `index` in display order (a vCPU with no exits yet gets an empty lane). */
export function selectLanes(index: TimelineIndex, selection: LaneSelection): Lane[] {
  const lanes: Lane[] = [];
  for (let v = 0; v < Math.max(1, selection.vcpus); v++) {
    lanes.push(index.vcpuLanes[v] ?? EMPTY_LANE);
  }
  if (selection.vmmLane) lanes.push(index.vmmLane);
  return lanes;
}

/**
 * Lays out every displayed lane of `index` for window `w`, in
 * {@link selectLanes} order. Reuses the LaneMarks in `out` and returns it.
 */
export function layoutMarks(
  index: TimelineIndex,
  w: TimeWindow,
  selection: LaneSelection,
  scratch: LayoutScratch,
  out: LaneMarks[] = [],
): LaneMarks[] {
  const lanes = selectLanes(index, selection);
  while (out.length < lanes.length) out.push(createLaneMarks());
  out.length = lanes.length;
  lanes.forEach((lane, i) => aggregateLane(lane, w, scratch, out[i]));
  return out;
}
