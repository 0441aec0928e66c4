import { describe, expect, it } from 'vitest';
import { MNEMONICS, OPCODE_TABLE } from '../../../src/core';
import { x86Monarch } from '../../../src/ui/editor/x86asm/language';

describe('x86asm Monarch grammar', () => {
  it('takes its instruction keywords from the opcode table, every mnemonic and alias', () => {
    const def = x86Monarch();
    const fromTable = new Set(OPCODE_TABLE.flatMap((r) => [r.mnemonic, ...(r.aliases ?? [])]));
    expect(new Set(def.instructions)).toEqual(fromTable);
    expect(def.instructions).toEqual(MNEMONICS);
    for (const m of ['vmcall', 'vmmcall', 'jnz', 'cmovnle', 'rep', 'outsb']) {
      expect([...def.instructions, ...def.prefixes]).toContain(m);
    }
  });

  it('knows the register names the assembler knows', () => {
    const regs = x86Monarch().registers;
    for (const r of ['rax', 'r15d', 'spl', 'ah', 'cr3', 'fs']) expect(regs).toContain(r);
  });

  it('has regular expressions Monaco can compile', () => {
    for (const rule of x86Monarch().tokenizer.root) {
      expect((rule as unknown[])[0]).toBeInstanceOf(RegExp);
    }
  });
});
