/**
 * The flag-definedness algebra the generator relies on (flagRules.ts):
 * transfer functions must agree with plain set semantics, and the shift
 * rules must match the SDM cases they cite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AF,
  ARITH_FLAGS,
  CF,
  OF,
  PF,
  SF,
  ZF,
  applyEffect,
  compose,
  covers,
  definedGiven,
  merge,
  shiftEffect,
  type FlagFn,
} from './flagRules';

const flags = fc.integer({ min: 0, max: 0xfff }).map((v) => v & ARITH_FLAGS);
const flagFn = fc.record({ keep: flags, def: flags });
const effect = fc.record({ reads: fc.constant(0), defines: flags, undefines: flags }).map((e) => ({
  ...e,
  undefines: e.undefines & ~e.defines,
}));

describe('flag definedness algebra', () => {
  it('applyEffect matches set semantics', () => {
    fc.assert(
      fc.property(flagFn, effect, flags, (f, e, start) => {
        const before = definedGiven(f, start);
        const expected = (before & ~(e.defines | e.undefines)) | e.defines;
        expect(definedGiven(applyEffect(f, e), start)).toBe(expected);
      }),
    );
  });

  it('compose is sequencing and merge is intersection', () => {
    fc.assert(
      fc.property(flagFn, flagFn, flags, (f, g, start) => {
        expect(definedGiven(compose(f, g), start)).toBe(definedGiven(g, definedGiven(f, start)));
        expect(definedGiven(merge(f, g), start)).toBe(
          definedGiven(f, start) & definedGiven(g, start),
        );
      }),
    );
  });

  it('covers means "at least as defined for every start state"', () => {
    fc.assert(
      fc.property(flagFn, flagFn, (a: FlagFn, b: FlagFn) => {
        let always = true;
        for (let s = 0; s <= 0xfff; s++) {
          if ((s & ~ARITH_FLAGS) !== 0) continue;
          if ((definedGiven(b, s) & ~definedGiven(a, s)) !== 0) always = false;
        }
        expect(covers(a, b)).toBe(always);
      }),
      { numRuns: 200 },
    );
  });
});

describe('shift and rotate flag rules (SDM SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR)', () => {
  it('a masked count of 0 affects nothing', () => {
    for (const op of ['shl', 'shr', 'sar', 'rol', 'ror'] as const) {
      expect(shiftEffect(op, 32, 0)).toEqual({ reads: 0, defines: 0, undefines: 0 });
      expect(shiftEffect(op, 32, 32)).toEqual({ reads: 0, defines: 0, undefines: 0 });
      expect(shiftEffect(op, 64, 64)).toEqual({ reads: 0, defines: 0, undefines: 0 });
    }
    expect(shiftEffect('rcl', 8, 0).defines).toBe(0);
    expect(shiftEffect('rcl', 8, 0).reads).toBe(CF);
  });

  it('count 1 defines OF; larger counts leave it undefined', () => {
    expect(shiftEffect('shl', 16, 1).defines & OF).toBe(OF);
    expect(shiftEffect('shl', 16, 2).undefines & OF).toBe(OF);
    expect(shiftEffect('ror', 8, 1).defines).toBe(CF | OF);
    expect(shiftEffect('ror', 8, 3)).toEqual({ reads: 0, defines: CF, undefines: OF });
  });

  it('SHL/SHR leave CF undefined when count >= operand size; SAR does not', () => {
    expect(shiftEffect('shl', 8, 8).undefines & CF).toBe(CF);
    expect(shiftEffect('shr', 16, 20).undefines & CF).toBe(CF);
    expect(shiftEffect('sar', 8, 20).defines & CF).toBe(CF);
    expect(shiftEffect('shl', 8, 7).defines & CF).toBe(CF);
    // 8-bit shifts mask the count to 5 bits: 40 & 31 = 8.
    expect(shiftEffect('shl', 8, 40).undefines & CF).toBe(CF);
  });

  it('shifts define SF ZF PF and leave AF undefined; rotates leave them alone', () => {
    const s = shiftEffect('sar', 32, 5);
    expect(s.defines & (SF | ZF | PF)).toBe(SF | ZF | PF);
    expect(s.undefines & AF).toBe(AF);
    const r = shiftEffect('rol', 32, 5);
    expect((r.defines | r.undefines) & (SF | ZF | PF | AF)).toBe(0);
  });
});
