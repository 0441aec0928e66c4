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
      t.setData(x, 'hypercall', [BigInt(i), 1n, 2n, 3n, 4n, 0n]);
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

  it('records an exit like the one before it as the same shape, and reads each exit back', () => {
    const t = new Trace();
    // A loop of the same VMCALL, then an MMIO exit, then the VMCALL again.
    for (let i = 0; i < 3; i++) t.addExit(i, 0, 18, 'EXIT_REASON_VMCALL', 0x1005, 3, 0, 0);
    t.addExit(3, 1, 48, 'EXIT_REASON_EPT_VIOLATION', 0x1010, 2, 0x182, 0x10000000);
    t.addExit(4, 0, 18, 'EXIT_REASON_VMCALL', 0x1005, 3, 0, 0);
    expect(t.shapeCount).toBe(3);
    expect([...t.exShape.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    expect(t.exitRow(3)).toMatchObject({
      vcpu: 1,
      code: 48,
      name: 'EXIT_REASON_EPT_VIOLATION',
      rip: 0x1010,
      length: 2,
      qualification: 0x182,
      gpa: 0x10000000,
      time: 3,
    });
    expect(t.exitRow(4)).toMatchObject({ code: 18, name: 'EXIT_REASON_VMCALL', rip: 0x1005 });
    // Any one field different makes a new shape.
    t.addExit(5, 0, 18, 'EXIT_REASON_VMCALL', 0x1005, 3, 0, 8);
    expect(t.shapeCount).toBe(4);
    expect(t.exitGpa(5)).toBe(8);
  });

  it('after a truncate, appending the dropped exits again rebuilds the same shapes', () => {
    const rips = Array.from({ length: 200 }, (_, i) => 0x1000 + 3 * Math.floor(i / 7));
    const add = (t: Trace, from: number): void => {
      for (let i = from; i < rips.length; i++) t.addExit(i, 0, 18, 'VMCALL', rips[i], 3, 0, 0);
    };
    const straight = new Trace();
    add(straight, 0);
    for (const k of [0, 1, 6, 7, 8, 100, 199]) {
      const t = new Trace();
      add(t, 0);
      t.truncate(0, k);
      add(t, k);
      expect(t.shapeCount).toBe(straight.shapeCount);
      expect([...t.exShape.subarray(0, 200)]).toEqual([...straight.exShape.subarray(0, 200)]);
      for (let i = 0; i < 200; i++) expect(t.exitRip(i)).toBe(rips[i]);
    }
  });

  it('keeps every row across growth', () => {
    const t = filled(70_000);
    expect(t.length).toBe(70_000);
    expect(t.detailText(69_998)).toBe('ioctl 69998');
    expect(t.detailText(69_999)).toBeNull();
    expect(t.exitRow(69_998).hypercall?.args).toEqual([1n, 2n, 3n, 4n]);
  });
});
