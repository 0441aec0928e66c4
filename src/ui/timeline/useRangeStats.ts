import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { StatsRow } from '../../core';
import type { TimeRange } from './rangeBrush';

/** Statistics of one brushed range, as far as they have arrived. */
export interface RangeStats {
  range: TimeRange;
  /** null while the first answer for this range is pending or after an error. */
  rows: StatsRow[] | null;
  error: string | null;
}

/**
 * Asks `request` for the `perf kvm stat` rows of `range` whenever the range
 * or `version` (new exits may fall inside it) changes. At most one request
 * is in flight; changes meanwhile coalesce into one follow-up request. An
 * answer for an older range is ignored. Returns null when there is no range.
 */
export function useRangeStats(
  range: TimeRange | null,
  version: number,
  request: (from: number, to: number) => Promise<StatsRow[]>,
): RangeStats | null {
  const [result, setResult] = useState<RangeStats | null>(null);
  const requestRef = useRef(request);
  const inFlight = useRef(false);
  const queued = useRef<(() => void) | null>(null);

  useLayoutEffect(() => {
    requestRef.current = request;
  });

  useEffect(() => {
    if (!range) return;
    const run = () => {
      inFlight.current = true;
      let answer: Promise<StatsRow[]>;
      try {
        answer = Promise.resolve(requestRef.current(range.from, range.to));
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer
        .then(
          (rows) => setResult({ range, rows, error: null }),
          (error: unknown) => setResult({ range, rows: null, error: String(error) }),
        )
        .finally(() => {
          inFlight.current = false;
          const next = queued.current;
          queued.current = null;
          next?.();
        });
    };
    if (inFlight.current) queued.current = run;
    else run();
    return () => {
      if (queued.current === run) queued.current = null;
    };
  }, [range, version]);

  if (!range) return null;
  if (result && result.range === range) return result;
  return { range, rows: null, error: null };
}
