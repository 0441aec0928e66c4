import { memo } from 'react';
import { formatCycles, formatPercent } from './format';
import type { RangeStats } from './useRangeStats';

/** Props of {@link StatsTable}. */
export interface StatsTableProps {
  stats: RangeStats;
  /** Removes the brushed range. */
  onClear(): void;
}

/**
 * `perf kvm stat report` for the brushed range, as a real table: Event,
 * Samples, Samples%, Time%, Min, Max, Avg (times in simulated cycles), rows
 * in the order the worker sent them (most samples first).
 */
export const StatsTable = memo(function StatsTable({ stats, onClear }: StatsTableProps) {
  const { range, rows, error } = stats;
  const total = rows?.reduce((n, r) => n + r.count, 0) ?? 0;
  return (
    <section className="timeline-stats" aria-label="Exit statistics">
      <table>
        <caption>
          perf kvm stat: exits from {formatCycles(Math.round(range.from))} to{' '}
          {formatCycles(Math.round(range.to))} cycles{' '}
          <button type="button" className="timeline-button" onClick={onClear}>
            Clear
          </button>
        </caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Samples</th>
            <th scope="col">Samples%</th>
            <th scope="col">Time%</th>
            <th scope="col" title="cycles">
              Min
            </th>
            <th scope="col" title="cycles">
              Max
            </th>
            <th scope="col" title="cycles">
              Avg
            </th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((r) => (
            <tr key={r.reason}>
              <th scope="row">{r.reason}</th>
              <td>{formatCycles(r.count)}</td>
              <td>{formatPercent(r.samplesPct)}</td>
              <td>{formatPercent(r.timePct)}</td>
              <td>{formatCycles(r.min)}</td>
              <td>{formatCycles(r.max)}</td>
              <td>{formatCycles(Math.round(r.avg * 10) / 10)}</td>
            </tr>
          ))}
          {rows && rows.length === 0 && (
            <tr>
              <td colSpan={7}>No VM exits start in this range.</td>
            </tr>
          )}
          {!rows && (
            <tr>
              <td colSpan={7} role="status">
                {error ? `Statistics failed: ${error}` : 'Computing…'}
              </td>
            </tr>
          )}
        </tbody>
        {rows && rows.length > 0 && (
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>{formatCycles(total)}</td>
              <td colSpan={5} />
            </tr>
          </tfoot>
        )}
      </table>
    </section>
  );
});
