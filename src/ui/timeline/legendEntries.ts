import type { TimelineData } from '../../core';
import { reasonColor } from './colors';

/** One legend row. */
export interface LegendEntry {
  reason: string;
  color: string;
  /** Exits with this reason among [0, data.count). */
  count: number;
}

/**
 * The reasons that occur in `data`, in reason-index order, with colour and
 * count. O(count): call once per data version, not per frame.
 */
export function legendEntries(data: TimelineData): LegendEntry[] {
  const counts = new Uint32Array(data.reasons.length);
  for (let i = 0; i < data.count; i++) {
    const r = data.reason[i];
    if (r < counts.length) counts[r]++;
  }
  const entries: LegendEntry[] = [];
  data.reasons.forEach((reason, r) => {
    if (counts[r] > 0) entries.push({ reason, color: reasonColor(reason), count: counts[r] });
  });
  return entries;
}
