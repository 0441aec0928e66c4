import { describe, expect, it } from 'vitest';
import { changedAttrs } from '../../../src/ui/debugger/changedAttrs';
import {
  exitReasonLabel,
  fieldsHeading,
  formatAddress,
  formatByte,
  laneLabel,
  vcpuLabel,
} from '../../../src/ui/debugger/format';

describe('format', () => {
  it('labels vCPUs with their stage, and HLT when halted', () => {
    expect(vcpuLabel({ index: 0, stage: 'guest', halted: false })).toBe('vCPU 0 — guest');
    expect(vcpuLabel({ index: 1, stage: 'blocked', halted: false })).toBe('vCPU 1 — blocked');
    expect(vcpuLabel({ index: 1, stage: 'blocked', halted: true })).toBe('vCPU 1 — blocked (HLT)');
  });

  it('writes exit reasons with the vendor code and names the field table per vendor', () => {
    expect(exitReasonLabel({ reason: 'VMCALL', code: 18 })).toBe('VMCALL (18)');
    expect(exitReasonLabel({ reason: 'VMMCALL', code: 0x81 })).toBe('VMMCALL (129)');
    expect(fieldsHeading('VMCS')).toBe('VMCS fields');
    expect(fieldsHeading('VMCB')).toBe('VMCB fields');
  });

  it('formats addresses, bytes and lanes', () => {
    expect(formatAddress(0x10000)).toBe('0x00010000');
    expect(formatAddress(0x123456789)).toBe('0x123456789');
    expect(formatByte(0x0f)).toBe('0F');
    expect(laneLabel(-1)).toBe('VMM process');
    expect(laneLabel(2)).toBe('vCPU 2');
  });
});

describe('changedAttrs', () => {
  it('keeps the base class for unchanged values', () => {
    expect(changedAttrs(undefined, 'dbg-mono')).toEqual({ className: 'dbg-mono' });
  });

  it('adds the highlight class, the old value as title and as aria-description', () => {
    expect(changedAttrs('0x5', 'dbg-mono')).toEqual({
      className: 'dbg-mono dbg-changed',
      title: 'was 0x5',
      'aria-description': 'changed, was 0x5',
      'data-changed': 'true',
    });
  });
});
