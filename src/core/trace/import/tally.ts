/**
 * Counting exits per reason and per vCPU while an importer reads its input,
 * then the summary: `byReason` most frequent first (ties by name, so the
 * output is deterministic), shares in percent rounded to 2 decimals as
 * `perf kvm stat` prints them, times in µs rounded to the nanosecond.
 */
import type { ReasonSummary } from './types';

interface Acc {
  count: number;
  /** Exits with a duration; their total, min and max (µs). */
  timed: number;
  total: number;
  min: number;
  max: number;
  /** False once a row came without its min and max (the first perf kvm stat). */
  minMax: boolean;
  /** Percentages printed by the input, kept when this reason came from one row only. */
  printed?: { samplesPct: number; timePct: number };
  rows: number;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export class ExitTally {
  private readonly reasons = new Map<string, Acc>();
  private readonly vcpus = new Map<number, number>();
  exits = 0;

  private acc(reason: string): Acc {
    let a = this.reasons.get(reason);
    if (!a) {
      a = { count: 0, timed: 0, total: 0, min: Infinity, max: -Infinity, minMax: true, rows: 0 };
      this.reasons.set(reason, a);
    }
    return a;
  }

  /** One exit; `us` is its duration when the input times it; `vcpu` when the input says it. */
  add(reason: string, vcpu: number | undefined, us?: number): void {
    const a = this.acc(reason);
    a.count++;
    this.exits++;
    if (us !== undefined) {
      a.timed++;
      a.total += us;
      a.min = Math.min(a.min, us);
      a.max = Math.max(a.max, us);
    }
    if (vcpu !== undefined) this.addVcpu(vcpu, 1);
  }

  /** A table row of `count` exits with their time statistics (µs) and printed shares. */
  addRow(
    reason: string,
    count: number,
    times?: { minUs?: number; maxUs?: number; avgUs: number },
    printed?: { samplesPct: number; timePct: number },
  ): void {
    const a = this.acc(reason);
    a.count += count;
    a.rows++;
    a.printed = a.rows === 1 ? printed : undefined;
    this.exits += count;
    if (times) {
      a.timed += count;
      a.total += times.avgUs * count;
      if (times.minUs === undefined || times.maxUs === undefined) a.minMax = false;
      else {
        a.min = Math.min(a.min, times.minUs);
        a.max = Math.max(a.max, times.maxUs);
      }
    }
  }

  /** `n` exits of vCPU `vcpu`. */
  addVcpu(vcpu: number, n: number): void {
    this.vcpus.set(vcpu, (this.vcpus.get(vcpu) ?? 0) + n);
  }

  /** Per-reason summaries, most frequent first; min/max only when every row of the reason had them. */
  byReason(): Record<string, ReasonSummary> {
    let totalTime = 0;
    for (const a of this.reasons.values()) totalTime += a.total;
    const rows = [...this.reasons].sort((x, y) => y[1].count - x[1].count || cmp(x[0], y[0]));
    const out: Record<string, ReasonSummary> = {};
    for (const [reason, a] of rows) {
      const r: ReasonSummary = {
        count: a.count,
        samplesPct:
          a.printed?.samplesPct ?? (this.exits ? round((100 * a.count) / this.exits, 2) : 0),
      };
      if (a.timed > 0) {
        r.timePct = a.printed?.timePct ?? (totalTime ? round((100 * a.total) / totalTime, 2) : 0);
        if (a.minMax) {
          r.minUs = round(a.min, 3);
          r.maxUs = round(a.max, 3);
        }
        r.avgUs = round(a.total / a.timed, 3);
        r.totalUs = round(a.total, 3);
      }
      out[reason] = r;
    }
    return out;
  }

  /** Exits per vCPU id, in id order. */
  byVcpu(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [v, n] of [...this.vcpus].sort((a, b) => a[0] - b[0])) out[String(v)] = n;
    return out;
  }
}

/** Locale-independent string order. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
