/**
 * Named selectors (STYLE.md §6): components subscribe to the narrowest
 * value. Pure functions of the state, unit-tested without React.
 */
import type { SavedProgram } from './persistence';
import type { ShareState } from './share';
import { SPEEDS, type LabState } from './store';

/**
 * The view the editor, the flow diagram and the timeline mark. During a
 * full-speed run it is the view the run started from: progress reports five
 * times a second would only make the highlight, the token and the cursor
 * jump, and each jump costs the page's thread a re-render. An animated run
 * (a slower speed) shows every phase as it comes.
 */
const markedView = (s: LabState) =>
  s.running && fullSpeed(s.speed) ? (s.runStart ?? s.view) : s.view;

const fullSpeed = (level: number): boolean =>
  (SPEEDS.find((x) => x.level === level)?.phaseMs ?? 0) === 0;

export const selectView = (s: LabState) => s.view;
export const selectPrevious = (s: LabState) => s.previous;
export const selectRunning = (s: LabState) => s.running;
/** The phase the flow diagram shows (markedView's). */
export const selectPhase = (s: LabState) => markedView(s)?.phase ?? null;
export const selectVendor = (s: LabState) => s.vendor;
export const selectConsole = (s: LabState) => s.view?.console ?? '';
export const selectMessage = (s: LabState) => s.message;
export const selectBreakpoints = (s: LabState) => s.breakpoints;

/** The source line of the selected vCPU's RIP, or null (markedView's). */
export const selectCurrentLine = (s: LabState): number | null => {
  const v = markedView(s);
  if (!v) return null;
  return v.vcpus[v.selected]?.line ?? null;
};

/** Simulated time of the machine: the timeline's cursor (markedView's). */
export const selectCursorTime = (s: LabState): number | null => markedView(s)?.time ?? null;

/** The exit the timeline highlights: the selected vCPU's last (markedView's). */
export const selectCurrentExit = (s: LabState): number | null => markedView(s)?.exit?.index ?? null;

/** The exits the timeline shows: an imported host trace's, else the run's. */
export const selectShownTimeline = (s: LabState) => s.imported?.timeline ?? s.timeline;

/** Can a command start now (a program without errors, nothing running)? */
export const selectCanStep = (s: LabState): boolean => !s.running && s.errors.length === 0;

export const selectTheme = (s: LabState) => s.theme;
export const selectProjector = (s: LabState) => s.projector;
export const selectNotice = (s: LabState) => s.notice;
export const selectShareLink = (s: LabState) => s.shareLink;
export const selectProgramEpoch = (s: LabState) => s.programEpoch;

/**
 * The timeline position a share link records: the index of the machine's
 * latest exit (a link's seekExit lands just after it began), or null before
 * the first exit or when the machine was not built from the text and
 * settings now shown.
 */
export const selectShareExit = (s: LabState): number | null => {
  const l = s.loaded;
  // A position in the run of another text or machine means nothing for this one.
  if (!l || l.text !== s.text || l.vendor !== s.vendor || l.vcpus !== s.vcpus) return null;
  return s.view && s.view.exits > 0 ? s.view.exits - 1 : null;
};

/** What a share link of the page now carries. */
export const selectShareState = (s: LabState): ShareState => ({
  program: s.text,
  vendor: s.vendor,
  vcpus: s.vcpus,
  speed: s.speed,
  lesson: s.lesson,
  exit: selectShareExit(s),
  vcpu: Math.min(s.view?.selected ?? 0, s.vcpus - 1),
});

/** The program and settings persistence.ts saves for the current lesson. */
export const selectSavedProgram = (s: LabState): SavedProgram => ({
  program: s.text,
  vendor: s.vendor,
  vcpus: s.vcpus,
  speed: s.speed,
});
