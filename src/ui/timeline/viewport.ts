import { zoomIdentity, type ScaleLinear, type ZoomTransform } from 'd3';

/**
 * Zoom arithmetic for the time axis (x only). The base scale maps the whole
 * run [0, fitEnd] onto the plot width; a d3 ZoomTransform on top of it gives
 * the visible window. Pure functions of their arguments.
 */

/** Smallest visible span (cycles): bounds the zoom-in factor. */
export const MIN_SPAN = 10;
/** Room after the last exit (or the cursor) at "fit" zoom, as a factor. */
export const RIGHT_PAD = 1.02;
/** Domain end when nothing has happened yet. */
export const EMPTY_END = 1000;

/** End of the base domain: a little past the latest exit end or the cursor, whichever is later. */
export function fitEnd(maxEnd: number, cursorTime: number | null): number {
  const latest = Math.max(maxEnd, cursorTime ?? 0);
  return latest > 0 ? latest * RIGHT_PAD : EMPTY_END;
}

/** Largest zoom factor for a base domain ending at `end`: the window never gets narrower than MIN_SPAN. */
export function maxZoom(end: number): number {
  return Math.max(1, end / MIN_SPAN);
}

/** Is `t` the identity (the "fit" view, which follows the data as it grows)? */
export function isFit(t: ZoomTransform): boolean {
  return t.k === 1 && t.x === 0;
}

/**
 * The transform that shows [v0, v1] on `base` (x only; y is always 0).
 * Clamped to zoom factor ≥ 1 and a window of at least MIN_SPAN cycles.
 */
export function transformShowing(
  base: ScaleLinear<number, number>,
  v0: number,
  v1: number,
): ZoomTransform {
  const [b0, b1] = base.domain();
  const k = Math.max(1, (b1 - b0) / Math.max(MIN_SPAN, v1 - v0));
  return zoomIdentity.translate(-k * base(v0), 0).scale(k);
}
