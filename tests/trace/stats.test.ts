import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { exitStats, formatStats } from '../../src/core/trace/stats';
import { Vmm } from '../../src/core/vmm/vmm';

describe('perf kvm stat-style statistics', () => {
  it('counts exits per reason and times them from VM exit to VM entry', () => {
    const a = assemble(`
  mov ecx, 10
l:
  mov eax, 11
  vmcall
  mov al, 'x'
  out 0xe9, al
  dec ecx
  jnz l
  hlt`);
    const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry });
    vmm.run(1_000_000);
    const p = vmm.kvm.config.profile;
    const rows = exitStats(vmm.trace, p.resume);
    const by = Object.fromEntries(rows.map((r) => [r.reason, r]));
    expect(by.VMCALL.count).toBe(10);
    expect(by.IO_INSTRUCTION.count).toBe(10);
    expect(by.HLT.count).toBe(1);
    // An in-kernel VMCALL costs exactly the profile's round trip.
    expect(by.VMCALL.min).toBe(p.vmExit + p.dispatch + p.handle.hypercall + p.resume);
    expect(by.VMCALL.max).toBe(by.VMCALL.min);
    // A userspace I/O exit costs the KVM_RUN round trip on top.
    expect(by.IO_INSTRUCTION.avg).toBe(
      p.vmExit + p.dispatch + p.handle.ioUserspace + p.userspace + p.resume,
    );
    expect(rows.reduce((s, r) => s + r.samplesPct, 0)).toBeCloseTo(100);
    expect(formatStats(rows)).toMatch(/VMCALL\s+10\s+47\.62%/);
  });
});
