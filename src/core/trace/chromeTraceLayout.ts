/**
 * Where each recorded phase sits on its thread's timeline, for the Chrome
 * Trace Event export (chromeTrace.ts): the trace stores only the time each
 * phase *starts*, so this derives each phase's end and groups the phases of
 * one VM exit under one outer span.
 *
 * Contract (what the export and its format test rely on):
 *  - slices of one lane never partially overlap: a phase ends at or before
 *    the next phase on its lane starts, and every phase of an exit lies in
 *    that exit's span [its `guest` event, the end of its last phase];
 *  - `resume` lasts the cost profile's `resume` cycles (the guest runs
 *    after it until the next `guest` event), `guest` lasts 0 (the exiting
 *    instruction does not retire; DESIGN.md §2), `block` lasts until the next
 *    event on the lane (or the end of the trace); any other phase lasts until
 *    the next event on its lane, or its nominal cost when it is the last;
 *  - an event without an exit (`wake`, `resume:first`) between two events of
 *    the same exit is nested in that exit; otherwise it is a top-level slice;
 *  - between the end of one top-level slice and the next `guest` event the
 *    vCPU is in guest mode: a `guest-mode` slice.
 * Times are simulated cycles. Pure and deterministic.
 */
import { PHASE, type Trace } from './trace';

/** The cycles a phase lasts when nothing follows it on its lane (a CostProfile subset). */
export interface PhaseCosts {
  vmExit: number;
  dispatch: number;
  intercept: number;
  resume: number;
  userspace: number;
  ioctl: number;
}

/** One slice of a lane, in cycles. */
export interface LaneSlice {
  /** `exit`: the outer span of one exit; `phase`: one event; `guest-mode`: the guest running. */
  kind: 'exit' | 'phase' | 'guest-mode';
  start: number;
  end: number;
  /** The event index (`phase`), else -1. */
  event: number;
  /** The exit index (`exit`, and `phase` of an exit), else -1. */
  exit: number;
  /** 0 for top-level slices, 1 for the phases inside an exit span. */
  depth: 0 | 1;
}

/** The cycles phase event `e` lasts when nothing follows it on its lane. */
function nominal(t: Trace, e: number, c: PhaseCosts): number {
  switch (t.phase[e]) {
    case PHASE['vm-exit']:
      return c.vmExit;
    case PHASE.dispatch:
      return c.dispatch;
    case PHASE.intercept:
      return c.intercept;
    case PHASE.resume:
      return c.resume;
    case PHASE.userspace:
      return c.userspace;
    case PHASE.ioctl:
      return c.ioctl;
    default:
      return 0;
  }
}

/** The end of the trace: the latest event end over all lanes (cycles). */
export function traceEnd(t: Trace, c: PhaseCosts): number {
  let end = 0;
  for (let e = 0; e < t.length; e++) end = Math.max(end, t.time[e] + nominal(t, e, c));
  return end;
}

/** The event indices of each lane (vCPU id or VMM_LANE), each sorted by (time, index). */
export function eventsByLane(t: Trace): Map<number, number[]> {
  const lanes = new Map<number, number[]>();
  for (let e = 0; e < t.length; e++) {
    const lane = lanes.get(t.vcpu[e]);
    if (lane) lane.push(e);
    else lanes.set(t.vcpu[e], [e]);
  }
  for (const list of lanes.values()) list.sort((a, b) => t.time[a] - t.time[b] || a - b);
  return lanes;
}

/** The end (cycles) of event `e` whose successor on its lane starts at `next`. */
function phaseEnd(
  t: Trace,
  e: number,
  next: number | undefined,
  c: PhaseCosts,
  end: number,
): number {
  const t0 = t.time[e];
  const p = t.phase[e];
  if (p === PHASE.guest) return t0;
  if (next === undefined) return p === PHASE.block ? Math.max(t0, end) : t0 + nominal(t, e, c);
  if (p === PHASE.resume || p === PHASE.ioctl) return Math.min(t0 + nominal(t, e, c), next);
  return Math.max(t0, next);
}

/**
 * The slices of one lane, top-level slices in time order, each exit span
 * followed by its phases. `events` is the lane's list from eventsByLane;
 * `end` is traceEnd().
 */
export function layoutLane(
  t: Trace,
  events: readonly number[],
  c: PhaseCosts,
  end: number,
): LaneSlice[] {
  const n = events.length;
  // The exit of the next event (at or after i) that has one, for nesting exit-less events.
  const nextExit = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    const x = t.exit[events[i]];
    nextExit[i] = x >= 0 ? x : nextExit[i + 1];
  }
  const out: LaneSlice[] = [];
  let cursor: number | undefined;
  let group: LaneSlice[] = [];
  let groupExit = -1;
  const close = (): void => {
    if (groupExit < 0) return;
    let start = Infinity;
    let stop = -Infinity;
    for (const s of group) {
      start = Math.min(start, s.start);
      stop = Math.max(stop, s.end);
    }
    out.push({ kind: 'exit', start, end: stop, event: -1, exit: groupExit, depth: 0 }, ...group);
    cursor = stop;
    group = [];
    groupExit = -1;
  };
  for (let i = 0; i < n; i++) {
    const e = events[i];
    const next = i + 1 < n ? t.time[events[i + 1]] : undefined;
    const slice: LaneSlice = {
      kind: 'phase',
      start: t.time[e],
      end: phaseEnd(t, e, next, c, end),
      event: e,
      exit: t.exit[e],
      depth: 1,
    };
    const x = t.exit[e];
    if (x >= 0) {
      if (x !== groupExit) {
        close();
        if (t.phase[e] === PHASE.guest && cursor !== undefined && slice.start > cursor)
          out.push({
            kind: 'guest-mode',
            start: cursor,
            end: slice.start,
            event: -1,
            exit: -1,
            depth: 0,
          });
        groupExit = x;
      }
      group.push(slice);
    } else if (groupExit >= 0 && nextExit[i + 1] === groupExit) {
      group.push(slice);
    } else {
      close();
      out.push({ ...slice, depth: 0 });
      cursor = slice.end;
    }
  }
  close();
  return out;
}
