/**
 * A Chrome Trace Event JSON file written by this lab's export
 * (../chromeTrace.ts) → exit statistics, so export → import round-trips.
 *
 * An exit is a complete event (`ph: 'X'`) with `cat: 'exit'`; its reason is
 * `args.reason` (else the event name), its vCPU `args.vcpu` (else the vCPU
 * a `thread_name` metadata event "vCPU n" gives its thread), its time
 * `dur` (µs). Hypercalls are the `cat: 'hypercall'` instants (`args.nr`).
 * Exits reaching userspace: `args.kvmExit`. The vendor is
 * `otherData.vendor`. Both the object form `{traceEvents: [...]}` and the
 * bare array form are read. An array element that is not an event object
 * counts as unparsed; other well-formed events are ignored.
 */
import type { Vendor } from './exitNames';
import { ExitTally } from './tally';
import { buildTimeline } from './timeline';
import { emptyImport, UNPARSED_KEPT, type HostTraceImport, type ImportOptions } from './types';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Import a parsed Chrome Trace Event JSON value. Never throws. */
export function importChromeTrace(json: unknown, options: ImportOptions = {}): HostTraceImport {
  const result: HostTraceImport = emptyImport('chrome-trace');
  const events: unknown[] = Array.isArray(json)
    ? json
    : isObject(json) && Array.isArray(json.traceEvents)
      ? json.traceEvents
      : [];
  if (!Array.isArray(json) && !(isObject(json) && Array.isArray(json.traceEvents))) {
    result.unparsed = 1;
    result.unparsedLines.push({ line: 0, text: 'no traceEvents array' });
  }
  const other = isObject(json) && isObject(json.otherData) ? json.otherData : {};
  const vendor =
    other.vendor === 'intel' || other.vendor === 'amd' ? (other.vendor as Vendor) : null;
  result.vendor = vendor ?? options.isa ?? null;

  // Thread names first: a vCPU's thread may be named after its events.
  const threadVcpu = new Map<string, number>();
  for (const e of events) {
    if (!isObject(e) || e.ph !== 'M' || e.name !== 'thread_name' || !isObject(e.args)) continue;
    const m = typeof e.args.name === 'string' ? /^vCPU (\d+)$/.exec(e.args.name) : null;
    if (m) threadVcpu.set(`${String(e.pid)}/${String(e.tid)}`, Number(m[1]));
  }
  const exits: { ts: number; dur: number; vcpu?: number; reason: string; user: boolean }[] = [];
  for (const e of events) {
    if (!isObject(e) || typeof e.ph !== 'string') {
      result.unparsed++;
      if (result.unparsedLines.length < UNPARSED_KEPT)
        result.unparsedLines.push({ line: 0, text: JSON.stringify(e) ?? String(e) });
      continue;
    }
    const args = isObject(e.args) ? e.args : {};
    if (e.ph === 'X' && e.cat === 'exit') {
      const reason = typeof args.reason === 'string' ? args.reason : String(e.name);
      const vcpu =
        typeof args.vcpu === 'number'
          ? args.vcpu
          : threadVcpu.get(`${String(e.pid)}/${String(e.tid)}`);
      const dur = typeof e.dur === 'number' ? e.dur : 0;
      const ts = typeof e.ts === 'number' ? e.ts : 0;
      const user = typeof args.kvmExit === 'string';
      exits.push({ ts, dur, vcpu, reason, user });
      if (typeof args.kvmExit === 'string')
        result.userspaceExits[args.kvmExit] = (result.userspaceExits[args.kvmExit] ?? 0) + 1;
    } else if (e.ph === 'i' && e.cat === 'hypercall' && typeof args.nr === 'number') {
      const nr = `0x${args.nr.toString(16)}`;
      result.hypercalls[nr] = (result.hypercalls[nr] ?? 0) + 1;
    }
  }
  exits.sort((a, b) => a.ts - b.ts);
  const tally = new ExitTally();
  for (const x of exits) tally.add(x.reason, x.vcpu, x.dur);
  result.exits = tally.exits;
  result.byReason = tally.byReason();
  result.byVcpu = tally.byVcpu();
  const ns = (us: number): number => Math.round(us * 1000);
  result.timeline = buildTimeline(
    exits.map((x) => ({
      time: ns(x.ts),
      end: ns(x.ts + x.dur),
      vcpu: x.vcpu,
      reason: x.reason,
      userspace: x.user,
    })),
    exits.length ? ns(exits[0].ts) : 0,
  );
  return result;
}
