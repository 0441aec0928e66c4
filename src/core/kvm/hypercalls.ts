/**
 * HYPERCALLS: the x86 KVM hypercall ABI, keyed by number, as
 * `____kvm_emulate_hypercall` (arch/x86/kvm/x86.c) dispatches it: nr in RAX,
 * a0–a3 in RBX, RCX, RDX, RSI, result in RAX (shared/reference
 * kvm-hypercalls.md §1–§3). A number with no entry, or an entry for
 * another architecture, returns -KVM_ENOSYS (-1000).
 *
 * Each entry names the kernel function that implements it and, where KVM
 * gates it, the PV feature bit of CPUID 0x40000001 (`guest_pv_has`, which
 * only enforces the bit when the VMM enabled KVM_CAP_ENFORCE_PV_FEATURE_CPUID).
 */
import { KVM_E, KVM_FEATURE, KVM_HC } from './constants';

/** What a hypercall handler may do to the VM (implemented by the machine). */
export interface HypercallVm {
  /** guest_pv_has(): is PV feature `bit` usable by the guest? */
  pvFeature(bit: number): boolean;
  /** vCPU index with this APIC ID (-1: none, as for an ID that does not fit 32 bits), or -1. */
  vcpuByApicId(apicId: number): number;
  /** Wake a vCPU halted in a PV spinlock (APIC_DM_REMRD + kvm_vcpu_kick). */
  kick(target: number): void;
  /** Deliver a fixed interrupt `vector` to vCPU `target` (kvm_apic_set_irq). */
  deliverInterrupt(target: number, vector: number): void;
  /** Directed yield to `target` (kvm_sched_yield; a yield to the caller itself is ignored). */
  yieldTo(target: number): void;
  /** Write guest physical memory; false if the range is not RAM. */
  writeGuest(gpa: bigint, bytes: Uint8Array): boolean;
  /** Host wall-clock time and the guest TSC now (kvm_get_walltime_and_clockread). */
  clock(): { sec: bigint; nsec: bigint; tsc: bigint };
  /** user_exit_on_hypercall(): did the VMM enable KVM_CAP_EXIT_HYPERCALL for `nr`? */
  exitToUserspace(nr: number): boolean;
}

export interface HypercallCall {
  vcpu: number;
  /**
   * a0–a3, already truncated to 32 bits when not a 64-bit hypercall. A
   * function, so the bigints are only made for hypercalls that read them.
   */
  args(): readonly [bigint, bigint, bigint, bigint];
  /**
   * Argument k (0–3) as a number when it fits 32 bits unsigned, else -1:
   * what a handler needs of an APIC ID, without making bigints (SCHED_YIELD
   * runs in tight loops).
   */
  arg(k: number): number;
  /** Argument k's low 32 bits, unsigned: what a C `int` or `u32` parameter receives. */
  argLow32(k: number): number;
  longMode: boolean;
  vm: HypercallVm;
}

/** A result for RAX, or "exit to userspace with KVM_EXIT_HYPERCALL". */
export type HypercallResult = { ret: bigint } | { userspace: true };

export interface HypercallEntry {
  nr: number;
  name: string;
  /** Meaning of a0–a3, for the UI and editor hovers. */
  args: readonly string[];
  summary: string;
  /** The kernel function implementing it, and its file. */
  handler: string;
  source: string;
  /** PV feature bit (KVM_FEATURE_*) that gates it, if any. */
  feature?: number;
  /** Handled on x86 (false: another architecture's number → -KVM_ENOSYS). */
  x86: boolean;
  run(call: HypercallCall): HypercallResult;
}

const neg = (e: number): bigint => BigInt(-e);
/** The shared `{ ret: 0 }` result (callers may test for it by identity). */
export const RESULT_0: HypercallResult = Object.freeze({ ret: 0n });
const RET_ENOSYS: HypercallResult = Object.freeze({ ret: BigInt(-KVM_E.ENOSYS) });
const ENOSYS = (): HypercallResult => RET_ENOSYS;
const X86 = 'arch/x86/kvm/x86.c';

function enosysEntry(nr: number, name: string, why: string): HypercallEntry {
  return {
    nr,
    name,
    args: [],
    summary: why,
    handler: '(no case in the switch)',
    source: X86,
    x86: false,
    run: ENOSYS,
  };
}

/** struct kvm_clock_pairing {s64 sec; s64 nsec; u64 tsc; u32 flags; u32 pad[9];} — 64 bytes. */
function clockPairingBytes(sec: bigint, nsec: bigint, tsc: bigint): Uint8Array {
  const b = new Uint8Array(64);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, sec, true);
  dv.setBigInt64(8, nsec, true);
  dv.setBigUint64(16, BigInt.asUintN(64, tsc), true);
  dv.setUint32(24, 0, true);
  return b;
}

const ENTRIES: HypercallEntry[] = [
  {
    nr: KVM_HC.VAPIC_POLL_IRQ,
    name: 'KVM_HC_VAPIC_POLL_IRQ',
    args: [],
    summary: 'Returns 0; the exit itself makes KVM re-evaluate pending interrupts before re-entry.',
    handler: '____kvm_emulate_hypercall',
    source: X86,
    x86: true,
    run: () => RESULT_0,
  },
  enosysEntry(KVM_HC.MMU_OP, 'KVM_HC_MMU_OP', 'Deprecated; no longer handled → -KVM_ENOSYS.'),
  enosysEntry(
    KVM_HC.FEATURES,
    'KVM_HC_FEATURES',
    'PowerPC only; x86 discovers features with CPUID 0x40000001 → -KVM_ENOSYS.',
  ),
  enosysEntry(
    KVM_HC.PPC_MAP_MAGIC_PAGE,
    'KVM_HC_PPC_MAP_MAGIC_PAGE',
    'PowerPC only → -KVM_ENOSYS.',
  ),
  {
    nr: KVM_HC.KICK_CPU,
    name: 'KVM_HC_KICK_CPU',
    args: ['flags (reserved)', 'APIC ID of the vCPU to wake'],
    summary: 'Wakes a vCPU halted in a paravirtual spinlock, then yields to it; returns 0.',
    handler: 'kvm_pv_kick_cpu_op',
    source: X86,
    feature: KVM_FEATURE.PV_UNHALT,
    x86: true,
    run: ({ arg, argLow32, vm }) => {
      // kvm_pv_kick_cpu_op(kvm, int apicid) gets a1 as an int (its low 32
      // bits); kvm_sched_yield(vcpu, unsigned long dest_id) gets all of it.
      const kicked = vm.vcpuByApicId(argLow32(1));
      if (kicked >= 0) vm.kick(kicked);
      const target = vm.vcpuByApicId(arg(1));
      if (target >= 0) vm.yieldTo(target);
      return RESULT_0;
    },
  },
  enosysEntry(KVM_HC.MIPS_GET_CLOCK_FREQ, 'KVM_HC_MIPS_GET_CLOCK_FREQ', 'MIPS only → -KVM_ENOSYS.'),
  enosysEntry(KVM_HC.MIPS_EXIT_VM, 'KVM_HC_MIPS_EXIT_VM', 'MIPS only → -KVM_ENOSYS.'),
  enosysEntry(KVM_HC.MIPS_CONSOLE_OUTPUT, 'KVM_HC_MIPS_CONSOLE_OUTPUT', 'MIPS only → -KVM_ENOSYS.'),
  {
    nr: KVM_HC.CLOCK_PAIRING,
    name: 'KVM_HC_CLOCK_PAIRING',
    args: [
      'guest-physical address of struct kvm_clock_pairing',
      'clock type (0 = KVM_CLOCK_PAIRING_WALLCLOCK)',
    ],
    summary: 'Writes host wall-clock time paired with the guest TSC into guest memory; returns 0.',
    handler: 'kvm_pv_clock_pairing',
    source: X86,
    x86: true,
    run: ({ args: argsOf, vm }) => {
      const args = argsOf();
      if (args[1] !== 0n) return { ret: neg(KVM_E.EOPNOTSUPP) };
      const { sec, nsec, tsc } = vm.clock();
      return vm.writeGuest(args[0], clockPairingBytes(sec, nsec, tsc))
        ? RESULT_0
        : { ret: neg(KVM_E.EFAULT) };
    },
  },
  {
    nr: KVM_HC.SEND_IPI,
    name: 'KVM_HC_SEND_IPI',
    args: [
      'destination bitmap, low half',
      'destination bitmap, high half',
      'APIC ID of bit 0 (min)',
      'ICR (vector in bits 7:0)',
    ],
    summary: 'Sends one IPI to many vCPUs in one exit; returns how many it was delivered to.',
    handler: 'kvm_pv_send_ipi',
    source: 'arch/x86/kvm/lapic.c',
    feature: KVM_FEATURE.PV_SEND_IPI,
    x86: true,
    run: ({ args, longMode, vm }) => {
      // kvm_pv_send_ipi(..., u32 min, ...): a2 taken as a u32, and min +=
      // cluster_size wraps as a u32 does.
      const [low, high, a2, icr] = args();
      const min = BigInt.asUintN(32, a2);
      // Logical destination mode (ICR bit 11) or a shorthand (bits 19:18) → -KVM_EINVAL.
      if ((icr & (1n << 11n)) !== 0n || (icr & (3n << 18n)) !== 0n)
        return { ret: neg(KVM_E.EINVAL) };
      const cluster = longMode ? 64n : 32n;
      const vector = Number(icr & 0xffn);
      let count = 0n;
      for (const [bitmap, base] of [
        [low, min],
        [high, BigInt.asUintN(32, min + cluster)],
      ] as const) {
        for (let i = 0n; i < cluster; i++) {
          if (((bitmap >> i) & 1n) === 0n) continue;
          const id = base + i;
          const target = vm.vcpuByApicId(id <= 0xffffffffn ? Number(id) : -1);
          if (target < 0) continue;
          vm.deliverInterrupt(target, vector);
          count++;
        }
      }
      return { ret: count };
    },
  },
  {
    nr: KVM_HC.SCHED_YIELD,
    name: 'KVM_HC_SCHED_YIELD',
    args: ['APIC ID of the vCPU that seems preempted'],
    summary: 'Directed yield: gives this vCPU\u2019s time to the named vCPU; returns 0.',
    handler: 'kvm_sched_yield',
    source: X86,
    feature: KVM_FEATURE.PV_SCHED_YIELD,
    x86: true,
    run: ({ arg, vm }) => {
      const target = vm.vcpuByApicId(arg(0));
      if (target >= 0) vm.yieldTo(target);
      return RESULT_0;
    },
  },
  {
    nr: KVM_HC.MAP_GPA_RANGE,
    name: 'KVM_HC_MAP_GPA_RANGE',
    args: [
      'start guest-physical address (4 KiB aligned)',
      'number of 4 KiB pages',
      'attributes (bit 4: private/encrypted)',
    ],
    summary:
      'Asks the VMM to convert a range between shared and private; the only hypercall that exits to userspace (KVM_EXIT_HYPERCALL), and only if the VMM enabled KVM_CAP_EXIT_HYPERCALL.',
    handler: '____kvm_emulate_hypercall',
    source: X86,
    x86: true,
    run: ({ args, vm }) => {
      if (!vm.exitToUserspace(KVM_HC.MAP_GPA_RANGE)) return ENOSYS();
      const [gpa, npages] = args();
      const gfn = gpa >> 12n;
      // !PAGE_ALIGNED(gpa) || !npages || gpa_to_gfn(gpa) + npages <= gpa_to_gfn(gpa) (u64 wrap)
      if ((gpa & 0xfffn) !== 0n || npages === 0n || BigInt.asUintN(64, gfn + npages) <= gfn) {
        return { ret: neg(KVM_E.EINVAL) };
      }
      return { userspace: true };
    },
  },
];

/** Hypercall number → entry. */
export const HYPERCALLS: ReadonlyMap<number, HypercallEntry> = new Map(
  ENTRIES.map((e) => [e.nr, e]),
);

/**
 * The same entries as an array indexed by number (the numbers are small),
 * for the dispatch on every hypercall: the `switch (nr)` of
 * ____kvm_emulate_hypercall, without a hash lookup.
 */
const BY_NR: readonly (HypercallEntry | undefined)[] = (() => {
  const table: (HypercallEntry | undefined)[] = [];
  for (const e of ENTRIES) table[e.nr] = e;
  return Array.from(table);
})();

/**
 * Run hypercall `nr` (-1 for a number that does not fit 32 bits) for the
 * caller, after the CPL check, which the caller does. Unknown numbers,
 * other architectures' numbers and features the guest was not given return
 * -KVM_ENOSYS.
 */
export function runHypercall(nr: number, call: HypercallCall): HypercallResult {
  const entry = nr >= 0 && nr < BY_NR.length ? BY_NR[nr] : undefined;
  if (!entry || !entry.x86) return RET_ENOSYS;
  if (entry.feature !== undefined && !call.vm.pvFeature(entry.feature)) return RET_ENOSYS;
  return entry.run(call);
}
