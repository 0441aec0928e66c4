/**
 * Simulated time: how many host cycles each phase costs, per "CPU profile".
 * Guest instructions cost one cycle each (an idealised CPI of 1).
 *
 * The totals come from published measurements (shared/reference
 * kvm-hypercalls.md §9, TSC cycles measured in the guest by
 * kvm-unit-tests' vmexit.flat); how a total is split across the phases
 * (hardware exit, dispatch, handler, resume/entry) is this model's
 * assumption — the measurements give round trips only. Each profile keeps
 * its round-trip totals exact:
 *
 * intel-skylake-sp
 *   VMCALL round trip 1529 — W. Li, KVM list, Mar 2020 (Skylake-SP).
 *   CPUID round trip 1027 — S. Christopherson, KVM list, Dec 2024.
 *   OUT to an in-kernel port 4451, IN 7237 — kvm-unit-tests 00bfecaa (2012).
 *   Userspace round trip ≈ 13000 more than in-kernel — same commit (inl_from_qemu
 *   20574 vs in-kernel; the author derives ≈13000 + ≈3300 emulation).
 *   IPI 3293 — W. Li, Apr 2020 (fastpath).
 * amd
 *   One KVM_RUN round trip incl. VMRUN ≈ 2528–2576, of which ≈ 1344–1376
 *   between the timestamps around VMRUN (the world switch) — SVM
 *   VMLOAD/VMSAVE discussion, LKML Dec 2020. Handler costs reuse the Intel
 *   profile's (no AMD per-exit figures in the reference).
 */

export interface CostProfile {
  name: string;
  label: string;
  /** Cycles per retired guest instruction. */
  guestInstruction: number;
  /** Hardware VM exit: save guest state, load host state (to the exit handler). */
  vmExit: number;
  /** Exit-reason lookup and dispatch in the vendor module. */
  dispatch: number;
  /** Hardware VM entry plus the common resume path. */
  resume: number;
  /** Handler work by kind of exit. */
  handle: {
    hypercall: number;
    cpuid: number;
    msr: number;
    ioKernel: number;
    ioUserspace: number;
    mmio: number;
    hlt: number;
    exception: number;
    externalInterrupt: number;
    other: number;
  };
  /** KVM_RUN returning to the VMM, its exit handling, and KVM_RUN again. */
  userspace: number;
  /** One set-up ioctl. */
  ioctl: number;
  /** Interception-policy evaluation. */
  intercept: number;
}

const INTEL_FIXED = { vmExit: 350, dispatch: 50, resume: 450 };
const FIXED_SUM = INTEL_FIXED.vmExit + INTEL_FIXED.dispatch + INTEL_FIXED.resume;

const INTEL: CostProfile = {
  name: 'intel-skylake-sp',
  label: 'Intel Skylake-SP (published KVM exit costs)',
  guestInstruction: 1,
  ...INTEL_FIXED,
  handle: {
    hypercall: 1529 - FIXED_SUM,
    cpuid: 1027 - FIXED_SUM,
    // No per-exit MSR total in the reference; assumed.
    msr: 200,
    ioKernel: 4451 - FIXED_SUM,
    ioUserspace: 4451 - FIXED_SUM,
    mmio: 3300,
    hlt: 200,
    exception: 3300,
    externalInterrupt: 3293 - FIXED_SUM,
    other: 500,
  },
  userspace: 13000,
  ioctl: 2000,
  intercept: 100,
};

const AMD_FIXED = { vmExit: 680, dispatch: 100, resume: 680 };

const AMD: CostProfile = {
  name: 'amd',
  label: 'AMD (published KVM_RUN/VMRUN round trip)',
  guestInstruction: 1,
  ...AMD_FIXED,
  handle: {
    ...INTEL.handle,
    hypercall: 2552 - (AMD_FIXED.vmExit + AMD_FIXED.dispatch + AMD_FIXED.resume),
  },
  userspace: 13000,
  ioctl: 2000,
  intercept: 100,
};

export const COST_PROFILES: Readonly<Record<string, CostProfile>> = Object.freeze({
  [INTEL.name]: INTEL,
  [AMD.name]: AMD,
});

/** The default profile for a vendor. */
export function defaultProfile(vendor: 'intel' | 'amd'): CostProfile {
  return vendor === 'intel' ? INTEL : AMD;
}
