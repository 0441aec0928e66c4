import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineData } from '../../../src/core';
import type { Lane } from '../../../src/ui/timeline/lane';
import {
  createTimelineIndex,
  lanePositionOf,
  updateTimelineIndex,
  type TimelineIndex,
} from '../../../src/ui/timeline/timelineIndex';
import { makeData, prefix, scheduledExits, type ExitSpec } from './fixtures';

/** The valid part of a lane as plain arrays. */
function laneView(lane: Lane) {
  const n = lane.length;
  return {
    exits: [...lane.exits.subarray(0, n)],
    times: [...lane.times.subarray(0, n)],
    ends: [...lane.ends.subarray(0, n)],
    reasons: [...lane.reasons.subarray(0, n)],
    reach: [...lane.reach.subarray(0, n)],
  };
}

/** What a lane must hold: the chosen exits sorted by (time, index), with running max ends. */
function expectedLane(data: TimelineData, keep: (e: number) => boolean) {
  const exits: number[] = [];
  for (let e = 0; e < data.count; e++) if (keep(e)) exits.push(e);
  exits.sort((a, b) => data.time[a] - data.time[b] || a - b);
  const ends = exits.map((e) => Math.max(data.time[e], data.end[e]));
  let max = -Infinity;
  return {
    exits,
    times: exits.map((e) => data.time[e]),
    ends,
    reasons: exits.map((e) => data.reason[e]),
    reach: ends.map((end) => (max = Math.max(max, end))),
  };
}

function expectIndexMatches(index: TimelineIndex, data: TimelineData) {
  expect(index.indexed).toBe(data.count);
  index.vcpuLanes.forEach((lane, v) => {
    expect(laneView(lane)).toEqual(expectedLane(data, (e) => data.vcpu[e] === v));
  });
  expect(laneView(index.vmmLane)).toEqual(expectedLane(data, (e) => data.handled[e] === 1));
}

function indexOf(data: TimelineData): TimelineIndex {
  const index = createTimelineIndex();
  updateTimelineIndex(index, data);
  return index;
}

describe('updateTimelineIndex', () => {
  it('sorts each lane by start time although the global exit order is interleaved', () => {
    const data = makeData([
      { time: 100, end: 110, vcpu: 1, reason: 0 },
      { time: 5, end: 20, vcpu: 0, reason: 1, handled: 1 },
      { time: 120, end: 130, vcpu: 1, reason: 2, handled: 1 },
      { time: 25, end: 40, vcpu: 0, reason: 0 },
      { time: 30, end: 35, vcpu: 2, reason: 3, handled: 1 },
    ]);
    const index = indexOf(data);
    expect(index.vcpuLanes).toHaveLength(3);
    expect(laneView(index.vcpuLanes[0]).exits).toEqual([1, 3]);
    expect(laneView(index.vcpuLanes[1]).exits).toEqual([0, 2]);
    expect(laneView(index.vmmLane).exits).toEqual([1, 4, 2]);
    expect(index.maxEnd).toBe(130);
    expectIndexMatches(index, data);
  });

  it('ignores the spare capacity past data.count', () => {
    const data = makeData([{ time: 1, end: 2, vcpu: 0, reason: 0 }], undefined, 1, 1000);
    const index = indexOf(data);
    expect(index.vcpuLanes[0].length).toBe(1);
    expect(index.vmmLane.length).toBe(0);
  });

  it('is incremental: appending in batches gives the same lanes as indexing all at once', () => {
    const data = makeData(scheduledExits(500, 3, 4, 7));
    const index = createTimelineIndex();
    for (const count of [0, 1, 2, 50, 51, 300, 499, 500]) {
      const result = updateTimelineIndex(index, prefix(data, count));
      expect(result).not.toBe('rebuilt');
      expectIndexMatches(index, prefix(data, count));
    }
    expect(updateTimelineIndex(index, data)).toBe('unchanged');
  });

  it('merges a batch that starts before the lane tail (out-of-order times within one lane)', () => {
    const data = makeData([
      { time: 50, end: 60, vcpu: 0, reason: 0 },
      { time: 70, end: 80, vcpu: 0, reason: 1 },
      { time: 10, end: 20, vcpu: 0, reason: 2 },
      { time: 65, end: 66, vcpu: 0, reason: 3 },
      { time: 65, end: 200, vcpu: 0, reason: 0 },
    ]);
    const index = createTimelineIndex();
    updateTimelineIndex(index, prefix(data, 2));
    updateTimelineIndex(index, data);
    expect(laneView(index.vcpuLanes[0]).exits).toEqual([2, 0, 3, 4, 1]);
    expectIndexMatches(index, data);
  });

  it('re-reads the end of each vCPU latest exit (it may have been in progress)', () => {
    const data = makeData([
      { time: 10, end: 10, vcpu: 0, reason: 0 },
      { time: 15, end: 15, vcpu: 1, reason: 1 },
    ]);
    const index = indexOf(data);
    expect(index.maxEnd).toBe(15);
    data.end[0] = 40; // vCPU 0 re-entered the guest; no new exit
    data.end[1] = 90; // vCPU 1 went to userspace and came back…
    data.handled[1] = 1; // …so exit 1 now belongs in the VMM lane
    expect(updateTimelineIndex(index, data)).toBe('appended');
    expectIndexMatches(index, data);
    expect(index.maxEnd).toBe(90);
  });

  it('rebuilds when the data is a different run', () => {
    const first = makeData(scheduledExits(40, 2, 3, 1));
    const index = indexOf(first);
    const second = makeData(scheduledExits(60, 2, 3, 2));
    expect(updateTimelineIndex(index, second)).toBe('rebuilt');
    expectIndexMatches(index, second);
    expect(updateTimelineIndex(index, prefix(second, 10))).toBe('rebuilt');
    expectIndexMatches(index, prefix(second, 10));
  });

  it('adds lanes for data.vcpus even before they have exits, and for exits naming a higher vCPU', () => {
    const data = makeData([{ time: 1, end: 2, vcpu: 0, reason: 0 }], undefined, 4);
    expect(indexOf(data).vcpuLanes).toHaveLength(4);
    const odd = makeData([{ time: 1, end: 2, vcpu: 5, reason: 0 }], undefined, 2);
    expect(indexOf(odd).vcpuLanes).toHaveLength(6);
  });

  it('matches a full sort for random data split into random batches (property)', () => {
    const exitArb = fc.record({
      time: fc.integer({ min: 0, max: 200 }),
      len: fc.integer({ min: -5, max: 40 }),
      vcpu: fc.integer({ min: 0, max: 3 }),
      reason: fc.integer({ min: 0, max: 3 }),
      handled: fc.constantFrom<0 | 1>(0, 1),
    });
    fc.assert(
      fc.property(
        fc.array(exitArb, { maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 6 }),
        (raw, cuts) => {
          const exits: ExitSpec[] = raw.map((e) => ({ ...e, end: e.time + e.len }));
          const data = makeData(exits, undefined, 4);
          const index = createTimelineIndex();
          for (const cut of [...cuts.filter((c) => c <= exits.length)].sort((a, b) => a - b)) {
            updateTimelineIndex(index, prefix(data, cut));
          }
          updateTimelineIndex(index, data);
          expectIndexMatches(index, data);
        },
      ),
      { seed: 20240601, numRuns: 200 },
    );
  });
});

describe('lanePositionOf', () => {
  it('finds an exit among entries sharing its start time, or -1', () => {
    const data = makeData([
      { time: 5, end: 6, vcpu: 0, reason: 0 },
      { time: 5, end: 9, vcpu: 0, reason: 1 },
      { time: 7, end: 8, vcpu: 0, reason: 0 },
    ]);
    const lane = indexOf(data).vcpuLanes[0];
    expect(lanePositionOf(lane, 0, 5)).toBe(0);
    expect(lanePositionOf(lane, 1, 5)).toBe(1);
    expect(lanePositionOf(lane, 2, 7)).toBe(2);
    expect(lanePositionOf(lane, 2, 5)).toBe(-1);
    expect(lanePositionOf(lane, 9, 6)).toBe(-1);
  });
});
