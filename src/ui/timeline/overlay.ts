import { axisBottom, select, type BrushBehavior, type ScaleLinear, type Selection } from 'd3';
import { formatCyclesShort } from './format';

/**
 * The D3-owned SVG inside the component's `<g ref>` (STYLE.md §7: React
 * renders the empty group, D3 draws into it and removes what it drew on
 * destroy). Children, bottom to top: a transparent rect that catches wheel
 * and drag events for d3-zoom, the time axis with its title, the cursor
 * line, and the brush group.
 */

/** Overlay size in CSS px. */
export interface OverlaySize {
  width: number;
  /** Bottom of the lanes: the axis is drawn from here. */
  lanesBottom: number;
  /** Total plot height (lanes + axis). */
  height: number;
}

/** Minimum horizontal spacing between axis ticks (CSS px). */
const TICK_SPACING = 90;

type GSelection = Selection<SVGGElement, unknown, null, undefined>;

export class Overlay {
  readonly root: GSelection;
  readonly brushGroup: GSelection;
  private readonly catcher: Selection<SVGRectElement, unknown, null, undefined>;
  private readonly axisGroup: GSelection;
  private readonly title: Selection<SVGTextElement, unknown, null, undefined>;
  private readonly cursor: Selection<SVGLineElement, unknown, null, undefined>;
  private size: OverlaySize = { width: 0, lanesBottom: 0, height: 0 };

  constructor(root: SVGGElement) {
    this.root = select(root);
    this.catcher = this.root
      .append('rect')
      .attr('class', 'timeline-catcher')
      .attr('fill', 'transparent');
    this.axisGroup = this.root.append('g').attr('class', 'timeline-axis');
    this.title = this.root
      .append('text')
      .attr('class', 'timeline-axis-title')
      .attr('text-anchor', 'end')
      .text('simulated time (cycles)');
    this.cursor = this.root.append('line').attr('class', 'timeline-cursor');
    this.brushGroup = this.root.append('g').attr('class', 'timeline-brush');
  }

  /** Sizes the event catcher, places the axis and (re)installs the brush over the lanes. */
  resize(size: OverlaySize, brush: BrushBehavior<unknown>): void {
    this.size = size;
    this.catcher.attr('width', size.width).attr('height', size.height);
    this.axisGroup.attr('transform', `translate(0,${size.lanesBottom})`);
    this.title.attr('x', size.width - 2).attr('y', size.height - 3);
    brush.extent([
      [0, 0],
      [Math.max(1, size.width), Math.max(1, size.lanesBottom)],
    ]);
    this.brushGroup.call(brush);
  }

  /** Redraws the axis for scale `x` and places the cursor at `cursorTime` (hidden when null or off-screen). */
  draw(x: ScaleLinear<number, number>, cursorTime: number | null): void {
    const [t0, t1] = x.domain();
    const ticks = Math.max(2, Math.min(Math.floor(this.size.width / TICK_SPACING), t1 - t0));
    const siFormat = x.tickFormat(ticks, '~s');
    const axis = axisBottom(x)
      .ticks(ticks)
      .tickSizeOuter(0)
      .tickFormat((v) => (Math.abs(+v) < 1000 ? formatCyclesShort(+v) : siFormat(v)));
    this.axisGroup.call(axis);

    const cx = cursorTime == null ? NaN : x(cursorTime);
    const shown = Number.isFinite(cx) && cx >= 0 && cx <= this.size.width;
    this.cursor
      .attr('display', shown ? null : 'none')
      .attr('x1', shown ? cx : 0)
      .attr('x2', shown ? cx : 0)
      .attr('y1', 0)
      .attr('y2', this.size.lanesBottom + 6);
  }

  /** Removes everything the overlay drew and every listener D3 attached under the root. */
  destroy(): void {
    this.root.on('.zoom', null);
    this.brushGroup.on('.brush', null);
    this.root.selectAll('*').remove();
  }
}
