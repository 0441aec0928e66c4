import type { TimelineData } from '../../../src/core';

/** One exit as tests write it. */
export interface ExitSpec {
  time: number;
  end: number;
  vcpu: number;
  reason: number;
  handled?: 0 | 1;
}

/**
 * TimelineData holding `exits` in the given order (exit i = exits[i]), with
 * spare capacity after `count` filled with junk, as the store's grown arrays
 * may have.
 */
export function makeData(
  exits: readonly ExitSpec[],
  reasons: string[] = ['VMCALL', 'IO_INSTRUCTION', 'HLT', 'CPUID'],
  vcpus = Math.max(1, ...exits.map((e) => e.vcpu + 1)),
  capacity = exits.length + 7,
): TimelineData {
  const data: TimelineData = {
    count: exits.length,
    time: new Float64Array(capacity).fill(-12345),
    end: new Float64Array(capacity).fill(-12345),
    vcpu: new Uint8Array(capacity).fill(99),
    reason: new Uint16Array(capacity).fill(999),
    handled: new Uint8Array(capacity).fill(1),
    reasons,
    vcpus,
  };
  exits.forEach((e, i) => {
    data.time[i] = e.time;
    data.end[i] = e.end;
    data.vcpu[i] = e.vcpu;
    data.reason[i] = e.reason;
    data.handled[i] = e.handled ?? 0;
  });
  return data;
}

/** The same data seen with only the first `count` exits recorded. */
export function prefix(data: TimelineData, count: number): TimelineData {
  return { ...data, count };
}

/** A small deterministic PRNG (mulberry32) for bulk fixtures. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` exits on `vcpus` vCPUs the way the machine records them: each vCPU's
 * exits are sequential in its own clock, the global order is interleaved by
 * a round-robin-ish scheduler, so `time` is not globally sorted.
 */
export function scheduledExits(n: number, vcpus: number, reasons: number, seed = 1): ExitSpec[] {
  const rand = prng(seed);
  const clock = new Array<number>(vcpus).fill(0);
  const exits: ExitSpec[] = [];
  for (let i = 0; i < n; i++) {
    const v = Math.floor(rand() * vcpus);
    const time = clock[v] + Math.floor(rand() * 50);
    const end = time + 1 + Math.floor(rand() * 30);
    clock[v] = end;
    const reason = Math.floor(rand() * rand() * reasons);
    exits.push({ time, end, vcpu: v, reason, handled: rand() < 0.3 ? 1 : 0 });
  }
  return exits;
}
