import { describe, expect, it } from 'vitest';
import {
  diffFlags,
  diffMemory,
  diffNamedValues,
  diffRegisters,
  diffSelected,
  diffStack,
  NO_CHANGES,
} from '../../../src/ui/debugger/diff';
import { flags, hex64, makeView, regs, vcpu } from './fixtures';

describe('diffNamedValues', () => {
  it('maps each changed name to its old value', () => {
    const before = [
      { name: 'a', value: '0x1' },
      { name: 'b', value: '0x2' },
    ];
    const now = [
      { name: 'b', value: '0x3' },
      { name: 'a', value: '0x1' },
    ];
    expect([...diffNamedValues(now, before)]).toEqual([['b', '0x2']]);
  });

  it('is empty without a before, and ignores names only one side has', () => {
    expect(diffNamedValues([{ name: 'a', value: '1' }], null)).toBe(NO_CHANGES);
    expect(diffNamedValues([{ name: 'a', value: '1' }], [{ name: 'b', value: '2' }]).size).toBe(0);
  });
});

describe('diffRegisters', () => {
  it('compares the selected vCPU with the same index in the previous view', () => {
    const previous = makeView();
    const view = makeView({
      vcpus: [vcpu(0, { regs: regs({ rax: 5, rip: 0x10005 }) }), vcpu(1)],
    });
    // vCPU 0 had rdi = 0 in both; rax and rip changed.
    expect(Object.fromEntries(diffRegisters(view, previous))).toEqual({
      rax: hex64(0),
      rip: hex64(0x10000),
    });
  });

  it('uses the same index even when the previous view showed another vCPU', () => {
    const previous = makeView({ selected: 0 });
    const view = makeView({ selected: 1 });
    expect(diffRegisters(view, previous).size).toBe(0);
  });

  it('finds nothing changed without a previous view', () => {
    expect(diffRegisters(makeView(), null).size).toBe(0);
  });
});

describe('diffFlags', () => {
  it('maps each flipped bit to its old state', () => {
    const changes = diffFlags(flags(0x2 | 0x40 | 0x1), flags(0x2 | 0x80 | 0x1));
    expect(Object.fromEntries(changes)).toEqual({ ZF: false, SF: true });
    expect(diffFlags(flags(), undefined).size).toBe(0);
  });
});

describe('diffSelected', () => {
  it('compares per-vCPU structures only when both views show the same vCPU', () => {
    const previous = makeView();
    const kvmRun = [{ name: 'exit_reason', value: 'KVM_EXIT_IO (2)' }];
    const view = makeView({ kvmRun });
    expect(Object.fromEntries(diffSelected(view, previous, (v) => v.kvmRun))).toEqual({
      exit_reason: 'KVM_EXIT_UNKNOWN (0)',
    });
    expect(diffSelected({ ...view, selected: 1 }, previous, (v) => v.kvmRun).size).toBe(0);
    expect(diffSelected(makeView({ exit: null }), previous, (v) => v.exit?.fields).size).toBe(0);
  });
});

describe('diffMemory', () => {
  it('maps changed addresses to the old byte', () => {
    const before = { address: 0x100, bytes: [1, 2, 3, 4] };
    const now = { address: 0x100, bytes: [1, 9, 3, 8] };
    expect([...diffMemory(now, before)]).toEqual([
      [0x101, 2],
      [0x103, 4],
    ]);
  });

  it('matches a moved window by guest address, over the overlap only', () => {
    const before = { address: 0x100, bytes: [1, 2, 3, 4] };
    const now = { address: 0x102, bytes: [7, 4, 5, 6] };
    expect([...diffMemory(now, before)]).toEqual([[0x102, 3]]);
    expect(diffMemory({ address: 0x200, bytes: [0] }, before).size).toBe(0);
  });

  it('finds nothing in an error window or without a before', () => {
    const before = { address: 0x100, bytes: [1] };
    expect(diffMemory({ address: 0x100, bytes: [], error: 'outside RAM' }, before).size).toBe(0);
    expect(diffMemory(before, null).size).toBe(0);
  });
});

describe('diffStack', () => {
  it('maps slots whose value changed to the old value, by address', () => {
    const before = [
      { address: 0x7fff8, value: hex64(1), top: true },
      { address: 0x80000, value: hex64(0), top: false },
    ];
    const now = [
      { address: 0x7fff0, value: hex64(5), top: true },
      { address: 0x7fff8, value: hex64(2), top: false },
      { address: 0x80000, value: hex64(0), top: false },
    ];
    expect([...diffStack(now, before)]).toEqual([[0x7fff8, hex64(1)]]);
  });
});
