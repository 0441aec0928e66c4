/**
 * The random program generator on its own (no KVM needed): deterministic,
 * self-consistent about flags, and covering every instruction family and
 * addressing form the differential test promises.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/isa';
import { ARITH_FLAGS } from './flagRules';
import { generateProgram } from './generator';

const SEEDS = Array.from({ length: 1000 }, (_, i) => i + 1);

/** Instruction lines of a program: `mnemonic operands`, prefixes kept. */
function insnLines(source: string): string[] {
  return source
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.endsWith(':') && !l.startsWith(';') && !/^(db|org|align)\b/.test(l));
}

describe('random program generator', () => {
  it('is deterministic: the same seed gives the same program', () => {
    for (const seed of [1, 2, 77, 123456, 0xffffffff]) {
      expect(generateProgram(seed).source).toBe(generateProgram(seed).source);
    }
    expect(generateProgram(1).source).not.toBe(generateProgram(2).source);
  });

  it('generates 1000 programs without breaking its own flag rules', () => {
    // The generator throws if it ever emits a reader of an undefined flag.
    for (const seed of SEEDS) {
      const p = generateProgram(seed);
      expect(p.definedFlags & ~ARITH_FLAGS).toBe(0);
      expect(p.source).toContain('prog_end:\n  hlt');
      expect(p.source).not.toMatch(/\bvmmcall\b/);
    }
  });

  it('programs assemble', () => {
    for (const seed of SEEDS.slice(0, 100)) {
      const r = assemble(generateProgram(seed).source, { origin: 0x10000 });
      expect(r.errors, `seed ${seed}`).toEqual([]);
    }
  });

  it('covers every instruction family and addressing form', () => {
    const lines = SEEDS.flatMap((s) => insnLines(generateProgram(s).source));
    const mnemonics = new Set(lines.map((l) => l.split(/\s+/)[0]!));
    const want = [
      'add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test', 'inc', 'dec', 'neg', 'not',
      'shl', 'sal', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr',
      'mul', 'imul', 'div', 'idiv', 'movzx', 'movsx', 'movsxd', 'lea', 'xchg', 'mov',
      'push', 'pop', 'pushfq', 'popfq', 'call', 'ret', 'jmp', 'loop', 'loope', 'loopne', 'jrcxz',
      'cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo', 'clc', 'stc', 'cmc', 'lahf', 'sahf', 'cld', 'std',
      'rep', 'repe', 'repne', 'lodsb', 'movsq', 'stosd',
    ]; // prettier-ignore
    for (const m of want) expect(mnemonics, m).toContain(m);
    for (const cc of [
      'o',
      'no',
      'b',
      'ae',
      'e',
      'ne',
      'be',
      'a',
      's',
      'ns',
      'p',
      'np',
      'l',
      'ge',
      'le',
      'g',
    ]) {
      expect(mnemonics, `j${cc}`).toContain(`j${cc}`);
      expect(mnemonics, `set${cc}`).toContain(`set${cc}`);
      expect(mnemonics, `cmov${cc}`).toContain(`cmov${cc}`);
    }
    const has = (re: RegExp, what: string) =>
      expect(
        lines.some((l) => re.test(l)),
        what,
      ).toBe(true);
    // Every operand size of the ALU.
    has(/^add \b(al|cl|dl|bl|ah|ch|dh|bh|[a-z0-9]+b)\b,/, 'add r8');
    has(/^sub (ax|cx|dx|bx|sp|bp|si|di|r\d+w)\b/, 'sub r16');
    has(/^xor e[a-z]+, /, 'xor r32');
    has(/^and r[a-z0-9]+, /, 'and r64');
    has(/^(add|sub|cmp) (byte|word|dword|qword) \[/, 'alu m, imm');
    has(/^(add|sub|and|or|xor) [a-z0-9]+, (byte |word |dword |qword )?\[/, 'alu r, m');
    // Shift counts: 1, CL, imm8 beyond the operand size.
    has(/^(shl|shr|sar|rol|ror|rcl|rcr) .*, 1$/, 'shift by 1');
    has(/^(shl|shr|sar|rol|ror|rcl|rcr) .*, cl$/, 'shift by cl');
    has(/^(shl|shr|sar|rol|ror|rcl|rcr) .*, (2[0-5]\d|1\d\d)$/, 'shift by a large imm8');
    // IMUL forms.
    has(/^imul [a-z0-9]+$/, 'imul r/m (1 operand)');
    has(/^imul [a-z0-9]+, [a-z0-9]+$/, 'imul r, r/m');
    has(/^imul [a-z0-9]+, [a-z0-9[\] +*x-]+, -?(0x)?[0-9a-f]+$/, 'imul r, r/m, imm');
    // Addressing forms.
    has(/\[rel data( \+ \d+)?\]/, 'rip-relative');
    has(/\[0x[0-9a-f]+\]/, 'absolute disp32');
    has(/\[r[a-z0-9]+\]/, 'base only');
    has(/\[r[a-z0-9]+ [+-] (0x)?[0-9a-f]+\]/, 'base + disp');
    has(/\[r[a-z0-9]+ \+ r[a-z0-9]+\*[1248]\]/, 'base + index*scale');
    has(/\[r[a-z0-9]+ \+ r[a-z0-9]+\*[1248] [+-] (0x)?[0-9a-f]+\]/, 'base + index*scale + disp');
    has(/\[r[a-z0-9]+\*[1248] \+ 0x[0-9a-f]+\]/, 'index*scale + disp32, no base');
    has(/\[e[a-z]+ \+ e[a-z]+\*[1248]/, '32-bit addressing');
    has(/\[rsp [+-] \d+\]/, 'rsp-relative');
    has(/\[(rbp|r13)\b/, 'rbp/r13 base (needs disp8)');
    has(/\[r12\b/, 'r12 base (needs SIB)');
    // String operations both ways.
    has(/^rep (movs|stos)[bwdq]$/, 'rep movs/stos');
    has(/^(repe|repne) (cmps|scas)[bwdq]$/, 'repe/repne cmps/scas');
  });
});
