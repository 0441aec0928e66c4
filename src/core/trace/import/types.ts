/**
 * What importing a host trace gives: per-reason exit statistics shaped like
 * the model's own (stats.ts) and the DESIGN.md §5 `cli import --json`
 * contract (`format`, `exits`, `byReason`, `byVcpu`, `unparsed`), plus what
 * else the input told (vendor, other KVM events, a timeline).
 *
 * Contract: importing never throws on bad input; a line (or JSON event) it
 * does not understand is counted in `unparsed` and the first few are kept
 * in `unparsedLines` for messages.
 */
import type { Vendor } from './exitNames';

export type HostTraceFormat = 'trace-cmd' | 'perf-kvm-stat' | 'chrome-trace';

/** One exit reason's numbers. Times are µs (the host tools' unit), present only when the input times exits. */
export interface ReasonSummary {
  count: number;
  /** Share of all exits, 0–100. */
  samplesPct: number;
  /** Share of all timed exit time, 0–100. */
  timePct?: number;
  minUs?: number;
  maxUs?: number;
  avgUs?: number;
  totalUs?: number;
}

/**
 * Exits for a timeline, columnar: the shape of session/viewTypes.ts
 * TimelineData (the trace layer may not import the session layer, so it is
 * restated here). Times are ns from the first event of the input; an exit
 * whose vCPU the input does not say is on lane 0.
 */
export interface ImportedTimeline {
  count: number;
  time: Float64Array;
  end: Float64Array;
  vcpu: Uint8Array;
  reason: Uint16Array;
  /** 0 = handled in the kernel, 1 = reached userspace (kvm_userspace_exit seen). */
  handled: Uint8Array;
  reasons: string[];
  vcpus: number;
}

export interface HostTraceImport {
  format: HostTraceFormat;
  /** The vendor the reasons belong to: from the names or isa fields seen, else the caller's hint, else null. */
  vendor: Vendor | null;
  /** Total VM exits. */
  exits: number;
  /** Per reason (this lab's vendor names), most frequent first. */
  byReason: Record<string, ReasonSummary>;
  /** Exits per vCPU id, where the input says which vCPU exited. */
  byVcpu: Record<string, number>;
  /** Lines (or JSON events) not understood. */
  unparsed: number;
  /** The first few of them, 1-based line numbers (0 for JSON events). */
  unparsedLines: { line: number; text: string }[];
  /** Other KVM tracepoints seen, by event name (kvm_hypercall, kvm_pio, …). */
  kvmEvents: Record<string, number>;
  /** Hypercalls by nr (hex), from kvm_hypercall lines or hypercall instants. */
  hypercalls: Record<string, number>;
  /** Exits that reached userspace, by KVM_EXIT_* name. */
  userspaceExits: Record<string, number>;
  /** Rows of `perf kvm stat --event mmio|ioport` tables (not exits), by key. */
  accesses: Record<string, number>;
  timeline?: ImportedTimeline;
}

export interface ImportOptions {
  /** The host's vendor, for reasons printed as bare numbers when the input names none. */
  isa?: Vendor;
}

/** How many not-understood lines `unparsedLines` keeps. */
export const UNPARSED_KEPT = 10;

/** A result with nothing found yet, for a parser to fill in. */
export function emptyImport(format: HostTraceFormat): HostTraceImport {
  return {
    format,
    vendor: null,
    exits: 0,
    byReason: {},
    byVcpu: {},
    unparsed: 0,
    unparsedLines: [],
    kvmEvents: {},
    hypercalls: {},
    userspaceExits: {},
    accesses: {},
  };
}
