/**
 * `struct kvm_run` (include/uapi/linux/kvm.h), the page a VMM mmaps from the
 * vCPU fd: KVM writes why KVM_RUN returned and the exit's data; the VMM
 * answers in the same place before the next KVM_RUN. Only the union members
 * this model uses are present.
 */
export interface KvmRun {
  /** KVM_EXIT_* number; vcpu_run pre-loads KVM_EXIT_UNKNOWN (0). */
  exit_reason: number;
  if_flag: number;
  ready_for_interrupt_injection: number;
  cr8: number;
  apic_base: number;
  io: {
    direction: number;
    size: number;
    port: number;
    count: number;
    data_offset: number;
    data: number[];
  };
  mmio: { phys_addr: number; data: bigint; len: number; is_write: number };
  /** Also used for in-kernel hypercalls: `ret` stages the result (complete_hypercall_exit reads it). */
  hypercall: { nr: bigint; args: bigint[]; ret: bigint; flags: number };
  ex: { exception: number; error_code: number };
  internal: { suberror: number; ndata: number };
}

export function createKvmRun(): KvmRun {
  return {
    exit_reason: 0,
    if_flag: 0,
    ready_for_interrupt_injection: 0,
    cr8: 0,
    apic_base: 0xfee00900,
    io: { direction: 0, size: 0, port: 0, count: 0, data_offset: 4096, data: [] },
    mmio: { phys_addr: 0, data: 0n, len: 0, is_write: 0 },
    hypercall: { nr: 0n, args: [0n, 0n, 0n, 0n, 0n, 0n], ret: 0n, flags: 0 },
    ex: { exception: 0, error_code: 0 },
    internal: { suberror: 0, ndata: 0 },
  };
}
