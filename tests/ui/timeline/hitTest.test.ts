import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countStarts, distanceToExit, hitTestLane } from '../../../src/ui/timeline/hitTest';
import { createTimelineIndex, updateTimelineIndex } from '../../../src/ui/timeline/timelineIndex';
import { makeData, scheduledExits, type ExitSpec } from './fixtures';

function indexOf(exits: ExitSpec[]) {
  const data = makeData(exits);
  const index = createTimelineIndex();
  updateTimelineIndex(index, data);
  return { data, index };
}

/** Reference: scan every exit of the lane, nearest wins, ties to the later (time, index). */
function naiveHit(
  exits: readonly ExitSpec[],
  keep: (e: ExitSpec) => boolean,
  t: number,
  tol: number,
) {
  let best = -1;
  let bestKey: [number, number, number] = [Infinity, 0, 0];
  exits.forEach((e, i) => {
    if (!keep(e)) return;
    const d = distanceToExit(e.time, Math.max(e.time, e.end), t);
    if (d > tol) return;
    const key: [number, number, number] = [d, e.time, i];
    const better =
      key[0] < bestKey[0] ||
      (key[0] === bestKey[0] &&
        (key[1] > bestKey[1] || (key[1] === bestKey[1] && key[2] > bestKey[2])));
    if (better) [best, bestKey] = [i, key];
  });
  return best;
}

describe('distanceToExit', () => {
  it('is 0 inside [time, end] and the gap to the nearer edge outside', () => {
    expect(distanceToExit(10, 20, 15)).toBe(0);
    expect(distanceToExit(10, 20, 10)).toBe(0);
    expect(distanceToExit(10, 20, 20)).toBe(0);
    expect(distanceToExit(10, 20, 7)).toBe(3);
    expect(distanceToExit(10, 20, 26)).toBe(6);
  });
});

describe('hitTestLane', () => {
  // Globally interleaved: exit indices are not in time order.
  const exits: ExitSpec[] = [
    { time: 100, end: 110, vcpu: 1, reason: 0 },
    { time: 0, end: 10, vcpu: 0, reason: 1, handled: 1 },
    { time: 200, end: 260, vcpu: 1, reason: 2, handled: 1 },
    { time: 50, end: 52, vcpu: 0, reason: 0 },
    { time: 205, end: 207, vcpu: 0, reason: 3, handled: 1 },
  ];
  const { index } = indexOf(exits);

  it('returns the exit containing the time, searching only its own lane', () => {
    expect(hitTestLane(index.vcpuLanes[1], 105, 0)).toBe(0);
    expect(hitTestLane(index.vcpuLanes[0], 51, 0)).toBe(3);
    expect(hitTestLane(index.vcpuLanes[0], 105, 0)).toBe(-1);
  });

  it('accepts a near miss within the tolerance and picks the nearest', () => {
    expect(hitTestLane(index.vcpuLanes[0], 55, 4)).toBe(3);
    expect(hitTestLane(index.vcpuLanes[0], 55, 2)).toBe(-1);
    expect(hitTestLane(index.vcpuLanes[0], 30, 25)).toBe(3); // 20 from exit 3, 20 from exit 1: later wins
  });

  it('prefers the later of overlapping exits (drawn on top) in the VMM lane', () => {
    expect(hitTestLane(index.vmmLane, 206, 0)).toBe(4);
    expect(hitTestLane(index.vmmLane, 230, 0)).toBe(2);
  });

  it('finds a long exit that started well before the pointer', () => {
    const long = indexOf([
      { time: 0, end: 10_000, vcpu: 0, reason: 0 },
      ...Array.from({ length: 50 }, (_, i) => ({ time: 10 + i, end: 10 + i, vcpu: 0, reason: 1 })),
    ]);
    expect(hitTestLane(long.index.vcpuLanes[0], 5_000, 1)).toBe(0);
  });

  it('matches a full scan on scheduled multi-vCPU data (property)', () => {
    const all = scheduledExits(400, 3, 4, 11);
    const { index: big } = indexOf(all);
    const end = big.maxEnd;
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: end + 50, noNaN: true }),
        fc.constantFrom(0, 1, 5, 40),
        fc.integer({ min: 0, max: 3 }),
        (t, tol, laneNo) => {
          const lane = laneNo < 3 ? big.vcpuLanes[laneNo] : big.vmmLane;
          const keep = (e: ExitSpec) => (laneNo < 3 ? e.vcpu === laneNo : e.handled === 1);
          expect(hitTestLane(lane, t, tol)).toBe(naiveHit(all, keep, t, tol));
        },
      ),
      { seed: 77, numRuns: 500 },
    );
  });
});

describe('countStarts', () => {
  it('counts exits of a lane starting in [from, to)', () => {
    const { index } = indexOf(
      [0, 1, 1, 2, 5, 9].map((time) => ({ time, end: time + 1, vcpu: 0, reason: 0 })),
    );
    const lane = index.vcpuLanes[0];
    expect(countStarts(lane, 1, 5)).toBe(3);
    expect(countStarts(lane, 0, 10)).toBe(6);
    expect(countStarts(lane, 6, 9)).toBe(0);
    expect(countStarts(lane, 5, 5)).toBe(0);
  });
});
