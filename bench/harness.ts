/**
 * A tiny benchmark harness: time a function N times and report the median,
 * which shrugs off the odd GC pause better than the mean.
 *
 * A bench module is any `bench/*.bench.ts` that exports
 * `run(): BenchResult[] | Promise<BenchResult[]>`; bench/index.ts finds and runs them.
 */
import { performance } from 'node:perf_hooks';
import { assemble } from '../src/core/isa';

/** One measured figure. */
export interface BenchResult {
  /** What was measured, e.g. `assemble hello.s`. */
  name: string;
  /** Median wall time of one sample, in milliseconds. */
  medianMs: number;
  /** Number of timed samples. */
  samples: number;
  /** Optional throughput, e.g. `{ value: 1.2e6, unit: 'lines/s' }`. */
  throughput?: { value: number; unit: string };
  /**
   * The throughput of the slowest and the fastest sample: on a shared
   * machine the spread says how far one median can be trusted.
   */
  spread?: { low: number; high: number };
}

/** A guest image assembled from `src` (throws on assembly errors: bench programs are fixed). */
export function guestImage(src: string): { bytes: Uint8Array; origin: number; entry: number } {
  const a = assemble(src);
  if (!a.ok) throw new Error(JSON.stringify(a.errors));
  return { bytes: a.bytes, origin: a.origin, entry: a.entry };
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Timed samples (default 15). */
  samples?: number;
  /** Untimed runs first, to let the JIT settle (default 3). */
  warmup?: number;
  /** Work units done by one call of `fn`; with `unit`, adds a throughput figure. */
  unitsPerCall?: number;
  unit?: string;
}

/** Runs `fn` `warmup` times untimed, then `samples` times timed; returns the median. */
export function measure(
  name: string,
  fn: () => unknown,
  options: MeasureOptions = {},
): BenchResult {
  const { samples = 15, warmup = 3, unitsPerCall, unit } = options;
  if (samples < 1) throw new Error('samples must be at least 1');
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  const medianMs = median(times);
  const result: BenchResult = { name, medianMs, samples };
  if (unitsPerCall !== undefined && unit !== undefined && medianMs > 0) {
    result.throughput = { value: unitsPerCall / (medianMs / 1000), unit };
    result.spread = {
      low: unitsPerCall / (Math.max(...times) / 1000),
      high: unitsPerCall / (Math.min(...times) / 1000),
    };
  }
  return result;
}

/** One line per result, aligned for a terminal. */
export function formatResult(r: BenchResult): string {
  const time = `${r.medianMs.toFixed(3)} ms`.padStart(12);
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const rate = r.throughput ? `  ${n(r.throughput.value)} ${r.throughput.unit}` : '';
  const spread = r.spread ? ` (samples ${n(r.spread.low)}–${n(r.spread.high)})` : '';
  return `${r.name.padEnd(40)} ${time} (median of ${r.samples})${rate}${spread}`;
}
