import { describe, expect, it } from 'vitest';
import {
  EXIT_DATA,
  HANDLED_KERNEL,
  HANDLED_USERSPACE,
  PHASE,
  PHASES,
  Trace,
} from '../../src/core/trace/trace';

/** A trace with `n` events and exits, every other one with detail, a hypercall and a userspace exit. */
function filled(n: number): Trace {
  const t = new Trace();
  for (let i = 0; i < n; i++) {
    const x = t.addExit(i * 10, 0, 18, 'VMCALL', 0x1000 + i, 3, 0, 0);
    const e = t.addEvent(i * 10, 0, 1, 2, x);
    if (i % 2 === 0) {
      t.setDetail(e, `ioctl ${i}`);
      t.setHypercall(x, BigInt(i), [1n, 2n, 3n, 4n]);
      t.setUserspace(x, 3);
    }
  }
  return t;
}

describe('Trace', () => {
  it('numbers each phase by its place in PHASES', () => {
    expect(Object.keys(PHASE)).toEqual([...PHASES]);
    PHASES.forEach((p, i) => expect(PHASE[p]).toBe(i));
  });

  it('reads no detail, a kernel exit and no data kind in a new row', () => {
    const t = new Trace();
    const x = t.addExit(0, 0, 12, 'HLT', 0x1000, 1, 0, 0);
    const e = t.addEvent(0, 0, 0, 0, x);
    expect(t.detailText(e)).toBeNull();
    expect(t.exHandled[x]).toBe(HANDLED_KERNEL);
    expect(t.exKind[x]).toBe(EXIT_DATA.none);
    expect(t.exitRow(x).kvmExit).toBe(-1);
    t.setDetail(e, 'KVM_RUN');
    expect(t.detailText(e)).toBe('KVM_RUN');
  });

  it('rows appended after a truncate read as new, not as the dropped rows', () => {
    const t = filled(100);
    expect(t.detailText(40)).toBe('ioctl 40');
    expect(t.exHandled[40]).toBe(HANDLED_USERSPACE);
    t.truncate(30, 30);
    for (let i = 30; i < 100; i++) {
      const x = t.addExit(i * 10, 0, 18, 'VMCALL', 0x1000 + i, 3, 0, 0);
      const e = t.addEvent(i * 10, 0, 1, 2, x);
      expect(t.detailText(e)).toBeNull();
      expect(t.exHandled[x]).toBe(HANDLED_KERNEL);
      expect(t.exKind[x]).toBe(EXIT_DATA.none);
      expect(t.exitRow(x).hypercall).toBeUndefined();
    }
    // What was kept is unchanged.
    expect(t.detailText(28)).toBe('ioctl 28');
    expect(t.exitRow(28).hypercall?.nr).toBe(28n);
  });

  it('keeps every row across growth', () => {
    const t = filled(70_000);
    expect(t.length).toBe(70_000);
    expect(t.detailText(69_998)).toBe('ioctl 69998');
    expect(t.detailText(69_999)).toBeNull();
    expect(t.exitRow(69_998).hypercall?.args).toEqual([1n, 2n, 3n, 4n]);
  });
});
