/**
 * Builds the page's picture of the machine (viewTypes.ts) from a Session:
 * registers, the last exit's VMCS/VMCB fields, kvm_run, memory, stack,
 * disassembly around RIP and the latest phase in words. Pure reads: building
 * a view never changes the machine, so it can run after every command.
 */
import { formatInsn } from '../isa/disassembler';
import { decode } from '../isa/decoder';
import type { SourceMapEntry } from '../isa/results';
import { FLAG, GPR_NAMES, getReg64 } from '../cpu/state';
import { getRflags } from '../cpu/flags';
import { jitAvailable } from '../cpu/jit/block';
import { hypercallName, kvmExitName } from '../kvm/constants';
import type { KvmRun } from '../kvm/kvmRun';
import { describeEvent } from '../vmm/describe';
import type { Vmm } from '../vmm/vmm';
import type { Trace } from '../trace/trace';
import type {
  DisasmLine,
  ExitView,
  FlagBit,
  MachineView,
  MemoryView,
  NamedValue,
  PhaseView,
  StackEntry,
  VcpuView,
} from './viewTypes';

const hex64 = (v: bigint | number): string =>
  `0x${BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0')}`;
const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

/** Bytes the memory view shows at once. */
export const MEMORY_WINDOW = 128;

const SHOWN_FLAGS: readonly (keyof typeof FLAG)[] = [
  'CF',
  'PF',
  'AF',
  'ZF',
  'SF',
  'TF',
  'IF',
  'DF',
  'OF',
];

/** Source line lookup by instruction address. */
export type LineMap = ReadonlyMap<number, number>;

/** The address → line map of an assembled program's instructions. */
export function lineMap(sourceMap: readonly SourceMapEntry[]): LineMap {
  const m = new Map<number, number>();
  for (const e of sourceMap) if (e.isInsn && !m.has(e.address)) m.set(e.address, e.line);
  return m;
}

function vcpuView(vmm: Vmm, id: number, lines: LineMap): VcpuView {
  const cpu = vmm.kvm.cpus[id];
  const s = cpu.state;
  const v = vmm.kvm.vcpus[id];
  const rflags = getRflags(s);
  const regs: NamedValue[] = GPR_NAMES.map((name, i) => ({
    name,
    value: hex64(getReg64(s, i)),
  }));
  regs.push({ name: 'rip', value: hex64(s.rip) }, { name: 'rflags', value: hex64(rflags) });
  const flags: FlagBit[] = SHOWN_FLAGS.map((name) => {
    const mask = FLAG[name];
    return { name, bit: Math.log2(mask), set: (rflags & mask) !== 0 };
  });
  return {
    index: id,
    stage: v.stage,
    regs,
    flags,
    cpl: s.cpl,
    mode: 'long (64-bit)',
    halted: v.halted,
    instructions: s.icount,
    line: lines.get(s.rip) ?? null,
  };
}

function phaseView(vmm: Vmm, e: number): PhaseView {
  const d = describeEvent(vmm, e);
  return {
    index: d.index,
    time: d.time,
    vcpu: d.lane === 'vmm' ? -1 : d.lane,
    phase: d.phase,
    chain: [...d.chain],
    source: d.source,
    text: d.text,
    reads: [...d.reads],
    writes: [...d.writes],
    exit: d.exit,
  };
}

/** The last exit of vCPU `id`, or -1. */
function lastExitOf(t: Trace, id: number): number {
  for (let x = t.exitCount - 1; x >= 0; x--) if (t.exVcpu[x] === id) return x;
  return -1;
}

function exitView(vmm: Vmm, x: number): ExitView {
  const t = vmm.trace;
  const row = t.exitRow(x);
  const hc = row.hypercall;
  return {
    index: x,
    vcpu: row.vcpu,
    reason: row.name,
    code: row.code,
    rip: hex(row.rip),
    length: row.length,
    handledIn: row.handledIn,
    kvmExit: row.kvmExit >= 0 ? kvmExitName(row.kvmExit) : null,
    hypercall: hc
      ? {
          nr: hex(hc.nr),
          name: hypercallName(hc.nr) ?? 'unknown',
          args: hc.args.map(hex),
          ret: hex(hc.ret),
        }
      : null,
    structure: vmm.options.vendor === 'intel' ? 'VMCS' : 'VMCB',
    fields: vmm.kvm.controlFields(row.vcpu).map((f) => ({
      name: f.name,
      value: hex(f.value),
      note: f.note,
    })),
  };
}

/** struct kvm_run: exit_reason and the union member it selects. */
function kvmRunView(run: KvmRun): NamedValue[] {
  const out: NamedValue[] = [
    { name: 'exit_reason', value: `${run.exit_reason} (${kvmExitName(run.exit_reason)})` },
    { name: 'if_flag', value: String(run.if_flag) },
    { name: 'ready_for_interrupt_injection', value: String(run.ready_for_interrupt_injection) },
    { name: 'apic_base', value: hex(run.apic_base) },
  ];
  const name = kvmExitName(run.exit_reason);
  if (name === 'KVM_EXIT_IO') {
    const io = run.io;
    out.push(
      { name: 'io.direction', value: io.direction ? '1 (KVM_EXIT_IO_OUT)' : '0 (KVM_EXIT_IO_IN)' },
      { name: 'io.size', value: String(io.size) },
      { name: 'io.port', value: hex(io.port) },
      { name: 'io.count', value: String(io.count) },
      { name: 'io.data_offset', value: hex(io.data_offset) },
      { name: 'data', value: io.data.map((b) => hex(b)).join(' ') || '—' },
    );
  } else if (name === 'KVM_EXIT_MMIO') {
    out.push(
      { name: 'mmio.phys_addr', value: hex(run.mmio.phys_addr) },
      { name: 'mmio.data', value: hex(run.mmio.data) },
      { name: 'mmio.len', value: String(run.mmio.len) },
      { name: 'mmio.is_write', value: String(run.mmio.is_write) },
    );
  } else if (name === 'KVM_EXIT_HYPERCALL') {
    const h = run.hypercall;
    out.push(
      { name: 'hypercall.nr', value: hex(h.nr) },
      ...h.args.slice(0, 4).map((a, i) => ({ name: `hypercall.args[${i}]`, value: hex(a) })),
      { name: 'hypercall.ret', value: hex(h.ret) },
      { name: 'hypercall.flags', value: hex(h.flags) },
    );
  } else if (name === 'KVM_EXIT_EXCEPTION') {
    out.push(
      { name: 'ex.exception', value: String(run.ex.exception) },
      { name: 'ex.error_code', value: hex(run.ex.error_code) },
    );
  } else if (name === 'KVM_EXIT_INTERNAL_ERROR') {
    out.push(
      { name: 'internal.suberror', value: String(run.internal.suberror) },
      { name: 'internal.ndata', value: String(run.internal.ndata) },
    );
  }
  return out;
}

function memoryView(vmm: Vmm, address: number): MemoryView {
  const a = Math.max(0, Math.floor(address / 16) * 16);
  if (a >= vmm.mem.size) {
    return {
      address: a,
      bytes: [],
      error: `${hex(a)} is outside guest RAM (0x0–${hex(vmm.mem.size - 1)}): no memory slot`,
    };
  }
  const end = Math.min(vmm.mem.size, a + MEMORY_WINDOW);
  return { address: a, bytes: Array.from(vmm.mem.bytes.subarray(a, end)) };
}

function stackView(vmm: Vmm, id: number): StackEntry[] {
  const s = vmm.kvm.cpus[id].state;
  const rsp = Number(BigInt.asUintN(64, getReg64(s, 4)));
  const out: StackEntry[] = [];
  for (let i = 0; i < 8; i++) {
    const a = rsp + i * 8;
    if (a < 0 || a + 8 > vmm.mem.size) break;
    const dv = new DataView(vmm.mem.bytes.buffer, vmm.mem.bytes.byteOffset + a, 8);
    out.push({ address: a, value: hex64(dv.getBigUint64(0, true)), top: i === 0 });
  }
  return out;
}

/**
 * About `count` instructions from a little before RIP. Decoding backwards
 * is ambiguous on x86, so the start comes from the source map when RIP is
 * inside the program, else RIP itself.
 */
function disasmView(
  vmm: Vmm,
  id: number,
  sourceMap: readonly SourceMapEntry[],
  lines: LineMap,
  count = 12,
): DisasmLine[] {
  const rip = vmm.kvm.cpus[id].state.rip;
  const insns = sourceMap.filter((e) => e.isInsn);
  let start = rip;
  const at = insns.findIndex((e) => e.address === rip);
  if (at >= 0) start = insns[Math.max(0, at - 3)].address;
  const out: DisasmLine[] = [];
  const mem = vmm.mem;
  let a = start;
  while (out.length < count && a >= 0 && a < mem.size) {
    const d = decode(mem.bytes, a, Math.min(mem.size, a + 15));
    const len = d.ok ? d.length : 1;
    out.push({
      address: a,
      bytes: Array.from(mem.bytes.subarray(a, a + len), (b) =>
        b.toString(16).padStart(2, '0').toUpperCase(),
      ).join(' '),
      text: d.ok ? formatInsn(d, a) : '(bad)',
      line: lines.get(a) ?? null,
      current: a === rip,
    });
    a += len;
  }
  return out;
}

/** What the page needs besides the session: which vCPU and memory window it looks at. */
export interface ViewRequest {
  selected: number;
  memory: number | 'rip' | 'rsp';
  sourceMap: readonly SourceMapEntry[];
  lines: LineMap;
  /** Why the machine cannot go on, once it cannot (a KVM_EXIT_* name, 'all-halted', 'all-stopped'). */
  finishedWhy: string | null;
  /**
   * A progress view while a run goes on: memory, stack and disassembly are
   * left empty (the page keeps its last ones), which keeps each update small.
   */
  light?: boolean;
}

/** The whole MachineView of `vmm` now. */
export function buildView(vmm: Vmm, ticks: number, req: ViewRequest): MachineView {
  const k = vmm.kvm;
  const t = vmm.trace;
  const selected = Math.max(0, Math.min(req.selected, k.cpus.length - 1));
  const s = k.cpus[selected].state;
  const memAddress =
    req.memory === 'rip'
      ? s.rip
      : req.memory === 'rsp'
        ? Number(BigInt.asUintN(64, getReg64(s, 4)))
        : req.memory;
  const x = lastExitOf(t, selected);
  let time = 0;
  for (const v of k.vcpus) time = Math.max(time, v.clock);
  return {
    ticks,
    time,
    events: t.length,
    exits: t.exitCount,
    vendor: vmm.options.vendor,
    selected,
    vcpus: k.cpus.map((_, i) => vcpuView(vmm, i, req.lines)),
    phase: t.length > 0 ? phaseView(vmm, t.length - 1) : null,
    exit: x >= 0 ? exitView(vmm, x) : null,
    kvmRun: kvmRunView(k.vcpus[selected].run),
    memory: req.light ? { address: memAddress, bytes: [] } : memoryView(vmm, memAddress),
    stack: req.light ? [] : stackView(vmm, selected),
    disasm: req.light ? [] : disasmView(vmm, selected, req.sourceMap, req.lines),
    console: vmm.devices.console,
    engine: k.cpus[0]?.jit && jitAvailable() ? 'jit' : 'interpreter',
    finished: req.finishedWhy !== null,
    finishedWhy: req.finishedWhy,
  };
}
