import {
  scaleLinear,
  zoom as d3zoom,
  zoomIdentity,
  type D3ZoomEvent,
  type ScaleLinear,
  type ZoomBehavior,
  type ZoomTransform,
} from 'd3';
import type { TimelineData } from '../../core';
import { reasonColor } from './colors';
import { highlightOf } from './highlight';
import { recordFrameTime } from './frameTimes';
import { contentHeight, laneAt, lanesBottom, laneSlots, type LaneSlot } from './geometry';
import { countStarts, hitTestLane } from './hitTest';
import { createLayoutScratch, layoutMarks, selectLanes, type LaneMarks } from './layout';
import { Overlay } from './overlay';
import { paintMarks, type PaintInput } from './paintMarks';
import { RangeBrush, type TimeRange } from './rangeBrush';
import { createTimelineIndex, updateTimelineIndex } from './timelineIndex';
import { fitEnd, isFit, maxZoom, transformShowing } from './viewport';

/** What the pointer is over. */
export interface TimelineHit {
  exit: number;
  /** Slot index (display order). */
  slot: number;
  /** Exits of that lane starting in the pointer's pixel column (aggregated marks hold several). */
  inColumn: number;
}

/** Callbacks into React. */
export interface ControllerEvents {
  /** The user brushed a range, or cleared it (null). */
  onRange(range: TimeRange | null): void;
}

/** Pointer distance (CSS px) that still hits a mark. */
const HIT_TOLERANCE_PX = 3;

/**
 * The imperative half of the timeline (Perfetto's split): owns the lane
 * index, the canvas and the D3 overlay, zoom and brush; React feeds it props
 * through setters and it redraws at most once per animation frame.
 *
 * Contract: every setter only records state and requests a frame; the frame
 * lays out the visible window (O(lanes · log n + visible exits + pixels)) and
 * paints. Call destroy() to cancel the frame and detach D3.
 */
export class TimelineController {
  private readonly index = createTimelineIndex();
  private readonly scratch = createLayoutScratch();
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly overlay: Overlay;
  private readonly zoom: ZoomBehavior<SVGGElement, unknown>;
  private readonly brush: RangeBrush;
  private readonly base = scaleLinear().domain([0, 1]).range([0, 1]);
  private marks: LaneMarks[] = [];
  /** What `marks` were laid out for (window, width, index generation, lanes). */
  private marksKey = '';
  /** Bumps whenever the index or the lane set changes. */
  private generation = 0;
  private data: TimelineData | null = null;
  private colors: string[] = [];
  private vmmLane = true;
  private cursorTime: number | null = null;
  private currentExit: number | null = null;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private slots: LaneSlot[] = [];
  private transform: ZoomTransform = zoomIdentity;
  private brushMode = false;
  private rafId = 0;
  private zoomFrame = false;
  /** Set while the controller itself moves the zoom (data growth, resize): not a zoom frame. */
  private programmatic = false;
  private sizeKey = '';
  private dprQuery: MediaQueryList | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    root: SVGGElement,
    events: ControllerEvents,
  ) {
    this.ctx = canvas.getContext('2d');
    this.overlay = new Overlay(root);
    this.zoom = d3zoom<SVGGElement, unknown>()
      .filter((e: MouseEvent) =>
        e.type === 'wheel' ? true : !e.button && !(this.brushMode || e.shiftKey),
      )
      .on('zoom', (e: D3ZoomEvent<SVGGElement, unknown>) => {
        this.transform = e.transform;
        this.requestDraw(!this.programmatic);
      });
    this.brush = new RangeBrush(
      this.overlay.brushGroup,
      (e) => this.brushMode || e.shiftKey,
      () => this.scale(),
      (range: TimeRange | null) => events.onRange(range),
    );
    this.overlay.root.call(this.zoom).on('dblclick.zoom', null);
    this.zoom.transform(this.overlay.root, zoomIdentity);
  }

  /** New or grown data (or VMM lane toggled): indexes the new exits, rescales, redraws. */
  setData(data: TimelineData, vmmLane: boolean): void {
    const grew = updateTimelineIndex(this.index, data) !== 'unchanged';
    const lanesChanged = vmmLane !== this.vmmLane || this.slotsVcpus() !== Math.max(1, data.vcpus);
    if (grew || lanesChanged) this.generation++;
    if (data.reasons !== this.data?.reasons || this.colors.length !== data.reasons.length) {
      this.colors = data.reasons.map(reasonColor);
    }
    this.data = data;
    this.vmmLane = vmmLane;
    if (lanesChanged) this.layoutSlots();
    else this.rescale();
    this.requestDraw(false);
  }

  /** The machine's current time and the exit the debugger shows. */
  setCursor(cursorTime: number | null, currentExit: number | null): void {
    this.cursorTime = cursorTime;
    this.currentExit = currentExit;
    this.rescale();
    this.requestDraw(false);
  }

  /** Plot size in CSS px; reads the device pixel ratio. Keeps the visible time window. */
  resize(width: number, height: number): void {
    this.width = Math.max(0, Math.floor(width));
    this.height = Math.max(0, Math.floor(height));
    this.watchDevicePixelRatio();
    this.layoutSlots();
  }

  /** Whether a plain drag brushes (true) or pans (false). Shift+drag always brushes. */
  setBrushMode(on: boolean): void {
    this.brushMode = on;
  }

  /** Shows all exits (resets zoom and pan). */
  fit(): void {
    this.zoom.transform(this.overlay.root, zoomIdentity);
  }

  /** Zooms by `factor` (> 1 in) around the centre of the plot. */
  zoomBy(factor: number): void {
    this.zoom.scaleBy(this.overlay.root, factor, [this.width / 2, 0]);
  }

  /** Pans by `fraction` of the visible width (positive: later times). */
  panBy(fraction: number): void {
    this.zoom.translateBy(this.overlay.root, (-fraction * this.width) / this.transform.k, 0);
  }

  /** Removes the brushed range (and tells React). */
  clearRange(): void {
    this.brush.clear();
  }

  /** The exit under plot point (x, y) in CSS px, or null. */
  hitAt(x: number, y: number): TimelineHit | null {
    const slot = laneAt(this.slots, y);
    if (slot < 0 || this.width === 0) return null;
    const lane = selectLanes(this.index, this.laneSelection())[slot];
    if (!lane) return null;
    const scale = this.scale();
    const [t0, t1] = scale.domain();
    const perPx = (t1 - t0) / this.width;
    // Test at the centre of the pointer's pixel column, so hover and click (whose
    // coordinates may differ by a fraction of a pixel) pick the same exit.
    const column = Math.floor(x);
    const exit = hitTestLane(lane, scale.invert(column + 0.5), HIT_TOLERANCE_PX * perPx);
    if (exit < 0) return null;
    const columnStart = t0 + column * perPx;
    return { exit, slot, inColumn: countStarts(lane, columnStart, columnStart + perPx) };
  }

  /** Cancels the pending frame and removes everything D3 attached. */
  destroy(): void {
    if (this.rafId) cancelAnimationFrame(this.rafId);
    this.rafId = 0;
    this.dprQuery?.removeEventListener('change', this.onDprChange);
    this.overlay.destroy();
  }

  /** Schedules one frame; `fromZoom` marks it for the frame-time measurement hook. */
  private requestDraw(fromZoom: boolean): void {
    this.zoomFrame ||= fromZoom;
    if (!this.rafId) this.rafId = requestAnimationFrame(this.frame);
  }

  private readonly frame = (): void => {
    this.rafId = 0;
    const started = performance.now();
    const x = this.scale();
    this.paint(x);
    this.overlay.draw(x, this.cursorTime);
    this.brush.follow(x);
    if (this.zoomFrame) recordFrameTime(performance.now() - started);
    this.zoomFrame = false;
  };

  private paint(x: ScaleLinear<number, number>): void {
    if (!this.ctx || this.width === 0 || this.height === 0) return;
    const [t0, t1] = x.domain();
    const key = `${t0}|${t1}|${this.width}|${this.generation}|${this.slots.length}`;
    if (key !== this.marksKey) {
      // Cursor-only frames (playback) reuse the layout.
      const window = { t0, t1, columns: this.width };
      this.marks = layoutMarks(this.index, window, this.laneSelection(), this.scratch, this.marks);
      this.marksKey = key;
    }
    const input: PaintInput = {
      width: this.width,
      height: this.canvasHeight(),
      dpr: this.dpr,
      slots: this.slots,
      marks: this.marks,
      colors: this.colors,
      highlight: this.data
        ? highlightOf(this.data, this.currentExit, this.slots, x, this.width)
        : [],
    };
    paintMarks(this.ctx, input);
  }

  /** The visible scale: the zoom transform applied to the base (fit) scale. */
  private scale(): ScaleLinear<number, number> {
    return this.transform.rescaleX(this.base);
  }

  /**
   * Updates the base domain [0, fitEnd] and the zoom limits. At "fit" the
   * view follows the data; when zoomed in, the visible window is kept by
   * recomputing the transform. `force` re-applies after a size change.
   */
  private rescale(force = false): void {
    const end = fitEnd(this.index.maxEnd, this.cursorTime);
    const width = Math.max(1, this.width);
    const [, oldEnd] = this.base.domain();
    const [, oldWidth] = this.base.range();
    if (!force && end === oldEnd && oldWidth === width) return;
    const [v0, v1] = this.scale().domain();
    const fitted = isFit(this.transform);
    this.base.domain([0, end]).range([0, width]);
    const extent: [[number, number], [number, number]] = [
      [0, 0],
      [width, Math.max(1, this.canvasHeight())],
    ];
    this.zoom
      .extent(extent)
      .translateExtent(extent)
      .scaleExtent([1, maxZoom(end)]);
    this.brush.invalidate();
    this.programmatic = true;
    this.zoom.transform(
      this.overlay.root,
      fitted ? zoomIdentity : transformShowing(this.base, v0, v1),
    );
    this.programmatic = false;
    this.requestDraw(false);
  }

  /** Recomputes lane rows and, when the size changed, the canvas and overlay sizes. */
  private layoutSlots(): void {
    this.slots = laneSlots(this.height, this.data?.vcpus ?? 1, this.vmmLane);
    const height = this.canvasHeight();
    const key = `${this.width}x${height}@${this.dpr}/${lanesBottom(this.slots)}`;
    if (key !== this.sizeKey) {
      this.sizeKey = key;
      this.canvas.style.width = `${this.width}px`;
      this.canvas.style.height = `${height}px`;
      this.canvas.width = Math.round(this.width * this.dpr);
      this.canvas.height = Math.round(height * this.dpr);
      const size = { width: this.width, lanesBottom: lanesBottom(this.slots), height };
      this.overlay.resize(size, this.brush.behavior);
    }
    this.rescale(true);
  }

  private canvasHeight(): number {
    return Math.max(this.height, contentHeight(this.slots));
  }

  private slotsVcpus(): number {
    return this.slots.filter((s) => s.kind === 'vcpu').length;
  }

  private laneSelection() {
    return { vcpus: this.slotsVcpus(), vmmLane: this.vmmLane };
  }

  private readonly onDprChange = (): void => this.resize(this.width, this.height);

  private watchDevicePixelRatio(): void {
    const dpr = window.devicePixelRatio || 1;
    if (dpr === this.dpr && this.dprQuery) return;
    this.dpr = dpr;
    this.dprQuery?.removeEventListener('change', this.onDprChange);
    this.dprQuery = window.matchMedia?.(`(resolution: ${dpr}dppx)`) ?? null;
    this.dprQuery?.addEventListener('change', this.onDprChange);
  }
}
