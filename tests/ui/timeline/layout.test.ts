import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineData } from '../../../src/core';
import {
  aggregateLane,
  columnsOf,
  createLayoutScratch,
  layoutMarks,
  visibleRange,
  type LaneMarks,
  type LayoutStrategy,
  type TimeWindow,
} from '../../../src/ui/timeline/layout';
import { createTimelineIndex, updateTimelineIndex } from '../../../src/ui/timeline/timelineIndex';
import { makeData, scheduledExits, type ExitSpec } from './fixtures';

/** Runs as plain tuples [start, end, reason]. */
function runs(marks: LaneMarks): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let r = 0; r < marks.count; r++) out.push([marks.start[r], marks.end[r], marks.reason[r]]);
  return out;
}

/**
 * Reference aggregation, written independently of layout.ts: for every
 * column, count the exits whose [time, end) meets it (a zero-length exit
 * meets the column holding it), pick the most frequent reason (ties: lower
 * index), then merge equal neighbours.
 */
function naiveRuns(exits: readonly ExitSpec[], w: TimeWindow): [number, number, number][] {
  const width = (w.t1 - w.t0) / w.columns;
  const perColumn: number[] = [];
  for (let c = 0; c < w.columns; c++) {
    const lo = w.t0 + c * width;
    const hi = lo + width;
    const counts = new Map<number, number>();
    for (const e of exits) {
      const end = Math.max(e.time, e.end);
      const meets = end > e.time ? e.time < hi && end > lo : e.time >= lo && e.time < hi;
      if (meets) counts.set(e.reason, (counts.get(e.reason) ?? 0) + 1);
    }
    let best = -1;
    let bestCount = 0;
    for (const [reason, n] of [...counts].sort((a, b) => a[0] - b[0])) {
      if (n > bestCount) [best, bestCount] = [reason, n];
    }
    perColumn.push(best);
  }
  const out: [number, number, number][] = [];
  perColumn.forEach((reason, c) => {
    const last = out[out.length - 1];
    if (reason < 0) return;
    if (last && last[1] === c && last[2] === reason) last[1] = c + 1;
    else out.push([c, c + 1, reason]);
  });
  return out;
}

/** Exits that touch the window, counted independently of layout.ts. */
function naiveVisible(exits: readonly ExitSpec[], w: TimeWindow): number {
  return exits.filter((x) => {
    const end = Math.max(x.time, x.end);
    return end > x.time ? x.time < w.t1 && end > w.t0 : x.time >= w.t0 && x.time < w.t1;
  }).length;
}

function laneOf(exits: readonly ExitSpec[]) {
  const index = createTimelineIndex();
  updateTimelineIndex(index, makeData(exits.map((e) => ({ ...e, vcpu: 0 }))));
  return index.vcpuLanes[0];
}

function aggregateOne(
  exits: readonly ExitSpec[],
  w: TimeWindow,
  strategy: LayoutStrategy = 'auto',
) {
  return aggregateLane(laneOf(exits), w, createLayoutScratch(), undefined, strategy);
}

const STRATEGIES: LayoutStrategy[] = ['sparse', 'dense', 'auto'];

const e = (time: number, end: number, reason: number): ExitSpec => ({ time, end, reason, vcpu: 0 });

describe.each(STRATEGIES)('aggregateLane (%s)', (strategy) => {
  const w: TimeWindow = { t0: 0, t1: 100, columns: 10 }; // 10 cycles per column
  const aggregate = (exits: readonly ExitSpec[], win: TimeWindow) =>
    aggregateOne(exits, win, strategy);

  it('paints a wide exit across every column it covers', () => {
    expect(runs(aggregate([e(12, 47, 2)], w))).toEqual([[1, 5, 2]]);
  });

  it('treats an exit as [time, end): ending on a column boundary does not touch the next column', () => {
    expect(runs(aggregate([e(10, 30, 1)], w))).toEqual([[1, 3, 1]]);
  });

  it('gives a zero-length (or still running) exit the column holding its start', () => {
    expect(runs(aggregate([e(35, 35, 3), e(60, 20, 0)], w))).toEqual([
      [3, 4, 3],
      [6, 7, 0],
    ]);
  });

  it('colours a dense column by its most frequent reason', () => {
    const dense = [e(50, 51, 1), e(52, 53, 2), e(54, 55, 2), e(56, 57, 1), e(58, 59, 2)];
    const marks = aggregate(dense, w);
    expect(runs(marks)).toEqual([[5, 6, 2]]);
    expect(marks.visible).toBe(5);
  });

  it('breaks ties towards the lower reason index, whatever the order of the exits', () => {
    expect(runs(aggregate([e(50, 51, 3), e(52, 53, 1)], w))).toEqual([[5, 6, 1]]);
    expect(runs(aggregate([e(50, 51, 1), e(52, 53, 3)], w))).toEqual([[5, 6, 1]]);
  });

  it('merges neighbouring columns of the same reason into one run', () => {
    const marks = aggregate([e(0, 5, 0), e(10, 15, 0), e(20, 25, 0), e(30, 35, 1)], w);
    expect(runs(marks)).toEqual([
      [0, 3, 0],
      [3, 4, 1],
    ]);
  });

  it('clips exits at the window edges and skips those outside it', () => {
    const win: TimeWindow = { t0: 100, t1: 200, columns: 10 };
    const marks = aggregate([e(50, 100, 0), e(90, 115, 1), e(195, 260, 2), e(200, 210, 3)], win);
    expect(runs(marks)).toEqual([
      [0, 2, 1],
      [9, 10, 2],
    ]);
    expect(marks.visible).toBe(2);
  });

  it('finds an early long exit that still covers the window (running-max search)', () => {
    const exits = [e(0, 1000, 2), e(10, 11, 0), e(20, 21, 0), e(990, 991, 1)];
    const win: TimeWindow = { t0: 500, t1: 600, columns: 10 };
    expect(visibleRange(laneOf(exits), 500, 600)).toEqual([0, 3]);
    expect(runs(aggregate(exits, win))).toEqual([[0, 10, 2]]);
  });

  it('returns nothing for an empty lane or an empty window', () => {
    expect(aggregate([], w).count).toBe(0);
    expect(aggregate([e(1, 2, 0)], { t0: 5, t1: 5, columns: 10 }).count).toBe(0);
  });

  it('matches the reference per-column count for overlapping exits (property)', () => {
    const exitArb = fc.record({
      time: fc.integer({ min: -40, max: 240 }),
      len: fc.integer({ min: -3, max: 60 }),
      reason: fc.integer({ min: 0, max: 5 }),
    });
    const windowArb = fc.record({
      t0: fc.integer({ min: -20, max: 150 }),
      columns: fc.integer({ min: 1, max: 40 }),
      perColumn: fc.constantFrom(0.5, 1, 2, 4, 8),
    });
    fc.assert(
      fc.property(fc.array(exitArb, { maxLength: 60 }), windowArb, (raw, win) => {
        const exits = raw.map((x) => e(x.time, x.time + x.len, x.reason));
        const w2 = { t0: win.t0, t1: win.t0 + win.columns * win.perColumn, columns: win.columns };
        const marks = aggregate(exits, w2);
        expect(runs(marks)).toEqual(naiveRuns(exits, w2));
        expect(marks.visible).toBe(naiveVisible(exits, w2));
      }),
      { seed: 424242, numRuns: 300 },
    );
  });

  it('gives the same answer with a scratch reused across lanes and windows', () => {
    const scratch = createLayoutScratch();
    const a = laneOf([e(0, 40, 3), e(50, 60, 1)]);
    const b = laneOf([e(5, 6, 0), e(7, 8, 2), e(30, 90, 2)]);
    for (const lane of [a, b, a, b]) {
      for (const win of [w, { t0: 0, t1: 100, columns: 25 }]) {
        expect(runs(aggregateLane(lane, win, scratch, undefined, strategy))).toEqual(
          runs(aggregateLane(lane, win, createLayoutScratch(), undefined, strategy)),
        );
      }
    }
  });
});

describe('dense and sparse strategies', () => {
  it('agree on thousands of exits with long spans, overlaps and many per column', () => {
    const exits = scheduledExits(20_000, 1, 7, 5).map((x, i) =>
      i % 97 === 0 ? { ...x, end: x.time + 5_000 } : x,
    );
    const lane = laneOf(exits);
    const end = lane.reach[lane.length - 1];
    for (const win of [
      { t0: 0, t1: end, columns: 300 },
      { t0: -50, t1: end / 3, columns: 97 },
      { t0: end / 2, t1: end / 2 + 40_000, columns: 500 },
      { t0: 1234.5, t1: 99_999.25, columns: 64 },
    ]) {
      const sparse = aggregateLane(lane, win, createLayoutScratch(), undefined, 'sparse');
      const dense = aggregateLane(lane, win, createLayoutScratch(), undefined, 'dense');
      expect(runs(dense)).toEqual(runs(sparse));
      expect(dense.visible).toBe(sparse.visible);
    }
  });
});

describe('columnsOf', () => {
  it('gives the inclusive column span of an exit, unclamped', () => {
    const w: TimeWindow = { t0: 0, t1: 100, columns: 10 };
    expect(columnsOf(12, 47, w)).toEqual([1, 4]);
    expect(columnsOf(10, 30, w)).toEqual([1, 2]);
    expect(columnsOf(35, 35, w)).toEqual([3, 3]);
    expect(columnsOf(-25, 5, w)).toEqual([-3, 0]);
  });
});

describe('layoutMarks', () => {
  const data: TimelineData = makeData(
    [
      { time: 0, end: 10, vcpu: 0, reason: 0, handled: 1 },
      { time: 20, end: 30, vcpu: 1, reason: 1 },
      { time: 40, end: 50, vcpu: 0, reason: 2, handled: 1 },
    ],
    undefined,
    3,
  );
  const index = createTimelineIndex();
  updateTimelineIndex(index, data);
  const w: TimeWindow = { t0: 0, t1: 100, columns: 10 };

  it('lays out the vCPU lanes in order, then the VMM lane', () => {
    const marks = layoutMarks(index, w, { vcpus: 3, vmmLane: true }, createLayoutScratch());
    expect(marks.map(runs)).toEqual([
      [
        [0, 1, 0],
        [4, 5, 2],
      ],
      [[2, 3, 1]],
      [],
      [
        [0, 1, 0],
        [4, 5, 2],
      ],
    ]);
  });

  it('omits the VMM lane when asked and reuses the output array', () => {
    const out: LaneMarks[] = [];
    const scratch = createLayoutScratch();
    layoutMarks(index, w, { vcpus: 3, vmmLane: true }, scratch, out);
    const first = out[0];
    expect(layoutMarks(index, w, { vcpus: 3, vmmLane: false }, scratch, out)).toBe(out);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(first);
  });
});

describe('one million exits', () => {
  const N = 1_000_000;
  const exits = scheduledExits(N, 2, 6, 99);
  const data = makeData(exits, ['VMCALL', 'IO_INSTRUCTION', 'HLT', 'CPUID', 'MSR_READ', 'NPF'], 2);
  const index = createTimelineIndex();
  updateTimelineIndex(index, data);

  /** Reference by direct per-column counting (a different method from the difference arrays). */
  function referenceColumns(vcpu: number, w: TimeWindow, reasons: number): Int32Array {
    const counts = new Int32Array(w.columns * reasons);
    const per = (w.t1 - w.t0) / w.columns;
    for (let i = 0; i < data.count; i++) {
      if (data.vcpu[i] !== vcpu) continue;
      const start = data.time[i];
      const end = Math.max(start, data.end[i]);
      if (end < w.t0 || start >= w.t1) continue;
      const first = Math.max(0, Math.floor((start - w.t0) / per));
      const last = end > start ? Math.min(w.columns - 1, Math.ceil((end - w.t0) / per) - 1) : first;
      for (let c = first; c <= last && c < w.columns; c++) counts[c * reasons + data.reason[i]]++;
    }
    const best = new Int32Array(w.columns).fill(-1);
    for (let c = 0; c < w.columns; c++) {
      let n = 0;
      for (let r = 0; r < reasons; r++) {
        if (counts[c * reasons + r] > n) [n, best[c]] = [counts[c * reasons + r], r];
      }
    }
    return best;
  }

  function columnsFromRuns(marks: LaneMarks, columns: number): Int32Array {
    const out = new Int32Array(columns).fill(-1);
    for (let r = 0; r < marks.count; r++) out.fill(marks.reason[r], marks.start[r], marks.end[r]);
    return out;
  }

  it('indexes every exit once and aggregates the full view exactly', () => {
    expect(index.vcpuLanes[0].length + index.vcpuLanes[1].length).toBe(N);
    const w: TimeWindow = { t0: 0, t1: 1024 * Math.ceil(index.maxEnd / 1024), columns: 1024 };
    const marks = layoutMarks(index, w, { vcpus: 2, vmmLane: true }, createLayoutScratch());
    expect(marks[0].visible + marks[1].visible).toBe(N);
    for (const v of [0, 1]) {
      expect(columnsFromRuns(marks[v], w.columns)).toEqual(referenceColumns(v, w, 6));
    }
  });

  it('aggregates a zoomed-in window exactly and touches only the visible exits', () => {
    const mid = Math.floor(index.maxEnd / 2);
    const w: TimeWindow = { t0: mid, t1: mid + 2048, columns: 512 };
    const marks = layoutMarks(index, w, { vcpus: 2, vmmLane: false }, createLayoutScratch());
    expect(marks[0].visible).toBeLessThan(200);
    for (const v of [0, 1]) {
      expect(columnsFromRuns(marks[v], w.columns)).toEqual(referenceColumns(v, w, 6));
    }
  });
});
