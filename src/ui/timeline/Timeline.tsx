import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type JSX,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import type { StatsRow, TimelineData } from '../../core';
import { TimelineController, type TimelineHit } from './controller';
import type { TimeRange } from './rangeBrush';
import { ExitTooltip } from './ExitTooltip';
import { laneSlots, contentHeight } from './geometry';
import { Legend } from './Legend';
import { legendEntries } from './legendEntries';
import { StatsTable } from './StatsTable';
import { placeTooltip } from './placeTooltip';
import { useElementSize } from './useElementSize';
import { useRangeStats } from './useRangeStats';
import './timeline.css';

/** Props of {@link Timeline}. */
export interface TimelineProps {
  /** ALL exits recorded so far, columnar; only [0, data.count) is valid. */
  data: TimelineData;
  /** Bumps whenever data gained exits (the arrays may be replaced by larger ones). */
  version: number;
  /** Simulated time (cycles) of the machine now: drawn as a vertical cursor line. */
  cursorTime: number | null;
  /** Exit index to highlight (the exit the debugger shows). */
  currentExit: number | null;
  /** Draw a lane for the VMM (userspace); exits with handled = 1 also get a mark there. Default true. */
  vmmLane?: boolean;
  /** The user clicked a mark: seek the page to that exit. */
  onSeekExit(exit: number): void;
  /** Brushed time range [from, to) in cycles → perf-kvm-stat rows. */
  onRequestStats(from: number, to: number): Promise<StatsRow[]>;
}

const ZOOM_STEP = 1.5;
const PAN_STEP = 0.1;

/**
 * The exit timeline: one lane per vCPU plus the VMM lane, every VM exit a
 * mark coloured by reason on a simulated-time axis; wheel zooms, drag pans,
 * Shift+drag (or "Select range") brushes a range whose `perf kvm stat` table
 * appears beside the plot; hover shows an exit, click seeks to it.
 *
 * React owns the wrapper, canvas, the empty `<g>`, labels, legend and table;
 * TimelineController owns what is drawn in the canvas and the `<g>` (STYLE.md
 * §7). The component fills its container's height (give it one).
 */
export function Timeline(props: TimelineProps): JSX.Element {
  const { data, version, cursorTime, currentExit, vmmLane = true, onSeekExit } = props;
  const plotRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<SVGGElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<TimelineController | null>(null);
  const size = useElementSize(plotRef);
  const [brushMode, setBrushMode] = useState(false);
  const [range, setRange] = useState<TimeRange | null>(null);
  const [hover, setHover] = useState<TimelineHit | null>(null);
  const stats = useRangeStats(range, version, props.onRequestStats);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` signals in-place growth of `data`
  const legend = useMemo(() => legendEntries(data), [data, version]);

  useEffect(() => {
    const controller = new TimelineController(canvasRef.current!, overlayRef.current!, {
      onRange: setRange,
    });
    controllerRef.current = controller;
    return () => {
      controller.destroy();
      controllerRef.current = null;
    };
  }, []);
  useEffect(() => controllerRef.current?.resize(size.width, size.height), [size]);
  useEffect(() => controllerRef.current?.setData(data, vmmLane), [data, version, vmmLane]);
  useEffect(
    () => controllerRef.current?.setCursor(cursorTime, currentExit),
    [cursorTime, currentExit],
  );
  useEffect(() => controllerRef.current?.setBrushMode(brushMode), [brushMode]);

  const vcpus = Math.max(1, data.vcpus);
  const slots = laneSlots(size.height, vcpus, vmmLane);
  const plotHeight = Math.max(size.height, contentHeight(slots));

  const pointerAt = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const { x, y } = pointerAt(e);
    const hit = e.buttons ? null : (controllerRef.current?.hitAt(x, y) ?? null);
    if (hit) placeTooltip(tooltipRef.current, rootRef.current, e.clientX, e.clientY);
    if (hit?.exit !== hover?.exit || hit?.inColumn !== hover?.inColumn) setHover(hit);
  };
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    if (brushMode || e.shiftKey) return;
    const { x, y } = pointerAt(e);
    const hit = controllerRef.current?.hitAt(x, y);
    if (hit) onSeekExit(hit.exit);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const c = controllerRef.current;
    if (!c || e.ctrlKey || e.metaKey || e.altKey) return;
    const actions: Record<string, () => void> = {
      '+': () => c.zoomBy(ZOOM_STEP),
      '=': () => c.zoomBy(ZOOM_STEP),
      '-': () => c.zoomBy(1 / ZOOM_STEP),
      _: () => c.zoomBy(1 / ZOOM_STEP),
      ArrowLeft: () => c.panBy(-PAN_STEP),
      ArrowRight: () => c.panBy(PAN_STEP),
      '0': () => c.fit(),
      Escape: () => (range ? c.clearRange() : setBrushMode(false)),
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  const exitsText = `${data.count} VM exit${data.count === 1 ? '' : 's'}`;
  const vcpusText = `${vcpus} vCPU${vcpus === 1 ? '' : 's'}`;
  return (
    <div
      ref={rootRef}
      className={`timeline${brushMode ? ' is-brush-mode' : ''}`}
      tabIndex={0}
      role="group"
      aria-label="Exit timeline"
      aria-keyshortcuts="+ - ArrowLeft ArrowRight 0 Escape"
      onKeyDown={onKeyDown}
    >
      <div className="timeline-toolbar">
        <button
          type="button"
          className="timeline-button"
          onClick={() => controllerRef.current?.fit()}
        >
          Fit
        </button>
        <button
          type="button"
          className="timeline-button"
          aria-pressed={brushMode}
          onClick={() => setBrushMode((on) => !on)}
        >
          Select range
        </button>
        <span className="timeline-hint">
          Wheel or +/− zoom · drag or ←/→ pan · Shift+drag selects · click an exit to seek
        </span>
        <Legend entries={legend} />
      </div>
      <div className="timeline-body">
        <div className="timeline-main">
          <div className="timeline-labels" style={{ height: plotHeight }}>
            {slots.map((s) => (
              <div
                key={s.label}
                className={`timeline-lane-label is-${s.kind}`}
                style={{ top: s.top, height: s.height }}
              >
                {s.label}
              </div>
            ))}
          </div>
          <div ref={plotRef} className="timeline-plot">
            <canvas
              ref={canvasRef}
              role="img"
              aria-label={`Timeline of ${exitsText} on ${vcpusText}`}
            />
            <svg
              width={size.width}
              height={plotHeight}
              onPointerMove={onPointerMove}
              onPointerLeave={() => setHover(null)}
              onWheel={() => hover && setHover(null)}
              onClick={onClick}
            >
              <g ref={overlayRef} />
            </svg>
            {data.count === 0 && <p className="timeline-empty">No VM exits yet</p>}
          </div>
        </div>
        {stats && <StatsTable stats={stats} onClear={() => controllerRef.current?.clearRange()} />}
      </div>
      <ExitTooltip
        ref={tooltipRef}
        data={data}
        exit={hover?.exit ?? null}
        inColumn={hover?.inColumn ?? 0}
      />
    </div>
  );
}
