/**
 * The Worker's brain, free of `self` so tests drive it in Node: it owns one
 * Session, answers ToWorker messages and posts FromWorker ones.
 *
 * Long commands (Run, Next exit, Step out) run in slices of about
 * SLICE_MS of work, each followed by a yield to the event loop, so a
 * `pause` message is read within one slice even when the guest loops
 * forever. A Run is one command for Step back however many slices it takes.
 */
import {
  addressesOfLine,
  allocTimeline,
  assemble,
  buildView,
  chromeTraceJson,
  chromeTraceOf,
  lineMap,
  Session,
  TimelineFeed,
  type LineMap,
  type SourceMapEntry,
  type StopInfo,
} from '../core/index';
import { checkAnswer, compareVariants } from '../lessons/check';
import { lessonById } from '../lessons/index';
import type {
  BreakpointSet,
  Command,
  FromWorker,
  RunSettings,
  StopReport,
  ToWorker,
} from './protocol';

/** Target milliseconds of machine work between two looks at the message queue. */
export const SLICE_MS = 12;
/** Minimum milliseconds between two `state` posts while running. */
export const POST_INTERVAL_MS = 200;

export interface HostEnv {
  post(msg: FromWorker, transfer?: Transferable[]): void;
  /** Monotonic milliseconds (performance.now in a Worker). */
  now(): number;
  /** Run `fn` after `ms` (0 = as soon as the queue is free). */
  later(fn: () => void, ms: number): void;
}

/** Commands that may run for long and so run in slices. */
type LongCommand = 'run' | 'nextExit' | 'stepOut' | 'stepPhase';

export class SessionHost {
  private session: Session | null = null;
  private feed: TimelineFeed | null = null;
  private sourceMap: SourceMapEntry[] = [];
  private lines: LineMap = new Map();
  private selected = 0;
  private memory: number | 'rip' | 'rsp' = 'rip';
  /** Position at which the machine was found unable to go on, and why. */
  private finished: { ticks: number; why: string } | null = null;
  /** The long command in progress, if any (a new token cancels the old one). */
  private running: { command: LongCommand; token: number; delay: number } | null = null;
  private token = 0;
  /** Ticks per slice, adapted so a slice takes about SLICE_MS. */
  private sliceTicks = 100_000;
  private lastPost = 0;

  constructor(private readonly env: HostEnv) {}

  handle(msg: ToWorker): void {
    switch (msg.type) {
      case 'load':
        this.load(msg.source, msg.settings);
        break;
      case 'command':
        this.command(msg.command, msg.phaseDelayMs ?? 0);
        break;
      case 'pause':
        if (this.running) {
          this.running = null;
          this.publish({ kind: 'paused' });
        }
        break;
      case 'seekExit':
        this.seekExit(msg.exit);
        break;
      case 'breakpoints':
        this.setBreakpoints(msg.breakpoints);
        break;
      case 'exportTrace':
        if (this.session) {
          const json = chromeTraceJson(chromeTraceOf(this.session.vmm));
          this.env.post({ type: 'exportTrace', requestId: msg.requestId, json });
        } else
          this.env.post({ type: 'error', message: 'No program is loaded: nothing to export.' });
        break;
      case 'lessonCheck':
        this.lessonCheck(msg.requestId, msg.lesson, msg.question, msg.choice);
        break;
      case 'lessonVariants':
        this.lessonVariants(msg.requestId, msg.lesson);
        break;
      case 'inspect':
        this.selected = msg.vcpu;
        this.memory = msg.memory;
        this.publish(null);
        break;
    }
  }

  private load(source: string, settings: RunSettings): void {
    const { vendor, vcpus, vm = {} } = settings;
    this.running = null;
    const result = assemble(source);
    if (!result.ok) {
      this.env.post({
        type: 'assembled',
        ok: false,
        errors: result.errors.map((e) => ({ line: e.line, column: e.column, message: e.message })),
        sourceMap: [],
      });
      return;
    }
    // The old session is never read again (slices check `this.session`):
    // its trace's memory can serve the new one.
    this.session?.release();
    this.session = null;
    try {
      this.session = new Session(
        { bytes: result.bytes, origin: result.origin, entry: result.entry },
        {
          vendor,
          vcpus: Math.max(1, Math.min(4, Math.floor(vcpus))),
          irqchip: vm.irqchip,
          exitHypercallMask: vm.exitHypercallMask,
          fixHypercallQuirk: vm.fixHypercallQuirk,
          policy: vm.policy,
        },
      );
    } catch (e) {
      this.session = null;
      this.env.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.sourceMap = result.sourceMap;
    this.lines = lineMap(result.sourceMap);
    this.selected = 0;
    this.memory = 'rip';
    this.finished = null;
    const vmm = this.session.vmm;
    this.feed = new TimelineFeed(vmm.kvm.config.profile.resume, vmm.kvm.cpus.length);
    this.env.post({
      type: 'assembled',
      ok: true,
      errors: [],
      sourceMap: result.sourceMap
        .filter((e) => e.isInsn)
        .map((e) => ({
          address: e.address,
          line: e.line,
        })),
    });
    this.publish(null, true);
  }

  /** A lesson question checked on a fresh headless run (the page's machine is untouched). */
  private lessonCheck(requestId: number, id: number, question: number, choice: string): void {
    const lesson = lessonById(id);
    const r = lesson?.questions[question]
      ? checkAnswer(lesson, question, choice)
      : { correct: false, actual: `no question ${question} in lesson ${id}` };
    this.env.post({ type: 'lessonCheck', requestId, ...r });
  }

  private lessonVariants(requestId: number, id: number): void {
    const lesson = lessonById(id);
    try {
      const results = lesson ? compareVariants(lesson) : null;
      this.env.post({ type: 'lessonVariants', requestId, results });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.env.post({ type: 'lessonVariants', requestId, results: null, error });
    }
  }

  private setBreakpoints(b: BreakpointSet): void {
    const s = this.session;
    if (!s) return;
    const bp = s.breakpoints;
    bp.addresses.clear();
    for (const line of b.lines)
      for (const a of addressesOfLine(this.sourceMap, line)) bp.addresses.add(a);
    bp.exitReasons = new Set(b.exitReasons);
    bp.hypercalls = new Set(b.hypercalls);
    bp.ports = new Set(b.ports);
  }

  private command(command: Command, delay: number): void {
    const s = this.session;
    if (!s) {
      this.env.post({
        type: 'error',
        message: 'No program is loaded: fix the assembly errors first.',
      });
      return;
    }
    if (command !== 'step' && command !== 'stepBack') {
      this.startLong(command, command === 'run' ? delay : 0);
      return;
    }
    this.running = null;
    const stop = command === 'stepBack' ? s.stepBack() : s.stepInstruction();
    this.noteFinished(stop);
    this.publish({ kind: stop.kind, detail: stop.detail });
  }

  private startLong(command: LongCommand, delay: number): void {
    const s = this.session;
    if (!s) return;
    s.markHistory();
    const token = ++this.token;
    this.running = { command, token, delay };
    this.lastPost = this.env.now();
    this.env.later(() => this.slice(token), 0);
  }

  /** One slice of a long command; schedules the next unless it stopped. */
  private slice(token: number): void {
    const r = this.running;
    const s = this.session;
    if (!r || r.token !== token || !s) return;
    s.recording = false;
    let stop: StopInfo;
    try {
      stop = r.delay > 0 ? this.animatedStep(s) : this.timedSlice(s, r.command);
    } finally {
      s.recording = true;
    }
    this.noteFinished(stop);
    if (stop.kind !== 'budget') {
      this.running = null;
      this.publish({ kind: stop.kind, detail: stop.detail });
      return;
    }
    const now = this.env.now();
    if (r.delay > 0 || now - this.lastPost >= POST_INTERVAL_MS) {
      this.lastPost = now;
      this.publish(null);
    }
    this.env.later(() => this.slice(token), r.delay);
  }

  /** An animated Run: one phase per tick ('budget' = keep going). */
  private animatedStep(s: Session): StopInfo {
    const stop = s.stepPhase(this.sliceTicks);
    return stop.kind === 'step' ? { ...stop, kind: 'budget' } : stop;
  }

  /** About SLICE_MS of a long command; adapts the next slice's size. */
  private timedSlice(s: Session, command: LongCommand): StopInfo {
    const n = this.sliceTicks;
    const t0 = this.env.now();
    const stop =
      command === 'run'
        ? s.continue(n)
        : command === 'nextExit'
          ? s.nextExit(n)
          : command === 'stepOut'
            ? s.stepOut(n)
            : s.stepPhase(n);
    const spent = this.env.now() - t0;
    // Scale toward SLICE_MS, at most 4× per slice either way.
    const scale = Math.max(0.25, Math.min(4, SLICE_MS / Math.max(0.5, spent)));
    this.sliceTicks = Math.max(1_000, Math.min(50_000_000, Math.round(n * scale)));
    return stop;
  }

  private seekExit(exit: number): void {
    const s = this.session;
    if (!s) return;
    this.running = null;
    s.markHistory();
    const ok = s.seekExit(exit);
    this.publish(
      ok ? { kind: 'seek' } : { kind: 'seek', detail: 'the run ended before that exit' },
    );
  }

  private noteFinished(stop: StopInfo): void {
    const s = this.session;
    if (!s) return;
    if (stop.kind === 'all-halted') this.finished = { ticks: stop.ticks, why: 'all-halted' };
    else if (stop.kind === 'all-stopped')
      this.finished = { ticks: stop.ticks, why: s.vmm.stopName() };
  }

  /** Post the machine's state (and new timeline exits). */
  private publish(stop: StopReport | null, reset = false): void {
    const s = this.session;
    const feed = this.feed;
    if (!s || !feed) return;
    const ticks = s.ticks;
    const finishedWhy = this.finished && ticks >= this.finished.ticks ? this.finished.why : null;
    const update = feed.update(s.vmm.trace);
    if (update || reset) {
      const data = update?.data ?? allocTimeline(0, s.vmm.kvm.cpus.length);
      this.env.post(
        {
          type: 'timeline',
          reset,
          from: update?.from ?? 0,
          data,
          changed: update?.changed ?? { index: [], end: [], handled: [] },
        },
        [
          data.time.buffer,
          data.end.buffer,
          data.vcpu.buffer,
          data.reason.buffer,
          data.handled.buffer,
        ],
      );
    }
    const partial = this.running !== null && stop === null;
    const view = buildView(s.vmm, ticks, {
      light: partial,
      selected: this.selected,
      memory: this.memory,
      sourceMap: this.sourceMap,
      lines: this.lines,
      finishedWhy,
    });
    this.env.post({ type: 'state', view, running: this.running !== null, stop, partial });
  }
}
