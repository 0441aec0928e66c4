import { describe, expect, it } from 'vitest';
import { formatCycles, formatCyclesShort, formatPercent } from '../../../src/ui/timeline/format';

describe('cycle and percent formats', () => {
  it('prints exact cycles with digit grouping', () => {
    expect(formatCycles(0)).toBe('0');
    expect(formatCycles(1234567)).toBe('1,234,567');
    expect(formatCycles(12.34)).toBe('12.3');
    expect(formatCycles(NaN)).toBe('–');
  });

  it('abbreviates large values with SI prefixes', () => {
    expect(formatCyclesShort(12)).toBe('12');
    expect(formatCyclesShort(1500)).toBe('1.5k');
    expect(formatCyclesShort(2_000_000)).toBe('2M');
    expect(formatCyclesShort(3.25e9)).toBe('3.25G');
  });

  it('prints 0–100 percentages as perf does', () => {
    expect(formatPercent(45.678)).toBe('45.68%');
    expect(formatPercent(100)).toBe('100.00%');
  });
});
