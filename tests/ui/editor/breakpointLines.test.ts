import { describe, expect, it } from 'vitest';
import {
  linesOfRanges,
  normalizeLines,
  sameLines,
  toggleLine,
} from '../../../src/ui/editor/breakpointLines';

describe('breakpoint lines', () => {
  it('normalize to sorted, unique, existing lines', () => {
    expect(normalizeLines([5, 2, 5, 0, -1, 2.5, 9], 8)).toEqual([2, 5]);
    expect(normalizeLines([3, 1])).toEqual([1, 3]);
  });
  it('toggle on and off', () => {
    expect(toggleLine([], 4)).toEqual([4]);
    expect(toggleLine([1, 4], 3)).toEqual([1, 3, 4]);
    expect(toggleLine([1, 3, 4], 3)).toEqual([1, 4]);
    expect(toggleLine(toggleLine([2], 7), 7)).toEqual([2]);
  });
  it('compare ignoring order and duplicates', () => {
    expect(sameLines([3, 1], [1, 3, 3])).toBe(true);
    expect(sameLines([1], [1, 2])).toBe(false);
  });
  it('read the lines decorations moved to, merging collapsed ones', () => {
    expect(
      linesOfRanges([{ startLineNumber: 6 }, { startLineNumber: 2 }, { startLineNumber: 6 }]),
    ).toEqual([2, 6]);
  });
});
