import type { ReactNode } from 'react';

/** Props of {@link Pane}. */
export interface PaneProps {
  /** The region's accessible name and visible title; tests find panes by it (DESIGN.md §5). */
  name: string;
  /** Grid area class suffix, e.g. `editor` → `pane-editor`. */
  area: string;
  children: ReactNode;
  /**
   * The body scrolls and so takes keyboard focus (arrow keys scroll it;
   * WCAG 2.1.1). False for panes whose content manages its own focus (the editor).
   */
  scrollable?: boolean;
}

/** One named region of the debugger layout: a `<section>` landmark with a title bar. */
export function Pane({ name, area, children, scrollable = true }: PaneProps) {
  return (
    <section aria-label={name} className={`pane pane-${area}`}>
      <h2 className="pane-title">{name}</h2>
      <div className="pane-body" tabIndex={scrollable ? 0 : undefined}>
        {children}
      </div>
    </section>
  );
}
