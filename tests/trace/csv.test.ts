/** statsToCsv: the perf-kvm-stat-style rows as RFC 4180 CSV. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { csvField, statsToCsv } from '../../src/core/trace/csv';
import { exitStats, type ReasonStats } from '../../src/core/trace/stats';
import { Vmm } from '../../src/core/vmm/vmm';

const row = (reason: string, extra: Partial<ReasonStats> = {}): ReasonStats => ({
  reason,
  count: 3,
  samplesPct: 100 / 3,
  timePct: 50,
  min: 10,
  max: 30,
  avg: 20,
  total: 60,
  ...extra,
});

describe('statsToCsv', () => {
  it('writes the header and one CRLF-terminated line per row', () => {
    expect(statsToCsv([row('VMCALL')])).toBe(
      'reason,count,samples_pct,time_pct,min,max,avg,total\r\nVMCALL,3,33.3333,50,10,30,20,60\r\n',
    );
    expect(statsToCsv([])).toBe('reason,count,samples_pct,time_pct,min,max,avg,total\r\n');
  });

  it('quotes fields with commas, quotes or line breaks (RFC 4180)', () => {
    expect(csvField('UD excp')).toBe('UD excp');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(statsToCsv([row('x,"y"')]).split('\r\n')[1]).toBe('"x,""y""",3,33.3333,50,10,30,20,60');
  });

  it('leaves non-finite numbers empty', () => {
    expect(
      statsToCsv([row('HLT', { min: Infinity, max: -Infinity, avg: NaN })]).split('\r\n')[1],
    ).toBe('HLT,3,33.3333,50,,,,60');
  });

  it('exports a run’s statistics', () => {
    const a = assemble('mov eax, 11\nvmcall\nvmcall\nhlt');
    const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry });
    vmm.run(10_000);
    const lines = statsToCsv(exitStats(vmm.trace, vmm.kvm.config.profile.resume))
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^VMCALL,2,66\.6667,/);
    expect(lines[2]).toMatch(/^HLT,1,33\.3333,/);
  });
});
