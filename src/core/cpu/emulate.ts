/**
 * What the hypervisor model needs from the vCPU beyond running it: inject
 * an exception into the guest (VM-entry event injection, which does not
 * consult the exception bitmap) and emulate one instruction with MMIO data
 * supplied — KVM's instruction emulator, played here by the vCPU itself.
 */
import type { ExitRequest } from './exits';
import type { Vcpu } from './vcpu';

/**
 * Deliver `vector` through the guest IDT as KVM does on VM entry after
 * `kvm_queue_exception`: 'event' when a handler was entered, or
 * 'exit'/'shutdown' if delivery itself failed into a triple fault.
 */
export function injectException(
  v: Vcpu,
  vector: number,
  errorCode?: number,
): 'event' | 'exit' | 'shutdown' {
  const saved = v.exceptionBitmap;
  v.exceptionBitmap = 0;
  try {
    return v.deliver(vector, errorCode, 'fault', v.state.rip);
  } finally {
    v.exceptionBitmap = saved;
  }
}

export type EmulateResult =
  /** Retired; `writes` holds any MMIO writes it made (in order). */
  | { kind: 'done'; writes: { gpa: number; size: number; value: bigint }[] }
  /** It reads MMIO at `gpa` that was not supplied: ask userspace. */
  | { kind: 'needs-read'; gpa: number; size: number }
  /** It faulted (the fault was delivered to the guest) or shut down. */
  | { kind: 'fault' | 'shutdown' };

/**
 * Execute the instruction at RIP once, with `reads` answering MMIO reads by
 * guest-physical address, capturing MMIO writes instead of exiting.
 */
export function emulateOne(v: Vcpu, reads: ReadonlyMap<number, bigint>): EmulateResult {
  const s = v.state;
  const pending = s.pendingIrq;
  s.pendingIrq = -1;
  v.mmio.emulating = true;
  v.mmio.reads = new Map(reads);
  v.mmio.writes = [];
  v.exit = null;
  try {
    const r = v.step();
    if (r === 'retired') return { kind: 'done', writes: v.mmio.writes };
    const ex = v.exit as ExitRequest | null;
    if (r === 'exit' && ex?.kind === 'mmio' && ex.access === 'read') {
      const { gpa, size } = ex;
      v.exit = null;
      return { kind: 'needs-read', gpa, size };
    }
    return { kind: r === 'shutdown' ? 'shutdown' : 'fault' };
  } finally {
    v.mmio.emulating = false;
    v.mmio.reads = new Map();
    s.pendingIrq = pending;
  }
}
