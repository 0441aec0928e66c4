import { useEffect, type RefObject } from 'react';
import type { Point } from './graph';
import { easeInOut, pointAlong } from './route';

/**
 * Moves the token (an SVG circle) along `points` in `durationMs`, with
 * requestAnimationFrame, writing `cx`/`cy` straight to the element: values
 * that change at animation rate bypass React (STYLE.md §6).
 *
 * Contract: restarts from the first point whenever `runKey` (the phase's
 * event index), the route or the duration changes, and cancels its frame on
 * change or unmount. `durationMs <= 0` puts the token on the last point at
 * once. No route (null or under two points) or no element: does nothing.
 * The caller decides whether a token is drawn at all (reduced motion).
 */
export function useTokenAnimation(
  ref: RefObject<SVGCircleElement | null>,
  points: readonly Point[] | null,
  durationMs: number,
  runKey: number,
): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || !points || points.length < 2) return;
    const place = (p: Point): void => {
      el.setAttribute('cx', p[0].toFixed(2));
      el.setAttribute('cy', p[1].toFixed(2));
    };
    if (!(durationMs > 0)) {
      place(points[points.length - 1]);
      return;
    }
    let frame = 0;
    let start: number | null = null;
    const tick = (now: number): void => {
      start ??= now;
      const t = (now - start) / durationMs;
      place(pointAlong(points, easeInOut(t)));
      if (t < 1) frame = requestAnimationFrame(tick);
    };
    place(points[0]);
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [ref, points, durationMs, runKey]);
}
