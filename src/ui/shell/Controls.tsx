/** The run controls, in the order a debugger shows them. Names are a contract (DESIGN.md §5). */
export const CONTROL_NAMES = ['Run', 'Pause', 'Step', 'Step back', 'Reset'] as const;

/**
 * The toolbar with Run, Pause, Step, Step back and Reset.
 *
 * All buttons are disabled until the session engine exists to drive them;
 * they are present now so the layout and the accessible names are fixed.
 */
export function Controls() {
  return (
    <div role="toolbar" aria-label="Run controls" className="controls">
      {CONTROL_NAMES.map((name) => (
        <button key={name} type="button" disabled title={`${name} (not available yet)`}>
          {name}
        </button>
      ))}
    </div>
  );
}
