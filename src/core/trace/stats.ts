/**
 * Per-exit-reason statistics shaped like `perf kvm stat report`: samples,
 * share of samples, share of time, min/max/avg time per exit. The time of
 * one exit runs from its VM exit to the end of its VM entry (simulated
 * cycles), i.e. what the guest lost to it.
 */
import { PHASE, type Trace } from './trace';

export interface ReasonStats {
  reason: string;
  count: number;
  /** Share of all exits in the range, 0–100. */
  samplesPct: number;
  /** Share of all exit time in the range, 0–100. */
  timePct: number;
  min: number;
  max: number;
  avg: number;
  total: number;
}

/**
 * Statistics over exits whose VM exit lies in events [from, to). `resumeCost`
 * is the cycles a resume phase lasts (the cost model's), added to its start.
 */
export function exitStats(t: Trace, resumeCost: number, from = 0, to = t.length): ReasonStats[] {
  const start = new Map<number, number>();
  const end = new Map<number, number>();
  for (let e = from; e < to; e++) {
    const x = t.exit[e];
    if (x < 0) continue;
    if (t.phase[e] === PHASE.guest) start.set(x, t.time[e]);
    else if (start.has(x)) {
      const finish = t.phase[e] === PHASE.resume ? t.time[e] + resumeCost : t.time[e];
      end.set(x, Math.max(end.get(x) ?? 0, finish));
    }
  }
  const by = new Map<string, number[]>();
  for (const [x, t0] of start) {
    const name = t.exitName(x);
    const d = Math.max(0, (end.get(x) ?? t0) - t0);
    const list = by.get(name) ?? [];
    list.push(d);
    by.set(name, list);
  }
  const totalCount = start.size;
  let totalTime = 0;
  for (const list of by.values()) for (const d of list) totalTime += d;
  const rows: ReasonStats[] = [];
  for (const [reason, list] of by) {
    // A loop, not Math.min(...list): a million exits overflow the argument stack.
    let total = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const d of list) {
      total += d;
      if (d < min) min = d;
      if (d > max) max = d;
    }
    rows.push({
      reason,
      count: list.length,
      samplesPct: totalCount ? (100 * list.length) / totalCount : 0,
      timePct: totalTime ? (100 * total) / totalTime : 0,
      min,
      max,
      avg: total / list.length,
      total,
    });
  }
  return rows.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/** The table as `perf kvm stat report` prints it (times in cycles here, not µs). */
export function formatStats(rows: readonly ReasonStats[]): string {
  const head = `${'VM-EXIT'.padStart(20)}${'Samples'.padStart(10)}${'Samples%'.padStart(10)}${'Time%'.padStart(9)}${'Min Time'.padStart(12)}${'Max Time'.padStart(12)}${'Avg time'.padStart(14)}`;
  const lines = rows.map(
    (r) =>
      `${r.reason.padStart(20)}${String(r.count).padStart(10)}${r.samplesPct.toFixed(2).padStart(9)}%${r.timePct.toFixed(2).padStart(8)}%${`${r.min}cy`.padStart(12)}${`${r.max}cy`.padStart(12)}${`${r.avg.toFixed(1)}cy`.padStart(14)}`,
  );
  const total = rows.reduce((a, r) => a + r.count, 0);
  return `${head}\n\n${lines.join('\n')}\n\nTotal Samples:${total}\n`;
}
