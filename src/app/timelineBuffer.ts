/**
 * The page's copy of every exit the run has shown so far (the timeline's
 * data): grows by appends from the Worker and takes in-place updates of
 * exits that were still in flight. Arrays grow by doubling and are replaced
 * then (the timeline redraws on `version`).
 */
import { allocTimeline, type TimelineData } from '../core/index';

/** An empty buffer with room for 1024 exits. */
export function emptyTimeline(vcpus = 1): TimelineData {
  return allocTimeline(1024, vcpus);
}

function grow<T extends Float64Array | Uint8Array | Uint16Array>(a: T, n: number): T {
  if (a.length >= n) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Merge a Worker `timeline` message into `into` (mutated and returned, or a
 * fresh buffer when `reset`). Exits [from, from + chunk.count) are written;
 * `changed` updates earlier ends and handled-in flags.
 */
export function mergeTimeline(
  into: TimelineData,
  reset: boolean,
  from: number,
  chunk: TimelineData,
  changed: { index: number[]; end: number[]; handled: number[] },
): TimelineData {
  const t = reset ? emptyTimeline(chunk.vcpus) : into;
  const need = from + chunk.count;
  t.time = grow(t.time, need);
  t.end = grow(t.end, need);
  t.vcpu = grow(t.vcpu, need);
  t.reason = grow(t.reason, need);
  t.handled = grow(t.handled, need);
  t.time.set(chunk.time.subarray(0, chunk.count), from);
  t.end.set(chunk.end.subarray(0, chunk.count), from);
  t.vcpu.set(chunk.vcpu.subarray(0, chunk.count), from);
  t.reason.set(chunk.reason.subarray(0, chunk.count), from);
  t.handled.set(chunk.handled.subarray(0, chunk.count), from);
  t.count = Math.max(t.count, need);
  if (chunk.reasons.length >= t.reasons.length) t.reasons = chunk.reasons;
  t.vcpus = chunk.vcpus;
  changed.index.forEach((x, i) => {
    if (x < t.count) {
      t.end[x] = changed.end[i];
      t.handled[x] = changed.handled[i];
    }
  });
  return t;
}
