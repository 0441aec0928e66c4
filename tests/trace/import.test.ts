/**
 * Importing host traces: the fixtures in tests/fixtures are written from the
 * kernel's TP_printk formats (arch/x86/kvm/trace.h, include/trace/events/
 * kvm.h), trace-cmd's kvm plugin and perf's print_result(); each header
 * says which version. Counts per reason and per vCPU are exact.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectHostTraceFormat,
  importHostTrace,
  readReason,
  reasonName,
  type HostTraceImport,
} from '../../src/core/trace/import';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '../fixtures', name), 'utf8');
const counts = (r: HostTraceImport): Record<string, number> =>
  Object.fromEntries(Object.entries(r.byReason).map(([k, v]) => [k, v.count]));

interface Case {
  file: string;
  format: HostTraceImport['format'];
  vendor: 'intel' | 'amd' | null;
  byReason: Record<string, number>;
  byVcpu: Record<string, number>;
  unparsed: number;
  isa?: 'intel' | 'amd';
}

const CASES: Case[] = [
  {
    file: 'trace-cmd-linux4-raw.txt',
    format: 'trace-cmd',
    vendor: 'intel',
    byReason: {
      MSR_WRITE: 4,
      EPT_MISCONFIG: 2,
      EXTERNAL_INTERRUPT: 2,
      HLT: 2,
      IO_INSTRUCTION: 2,
      VMCALL: 1,
    },
    byVcpu: { '0': 9, '1': 4 },
    unparsed: 3,
  },
  {
    file: 'trace-cmd-linux6-raw.txt',
    format: 'trace-cmd',
    vendor: 'intel',
    byReason: {
      EPT_MISCONFIG: 1,
      EPT_VIOLATION: 1,
      EXTERNAL_INTERRUPT: 1,
      HLT: 1,
      INVALID_STATE: 1,
      IO_INSTRUCTION: 1,
      MSR_READ: 1,
      MSR_WRITE: 1,
      VMCALL: 1,
    },
    byVcpu: { '0': 4, '1': 3, '2': 1, '3': 1 },
    unparsed: 2,
  },
  {
    file: 'trace-cmd-linux4-plugin.txt',
    format: 'trace-cmd',
    vendor: 'intel',
    byReason: {
      CPUID: 2,
      EXTERNAL_INTERRUPT: 2,
      BUS_LOCK: 1,
      EPT_VIOLATION: 1,
      HLT: 1,
      INTERRUPT_WINDOW: 1,
    },
    byVcpu: { '0': 6, '1': 2 },
    unparsed: 1,
  },
  {
    file: 'trace-cmd-amd-linux6-raw.txt',
    format: 'trace-cmd',
    vendor: 'amd',
    byReason: { IOIO: 2, EXCP: 1, HLT: 1, INTR: 1, MSR: 1, NPF: 1, VMMCALL: 1 },
    byVcpu: { '0': 5, '1': 3 },
    unparsed: 0,
  },
  {
    file: 'trace-cmd-amd-plugin.txt',
    format: 'trace-cmd',
    vendor: 'amd',
    byReason: { EXCP: 1, HLT: 1, IOIO: 1, MSR: 1, NPF: 1, VMMCALL: 1 },
    byVcpu: { '0': 6 },
    unparsed: 0,
  },
  {
    file: 'trace-cmd-numeric.txt',
    format: 'trace-cmd',
    vendor: null,
    byReason: { IO_INSTRUCTION: 2, EXTERNAL_INTERRUPT: 1, HLT: 1 },
    byVcpu: { '0': 4 },
    unparsed: 0,
  },
  {
    file: 'trace-cmd-numeric.txt',
    isa: 'amd',
    format: 'trace-cmd',
    vendor: 'amd',
    byReason: { UNKNOWN_0x1e: 2, UNKNOWN_0xc: 1, UNKNOWN_0x1: 1 },
    byVcpu: { '0': 4 },
    unparsed: 0,
  },
  {
    file: 'perf-kvm-stat-intel.txt',
    format: 'perf-kvm-stat',
    vendor: 'intel',
    byReason: {
      MSR_WRITE: 1234,
      HLT: 812,
      EXTERNAL_INTERRUPT: 301,
      EPT_MISCONFIG: 215,
      IO_INSTRUCTION: 97,
      PAUSE_INSTRUCTION: 22,
      CPUID: 14,
      VMCALL: 7,
    },
    byVcpu: {},
    unparsed: 2,
  },
  {
    file: 'perf-kvm-stat-amd-vcpu1.txt',
    format: 'perf-kvm-stat',
    vendor: 'amd',
    byReason: { IOIO: 640, HLT: 410, MSR: 388, INTR: 150, NPF: 96, VMMCALL: 33, EXCP: 2, VINTR: 1 },
    byVcpu: { '1': 1720 },
    unparsed: 0,
  },
  {
    file: 'perf-kvm-stat-3.10-nominmax.txt',
    format: 'perf-kvm-stat',
    vendor: 'intel',
    byReason: {
      EXTERNAL_INTERRUPT: 4218,
      HLT: 1933,
      IO_INSTRUCTION: 640,
      MSR_WRITE: 512,
      INTERRUPT_WINDOW: 86,
    },
    byVcpu: {},
    unparsed: 1,
  },
];

describe('importHostTrace on the fixtures', () => {
  for (const c of CASES) {
    it(`${c.file}${c.isa ? ` --isa ${c.isa}` : ''}`, () => {
      const text = fixture(c.file);
      expect(detectHostTraceFormat(text)).toBe(c.format);
      const r = importHostTrace(text, c.isa ? { isa: c.isa } : {});
      const expected = Object.fromEntries(Object.entries(c.byReason).filter(([, n]) => n > 0));
      expect(r.format).toBe(c.format);
      expect(r.vendor).toBe(c.vendor);
      expect(counts(r)).toEqual(expected);
      expect(r.exits).toBe(Object.values(expected).reduce((a, n) => a + n, 0));
      expect(r.byVcpu).toEqual(c.byVcpu);
      expect(r.unparsed).toBe(c.unparsed);
      expect(r.unparsedLines).toHaveLength(c.unparsed);
    });
  }
});

describe('trace-cmd details', () => {
  it('times an exit from kvm_exit to the next kvm_entry on its thread', () => {
    const r = importHostTrace(fixture('trace-cmd-linux4-raw.txt'));
    expect(r.byReason.MSR_WRITE).toMatchObject({ minUs: 2, maxUs: 3, avgUs: 2.25, totalUs: 9 });
    // The last HLT has no kvm_entry after it: counted, not timed.
    expect(r.byReason.HLT).toMatchObject({ count: 2, minUs: 1000, maxUs: 1000, totalUs: 1000 });
    expect(r.byReason.EPT_MISCONFIG).toMatchObject({ minUs: 30, maxUs: 40 });
  });

  it('counts the other KVM events, hypercalls and userspace exits', () => {
    const r = importHostTrace(fixture('trace-cmd-linux4-raw.txt'));
    expect(r.kvmEvents).toEqual({
      kvm_exit: 13,
      kvm_entry: 13,
      kvm_mmio: 2,
      kvm_msr: 4,
      kvm_pio: 2,
      kvm_hypercall: 1,
      kvm_userspace_exit: 4,
    });
    expect(r.hypercalls).toEqual({ '0x5': 1 });
    expect(r.userspaceExits).toEqual({ KVM_EXIT_MMIO: 2, KVM_EXIT_IO: 2 });
  });

  it('gives timeline columns, userspace exits marked', () => {
    const t = importHostTrace(fixture('trace-cmd-linux6-raw.txt')).timeline;
    expect(t?.count).toBe(9);
    expect(t?.vcpus).toBe(4);
    expect(t?.reasons[t.reason[0]]).toBe('EPT_MISCONFIG');
    expect(t?.time[0]).toBe(50_000); // ns after the first line
    expect(t?.end[0]).toBe(90_000);
    expect(t?.handled[0]).toBe(1);
    expect(t?.handled[1]).toBe(0);
  });

  it('reads perf script lines too', () => {
    const r = importHostTrace(
      [
        ' qemu-system-x86  4012 [003]   812.000150: kvm:kvm_exit: vcpu 0 reason HLT rip 0xffffffff81e3c8ee info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000',
        ' qemu-system-x86  4012 [003]   812.000350: kvm:kvm_entry: vcpu 0, rip 0xffffffff81e3c8ef',
      ].join('\n'),
    );
    expect(r.byReason.HLT).toMatchObject({ count: 1, avgUs: 200 });
    expect(r.byVcpu).toEqual({ '0': 1 });
  });

  it('reads AMD reasons printed as numbers with the isa hint, or the isa field', () => {
    const lines = [
      ' qemu-1-10 [000] 1.000000: kvm_exit: reason 120 rip 0x1000',
      ' qemu-1-10 [000] 1.000001: kvm_exit: reason 0x81 rip 0x1000',
      ' qemu-1-10 [000] 1.000002: kvm_exit: reason 70 rip 0x1000',
    ].join('\n');
    expect(counts(importHostTrace(lines, { isa: 'amd' }))).toEqual({ EXCP: 1, HLT: 1, VMMCALL: 1 });
    const withIsa =
      ' qemu-1-10 [000] 1.0: kvm_exit: [FAILED TO PARSE] exit_reason=123 guest_rip=0x1000 isa=2 info1=0x3f80210 info2=0x0 vcpu_id=3';
    const r = importHostTrace(withIsa);
    expect([r.vendor, counts(r), r.byVcpu]).toEqual(['amd', { IOIO: 1 }, { '3': 1 }]);
  });

  it('never throws, and counts what it does not understand', () => {
    const junk = [
      '',
      '\u0000\u0001',
      'kvm_exit: reason',
      ' a-1 [0] 1.0: kvm_exit: ',
      '[{',
      '{"traceEvents": 5}',
    ];
    for (const text of junk) expect(() => importHostTrace(text)).not.toThrow();
    expect(importHostTrace(' a-1 [000] 1.000: kvm_entry: nope\nfoo\nbar').unparsed).toBe(3);
    expect(importHostTrace('{"traceEvents": 5}').unparsed).toBe(1);
    expect(importHostTrace('[1, {"ph": "X", "cat": "exit", "name": "HLT"}]')).toMatchObject({
      format: 'chrome-trace',
      exits: 1,
      unparsed: 1,
    });
  });
});

describe('perf kvm stat details', () => {
  it('keeps the printed shares and times (µs)', () => {
    const r = importHostTrace(fixture('perf-kvm-stat-intel.txt'));
    expect(r.byReason.HLT).toEqual({
      count: 812,
      samplesPct: 30.05,
      timePct: 98.56,
      minUs: 2.1,
      maxUs: 9980.33,
      avgUs: 512.42,
      totalUs: 416085.04,
    });
  });

  it('has no min/max when the table has none (the first perf kvm stat)', () => {
    const r = importHostTrace(fixture('perf-kvm-stat-3.10-nominmax.txt'));
    expect(r.byReason.HLT).toEqual({
      count: 1933,
      samplesPct: 26.16,
      timePct: 98.86,
      avgUs: 822.1,
      totalUs: 1589119.3,
    });
  });

  it('sums several tables and keeps mmio/ioport tables apart', () => {
    const intel = fixture('perf-kvm-stat-intel.txt');
    const twice = importHostTrace(`${intel}\n${intel}`);
    expect(twice.byReason.MSR_WRITE.count).toBe(2468);
    expect(twice.byReason.MSR_WRITE.minUs).toBe(0.5);
    const mmio = importHostTrace(
      [
        'Analyze events for all VMs, all VCPUs:',
        '',
        '         MMIO Access    Samples  Samples%     Time%    Min Time    Max Time         Avg time ',
        '',
        '        0xfee00300:W        112   100.00%   100.00%      1.20us      9.80us      2.10us ( +-   3.10% )',
        '',
        'Total Samples:112, Total events handled time:235.20us.',
      ].join('\n'),
    );
    expect([mmio.exits, mmio.accesses]).toEqual([0, { '0xfee00300:W': 112 }]);
  });
});

describe('reason names', () => {
  it('maps every spelling to the lab names', () => {
    expect(readReason('VMCALL')).toEqual({ kind: 'name', name: 'VMCALL', vendor: 'intel' });
    expect(readReason('INVALID_STATE FAILED_VMENTRY')).toMatchObject({ name: 'INVALID_STATE' });
    expect(readReason('PENDING_INTERRUPT')).toMatchObject({ name: 'INTERRUPT_WINDOW' });
    expect(readReason('HLT')).toEqual({ kind: 'name', name: 'HLT', vendor: null });
    expect(readReason('hypercall')).toEqual({ kind: 'name', name: 'VMMCALL', vendor: 'amd' });
    expect(readReason('io')).toMatchObject({ name: 'IOIO', vendor: 'amd' });
    expect(readReason('GP excp')).toMatchObject({ name: 'EXCP', vendor: 'amd' });
    expect(readReason('EXIT_EXCP_BASE')).toMatchObject({ name: 'EXCP', vendor: 'amd' });
    expect(readReason('EXIT_NPF')).toMatchObject({ name: 'NPF', vendor: 'amd' });
    expect(readReason('UNKNOWN (70)')).toEqual({ kind: 'code', code: 70 });
    expect(readReason('0x7b')).toEqual({ kind: 'code', code: 0x7b });
  });

  it('names codes per vendor', () => {
    expect(reasonName('intel', 18)).toBe('VMCALL');
    expect(reasonName('intel', 0x80000021)).toBe('INVALID_STATE');
    expect(reasonName('amd', 0x81)).toBe('VMMCALL');
    expect(reasonName('amd', 0x4e)).toBe('EXCP');
    expect(reasonName('amd', 0x7b)).toBe('IOIO');
    expect(reasonName('intel', 99)).toBe('UNKNOWN_99');
  });
});
