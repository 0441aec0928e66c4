import type { Lane } from './lane';
import { lowerBound, upperBound } from './search';

/**
 * Hit testing on one sorted lane, for hover and click. Pure: binary search on
 * the lane's own sorted arrays (never on the global, scheduling-interleaved
 * exit order), then a scan of the few entries near the pointer.
 */

/** Distance in cycles from time `t` to the interval [time, end]: 0 inside it. */
export function distanceToExit(time: number, end: number, t: number): number {
  if (t < time) return time - t;
  if (t > end) return t - end;
  return 0;
}

/**
 * The exit of `lane` nearest to time `t`, if one lies within `tolerance`
 * cycles (an exit containing `t` has distance 0). Ties go to the later lane
 * entry (the one drawn last, on top). Returns the exit index (into
 * TimelineData), or -1.
 *
 * Cost: O(log n + entries within the tolerance band).
 */
export function hitTestLane(lane: Lane, t: number, tolerance: number): number {
  const lo = lowerBound(lane.reach, lane.length, t - tolerance);
  const hi = upperBound(lane.times, lane.length, t + tolerance);
  let best = -1;
  let bestDistance = Infinity;
  for (let k = lo; k < hi; k++) {
    const d = distanceToExit(lane.times[k], lane.ends[k], t);
    if (d <= tolerance && d <= bestDistance) {
      bestDistance = d;
      best = lane.exits[k];
    }
  }
  return best;
}

/** Number of exits of `lane` that start in [from, to). O(log n). */
export function countStarts(lane: Lane, from: number, to: number): number {
  if (!(to > from)) return 0;
  return lowerBound(lane.times, lane.length, to) - lowerBound(lane.times, lane.length, from);
}
