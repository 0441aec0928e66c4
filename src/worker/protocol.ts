/**
 * The messages between the page (src/app's store) and the session Worker.
 * Everything is structured-cloneable plain data; timeline arrays are
 * transferred, not copied.
 *
 * Flow: the page sends `load`; the worker answers `assembled` (errors with
 * line and column, or the source map), then `state` and `timeline`. Each
 * `command` ends with one `state` (with `stop`); `run` posts `state` about
 * five times a second while it runs (light views: no memory, stack or
 * disassembly) and answers `pause` within one slice
 * (≤ 20 ms of work). New exits arrive as `timeline` appends; the page
 * computes a brushed range's statistics itself (core timelineStats).
 */
import type { MachineView, PolicyRule, TimelineData } from '../core/index';
import type { VariantResult } from '../lessons/check';

export type { MachineView, TimelineData };

export interface RunSettings {
  vendor: 'intel' | 'amd';
  /** 1–4 vCPUs (every vCPU starts at the entry with RDI = its index). */
  vcpus: number;
  /** Further VM options (a lesson sets them; the defaults are the VMM's). */
  vm?: VmSettings;
}

/** The VMM options of core's VmOptions a page may set, as plain data. */
export interface VmSettings {
  /** KVM_CREATE_IRQCHIP (default: only with more than one vCPU). */
  irqchip?: boolean;
  /** KVM_CAP_EXIT_HYPERCALL mask (bit 12: KVM_HC_MAP_GPA_RANGE to userspace). */
  exitHypercallMask?: number;
  /** false: KVM_X86_QUIRK_FIX_HYPERCALL_INSN disabled (the wrong vendor's instruction gets #UD). */
  fixHypercallQuirk?: boolean;
  /** Interception rules (a kVMI-style model, not upstream KVM). */
  policy?: PolicyRule[];
}

/**
 * - step: one guest instruction (F10; a host phase if the vCPU is in the kernel)
 * - stepPhase: one phase of the exit chain (F11, step into the host)
 * - stepOut: back out to the guest: run until the vCPU re-enters guest mode (Shift+F11)
 * - nextExit: run until the next VM exit begins
 * - run: continue until a breakpoint or the end (F5)
 * - stepBack: undo the last command (exact state)
 */
export type Command = 'step' | 'stepPhase' | 'stepOut' | 'nextExit' | 'run' | 'stepBack';

export interface BreakpointSet {
  /** Source lines (1-based) from the editor gutter. */
  lines: number[];
  exitReasons: string[];
  hypercalls: number[];
  ports: number[];
}

export type ToWorker =
  | { type: 'load'; source: string; settings: RunSettings }
  | {
      type: 'command';
      command: Command;
      /** For `run`: milliseconds per phase when animating, 0 = full speed. */
      phaseDelayMs?: number;
    }
  | { type: 'pause' }
  /** Time travel: put the machine just after exit `exit` began (its VM exit event). */
  | { type: 'seekExit'; exit: number }
  | { type: 'breakpoints'; breakpoints: BreakpointSet }
  /** Which vCPU the debugger shows and where the memory view looks. */
  | { type: 'inspect'; vcpu: number; memory: number | 'rip' | 'rsp' }
  /** Check a lesson question's answer against a headless run of the lesson (src/lessons/check.ts). */
  | { type: 'lessonCheck'; requestId: number; lesson: number; question: number; choice: string }
  /** The run so far as Chrome Trace Event JSON (for Perfetto / chrome://tracing). */
  | { type: 'exportTrace'; requestId: number }
  /** Run every variant of a lesson (lesson 9's comparisons). */
  | { type: 'lessonVariants'; requestId: number; lesson: number };

export interface AssemblyError {
  line: number;
  column: number;
  message: string;
}

export interface StopReport {
  /** session StopKind: 'step', 'exit', 'userspace', 'breakpoint', 'all-halted', 'all-stopped', 'budget', 'paused'. */
  kind: string;
  detail?: string;
}

export type FromWorker =
  | {
      type: 'assembled';
      ok: boolean;
      errors: AssemblyError[];
      /** Instruction addresses and their source lines. */
      sourceMap: { address: number; line: number }[];
    }
  | {
      type: 'state';
      view: MachineView;
      running: boolean;
      stop: StopReport | null;
      /** A progress view during a run: its memory, stack and disasm are empty; keep the last ones. */
      partial: boolean;
    }
  /**
   * Exits [from, from + data.count) of the run, and earlier exits whose end
   * (or handled-in) changed; `reset` clears what the page had (a new load).
   * The page keeps exits past the current position after a step back: the
   * run is deterministic, so they are its known future.
   */
  | {
      type: 'timeline';
      reset: boolean;
      from: number;
      data: TimelineData;
      changed: { index: number[]; end: number[]; handled: number[] };
    }
  | { type: 'lessonCheck'; requestId: number; correct: boolean; actual: string }
  | { type: 'lessonVariants'; requestId: number; results: VariantResult[] | null; error?: string }
  | { type: 'exportTrace'; requestId: number; json: string }
  | { type: 'error'; message: string };
