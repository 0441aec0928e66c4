import { createLaneSummary, updateLaneSummary, type LaneSummary } from './laneSummary';

/**
 * One timeline lane: the exits drawn on one row, sorted by start time, kept as
 * parallel typed arrays (struct of arrays) so a frame walks memory in order.
 *
 * Contract: on [0, length) the entries are sorted by (start time, exit index),
 * `ends[k] >= times[k]`, and `reach[k]` is the running maximum of `ends[0..k]`,
 * so both `times` and `reach` are nondecreasing and can be binary-searched.
 * Arrays have spare capacity; nothing at or beyond `length` is meaningful.
 */
export interface Lane {
  /** Number of valid entries. */
  length: number;
  /** Exit index (into TimelineData) of each entry. */
  exits: Uint32Array;
  /** Start time (cycles) of each entry: TimelineData.time. */
  times: Float64Array;
  /** Effective end (cycles): max(time, TimelineData.end). */
  ends: Float64Array;
  /** Reason index of each entry: TimelineData.reason. */
  reasons: Uint16Array;
  /** Running maximum of `ends`: the first k with reach[k] >= t is the first entry that can cover t. */
  reach: Float64Array;
  /** Block histograms for zoomed-out frames (laneSummary.ts). */
  summary: LaneSummary;
}

const MIN_CAPACITY = 256;

/** An empty lane with room for `capacity` entries. */
export function createLane(capacity = MIN_CAPACITY): Lane {
  return {
    length: 0,
    exits: new Uint32Array(capacity),
    times: new Float64Array(capacity),
    ends: new Float64Array(capacity),
    reasons: new Uint16Array(capacity),
    reach: new Float64Array(capacity),
    summary: createLaneSummary(),
  };
}

/** Grows the lane's arrays (doubling) so it can hold `needed` entries; keeps the valid prefix. */
export function reserveLane(lane: Lane, needed: number): void {
  if (needed <= lane.exits.length) return;
  const capacity = Math.max(needed, lane.exits.length * 2, MIN_CAPACITY);
  const grow = <T extends Uint32Array | Float64Array | Uint16Array>(
    a: T,
    make: (n: number) => T,
  ) => {
    const b = make(capacity);
    b.set(a.subarray(0, lane.length));
    return b;
  };
  lane.exits = grow(lane.exits, (n) => new Uint32Array(n));
  lane.times = grow(lane.times, (n) => new Float64Array(n));
  lane.ends = grow(lane.ends, (n) => new Float64Array(n));
  lane.reasons = grow(lane.reasons, (n) => new Uint16Array(n));
  lane.reach = grow(lane.reach, (n) => new Float64Array(n));
}

/** Recomputes what is derived from the entries (reach, summary) after entries at or after `from` changed. */
export function refreshDerived(lane: Lane, from: number): void {
  recomputeReach(lane, from);
  updateLaneSummary(lane.summary, lane, from);
}

/** Recomputes `reach` on [from, length) from `ends`. */
function recomputeReach(lane: Lane, from: number): void {
  let max = from > 0 ? lane.reach[from - 1] : -Infinity;
  for (let k = from; k < lane.length; k++) {
    const end = lane.ends[k];
    if (end > max) max = end;
    lane.reach[k] = max;
  }
}
