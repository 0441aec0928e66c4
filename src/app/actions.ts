/**
 * Every command the page can give, as plain functions over the store and
 * the Worker port (STYLE.md §6: one dispatch path). Each command sends one
 * message; the Worker's answers are folded into the store by `receive`.
 *
 * Loading is implicit: a command on a changed program (or changed vendor or
 * vCPU count) first sends `load`, and a program with assembly errors is
 * refused with a message naming the first error's line and column.
 */
import type { BreakpointSet, Command, FromWorker, ToWorker } from '../worker/protocol';
import { SPEEDS, type LabStore, type Vendor } from './store';
import { mergeTimeline } from './timelineBuffer';

/** The page's side of the Worker: send, and subscribe to answers. */
export interface WorkerPort {
  post(msg: ToWorker): void;
  listen(fn: (msg: FromWorker) => void): void;
}

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
): LabActions & {
  receive(msg: FromWorker): void;
} {
  const set = store.setState;
  const get = store.getState;

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
      port.post({
        type: 'load',
        source: s.text,
        settings: { vendor: s.vendor, vcpus: s.vcpus, vm: s.vm },
      });
      port.post({ type: 'breakpoints', breakpoints: breakpointSet() });
      set({
        loaded: { text: s.text, vendor: s.vendor, vcpus: s.vcpus, vm: s.vm },
        memoryTarget: 'rip',
        message: null,
        messageIsError: false,
      });
    }
    return true;
  };

  const command = (c: Command): void => {
    if (!ensureLoaded()) return;
    port.post({ type: 'command', command: c, phaseDelayMs: phaseDelayMs(get().speed) });
    if (c !== 'step' && c !== 'stepBack') set({ running: true, message: null });
  };

  const receive = (msg: FromWorker): void => {
    switch (msg.type) {
      case 'assembled':
        if (!msg.ok) {
          const e = msg.errors[0];
          set({
            loaded: null,
            message: e ? `Line ${e.line}, column ${e.column}: ${e.message}` : 'Assembly failed.',
            messageIsError: true,
          });
        } else set({ sourceMap: msg.sourceMap, view: null, previous: null });
        break;
      case 'state': {
        const s = get();
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
      case 'error':
        set({ message: msg.message, messageIsError: true, running: false });
        break;
    }
  };
  port.listen(receive);

  return {
    receive,
    setText(text, errors) {
      set({ text, errors });
    },
    run: () => command('run'),
    pause() {
      port.post({ type: 'pause' });
    },
    step: () => command('step'),
    stepPhase: () => command('stepPhase'),
    stepOut: () => command('stepOut'),
    nextExit: () => command('nextExit'),
    stepBack() {
      if (!get().loaded) return;
      port.post({ type: 'command', command: 'stepBack' });
    },
    reset() {
      ensureLoaded(true);
    },
    seekExit(exit) {
      const s = get();
      if (!s.loaded || exit < 0 || exit >= s.timeline.count) return;
      const vcpu = s.timeline.vcpu[exit];
      set({ revealOnNextState: true });
      port.post({ type: 'inspect', vcpu, memory: s.memoryTarget });
      port.post({ type: 'seekExit', exit });
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
  };
}
