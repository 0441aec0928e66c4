/**
 * The stepping engine: the one narrow interface the Worker and the UI use
 * to drive a machine (the Ripes way). Commands: step by instruction, by
 * phase, to the next exit, to the next userspace exit, continue; step back
 * and seek anywhere (time travel); breakpoints on guest addresses, exit
 * reasons, hypercall numbers and I/O ports.
 *
 * Time travel = restore the nearest earlier checkpoint, then replay
 * deterministically to the target position (checkpoint.ts `ticks`).
 * Checkpoints are taken every CHECKPOINT_INTERVAL ticks as the run goes.
 */
import { PHASE } from '../trace/trace';
import { Vmm, type GuestImage, type VmOptions } from '../vmm/vmm';
import { restoreCheckpoint, takeCheckpoint, ticks, type Checkpoint } from './checkpoint';

/** Ticks between checkpoints (bounds the replay work of a seek). */
export const CHECKPOINT_INTERVAL = 500_000;

export interface Breakpoints {
  /** Guest linear addresses: stop before executing an instruction there. */
  addresses: Set<number>;
  /** Exit reason names (the vendor's: 'VMCALL', 'IOIO', …). */
  exitReasons: Set<string>;
  /** Hypercall numbers. */
  hypercalls: Set<number>;
  /** I/O ports. */
  ports: Set<number>;
}

/** Why a command stopped. */
export type StopKind =
  'step' | 'exit' | 'userspace' | 'breakpoint' | 'all-halted' | 'all-stopped' | 'budget';

export interface StopInfo {
  kind: StopKind;
  /** For a breakpoint: which kind matched. */
  detail?: string;
  ticks: number;
}

/**
 * The guest addresses of the instructions on source line `line` (for a
 * breakpoint set in the editor's gutter).
 */
export function addressesOfLine(
  sourceMap: readonly { address: number; line: number; isInsn: boolean }[],
  line: number,
): number[] {
  return sourceMap.filter((e) => e.line === line && e.isInsn).map((e) => e.address);
}

export class Session {
  readonly vmm: Vmm;
  readonly breakpoints: Breakpoints = {
    addresses: new Set(),
    exitReasons: new Set(),
    hypercalls: new Set(),
    ports: new Set(),
  };
  private readonly checkpoints: Checkpoint[] = [];
  /** The checkpoint guest memory's dirty marks are relative to. */
  private base: Checkpoint | undefined;
  /** Positions after each command, for Step back. */
  private readonly history: number[] = [];

  /**
   * Whether commands push a Step-back position. A long Run is many slices
   * (so a Worker can answer Pause between them) but one command: the caller
   * marks its start with `markHistory()` and turns recording off meanwhile.
   */
  recording = true;

  /**
   * Done with this session (the page loads another program): its trace's
   * memory goes to the next session's (Vmm.release). It must not be used
   * afterwards.
   */
  release(): void {
    this.checkpoints.length = 0;
    this.base = undefined;
    this.vmm.release();
  }

  /** Remember the current position as the target of the next Step back. */
  markHistory(): void {
    this.history.push(this.ticks);
  }

  /** Ticks between checkpoints (CHECKPOINT_INTERVAL unless a test asks for denser ones). */
  readonly interval: number;

  constructor(
    image: GuestImage,
    options: VmOptions = {},
    checkpointInterval = CHECKPOINT_INTERVAL,
  ) {
    this.interval = Math.max(1, checkpointInterval);
    this.vmm = new Vmm(image, options);
    this.base = takeCheckpoint(this.vmm, undefined);
    this.checkpoints.push(this.base);
  }

  /** The current position. */
  get ticks(): number {
    return ticks(this.vmm);
  }

  private maybeCheckpoint(): void {
    const last = this.checkpoints[this.checkpoints.length - 1];
    const now = this.ticks;
    if (now >= last.ticks + this.interval) {
      this.base = takeCheckpoint(this.vmm, this.base);
      this.checkpoints.push(this.base);
    }
  }

  /** Largest guest slice allowed before the next checkpoint is due. */
  private sliceLimit(): number {
    const last = this.checkpoints[this.checkpoints.length - 1];
    return Math.max(1, last.ticks + this.interval - this.ticks);
  }

  /**
   * Advance until `done` says so (checked after every machine step), a
   * breakpoint, an idle machine, or `maxTicks`. With no `done` and no exit,
   * hypercall or port breakpoint, nothing needs a look between phases: the
   * machine's free run (KvmMachine.run — the same events and state as
   * stepping; tests/kvm/freeRun.test.ts, tests/session/freeContinue.test.ts)
   * goes until an address breakpoint, the end or the budget, which it may
   * pass by a few events.
   */
  private advance(
    done: ((eventsBefore: number) => StopKind | null) | null,
    maxTicks: number,
    instructionsPerStep = Infinity,
  ): StopInfo {
    if (this.recording) this.history.push(this.ticks);
    const k = this.vmm.kvm;
    const t = this.vmm.trace;
    const limit = this.ticks + maxTicks;
    const bp = this.breakpoints;
    const free = done === null && !bp.exitReasons.size && !bp.hypercalls.size && !bp.ports.size;
    for (const c of k.cpus) c.breakpoints = bp.addresses;
    for (;;) {
      const now = this.ticks;
      if (now >= limit) return this.stop('budget');
      this.maybeCheckpoint();
      const events = t.length;
      const room = Math.min(instructionsPerStep, this.sliceLimit(), limit - now);
      // Ticks count events and guest instructions (and deliveries): in a
      // free run each is bounded by half the room, which keeps it near it.
      const half = Math.max(1, Math.ceil(room / 2));
      const r = free ? k.run(k.retired + half, events + half) : k.step(room);
      if (r.kind === 'idle') return this.stop(r.why);
      if (r.kind === 'breakpoint') return this.stop('breakpoint', 'address');
      if (free) continue;
      for (let e = events; e < t.length; e++) {
        const hit = this.eventBreakpoint(e);
        if (hit) return this.stop('breakpoint', hit);
      }
      const d = done?.(events);
      if (d) return this.stop(d);
    }
  }

  private stop(kind: StopKind, detail?: string): StopInfo {
    return { kind, detail, ticks: this.ticks };
  }

  /** A breakpoint matched by event `e`, if any. */
  private eventBreakpoint(e: number): string | undefined {
    const t = this.vmm.trace;
    const x = t.exit[e];
    if (x < 0) return undefined;
    const bp = this.breakpoints;
    if (t.phase[e] === PHASE.guest) {
      if (bp.exitReasons.has(t.exitName(x))) return 'exit reason';
      if (bp.ports.size && t.exKind[x] === 3 && bp.ports.has(Number(t.word(x, 0)))) return 'port';
    }
    if (t.phase[e] === PHASE.dispatch && bp.hypercalls.size) {
      const row = t.exitRow(x);
      if (row.hypercall && bp.hypercalls.has(Number(row.hypercall.nr))) return 'hypercall';
    }
    return undefined;
  }

  /** One guest instruction on the scheduled vCPU, or one host phase. */
  stepInstruction(): StopInfo {
    return this.advance(() => 'step', Infinity, 1);
  }

  /** To the next phase event (from guest code: run until it exits, at most `maxTicks`). */
  stepPhase(maxTicks = Infinity): StopInfo {
    return this.advance((before) => (this.vmm.trace.length > before ? 'step' : null), maxTicks);
  }

  /** Run until the next VM exit begins. */
  nextExit(maxTicks = 100_000_000): StopInfo {
    const t = this.vmm.trace;
    return this.advance((before) => {
      for (let e = before; e < t.length; e++) if (t.phase[e] === PHASE.guest) return 'exit';
      return null;
    }, maxTicks);
  }

  /** Run until KVM_RUN next returns to the VMM. */
  nextUserspaceExit(maxTicks = 100_000_000): StopInfo {
    const t = this.vmm.trace;
    return this.advance((before) => {
      for (let e = before; e < t.length; e++)
        if (t.phase[e] === PHASE.userspace) return 'userspace';
      return null;
    }, maxTicks);
  }

  /**
   * Back out of the host to the guest (a debugger's "step out"): run until a
   * vCPU's exit handling ends with VM entry (a resume phase). From guest
   * code this runs through the next exit and its whole chain.
   */
  stepOut(maxTicks = 100_000_000): StopInfo {
    const t = this.vmm.trace;
    return this.advance((before) => {
      for (let e = before; e < t.length; e++) if (t.phase[e] === PHASE.resume) return 'step';
      return null;
    }, maxTicks);
  }

  /**
   * Run until a breakpoint, the end, or `maxTicks` (a 'budget' stop, which
   * may land a few events past `maxTicks` when no exit, hypercall or port
   * breakpoint is set: see `advance`).
   */
  continue(maxTicks = 100_000_000): StopInfo {
    return this.advance(null, maxTicks);
  }

  /** Undo the last command (exact state, trace and all). */
  stepBack(): StopInfo {
    const to = this.history.pop();
    if (to === undefined) return this.stop('step');
    this.seekTicks(to);
    return this.stop('step');
  }

  /** Put the machine at position `target` (earlier or later). */
  seekTicks(target: number): void {
    const now = this.ticks;
    if (target < now || target - now > this.interval) {
      let i = this.checkpoints.length - 1;
      while (i > 0 && this.checkpoints[i].ticks > target) i--;
      const cp = this.checkpoints[i];
      if (target < now || cp.ticks > now) {
        restoreCheckpoint(this.vmm, cp);
        this.base = cp;
      }
    }
    const k = this.vmm.kvm;
    for (const c of k.cpus) c.breakpoints = new Set();
    while (this.ticks < target) {
      this.maybeCheckpointDuringReplay();
      const r = k.step(Math.min(target - this.ticks, this.sliceLimit()));
      if (r.kind === 'idle') break;
    }
  }

  /** During replay, checkpoints that already exist are not taken again. */
  private maybeCheckpointDuringReplay(): void {
    const now = this.ticks;
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (now >= last.ticks + this.interval) {
      this.base = takeCheckpoint(this.vmm, this.base);
      this.checkpoints.push(this.base);
    }
  }

  /**
   * Put the machine just after exit `x` began (its first event, the guest
   * phase that exited). An exit past the current position is reached by
   * running forward (without stopping at breakpoints); false if the run
   * ends before it.
   */
  seekExit(x: number): boolean {
    const t = this.vmm.trace;
    const k = this.vmm.kvm;
    for (const c of k.cpus) c.breakpoints = new Set();
    while (t.exitCount <= x) {
      this.maybeCheckpointDuringReplay();
      if (k.step(this.sliceLimit()).kind === 'idle') return false;
    }
    let e = t.length - 1;
    while (e > 0 && !(t.exit[e] === x && t.phase[e] === PHASE.guest)) e--;
    this.seekEvent(e);
    return true;
  }

  /** Put the machine just after event `n` was recorded. */
  seekEvent(n: number): void {
    const t = this.vmm.trace;
    if (n < t.length) {
      // Back: find the nearest checkpoint before event n, replay until it appears.
      let i = this.checkpoints.length - 1;
      while (i > 0 && this.checkpoints[i].events > n) i--;
      restoreCheckpoint(this.vmm, this.checkpoints[i]);
      this.base = this.checkpoints[i];
    }
    const k = this.vmm.kvm;
    for (const c of k.cpus) c.breakpoints = new Set();
    while (t.length <= n) {
      this.maybeCheckpointDuringReplay();
      const r = k.step(this.sliceLimit());
      if (r.kind === 'idle') break;
    }
  }
}
