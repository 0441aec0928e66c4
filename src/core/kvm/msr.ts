/**
 * Model-specific registers a guest may read or write through KVM
 * (`kvm_emulate_rdmsr`/`kvm_emulate_wrmsr` → `kvm_get_msr_common`/
 * `kvm_set_msr_common`, arch/x86/kvm/x86.c). An MSR KVM does not know makes
 * the instruction fault with #GP(0) (`kvm_inject_gp`). With
 * KVM_CAP_ENFORCE_PV_FEATURE_CPUID, a KVM PV MSR whose feature bit the guest
 * lacks faults too.
 */
import { KVM_FEATURE, MSR_KVM } from './constants';
import type { KvmMachine } from './machine';

export const MSR = {
  IA32_TSC: 0x10,
  IA32_APIC_BASE: 0x1b,
  IA32_EFER: 0xc0000080,
  IA32_STAR: 0xc0000081,
  IA32_LSTAR: 0xc0000082,
  IA32_CSTAR: 0xc0000083,
  IA32_FMASK: 0xc0000084,
  IA32_FS_BASE: 0xc0000100,
  IA32_GS_BASE: 0xc0000101,
  IA32_KERNEL_GS_BASE: 0xc0000102,
} as const;

/** The PV feature each KVM MSR needs (guest_pv_has). */
const PV_MSR_FEATURE: Record<number, number> = {
  [MSR_KVM.WALL_CLOCK]: KVM_FEATURE.CLOCKSOURCE,
  [MSR_KVM.SYSTEM_TIME]: KVM_FEATURE.CLOCKSOURCE,
  [MSR_KVM.WALL_CLOCK_NEW]: KVM_FEATURE.CLOCKSOURCE2,
  [MSR_KVM.SYSTEM_TIME_NEW]: KVM_FEATURE.CLOCKSOURCE2,
  [MSR_KVM.ASYNC_PF_EN]: KVM_FEATURE.ASYNC_PF,
  [MSR_KVM.STEAL_TIME]: KVM_FEATURE.STEAL_TIME,
  [MSR_KVM.PV_EOI_EN]: KVM_FEATURE.PV_EOI,
  [MSR_KVM.POLL_CONTROL]: KVM_FEATURE.POLL_CONTROL,
  [MSR_KVM.ASYNC_PF_INT]: 14,
  [MSR_KVM.ASYNC_PF_ACK]: 14,
};

const STORED = new Set<number>([
  MSR.IA32_STAR,
  MSR.IA32_LSTAR,
  MSR.IA32_CSTAR,
  MSR.IA32_FMASK,
  MSR.IA32_KERNEL_GS_BASE,
  ...Object.values(MSR_KVM),
]);

function pvAllowed(m: KvmMachine, index: number): boolean {
  const bit = PV_MSR_FEATURE[index];
  return bit === undefined || m.pvFeature(bit);
}

/** The value of MSR `index` for vCPU `id`, or undefined (#GP). */
export function readMsr(m: KvmMachine, id: number, index: number): bigint | undefined {
  const s = m.cpus[id].state;
  if (!pvAllowed(m, index)) return undefined;
  switch (index) {
    case MSR.IA32_TSC:
      return BigInt(s.icount + s.tscOffset);
    case MSR.IA32_APIC_BASE:
      // xAPIC at 0xfee00000, enabled (bit 11), BSP (bit 8) on vCPU 0.
      return 0xfee00000n | (1n << 11n) | (id === 0 ? 1n << 8n : 0n);
    case MSR.IA32_EFER:
      return BigInt(s.efer);
    case MSR.IA32_FS_BASE:
      return BigInt.asUintN(64, BigInt(s.seg[4].base));
    case MSR.IA32_GS_BASE:
      return BigInt.asUintN(64, BigInt(s.seg[5].base));
    default: {
      if (!STORED.has(index)) return undefined;
      const v = s.msrs[index];
      return v ? (BigInt(v[1] >>> 0) << 32n) | BigInt(v[0] >>> 0) : 0n;
    }
  }
}

/** pvclock_wall_clock {u32 version; u32 sec; u32 nsec} written by kvm_write_wall_clock. */
function wallClockBytes(sec: bigint, nsec: bigint): Uint8Array {
  const b = new Uint8Array(12);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 2, true);
  dv.setUint32(4, Number(BigInt.asUintN(32, sec)), true);
  dv.setUint32(8, Number(nsec), true);
  return b;
}

/** Write MSR `index`; false means #GP. */
export function writeMsr(m: KvmMachine, id: number, index: number, value: bigint): boolean {
  const s = m.cpus[id].state;
  if (!pvAllowed(m, index)) return false;
  switch (index) {
    case MSR.IA32_TSC:
      s.tscOffset = Number(value) - s.icount;
      return true;
    case MSR.IA32_EFER:
      // Long mode must stay on (LME|LMA); only SCE and NXE may change.
      if ((value & 0x500n) !== 0x500n) return false;
      s.efer = Number(value & 0xd01n);
      return true;
    case MSR.IA32_FS_BASE:
    case MSR.IA32_GS_BASE:
      s.seg[index === MSR.IA32_FS_BASE ? 4 : 5].base = Number(BigInt.asIntN(64, value));
      return true;
    case MSR.IA32_APIC_BASE:
      return true;
    case MSR_KVM.WALL_CLOCK:
    case MSR_KVM.WALL_CLOCK_NEW: {
      const { sec, nsec } = m.clock();
      if (!m.writeGuest(value, wallClockBytes(sec, nsec))) return true;
      break;
    }
    default:
      if (!STORED.has(index)) return false;
  }
  s.msrs[index] = [Number(value & 0xffffffffn) | 0, Number(value >> 32n) | 0];
  return true;
}
