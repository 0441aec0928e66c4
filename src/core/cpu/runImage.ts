/**
 * Run a flat image on one vCPU with the DESIGN.md §5 machine and no
 * hypervisor: the first exit request (or triple fault, or the step budget)
 * ends the run. This is what the differential test and the benchmark use;
 * the hypervisor model (kvm/) drives a Vcpu itself.
 */
import { getRflags } from './flags';
import { createMemory, DEFAULT_RAM_BYTES, loadBytes } from './memory';
import type { ExitRequest } from './exits';
import { createCpuState, getReg64 } from './state';
import { Vcpu, type Vendor } from './vcpu';

export interface RunImageOptions {
  entry?: number;
  /** Retired-instruction budget (default 10 million). */
  maxSteps?: number;
  memoryBytes?: number;
  vendor?: Vendor;
  /** Use the block compiler (default true); false runs the interpreter only. */
  jit?: boolean;
}

export interface RunImageResult {
  /** `hlt`: stopped at a HLT; `exit`: another exit request; `shutdown`: triple fault. */
  stop: 'hlt' | 'exit' | 'shutdown' | 'budget';
  exit?: ExitRequest;
  /** rax…r15 in encoding order, unsigned. */
  regs: bigint[];
  rip: bigint;
  rflags: bigint;
  retired: number;
}

/** Load `image` at `origin` and run it until it stops. */
export function runFlatImage(
  image: Uint8Array,
  origin: number,
  opts: RunImageOptions = {},
): RunImageResult {
  const mem = createMemory(opts.memoryBytes ?? DEFAULT_RAM_BYTES);
  if (origin < 0 || origin + image.length > mem.size) {
    throw new RangeError(
      `a ${image.length}-byte image at 0x${origin.toString(16)} does not fit in RAM`,
    );
  }
  loadBytes(mem, origin, image);
  const state = createCpuState({ entry: opts.entry ?? origin });
  const vcpu = new Vcpu(state, mem);
  if (opts.vendor) vcpu.vendor = opts.vendor;
  if (opts.jit !== undefined) vcpu.jit = opts.jit;
  const r = vcpu.run(opts.maxSteps ?? 10_000_000);
  const exit = vcpu.exit ?? undefined;
  const stop =
    r === 'budget'
      ? 'budget'
      : r === 'shutdown'
        ? 'shutdown'
        : exit?.kind === 'hlt'
          ? 'hlt'
          : 'exit';
  return {
    stop,
    exit,
    regs: Array.from({ length: 16 }, (_, i) => getReg64(state, i)),
    rip: BigInt.asUintN(64, BigInt(state.rip)),
    rflags: BigInt(getRflags(state) >>> 0),
    retired: state.icount,
  };
}
