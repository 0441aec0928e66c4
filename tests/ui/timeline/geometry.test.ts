import { describe, expect, it } from 'vitest';
import {
  AXIS_HEIGHT,
  contentHeight,
  LANE_GAP,
  laneAt,
  lanesBottom,
  laneSlots,
  markBand,
  MAX_LANE_HEIGHT,
  MIN_LANE_HEIGHT,
} from '../../../src/ui/timeline/geometry';

describe('laneSlots', () => {
  it('stacks vCPU lanes, then the VMM lane, sharing the space above the axis', () => {
    const slots = laneSlots(AXIS_HEIGHT + 90, 2, true);
    expect(slots.map((s) => s.label)).toEqual(['vCPU 0', 'vCPU 1', 'VMM']);
    expect(slots.map((s) => s.top)).toEqual([0, 30, 60]);
    expect(slots.every((s) => s.height === 30 - LANE_GAP)).toBe(true);
    expect(lanesBottom(slots)).toBe(90);
    expect(contentHeight(slots)).toBe(90 + AXIS_HEIGHT);
  });

  it('clamps the lane height, so a tall pane does not stretch lanes and a short one overflows', () => {
    expect(laneSlots(2000, 1, false)[0].height).toBe(MAX_LANE_HEIGHT - LANE_GAP);
    const tight = laneSlots(40, 4, true);
    expect(tight[1].top).toBe(MIN_LANE_HEIGHT);
    expect(contentHeight(tight)).toBeGreaterThan(40);
  });

  it('always has at least one vCPU lane and no VMM lane unless asked', () => {
    expect(laneSlots(100, 0, false).map((s) => s.label)).toEqual(['vCPU 0']);
  });
});

describe('laneAt and markBand', () => {
  const slots = laneSlots(AXIS_HEIGHT + 60, 1, true); // pitch 30

  it('maps a y coordinate to its lane row (gap included) or -1', () => {
    expect(laneAt(slots, 0)).toBe(0);
    expect(laneAt(slots, 29.9)).toBe(0);
    expect(laneAt(slots, 30)).toBe(1);
    expect(laneAt(slots, 59.9)).toBe(1);
    expect(laneAt(slots, 60)).toBe(-1);
    expect(laneAt(slots, -1)).toBe(-1);
  });

  it('draws VMM marks as a thinner band centred in the lane', () => {
    expect(markBand(slots[0])).toEqual({ top: 0, height: 27 });
    const vmm = markBand(slots[1]);
    expect(vmm.height).toBeLessThan(slots[1].height);
    expect(vmm.top).toBeGreaterThan(slots[1].top);
    expect(vmm.top + vmm.height).toBeLessThan(slots[1].top + slots[1].height);
  });
});
