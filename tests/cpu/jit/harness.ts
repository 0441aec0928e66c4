/**
 * Run a flat image on a fresh vCPU the same way with the JIT on or off, and
 * compare the complete machine state afterwards: every CpuState field
 * (registers, RIP, RFLAGS and the raw lazy-flag fields, icount, segments,
 * descriptor tables…), all of RAM and the pending exit request.
 *
 * Exit requests other than HLT (MMIO, port I/O, CPUID) are "handled" by
 * skipping the instruction, so a program keeps running past them.
 */
import {
  createCpuState,
  createMemory,
  loadBytes,
  Vcpu,
  type StopReason,
} from '../../../src/core/cpu';
import { getRflags } from '../../../src/core/cpu/flags';

export interface Image {
  bytes: Uint8Array;
  origin: number;
  entry: number;
}

export interface RunOptions {
  jit: boolean;
  /** jitThreshold (default 1: compile at first entry). */
  threshold?: number;
  /** Budget of the i-th `run` call (default: everything at once). */
  slice?: (i: number) => number;
  /** Stop after this many retired instructions. */
  maxSteps?: number;
  memoryBytes?: number;
  /** Called on the fresh vCPU before it runs (GDT/IDT set-up). */
  setup?: (v: Vcpu) => void;
  /** Called after every `run` call with its result. */
  onRun?: (v: Vcpu, r: StopReason, call: number) => void;
}

/** A fresh vCPU with `img` loaded (not run). */
export function makeVcpu(img: Image, opts: RunOptions): Vcpu {
  const mem = createMemory(opts.memoryBytes ?? 0x100000);
  loadBytes(mem, img.origin, img.bytes);
  const v = new Vcpu(createCpuState({ entry: img.entry }), mem);
  v.jit = opts.jit;
  v.jitThreshold = opts.threshold ?? 1;
  opts.setup?.(v);
  return v;
}

/** Run to HLT, shutdown or `maxSteps`; returns the vCPU and the last stop reason. */
export function runImage(img: Image, opts: RunOptions): { v: Vcpu; stop: StopReason } {
  const v = makeVcpu(img, opts);
  const max = opts.maxSteps ?? 200_000;
  let stop: StopReason = 'budget';
  for (let call = 0; v.state.icount < max; call++) {
    const want = opts.slice ? opts.slice(call) : max;
    stop = v.run(Math.min(want, max - v.state.icount));
    opts.onRun?.(v, stop, call);
    if (stop === 'exit') {
      const e = v.exit;
      if (!e || e.kind === 'hlt') break;
      if (e.kind === 'mmio' || e.kind === 'io' || e.kind === 'cpuid') {
        v.state.rip += e.length;
        v.exit = null;
        continue;
      }
      break;
    }
    if (stop === 'shutdown') break;
  }
  return { v, stop };
}

/** Everything architecturally visible about a vCPU, as comparable plain data. */
export function machineState(v: Vcpu): Record<string, unknown> {
  const s = v.state;
  return {
    ...s,
    rl: Array.from(s.rl),
    rh: Array.from(s.rh),
    rflags: getRflags(s),
    exit:
      v.exit === null
        ? null
        : JSON.stringify(v.exit, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)),
  };
}

/** The first difference between two machines ('' when identical). */
export function compareMachines(a: Vcpu, b: Vcpu): string {
  const sa = machineState(a);
  const sb = machineState(b);
  for (const k of Object.keys(sa)) {
    const x = JSON.stringify(sa[k]);
    const y = JSON.stringify(sb[k]);
    if (x !== y) return `${k}: interpreter ${x} vs jit ${y}`;
  }
  const ma = a.mem.bytes;
  const mb = b.mem.bytes;
  if (Buffer.compare(ma, mb) !== 0) {
    let i = 0;
    while (ma[i] === mb[i]) i++;
    return `memory at 0x${i.toString(16)}: ${ma[i]} vs ${mb[i]}`;
  }
  return '';
}
