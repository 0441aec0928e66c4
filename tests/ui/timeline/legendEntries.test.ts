import { describe, expect, it } from 'vitest';
import { reasonColor } from '../../../src/ui/timeline/colors';
import { legendEntries } from '../../../src/ui/timeline/legendEntries';
import { makeData } from './fixtures';

describe('legendEntries', () => {
  it('lists the reasons that occur, in reason order, with colour and count', () => {
    const data = makeData(
      [
        { time: 0, end: 1, vcpu: 0, reason: 2 },
        { time: 1, end: 2, vcpu: 0, reason: 0 },
        { time: 2, end: 3, vcpu: 0, reason: 2 },
      ],
      ['VMCALL', 'IO_INSTRUCTION', 'HLT'],
    );
    expect(legendEntries(data)).toEqual([
      { reason: 'VMCALL', color: reasonColor('VMCALL'), count: 1 },
      { reason: 'HLT', color: reasonColor('HLT'), count: 2 },
    ]);
  });

  it('is empty before the first exit', () => {
    expect(legendEntries(makeData([], ['VMCALL'], 1))).toEqual([]);
  });
});
