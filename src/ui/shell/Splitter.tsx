import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

/** Props of {@link Splitter}. */
export interface SplitterProps {
  /** Accessible name ("Resize the editor column"). */
  label: string;
  /** The grid area it occupies. */
  area: string;
  /** 'vertical' separates columns (drag left/right); 'horizontal' separates rows. */
  orientation: 'vertical' | 'horizontal';
  /** The CSS custom property, on the splitter's parent grid, holding the pane size in px. */
  variable: string;
  /** Selector (inside the grid) of the pane the variable sizes. */
  pane: string;
  /** Smallest size of that pane, and the smallest room left for the others (px). */
  min: number;
  reserve: number;
  /** +1: dragging right/down grows the pane; -1: shrinks it (a pane after the splitter). */
  sign?: 1 | -1;
}

/**
 * A draggable, keyboard-operable pane divider (WAI-ARIA window splitter):
 * pointer drag, or arrow keys in 16 px steps. It writes one CSS variable on
 * its parent grid; sizes are read from the DOM only in event handlers.
 */
export function Splitter({
  label,
  area,
  orientation,
  variable,
  pane,
  min,
  reserve,
  sign = 1,
}: SplitterProps) {
  const start = useRef<{ at: number; size: number } | null>(null);
  const [now, setNow] = useState<{ size: number; max: number } | null>(null);
  const dim = orientation === 'vertical' ? 'width' : 'height';
  const measure = (el: HTMLElement): { size: number; max: number } => {
    const grid = el.parentElement;
    const size = grid?.querySelector<HTMLElement>(pane)?.getBoundingClientRect()[dim] ?? min;
    const whole = grid?.getBoundingClientRect()[dim] ?? size + reserve;
    return { size, max: Math.max(min, whole - reserve) };
  };
  const apply = (el: HTMLElement, size: number): void => {
    const { max } = measure(el);
    const v = Math.round(Math.max(min, Math.min(max, size)));
    el.parentElement?.style.setProperty(variable, `${v}px`);
    setNow({ size: v, max });
  };
  const pos = (e: PointerEvent): number => (orientation === 'vertical' ? e.clientX : e.clientY);
  return (
    <div
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={now?.size ?? min}
      aria-valuemin={min}
      aria-valuemax={now?.max ?? min * 4}
      tabIndex={0}
      className={`splitter splitter-${orientation}`}
      style={{ gridArea: area }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { at: pos(e), size: measure(e.currentTarget).size };
      }}
      onPointerMove={(e) => {
        const s = start.current;
        if (s) apply(e.currentTarget, s.size + sign * (pos(e) - s.at));
      }}
      onPointerUp={() => (start.current = null)}
      onKeyDown={(e: KeyboardEvent<HTMLDivElement>) => {
        const grow = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
        const shrink = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
        if (e.key === grow || e.key === shrink) {
          e.preventDefault();
          const el = e.currentTarget;
          apply(el, measure(el).size + sign * (e.key === grow ? 16 : -16));
        }
      }}
    />
  );
}
