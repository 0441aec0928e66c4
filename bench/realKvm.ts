/**
 * Time a guest on the real CPU under /dev/kvm for the benches that compare
 * against it: one runner process and VM per sample (tests/cpu/kvm), the
 * guest at CPL 3 (tools/kvm-runner/README.md says why), and the runner's
 * start-up — an empty guest's run — subtracted.
 */
import { runUnderKvm } from '../tests/cpu/kvm/kvmRunner';
import { guestImage, median } from './harness';

export interface FlatImage {
  bytes: Uint8Array;
  origin: number;
}

function runOnce(img: FlatImage): number {
  const t0 = performance.now();
  const [r] = runUnderKvm([img], { mode: 'user', timeoutMs: 20_000 });
  if (r.stop !== 'hlt') throw new Error(`KVM stopped with ${r.stop}`);
  return performance.now() - t0;
}

/** Median milliseconds of `img` under KVM to its HLT, start-up excluded (5 samples each). */
export function kvmRunMs(img: FlatImage): number {
  const empty = guestImage('hlt');
  const base = median(Array.from({ length: 5 }, () => runOnce(empty)));
  return median(Array.from({ length: 5 }, () => runOnce(img))) - base;
}
