import { describe, expect, it } from 'vitest';
import { parseVmOptions } from '../../src/cli/vmOptions';

describe('cli run --vm', () => {
  it('parses every option, with rewrite arguments as bigints', () => {
    expect(
      parseVmOptions(
        '{"irqchip": true, "exitHypercallMask": 4096, "fixHypercallQuirk": false, "policy": [{"nr": 11, "action": {"kind": "deny", "errno": 1}}, {"action": {"kind": "rewrite", "args": {"1": "0xff"}}}]}',
      ),
    ).toEqual({
      irqchip: true,
      exitHypercallMask: 4096,
      fixHypercallQuirk: false,
      policy: [
        { nr: 11, vcpu: undefined, action: { kind: 'deny', errno: 1 } },
        { nr: undefined, vcpu: undefined, action: { kind: 'rewrite', args: { 1: 0xffn } } },
      ],
    });
  });

  it.each([
    ['not json', '--vm takes a JSON object'],
    ['[1]', '--vm takes a JSON object'],
    ['{"irqchip": 1}', '--vm: irqchip must be true or false'],
    ['{"speed": 3}', "--vm: unknown option 'speed'"],
    [
      '{"policy": [{"action": {"kind": "explode"}}]}',
      '--vm: policy[0].action.kind must be log, deny, redirect, rewrite or forward',
    ],
    [
      '{"policy": [{"nr": 1.5, "action": {"kind": "log"}}]}',
      '--vm: policy[0].nr must be an integer',
    ],
  ])('rejects %s with a sentence naming the field', (text, message) => {
    expect(parseVmOptions(text)).toBe(message);
  });
});
