import {
  brushX,
  type BrushBehavior,
  type D3BrushEvent,
  type ScaleLinear,
  type Selection,
} from 'd3';

/** A brushed time range, [from, to) in cycles. */
export interface TimeRange {
  from: number;
  to: number;
}

type Group = Selection<SVGGElement, unknown, null, undefined>;

/**
 * d3-brush (x only) selecting a time range on the timeline. The selection is
 * kept in cycles, not pixels, so it stays on the same exits while the user
 * zooms and pans (`follow` moves the pixels after every frame).
 *
 * Contract: only user gestures report ranges (our own `brush.move` calls are
 * ignored); a selection narrower than one pixel clears the range.
 */
export class RangeBrush {
  readonly behavior: BrushBehavior<unknown>;
  private range: TimeRange | null = null;
  private drawnPx = '';
  private gesture = false;

  /**
   * @param group the `<g>` the brush lives in
   * @param accepts whether a pointer-down may start a brush (mode toggle or Shift)
   * @param scale the visible scale at the time of the event
   * @param onRange called with each new range, or null when cleared
   */
  constructor(
    private readonly group: Group,
    accepts: (event: MouseEvent) => boolean,
    private readonly scale: () => ScaleLinear<number, number>,
    private readonly onRange: (range: TimeRange | null) => void,
  ) {
    this.behavior = brushX<unknown>()
      .filter((e: MouseEvent) => !e.button && accepts(e))
      .on('start', (e: D3BrushEvent<unknown>) => {
        if (e.sourceEvent) this.gesture = true;
      })
      .on('end', (e: D3BrushEvent<unknown>) => this.ended(e));
  }

  /** Moves the drawn selection onto `x` (no-op while the user is brushing or nothing changed). */
  follow(x: ScaleLinear<number, number>): void {
    if (!this.range || this.gesture) return;
    const px: [number, number] = [x(this.range.from), x(this.range.to)];
    const key = `${px[0]},${px[1]}`;
    if (key === this.drawnPx) return;
    this.drawnPx = key;
    this.behavior.move(this.group, px);
  }

  /** Forgets where the selection was drawn (after a resize re-installed the brush). */
  invalidate(): void {
    this.drawnPx = '';
  }

  /** Removes the selection and reports null. */
  clear(): void {
    this.range = null;
    this.drawnPx = '';
    this.behavior.move(this.group, null);
    this.onRange(null);
  }

  private ended(e: D3BrushEvent<unknown>): void {
    if (!e.sourceEvent) return; // our own move()
    this.gesture = false;
    const sel = e.selection as [number, number] | null;
    const x = this.scale();
    this.range =
      sel && sel[1] - sel[0] >= 1 ? { from: x.invert(sel[0]), to: x.invert(sel[1]) } : null;
    this.drawnPx = sel ? `${sel[0]},${sel[1]}` : '';
    if (!this.range && sel) this.behavior.move(this.group, null);
    this.onRange(this.range);
  }
}
