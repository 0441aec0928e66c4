import { format } from 'd3';

/**
 * Number formats for the timeline: cycles are shown exactly in tooltips and
 * the statistics table (with digit grouping), and SI-abbreviated on the axis.
 */

const grouped = format(',');
const groupedOne = format(',.1f');
const si = format('~s');

/** Exact cycles with digit grouping: 1234567 → "1,234,567"; fractions keep one decimal. */
export function formatCycles(cycles: number): string {
  if (!Number.isFinite(cycles)) return '–';
  return Number.isInteger(cycles) ? grouped(cycles) : groupedOne(cycles);
}

/** SI-abbreviated cycles for compact labels: 1500 → "1.5k", 2000000 → "2M", 12 → "12". */
export function formatCyclesShort(cycles: number): string {
  if (!Number.isFinite(cycles)) return '–';
  return Math.abs(cycles) < 1000 ? formatCycles(Math.round(cycles * 10) / 10) : si(cycles);
}

/** A 0–100 percentage with two decimals, as perf prints it: 45.678 → "45.68%". */
export function formatPercent(percent: number): string {
  return `${percent.toFixed(2)}%`;
}
