import { describe, expect, it } from 'vitest';
import { laneSlots } from '../../../src/ui/timeline/geometry';
import { highlightOf } from '../../../src/ui/timeline/highlight';
import { makeData } from './fixtures';

describe('highlightOf', () => {
  const data = makeData(
    [
      { time: 100, end: 200, vcpu: 1, reason: 0, handled: 1 },
      { time: 300, end: 250, vcpu: 0, reason: 1 },
    ],
    undefined,
    2,
  );
  const slots = laneSlots(200, 2, true); // vCPU 0, vCPU 1, VMM
  const x = (t: number) => t / 10;

  it('outlines the exit on its vCPU lane and, when it reached userspace, on the VMM lane', () => {
    expect(highlightOf(data, 0, slots, x, 100)).toEqual([
      { slot: 1, x0: 10, x1: 20 },
      { slot: 2, x0: 10, x1: 20 },
    ]);
  });

  it('treats an exit still being handled (end before start) as zero-length', () => {
    expect(highlightOf(data, 1, slots, x, 100)).toEqual([{ slot: 0, x0: 30, x1: 30 }]);
  });

  it('draws nothing for no exit, an invalid index, or an exit off-screen', () => {
    expect(highlightOf(data, null, slots, x, 100)).toEqual([]);
    expect(highlightOf(data, 2, slots, x, 100)).toEqual([]);
    expect(highlightOf(data, -1, slots, x, 100)).toEqual([]);
    expect(highlightOf(data, 1, slots, x, 20)).toEqual([]);
    expect(highlightOf(data, 0, laneSlots(200, 2, false), x, 100)).toHaveLength(1);
  });
});
