import type { TimelineData } from '../../core';
import { createLane, refreshDerived, reserveLane, type Lane } from './lane';
import { upperBound } from './search';

/**
 * Per-lane sorted indexes over a growing TimelineData, maintained
 * incrementally: each update costs O(new exits + lanes · log n), not O(n).
 *
 * Why per lane: exits are in time order per vCPU but interleaved across vCPUs
 * by scheduling, and the VMM lane mixes every vCPU's userspace exits, so no
 * global order is assumed. Each lane sorts by (start time, exit index).
 */
export interface TimelineIndex {
  /** Exits [0, indexed) are in the lanes. */
  indexed: number;
  /** One lane per vCPU (at least data.vcpus, more if an exit names a higher vCPU). */
  vcpuLanes: Lane[];
  /** Exits with handled = 1 (reached userspace), from every vCPU. */
  vmmLane: Lane;
  /** Latest exit index of each vCPU (-1 none): the one that may still be in progress. */
  lastOfVcpu: number[];
  /** data.time[0] and data.time[indexed - 1] when last indexed: a change means a new run. */
  firstTime: number;
  lastTime: number;
  /** Largest effective end over all indexed exits (-Infinity when empty). */
  maxEnd: number;
}

/** What {@link updateTimelineIndex} did. */
export type IndexUpdate = 'unchanged' | 'appended' | 'rebuilt';

/** An empty index. */
export function createTimelineIndex(): TimelineIndex {
  return {
    indexed: 0,
    vcpuLanes: [],
    vmmLane: createLane(),
    lastOfVcpu: [],
    firstTime: NaN,
    lastTime: NaN,
    maxEnd: -Infinity,
  };
}

/**
 * Brings `index` up to date with `data`: adds exits [index.indexed, data.count),
 * re-reads the end (and userspace flag) of each vCPU's previous latest exit,
 * since that one may have been in progress. Rebuilds from scratch when `data`
 * is a different run (fewer exits, or the first/last indexed start time changed).
 *
 * Contract: exits before the latest of their vCPU never change; exit indices
 * only grow. An exit that leaves userspace status (handled 1 → 0) stays in the
 * VMM lane.
 */
export function updateTimelineIndex(index: TimelineIndex, data: TimelineData): IndexUpdate {
  let result: IndexUpdate = 'appended';
  if (isOtherRun(index, data)) {
    Object.assign(index, createTimelineIndex());
    result = 'rebuilt';
  }
  const from = index.indexed;
  const to = data.count;
  const dirty = new Map<Lane, number>();
  const markDirty = (lane: Lane, pos: number) =>
    dirty.set(lane, Math.min(dirty.get(lane) ?? Infinity, pos));

  // 1. Exits that were each vCPU's latest may have finished (end and handled changed).
  const vmmBatch: number[] = [];
  for (const exit of index.lastOfVcpu) {
    if (exit < 0 || exit >= to) continue;
    refreshEnd(index.vcpuLanes[data.vcpu[exit]], exit, data, markDirty);
    if (data.handled[exit] === 1 && !refreshEnd(index.vmmLane, exit, data, markDirty)) {
      vmmBatch.push(exit);
    }
  }

  // 2. New exits, distributed per lane.
  let laneCount = Math.max(1, data.vcpus, index.vcpuLanes.length);
  for (let e = from; e < to; e++) laneCount = Math.max(laneCount, data.vcpu[e] + 1);
  while (index.vcpuLanes.length < laneCount) index.vcpuLanes.push(createLane());
  while (index.lastOfVcpu.length < laneCount) index.lastOfVcpu.push(-1);
  const batches: number[][] = index.vcpuLanes.map(() => []);
  for (let e = from; e < to; e++) {
    const v = data.vcpu[e];
    batches[v].push(e);
    index.lastOfVcpu[v] = e;
    if (data.handled[e] === 1) vmmBatch.push(e);
  }
  index.vcpuLanes.forEach((lane, v) => insertBatch(lane, batches[v], data, markDirty));
  insertBatch(index.vmmLane, vmmBatch, data, markDirty);

  // 3. Running maxima from the first changed position of each lane.
  for (const [lane, pos] of dirty) refreshDerived(lane, pos);
  index.maxEnd = -Infinity;
  for (const lane of [...index.vcpuLanes, index.vmmLane]) {
    if (lane.length > 0) index.maxEnd = Math.max(index.maxEnd, lane.reach[lane.length - 1]);
  }
  index.indexed = to;
  index.firstTime = to > 0 ? data.time[0] : NaN;
  index.lastTime = to > 0 ? data.time[to - 1] : NaN;
  if (result === 'appended' && from === to && dirty.size === 0) result = 'unchanged';
  return result;
}

/** Position of `exit` (starting at `time`) in `lane`, or -1. O(log n + entries sharing that time). */
export function lanePositionOf(lane: Lane, exit: number, time: number): number {
  for (let k = upperBound(lane.times, lane.length, time) - 1; k >= 0; k--) {
    if (lane.times[k] !== time) return -1;
    if (lane.exits[k] === exit) return k;
  }
  return -1;
}

function isOtherRun(index: TimelineIndex, data: TimelineData): boolean {
  if (index.indexed === 0) return false;
  return (
    data.count < index.indexed ||
    data.time[0] !== index.firstTime ||
    data.time[index.indexed - 1] !== index.lastTime
  );
}

/** Re-reads the end of `exit` in `lane`; false when the lane does not hold it. */
function refreshEnd(
  lane: Lane,
  exit: number,
  data: TimelineData,
  markDirty: (lane: Lane, pos: number) => void,
): boolean {
  const pos = lanePositionOf(lane, exit, data.time[exit]);
  if (pos < 0) return false;
  const end = Math.max(data.time[exit], data.end[exit]);
  if (lane.ends[pos] !== end) {
    lane.ends[pos] = end;
    markDirty(lane, pos);
  }
  return true;
}

function writeEntry(lane: Lane, pos: number, exit: number, data: TimelineData): void {
  const time = data.time[exit];
  lane.exits[pos] = exit;
  lane.times[pos] = time;
  lane.ends[pos] = Math.max(time, data.end[exit]);
  lane.reasons[pos] = data.reason[exit];
}

/** Inserts exits into a sorted lane: appends when they all start at or after its last entry, else merges the tail. */
function insertBatch(
  lane: Lane,
  batch: number[],
  data: TimelineData,
  markDirty: (lane: Lane, pos: number) => void,
): void {
  if (batch.length === 0) return;
  const { time } = data;
  const before = (a: number, b: number) => time[a] < time[b] || (time[a] === time[b] && a < b);
  let sorted = true;
  for (let i = 1; i < batch.length && sorted; i++) sorted = !before(batch[i], batch[i - 1]);
  if (!sorted) batch.sort((a, b) => time[a] - time[b] || a - b);

  reserveLane(lane, lane.length + batch.length);
  const first = batch[0];
  let pos = upperBound(lane.times, lane.length, time[first]);
  while (pos > 0 && lane.times[pos - 1] === time[first] && lane.exits[pos - 1] > first) pos--;

  const tail = lane.exits.slice(pos, lane.length);
  let i = 0;
  let j = 0;
  let out = pos;
  while (i < tail.length || j < batch.length) {
    const takeTail = j >= batch.length || (i < tail.length && before(tail[i], batch[j]));
    writeEntry(lane, out++, takeTail ? tail[i++] : batch[j++], data);
  }
  lane.length = out;
  markDirty(lane, pos);
}
