import { describe, expect, it } from 'vitest';
import { lowerBound, upperBound } from '../../../src/ui/timeline/search';

describe('lowerBound / upperBound', () => {
  const a = new Float64Array([1, 2, 2, 2, 5, 9, 999, 999]); // valid prefix: 6

  it('find the first entry >= / > a value within the valid prefix', () => {
    expect(lowerBound(a, 6, 2)).toBe(1);
    expect(upperBound(a, 6, 2)).toBe(4);
    expect(lowerBound(a, 6, 0)).toBe(0);
    expect(lowerBound(a, 6, 6)).toBe(5);
    expect(upperBound(a, 6, 9)).toBe(6);
  });

  it('never look past n, even when the spare capacity holds larger values', () => {
    expect(lowerBound(a, 6, 100)).toBe(6);
    expect(upperBound(a, 6, 999)).toBe(6);
    expect(lowerBound(a, 0, 1)).toBe(0);
  });
});
