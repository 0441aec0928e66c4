import { scaleLinear, zoomIdentity } from 'd3';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_END,
  fitEnd,
  isFit,
  maxZoom,
  MIN_SPAN,
  RIGHT_PAD,
  transformShowing,
} from '../../../src/ui/timeline/viewport';

describe('viewport arithmetic', () => {
  it('fits the later of the last exit end and the cursor, with a little room', () => {
    expect(fitEnd(1000, null)).toBe(1000 * RIGHT_PAD);
    expect(fitEnd(1000, 5000)).toBe(5000 * RIGHT_PAD);
    expect(fitEnd(-Infinity, null)).toBe(EMPTY_END);
  });

  it('limits zoom so the window never gets narrower than MIN_SPAN cycles', () => {
    expect(maxZoom(1e6)).toBe(1e6 / MIN_SPAN);
    expect(maxZoom(5)).toBe(1);
  });

  it('finds the transform that shows a given window', () => {
    const base = scaleLinear().domain([0, 10_000]).range([0, 500]);
    const t = transformShowing(base, 2_000, 3_000);
    const visible = t.rescaleX(base).domain();
    expect(visible[0]).toBeCloseTo(2_000, 6);
    expect(visible[1]).toBeCloseTo(3_000, 6);
    expect(isFit(t)).toBe(false);
    expect(isFit(zoomIdentity)).toBe(true);
    expect(transformShowing(base, 0, 10_000).k).toBe(1);
  });
});
