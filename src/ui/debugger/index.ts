/**
 * The debugger pane (DESIGN.md §4). The integrator needs only the component
 * and its props; the pure helpers live in their own modules (diff.ts,
 * hexRows.ts, parseAddress.ts, format.ts) for tests and reuse.
 */
export { DebuggerPane, type DebuggerPaneProps } from './DebuggerPane';
