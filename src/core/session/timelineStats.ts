/**
 * `perf kvm stat`-style statistics over a time range of the timeline's
 * exits (viewTypes.ts TimelineData): the same definition as trace/stats.ts
 * (an exit lasts from its VM exit to the end of its VM entry), computed from
 * what the page already holds, so a brushed range needs no Worker round
 * trip and includes exits past the current position (the known future).
 */
import type { StatsRow, TimelineData } from './viewTypes';

/** Rows for the exits whose VM exit lies in [from, to), most frequent first. */
export function timelineStats(data: TimelineData, from: number, to: number): StatsRow[] {
  // Per-reason accumulators in flat arrays: a brush over a million exits
  // must stay a short task on the page's thread.
  const k = data.reasons.length;
  const count = new Float64Array(k);
  const total = new Float64Array(k);
  const min = new Float64Array(k).fill(Infinity);
  const max = new Float64Array(k);
  let n = 0;
  let all = 0;
  for (let i = 0; i < data.count; i++) {
    const at = data.time[i];
    if (at < from || at >= to) continue;
    const r = data.reason[i];
    const d = Math.max(0, data.end[i] - at);
    count[r]++;
    total[r] += d;
    if (d < min[r]) min[r] = d;
    if (d > max[r]) max[r] = d;
    n++;
    all += d;
  }
  const rows: StatsRow[] = [];
  for (let r = 0; r < k; r++) {
    if (!count[r]) continue;
    rows.push({
      reason: data.reasons[r],
      count: count[r],
      samplesPct: (100 * count[r]) / n,
      timePct: all ? (100 * total[r]) / all : 0,
      min: min[r],
      max: max[r],
      avg: total[r] / count[r],
      total: total[r],
    });
  }
  return rows.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
