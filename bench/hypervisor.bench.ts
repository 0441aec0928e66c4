/**
 * Hypervisor-model speed: full hypercall round trips per second with every
 * phase recorded in the trace — beside real KVM's in-kernel exits on this
 * machine, measured in the same run — bytes per recorded event, and the
 * median latency of seeking to a random point of a 10-million-instruction
 * run.
 */
import { Session } from '../src/core/session/session';
import { Vmm } from '../src/core/vmm/vmm';
import { kvmAvailable } from '../tests/cpu/kvm/kvmRunner';
import { guestImage, median, measure, type BenchResult } from './harness';
import { kvmRunMs } from './realKvm';

const ROUND_TRIPS = 200_000;

const VMCALL_LOOP = guestImage(`
  mov ecx, ${ROUND_TRIPS}
l:
  mov eax, 1          ; KVM_HC_VAPIC_POLL_IRQ
  vmcall
  dec ecx
  jnz l
  hlt`);

/**
 * The real-KVM counterpart of the round trip: CPUID, which always exits and
 * which KVM handles in the kernel (kvm_emulate_cpuid) and resumes — the
 * cheapest full exit a guest can make. (VMCALL itself hangs under this
 * machine's nested KVM, and CPL-0 guest code is emulated there, so the loop
 * runs at CPL 3: tools/kvm-runner/README.md.)
 */
const CPUID_LOOP = guestImage(`
  mov r8d, ${ROUND_TRIPS}
l:
  xor eax, eax
  cpuid
  dec r8d
  jnz l
  hlt`);

/** ~10 M guest instructions with a hypercall every 10 000. */
const LONG_RUN = guestImage(`
  mov r15d, 1000
outer:
  mov ecx, 3333
inner:
  add eax, ecx
  xor ebx, eax
  dec ecx
  jnz inner
  mov eax, 11
  vmcall
  dec r15d
  jnz outer
  hlt`);

export function run(): BenchResult[] {
  const results: BenchResult[] = [];
  let bytesPerEvent = 0;
  results.push(
    measure(
      `hypercall round trips (VMCALL loop, all phases recorded)`,
      () => {
        const vmm = new Vmm(VMCALL_LOOP);
        vmm.run(10_000_000);
        if (vmm.trace.exitCount !== ROUND_TRIPS + 1)
          throw new Error(`expected ${ROUND_TRIPS + 1} exits, got ${vmm.trace.exitCount}`);
        bytesPerEvent = vmm.trace.bytesUsed() / vmm.trace.length;
        // As the page does when it loads the next program: the next VM's
        // trace grows into this one's memory (src/core/trace/columnPool.ts).
        vmm.release();
      },
      { samples: 11, warmup: 3, unitsPerCall: ROUND_TRIPS, unit: 'round trips/s' },
    ),
  );
  const avail = kvmAvailable();
  if (!avail.ok) {
    results.push({ name: `real KVM exits: skipped (${avail.why})`, medianMs: 0, samples: 0 });
  } else {
    const realMs = kvmRunMs(CPUID_LOOP);
    const ours = results[0].throughput?.value ?? 0;
    const real = ROUND_TRIPS / (realMs / 1000);
    results.push({
      name: `real KVM: CPUID exits handled in the kernel (CPL 3 loop, /dev/kvm)`,
      medianMs: realMs,
      samples: 5,
      throughput: { value: real, unit: 'exits/s' },
    });
    results.push({
      name: `ratio model round trips / real KVM exits: ${(ours / real).toFixed(2)}`,
      medianMs: 0,
      samples: 1,
    });
  }
  results.push({
    name: `trace size: ${bytesPerEvent.toFixed(1)} bytes per recorded event`,
    medianMs: 0,
    samples: 1,
  });

  // Seek latency: a finished 10 M-instruction session, then seeks to random positions.
  const s = new Session(LONG_RUN);
  const runStart = performance.now();
  s.continue(50_000_000);
  const runMs = performance.now() - runStart;
  const total = s.ticks;
  results.push({
    name: `10M-instruction run with checkpoints (${total} ticks, ${s.vmm.trace.length} events)`,
    medianMs: runMs,
    samples: 1,
    throughput: { value: s.vmm.kvm.retired / (runMs / 1000), unit: 'guest instr/s' },
  });
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const target = Math.floor(rand() * total);
    const t0 = performance.now();
    s.seekTicks(target);
    times.push(performance.now() - t0);
    if (s.ticks < target) throw new Error('seek fell short');
  }
  results.push({
    name: 'seek to a random point of the 10M-instruction run',
    medianMs: median(times),
    samples: times.length,
  });
  return results;
}
