/**
 * The KVM model: each vCPU's `KVM_RUN` as an explicit state machine whose
 * every step is one phase of DESIGN.md §2, recorded in the trace with the
 * kernel function it models:
 *
 *   guest → vm-exit → dispatch → [intercept] → handle → [userspace] → resume → guest
 *
 * A handler "returns 1" (KVM finished the exit: resume the guest) or
 * "returns 0" (kvm_run is filled: KVM_RUN returns to the VMM, which answers
 * and calls KVM_RUN again) — the convention documented above
 * kvm_vmx_exit_handlers[] in arch/x86/kvm/vmx/vmx.c.
 *
 * Scheduling is deterministic: each vCPU has its own clock (simulated host
 * cycles, see trace/costModel.ts); the vCPU with the smallest clock runs,
 * and keeps running for up to QUANTUM cycles past the others. Which vCPU
 * runs next therefore depends only on state, so stepping by instruction, by
 * phase or running freely produce the same trace.
 */
import { emulateOne, injectException } from '../cpu/emulate';
import type { ExitRequest } from '../cpu/exits';
import { copyFlags, getRflags, resetFlags } from '../cpu/flags';
import type { GuestMemory } from '../cpu/memory';
import { splitHi, splitLo } from '../cpu/operands';
import { FLAG, getReg64, setReg64, type CpuState } from '../cpu/state';
import type { Vcpu } from '../cpu/vcpu';
import { EXIT_DATA, HC_WORDS, PHASE, VMM_LANE, type Trace } from '../trace/trace';
import type { CostProfile } from '../trace/costModel';
import { hardwareExit, type HardwareExit } from '../vmx/vmexit';
import { vmcbFields, vmcsFields, type ControlField, type GuestSnapshot } from '../vmx/vmcs';
import type { VendorName } from '../vmx/exitReasons';
import {
  KVM_E,
  KVM_EXIT,
  KVM_EXIT_HYPERCALL_LONG_MODE,
  KVM_EXIT_IO_IN,
  KVM_EXIT_IO_OUT,
  KVM_HC,
} from './constants';
import { lookupCpuid, type CpuidEntry } from './cpuid';
import { fnId } from './hostFunctions';
import { RESULT_0, runHypercall, type HypercallVm } from './hypercalls';
import { createKvmRun, type KvmRun } from './kvmRun';
import { readMsr, writeMsr } from './msr';
import { matchPolicy, type PolicyRule } from './policy';

/** sizeof(struct read_cache.data) in arch/x86/kvm/kvm_emulate.h: the REP INS read-ahead buffer. */
const READ_CACHE_BYTES = 1024;

/** Cycles a vCPU may run past the slowest runnable vCPU before yielding. */
export const QUANTUM = 10_000;

export type Stage =
  | 'created'
  | 'guest'
  | 'vm-exit'
  | 'dispatch'
  | 'intercept'
  | 'handle'
  | 'userspace'
  | 'resume'
  | 'blocked'
  | 'stopped';

/** What KVM_RUN's resume must finish (vcpu->arch.complete_userspace_io, or the in-kernel equivalent). */
export type Completion =
  | { kind: 'none' }
  | { kind: 'hypercall'; longMode: boolean }
  | { kind: 'skip' }
  | { kind: 'pio-in'; size: number }
  | { kind: 'pio-out' }
  | { kind: 'mmio-read'; gpa: number; size: number }
  | { kind: 'string-io' }
  | { kind: 'inject'; vector: number; errorCode?: number }
  | { kind: 'patched' };

/** The per-vCPU KVM state (struct kvm_vcpu, the parts modelled). */
export interface VcpuKvm {
  id: number;
  stage: Stage;
  /** Simulated host cycles on this vCPU's thread. */
  clock: number;
  run: KvmRun;
  /** The exit being handled. */
  hw: HardwareExit | null;
  /** The last exit's hardware fields, kept after it completes (the debugger shows them). */
  lastHw: HardwareExit | null;
  /**
   * The hypercall request `lastHw` was made from, or null. A hypercall's
   * exit fields depend only on the vendor and the (frozen, per instruction)
   * request, so the same request again finds them already filled in.
   */
  lastHcReq: ExitRequest | null;
  /**
   * The trace row of this vCPU's last exit, or -1. When it is still the
   * trace's last exit and the same hypercall instruction exits again, the
   * new row shares its shape (Trace.addExitAgain).
   */
  lastExit: number;
  /** Guest state the CPU saved at the last exit (VMCS guest-state area / VMCB save area). */
  guest: GuestSnapshot;
  req: ExitRequest | null;
  exitIndex: number;
  completion: Completion;
  /** The hypercall in flight (after interception rewrites). */
  hc: HypercallRegs | null;
  /**
   * kvm_run.hypercall.ret as KVM staged it, in int32 halves of its 64-bit
   * two's complement (see `stageHypercallRet`): the resume loads RAX from
   * them without bigint arithmetic.
   */
  retLo: number;
  retHi: number;
  /** The policy rule acting on the current exit, if any. */
  rule: PolicyRule | null;
  /** Interrupt vectors pending for this vCPU's local APIC (IRR). */
  irr: number[];
  /** An interrupt arrived while it was in guest mode: leave the guest (host IPI). */
  kicked: boolean;
  /** KVM_MP_STATE_HALTED and woken only by an event. */
  halted: boolean;
  pvUnhalted: boolean;
  /** An exit that happened during VM entry (event injection that triple-faulted). */
  pendingExit: ExitRequest | null;
  /** Why it stopped (a KVM_EXIT_* number) once stage is 'stopped'. */
  stopReason: number;
  stats: {
    exits: number;
    hypercalls: number;
    io_exits: number;
    mmio_exits: number;
    halt_exits: number;
    irq_exits: number;
  };
}

export interface KvmConfig {
  vendor: VendorName;
  /** KVM_CREATE_IRQCHIP: in-kernel LAPIC (HLT blocks in the kernel). */
  irqchip: boolean;
  /** KVM_CAP_EXIT_HYPERCALL mask (bit 12 = KVM_HC_MAP_GPA_RANGE). */
  exitHypercallMask: number;
  /** KVM_X86_QUIRK_FIX_HYPERCALL_INSN (enabled unless disabled with KVM_CAP_DISABLE_QUIRKS2). */
  fixHypercallQuirk: boolean;
  /** KVM_CAP_ENFORCE_PV_FEATURE_CPUID. */
  enforcePvFeatureCpuid: boolean;
  policy: readonly PolicyRule[];
  profile: CostProfile;
}

/**
 * What the userspace VMM must do when KVM_RUN returns (the VMM layer
 * implements it; KVM only knows this interface).
 */
export interface Userspace {
  /**
   * Handle `run.exit_reason` for vCPU `id` at simulated time `now`: fill the
   * reply; false stops this vCPU.
   */
  handleExit(id: number, run: KvmRun, mem: GuestMemory, now: number): boolean;
  /** Cycles spent in the VMM for this exit (on top of the KVM_RUN round trip). */
  cost?(id: number, run: KvmRun): number;
  /**
   * The simulated time of the VMM's next device interrupt (a timer writing
   * its irqfd), or Infinity. The machine calls `fireDeadline` once a vCPU's
   * clock reaches it. It may change only when the VMM runs (`handleExit`,
   * `fireDeadline`): the free run relies on that.
   */
  nextDeadline?(): number;
  /** The device interrupt due at `nextDeadline()`: the GSI's vector and target vCPU. */
  fireDeadline?(): { vector: number; target: number };
}

/** Result of one `step`. */
export type StepResult =
  | { kind: 'event'; event: number }
  | { kind: 'instruction' }
  | { kind: 'slice' }
  | { kind: 'idle'; why: 'all-halted' | 'all-stopped' }
  /** The scheduled vCPU reached an address in its breakpoint set (nothing executed there yet). */
  | { kind: 'breakpoint' }
  | { kind: 'budget' };

/**
 * Exceptions KVM always intercepts on both vendors (vmx_update_exception_bitmap /
 * init_vmcb): #DB, #UD, #AC, #MC. #PF is not intercepted with EPT/NPT; #BP only
 * when userspace debugs the guest.
 */
const EXCEPTION_BITMAP = (1 << 1) | (1 << 6) | (1 << 17) | (1 << 18);

// Shared, immutable step results (a result is read at once, never kept).
const IDLE_STOPPED: StepResult = Object.freeze({ kind: 'idle', why: 'all-stopped' });
const IDLE_HALTED: StepResult = Object.freeze({ kind: 'idle', why: 'all-halted' });
const RESULT_INSTRUCTION: StepResult = Object.freeze({ kind: 'instruction' });
const RESULT_SLICE: StepResult = Object.freeze({ kind: 'slice' });
const RESULT_BREAKPOINT: StepResult = Object.freeze({ kind: 'breakpoint' });
const RESULT_BUDGET: StepResult = Object.freeze({ kind: 'budget' });

// Shared, immutable completions (most exits need no per-exit data).
const DONE_NONE: Completion = Object.freeze({ kind: 'none' });
const DONE_SKIP: Completion = Object.freeze({ kind: 'skip' });
const DONE_PATCHED: Completion = Object.freeze({ kind: 'patched' });
const DONE_STRING_IO: Completion = Object.freeze({ kind: 'string-io' });
const DONE_HYPERCALL_64: Completion = Object.freeze({ kind: 'hypercall', longMode: true });
const DONE_HYPERCALL_32: Completion = Object.freeze({ kind: 'hypercall', longMode: false });

/**
 * A hypercall's registers as read at dispatch: int32 halves of nr and
 * a0–a3, with bigint views made on first use (most hypercalls on the hot
 * path never need them). Plain data, so checkpoints clone it.
 */
export interface HypercallRegs {
  /** nr lo, hi, a0 lo, hi, a1 lo, hi, a2 lo, hi, a3 lo, hi. */
  halves: number[];
  nr: bigint | null;
  args: [bigint, bigint, bigint, bigint] | null;
  longMode: boolean;
}

const big = (lo: number, hi: number): bigint =>
  hi === 0 ? BigInt(lo >>> 0) : (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** The registers of a0–a3, in encoding order numbers: RBX, RCX, RDX, RSI. */
const HC_ARG_REGS = [3, 1, 2, 6] as const;

/** Capture nr and a0–a3 (RAX, RBX, RCX, RDX, RSI) from the registers. */
function hcFromRegisters(s: CpuState, longMode: boolean): HypercallRegs {
  const { rl, rh } = s;
  return {
    halves: [rl[0], rh[0], rl[3], rh[3], rl[1], rh[1], rl[2], rh[2], rl[6], rh[6]],
    nr: null,
    args: null,
    longMode,
  };
}

/** nr as a HYPERCALLS key, or -1 when it does not fit 32 bits. */
function hcNrIndex(hc: HypercallRegs): number {
  if (hc.nr !== null) return hc.nr >= 0n && hc.nr < 1n << 32n ? Number(hc.nr) : -1;
  return hc.halves[1] === 0 ? hc.halves[0] >>> 0 : -1;
}

/** The hypercall number as a bigint (cached). */
export function hcNr(hc: HypercallRegs): bigint {
  if (hc.nr === null) hc.nr = big(hc.halves[0], hc.halves[1]);
  return hc.nr;
}

/** a0–a3 as bigints (cached; an interception rule may rewrite them). */
export function hcArgs(hc: HypercallRegs): [bigint, bigint, bigint, bigint] {
  if (hc.args === null) {
    const h = hc.halves;
    hc.args = [big(h[2], h[3]), big(h[4], h[5]), big(h[6], h[7]), big(h[8], h[9])];
  }
  return hc.args;
}

export class KvmMachine implements HypercallVm {
  readonly vcpus: VcpuKvm[] = [];
  readonly cpus: Vcpu[] = [];
  readonly cpuid: CpuidEntry[][] = [];
  /** Guest-physical pages with an MMIO SPTE installed (first access seen). */
  readonly mmioPages = new Set<number>();
  /** The vCPU whose hypercall is being run, for `call.args()`. */
  private callVcpu: VcpuKvm | null = null;
  /** One reusable argument object for hypercall handlers (no allocation per call). */
  private readonly call: {
    vcpu: number;
    longMode: boolean;
    vm: HypercallVm;
    args(): readonly [bigint, bigint, bigint, bigint];
    arg(k: number): number;
    argLow32(k: number): number;
  } = {
    vcpu: 0,
    longMode: true,
    vm: this,
    args: () => hcArgs(this.hcOf(this.callVcpu as VcpuKvm)),
    arg: (k) => this.hcArg(this.callVcpu as VcpuKvm, k, false),
    argLow32: (k) => this.hcArg(this.callVcpu as VcpuKvm, k, true),
  };
  /**
   * Hypercall argument k of `v` as a number: its low 32 bits unsigned when
   * `low32`, else the whole of it when it fits 32 bits unsigned and -1 when
   * not. As rewritten by an interception rule, else as captured at
   * dispatch, else straight from RBX, RCX, RDX, RSI (no bigint).
   */
  private hcArg(v: VcpuKvm, k: number, low32: boolean): number {
    const hc = v.hc;
    if (hc?.args) {
      const a = BigInt.asUintN(64, hc.args[k]);
      if (low32) return Number(a & 0xffffffffn);
      return a <= 0xffffffffn ? Number(a) : -1;
    }
    let lo: number;
    let hi: number;
    if (hc) {
      lo = hc.halves[2 + 2 * k];
      hi = hc.halves[3 + 2 * k];
    } else {
      const { rl, rh } = this.cpus[v.id].state;
      const r = HC_ARG_REGS[k];
      lo = rl[r];
      hi = rh[r];
    }
    return low32 || hi === 0 ? lo >>> 0 : -1;
  }

  /** The vCPU's hypercall registers, captured now if dispatch did not need them. */
  private hcOf(v: VcpuKvm): HypercallRegs {
    if (!v.hc) v.hc = hcFromRegisters(this.cpus[v.id].state, true);
    return v.hc;
  }

  /** The vCPU running now (the scheduler's state). */
  current = 0;
  retired = 0;

  /** Vendor-specific host-function keys of the hot path. */
  private readonly keys: {
    vmExit: number;
    dispatch: number;
    hypercall: number;
    resumeHypercall: number;
    guest: number;
  };

  constructor(
    readonly config: KvmConfig,
    readonly mem: GuestMemory,
    readonly trace: Trace,
    readonly userspace: Userspace,
  ) {
    const vnd = config.vendor;
    this.keys = {
      vmExit: fnId(`vm-exit:${vnd}`),
      dispatch: fnId(`dispatch:${vnd}`),
      hypercall: fnId(`handle:hypercall:${vnd}`),
      resumeHypercall: fnId('resume:hypercall'),
      guest: fnId('guest'),
    };
  }

  /** Add a vCPU (KVM_CREATE_VCPU); it runs once the VMM calls `startRun`. */
  addVcpu(cpu: Vcpu, cpuid: CpuidEntry[]): number {
    const id = this.vcpus.length;
    cpu.vendor = this.config.vendor;
    cpu.exceptionBitmap = EXCEPTION_BITMAP;
    this.cpus.push(cpu);
    this.cpuid.push(cpuid);
    this.vcpus.push({
      id,
      stage: 'created',
      clock: 0,
      run: createKvmRun(),
      hw: null,
      lastHw: null,
      lastHcReq: null,
      lastExit: -1,
      guest: {
        rip: 0,
        rspLo: 0,
        rspHi: 0,
        flags: resetFlags(),
        cr0: 0,
        cr3: 0,
        cr4: 0,
        efer: 0,
        csSelector: 0,
        ssSelector: 0,
        cpl: 0,
      },
      req: null,
      exitIndex: -1,
      completion: { kind: 'none' },
      hc: null,
      retLo: 0,
      retHi: 0,
      rule: null,
      irr: [],
      kicked: false,
      halted: false,
      pvUnhalted: false,
      pendingExit: null,
      stopReason: -1,
      stats: { exits: 0, hypercalls: 0, io_exits: 0, mmio_exits: 0, halt_exits: 0, irq_exits: 0 },
    });
    return id;
  }

  /** Record a VMM set-up ioctl (an event on the VMM lane). */
  ioctl(name: string, time: number): number {
    const fd = name.startsWith('ioctl(/dev/kvm')
      ? 'dev'
      : name.startsWith('ioctl(vm_fd')
        ? 'vm'
        : 'vcpu';
    const e = this.trace.addEvent(time, VMM_LANE, PHASE.ioctl, fnId(`ioctl:${fd}`), -1);
    this.trace.setDetail(e, name);
    return e;
  }

  /** The first KVM_RUN of a vCPU: it enters the guest at `time`. */
  startRun(id: number, time: number): void {
    const v = this.vcpus[id];
    v.clock = time;
    v.stage = 'resume';
    v.completion = DONE_NONE;
  }

  // ── scheduling ────────────────────────────────────────────────────────

  private runnable(v: VcpuKvm): boolean {
    return v.stage !== 'created' && v.stage !== 'blocked' && v.stage !== 'stopped';
  }

  /** The vCPU that runs next: a pure function of the state. */
  schedule(): number {
    if (this.vcpus.length === 1) return this.runnable(this.vcpus[0]) ? 0 : -1;
    let min = -1;
    let minOther = Infinity;
    for (const v of this.vcpus) {
      if (!this.runnable(v)) continue;
      if (min < 0 || v.clock < this.vcpus[min].clock) min = v.id;
      if (v.id !== this.current) minOther = Math.min(minOther, v.clock);
    }
    if (min < 0) return -1;
    const cur = this.vcpus[this.current];
    if (cur && this.runnable(cur) && cur.clock < minOther + QUANTUM) return this.current;
    return min;
  }

  /** Instructions the scheduled guest may run before its quantum ends or a device interrupt is due. */
  private sliceBudget(id: number): number {
    if (this.isSolo()) return Infinity;
    let minOther = Infinity;
    for (const v of this.vcpus)
      if (v.id !== id && this.runnable(v)) minOther = Math.min(minOther, v.clock);
    const deadline = this.userspace.nextDeadline ? this.userspace.nextDeadline() : Infinity;
    const limit = Math.min(minOther + QUANTUM, deadline);
    if (limit === Infinity) return Infinity;
    return Math.max(1, Math.ceil(limit - this.vcpus[id].clock));
  }

  /**
   * The VMM's device raises its interrupt at `time`: the irqfd write makes
   * KVM route the GSI to a vCPU's local APIC (kvm_set_irq → … →
   * kvm_apic_set_irq), waking it if it sleeps in HLT.
   */
  private fireIrq(time: number): StepResult {
    const fire = this.userspace.fireDeadline?.();
    const e = this.trace.addEvent(time, VMM_LANE, PHASE.irq, this.fid('irq'), -1);
    if (fire && this.vcpus[fire.target]) this.deliverInterrupt(fire.target, fire.vector, time);
    return { kind: 'event', event: e };
  }

  // ── stepping ──────────────────────────────────────────────────────────

  /**
   * Advance the machine: one phase of the scheduled vCPU, or (in the guest)
   * up to `maxInstructions` guest instructions (1 = step by instruction).
   */
  step(maxInstructions = Infinity): StepResult {
    const id = this.schedule();
    const deadline = this.userspace.nextDeadline ? this.userspace.nextDeadline() : Infinity;
    if (
      deadline !== Infinity &&
      (id < 0 ? this.vcpus.some((v) => v.stage === 'blocked') : this.vcpus[id].clock >= deadline)
    ) {
      const r = this.fireIrq(deadline);
      // Nobody could take it (all asleep with IF = 0, say): the machine is idle.
      if (id < 0 && this.schedule() < 0) return IDLE_HALTED;
      return r;
    }
    if (id < 0) return this.vcpus.some((v) => v.stage === 'blocked') ? IDLE_HALTED : IDLE_STOPPED;
    this.current = id;
    const v = this.vcpus[id];
    return this.stepStage(v, maxInstructions);
  }

  /**
   * Run freely — the VMM's KVM_RUN loop with nobody stopping between phases —
   * until every vCPU is idle (the idle result), `maxRetired` guest
   * instructions have retired in all or the trace holds `maxEvents` events
   * (`{ kind: 'budget' }`; an exit's phases may run a few events past it),
   * or a vCPU reaches an address breakpoint (`{ kind: 'breakpoint' }`,
   * before the instruction, as `step` stops).
   *
   * Contract: exactly `step` called in a loop (same events, times and state;
   * results other than idle and breakpoint are ignored);
   * tests/kvm/freeRun.test.ts checks it. The shortcuts need a lone vCPU with
   * no device deadline pending (`runSolo`): then `schedule` can only pick
   * that vCPU and no interrupt can fire, so nothing needs deciding between
   * its phases. Stepping by phase (the debugger) goes through `step`.
   */
  run(maxRetired: number, maxEvents = Infinity): StepResult {
    const t = this.trace;
    while (this.retired < maxRetired && t.length < maxEvents) {
      if (this.isSolo()) {
        const v = this.vcpus[0];
        if (!this.runnable(v)) return v.stage === 'blocked' ? IDLE_HALTED : IDLE_STOPPED;
        this.current = 0;
        if (this.runSolo(v, maxRetired, maxEvents)) return RESULT_BREAKPOINT;
      } else {
        const r = this.step(maxRetired - this.retired);
        if (r.kind === 'idle' || r.kind === 'breakpoint') return r;
      }
    }
    return RESULT_BUDGET;
  }

  /**
   * `step` for a lone vCPU, repeated: its stages one after another until
   * the budgets are used up, it cannot run, it reaches an address
   * breakpoint (returns true), or the VMM has handled an exit — the only
   * time its device deadline can change, so `run` looks again.
   */
  private runSolo(v: VcpuKvm, maxRetired: number, maxEvents: number): boolean {
    const t = this.trace;
    for (;;) {
      const stage = v.stage;
      if (stage === 'vm-exit' && this.config.policy.length === 0) {
        // No interception layer: vm-exit, dispatch and handle follow each
        // other with no choice of stage, then resume if the handler
        // finished in the kernel — the calls the loop would make, minus the
        // looking in between. Only resume can use up the budget (a handler
        // that emulates an MMIO write retires it), so it is checked first.
        // A hypercall from CPL 0 takes the fast path, which does the same.
        if ((v.req as ExitRequest).kind === 'hypercall' && this.cpus[v.id].state.cpl === 0) {
          this.hypercallFastPath(v, maxRetired);
        } else {
          this.phaseVmExit(v);
          this.phaseDispatch(v);
          this.phaseHandle(v);
          if (v.stage === 'resume' && this.retired < maxRetired) this.phaseResume(v);
        }
      } else if (stage === 'guest') {
        if (this.stepGuest(v, maxRetired - this.retired, true) === RESULT_BREAKPOINT) return true;
      } else {
        this.stepStage(v, maxRetired - this.retired);
        if (stage === 'userspace') return false;
      }
      if (this.retired >= maxRetired || t.length >= maxEvents || !this.runnable(v)) return false;
    }
  }

  // ── the free run's fast path ──────────────────────────────────────────

  /**
   * A hypercall from CPL 0, from vm-exit to VM entry in one call: the free
   * run's path for its commonest exit (`runSolo` takes it when there is no
   * interception rule). It follows the kernel's path — vmx_handle_exit →
   * __vmx_handle_exit → handle_vmcall (SVM: vmmcall_interception) →
   * kvm_emulate_hypercall, then complete_hypercall_exit and
   * vcpu_enter_guest — through the helpers the phase methods use.
   *
   * Contract: exactly phaseVmExit, phaseDispatch, phaseHandle and (when KVM
   * finished the call and the budget allows) phaseResume one after
   * another: the same events (time, host function, exit), the same trace
   * data and machine state afterwards — tests/kvm/freeRun.test.ts compares
   * the two. Left out is only what nobody sees during a free run: the
   * stages in between, and the step results.
   */
  private hypercallFastPath(v: VcpuKvm, maxRetired: number): void {
    const t = this.trace;
    const cost = this.config.profile;
    const keys = this.keys;
    const id = v.id;
    const s = this.cpus[id].state;
    const x = v.exitIndex;
    // The events are written straight into the trace's columns
    // (Trace.reserveEvents): the rows addEvent would append. The columns
    // are held in locals: a Trace method writing one row through `this`
    // (inlined, but each store then reloads its column) measured 8% slower.
    // vm-exit, then dispatch: no rule can intercept, so the registers are not captured.
    let i = t.reserveEvents(2);
    let { time, vcpu, phase, fn, exit } = t;
    let clock = v.clock;
    time[i] = clock;
    vcpu[i] = id;
    phase[i] = PHASE['vm-exit'];
    fn[i] = keys.vmExit;
    exit[i] = x;
    clock += cost.vmExit;
    v.rule = null;
    v.hc = null;
    this.recordHypercall(v, s);
    time[i + 1] = clock;
    vcpu[i + 1] = id;
    phase[i + 1] = PHASE.dispatch;
    fn[i + 1] = keys.dispatch;
    exit[i + 1] = x;
    t.length = i + 2;
    v.clock = clock + cost.dispatch;
    // handle (is_64_bit_hypercall: always true in this model). The handler
    // may append events (a woken vCPU) and move the clock (a yield).
    v.stage = 'resume';
    v.stats.hypercalls++;
    v.completion = DONE_HYPERCALL_64;
    const done = this.emulateHypercall(v, s, true);
    const resume = done && this.retired < maxRetired;
    i = t.reserveEvents(2);
    ({ time, vcpu, phase, fn, exit } = t);
    clock = v.clock;
    time[i] = clock;
    vcpu[i] = id;
    phase[i] = PHASE.handle;
    fn[i] = keys.hypercall;
    exit[i] = x;
    clock += cost.handle.hypercall;
    if (!resume) {
      t.length = i + 1;
      v.clock = clock;
      return;
    }
    // resume
    this.completeHypercall(v, s, true, false);
    this.enterGuest(v, s);
    time[i + 1] = clock;
    vcpu[i + 1] = id;
    phase[i + 1] = PHASE.resume;
    fn[i + 1] = keys.resumeHypercall;
    exit[i + 1] = x;
    t.length = i + 2;
    v.clock = clock + cost.resume;
    v.exitIndex = -1;
  }

  /** One vCPU and no device deadline: what `step` schedules is known without looking. */
  private isSolo(): boolean {
    if (this.vcpus.length !== 1) return false;
    const u = this.userspace;
    return u.nextDeadline === undefined || u.nextDeadline() === Infinity;
  }

  private stepStage(v: VcpuKvm, maxInstructions: number): StepResult {
    switch (v.stage) {
      case 'guest':
        return this.stepGuest(v, maxInstructions);
      case 'vm-exit':
        return this.phaseVmExit(v);
      case 'dispatch':
        return this.phaseDispatch(v);
      case 'intercept':
        return this.phaseIntercept(v);
      case 'handle':
        return this.phaseHandle(v);
      case 'userspace':
        return this.phaseUserspace(v);
      case 'resume':
        return this.phaseResume(v);
      default:
        return IDLE_STOPPED;
    }
  }

  /** Host-function ids by key, looked up once per key (fnId is a string lookup). */
  private readonly fnIds = new Map<string, number>();

  private fid(key: string): number {
    let id = this.fnIds.get(key);
    if (id === undefined) {
      id = fnId(key);
      this.fnIds.set(key, id);
    }
    return id;
  }

  /**
   * Record a phase event. The returned result object is reused from call to
   * call (no allocation per phase): read it at once, do not keep it.
   */
  private event(v: VcpuKvm, phase: number, fn: number, cost: number): StepResult {
    const e = this.trace.addEvent(v.clock, v.id, phase, fn, v.exitIndex);
    v.clock += cost;
    this.eventResult.event = e;
    return this.eventResult;
  }

  private readonly eventResult: { kind: 'event'; event: number } = { kind: 'event', event: 0 };

  /**
   * Run the guest until it exits or `maxInstructions` retire (or its slice
   * ends). `solo`: the caller knows it is the lone vCPU with no device
   * deadline (`isSolo`), so the slice is unbounded and not looked up.
   */
  private stepGuest(v: VcpuKvm, maxInstructions: number, solo = false): StepResult {
    const cpu = this.cpus[v.id];
    const profile = this.config.profile;
    if (v.pendingExit) {
      const req = v.pendingExit;
      v.pendingExit = null;
      return this.beginExit(v, req);
    }
    if (v.kicked) {
      // A host IPI arrived while in guest mode: the CPU exits with "external interrupt".
      v.kicked = false;
      return this.beginExit(v, { kind: 'external-interrupt', rip: cpu.state.rip, length: 0 });
    }
    const budget = solo ? maxInstructions : Math.min(maxInstructions, this.sliceBudget(v.id));
    cpu.exit = null;
    const before = cpu.state.icount;
    const r = cpu.run(budget === Infinity ? 1_000_000 : budget);
    const n = cpu.state.icount - before;
    this.retired += n;
    v.clock += n * profile.guestInstruction;
    if (r === 'exit' || r === 'shutdown') {
      const req = cpu.exit as ExitRequest | null;
      if (req) return this.beginExit(v, req);
    }
    if (r === 'breakpoint') return RESULT_BREAKPOINT;
    return maxInstructions === 1 ? RESULT_INSTRUCTION : RESULT_SLICE;
  }

  /** The exiting instruction stopped before retiring: record the exit and the 'guest' event. */
  private beginExit(v: VcpuKvm, req: ExitRequest): StepResult {
    const cpu = this.cpus[v.id];
    v.req = req;
    // The last exit's fields are overwritten in place: a vCPU has one exit at
    // a time. The same hypercall instruction again: they are already right.
    const t = this.trace;
    const last = v.lastHw;
    const again = last !== null && req === v.lastHcReq;
    const hw = again
      ? last
      : hardwareExit(this.config.vendor, req, this.mmioPages, last ?? undefined);
    if (!again) v.lastHcReq = req.kind === 'hypercall' ? req : null;
    v.hw = hw;
    v.lastHw = hw;
    const s = cpu.state;
    const g = v.guest;
    g.rip = hw.rip;
    g.rspLo = s.rl[4];
    g.rspHi = s.rh[4];
    copyFlags(s, g.flags);
    g.cr0 = s.cr0;
    g.cr3 = s.cr3;
    g.cr4 = s.cr4;
    g.efer = s.efer;
    g.csSelector = s.seg[1].selector;
    g.ssSelector = s.seg[2].selector;
    g.cpl = s.cpl;
    v.exitIndex =
      again && v.lastExit === t.exitCount - 1
        ? t.addExitAgain(v.clock, v.id)
        : t.addExit(v.clock, v.id, hw.code, hw.name, hw.rip, hw.length, hw.qualification, hw.gpa);
    v.lastExit = v.exitIndex;
    v.stats.exits++;
    cpu.exit = null;
    v.stage = 'vm-exit';
    // The 'guest' event (it costs nothing: the guest's time was counted as
    // it ran), written as hypercallFastPath writes its events.
    const e = t.reserveEvents(1);
    t.time[e] = v.clock;
    t.vcpu[e] = v.id;
    t.phase[e] = PHASE.guest;
    t.fn[e] = this.keys.guest;
    t.exit[e] = v.exitIndex;
    t.length = e + 1;
    this.eventResult.event = e;
    return this.eventResult;
  }

  private phaseVmExit(v: VcpuKvm): StepResult {
    v.stage = 'dispatch';
    return this.event(v, PHASE['vm-exit'], this.keys.vmExit, this.config.profile.vmExit);
  }

  private phaseDispatch(v: VcpuKvm): StepResult {
    const req = v.req as ExitRequest;
    v.rule = null;
    if (req.kind === 'hypercall') {
      const s = this.cpus[v.id].state;
      // is_64_bit_hypercall: EFER.LMA && CS.L — always true in this model (no compatibility mode),
      // so nr and a0–a3 are read as 64-bit values (a 32-bit guest would get EAX…ESI).
      const longMode = true;
      // nr = RAX, a0–a3 = RBX, RCX, RDX, RSI as int32 halves; bigints only when a handler needs them.
      // The hypercall registers are captured (as int32 halves) only when an
      // interception rule may need them; otherwise the handler reads the
      // registers directly, which have not changed since the exit.
      v.hc = this.config.policy.length ? hcFromRegisters(s, longMode) : null;
      this.recordHypercall(v, s);
      v.rule = v.hc ? (matchPolicy(this.config.policy, hcNr(v.hc), v.id) ?? null) : null;
    }
    v.stage = v.rule ? 'intercept' : 'handle';
    return this.event(v, PHASE.dispatch, this.keys.dispatch, this.config.profile.dispatch);
  }

  /**
   * Record the hypercall's nr = RAX and a0–a3 = RBX, RCX, RDX, RSI, with
   * ret = 0 until it is known: the register halves go straight into the
   * exit's data words (Trace.exHc; no bigint, no call — this runs on every
   * hypercall).
   */
  private recordHypercall(v: VcpuKvm, s: CpuState): void {
    const { rl, rh } = s;
    const t = this.trace;
    const x = v.exitIndex;
    t.exKind[x] = EXIT_DATA.hypercall;
    const w = t.exHc;
    const o = x * HC_WORDS;
    w[o] = rl[0];
    w[o + 1] = rh[0];
    w[o + 2] = rl[3];
    w[o + 3] = rh[3];
    w[o + 4] = rl[1];
    w[o + 5] = rh[1];
    w[o + 6] = rl[2];
    w[o + 7] = rh[2];
    w[o + 8] = rl[6];
    w[o + 9] = rh[6];
    w[o + 10] = 0;
    w[o + 11] = 0;
  }

  private phaseIntercept(v: VcpuKvm): StepResult {
    const rule = v.rule as PolicyRule;
    const hc = v.hc as NonNullable<VcpuKvm['hc']>;
    const a = rule.action;
    v.stage = 'handle';
    switch (a.kind) {
      case 'deny':
        this.stageHypercallRet(v, BigInt(-a.errno));
        this.trace.setWordHalves(v.exitIndex, 5, v.retLo, v.retHi);
        v.completion = hc.longMode ? DONE_HYPERCALL_64 : DONE_HYPERCALL_32;
        v.stage = 'resume';
        break;
      case 'redirect':
        hc.nr = BigInt(a.nr);
        hc.halves[0] = a.nr | 0;
        hc.halves[1] = 0;
        break;
      case 'rewrite':
        for (const k of [0, 1, 2, 3] as const)
          if (a.args[k] !== undefined) hcArgs(hc)[k] = a.args[k] as bigint;
        break;
      case 'forward':
        this.fillHypercallExit(v, hc);
        v.stage = 'userspace';
        break;
      default:
        break;
    }
    return this.event(v, PHASE.intercept, this.fid('intercept'), this.config.profile.intercept);
  }

  private fillHypercallExit(v: VcpuKvm, hc: NonNullable<VcpuKvm['hc']>): void {
    v.run.exit_reason = KVM_EXIT.HYPERCALL;
    v.run.hypercall = {
      nr: hcNr(hc),
      args: [hcArgs(hc)[0], hcArgs(hc)[1], hcArgs(hc)[2], 0n, 0n, 0n],
      ret: 0n,
      flags: hc.longMode ? KVM_EXIT_HYPERCALL_LONG_MODE : 0,
    };
    v.completion = hc.longMode ? DONE_HYPERCALL_64 : DONE_HYPERCALL_32;
    this.trace.setUserspace(v.exitIndex, KVM_EXIT.HYPERCALL);
  }

  /**
   * kvm_emulate_hypercall at CPL 0: run hypercall nr for `v` (the
   * `switch (nr)` of ____kvm_emulate_hypercall). Its result is staged for
   * the resume, or — when the VMM asked to see this number — kvm_run is
   * filled and the stage becomes userspace. True when KVM finished it.
   */
  private emulateHypercall(v: VcpuKvm, s: CpuState, longMode: boolean): boolean {
    const hc = v.hc;
    const nr = hc ? hcNrIndex(hc) : s.rh[0] === 0 ? s.rl[0] >>> 0 : -1;
    const call = this.call;
    call.vcpu = v.id;
    call.longMode = longMode;
    this.callVcpu = v;
    const result = runHypercall(nr, call);
    if (result === RESULT_0) {
      // The commonest result, known without looking at its bigint.
      v.run.hypercall.ret = 0n;
      v.retLo = 0;
      v.retHi = 0;
    } else if ('userspace' in result) {
      this.fillHypercallExit(v, this.hcOf(v));
      v.stage = 'userspace';
      return false;
    } else this.stageHypercallRet(v, result.ret);
    this.trace.setWordHalves(v.exitIndex, 5, v.retLo, v.retHi);
    return true;
  }

  /** Run the exit handler (kvm_vmx_exit_handlers[] / svm_exit_handlers[]). */
  private phaseHandle(v: VcpuKvm): StepResult {
    const req = v.req as ExitRequest;
    const cpu = this.cpus[v.id];
    const s = cpu.state;
    const vendor = this.config.vendor;
    const cost = this.config.profile.handle;
    v.stage = 'resume';
    switch (req.kind) {
      case 'hypercall': {
        const hc = v.hc;
        const longMode = hc ? hc.longMode : true;
        v.stats.hypercalls++;
        v.completion = longMode ? DONE_HYPERCALL_64 : DONE_HYPERCALL_32;
        if (s.cpl !== 0) {
          this.stageHypercallRet(v, BigInt(-KVM_E.EPERM));
          this.trace.setWordHalves(v.exitIndex, 5, v.retLo, v.retHi);
          return this.event(
            v,
            PHASE.handle,
            this.fid(`handle:hypercall-eperm:${vendor}`),
            cost.hypercall,
          );
        }
        this.emulateHypercall(v, s, longMode);
        return this.event(v, PHASE.handle, this.keys.hypercall, cost.hypercall);
      }
      case 'cpuid': {
        const leaf = s.rl[0] >>> 0;
        const sub = s.rl[1] >>> 0;
        const e = lookupCpuid(this.cpuid[v.id], leaf, sub);
        for (const [r, val] of [
          [0, e.eax],
          [3, e.ebx],
          [1, e.ecx],
          [2, e.edx],
        ] as const) {
          s.rl[r] = val | 0;
          s.rh[r] = 0;
        }
        this.trace.setData(v.exitIndex, 'cpuid', [
          BigInt(leaf),
          BigInt(sub),
          BigInt(e.eax),
          BigInt(e.ebx),
          BigInt(e.ecx),
          BigInt(e.edx),
        ]);
        v.completion = DONE_SKIP;
        return this.event(v, PHASE.handle, this.fid('handle:cpuid'), cost.cpuid);
      }
      case 'rdmsr':
      case 'wrmsr': {
        const index = s.rl[1] >>> 0;
        if (req.kind === 'rdmsr') {
          const value = readMsr(this, v.id, index);
          if (value === undefined) v.completion = { kind: 'inject', vector: 13, errorCode: 0 };
          else {
            s.rl[0] = Number(value & 0xffffffffn) | 0;
            s.rh[0] = 0;
            s.rl[2] = Number(value >> 32n) | 0;
            s.rh[2] = 0;
            v.completion = DONE_SKIP;
          }
          this.trace.setData(v.exitIndex, 'msr', [BigInt(index), value ?? 0n, 0n]);
        } else {
          const value = (BigInt(s.rl[2] >>> 0) << 32n) | BigInt(s.rl[0] >>> 0);
          v.completion = writeMsr(this, v.id, index, value)
            ? { kind: 'skip' }
            : { kind: 'inject', vector: 13, errorCode: 0 };
          this.trace.setData(v.exitIndex, 'msr', [BigInt(index), value, 1n]);
        }
        return this.event(v, PHASE.handle, this.fid(`handle:${req.kind}`), cost.msr);
      }
      case 'hlt': {
        v.stats.halt_exits++;
        v.completion = DONE_SKIP;
        if (!this.config.irqchip) {
          // Userspace LAPIC: KVM_EXIT_HLT (__kvm_emulate_halt with exit reason).
          this.skip(v);
          v.completion = DONE_NONE;
          this.toUser(v, KVM_EXIT.HLT);
        } else if (!this.hasEvents(v)) {
          this.skip(v);
          v.completion = DONE_NONE;
          v.halted = true;
          v.stage = 'blocked';
          const r = this.event(v, PHASE.handle, this.fid('handle:hlt'), cost.hlt);
          this.trace.addEvent(v.clock, v.id, PHASE.block, fnId('block'), v.exitIndex);
          return r;
        }
        // An event is pending: HLT does not sleep, and a KICK_CPU that came
        // first is used up (__kvm_emulate_halt: pv_unhalted = false).
        v.pvUnhalted = false;
        return this.event(v, PHASE.handle, this.fid('handle:hlt'), cost.hlt);
      }
      case 'io':
        return this.handleIo(v, req);
      case 'mmio':
        return this.handleMmio(v, req);
      case 'exception':
        return this.handleException(v, req);
      case 'triple-fault':
        this.toUser(v, KVM_EXIT.SHUTDOWN);
        return this.event(v, PHASE.handle, this.fid(`handle:triple-fault:${vendor}`), cost.other);
      case 'cr-access':
        v.completion = DONE_SKIP;
        return this.event(v, PHASE.handle, this.fid('handle:exception:intel'), cost.other);
      default: {
        // The host IPI that made the guest exit: serviced in handle_exit_irqoff.
        v.stats.irq_exits++;
        v.completion = DONE_NONE;
        return this.event(
          v,
          PHASE.handle,
          this.fid(`handle:extint:${vendor}`),
          cost.externalInterrupt,
        );
      }
    }
  }

  /**
   * Stage a hypercall's result where complete_hypercall_exit reads it
   * (kvm_run.hypercall.ret), and as int32 halves of its 64-bit two's
   * complement in `retLo`/`retHi` — one bigint conversion per hypercall.
   */
  private stageHypercallRet(v: VcpuKvm, ret: bigint): void {
    v.run.hypercall.ret = ret;
    if (ret === 0n) {
      // The usual result: no conversion at all.
      v.retLo = 0;
      v.retHi = 0;
      return;
    }
    const n = Number(ret);
    if (n >= -0x80000000 && n <= 0x7fffffff) {
      // The usual case (0, -KVM_ENOSYS, small values): sign-extended int32.
      v.retLo = n | 0;
      v.retHi = n < 0 ? -1 : 0;
    } else if (Number.isSafeInteger(n)) {
      v.retLo = splitLo(n);
      v.retHi = splitHi(n);
    } else {
      const u = BigInt.asUintN(64, ret);
      v.retLo = Number(u & 0xffffffffn) | 0;
      v.retHi = Number(u >> 32n) | 0;
    }
  }

  /** The handler "returns 0": kvm_run.exit_reason is set and KVM_RUN goes back to the VMM. */
  private toUser(v: VcpuKvm, reason: number): void {
    v.run.exit_reason = reason;
    this.trace.setUserspace(v.exitIndex, reason);
    v.stage = 'userspace';
  }

  private handleIo(v: VcpuKvm, req: Extract<ExitRequest, { kind: 'io' }>): StepResult {
    const s = this.cpus[v.id].state;
    const vendor = this.config.vendor;
    v.stats.io_exits++;
    const run = v.run;
    run.exit_reason = KVM_EXIT.IO;
    run.io.direction = req.direction === 'in' ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
    run.io.size = req.size;
    run.io.port = req.port;
    run.io.data_offset = 4096;
    let key = `handle:io:${vendor}`;
    if (!req.string) {
      run.io.count = 1;
      const value = Number(getReg64(s, 0) & BigInt(2 ** (8 * req.size) - 1));
      run.io.data = req.direction === 'out' ? [value] : [];
      v.completion =
        req.direction === 'out' ? { kind: 'pio-out' } : { kind: 'pio-in', size: req.size };
      this.trace.setData(v.exitIndex, 'io', [
        BigInt(req.port),
        BigInt(req.size),
        req.direction === 'out' ? 1n : 0n,
        BigInt(value),
        1n,
      ]);
    } else {
      key = `handle:io-string:${vendor}`;
      // REP INS reads ahead (pio_in_emulated, arch/x86/kvm/emulate.c): n =
      // min3(bytes left in RDI's page, sizeof(read_cache.data) / size, RCX),
      // at least 1 — Linux mixes bytes and elements there, and so do we.
      // OUTS always moves one element per exit (em_out passes count 1).
      const rcx = req.rep ? Number(getReg64(s, 1) & 0xffffffffn) : 1;
      let count = 1;
      if (req.direction === 'in') {
        const offset = Number(getReg64(s, 7) & 0xfffn);
        const inPage = s.flagsOther & FLAG.DF ? offset : 4096 - offset;
        count = Math.max(1, Math.min(inPage, Math.floor(READ_CACHE_BYTES / req.size), rcx));
      }
      run.io.count = count;
      run.io.data = [];
      if (req.direction === 'out') {
        let at = Number(getReg64(s, 6));
        for (let i = 0; i < count; i++) {
          let x = 0;
          for (let b = req.size - 1; b >= 0; b--) x = x * 256 + (this.mem.bytes[at + b] ?? 0);
          run.io.data.push(x);
          at += s.flagsOther & FLAG.DF ? -req.size : req.size;
        }
      }
      v.completion = DONE_STRING_IO;
      this.trace.setData(v.exitIndex, 'io', [
        BigInt(req.port),
        BigInt(req.size),
        req.direction === 'out' ? 1n : 0n,
        BigInt(run.io.data[0] ?? 0),
        BigInt(count),
      ]);
    }
    this.trace.setUserspace(v.exitIndex, KVM_EXIT.IO);
    v.stage = 'userspace';
    return this.event(v, PHASE.handle, this.fid(key), this.config.profile.handle.ioUserspace);
  }

  private handleMmio(v: VcpuKvm, req: Extract<ExitRequest, { kind: 'mmio' }>): StepResult {
    const hw = v.hw as HardwareExit;
    const key =
      this.config.vendor === 'amd'
        ? 'handle:npf'
        : hw.name === 'EPT_MISCONFIG'
          ? 'handle:ept-misconfig'
          : 'handle:ept-violation';
    v.stats.mmio_exits++;
    const cost = this.config.profile.handle.mmio;
    if (req.access === 'fetch') {
      // Instruction fetch from MMIO cannot be emulated.
      v.run.exit_reason = KVM_EXIT.INTERNAL_ERROR;
      v.run.internal = { suberror: 1, ndata: 0 };
      this.trace.setUserspace(v.exitIndex, KVM_EXIT.INTERNAL_ERROR);
      v.stage = 'userspace';
      return this.event(v, PHASE.handle, this.fid(key), cost);
    }
    // The emulator runs the instruction: a write completes here, a read needs userspace data.
    const r = emulateOne(this.cpus[v.id], new Map());
    if (r.kind === 'done') {
      const w = r.writes[0];
      this.retired++;
      if (w) {
        v.run.exit_reason = KVM_EXIT.MMIO;
        v.run.mmio = { phys_addr: w.gpa, data: w.value, len: w.size, is_write: 1 };
        this.trace.setData(v.exitIndex, 'mmio', [BigInt(w.gpa), BigInt(w.size), 1n, w.value]);
        this.trace.setUserspace(v.exitIndex, KVM_EXIT.MMIO);
        v.completion = DONE_NONE;
        v.stage = 'userspace';
      } else {
        v.completion = DONE_NONE;
        v.stage = 'resume';
      }
    } else if (r.kind === 'needs-read') {
      v.run.exit_reason = KVM_EXIT.MMIO;
      v.run.mmio = { phys_addr: r.gpa, data: 0n, len: r.size, is_write: 0 };
      this.trace.setData(v.exitIndex, 'mmio', [BigInt(r.gpa), BigInt(r.size), 0n, 0n]);
      this.trace.setUserspace(v.exitIndex, KVM_EXIT.MMIO);
      v.completion = { kind: 'mmio-read', gpa: r.gpa, size: r.size };
      v.stage = 'userspace';
    } else if (r.kind === 'shutdown') {
      v.run.exit_reason = KVM_EXIT.SHUTDOWN;
      this.trace.setUserspace(v.exitIndex, KVM_EXIT.SHUTDOWN);
      v.stage = 'userspace';
    } else {
      v.completion = DONE_NONE;
      v.stage = 'resume';
    }
    return this.event(v, PHASE.handle, this.fid(key), cost);
  }

  private handleException(
    v: VcpuKvm,
    req: Extract<ExitRequest, { kind: 'exception' }>,
  ): StepResult {
    const vendor = this.config.vendor;
    const cpu = this.cpus[v.id];
    const cost = this.config.profile.handle.exception;
    this.trace.setData(v.exitIndex, 'exception', [BigInt(req.vector), BigInt(req.errorCode ?? 0)]);
    if (req.vector === 6) {
      // handle_ud → kvm_emulate_instruction(EMULTYPE_TRAP_UD): only VMCALL/VMMCALL are EmulateOnUD.
      const op = cpu.fetch(req.rip);
      const m = op.insn.ok ? op.insn.mnemonic : '';
      if ((m === 'vmcall' || m === 'vmmcall') && this.config.fixHypercallQuirk) {
        // emulator_fix_hypercall: write the native bytes over the instruction; RIP unchanged.
        const native = vendor === 'intel' ? [0x0f, 0x01, 0xc1] : [0x0f, 0x01, 0xd9];
        const at = req.rip;
        if (at >= 0 && at + 3 <= this.mem.size) {
          this.mem.bytes.set(native, at);
          cpu.noteWrite(at, 3);
        }
        v.completion = DONE_PATCHED;
        return this.event(v, PHASE.handle, this.fid(`handle:ud:${vendor}`), cost);
      }
      v.completion = { kind: 'inject', vector: 6 };
      return this.event(v, PHASE.handle, this.fid(`handle:ud-reflect:${vendor}`), cost);
    }
    v.completion = { kind: 'inject', vector: req.vector, errorCode: req.errorCode };
    return this.event(v, PHASE.handle, this.fid(`handle:exception:${vendor}`), cost);
  }

  /** KVM_RUN returned: the VMM handles kvm_run.exit_reason and (usually) calls KVM_RUN again. */
  private phaseUserspace(v: VcpuKvm): StepResult {
    const goOn = this.userspace.handleExit(v.id, v.run, this.mem, v.clock);
    const extra = this.userspace.cost?.(v.id, v.run) ?? 0;
    if (!goOn) {
      v.stage = 'stopped';
      v.stopReason = v.run.exit_reason;
    } else {
      v.stage = 'resume';
    }
    const e = this.trace.addEvent(v.clock, v.id, PHASE.userspace, fnId('userspace'), v.exitIndex);
    v.clock += this.config.profile.userspace + extra;
    return { kind: 'event', event: e };
  }

  /** Finish the exit (complete_userspace_io / completion callback), inject events, VM entry. */
  private phaseResume(v: VcpuKvm): StepResult {
    const cpu = this.cpus[v.id];
    const s = cpu.state;
    const c = v.completion;
    let key = 'resume:entry';
    const cameFromUser = v.exitIndex >= 0 && this.trace.exHandled[v.exitIndex] === 1;
    switch (c.kind) {
      case 'hypercall':
        this.completeHypercall(v, s, c.longMode, cameFromUser);
        key = cameFromUser ? 'resume:hypercall-user' : 'resume:hypercall';
        break;
      case 'skip':
        this.skip(v);
        key = 'resume:skip';
        break;
      case 'pio-out':
        this.skip(v);
        key = 'resume:pio-out';
        break;
      case 'pio-in': {
        // complete_fast_pio_in: the low `size` bytes of RAX ← data.
        const x = BigInt(v.run.io.data[0] ?? 0);
        const mask = (1n << BigInt(8 * c.size)) - 1n;
        const rax = getReg64(s, 0);
        setReg64(s, 0, c.size === 4 ? x & mask : (rax & ~mask) | (x & mask));
        this.trace.setWord(v.exitIndex, 3, x & mask);
        this.skip(v);
        key = 'resume:pio-in';
        break;
      }
      case 'string-io':
        this.completeStringIo(v);
        key = 'resume:string-io';
        break;
      case 'mmio-read': {
        const r = emulateOne(cpu, new Map([[c.gpa, v.run.mmio.data]]));
        this.trace.setWord(v.exitIndex, 3, v.run.mmio.data);
        if (r.kind === 'done') this.retired++;
        key = 'resume:mmio';
        break;
      }
      case 'inject':
        // Delivery happens on VM entry; if it fails into a triple fault, the
        // CPU exits again at once (TRIPLE_FAULT / SHUTDOWN intercept).
        if (injectException(cpu, c.vector, c.errorCode) !== 'event' && cpu.exit)
          v.pendingExit = cpu.exit;
        key = 'resume:inject';
        break;
      case 'patched':
        key = 'resume:entry';
        break;
      default:
        if (cameFromUser) key = 'resume:userspace';
        if (v.exitIndex < 0) key = 'resume:first';
    }
    this.enterGuest(v, s);
    const r = this.event(
      v,
      PHASE.resume,
      key === 'resume:hypercall' ? this.keys.resumeHypercall : this.fid(key),
      this.config.profile.resume,
    );
    v.exitIndex = -1;
    return r;
  }

  /**
   * complete_hypercall_exit: RAX ← run->hypercall.ret (its low 32 bits
   * when not a 64-bit hypercall), recorded as the exit's result, then skip
   * the instruction. The VMM may have answered in kvm_run; KVM's own result
   * was staged as halves.
   */
  private completeHypercall(
    v: VcpuKvm,
    s: CpuState,
    longMode: boolean,
    cameFromUser: boolean,
  ): void {
    if (cameFromUser) this.stageHypercallRet(v, v.run.hypercall.ret);
    const hi = longMode ? v.retHi : 0;
    s.rl[0] = v.retLo;
    s.rh[0] = hi;
    // The handler recorded ret already; it changes here when the VMM answered
    // or a 32-bit caller's result loses its high half.
    if (cameFromUser || !longMode) this.trace.setWordHalves(v.exitIndex, 5, v.retLo, hi);
    this.skip(v);
  }

  /**
   * The exit is finished: inject the highest pending interrupt once IF
   * allows it (event injection on VM entry), forget the exit, and let the
   * guest run.
   */
  private enterGuest(v: VcpuKvm, s: CpuState): void {
    v.completion = DONE_NONE;
    if (v.irr.length && s.pendingIrq < 0) {
      v.irr.sort((a, b) => b - a);
      s.pendingIrq = v.irr.shift() as number;
    }
    v.stage = 'guest';
    v.req = null;
    v.hw = null;
    v.hc = null;
  }

  /** kvm_skip_emulated_instruction: RIP += the exit's instruction length (VMCS field / next_rip). */
  private skip(v: VcpuKvm): void {
    const s = this.cpus[v.id].state;
    const hw = v.hw;
    if (!hw) return;
    s.rip = this.config.vendor === 'amd' && hw.nextRip ? hw.nextRip : hw.rip + hw.length;
    s.interruptShadow = false;
    this.retired++;
    s.icount++;
  }

  /** The emulator finishes a string I/O chunk: RSI/RDI/RCX advance; RIP moves when RCX reaches 0. */
  private completeStringIo(v: VcpuKvm): void {
    const req = v.req as Extract<ExitRequest, { kind: 'io' }>;
    const s = this.cpus[v.id].state;
    const n = v.run.io.count;
    const step = BigInt((s.flagsOther & FLAG.DF ? -1 : 1) * req.size * n);
    if (req.direction === 'out') setReg64(s, 6, getReg64(s, 6) + step);
    else {
      let at = Number(getReg64(s, 7));
      for (let i = 0; i < n; i++) {
        const x = v.run.io.data[i] ?? 0;
        for (let b = 0; b < req.size; b++) this.mem.bytes[at + b] = (x >> (8 * b)) & 0xff;
        this.cpus[v.id].noteWrite(at, req.size);
        at += s.flagsOther & FLAG.DF ? -req.size : req.size;
      }
      setReg64(s, 7, getReg64(s, 7) + step);
    }
    if (req.rep) {
      const rcx = getReg64(s, 1) - BigInt(n);
      setReg64(s, 1, rcx);
      if (rcx !== 0n) return; // the instruction runs again for the next chunk
    }
    this.skip(v);
  }

  // ── services for hypercalls and devices (HypercallVm) ─────────────────

  /** kvm_vcpu_has_events: something that ends HLT. */
  private hasEvents(v: VcpuKvm): boolean {
    const s = this.cpus[v.id].state;
    return (
      v.pvUnhalted || ((s.flagsOther & FLAG.IF) !== 0 && (v.irr.length > 0 || s.pendingIrq >= 0))
    );
  }

  pvFeature(bit: number): boolean {
    if (!this.config.enforcePvFeatureCpuid) return true;
    const e = lookupCpuid(this.cpuid[this.current], 0x40000001, 0);
    return ((e.eax >>> bit) & 1) === 1;
  }

  vcpuByApicId(apicId: number): number {
    return Number.isInteger(apicId) && apicId >= 0 && apicId < this.vcpus.length ? apicId : -1;
  }

  kick(target: number): void {
    const t = this.vcpus[target];
    t.pvUnhalted = true;
    this.wake(target);
  }

  /**
   * Set `vector` pending in the target's local APIC at simulated time `now`
   * (default: the current vCPU's clock): wake it if it sleeps in HLT with
   * IF = 1, make it leave guest mode if it is running there.
   */
  deliverInterrupt(target: number, vector: number, now?: number): void {
    const t = this.vcpus[target];
    t.irr.push(vector);
    if (t.stage === 'blocked') {
      if ((this.cpus[target].state.flagsOther & FLAG.IF) !== 0) {
        this.wakeAt(target, now ?? this.vcpus[this.current]?.clock ?? t.clock);
      }
    } else if (t.stage === 'guest') {
      t.kicked = true;
    }
  }

  /** Wake a halted vCPU at the waker's time (kvm_vcpu_kick → kvm_vcpu_wake_up). */
  wake(target: number): void {
    this.wakeAt(target, this.vcpus[this.current]?.clock ?? this.vcpus[target].clock);
  }

  /** Wake a halted vCPU at simulated time `now`. */
  private wakeAt(target: number, now: number): void {
    const t = this.vcpus[target];
    if (t.stage !== 'blocked') return;
    t.clock = Math.max(t.clock, now);
    t.halted = false;
    t.pvUnhalted = false;
    t.stage = 'resume';
    t.completion = DONE_NONE;
    this.trace.addEvent(t.clock, t.id, PHASE.wake, fnId('wake'), -1);
  }

  yieldTo(target: number): void {
    // Directed yield: the caller gives up the rest of its quantum
    // (kvm_sched_yield ignores a request to yield to itself).
    if (target === this.current) return;
    const me = this.vcpus[this.current];
    const t = this.vcpus[target];
    if (me && t && this.runnable(t)) me.clock = Math.max(me.clock, t.clock + 1);
  }

  writeGuest(gpa: bigint, bytes: Uint8Array): boolean {
    if (gpa < 0n || gpa + BigInt(bytes.length) > BigInt(this.mem.size)) return false;
    const at = Number(gpa);
    this.mem.bytes.set(bytes, at);
    this.cpus[this.current].noteWrite(at, bytes.length);
    return true;
  }

  clock(): { sec: bigint; nsec: bigint; tsc: bigint } {
    // Host time model: 3 GHz, starting at an arbitrary fixed epoch.
    const cycles = this.vcpus[this.current]?.clock ?? 0;
    const ns = BigInt(Math.floor(cycles / 3));
    const epoch = 1_767_225_600n; // 2026-01-01T00:00:00Z
    const s: CpuState = this.cpus[this.current].state;
    return {
      sec: epoch + ns / 1_000_000_000n,
      nsec: ns % 1_000_000_000n,
      tsc: BigInt(s.icount + s.tscOffset),
    };
  }

  exitToUserspace(nr: number): boolean {
    return (this.config.exitHypercallMask & (1 << nr)) !== 0 && nr === KVM_HC.MAP_GPA_RANGE;
  }

  /** The VMCS (Intel) or VMCB (AMD) fields of vCPU `id`'s last exit, or [] before any. */
  controlFields(id: number): ControlField[] {
    const v = this.vcpus[id];
    if (!v?.lastHw) return [];
    return this.config.vendor === 'intel'
      ? vmcsFields(v.lastHw, v.guest)
      : vmcbFields(v.lastHw, v.guest);
  }

  /** RFLAGS of a vCPU (for kvm_run.if_flag and the UI). */
  rflags(id: number): number {
    return getRflags(this.cpus[id].state);
  }
}
