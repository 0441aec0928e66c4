/**
 * `trace-cmd report` text (with or without the kvm plugin; also the kernel's
 * own /sys/kernel/tracing/trace and `perf script` lines) → exit statistics.
 *
 * A line is `comm-pid [cpu] flags? timestamp: event: payload` (ftrace,
 * trace-cmd; the flags column is there with latency output) or
 * `comm pid [cpu] timestamp: kvm:event: payload` (perf script). The comm may
 * contain spaces and dashes (QEMU names its vCPU threads "CPU 0/KVM").
 * Payloads: traceCmdEvents.ts.
 *
 * Which vCPU exited: the kvm_exit line's own "vcpu N" (kernels since the
 * 2019 "Trace vcpu_id for vmexit" patch), else the vCPU that thread's
 * kvm_entry lines name (as perf kvm stat pairs them: "Only kvm_entry
 * records vcpu id"), else a QEMU/kvmtool vCPU thread name; otherwise the
 * exit is not counted in byVcpu.
 * Time of an exit: from its kvm_exit to the next kvm_entry on the same
 * thread (perf kvm stat's VM-EXIT event), in µs; an exit with no later
 * kvm_entry is counted but not timed. A kvm_userspace_exit in between marks
 * the exit as handled in userspace.
 * Vendor: the reason names seen, else the `isa` fields, else the caller's
 * hint; reasons printed as bare numbers are read with it (Intel if nothing
 * says, as the kvm plugin assumes isa = 1 when the field is missing).
 */
import { isaVendor, readReason, reasonName, type ReasonToken, type Vendor } from './exitNames';
import { ExitTally } from './tally';
import {
  parseKvmEntry,
  parseKvmExit,
  parseKvmHypercall,
  parseKvmMmio,
  parseKvmMsr,
  parseKvmPio,
  parseKvmUserspaceExit,
} from './traceCmdEvents';
import { buildTimeline } from './timeline';
import { emptyImport, UNPARSED_KEPT, type HostTraceImport, type ImportOptions } from './types';

const FTRACE_LINE =
  /^\s*(.+?)-(\d+)\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[(\d+)\]\s+(?:[a-zA-Z0-9.]{4,6}\s+)?(\d+)\.(\d+):\s+(?:\w+:)?(\w+):(?:\s+(.*))?$/;
const PERF_SCRIPT_LINE =
  /^\s*(.+?)\s+(\d+)\s+\[(\d+)\]\s+(\d+)\.(\d+):\s+(?:\w+:)?(\w+):(?:\s+(.*))?$/;
/** Lines that carry no event but belong to the format: headers, comments, lost-event notes. */
const FRAMING =
  /^(?:\s*#.*|cpus=\d+|version\s*=.*|CPU \d+ is empty|CPU:\s*\d+ \[LOST \d+ EVENTS\]|\s*)$/;

/** One line's framing. */
interface Line {
  comm: string;
  pid: number;
  /** Nanoseconds. */
  ns: number;
  event: string;
  payload: string;
}

function frame(text: string): Line | undefined {
  const m = FTRACE_LINE.exec(text) ?? PERF_SCRIPT_LINE.exec(text);
  if (!m) return undefined;
  const frac = m[5].padEnd(9, '0').slice(0, 9);
  return {
    comm: m[1].trim(),
    pid: Number(m[2]),
    ns: Number(m[4]) * 1e9 + Number(frac),
    event: m[6],
    payload: (m[7] ?? '').trim(),
  };
}

interface ExitRec {
  ns: number;
  end?: number;
  pid: number;
  comm: string;
  vcpu?: number;
  token: ReasonToken;
  isa?: number;
  handled: 0 | 1;
}

/** The vCPU a thread name says: QEMU "CPU 3/KVM", kvmtool "kvm-vcpu-3". */
function commVcpu(comm: string): number | undefined {
  const m = /^CPU (\d+)\/KVM$/.exec(comm) ?? /^kvm-vcpu-(\d+)$/.exec(comm);
  return m ? Number(m[1]) : undefined;
}

const bump = (r: Record<string, number>, k: string): void => {
  r[k] = (r[k] ?? 0) + 1;
};

/** Import trace-cmd report text. Never throws. */
export function importTraceCmd(text: string, options: ImportOptions = {}): HostTraceImport {
  const exits: ExitRec[] = [];
  const open = new Map<number, ExitRec>();
  const pidVcpu = new Map<number, number>();
  const result: HostTraceImport = emptyImport('trace-cmd');
  const unparsed = (line: number, s: string): void => {
    result.unparsed++;
    if (result.unparsedLines.length < UNPARSED_KEPT) result.unparsedLines.push({ line, text: s });
  };
  let first: number | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const l = frame(raw);
    if (!l) {
      if (!FRAMING.test(raw)) unparsed(i + 1, raw);
      return;
    }
    first ??= l.ns;
    if (!l.event.startsWith('kvm_')) return;
    const ok = readEvent(l, exits, open, pidVcpu, result);
    if (ok) bump(result.kvmEvents, l.event);
    else unparsed(i + 1, raw);
  });

  const vendor = pickVendor(exits, options.isa);
  result.vendor = vendor;
  const codeVendor = vendor ?? options.isa ?? 'intel';
  const tally = new ExitTally();
  const names: string[] = [];
  for (const x of exits) {
    const v = x.isa !== undefined ? (isaVendor(x.isa) ?? codeVendor) : codeVendor;
    const name = x.token.kind === 'name' ? x.token.name : reasonName(v, x.token.code);
    names.push(name);
    x.vcpu ??= pidVcpu.get(x.pid) ?? commVcpu(x.comm);
    tally.add(name, x.vcpu, x.end !== undefined ? (x.end - x.ns) / 1000 : undefined);
  }
  result.exits = tally.exits;
  result.byReason = tally.byReason();
  result.byVcpu = tally.byVcpu();
  const rows = exits.map((x, i) => ({
    time: x.ns,
    end: x.end ?? x.ns,
    vcpu: x.vcpu,
    reason: names[i],
    userspace: x.handled === 1,
  }));
  result.timeline = buildTimeline(rows, first ?? 0);
  return result;
}

/** Apply one kvm_* line; false if its payload is not understood. */
function readEvent(
  l: Line,
  exits: ExitRec[],
  open: Map<number, ExitRec>,
  pidVcpu: Map<number, number>,
  result: HostTraceImport,
): boolean {
  switch (l.event) {
    case 'kvm_exit': {
      const p = parseKvmExit(l.payload);
      if (!p) return false;
      const token: ReasonToken =
        p.reason !== undefined ? readReason(p.reason) : { kind: 'code', code: p.code ?? 0 };
      const rec: ExitRec = {
        ns: l.ns,
        pid: l.pid,
        comm: l.comm,
        vcpu: p.vcpu,
        token,
        isa: p.isa,
        handled: 0,
      };
      exits.push(rec);
      open.set(l.pid, rec);
      if (p.vcpu !== undefined) pidVcpu.set(l.pid, p.vcpu);
      return true;
    }
    case 'kvm_entry': {
      const p = parseKvmEntry(l.payload);
      if (!p) return false;
      pidVcpu.set(l.pid, p.vcpu);
      const rec = open.get(l.pid);
      if (rec) {
        rec.end = l.ns;
        open.delete(l.pid);
      }
      return true;
    }
    case 'kvm_userspace_exit': {
      const p = parseKvmUserspaceExit(l.payload);
      if (!p) return false;
      const rec = open.get(l.pid);
      if (p.exit) {
        bump(result.userspaceExits, p.exit);
        if (rec) rec.handled = 1;
      }
      return true;
    }
    case 'kvm_hypercall': {
      const p = parseKvmHypercall(l.payload);
      if (p) bump(result.hypercalls, p.nr);
      return !!p;
    }
    case 'kvm_pio':
      return !!parseKvmPio(l.payload);
    case 'kvm_mmio':
      return !!parseKvmMmio(l.payload);
    case 'kvm_msr':
      return !!parseKvmMsr(l.payload);
    default:
      return true; // another KVM tracepoint: understood, not used
  }
}

/** The vendor the exits' names or isa fields prove (majority), else the hint, else null. */
function pickVendor(exits: readonly ExitRec[], hint: Vendor | undefined): Vendor | null {
  let intel = 0;
  let amd = 0;
  for (const x of exits) {
    const v =
      x.token.kind === 'name' ? x.token.vendor : x.isa !== undefined ? isaVendor(x.isa) : null;
    if (v === 'intel') intel++;
    else if (v === 'amd') amd++;
  }
  if (intel !== amd) return intel > amd ? 'intel' : 'amd';
  return hint ?? null;
}
