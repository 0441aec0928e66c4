/**
 * Imported exits as timeline columns (types.ts ImportedTimeline, the shape
 * of the page's TimelineData), in the order given. Times are ns from `base`;
 * an exit with no known vCPU is drawn on lane 0.
 */
import type { ImportedTimeline } from './types';

/** One exit for the timeline: start and end (ns, absolute), vCPU if known, reason, reached userspace. */
export interface TimelineRow {
  time: number;
  end: number;
  vcpu?: number;
  reason: string;
  userspace: boolean;
}

export function buildTimeline(rows: readonly TimelineRow[], base: number): ImportedTimeline {
  const n = rows.length;
  const reasons: string[] = [];
  const index = new Map<string, number>();
  const t: ImportedTimeline = {
    count: n,
    time: new Float64Array(n),
    end: new Float64Array(n),
    vcpu: new Uint8Array(n),
    reason: new Uint16Array(n),
    handled: new Uint8Array(n),
    reasons,
    vcpus: 1,
  };
  rows.forEach((x, i) => {
    let r = index.get(x.reason);
    if (r === undefined) {
      r = reasons.length;
      reasons.push(x.reason);
      index.set(x.reason, r);
    }
    t.time[i] = x.time - base;
    t.end[i] = Math.max(x.time, x.end) - base;
    t.vcpu[i] = Math.min(255, x.vcpu ?? 0);
    t.reason[i] = r;
    t.handled[i] = x.userspace ? 1 : 0;
    t.vcpus = Math.max(t.vcpus, t.vcpu[i] + 1);
  });
  return t;
}
