/**
 * The Trace Event Format rules an export must keep for chrome://tracing and
 * Perfetto to show it as intended (the "Trace Event Format" document, JSON
 * object form). Returns the broken rules as messages; [] means valid.
 *
 * Times are compared in whole nanoseconds (ts × 1000, rounded): the export
 * writes cycle counts / 1000, so rounding recovers them exactly.
 */
import type { ChromeTrace, ChromeTraceEvent } from '../../src/core/trace/chromeTrace';

const ns = (us: number): number => Math.round(us * 1000);

interface Span {
  start: number;
  end: number;
  name: string;
}

/** Rule violations of one exported trace. */
export function traceEventRuleViolations(trace: ChromeTrace): string[] {
  const errors: string[] = [];
  const fail = (e: ChromeTraceEvent, why: string): void => {
    if (errors.length < 20) errors.push(`${why}: ${JSON.stringify(e)}`);
  };
  if (!Array.isArray(trace.traceEvents)) return ['traceEvents is not an array'];
  if (trace.displayTimeUnit !== 'ns' && trace.displayTimeUnit !== 'ms')
    errors.push(`displayTimeUnit ${String(trace.displayTimeUnit)} is neither ms nor ns`);

  const named = new Set<string>();
  const namedPids = new Set<number>();
  const used = new Set<string>();
  const slices = new Map<string, Span[]>();
  const flows = new Map<number, ChromeTraceEvent[]>();
  for (const e of trace.traceEvents) {
    if (typeof e.name !== 'string' || !e.name) fail(e, 'no name');
    if (!['X', 'i', 's', 'f', 'M'].includes(e.ph)) fail(e, 'unexpected ph');
    if (!Number.isFinite(e.ts) || e.ts < 0) fail(e, 'ts is not a time ≥ 0');
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) fail(e, 'pid/tid not integers');
    const thread = `${e.pid}/${e.tid}`;
    if (e.ph === 'M') {
      if (e.name === 'thread_name') named.add(thread);
      if (e.name === 'process_name') namedPids.add(e.pid);
      if (!e.args) fail(e, 'metadata without args');
      continue;
    }
    used.add(thread);
    if (e.ph === 'X') {
      if (!Number.isFinite(e.dur) || (e.dur ?? -1) < 0) fail(e, 'X without a duration ≥ 0');
      if (!e.args || !e.cat) fail(e, 'X without cat/args');
      const list = slices.get(thread) ?? [];
      list.push({ start: ns(e.ts), end: ns(e.ts + (e.dur ?? 0)), name: e.name });
      slices.set(thread, list);
    } else if (e.ph === 'i') {
      if (e.s !== 't') fail(e, 'instant not thread-scoped');
    } else {
      if (!Number.isInteger(e.id) || !e.cat) fail(e, 'flow without id/cat');
      if (e.ph === 'f' && e.bp !== 'e') fail(e, "flow end without bp 'e'");
      const list = flows.get(e.id ?? -1) ?? [];
      list.push(e);
      flows.set(e.id ?? -1, list);
    }
  }
  for (const thread of used) {
    if (!named.has(thread)) errors.push(`thread ${thread} has no thread_name`);
    if (!namedPids.has(Number(thread.split('/')[0]))) errors.push(`pid of ${thread} unnamed`);
  }
  for (const [thread, list] of slices) errors.push(...nestingErrors(thread, list));
  const inSlice = (e: ChromeTraceEvent): boolean =>
    (slices.get(`${e.pid}/${e.tid}`) ?? []).some((s) => s.start <= ns(e.ts) && ns(e.ts) <= s.end);
  for (const [id, list] of flows) {
    const s = list.filter((e) => e.ph === 's');
    const f = list.filter((e) => e.ph === 'f');
    if (s.length !== 1 || f.length !== 1) {
      errors.push(`flow ${id}: ${s.length} starts and ${f.length} ends`);
      continue;
    }
    if (s[0].cat !== f[0].cat || s[0].name !== f[0].name)
      errors.push(`flow ${id}: cat/name differ`);
    if (ns(f[0].ts) < ns(s[0].ts)) errors.push(`flow ${id} ends before it starts`);
    for (const e of list) if (!inSlice(e)) fail(e, `flow ${id} point outside every slice`);
  }
  return errors;
}

/** Partial overlaps among the X slices of one thread (each pair nested or disjoint). */
function nestingErrors(thread: string, list: Span[]): string[] {
  const sorted = [...list].sort((a, b) => a.start - b.start || b.end - a.end);
  const stack: Span[] = [];
  const errors: string[] = [];
  for (const s of sorted) {
    // Pop the slices that end before s (disjoint); a zero-length s at a slice's end stays inside it.
    while (
      stack.length &&
      stack[stack.length - 1].end <= s.start &&
      stack[stack.length - 1].end < s.end
    )
      stack.pop();
    const top = stack[stack.length - 1];
    if (top && s.end > top.end)
      errors.push(
        `${thread}: ${s.name} [${s.start}, ${s.end}] overlaps ${top.name} [${top.start}, ${top.end}]`,
      );
    stack.push(s);
  }
  return errors;
}
