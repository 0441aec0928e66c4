/**
 * The same 50-million-instruction ALU loop on the real CPU under /dev/kvm,
 * for the ratio against the emulated vCPU (bench/vcpu.bench.ts). The guest
 * runs at CPL 3 (the runner's `user` mode): on these machines KVM's PVM
 * backend emulates CPL-0 guest code instruction by instruction, so only
 * CPL-3 code runs natively (tools/kvm-runner/README.md). Timing includes
 * one runner process start and VM set-up (a few ms), measured separately
 * with an empty program and subtracted.
 */
import { runFlatImage } from '../src/core/cpu';
import { kvmAvailable } from '../tests/cpu/kvm/kvmRunner';
import { guestImage, median, type BenchResult } from './harness';
import { kvmRunMs } from './realKvm';
import { LOOPS } from './vcpu.bench';

/** The 32-bit loop of bench/vcpu.bench.ts: 5 instructions per pass. */
const ALU_LOOP = LOOPS['alu 32-bit'];
const PASSES = Number(process.env.VCPU_BENCH_PASSES ?? 10_000_000);

export function run(): BenchResult[] {
  const avail = kvmAvailable();
  if (!avail.ok) return [{ name: `real KVM: skipped (${avail.why})`, medianMs: 0, samples: 0 }];
  const loop = guestImage(ALU_LOOP);
  const instructions = PASSES * 5 + 3;
  const kvmMs = kvmRunMs(loop);
  const oursMs = median(
    Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      const r = runFlatImage(loop.bytes, loop.origin, { maxSteps: instructions + 10 });
      if (r.stop !== 'hlt') throw new Error(`vCPU stopped with ${r.stop}`);
      return performance.now() - t0;
    }),
  );
  return [
    {
      name: `ALU loop (${(instructions / 1e6).toFixed(0)}M instr) on the real CPU under KVM`,
      medianMs: kvmMs,
      samples: 5,
      throughput: { value: instructions / (kvmMs / 1000), unit: 'instr/s' },
    },
    {
      name: `same loop on the emulated vCPU`,
      medianMs: oursMs,
      samples: 5,
      throughput: { value: instructions / (oursMs / 1000), unit: 'instr/s' },
    },
    {
      name: `ratio emulated / real KVM: ${(oursMs / kvmMs).toFixed(1)}× slower`,
      medianMs: 0,
      samples: 1,
    },
  ];
}
