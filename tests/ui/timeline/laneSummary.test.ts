import { describe, expect, it } from 'vitest';
import {
  createLaneSummary,
  MAX_SUMMARY_WIDTH,
  SUMMARY_BLOCK,
  updateLaneSummary,
  type SummarySource,
} from '../../../src/ui/timeline/laneSummary';
import { createTimelineIndex, updateTimelineIndex } from '../../../src/ui/timeline/timelineIndex';
import { makeData, prefix, scheduledExits } from './fixtures';

function source(reasons: number[], ends = reasons.map((_, i) => i + 0.5)): SummarySource {
  return {
    length: reasons.length,
    reasons: Uint16Array.from(reasons),
    ends: Float64Array.from(ends),
  };
}

/** Checks every prefix row and block maximum against a direct count. */
function expectSummaryMatches(lane: SummarySource, summary = createLaneSummary()) {
  const blocks = Math.ceil(lane.length / SUMMARY_BLOCK);
  for (let b = 0; b <= blocks; b++) {
    const counts = new Array<number>(summary.width).fill(0);
    for (let i = 0; i < Math.min(lane.length, b * SUMMARY_BLOCK); i++) counts[lane.reasons[i]]++;
    expect([...summary.prefix.subarray(b * summary.width, (b + 1) * summary.width)]).toEqual(
      counts,
    );
    if (b < blocks) {
      const inBlock = [
        ...lane.ends.subarray(b * SUMMARY_BLOCK, Math.min(lane.length, (b + 1) * SUMMARY_BLOCK)),
      ];
      expect(summary.blockMaxEnd[b]).toBe(Math.max(...inBlock));
    }
  }
}

describe('updateLaneSummary', () => {
  it('keeps per-block prefix histograms and block maxima', () => {
    const reasons = Array.from({ length: 3 * SUMMARY_BLOCK + 5 }, (_, i) => (i * 7) % 5);
    const lane = source(reasons);
    const summary = createLaneSummary();
    updateLaneSummary(summary, lane, 0);
    expect(summary.width).toBeGreaterThanOrEqual(5);
    expectSummaryMatches(lane, summary);
  });

  it('updates incrementally from a position and widens for a new higher reason', () => {
    const reasons = Array.from({ length: 200 }, (_, i) => i % 3);
    const summary = createLaneSummary();
    updateLaneSummary(summary, source(reasons.slice(0, 70)), 0);
    const grown = [...reasons, 11, 2, 11];
    const lane = source(grown);
    updateLaneSummary(summary, lane, 70);
    expect(summary.width).toBeGreaterThan(11);
    expectSummaryMatches(lane, summary);
  });

  it('switches itself off for reason indices it cannot hold', () => {
    const summary = createLaneSummary();
    updateLaneSummary(summary, source([1, MAX_SUMMARY_WIDTH]), 0);
    expect(summary.enabled).toBe(false);
    expect(summary.width).toBe(0);
  });

  it('is maintained by the timeline index as exits arrive', () => {
    const data = makeData(scheduledExits(3000, 2, 6, 3));
    const index = createTimelineIndex();
    for (const n of [10, 700, 701, 2999, 3000]) updateTimelineIndex(index, prefix(data, n));
    for (const lane of [...index.vcpuLanes, index.vmmLane])
      expectSummaryMatches(lane, lane.summary);
  });
});
