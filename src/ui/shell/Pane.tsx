import type { ReactNode } from 'react';

/** Props of {@link Pane}. */
export interface PaneProps {
  /** The region's accessible name and visible title; tests find panes by it (DESIGN.md §5). */
  name: string;
  /** Grid area class suffix, e.g. `editor` → `pane-editor`. */
  area: string;
  children: ReactNode;
}

/** One named region of the debugger layout: a `<section>` landmark with a title bar. */
export function Pane({ name, area, children }: PaneProps) {
  return (
    <section aria-label={name} className={`pane pane-${area}`}>
      <h2 className="pane-title">{name}</h2>
      <div className="pane-body">{children}</div>
    </section>
  );
}
