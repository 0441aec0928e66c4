/**
 * Per-reason statistics (stats.ts) as CSV, for the UI's export button and
 * spreadsheets: one header line `reason,count,samples_pct,time_pct,min,max,
 * avg,total`, then one line per row in the given order.
 *
 * RFC 4180: lines end with CRLF; a field containing a comma, a double quote,
 * CR or LF is enclosed in double quotes with its quotes doubled. Times are in
 * the rows' unit (cycles for the model's stats); percentages and averages are
 * rounded to 4 decimals so the file does not carry float noise
 * (33.333333333333336); a non-finite number (the min of no samples) is an
 * empty field. Pure and deterministic.
 */
import type { ReasonStats } from './stats';

export const CSV_HEADER = [
  'reason',
  'count',
  'samples_pct',
  'time_pct',
  'min',
  'max',
  'avg',
  'total',
] as const;

/** One field, quoted when RFC 4180 requires it. */
export function csvField(v: string | number): string {
  const s = typeof v === 'number' ? csvNumber(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number as a CSV field: at most 4 decimals, no exponent for ordinary values. */
function csvNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  return String(Number(n.toFixed(4)));
}

/** The rows as an RFC 4180 CSV document (header included, CRLF line ends). */
export function statsToCsv(rows: readonly ReasonStats[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.reason, r.count, r.samplesPct, r.timePct, r.min, r.max, r.avg, r.total]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
