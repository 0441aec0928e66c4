/**
 * The trace as Chrome Trace Event JSON, the format chrome://tracing and the
 * Perfetto UI open ("Trace Event Format", JSON object form:
 * `{traceEvents: [...], displayTimeUnit}`).
 *
 * Layout, one process for the VMM with one thread per vCPU (as kvmtool and
 * QEMU run each vCPU's KVM_RUN loop on its own thread) plus the VMM's main
 * thread for the set-up ioctls and device interrupts:
 *  - metadata (`ph: 'M'`): process_name, process_labels, thread_name,
 *    thread_sort_index;
 *  - complete events (`ph: 'X'`): per exit an outer slice named by the exit
 *    reason (`cat: 'exit'`) spanning VM exit → end of VM entry, with one
 *    nested slice per phase (`cat`: the phase) named `phase: function`; the
 *    guest running between exits (`cat: 'guest-mode'`); ioctls on the main
 *    thread. Args carry the Linux source path and call chain, the exit
 *    reason and code, the kvm_run exit and the hypercall;
 *  - instant events (`ph: 'i'`, `s: 't'`) for hypercalls, inside the handler;
 *  - flow events (`ph: 's'` / `'f'` with `bp: 'e'`): the exiting guest
 *    instruction → its handler, and an irqfd or kick/IPI → the vCPU it woke.
 *    Each flow point lies inside a slice on its thread (see chromeTraceLayout.ts).
 *
 * Time: the model counts cycles; ts/dur are µs. The profiles carry no clock
 * rate, so the export assumes a nominal 1 GHz clock (1 cycle = 1 ns,
 * `cyclesPerMicrosecond` = 1000) unless the caller gives another; with
 * displayTimeUnit 'ns' the viewer's nanoseconds then read as cycles.
 * Interop note: Perfetto's JSON reader (json_trace_tokenizer.cc) looks for
 * the literal `"displayTimeUnit":"ns"` in the raw text and then reads ts as
 * ns, contrary to the format document; chromeTraceJson() writes the key
 * with a space after the colon, which keeps the documented µs meaning in
 * both viewers. Perfetto also truncates ts × 1000 to whole ns, so a slice
 * may show there 1 ns earlier than written.
 *
 * The trace layer imports no other core layer, so the host-function table,
 * names of kvm_run exits and hypercalls come in as arguments (the caller
 * passes kvm/hostFunctions.ts HOST_FUNCTIONS, kvmExitName, hypercallName).
 * Output is a plain object, deterministic for a given trace; serializing
 * it is the caller's (chromeTraceJson() gives the text the CLI writes).
 */
import type { CostProfile } from './costModel';
import { sliceNames } from './chromeTraceArgs';
import { eventsByLane, layoutLane, traceEnd, type LaneSlice } from './chromeTraceLayout';
import { PHASE, PHASES, VMM_LANE, type Trace } from './trace';

/** One Trace Event Format event (the fields this export uses). */
export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'i' | 's' | 'f' | 'M';
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  dur?: number;
  /** Instant scope: 't' = thread. */
  s?: 't';
  /** Flow id, shared by a flow's 's' and 'f'. */
  id?: number;
  /** Flow binding point: 'e' = the enclosing slice. */
  bp?: 'e';
  args?: Record<string, unknown>;
}

/** The JSON object form of the Trace Event Format. */
export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns';
  otherData: Record<string, string | number>;
}

/** What the export needs to know about a host function (kvm/hostFunctions.ts HostFunction). */
export interface HostFunctionInfo {
  key: string;
  chain: readonly string[];
  source: string;
}

export interface ChromeTraceInput {
  trace: Trace;
  vendor: 'intel' | 'amd';
  /** The run's cost profile: phase lengths, and its name for the metadata. */
  profile: CostProfile;
  /** Indexed by the trace's `fn` column. */
  hostFunctions: readonly HostFunctionInfo[];
  /** kvm_run.exit_reason number → `KVM_EXIT_*` name. */
  kvmExitName: (code: number) => string;
  /** Hypercall nr → `KVM_HC_*` name, or undefined. */
  hypercallName: (nr: bigint) => string | undefined;
  /** vCPUs to name even if they recorded nothing; default: the lanes seen. */
  vcpus?: number;
  /** Default 1000 (a nominal 1 GHz clock). */
  cyclesPerMicrosecond?: number;
}

/** The VMM's pid; its main thread has tid = pid, vCPU n has tid pid + 1 + n. */
export const CHROME_PID = 1000;
export const CHROME_MAIN_TID = CHROME_PID;
/** The thread id of vCPU `n`. */
export const chromeVcpuTid = (n: number): number => CHROME_PID + 1 + n;

/** The Chrome Trace Event export of a run. */
export function exportChromeTrace(input: ChromeTraceInput): ChromeTrace {
  const { trace: t, profile } = input;
  const perUs = input.cyclesPerMicrosecond ?? 1000;
  const us = (cycles: number): number => cycles / perUs;
  const lanes = eventsByLane(t);
  const end = traceEnd(t, profile);
  const vcpuLanes = [...lanes.keys()].filter((l) => l !== VMM_LANE).sort((a, b) => a - b);
  const vcpuCount = Math.max(
    input.vcpus ?? 0,
    vcpuLanes.length ? vcpuLanes[vcpuLanes.length - 1] + 1 : 0,
  );
  const names = sliceNames(t, input);

  const out: ChromeTraceEvent[] = metadata(input.vendor, profile.name, vcpuCount);
  let nextFlow = 1;
  const tidOf = (lane: number): number =>
    lane === VMM_LANE ? CHROME_MAIN_TID : chromeVcpuTid(lane);
  const slices = new Map<number, LaneSlice[]>();
  // The VMM's main thread first, then the vCPUs in order.
  const order = (lane: number): number => (lane === VMM_LANE ? -1 : lane);
  for (const [lane, events] of [...lanes].sort((a, b) => order(a[0]) - order(b[0])))
    slices.set(lane, layoutLane(t, events, profile, end));

  for (const [lane, list] of slices) {
    const tid = tidOf(lane);
    // The exit's zero-length `guest` slice (the exiting instruction), for its flow to the handler.
    let guest: LaneSlice | undefined;
    for (const s of list) {
      const ts = us(s.start);
      const dur = us(s.end - s.start);
      if (s.kind === 'exit') {
        const name = t.exitName(s.exit);
        out.push({
          name,
          ph: 'X',
          cat: 'exit',
          ts,
          dur,
          pid: CHROME_PID,
          tid,
          args: names.exit(s.exit),
        });
        continue;
      }
      if (s.kind === 'guest-mode') {
        const args = { vcpu: lane };
        out.push({
          name: 'guest mode',
          ph: 'X',
          cat: 'guest-mode',
          ts,
          dur,
          pid: CHROME_PID,
          tid,
          args,
        });
        continue;
      }
      const e = s.event;
      const cat = PHASES[t.phase[e]];
      out.push({
        name: names.phase(e),
        ph: 'X',
        cat,
        ts,
        dur,
        pid: CHROME_PID,
        tid,
        args: names.phaseArgs(e),
      });
      const x = s.exit;
      if (x < 0) continue;
      if (t.phase[e] === PHASE.guest) guest = s;
      if (t.phase[e] !== PHASE.handle) continue;
      const hc = names.hypercall(x);
      if (hc) {
        const name = `hypercall ${hc.name ?? `nr ${hc.nr}`}`;
        const args = { exit: x, ...hc };
        out.push({ name, ph: 'i', s: 't', cat: 'hypercall', ts, pid: CHROME_PID, tid, args });
      }
      if (guest?.exit === x) {
        const id = nextFlow++;
        const name = `${t.exitName(x)} → handler`;
        const mid = us((s.start + s.end) / 2);
        out.push({
          name,
          ph: 's',
          cat: 'exit-flow',
          id,
          ts: us(guest.start),
          pid: CHROME_PID,
          tid,
        });
        out.push({ name, ph: 'f', bp: 'e', cat: 'exit-flow', id, ts: mid, pid: CHROME_PID, tid });
      }
    }
  }
  for (const f of wakeFlows(t, slices)) {
    const id = nextFlow++;
    const name = f.from === VMM_LANE ? 'irqfd → wake' : 'kick → wake';
    const ts = us(f.time);
    out.push({ name, ph: 's', cat: 'wake-flow', id, ts, pid: CHROME_PID, tid: tidOf(f.from) });
    out.push({
      name,
      ph: 'f',
      bp: 'e',
      cat: 'wake-flow',
      id,
      ts,
      pid: CHROME_PID,
      tid: tidOf(f.to),
    });
  }
  return {
    traceEvents: out,
    displayTimeUnit: 'ns',
    otherData: {
      generator: 'Hypercall Lab',
      vendor: input.vendor,
      profile: profile.name,
      clock: `${perUs} cycles per µs (nominal ${perUs / 1000} GHz; the model counts cycles)`,
      exits: t.exitCount,
    },
  };
}

/**
 * The export as JSON text: one event per line (compact, yet diffable and
 * greppable), and `"displayTimeUnit": "ns"` with a space after the colon so
 * Perfetto keeps reading ts as µs (see the file comment). JSON.parse of the
 * text gives back `trace`.
 */
export function chromeTraceJson(trace: ChromeTrace): string {
  const events = trace.traceEvents.map((e) => JSON.stringify(e)).join(',\n');
  return `{"traceEvents": [\n${events}\n],\n"displayTimeUnit": ${JSON.stringify(trace.displayTimeUnit)},\n"otherData": ${JSON.stringify(trace.otherData)}}\n`;
}

/** Process and thread names and the thread order. */
function metadata(vendor: string, profile: string, vcpus: number): ChromeTraceEvent[] {
  const m = (name: string, tid: number, args: Record<string, unknown>): ChromeTraceEvent => ({
    name,
    ph: 'M',
    ts: 0,
    pid: CHROME_PID,
    tid,
    args,
  });
  const out = [
    m('process_name', CHROME_MAIN_TID, { name: 'VMM (kvmtool-like)' }),
    m('process_labels', CHROME_MAIN_TID, { labels: `KVM model, ${vendor}, ${profile}` }),
    m('thread_name', CHROME_MAIN_TID, { name: 'VMM main (ioctls, devices)' }),
    m('thread_sort_index', CHROME_MAIN_TID, { sort_index: 0 }),
  ];
  for (let n = 0; n < vcpus; n++) {
    out.push(m('thread_name', chromeVcpuTid(n), { name: `vCPU ${n}` }));
    out.push(m('thread_sort_index', chromeVcpuTid(n), { sort_index: n + 1 }));
  }
  return out;
}

/**
 * The cause of each `wake` event: the VMM's irq at the same time (an irqfd
 * write), else the exit another vCPU is handling at that time (its
 * KVM_HC_KICK_CPU or KVM_HC_SEND_IPI). Wakes with no such cause get no flow.
 * The flow starts at the wake time, which lies in the irq slice or in that
 * exit's span.
 */
function wakeFlows(t: Trace, slices: ReadonlyMap<number, readonly LaneSlice[]>) {
  const irqTimes = new Set<number>();
  for (const v of slices.get(VMM_LANE) ?? [])
    if (v.kind === 'phase' && t.phase[v.event] === PHASE.irq) irqTimes.add(v.start);
  // Top-level exit spans per vCPU lane: sorted by start and disjoint (chromeTraceLayout.ts).
  const spans: [number, LaneSlice[]][] = [];
  for (const [lane, list] of slices)
    if (lane !== VMM_LANE) spans.push([lane, list.filter((v) => v.kind === 'exit')]);
  const flows: { from: number; to: number; time: number }[] = [];
  for (const [lane, list] of slices) {
    for (const s of list) {
      if (s.kind !== 'phase' || t.phase[s.event] !== PHASE.wake) continue;
      const time = s.start;
      let from: number | undefined = irqTimes.has(time) ? VMM_LANE : undefined;
      for (const [other, exits] of spans) {
        if (from !== undefined) break;
        if (other !== lane && spanAt(exits, time)) from = other;
      }
      if (from !== undefined) flows.push({ from, to: lane, time });
    }
  }
  return flows;
}

/** The span of a sorted, disjoint list that contains `time` (binary search). */
function spanAt(list: readonly LaneSlice[], time: number): LaneSlice | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end < time) lo = mid + 1;
    else if (list[mid].start > time) hi = mid - 1;
    else return list[mid];
  }
  return undefined;
}
