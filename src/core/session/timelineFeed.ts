/**
 * Feeds the page's timeline incrementally: each `update` returns the exits
 * recorded since the last call and the exits whose end moved (an exit is
 * in flight until its vCPU re-enters the guest; a HLT can stay in flight
 * while other vCPUs make thousands of exits).
 *
 * Every event is scanned once, so feeding a run of a million exits is
 * linear. Time travel: after the trace is truncated (a seek back) the feed
 * rescans from there; the run is deterministic, so the exits it meets again
 * are the ones the page already has, and only real changes are reported.
 * The page keeps exits past the current position (the known future).
 */
import { PHASE, VMM_LANE, type Trace } from '../trace/trace';
import type { TimelineData } from './viewTypes';

export interface TimelineUpdate {
  /** Index of the first exit in `data`. */
  from: number;
  data: TimelineData;
  /** Earlier exits whose end (and so possibly where they were handled) changed. */
  changed: { index: number[]; end: number[]; handled: number[] };
}

/** Timeline columns with room for `capacity` exits and none recorded yet (count 0). */
export function allocTimeline(capacity: number, vcpus: number): TimelineData {
  return {
    count: 0,
    time: new Float64Array(capacity),
    end: new Float64Array(capacity),
    vcpu: new Uint8Array(capacity),
    reason: new Uint16Array(capacity),
    handled: new Uint8Array(capacity),
    reasons: [],
    vcpus,
  };
}

export class TimelineFeed {
  /** Exits the page has. */
  private sent = 0;
  /** Events scanned for ends. */
  private cursor = 0;
  private ends = new Float64Array(1024);
  private readonly reasons: string[] = [];
  private readonly reasonIds = new Map<string, number>();

  /**
   * @param resumeCost cycles of a resume phase (the cost model's): an exit
   *   ends when its resume phase does.
   * @param vcpus lanes to draw.
   */
  constructor(
    private readonly resumeCost: number,
    private readonly vcpus: number,
  ) {}

  /** What the page must learn since the last call, or null if nothing. */
  update(t: Trace): TimelineUpdate | null {
    if (this.cursor > t.length) this.cursor = t.length;
    if (this.ends.length < t.exitCount) {
      const grown = new Float64Array(Math.max(t.exitCount, this.ends.length * 2));
      grown.set(this.ends);
      this.ends = grown;
    }
    const changed = new Set<number>();
    for (let e = this.cursor; e < t.length; e++) {
      const x = t.exit[e];
      if (x < 0 || t.vcpu[e] === VMM_LANE) continue;
      const finish = t.phase[e] === PHASE.resume ? t.time[e] + this.resumeCost : t.time[e];
      if (finish > this.ends[x]) {
        this.ends[x] = finish;
        if (x < this.sent) changed.add(x);
      }
    }
    this.cursor = t.length;
    const from = this.sent;
    const n = Math.max(0, t.exitCount - from);
    if (n === 0 && changed.size === 0) return null;
    const data = allocTimeline(n, this.vcpus);
    data.count = n;
    // Exits of one shape share their reason: look its id up once per run of them.
    let shape = -1;
    let reason = 0;
    for (let i = 0; i < n; i++) {
      const x = from + i;
      data.time[i] = t.exTime[x];
      data.end[i] = Math.max(this.ends[x], t.exTime[x]);
      data.vcpu[i] = t.exVcpu[x];
      if (t.exShape[x] !== shape) {
        shape = t.exShape[x];
        reason = this.reasonId(t.exitName(x));
      }
      data.reason[i] = reason;
      data.handled[i] = t.exHandled[x];
    }
    data.reasons = this.reasons.slice();
    this.sent = Math.max(this.sent, t.exitCount);
    const index = [...changed].sort((a, b) => a - b);
    return {
      from,
      data,
      changed: {
        index,
        end: index.map((x) => this.ends[x]),
        handled: index.map((x) => t.exHandled[x]),
      },
    };
  }

  private reasonId(name: string): number {
    let id = this.reasonIds.get(name);
    if (id === undefined) {
      id = this.reasons.length;
      this.reasons.push(name);
      this.reasonIds.set(name, id);
    }
    return id;
  }
}
