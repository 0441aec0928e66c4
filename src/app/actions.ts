/**
 * Every command the page can give, as plain functions over the store and
 * the Worker port (STYLE.md §6: one dispatch path). Each command sends one
 * message; the Worker's answers are folded into the store by `receive`.
 *
 * Loading is implicit: a command on a changed program (or changed vendor or
 * vCPU count) first sends `load`, and a program with assembly errors is
 * refused with a message naming the first error's line and column.
 */
import { importHostTrace } from '../core/index';
import { HELLO_PROGRAM } from '../lessons/examples/hello';
import type {
  BreakpointSet,
  Command,
  FromWorker,
  StopReport,
  ToWorker,
  VmSettings,
} from '../worker/protocol';
import { encode } from './share';
import { selectShareState } from './selectors';
import {
  SPEEDS,
  type LabStore,
  type Notice,
  type ProgramSlice,
  type Theme,
  type Vendor,
} from './store';
import { mergeTimeline } from './timelineBuffer';

/** The page's side of the Worker: send, and subscribe to answers. */
export interface WorkerPort {
  post(msg: ToWorker): void;
  listen(fn: (msg: FromWorker) => void): void;
}

/**
 * A program with its settings, as it comes into the page from outside the
 * editor: a share link, Reset lesson, or (later) a lesson. Settings left out
 * stay as they are.
 */
export interface ProgramLoad {
  text: string;
  vendor?: Vendor;
  vcpus?: number;
  speed?: number;
  /** The lesson it belongs to (null: free mode; left out: unchanged). */
  lesson?: string | null;
  vm?: VmSettings;
  /** Seek to this exit once the machine is loaded (running forward to it as needed). */
  exit?: number | null;
  /** Then show this vCPU in the debugger (default: the one that made the exit). */
  vcpu?: number | null;
}

/** What the actions need from the world outside the store and the Worker. */
export interface ActionEnv {
  /** What Reset lesson restores: the lesson's original program and settings. */
  original(lesson: string | null): ProgramLoad;
  /**
   * Put `hash` (without `#`) in the address bar and try to copy the whole
   * link; resolves to the link and whether it reached the clipboard.
   */
  publishLink(hash: string): Promise<{ url: string; copied: boolean }>;
}

/** Free mode's original is the hello example; no lessons are known here yet (the lead wires them). */
export const DEFAULT_ENV: ActionEnv = {
  original: () => ({ text: HELLO_PROGRAM }),
  publishLink: (hash) => Promise.resolve({ url: `#${hash}`, copied: false }),
};

export interface LabActions {
  /** The editor's text and its live assembler errors. */
  setText(text: string, errors: { line: number; column: number; message: string }[]): void;
  run(): void;
  pause(): void;
  step(): void;
  stepPhase(): void;
  stepOut(): void;
  nextExit(): void;
  stepBack(): void;
  /** Rebuild the machine from the current text and settings. */
  reset(): void;
  seekExit(exit: number): void;
  toggleBreakpoint(line: number): void;
  /** Breakpoint lines after an edit moved them. */
  setBreakpoints(lines: number[]): void;
  selectVcpu(index: number): void;
  memoryGoto(target: number | 'rip' | 'rsp'): void;
  setVendor(vendor: Vendor): void;
  setVcpus(n: number): void;
  setSpeed(level: number): void;
  /**
   * Replace the program and settings (share link, Reset lesson, lesson):
   * the editor shows the new text, breakpoints are dropped (they were lines
   * of the old text), the machine is rebuilt, and with `exit` the page
   * seeks there once the machine has run far enough.
   */
  loadProgram(p: ProgramLoad): void;
  /** Restore the current lesson's original program (free mode: the hello example); the banner offers Undo. */
  resetLesson(): void;
  /** Bring back the program Reset lesson replaced. */
  undoResetLesson(): void;
  /** Make a share link of the program, settings and position: copy it, or show it for copying. */
  share(): Promise<void>;
  closeShareLink(): void;
  /** Read a host trace (trace-cmd report, perf kvm stat report, a Chrome export) into the timeline. */
  importHostTrace(file: string, text: string): void;
  /** Back to the run's own timeline. */
  clearImport(): void;
  /** The run so far as Chrome Trace Event JSON text. */
  exportTrace(): Promise<string>;
  setTheme(theme: Theme): void;
  setProjector(on: boolean): void;
  showNotice(notice: Notice): void;
  dismissNotice(): void;
}

export function phaseDelayMs(speed: number): number {
  return SPEEDS.find((s) => s.level === speed)?.phaseMs ?? 0;
}

function describeStop(kind: string, detail: string | undefined, why: string | null): string {
  if (why) return `The run is over: ${why}. Reset to run again, or step back.`;
  switch (kind) {
    case 'breakpoint':
      return `Stopped at a breakpoint (${detail ?? 'address'}).`;
    case 'paused':
      return 'Paused.';
    case 'exit':
      return 'Stopped at the next VM exit.';
    case 'userspace':
      return 'Stopped where KVM_RUN returned to the VMM.';
    case 'seek':
      return detail ? `Cannot seek: ${detail}.` : 'Moved to the chosen exit.';
    default:
      return '';
  }
}

export function createActions(
  store: LabStore,
  port: WorkerPort,
  env: ActionEnv = DEFAULT_ENV,
): LabActions & {
  receive(msg: FromWorker): void;
} {
  const set = store.setState;
  const get = store.getState;

  /*
   * The position a share link asked for: once our `load` is assembled and
   * the first state is in, seek if the timeline already has the exit, else
   * run at full speed (sliced and pausable, unlike the Worker's seekExit,
   * which would spin forever on a guest that never exits again) and seek as
   * soon as the exit shows up; then show the link's vCPU. Any command of
   * the user cancels it.
   */
  let pending: { exit: number | null; vcpu: number | null } | null = null;
  let pendingRunning = false;
  /** Loads posted and answered (`assembled`): a pending seek waits for its own load's answer. */
  let loadsPosted = 0;
  let loadsAnswered = 0;
  let pendingLoad = 0;
  const cancelPending = (): void => {
    pending = null;
    pendingRunning = false;
  };
  /** The last program Reset lesson replaced (for Undo). */
  let beforeReset: ProgramLoad | null = null;

  const breakpointSet = (): BreakpointSet => ({
    lines: get().breakpoints,
    exitReasons: [],
    hypercalls: [],
    ports: [],
  });

  /** Send `load` if the machine is not built from the current text and settings. False if refused. */
  const ensureLoaded = (force = false): boolean => {
    const s = get();
    if (s.errors.length > 0) {
      const e = s.errors[0];
      set({
        message: `Cannot run: the program has ${s.errors.length} assembly error${s.errors.length > 1 ? 's' : ''}. Line ${e.line}, column ${e.column}: ${e.message}`,
        messageIsError: true,
      });
      return false;
    }
    const l = s.loaded;
    if (
      force ||
      !l ||
      l.text !== s.text ||
      l.vendor !== s.vendor ||
      l.vcpus !== s.vcpus ||
      l.vm !== s.vm
    ) {
      // The store first: a port that answers at once (tests) then finds it loaded.
      set({
        loaded: { text: s.text, vendor: s.vendor, vcpus: s.vcpus, vm: s.vm },
        memoryTarget: 'rip',
        message: null,
        messageIsError: false,
      });
      loadsPosted++;
      port.post({
        type: 'load',
        source: s.text,
        settings: { vendor: s.vendor, vcpus: s.vcpus, vm: s.vm },
      });
      port.post({ type: 'breakpoints', breakpoints: breakpointSet() });
    }
    return true;
  };

  const command = (c: Command): void => {
    cancelPending();
    if (!ensureLoaded()) return;
    port.post({ type: 'command', command: c, phaseDelayMs: phaseDelayMs(get().speed) });
    if (c !== 'step' && c !== 'stepBack') set({ running: true, message: null });
  };

  /** Seek to exit `exit`, showing vCPU `vcpu` (default: the one that exited). */
  const seekTo = (exit: number, vcpu?: number): void => {
    const s = get();
    if (!s.loaded || exit < 0 || exit >= s.timeline.count) return;
    vcpu ??= s.timeline.vcpu[exit];
    set({ revealOnNextState: true });
    port.post({ type: 'inspect', vcpu, memory: s.memoryTarget });
    port.post({ type: 'seekExit', exit });
  };

  /**
   * Move a link's pending seek along after a `state` message (every
   * `timeline` message is followed by one, so the timeline is current).
   */
  const advancePending = (state: { running: boolean; stop: StopReport | null }): void => {
    const p = pending;
    if (p === null || loadsAnswered < pendingLoad) return;
    const s = get();
    if (!s.loaded || !s.view) return;
    const x = p.exit;
    if (x === null) {
      cancelPending();
      if (p.vcpu !== null && p.vcpu < s.view.vcpus.length)
        port.post({ type: 'inspect', vcpu: p.vcpu, memory: s.memoryTarget });
      return;
    }
    if (s.timeline.count > x) {
      cancelPending();
      seekTo(x, p.vcpu !== null && p.vcpu < s.timeline.vcpus ? p.vcpu : undefined);
      return;
    }
    if (state.running) return;
    if (!pendingRunning) {
      pendingRunning = true;
      port.post({ type: 'command', command: 'run', phaseDelayMs: 0 });
      set({ running: true });
      return;
    }
    // The run stopped before exit x.
    cancelPending();
    if (state.stop?.kind === 'paused') return;
    set({
      message: `The link's timeline position (exit #${x}) is past the end of this run (${s.timeline.count} exits): showing where it stopped.`,
      messageIsError: true,
    });
  };

  /** Pending Export trace requests, by id. */
  const exports = new Map<number, (json: string) => void>();
  let nextExport = 1;

  /** A loaded program's source map, waiting for its first view ('state'). */
  let loadedSourceMap: ProgramSlice['sourceMap'] | null = null;

  const receive = (msg: FromWorker): void => {
    switch (msg.type) {
      case 'assembled':
        loadsAnswered++;
        if (!msg.ok) {
          cancelPending();
          const e = msg.errors[0];
          set({
            loaded: null,
            message: e ? `Line ${e.line}, column ${e.column}: ${e.message}` : 'Assembly failed.',
            messageIsError: true,
          });
        } else {
          // Applied with the new program's first view (the Worker posts it
          // next): the old view stays on screen until then, rather than the
          // debugger emptying and filling again in two renders.
          loadedSourceMap = msg.sourceMap;
        }
        break;
      case 'state': {
        const got = get();
        const fresh = loadedSourceMap;
        loadedSourceMap = null;
        // The first view of a new program has nothing before it.
        const s = fresh ? { ...got, view: null, previous: null, runStart: null } : got;
        const moved = !s.view || s.view.ticks !== msg.view.ticks;
        const why = msg.view.finishedWhy;
        const text = msg.stop ? describeStop(msg.stop.kind, msg.stop.detail, why) : s.message;
        // A progress view leaves memory, stack and disassembly as they were
        // (same objects, so their components do not re-render).
        const view =
          msg.partial && s.view
            ? { ...msg.view, memory: s.view.memory, stack: s.view.stack, disasm: s.view.disasm }
            : msg.view;
        // During a run, changes are lit against the view before the run
        // began (stable highlights, and the whole run's effect at its end).
        const runStart = msg.partial ? (s.runStart ?? s.view) : null;
        const previous = msg.partial
          ? runStart
          : s.runStart
            ? s.runStart
            : moved
              ? s.view
              : s.previous;
        const patch: Partial<typeof s> = {
          ...(fresh ? { sourceMap: fresh } : {}),
          view,
          previous,
          runStart,
          running: msg.running,
          stop: msg.stop ?? s.stop,
          message: msg.stop ? text || null : s.message,
          messageIsError: msg.stop ? false : s.messageIsError,
        };
        if (s.revealOnNextState && msg.stop?.kind === 'seek') {
          const line = msg.view.vcpus[msg.view.selected]?.line;
          patch.revealOnNextState = false;
          if (line) patch.revealRequest = { line };
        }
        set(patch);
        advancePending(msg);
        break;
      }
      case 'timeline': {
        const s = get();
        set({
          timeline: mergeTimeline(s.timeline, msg.reset, msg.from, msg.data, msg.changed),
          timelineVersion: s.timelineVersion + 1,
        });
        break;
      }
      case 'exportTrace':
        exports.get(msg.requestId)?.(msg.json);
        exports.delete(msg.requestId);
        break;
      case 'error':
        // A load the Worker could not build answers with an error, not `assembled`.
        loadsAnswered = loadsPosted;
        loadedSourceMap = null;
        cancelPending();
        set({ message: msg.message, messageIsError: true, running: false });
        break;
    }
  };
  port.listen(receive);

  const loadProgram = (p: ProgramLoad): void => {
    cancelPending();
    const s = get();
    set({
      text: p.text,
      errors: [],
      breakpoints: [],
      vendor: p.vendor ?? s.vendor,
      vcpus: p.vcpus === undefined ? s.vcpus : Math.max(1, Math.min(4, Math.floor(p.vcpus))),
      speed: p.speed ?? s.speed,
      lesson: p.lesson === undefined ? s.lesson : p.lesson,
      vm: p.vm ?? s.vm,
      programEpoch: s.programEpoch + 1,
      shareLink: null,
      revealRequest: null,
    });
    if ((p.exit ?? null) !== null || (p.vcpu ?? null) !== null) {
      pending = { exit: p.exit ?? null, vcpu: p.vcpu ?? null };
      pendingLoad = loadsPosted + 1;
    }
    if (!ensureLoaded(true)) cancelPending();
  };

  return {
    receive,
    setText(text, errors) {
      set({ text, errors });
    },
    run: () => command('run'),
    pause() {
      cancelPending();
      port.post({ type: 'pause' });
    },
    step: () => command('step'),
    stepPhase: () => command('stepPhase'),
    stepOut: () => command('stepOut'),
    nextExit: () => command('nextExit'),
    stepBack() {
      cancelPending();
      if (!get().loaded) return;
      port.post({ type: 'command', command: 'stepBack' });
    },
    reset() {
      cancelPending();
      ensureLoaded(true);
    },
    seekExit(exit) {
      cancelPending();
      seekTo(exit);
    },
    toggleBreakpoint(line) {
      const s = get();
      const has = s.breakpoints.includes(line);
      const breakpoints = has
        ? s.breakpoints.filter((l) => l !== line)
        : [...s.breakpoints, line].sort((a, b) => a - b);
      set({ breakpoints });
      if (s.loaded) port.post({ type: 'breakpoints', breakpoints: breakpointSet() });
    },
    setBreakpoints(lines) {
      const breakpoints = [...new Set(lines)].sort((a, b) => a - b);
      set({ breakpoints });
      if (get().loaded) port.post({ type: 'breakpoints', breakpoints: breakpointSet() });
    },
    selectVcpu(index) {
      port.post({ type: 'inspect', vcpu: index, memory: get().memoryTarget });
    },
    memoryGoto(target) {
      set({ memoryTarget: target });
      const v = get().view;
      port.post({ type: 'inspect', vcpu: v?.selected ?? 0, memory: target });
    },
    setVendor(vendor) {
      set({ vendor });
      ensureLoaded();
    },
    setVcpus(n) {
      set({ vcpus: Math.max(1, Math.min(4, n)) });
      ensureLoaded();
    },
    setSpeed(level) {
      set({ speed: Math.max(1, Math.min(5, Math.round(level))) });
    },
    loadProgram,
    resetLesson() {
      const s = get();
      beforeReset = { text: s.text, vendor: s.vendor, vcpus: s.vcpus, speed: s.speed, vm: s.vm };
      loadProgram({ ...env.original(s.lesson), lesson: s.lesson });
      set({
        notice: {
          kind: 'info',
          text:
            s.lesson === null
              ? 'The example program is back.'
              : 'The lesson’s original program is back.',
          undo: true,
        },
      });
    },
    undoResetLesson() {
      const back = beforeReset;
      beforeReset = null;
      set({ notice: null });
      if (back) loadProgram(back);
    },
    async share() {
      let hash: string;
      try {
        hash = encode(selectShareState(get()));
      } catch (e) {
        set({ message: e instanceof Error ? e.message : String(e), messageIsError: true });
        return;
      }
      const { url, copied } = await env.publishLink(hash);
      if (copied)
        set({
          shareLink: null,
          message: 'Link copied: it opens this program at this point of the run.',
          messageIsError: false,
        });
      else set({ shareLink: url });
    },
    importHostTrace(file, text) {
      const r = importHostTrace(text);
      const timeline = r.timeline && r.timeline.count > 0 ? r.timeline : null;
      set({
        imported: {
          file,
          format: r.format,
          exits: r.exits,
          unparsed: r.unparsed,
          timeline,
          rows: Object.entries(r.byReason).map(([reason, v]) => ({ reason, count: v.count })),
        },
        timelineVersion: get().timelineVersion + 1,
        message: `Imported ${file} (${r.format}): ${r.exits} VM exits, ${r.unparsed} line${r.unparsed === 1 ? '' : 's'} not understood.`,
        messageIsError: false,
      });
    },
    clearImport() {
      set({ imported: null, timelineVersion: get().timelineVersion + 1 });
    },
    exportTrace() {
      const requestId = nextExport++;
      return new Promise<string>((resolve) => {
        exports.set(requestId, resolve);
        port.post({ type: 'exportTrace', requestId });
      });
    },
    closeShareLink() {
      set({ shareLink: null });
    },
    setTheme(theme) {
      set({ theme: theme === 'light' ? 'light' : 'dark' });
    },
    setProjector(on) {
      set({ projector: on });
    },
    showNotice(notice) {
      set({ notice });
    },
    dismissNotice() {
      set({ notice: null });
    },
  };
}
