import { useId, useState, type ReactNode } from 'react';

/** Props of {@link Section}. */
export interface SectionProps {
  /** Visible heading and the region's accessible name. */
  title: string;
  /** Starts expanded unless false. */
  defaultOpen?: boolean;
  /** Extra class for the section (layout hooks in debugger.css). */
  className?: string;
  children: ReactNode;
}

/**
 * One collapsible part of the debugger pane: a region named by its h3
 * heading, which holds a disclosure button (aria-expanded/aria-controls), the
 * pattern screen readers handle best. A collapsed section does not render
 * its children, so hidden tables cost nothing while stepping.
 */
export function Section({ title, defaultOpen = true, className, children }: SectionProps) {
  const [open, setOpen] = useState(defaultOpen);
  const headingId = useId();
  const bodyId = useId();
  return (
    <section
      className={className ? `dbg-section ${className}` : 'dbg-section'}
      aria-labelledby={headingId}
    >
      <h3 className="dbg-heading" id={headingId}>
        <button
          type="button"
          className="dbg-toggle"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen((o) => !o)}
        >
          {title}
        </button>
      </h3>
      <div className="dbg-section-body" id={bodyId} hidden={!open}>
        {open ? children : null}
      </div>
    </section>
  );
}
