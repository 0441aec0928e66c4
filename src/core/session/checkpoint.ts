/**
 * Checkpoints of the whole machine, for time travel. Guest memory is saved
 * copy-on-write by page: a checkpoint copies only the pages written since
 * the checkpoint the memory was last synchronised with (taken or restored),
 * and shares every other page with it — so a long history stays small.
 * Everything else (vCPU registers, KVM and VMM state, trace length) is small
 * plain data and is cloned whole.
 */
import { PAGE_DIRTY, PAGE_SHIFT, PAGE_SIZE } from '../cpu/memory';
import type { CpuState } from '../cpu/state';
import type { VcpuKvm } from '../kvm/machine';
import type { DeviceState } from '../vmm/devices';
import type { Vmm } from '../vmm/vmm';

export interface Checkpoint {
  ticks: number;
  events: number;
  exits: number;
  /** One array per guest page; unchanged pages are shared between checkpoints. */
  pages: Uint8Array[];
  cpus: CpuState[];
  vcpus: VcpuKvm[];
  mmioPages: number[];
  current: number;
  retired: number;
  devices: DeviceState;
}

/**
 * The machine's position: guest instructions retired and events delivered
 * on every vCPU, plus trace events. Every step changes at least one, so a
 * position names exactly one state of a deterministic run.
 */
export function ticks(vmm: Vmm): number {
  let n = vmm.trace.length;
  for (const c of vmm.kvm.cpus) n += c.state.icount + c.state.delivered;
  return n;
}

/**
 * Take a checkpoint. `base` is the checkpoint the memory's dirty marks are
 * relative to (the last one taken or restored), or undefined for the first.
 */
export function takeCheckpoint(vmm: Vmm, base: Checkpoint | undefined): Checkpoint {
  const mem = vmm.mem;
  const n = mem.size >> PAGE_SHIFT;
  const pages: Uint8Array[] = new Array<Uint8Array>(n);
  for (let p = 0; p < n; p++) {
    if (!base || mem.pageMarks[p] & PAGE_DIRTY) {
      pages[p] = mem.bytes.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
      mem.pageMarks[p] &= ~PAGE_DIRTY;
    } else {
      pages[p] = base.pages[p];
    }
  }
  const k = vmm.kvm;
  return {
    ticks: ticks(vmm),
    events: vmm.trace.length,
    exits: vmm.trace.exitCount,
    pages,
    cpus: k.cpus.map((c) => structuredClone(c.state)),
    vcpus: structuredClone(k.vcpus),
    mmioPages: [...k.mmioPages],
    current: k.current,
    retired: k.retired,
    devices: structuredClone(vmm.devices),
  };
}

/** Copy a saved CpuState into the live one (keeping its typed arrays, which compiled code holds). */
function restoreCpu(live: CpuState, saved: CpuState): void {
  live.rl.set(saved.rl);
  live.rh.set(saved.rh);
  const clone = structuredClone(saved);
  for (const key of Object.keys(clone) as (keyof CpuState)[]) {
    if (key === 'rl' || key === 'rh') continue;
    (live as unknown as Record<string, unknown>)[key] = clone[key];
  }
}

/** Put the machine back exactly as it was at `cp`. */
export function restoreCheckpoint(vmm: Vmm, cp: Checkpoint): void {
  const mem = vmm.mem;
  const k = vmm.kvm;
  // Drop decoded code first (it marks code pages dirty), then put memory back clean.
  mem.codeEpoch++;
  k.cpus.forEach((c, i) => {
    c.invalidateCode();
    restoreCpu(c.state, cp.cpus[i]);
    c.exit = null;
    c.cur = null;
  });
  for (let p = 0; p < cp.pages.length; p++) {
    mem.bytes.set(cp.pages[p], p * PAGE_SIZE);
    mem.pageMarks[p] = 0;
  }
  const vcpus = structuredClone(cp.vcpus);
  vcpus.forEach((v, i) => (k.vcpus[i] = v));
  k.mmioPages.clear();
  for (const p of cp.mmioPages) k.mmioPages.add(p);
  k.current = cp.current;
  k.retired = cp.retired;
  Object.assign(vmm.devices, structuredClone(cp.devices));
  vmm.trace.truncate(cp.events, cp.exits);
}
