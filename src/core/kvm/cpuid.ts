/**
 * The guest's CPUID table, as a VMM sets it with KVM_SET_CPUID2 and as
 * `kvm_emulate_cpuid` → `kvm_cpuid` (arch/x86/kvm/cpuid.c) answers from it.
 * Includes the KVM leaves: 0x40000000 (KVM_CPUID_SIGNATURE: max leaf and
 * "KVMKVMKVM\0\0\0" in EBX, ECX, EDX) and 0x40000001 (KVM_CPUID_FEATURES:
 * the PV feature bits in EAX). A leaf the table lacks returns zeros here
 * (KVM itself mimics Intel's out-of-range rule on Intel hosts; not modelled).
 */
import { KVM_CPUID_FEATURES, KVM_CPUID_SIGNATURE, KVM_FEATURE } from './constants';

export interface CpuidEntry {
  function: number;
  index: number;
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
}

/** Four ASCII characters as a little-endian register value. */
function str4(s: string): number {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = v * 256 + (s.charCodeAt(i) || 0);
  return v >>> 0;
}

/** The PV features this model implements (what KVM_GET_SUPPORTED_CPUID would offer for them). */
export const DEFAULT_PV_FEATURES =
  (1 << KVM_FEATURE.CLOCKSOURCE2) |
  (1 << KVM_FEATURE.PV_UNHALT) |
  (1 << KVM_FEATURE.PV_SEND_IPI) |
  (1 << KVM_FEATURE.PV_SCHED_YIELD) |
  (1 << KVM_FEATURE.HC_MAP_GPA_RANGE) |
  (1 << KVM_FEATURE.CLOCKSOURCE_STABLE_BIT);

/** The table a kvmtool-like VMM installs for vCPU `apicId`. */
export function defaultCpuid(
  vendor: 'intel' | 'amd',
  apicId: number,
  pvFeatures: number,
): CpuidEntry[] {
  const name = vendor === 'intel' ? 'GenuineIntel' : 'AuthenticAMD';
  const leaf = (fn: number, eax: number, ebx: number, ecx: number, edx: number): CpuidEntry => ({
    function: fn,
    index: 0,
    eax: eax >>> 0,
    ebx: ebx >>> 0,
    ecx: ecx >>> 0,
    edx: edx >>> 0,
  });
  return [
    leaf(0, 0x0d, str4(name.slice(0, 4)), str4(name.slice(8, 12)), str4(name.slice(4, 8))),
    // Leaf 1: EBX[31:24] initial APIC ID; ECX bit 31 "running under a hypervisor";
    // EDX: FPU, TSC, MSR, PAE, APIC, CMOV…
    leaf(1, 0x000906ea, (apicId << 24) | 0x00010800, (1 << 31) | (1 << 23) | (1 << 0), 0x078bfbff),
    leaf(KVM_CPUID_SIGNATURE, KVM_CPUID_FEATURES, str4('KVMK'), str4('VMKV'), str4('M\0\0\0')),
    leaf(KVM_CPUID_FEATURES, pvFeatures, 0, 0, 0),
    leaf(0x80000000, 0x80000008, 0, 0, 0),
    // LM (bit 29), NX (20), SYSCALL (11); LAHF in 64-bit mode (ECX bit 0).
    leaf(0x80000001, 0, 0, 1, (1 << 29) | (1 << 20) | (1 << 11)),
  ];
}

/** kvm_cpuid(): the entry for (function, index), zeros if absent. */
export function lookupCpuid(table: readonly CpuidEntry[], fn: number, index: number): CpuidEntry {
  return (
    table.find((e) => e.function === fn && (e.index === index || e.function !== 4)) ?? {
      function: fn,
      index,
      eax: 0,
      ebx: 0,
      ecx: 0,
      edx: 0,
    }
  );
}
