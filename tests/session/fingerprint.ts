/** A complete, comparable snapshot of a machine's state (tests only). */
import { createHash } from 'node:crypto';
import type { Vmm } from '../../src/core/vmm/vmm';

const replacer = (_k: string, v: unknown) =>
  typeof v === 'bigint'
    ? `${v}n`
    : v instanceof Int32Array || v instanceof Uint8Array
      ? Array.from(v)
      : v;

export function fingerprint(vmm: Vmm): string {
  const t = vmm.trace;
  const h = createHash('sha256');
  h.update(vmm.mem.bytes);
  const trace = {
    time: Array.from(t.time.subarray(0, t.length)),
    vcpu: Array.from(t.vcpu.subarray(0, t.length)),
    phase: Array.from(t.phase.subarray(0, t.length)),
    fn: Array.from(t.fn.subarray(0, t.length)),
    exit: Array.from(t.exit.subarray(0, t.length)),
    exits: Array.from({ length: t.exitCount }, (_, i) => t.exitRow(i)),
  };
  return JSON.stringify(
    {
      mem: h.digest('hex'),
      cpus: vmm.kvm.cpus.map((c) => c.state),
      vcpus: vmm.kvm.vcpus,
      current: vmm.kvm.current,
      retired: vmm.kvm.retired,
      devices: vmm.devices,
      trace,
    },
    replacer,
  );
}
