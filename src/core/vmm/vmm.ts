/**
 * The userspace VMM (a kvmtool-like model): it creates the VM with the
 * ioctl sequence of shared/reference kvm-hypercalls.md §6 — ioctls a
 * *userspace program* issues on /dev/kvm, the VM fd and the vCPU fds, not
 * hypercalls — then runs each vCPU's `KVM_RUN` loop and answers every exit
 * KVM hands back with a `switch (run->exit_reason)`:
 *
 *   KVM_EXIT_IO        → the port's device (UART, debug port, …)
 *   KVM_EXIT_MMIO      → the MMIO device
 *   KVM_EXIT_HYPERCALL → KVM_HC_MAP_GPA_RANGE "converted": ret = 0
 *   KVM_EXIT_HLT       → the guest halted: stop this vCPU
 *   KVM_EXIT_SHUTDOWN, KVM_EXIT_INTERNAL_ERROR → stop
 */
import { createMemory, loadBytes, type GuestMemory } from '../cpu/memory';
import { createCpuState } from '../cpu/state';
import { Vcpu } from '../cpu/vcpu';
import { defaultCpuid, DEFAULT_PV_FEATURES } from '../kvm/cpuid';
import {
  KVM_CAP,
  KVM_E,
  KVM_EXIT,
  KVM_EXIT_IO_OUT,
  KVM_HC,
  kvmExitName,
  KVM_X86_QUIRK_FIX_HYPERCALL_INSN,
} from '../kvm/constants';
import type { KvmRun } from '../kvm/kvmRun';
import { KvmMachine, type StepResult, type Userspace } from '../kvm/machine';
import type { PolicyRule } from '../kvm/policy';
import { COST_PROFILES, defaultProfile } from '../trace/costModel';
import { Trace } from '../trace/trace';
import type { VendorName } from '../vmx/exitReasons';
import {
  createDevices,
  isMmio,
  mmioRead,
  mmioWrite,
  portRead,
  portWrite,
  TIMER_VECTOR,
  type DeviceState,
} from './devices';

export interface VmOptions {
  vendor?: VendorName;
  vcpus?: number;
  memoryBytes?: number;
  /** KVM_CREATE_IRQCHIP; default: only when there is more than one vCPU. */
  irqchip?: boolean;
  /** KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL, mask). */
  exitHypercallMask?: number;
  /** false: KVM_ENABLE_CAP(KVM_CAP_DISABLE_QUIRKS2, KVM_X86_QUIRK_FIX_HYPERCALL_INSN). */
  fixHypercallQuirk?: boolean;
  /** KVM_ENABLE_CAP(KVM_CAP_ENFORCE_PV_FEATURE_CPUID) on every vCPU, with these PV features. */
  enforcePvFeatureCpuid?: boolean;
  pvFeatures?: number;
  policy?: PolicyRule[];
  /** A trace/costModel.ts profile name. */
  profile?: string;
}

export interface GuestImage {
  bytes: Uint8Array;
  origin: number;
  entry: number;
}

/** Why a run ended: a KVM_EXIT_* name, 'all-halted' or 'budget'. */
export type StopName = string;

export class Vmm implements Userspace {
  readonly kvm: KvmMachine;
  readonly trace = new Trace();
  readonly devices: DeviceState = createDevices();
  readonly mem: GuestMemory;
  readonly options: Required<Omit<VmOptions, 'profile'>> & { profile: string };

  constructor(image: GuestImage, opts: VmOptions = {}) {
    const vendor = opts.vendor ?? 'intel';
    const vcpus = Math.max(1, Math.min(opts.vcpus ?? 1, 16));
    this.options = {
      vendor,
      vcpus,
      memoryBytes: opts.memoryBytes ?? 2 * 1024 * 1024,
      irqchip: opts.irqchip ?? vcpus > 1,
      exitHypercallMask: opts.exitHypercallMask ?? 0,
      fixHypercallQuirk: opts.fixHypercallQuirk ?? true,
      enforcePvFeatureCpuid: opts.enforcePvFeatureCpuid ?? false,
      pvFeatures: opts.pvFeatures ?? DEFAULT_PV_FEATURES,
      policy: opts.policy ?? [],
      profile: opts.profile ?? defaultProfile(vendor).name,
    };
    const o = this.options;
    const profile = COST_PROFILES[o.profile] ?? defaultProfile(vendor);
    this.mem = createMemory(o.memoryBytes);
    if (image.origin < 0 || image.origin + image.bytes.length > this.mem.size) {
      throw new RangeError(
        `the program (${image.bytes.length} bytes at 0x${image.origin.toString(16)}) does not fit in ${o.memoryBytes} bytes of RAM`,
      );
    }
    this.kvm = new KvmMachine(
      {
        vendor,
        irqchip: o.irqchip,
        exitHypercallMask: o.exitHypercallMask,
        fixHypercallQuirk: o.fixHypercallQuirk,
        enforcePvFeatureCpuid: o.enforcePvFeatureCpuid,
        policy: o.policy,
        profile,
      },
      this.mem,
      this.trace,
      this,
    );
    this.setUp(image, profile.ioctl);
  }

  /** The set-up ioctl sequence (each recorded as an 'ioctl' phase on the VMM lane). */
  private setUp(image: GuestImage, cost: number): void {
    const o = this.options;
    let t = 0;
    const ioctl = (text: string): void => {
      this.kvm.ioctl(text, t);
      t += cost;
    };
    ioctl('ioctl(/dev/kvm, KVM_GET_API_VERSION) = 12');
    ioctl('ioctl(/dev/kvm, KVM_CREATE_VM, 0) = vm_fd');
    if (o.vendor === 'intel') ioctl('ioctl(vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000)');
    if (o.irqchip) ioctl('ioctl(vm_fd, KVM_CREATE_IRQCHIP)');
    ioctl(
      `ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, {slot 0, guest_phys_addr 0x0, memory_size 0x${this.mem.size.toString(16)}})`,
    );
    loadBytes(this.mem, image.origin, image.bytes);
    if (o.exitHypercallMask) {
      ioctl(
        `ioctl(vm_fd, KVM_ENABLE_CAP, {cap KVM_CAP_EXIT_HYPERCALL (${KVM_CAP.EXIT_HYPERCALL}), args[0] 0x${o.exitHypercallMask.toString(16)}})`,
      );
    }
    if (!o.fixHypercallQuirk) {
      ioctl(
        `ioctl(vm_fd, KVM_ENABLE_CAP, {cap KVM_CAP_DISABLE_QUIRKS2 (${KVM_CAP.DISABLE_QUIRKS2}), args[0] 0x${KVM_X86_QUIRK_FIX_HYPERCALL_INSN.toString(16)}})`,
      );
    }
    for (let id = 0; id < o.vcpus; id++) {
      ioctl(`ioctl(vm_fd, KVM_CREATE_VCPU, ${id}) = vcpu_fd[${id}]`);
      if (id === 0)
        ioctl('ioctl(/dev/kvm, KVM_GET_VCPU_MMAP_SIZE) = 12288; mmap(vcpu_fd) → struct kvm_run');
      const cpu = new Vcpu(createCpuState({ id, entry: image.entry }), this.mem);
      this.kvm.addVcpu(cpu, defaultCpuid(o.vendor, id, o.pvFeatures));
      ioctl(
        `ioctl(vcpu_fd[${id}], KVM_SET_CPUID2, {0x40000000: "KVMKVMKVM", 0x40000001: eax 0x${o.pvFeatures.toString(16)}, …})`,
      );
      if (o.enforcePvFeatureCpuid)
        ioctl(
          `ioctl(vcpu_fd[${id}], KVM_ENABLE_CAP, {cap KVM_CAP_ENFORCE_PV_FEATURE_CPUID (${KVM_CAP.ENFORCE_PV_FEATURE_CPUID})})`,
        );
      ioctl(
        `ioctl(vcpu_fd[${id}], KVM_SET_SREGS, {cr0 0x80050033, cr4 0x20, efer 0x501, cs 0x8 (L=1), ds/es/ss 0x10})`,
      );
      ioctl(
        `ioctl(vcpu_fd[${id}], KVM_SET_REGS, {rip 0x${image.entry.toString(16)}, rsp 0x80000, rdi ${id}, rflags 0x2})`,
      );
    }
    // The timer device's eventfd: writing it raises GSI 0 in the kernel, no KVM_RUN round trip.
    if (o.irqchip) ioctl('ioctl(vm_fd, KVM_IRQFD, {fd timer_eventfd, gsi 0})');
    for (let id = 0; id < o.vcpus; id++) {
      ioctl(`ioctl(vcpu_fd[${id}], KVM_RUN)`);
      this.kvm.startRun(id, t);
    }
  }

  // ── Userspace: the VMM's switch (run->exit_reason) ─────────────────────

  handleExit(id: number, run: KvmRun, _mem: GuestMemory, now: number): boolean {
    void id;
    switch (run.exit_reason) {
      case KVM_EXIT.IO: {
        const io = run.io;
        if (io.direction === KVM_EXIT_IO_OUT) {
          for (const x of io.data) portWrite(this.devices, io.port, io.size, x);
        } else {
          io.data = Array.from({ length: io.count }, () =>
            portRead(this.devices, io.port, io.size),
          );
        }
        return true;
      }
      case KVM_EXIT.MMIO: {
        const m = run.mmio;
        if (m.is_write) {
          if (isMmio(m.phys_addr)) mmioWrite(this.devices, m.phys_addr, m.len, m.data, now);
        } else {
          m.data = isMmio(m.phys_addr)
            ? mmioRead(this.devices, m.phys_addr, m.len)
            : (1n << BigInt(8 * m.len)) - 1n;
        }
        return true;
      }
      case KVM_EXIT.HYPERCALL:
        // KVM_HC_MAP_GPA_RANGE: this VMM has no private memory to convert; report success.
        run.hypercall.ret =
          run.hypercall.nr === BigInt(KVM_HC.MAP_GPA_RANGE) ? 0n : BigInt(-KVM_E.ENOSYS);
        return true;
      default:
        // KVM_EXIT_HLT, KVM_EXIT_SHUTDOWN, KVM_EXIT_INTERNAL_ERROR, …: this vCPU is done.
        return false;
    }
  }

  /** The timer's next expiry (it needs the in-kernel irqchip: KVM_IRQFD). */
  nextDeadline(): number {
    const t = this.devices.timer;
    return this.options.irqchip && t.next >= 0 ? t.next : Infinity;
  }

  /** The timer expires: its irqfd raises GSI 0 → TIMER_VECTOR on vCPU 0. */
  fireDeadline(): { vector: number; target: number } {
    const t = this.devices.timer;
    t.next += t.period;
    return { vector: TIMER_VECTOR, target: 0 };
  }

  // ── running ────────────────────────────────────────────────────────────

  /** One step of the machine (see KvmMachine.step). */
  step(maxInstructions?: number): StepResult {
    return this.kvm.step(maxInstructions);
  }

  /**
   * Run until every vCPU has stopped or is halted with nothing pending, or
   * `maxSteps` guest instructions have retired.
   */
  run(maxSteps = 10_000_000): { stop: StopName } {
    const r = this.kvm.run(maxSteps);
    if (r.kind !== 'idle') return { stop: 'budget' };
    return { stop: r.why === 'all-halted' ? 'all-halted' : this.stopName() };
  }

  /**
   * Done with this VM: its trace's memory goes to the next VM's trace
   * (Trace.release). The VM must not be run or read afterwards.
   */
  release(): void {
    this.trace.release();
  }

  /** The KVM_EXIT_* that stopped the (last) vCPU. */
  stopName(): StopName {
    const reasons = this.kvm.vcpus.map((v) => v.stopReason).filter((r) => r >= 0);
    return reasons.length ? kvmExitName(reasons[reasons.length - 1]) : 'budget';
  }
}
