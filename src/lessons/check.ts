/**
 * Running lessons headless on the core (through src/core/index.ts only):
 *
 * - `runLesson`: run a lesson's (or a variant's) program to its end and
 *   measure it: stop, exits by reason, userspace exits, modelled time,
 *   guest instructions, time asleep in HLT, console, set-up ioctls;
 * - `reachAnchor`: put a Session at a question's anchor (types.ts
 *   QuestionAnchor), the way the page reaches it;
 * - `checkQuestion`: the true answer of a question, computed from the run;
 *   `checkAnswer` compares a student's choice with it;
 * - `compareVariants`: runLesson over a lesson's variants, side by side.
 *
 * Everything is deterministic: the same lesson always gives the same
 * answers and figures.
 */
import {
  addressesOfLine,
  assemble,
  getReg64,
  getRflags,
  GPR_NAMES,
  Session,
  type SourceMapEntry,
} from '../core/index';
import { kvmExitNameOf, NO_KVM_EXIT } from './exitNames';
import type {
  Lesson,
  LessonExpect,
  LessonSettings,
  Question,
  QuestionAnchor,
  QuestionAsk,
} from './types';

/** The core's VM options, as the Session constructor takes them. */
export type SessionOptions = NonNullable<ConstructorParameters<typeof Session>[1]>;

/** Guest instructions a lesson run may retire before it counts as endless. */
export const LESSON_MAX_STEPS = 5_000_000;

/** Ticks a command may take while reaching an anchor or an answer. */
const MAX_TICKS = 50_000_000;

/** The core VM options for a lesson's settings. */
export function vmOptionsOf(settings: LessonSettings): SessionOptions {
  return { vendor: settings.vendor, vcpus: settings.vcpus, ...settings.vm };
}

/** The program, settings and expected end of a lesson, or of one of its variants. */
export function programOf(
  lesson: Lesson,
  variant?: string,
): { program: string; settings: LessonSettings; expect: LessonExpect } {
  if (variant === undefined) return lesson;
  const v = lesson.variants?.find((x) => x.id === variant);
  if (!v) throw new Error(`lesson ${lesson.id} has no variant '${variant}'`);
  return v;
}

export type Started =
  { ok: true; session: Session; sourceMap: SourceMapEntry[] } | { ok: false; error: string };

/** Assemble `program` and boot a Session with `settings`. */
export function startSession(program: string, settings: LessonSettings): Started {
  const asm = assemble(program);
  if (!asm.ok) {
    const e = asm.errors[0];
    return { ok: false, error: `line ${e.line}:${e.column}: ${e.message}` };
  }
  const session = new Session(
    { bytes: asm.bytes, origin: asm.origin, entry: asm.entry },
    vmOptionsOf(settings),
  );
  return { ok: true, session, sourceMap: asm.sourceMap };
}

/** What one run of a program did, start to end. */
export interface RunMeasure {
  /** As `cli run --json` reports it: a KVM_EXIT_* name, 'all-halted' or 'budget'. */
  stop: string;
  exits: number;
  exitsByReason: Record<string, number>;
  /** Exits that KVM_RUN returned to the VMM for. */
  userspaceExits: number;
  /** Simulated time at the end: the furthest vCPU clock (cycles, set-up ioctls included). */
  modelledCycles: number;
  /** Guest instructions retired, all vCPUs. */
  guestInstructions: number;
  /** Cycles vCPUs spent asleep in HLT until an event woke them (summed over vCPUs). */
  haltedCycles: number;
  console: string;
  /** The VMM's set-up ioctls, by name (KVM_GET_API_VERSION, KVM_CREATE_VM, …). */
  ioctls: string[];
}

/** Measure a finished (or stopped) session. */
function measure(session: Session, stop: string, haltedCycles: number): RunMeasure {
  const vmm = session.vmm;
  const t = vmm.trace;
  const exitsByReason: Record<string, number> = {};
  let userspaceExits = 0;
  for (let i = 0; i < t.exitCount; i++) {
    const row = t.exitRow(i);
    exitsByReason[row.name] = (exitsByReason[row.name] ?? 0) + 1;
    if (row.handledIn === 'userspace') userspaceExits++;
  }
  const ioctls: string[] = [];
  for (let e = 0; e < t.length; e++) {
    const d = t.detailText(e);
    if (d === null) continue;
    const m = /KVM_[A-Z0-9_]+/.exec(d);
    if (m) ioctls.push(m[0]);
  }
  return {
    stop,
    exits: t.exitCount,
    exitsByReason,
    userspaceExits,
    modelledCycles: Math.max(...vmm.kvm.vcpus.map((v) => v.clock)),
    guestInstructions: vmm.kvm.retired,
    haltedCycles,
    console: vmm.devices.console,
    ioctls,
  };
}

export type LessonRun = ({ ok: true } & RunMeasure) | { ok: false; error: string };

/**
 * Run a lesson's program (or variant `variant`) to its end on a fresh
 * machine — the VMM's KVM_RUN loop, phase by phase, as `cli run` does —
 * and measure it.
 */
export function runLesson(
  lesson: Lesson,
  variant?: string,
  maxSteps = LESSON_MAX_STEPS,
): LessonRun {
  const { program, settings } = programOf(lesson, variant);
  const started = startSession(program, settings);
  if (!started.ok) return started;
  const vmm = started.session.vmm;
  const k = vmm.kvm;
  let halted = 0;
  let stop = 'budget';
  const stages = k.vcpus.map((v) => v.stage);
  const clocks = k.vcpus.map((v) => v.clock);
  while (k.retired < maxSteps) {
    k.vcpus.forEach((v, i) => {
      stages[i] = v.stage;
      clocks[i] = v.clock;
    });
    const r = vmm.step(maxSteps - k.retired);
    // A vCPU asleep in HLT that an event woke: its clock jumped to the wake-up time.
    k.vcpus.forEach((v, i) => {
      if (stages[i] === 'blocked' && v.stage !== 'blocked') halted += v.clock - clocks[i];
    });
    if (r.kind === 'idle') {
      stop = r.why === 'all-halted' ? 'all-halted' : vmm.stopName();
      break;
    }
  }
  return { ok: true, ...measure(started.session, stop, halted) };
}

export type AnchorReached =
  | {
      ok: true;
      /** The vCPU whose next exit the question is about. */
      vcpu: number;
    }
  | { ok: false; error: string };

/**
 * Put `session` (freshly loaded, or anywhere before the anchor) at `at`:
 * for `{line}`, stopped on a breakpoint before the first instruction of the
 * line on the wanted vCPU; for `{exit}`, just before exit `exit` is taken.
 * The session's own breakpoints are left as they were.
 */
export function reachAnchor(
  session: Session,
  sourceMap: readonly SourceMapEntry[],
  at: QuestionAnchor,
): AnchorReached {
  const t = session.vmm.trace;
  if ('exit' in at) {
    if (!session.seekExit(at.exit)) {
      return { ok: false, error: `the run ends before exit ${at.exit}` };
    }
    const vcpu = t.exitRow(at.exit).vcpu;
    // Back to just before the exit's first event (the guest instruction that exits).
    let first = t.length - 1;
    while (first > 0 && t.exit[first - 1] === at.exit) first--;
    session.seekEvent(first - 1);
    return { ok: true, vcpu };
  }
  const addresses = addressesOfLine(sourceMap, at.line);
  if (addresses.length === 0) return { ok: false, error: `line ${at.line} has no instruction` };
  const saved = swapBreakpoints(session, new Set(addresses));
  try {
    for (;;) {
      const r = session.continue(MAX_TICKS);
      if (r.kind !== 'breakpoint') {
        return { ok: false, error: `no vCPU reaches line ${at.line} (${r.kind})` };
      }
      const k = session.vmm.kvm;
      const id = k.current;
      if (addresses.includes(k.cpus[id].state.rip) && (at.vcpu === undefined || at.vcpu === id)) {
        return { ok: true, vcpu: id };
      }
    }
  } finally {
    restoreBreakpoints(session, saved);
  }
}

type SavedBreakpoints = Session['breakpoints'];

/** Replace the session's breakpoints by guest addresses `addresses` only; returns the old ones. */
function swapBreakpoints(session: Session, addresses: Set<number>): SavedBreakpoints {
  const bp = session.breakpoints;
  const saved: SavedBreakpoints = {
    addresses: new Set(bp.addresses),
    exitReasons: new Set(bp.exitReasons),
    hypercalls: new Set(bp.hypercalls),
    ports: new Set(bp.ports),
  };
  for (const s of [bp.addresses, bp.exitReasons, bp.hypercalls, bp.ports]) s.clear();
  for (const a of addresses) bp.addresses.add(a);
  return saved;
}

function restoreBreakpoints(session: Session, saved: SavedBreakpoints): void {
  const bp = session.breakpoints;
  for (const key of ['addresses', 'exitReasons', 'hypercalls', 'ports'] as const) {
    const set = bp[key] as Set<number | string>;
    set.clear();
    for (const x of saved[key] as Set<number | string>) set.add(x);
  }
}

export type AnswerFound =
  | {
      ok: true;
      /** The answer, spelled as types.ts QuestionAsk says. */
      answer: string;
      vcpu: number;
      /** Index of the exit the question is about. */
      exit: number;
      /** Its exit reason (vendor name). */
      reason: string;
    }
  | { ok: false; error: string };

/** Stages at which KVM has finished handling the vCPU's current exit (kvm_run decided). */
const HANDLED_STAGES: ReadonlySet<string> = new Set(['userspace', 'resume', 'blocked', 'stopped']);

/**
 * From the anchor: run until `vcpu` takes its next exit, then as far as
 * the ask needs (handled for `kvm-exit`, back in the guest for `register`)
 * and read the answer. The session runs on; breakpoints are ignored.
 */
export function answerAt(session: Session, vcpu: number, ask: QuestionAsk): AnswerFound {
  const saved = swapBreakpoints(session, new Set());
  try {
    return findAnswer(session, vcpu, ask);
  } finally {
    restoreBreakpoints(session, saved);
  }
}

function findAnswer(session: Session, vcpu: number, ask: QuestionAsk): AnswerFound {
  const t = session.vmm.trace;
  const k = session.vmm.kvm;
  let scan = t.exitCount;
  let x = -1;
  while (x < 0) {
    for (; scan < t.exitCount && x < 0; scan++) if (t.exitRow(scan).vcpu === vcpu) x = scan;
    if (x >= 0) break;
    const r = session.nextExit(MAX_TICKS);
    if (r.kind !== 'exit' && t.exitCount <= scan) {
      return { ok: false, error: `vCPU ${vcpu} takes no further exit (${r.kind})` };
    }
  }
  const v = k.vcpus[vcpu];
  const idle = (kind: string): boolean =>
    kind === 'all-halted' || kind === 'all-stopped' || kind === 'budget';
  const found = (answer: string): AnswerFound => ({
    ok: true,
    answer,
    vcpu,
    exit: x,
    reason: t.exitRow(x).name,
  });
  switch (ask.kind) {
    case 'exit-reason':
      return found(t.exitRow(x).name);
    case 'kvm-exit': {
      while (v.exitIndex === x && !HANDLED_STAGES.has(v.stage)) {
        if (idle(session.stepPhase(MAX_TICKS).kind)) break;
      }
      const n = t.exitRow(x).kvmExit;
      return found(n >= 0 ? kvmExitNameOf(n) : NO_KVM_EXIT);
    }
    case 'register': {
      while (v.exitIndex === x && v.stage !== 'stopped') {
        if (idle(session.stepPhase(MAX_TICKS).kind)) break;
      }
      const s = k.cpus[vcpu].state;
      const i = (GPR_NAMES as readonly string[]).indexOf(ask.reg);
      const raw =
        ask.reg === 'rip'
          ? BigInt(s.rip)
          : ask.reg === 'rflags'
            ? BigInt(getRflags(s))
            : getReg64(s, i);
      return found(`0x${BigInt.asUintN(64, raw).toString(16)}`);
    }
  }
}

/** The true answer of `question`, computed by running the lesson's program headless. */
export function checkQuestion(lesson: Lesson, question: Question): AnswerFound {
  const { program, settings } = programOf(lesson, question.variant);
  const started = startSession(program, settings);
  if (!started.ok) return started;
  const at = reachAnchor(started.session, started.sourceMap, question.at);
  if (!at.ok) return at;
  return answerAt(started.session, at.vcpu, question.ask);
}

/** Check a student's choice for question `index` of `lesson` against the run. */
export function checkAnswer(
  lesson: Lesson,
  index: number,
  choice: string,
): { correct: boolean; actual: string } {
  const q = lesson.questions[index];
  if (!q) throw new RangeError(`lesson ${lesson.id} has no question ${index}`);
  const r = checkQuestion(lesson, q);
  if (!r.ok) return { correct: false, actual: r.error };
  return { correct: r.answer === choice, actual: r.answer };
}

/** One variant's figures (compareVariants). */
export interface VariantResult {
  id: string;
  label: string;
  group: string;
  stop: string;
  exits: number;
  exitsByReason: Record<string, number>;
  /** Simulated time at the end (cycles). */
  modelledCycles: number;
  userspaceExits: number;
  guestInstructions: number;
  haltedCycles: number;
}

/**
 * Run every variant of `lesson` and return their figures in the lesson's
 * order (compare within a `group`). Pure: the same lesson gives the same
 * figures. A variant that fails to assemble throws (tests keep that from
 * shipping).
 */
export function compareVariants(lesson: Lesson): VariantResult[] {
  return (lesson.variants ?? []).map((v) => {
    const r = runLesson(lesson, v.id);
    if (!r.ok) throw new Error(`lesson ${lesson.id} variant ${v.id}: ${r.error}`);
    return {
      id: v.id,
      label: v.label,
      group: v.group,
      stop: r.stop,
      exits: r.exits,
      exitsByReason: r.exitsByReason,
      modelledCycles: r.modelledCycles,
      userspaceExits: r.userspaceExits,
      guestInstructions: r.guestInstructions,
      haltedCycles: r.haltedCycles,
    };
  });
}
