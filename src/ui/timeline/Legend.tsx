import { memo } from 'react';
import type { LegendEntry } from './legendEntries';

/** Props of {@link Legend}. */
export interface LegendProps {
  entries: readonly LegendEntry[];
}

/** The exit-reason colour key, as a list (one item per reason present, with its count). */
export const Legend = memo(function Legend({ entries }: LegendProps) {
  if (entries.length === 0) return null;
  return (
    <ul className="timeline-legend" aria-label="Exit reasons">
      {entries.map((e) => (
        <li key={e.reason}>
          <span className="timeline-swatch" style={{ background: e.color }} aria-hidden="true" />
          {e.reason} <span className="timeline-legend-count">({e.count})</span>
        </li>
      ))}
    </ul>
  );
});
