/**
 * What the page sees of a running machine: plain, structured-cloneable data
 * (no class instances, no bigint), built by view.ts in the Worker and posted
 * to the page. Every number the debugger shows is here already formatted the
 * way the manuals print it (0x-prefixed lowercase hex), so the UI never does
 * 64-bit arithmetic.
 *
 * Contract: a MachineView describes one instant (`ticks`); the UI derives
 * "changed" highlights by comparing two views, so field order and names are
 * stable between views.
 */
import type { ReasonStats } from '../trace/stats';

/** One named value ("rax" → "0x0000000000000005"). */
export interface NamedValue {
  name: string;
  /** 0x-prefixed lowercase hex (64-bit registers: 16 digits). */
  value: string;
  /** What the field means, for a tooltip; optional. */
  note?: string;
}

/** One RFLAGS bit the debugger shows (CF, PF, AF, ZF, SF, TF, IF, DF, OF). */
export interface FlagBit {
  name: string;
  bit: number;
  set: boolean;
}

export interface VcpuView {
  index: number;
  /** KVM's stage for this vCPU: 'guest', 'vm-exit', 'dispatch', 'handle', 'userspace', 'resume', 'blocked', 'stopped', 'created', 'intercept'. */
  stage: string;
  /** rax … r15, rip, rflags in that order (18 entries). */
  regs: NamedValue[];
  flags: FlagBit[];
  cpl: number;
  /** 'long (64-bit)' etc. */
  mode: string;
  /** Halted in the guest (HLT) and waiting for an event. */
  halted: boolean;
  /** Retired guest instructions. */
  instructions: number;
  /** Source line (1-based) of the instruction at RIP, or null. */
  line: number | null;
}

/** One recorded phase, in words (describe.ts EventView, flattened for the page). */
export interface PhaseView {
  /** Event index in the trace. */
  index: number;
  /** Simulated time (cycles). */
  time: number;
  /** vCPU index, or -1 for the VMM process lane. */
  vcpu: number;
  /** A trace PHASES name: 'guest', 'vm-exit', 'dispatch', 'intercept', 'handle', 'userspace', 'resume', 'ioctl', 'block', 'wake', 'irq'. */
  phase: string;
  /** Host call chain, outermost first ("KVM_RUN" … "kvm_emulate_hypercall"). */
  chain: string[];
  /** Linux source path of the innermost function ("arch/x86/kvm/x86.c"). */
  source: string;
  /** One sentence with the values ("nr = RAX = 0x5 → KVM_HC_KICK_CPU"). */
  text: string;
  reads: string[];
  writes: string[];
  /** The exit this event belongs to, or -1. */
  exit: number;
}

/** The last VM exit of a vCPU. */
export interface ExitView {
  /** Exit index (0-based, all vCPUs). */
  index: number;
  vcpu: number;
  /** Vendor reason name ('VMCALL', 'IO_INSTRUCTION', 'VMMCALL', 'IOIO' …). */
  reason: string;
  /** Vendor exit code. */
  code: number;
  rip: string;
  /** VM-exit instruction length (Intel) / next_rip - rip (AMD). */
  length: number;
  handledIn: 'kernel' | 'userspace';
  /** KVM_EXIT_* name when it reached userspace, else null. */
  kvmExit: string | null;
  hypercall: { nr: string; name: string; args: string[]; ret: string } | null;
  /** 'VMCS' (Intel) or 'VMCB' (AMD). */
  structure: 'VMCS' | 'VMCB';
  /** The VMCS/VMCB fields of this exit, as vmcs.ts names them. */
  fields: NamedValue[];
}

/** A window of guest memory. */
export interface MemoryView {
  address: number;
  /** The bytes (length ≤ 256); an address outside RAM gives an empty array and `error`. */
  bytes: number[];
  error?: string;
}

export interface StackEntry {
  /** Guest address of the slot. */
  address: number;
  value: string;
  /** Is this slot at RSP? */
  top: boolean;
}

export interface DisasmLine {
  address: number;
  /** Upper-case hex bytes separated by spaces ("0F 01 C1"). */
  bytes: string;
  /** GNU-style text ("vmcall"), or "(bad)" for undecodable bytes. */
  text: string;
  /** Source line (1-based) or null. */
  line: number | null;
  /** Is this the instruction at RIP? */
  current: boolean;
}

export interface MachineView {
  /** Position (checkpoint ticks): identifies this instant for time travel. */
  ticks: number;
  /** Simulated time now (cycles, the furthest vCPU clock). */
  time: number;
  /** Recorded events so far. */
  events: number;
  /** VM exits so far. */
  exits: number;
  vendor: 'intel' | 'amd';
  /** The vCPU the debugger shows. */
  selected: number;
  vcpus: VcpuView[];
  /** The latest phase event (any lane), or null before the first. */
  phase: PhaseView | null;
  /** The last exit of the selected vCPU, or null. */
  exit: ExitView | null;
  /** struct kvm_run of the selected vCPU (exit_reason and the union member in use). */
  kvmRun: NamedValue[];
  memory: MemoryView;
  /** Eight 8-byte slots from RSP of the selected vCPU. */
  stack: StackEntry[];
  /** About a dozen instructions around RIP of the selected vCPU. */
  disasm: DisasmLine[];
  /** Serial/debug-port output so far. */
  console: string;
  /**
   * How the vCPUs execute guest code: 'jit' (hot blocks compiled to JS) or
   * 'interpreter' (the JIT is off, or `new Function` was refused by a CSP).
   */
  engine?: 'jit' | 'interpreter';
  /** The machine can run no further (every vCPU stopped or all halted with nothing pending). */
  finished: boolean;
  /** Why, when finished: a KVM_EXIT_* name, 'all-halted' or 'all-stopped'. */
  finishedWhy: string | null;
}

/**
 * Exits for the timeline, columnar (transferable typed arrays). Index i is
 * exit i of the run. `end` is when the vCPU re-entered the guest (the end of
 * the resume phase), or the exit time while it is still being handled.
 */
export interface TimelineData {
  count: number;
  time: Float64Array;
  end: Float64Array;
  vcpu: Uint8Array;
  /** Index into `reasons`. */
  reason: Uint16Array;
  /** 0 = handled in the kernel, 1 = reached userspace. */
  handled: Uint8Array;
  /** Reason names, indexed by `reason`. */
  reasons: string[];
  /** Number of vCPUs (lanes; the VMM lane is extra). */
  vcpus: number;
}

/** One row of a `perf kvm stat`-style table (trace/stats.ts ReasonStats). */
export type StatsRow = ReasonStats;
