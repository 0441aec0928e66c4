/**
 * The page's state: one zustand store built from slices (STYLE.md §6). It
 * holds serializable values only — the latest MachineView from the Worker
 * and the one before it (for change highlights), the timeline's exits, the
 * program text and settings — never the machine, DOM nodes or Monaco.
 * Commands live in actions.ts; components read through selectors.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MachineView, TimelineData } from '../core/index';
import type { AssemblyError, StopReport, VmSettings } from '../worker/protocol';
import { emptyTimeline } from './timelineBuffer';

export type Vendor = 'intel' | 'amd';

/** The page's colour theme. */
export type Theme = 'dark' | 'light';

/** Speed levels 1 (slowest) … 5 (full speed, no animation). */
export const SPEEDS = [
  { level: 1, label: 'slow', phaseMs: 1200 },
  { level: 2, label: 'relaxed', phaseMs: 700 },
  { level: 3, label: 'medium', phaseMs: 400 },
  { level: 4, label: 'fast', phaseMs: 180 },
  { level: 5, label: 'full speed', phaseMs: 0 },
] as const;

export interface SettingsSlice {
  vendor: Vendor;
  vcpus: number;
  speed: number;
  /** Further VM options (set by a lesson; compared by identity). */
  vm: VmSettings;
  /**
   * The lesson the program belongs to (its id), or null in free mode. Set
   * with the program through actions.loadProgram; it picks the storage slot
   * (persistence.ts) and what Reset lesson restores, and travels in share links.
   */
  lesson: string | null;
}

/** How the page looks (saved across lessons). */
export interface DisplaySlice {
  theme: Theme;
  /** Projector mode: large type everywhere and higher contrast. */
  projector: boolean;
}

export interface ProgramSlice {
  /** The editor's text. */
  text: string;
  /** Assembler errors of `text` (from the editor's live check). */
  errors: AssemblyError[];
  /** Source lines with a breakpoint. */
  breakpoints: number[];
  /** The text and settings the Worker's machine was built from, or null. */
  loaded: { text: string; vendor: Vendor; vcpus: number; vm: VmSettings } | null;
  /** Instruction address → source line of the loaded program. */
  sourceMap: { address: number; line: number }[];
}

export interface MachineSlice {
  view: MachineView | null;
  /** The view before the last change of position (changed values are lit against it). */
  previous: MachineView | null;
  running: boolean;
  /** The view when the run in progress began (changes are lit against it), or null. */
  runStart: MachineView | null;
  stop: StopReport | null;
  /** A sentence for the status bar (why Run was refused, why the run stopped). */
  message: string | null;
  /** Was the last message an error? */
  messageIsError: boolean;
}

export interface TimelineSlice {
  timeline: TimelineData;
  /** Bumps on every change of `timeline` (its arrays are mutated in place). */
  timelineVersion: number;
  /** A host trace shown in the timeline instead of the run (Import), or null. */
  imported: ImportedTrace | null;
}

/** A real host trace read into the timeline and statistics. */
export interface ImportedTrace {
  file: string;
  /** 'trace-cmd', 'perf-kvm-stat' or 'chrome-trace'. */
  format: string;
  exits: number;
  /** Lines not understood (counted, never fatal). */
  unparsed: number;
  /** Exits with times (ns), or null when the format has none (perf kvm stat tables). */
  timeline: TimelineData | null;
  /** perf-kvm-stat-style rows the file itself gives (for formats without per-exit times). */
  rows: { reason: string; count: number }[];
}

export interface UiSlice {
  /** Where the debugger's memory view looks. */
  memoryTarget: number | 'rip' | 'rsp';
  /** A new object asks the editor to scroll to a line. */
  revealRequest: { line: number } | null;
  /** Reveal the selected vCPU's line when the next state arrives (after a timeline seek). */
  revealOnNextState: boolean;
  /**
   * Bumps when the program is replaced from outside the editor (a share
   * link, Reset lesson, a lesson): the editor then starts over from `text`.
   */
  programEpoch: number;
  /** A notice in the banner under the toolbar (a link that could not be opened, Reset lesson's undo), or null. */
  notice: Notice | null;
  /** A share link to show for copying by hand (when the clipboard is unavailable), or null. */
  shareLink: string | null;
}

/** A banner message: errors are announced as alerts, infos politely. */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** Offer an Undo button that calls actions.undoResetLesson. */
  undo?: boolean;
}

export type LabState = SettingsSlice &
  DisplaySlice &
  ProgramSlice &
  MachineSlice &
  TimelineSlice &
  UiSlice;

/** The state of a fresh page showing `text`; `init` overrides settings (from a link or storage). */
export function initialState(text: string, init: Partial<LabState> = {}): LabState {
  return {
    vendor: 'intel',
    vcpus: 1,
    speed: 5,
    vm: {},
    lesson: null,
    theme: 'dark',
    projector: false,
    text,
    errors: [],
    breakpoints: [],
    loaded: null,
    sourceMap: [],
    view: null,
    previous: null,
    running: false,
    runStart: null,
    stop: null,
    message: null,
    messageIsError: false,
    timeline: emptyTimeline(),
    imported: null,
    timelineVersion: 0,
    memoryTarget: 'rip',
    revealRequest: null,
    revealOnNextState: false,
    programEpoch: 0,
    notice: null,
    shareLink: null,
    ...init,
  };
}

export type LabStore = StoreApi<LabState>;

/** A fresh store (the app makes one; tests make one per case). */
export function createLabStore(text: string, init: Partial<LabState> = {}): LabStore {
  return createStore<LabState>()(() => initialState(text, init));
}
