/**
 * `cli run <file.s> [--vendor intel|amd] [--vcpus N] [--max-steps N] [--json]
 * [--trace out.json]`: assemble, boot the VM (DESIGN.md §5 machine), run it
 * to the end and print why it stopped, every exit, the registers and the
 * console (DESIGN.md §5 JSON contract with --json). `--trace` also writes
 * the run as Chrome Trace Event JSON (core/trace/chromeTrace.ts), for
 * chrome://tracing and the Perfetto UI.
 */
import { assemble } from '../core/isa';
import { GPR_NAMES, getReg64, getRflags } from '../core/cpu';
import { hypercallName, kvmExitName } from '../core/kvm/constants';
import { chromeTraceJson } from '../core/trace/chromeTrace';
import { chromeTraceOf } from '../core/vmm/exportTrace';
import { Vmm } from '../core/vmm/vmm';
import type { CliIo } from './asm';
import { parseVmOptions, type CliVmOptions } from './vmOptions';

const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

export interface RunArgs {
  file: string;
  vendor: 'intel' | 'amd';
  vcpus: number;
  maxSteps: number;
  json: boolean;
  /** Where to write the Chrome Trace Event export, if anywhere. */
  trace?: string;
  /** VMM options from `--vm '<json>'` (irqchip, exit-hypercall mask, quirk, interception rules). */
  vm?: CliVmOptions;
}

const USAGE =
  "usage: cli run <file.s> [--vendor intel|amd] [--vcpus N] [--max-steps N] [--vm '<json>'] [--json] [--trace out.json]";

export function parseRunArgs(args: string[]): RunArgs | string {
  const out: RunArgs = { file: '', vendor: 'intel', vcpus: 1, maxSteps: 10_000_000, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => args[++i];
    if (a === '--json') out.json = true;
    else if (a === '--trace') {
      const v = value();
      if (!v || v.startsWith('-')) return '--trace takes an output file name';
      out.trace = v;
    } else if (a === '--vm') {
      const vm = parseVmOptions(value() ?? '');
      if (typeof vm === 'string') return vm;
      out.vm = vm;
    } else if (a === '--vendor') {
      const v = value();
      if (v !== 'intel' && v !== 'amd') return `--vendor takes intel or amd, not '${v ?? ''}'`;
      out.vendor = v;
    } else if (a === '--vcpus' || a === '--max-steps') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || (a === '--vcpus' && n > 16))
        return `${a} takes a whole number${a === '--vcpus' ? ' from 1 to 16' : ' ≥ 1'}`;
      if (a === '--vcpus') out.vcpus = n;
      else out.maxSteps = n;
    } else if (a.startsWith('-')) return `unknown option '${a}'`;
    else if (!out.file) out.file = a;
    else return `unexpected argument '${a}'`;
  }
  return out.file ? out : USAGE;
}

/**
 * Run the machine and build the DESIGN.md §5 JSON object (`result`); `vmm`
 * is the machine after the run, for exports.
 */
export function runProgram(source: string, a: Omit<RunArgs, 'file' | 'json' | 'trace'>) {
  const asm = assemble(source);
  if (!asm.ok) return { ok: false as const, errors: asm.errors };
  const vmm = new Vmm(
    { bytes: asm.bytes, origin: asm.origin, entry: asm.entry },
    { vendor: a.vendor, vcpus: a.vcpus, ...a.vm },
  );
  const { stop } = vmm.run(a.maxSteps);
  const t = vmm.trace;
  const exits = Array.from({ length: t.exitCount }, (_, i) => {
    const row = t.exitRow(i);
    const e: Record<string, unknown> = {
      seq: i,
      vcpu: row.vcpu,
      reason: row.name,
      code: row.code,
      rip: hex(row.rip),
      handledIn: row.handledIn,
      kvmExit: row.kvmExit >= 0 ? kvmExitName(row.kvmExit) : null,
    };
    if (row.hypercall) {
      e.hypercall = {
        nr: Number(row.hypercall.nr),
        name: hypercallName(row.hypercall.nr) ?? null,
        args: row.hypercall.args.map(hex),
        ret: hex(row.hypercall.ret),
      };
    }
    return e;
  });
  const vcpus = vmm.kvm.cpus.map((cpu, id) => {
    const regs: Record<string, string> = {};
    GPR_NAMES.forEach((n, i) => (regs[n] = hex(getReg64(cpu.state, i))));
    regs.rip = hex(cpu.state.rip);
    regs.rflags = hex(getRflags(cpu.state));
    return { id, regs };
  });
  return {
    ok: true as const,
    result: { vendor: a.vendor, stop, vcpus, exits, console: vmm.devices.console },
    vmm,
  };
}

export function runRun(args: string[], io: CliIo): number {
  const a = parseRunArgs(args);
  if (typeof a === 'string') {
    io.err.write(`${a}\n`);
    return 2;
  }
  let source: string;
  try {
    source = io.readFile(a.file);
  } catch (e) {
    io.err.write(`cannot read ${a.file}: ${(e as Error).message}\n`);
    return 2;
  }
  let r: ReturnType<typeof runProgram>;
  try {
    r = runProgram(source, a);
  } catch (e) {
    io.err.write(`${a.file}: ${(e as Error).message}\n`);
    return 1;
  }
  if (!r.ok) {
    for (const e of r.errors)
      io.err.write(`${a.file}:${e.line}:${e.column}: error: ${e.message}\n`);
    return 1;
  }
  const res = r.result;
  if (a.trace) {
    const text = chromeTraceJson(chromeTraceOf(r.vmm));
    try {
      io.writeFile(a.trace, new TextEncoder().encode(text));
    } catch (e) {
      io.err.write(`cannot write ${a.trace}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  if (a.json) {
    io.out.write(`${JSON.stringify(res, null, 2)}\n`);
    return 0;
  }
  io.out.write(
    `stop: ${res.stop} (${res.vendor}, ${res.vcpus.length} vCPU${res.vcpus.length > 1 ? 's' : ''}, ${res.exits.length} exits)\n`,
  );
  for (const e of res.exits) {
    const hc = e.hypercall as { name: string | null; nr: number; ret: string } | undefined;
    io.out.write(
      `  #${e.seq} vcpu${e.vcpu} ${e.reason} (${e.code}) at ${e.rip} → ${e.handledIn}${e.kvmExit ? ` ${e.kvmExit}` : ''}${hc ? `  ${hc.name ?? `nr ${hc.nr}`} = ${hc.ret}` : ''}\n`,
    );
  }
  for (const v of res.vcpus) {
    io.out.write(
      `vcpu${v.id}: ${Object.entries(v.regs)
        .map(([k, x]) => `${k}=${x}`)
        .join(' ')}\n`,
    );
  }
  if (res.console) io.out.write(`console: ${JSON.stringify(res.console)}\n`);
  return 0;
}
