/**
 * Named selectors (STYLE.md §6): components subscribe to the narrowest
 * value. Pure functions of the state, unit-tested without React.
 */
import type { LabState } from './store';

export const selectView = (s: LabState) => s.view;
export const selectPrevious = (s: LabState) => s.previous;
export const selectRunning = (s: LabState) => s.running;
export const selectPhase = (s: LabState) => s.view?.phase ?? null;
export const selectVendor = (s: LabState) => s.vendor;
export const selectConsole = (s: LabState) => s.view?.console ?? '';
export const selectMessage = (s: LabState) => s.message;
export const selectBreakpoints = (s: LabState) => s.breakpoints;

/**
 * The source line of the selected vCPU's RIP, or null — also null while a
 * run goes on, as in VS Code: a highlight jumping between lines five times a
 * second says nothing and costs the editor a re-render each time.
 */
export const selectCurrentLine = (s: LabState): number | null => {
  const v = s.view;
  if (!v || s.running) return null;
  return v.vcpus[v.selected]?.line ?? null;
};

/** Simulated time of the machine now (the timeline's cursor). */
export const selectCursorTime = (s: LabState): number | null => s.view?.time ?? null;

/** The exit the debugger shows (the selected vCPU's last). */
export const selectCurrentExit = (s: LabState): number | null => s.view?.exit?.index ?? null;

/** Can a command start now (a program without errors, nothing running)? */
export const selectCanStep = (s: LabState): boolean => !s.running && s.errors.length === 0;
