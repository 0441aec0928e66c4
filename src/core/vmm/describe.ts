/**
 * Words for events: what each recorded phase did, with the values it read
 * and wrote ("nr = RAX = 0xb → KVM_HC_SCHED_YIELD", "RIP += 3"). Built on
 * demand from the trace's numbers (events store no text), for the flow
 * diagram, the debugger's call chain, golden traces and the CLI.
 */
import { decode } from '../isa/decoder';
import { formatInsn } from '../isa/disassembler';
import { hypercallName, KVM_E, kvmExitName } from '../kvm/constants';
import { HOST_FUNCTIONS, READS_WRITES } from '../kvm/hostFunctions';
import { EXIT_DATA, PHASES, VMM_LANE, type Trace } from '../trace/trace';
import { exitHandlers, formatExitCode } from '../vmx/exitReasons';
import type { Vmm } from './vmm';

const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

/** A signed view of a 64-bit result for display: -1000 rather than 0xffff…fc18. */
function showRet(v: bigint): string {
  const s = BigInt.asIntN(64, v);
  const name = Object.entries(KVM_E).find(([, n]) => BigInt(-n) === s)?.[0];
  return s < 0n ? `${s}${name ? ` (-KVM_${name})` : ''}` : hex(v);
}

export interface EventView {
  index: number;
  time: number;
  /** vCPU index, or 'vmm'. */
  lane: number | 'vmm';
  phase: string;
  chain: readonly string[];
  source: string;
  /** The exit this event belongs to, or -1. */
  exit: number;
  text: string;
  /** What the phase reads and writes (registers, VMCS/VMCB and kvm_run fields). */
  reads: readonly string[];
  writes: readonly string[];
}

function insnAt(vmm: Vmm, rip: number): string {
  if (rip < 0 || rip >= vmm.mem.size) return '(outside RAM)';
  const insn = decode(vmm.mem.bytes, rip, Math.min(vmm.mem.size, rip + 15));
  const bytes = insn.ok
    ? Array.from(vmm.mem.bytes.subarray(rip, rip + insn.length), (b) =>
        b.toString(16).padStart(2, '0').toUpperCase(),
      ).join(' ')
    : '';
  return insn.ok ? `${formatInsn(insn, rip)} (${bytes})` : '(undecodable)';
}

function handleText(vmm: Vmm, t: Trace, x: number, key: string): string {
  const kind = t.exKind[x];
  const w = (k: number): bigint => t.word(x, k);
  const toUser =
    t.exKvm[x] >= 0 ? `; KVM_RUN returns to userspace with ${kvmExitName(t.exKvm[x])}` : '';
  switch (kind) {
    case EXIT_DATA.hypercall: {
      const nr = w(0);
      const name = hypercallName(nr);
      if (key.startsWith('handle:hypercall-eperm'))
        return `CPL ≠ 0: no hypercall runs; kvm_run.hypercall.ret ← -KVM_EPERM (-1)`;
      const args = `a0 = RBX = ${hex(w(1))}, a1 = RCX = ${hex(w(2))}, a2 = RDX = ${hex(w(3))}, a3 = RSI = ${hex(w(4))}`;
      return `nr = RAX = ${hex(nr)} → ${name ?? 'no such hypercall'}; ${args}; result ${showRet(w(5))} staged in kvm_run.hypercall.ret${toUser}`;
    }
    case EXIT_DATA.cpuid:
      return `leaf EAX = ${hex(w(0))}, subleaf ECX = ${hex(w(1))} → EAX ${hex(w(2))}, EBX ${hex(w(3))}, ECX ${hex(w(4))}, EDX ${hex(w(5))}; RIP += 2`;
    case EXIT_DATA.io: {
      const out = w(2) === 1n;
      return `port ${hex(w(0))}, ${w(1)} byte${w(1) > 1n ? 's' : ''}, ${out ? `OUT ${hex(w(3))}` : 'IN'}${w(4) > 1n ? `, count ${w(4)}` : ''}: no in-kernel device owns it${toUser}`;
    }
    case EXIT_DATA.mmio:
      return `${w(2) === 1n ? `write of ${hex(w(3))}` : 'read'} (${w(1)} bytes) at guest-physical ${hex(w(0))}: no memslot → the instruction is emulated${w(2) === 1n ? ' (RIP advanced)' : ''}${toUser}`;
    case EXIT_DATA.msr:
      return `MSR ${hex(w(0))} ${w(2) === 1n ? `← ${hex(w(1))}` : `→ ${hex(w(1))}`}`;
    case EXIT_DATA.exception:
      if (key.startsWith('handle:ud:')) {
        return `#UD from the other vendor's hypercall instruction: emulator_fix_hypercall writes the native opcode over it (${vmm.options.vendor === 'intel' ? '0F 01 C1' : '0F 01 D9'}); RIP unchanged, so the guest re-executes it`;
      }
      return `exception ${w(0)} (error code ${hex(w(1))}) is queued for the guest (kvm_queue_exception)`;
    default:
      if (key === 'handle:hlt') {
        return t.exKvm[x] >= 0
          ? `local APIC in userspace: RIP += 1${toUser}`
          : 'RIP += 1; nothing pending → KVM_MP_STATE_HALTED';
      }
      if (key.includes('triple-fault')) return `the guest shut down${toUser}`;
      return `handled in the kernel${toUser}`;
  }
}

function userspaceDetail(row: ReturnType<Trace['exitRow']>): string {
  if (row.hypercall) return ` (KVM_EXIT_HYPERCALL nr ${row.hypercall.nr}: sets run->hypercall.ret)`;
  return '';
}

/** Describe event `i` of the VMM's trace. */
export function describeEvent(vmm: Vmm, i: number): EventView {
  const t = vmm.trace;
  const fn = HOST_FUNCTIONS[t.fn[i]];
  const phase = PHASES[t.phase[i]];
  const x = t.exit[i];
  const lane = t.vcpu[i] === VMM_LANE ? ('vmm' as const) : t.vcpu[i];
  const vendor = vmm.options.vendor;
  let text = '';
  const row = x >= 0 ? t.exitRow(x) : undefined;
  switch (phase) {
    case 'ioctl':
      text = t.detailText(i) ?? 'ioctl';
      break;
    case 'guest':
      text = row
        ? `${insnAt(vmm, row.rip)} at RIP ${hex(row.rip)} cannot retire in guest mode: it exits`
        : '';
      break;
    case 'vm-exit':
      if (row) {
        text =
          vendor === 'intel'
            ? `VM exit: VMCS exit reason ${row.code} (${row.name}), VM-exit instruction length ${row.length}, exit qualification ${hex(row.qualification)}${row.gpa ? `, guest-physical address ${hex(row.gpa)}` : ''}; guest state saved in the VMCS, host state loaded`
            : `#VMEXIT: VMCB exit_code ${formatExitCode(vendor, row.code)} (${row.name}), EXITINFO1 ${hex(row.qualification)}${row.length ? `, next_rip ${hex(row.rip + row.length)}` : ''}; guest state saved in the VMCB`;
      }
      break;
    case 'dispatch':
      if (row) {
        const h = exitHandlers(vendor)[row.code];
        text = `${vendor === 'intel' ? 'kvm_vmx_exit_handlers' : 'svm_exit_handlers'}[${formatExitCode(vendor, row.code)}] = ${h?.handler ?? 'none: unexpected exit reason'}`;
      }
      break;
    case 'intercept':
      text = 'an interception rule matched this hypercall';
      break;
    case 'handle':
      text = row ? handleText(vmm, t, x, fn.key) : '';
      break;
    case 'userspace':
      if (row && row.kvmExit >= 0) {
        const name = kvmExitName(row.kvmExit);
        const stops =
          name === 'KVM_EXIT_HLT' ||
          name === 'KVM_EXIT_SHUTDOWN' ||
          name === 'KVM_EXIT_INTERNAL_ERROR';
        text = stops
          ? `KVM_RUN returned ${name}: the VMM stops this vCPU`
          : `KVM_RUN returned: the VMM handles ${name}${userspaceDetail(row)} and calls KVM_RUN again`;
      } else text = 'the VMM handles the exit';
      break;
    case 'resume':
      if (row?.hypercall)
        text = `RAX ← ${showRet(row.hypercall.ret)}; RIP += ${row.length} (VM-exit instruction length) → ${hex(row.rip + row.length)}; VM entry`;
      else if (
        row &&
        (fn.key === 'resume:pio-out' || fn.key === 'resume:pio-in' || fn.key === 'resume:skip')
      )
        text = `${fn.key === 'resume:pio-in' ? `RAX ← the VMM's data ${hex(t.word(x, 3))}; ` : ''}RIP += ${row.length} (VM-exit instruction length) → ${hex(row.rip + row.length)}; VM entry`;
      else if (row && fn.key === 'resume:mmio')
        text = `the instruction is emulated again with the VMM's data ${hex(t.word(x, 3))} and retires; VM entry`;
      else if (row && fn.key !== 'resume:entry' && fn.key !== 'resume:inject') text = 'VM entry';
      else
        text =
          fn.key === 'resume:inject'
            ? 'the queued exception is injected on VM entry'
            : 'VM entry: the guest runs';
      break;
    case 'block':
      text = 'the vCPU thread sleeps until an interrupt or a kick';
      break;
    case 'wake':
      text = 'woken: runnable again';
      break;
    case 'irq':
      text =
        'the VMM timer expires and writes its irqfd: KVM routes GSI 0 through the in-kernel IOAPIC to vCPU 0 as vector 0x20 (no KVM_RUN round trip)';
      break;
  }
  const rw = READS_WRITES[fn.key];
  return {
    index: i,
    time: t.time[i],
    lane,
    phase,
    chain: fn.chain,
    source: fn.source,
    exit: x,
    text,
    reads: rw?.reads ?? [],
    writes: rw?.writes ?? [],
  };
}

/** The whole trace as text, one event a line (golden files, CLI). */
export function formatTrace(vmm: Vmm): string {
  const lines: string[] = [];
  for (let i = 0; i < vmm.trace.length; i++) {
    const e = describeEvent(vmm, i);
    const lane = e.lane === 'vmm' ? 'vmm  ' : `vcpu${e.lane}`;
    lines.push(
      `${String(e.time).padStart(9)} ${lane} ${e.phase.padEnd(9)} ${e.chain.join(' → ')}${e.source ? ` [${e.source}]` : ''}\n${' '.repeat(26)}${e.text}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
