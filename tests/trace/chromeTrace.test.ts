/**
 * The Chrome Trace Event export of the golden programs keeps the format's
 * rules (chromeTraceRules.ts), is deterministic, and imports back to the
 * run's exit counts per reason and per vCPU.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { hypercallName, kvmExitName } from '../../src/core/kvm/constants';
import { HOST_FUNCTIONS } from '../../src/core/kvm/hostFunctions';
import {
  CHROME_MAIN_TID,
  chromeTraceJson,
  chromeVcpuTid,
  exportChromeTrace,
  type ChromeTrace,
} from '../../src/core/trace/chromeTrace';
import { importHostTrace } from '../../src/core/trace/import';
import { EXIT_DATA } from '../../src/core/trace/trace';
import { chromeTraceOf } from '../../src/core/vmm/exportTrace';
import { Vmm, type VmOptions } from '../../src/core/vmm/vmm';
import { traceEventRuleViolations } from './chromeTraceRules';

const GOLDEN = join(import.meta.dirname, '../golden');
const programs = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.s'))
  .sort();

function run(file: string): Vmm {
  const src = readFileSync(join(GOLDEN, file), 'utf8');
  const options = JSON.parse(/^; options: (.*)$/m.exec(src)?.[1] ?? '{}') as VmOptions;
  const a = assemble(src);
  const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry }, options);
  vmm.run(1_000_000);
  return vmm;
}

/** The export as the CLI and the Worker make it. */
const exportOf = (vmm: Vmm): ChromeTrace => chromeTraceOf(vmm);

/** The run's exits counted per reason and per vCPU, from the trace's exit rows. */
function runCounts(vmm: Vmm) {
  const byReason: Record<string, number> = {};
  const byVcpu: Record<string, number> = {};
  for (let i = 0; i < vmm.trace.exitCount; i++) {
    const r = vmm.trace.exitRow(i);
    byReason[r.name] = (byReason[r.name] ?? 0) + 1;
    byVcpu[r.vcpu] = (byVcpu[r.vcpu] ?? 0) + 1;
  }
  return { byReason, byVcpu };
}

describe('Chrome Trace Event export', () => {
  it('covers several golden programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of programs) {
    describe(file, () => {
      const vmm = run(file);
      const trace = exportOf(vmm);
      const ev = trace.traceEvents;

      it('keeps the Trace Event Format rules', () => {
        expect(trace.displayTimeUnit).toBe('ns');
        expect(traceEventRuleViolations(trace)).toEqual([]);
      });

      it('is deterministic', () => {
        expect(JSON.stringify(exportOf(run(file)))).toBe(JSON.stringify(trace));
      });

      it('has one exit slice per exit, with a flow from the guest instruction to its handler', () => {
        const exits = ev.filter((e) => e.ph === 'X' && e.cat === 'exit');
        expect(exits.map((e) => e.args?.exit)).toHaveLength(vmm.trace.exitCount);
        expect(new Set(exits.map((e) => e.args?.exit)).size).toBe(vmm.trace.exitCount);
        const handled = ev.filter(
          (e) => e.ph === 'X' && e.cat === 'handle' && e.args?.exit !== undefined,
        );
        const flows = ev.filter((e) => e.ph === 's' && e.cat === 'exit-flow');
        expect(flows).toHaveLength(handled.length);
        // An instant per handled hypercall, inside the handler.
        const hypercalls = handled.filter(
          (e) => vmm.trace.exKind[e.args?.exit as number] === EXIT_DATA.hypercall,
        );
        expect(ev.filter((e) => e.ph === 'i' && e.cat === 'hypercall')).toHaveLength(
          hypercalls.length,
        );
      });

      it('names the VMM process, its main thread and one thread per vCPU', () => {
        const names = ev.filter((e) => e.ph === 'M' && e.name === 'thread_name');
        expect(names.map((e) => [e.tid, e.args?.name])).toEqual([
          [CHROME_MAIN_TID, 'VMM main (ioctls, devices)'],
          ...vmm.kvm.cpus.map((_, n) => [chromeVcpuTid(n), `vCPU ${n}`]),
        ]);
        expect(
          ev
            .filter((e) => e.ph === 'X' && e.cat === 'ioctl')
            .every((e) => e.tid === CHROME_MAIN_TID),
        ).toBe(true);
      });

      it('imports back to the same exit counts per reason and per vCPU', () => {
        const text = chromeTraceJson(trace);
        expect(JSON.parse(text)).toEqual(trace);
        const imported = importHostTrace(text);
        const expected = runCounts(vmm);
        expect(imported.format).toBe('chrome-trace');
        expect(imported.vendor).toBe(vmm.options.vendor);
        expect(imported.unparsed).toBe(0);
        expect(imported.exits).toBe(vmm.trace.exitCount);
        expect(
          Object.fromEntries(Object.entries(imported.byReason).map(([k, v]) => [k, v.count])),
        ).toEqual(expected.byReason);
        expect(imported.byVcpu).toEqual(expected.byVcpu);
      });
    });
  }

  it('times an in-kernel VMCALL as the profile round trip (1 cycle = 1 ns)', () => {
    const vmm = run('01-vmcall.s');
    const p = vmm.kvm.config.profile;
    const vmcall = exportOf(vmm).traceEvents.find((e) => e.cat === 'exit' && e.name === 'VMCALL');
    expect(vmcall?.dur).toBe((p.vmExit + p.dispatch + p.handle.hypercall + p.resume) / 1000);
    expect(vmcall?.args).toMatchObject({
      reason: 'VMCALL',
      code: 18,
      handledIn: 'kernel',
      kvmExit: null,
    });
    expect(vmcall?.args?.hypercall).toMatchObject({ ret: expect.stringMatching(/^0x/) });
  });

  it('links an irqfd write and a kick to the vCPU they wake', () => {
    const irq = exportOf(run('16-timer-irq.s')).traceEvents.filter((e) => e.cat === 'wake-flow');
    expect(irq.length).toBeGreaterThan(0);
    expect(irq.filter((e) => e.ph === 's').every((e) => e.tid === CHROME_MAIN_TID)).toBe(true);
    const kick = exportOf(run('08-kick-cpu.s')).traceEvents.filter((e) => e.cat === 'wake-flow');
    expect(kick.map((e) => [e.ph, e.tid])).toEqual([
      ['s', chromeVcpuTid(0)],
      ['f', chromeVcpuTid(1)],
    ]);
  });

  it('takes another clock rate', () => {
    const vmm = run('01-vmcall.s');
    const slow = exportChromeTrace({
      trace: vmm.trace,
      vendor: vmm.options.vendor,
      profile: vmm.kvm.config.profile,
      hostFunctions: HOST_FUNCTIONS,
      kvmExitName,
      hypercallName,
      cyclesPerMicrosecond: 2000,
    });
    const fast = exportOf(vmm);
    const dur = (t: ChromeTrace) => t.traceEvents.find((e) => e.cat === 'exit')?.dur ?? 0;
    expect(dur(slow) * 2).toBeCloseTo(dur(fast), 9);
    expect(traceEventRuleViolations(slow)).toEqual([]);
  });
});
