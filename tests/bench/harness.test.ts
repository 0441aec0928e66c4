import { describe, expect, it } from 'vitest';
import { formatResult, measure, median } from '../../bench/harness';

describe('bench harness', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow();
  });

  it('calls the function warmup + samples times and reports throughput', () => {
    let calls = 0;
    const result = measure(
      'spin',
      () => {
        calls += 1;
        let x = 0;
        for (let i = 0; i < 10_000; i++) x += i;
        return x;
      },
      { samples: 5, warmup: 2, unitsPerCall: 10_000, unit: 'adds/s' },
    );
    expect(calls).toBe(7);
    expect(result.samples).toBe(5);
    expect(result.medianMs).toBeGreaterThanOrEqual(0);
    expect(formatResult(result)).toMatch(/^spin\s+\d+\.\d{3} ms \(median of 5\)/);
  });
});
