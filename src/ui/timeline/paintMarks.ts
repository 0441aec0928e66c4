import { markBand, type LaneSlot } from './geometry';
import type { LaneMarks } from './layout';

/**
 * Canvas painting of laid-out marks (Perfetto's contract: a synchronous
 * render of data already laid out; no layout or DOM reads here). Coordinates
 * are CSS px; the context is scaled by the device pixel ratio so marks stay
 * sharp on HiDPI screens.
 */

/** Everything one frame paints. */
export interface PaintInput {
  /** Plot size in CSS px. */
  width: number;
  height: number;
  /** Device pixels per CSS px (window.devicePixelRatio). */
  dpr: number;
  slots: readonly LaneSlot[];
  /** One LaneMarks per slot, same order; one column = one CSS px. */
  marks: readonly LaneMarks[];
  /** Colour of each reason index. */
  colors: readonly string[];
  /** Horizontal extents (CSS px) of the current exit in each slot index that shows it. */
  highlight: readonly { slot: number; x0: number; x1: number }[];
}

const LANE_BACKGROUND = 'rgba(255, 255, 255, 0.04)';
const HIGHLIGHT_STROKE = '#ffffff';
const HIGHLIGHT_HALO = 'rgba(0, 0, 0, 0.85)';
const MIN_HIGHLIGHT_WIDTH = 5;

/** Clears the canvas and paints lane backgrounds, mark runs and the current-exit outline. */
export function paintMarks(ctx: CanvasRenderingContext2D, input: PaintInput): void {
  const { width, height, dpr, slots, marks, colors } = input;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = LANE_BACKGROUND;
  for (const slot of slots) ctx.fillRect(0, slot.top, width, slot.height);

  slots.forEach((slot, i) => {
    const lane = marks[i];
    if (!lane) return;
    const band = markBand(slot);
    let fill = '';
    for (let r = 0; r < lane.count; r++) {
      const color = colors[lane.reason[r]] ?? '#ffffff';
      if (color !== fill) ctx.fillStyle = fill = color;
      ctx.fillRect(lane.start[r], band.top, lane.end[r] - lane.start[r], band.height);
    }
  });

  for (const h of input.highlight) {
    const slot = slots[h.slot];
    if (!slot) continue;
    const band = markBand(slot);
    const mid = (h.x0 + h.x1) / 2;
    const w = Math.max(MIN_HIGHLIGHT_WIDTH, h.x1 - h.x0);
    const x = mid - w / 2;
    ctx.lineWidth = 3;
    ctx.strokeStyle = HIGHLIGHT_HALO;
    ctx.strokeRect(x - 1, band.top - 1, w + 2, band.height + 2);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = HIGHLIGHT_STROKE;
    ctx.strokeRect(x - 1, band.top - 1, w + 2, band.height + 2);
  }
}
