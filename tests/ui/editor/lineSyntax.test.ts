import { describe, expect, it } from 'vitest';
import {
  commentStart,
  equConstants,
  inComment,
  parseIntLiteral,
  parseStatementLine,
  wordAt,
  wordBefore,
} from '../../../src/ui/editor/x86asm/lineSyntax';

describe('wordAt', () => {
  const line = '  mov eax, KVM_HC_KICK_CPU ; x';
  it('finds the word containing the column, with 1-based exclusive end', () => {
    expect(wordAt(line, 3)).toEqual({ text: 'mov', startColumn: 3, endColumn: 6 });
    expect(wordAt(line, 5)).toEqual({ text: 'mov', startColumn: 3, endColumn: 6 });
    expect(wordAt(line, 12)?.text).toBe('KVM_HC_KICK_CPU');
  });
  it('takes the word just before a caret that sits after it', () => {
    expect(wordAt(line, 6)?.text).toBe('mov');
  });
  it('returns undefined between words', () => {
    expect(wordAt(line, 1)).toBeUndefined();
    expect(wordAt(line, 11)).toBeUndefined();
  });
  it('keeps local labels and hex literals whole', () => {
    expect(wordAt('jmp .loop', 7)?.text).toBe('.loop');
    expect(wordAt('mov al, 0x3f8', 11)?.text).toBe('0x3f8');
  });
});

describe('wordBefore', () => {
  it('is the part of the word left of the caret', () => {
    expect(wordBefore('  vmc', 6)).toEqual({ text: 'vmc', startColumn: 3, endColumn: 6 });
    expect(wordBefore('mov ', 5).text).toBe('');
  });
});

describe('comments', () => {
  it('ignore semicolons inside strings', () => {
    expect(commentStart('db ";", 0 ; real')).toBe(10);
    expect(commentStart("db ';'")).toBe(6);
    expect(commentStart('nop')).toBe(3);
  });
  it('inComment is true only after the semicolon', () => {
    expect(inComment('nop ; KVM_HC_KICK_CPU', 7)).toBe(true);
    expect(inComment('nop ; KVM_HC_KICK_CPU', 2)).toBe(false);
  });
});

describe('parseStatementLine', () => {
  it('splits label, prefixes, mnemonic and operands with columns', () => {
    const s = parseStatementLine('start: rep movsb');
    expect(s.label?.text).toBe('start');
    expect(s.prefixes.map((p) => p.text)).toEqual(['rep']);
    expect(s.mnemonic).toEqual({ text: 'movsb', startColumn: 12, endColumn: 17 });
    expect(s.operands).toEqual([]);
  });
  it('splits operands at top-level commas only and drops the comment', () => {
    const s = parseStatementLine('  MOV qword [rax + rbx*8], 5 ; c, d');
    expect(s.mnemonic?.text).toBe('mov');
    expect(s.operands.map((o) => o.text)).toEqual(['qword [rax + rbx*8]', '5']);
    expect(s.operands[1].startColumn).toBe(28);
  });
  it('handles blank and comment-only lines', () => {
    expect(parseStatementLine('   ; only a comment').mnemonic).toBeUndefined();
    expect(parseStatementLine('').operands).toEqual([]);
  });
});

describe('parseIntLiteral', () => {
  it.each([
    ['5', 5n],
    ['0x3f8', 0x3f8n],
    ['3F8h', 0x3f8n],
    ['0b101', 5n],
    ['101b', 5n],
    ['0o17', 15n],
    ['17q', 15n],
    ['1_000', 1000n],
  ])('%s = %s', (text, value) => {
    expect(parseIntLiteral(text)).toBe(value);
  });
  it('rejects names and expressions', () => {
    for (const t of ['eax', 'KVM_HC_KICK_CPU', '1+2', '', 'h']) {
      expect(parseIntLiteral(t)).toBeUndefined();
    }
  });
});

describe('equConstants', () => {
  it('collects name equ value, with or without colon, comments removed', () => {
    const m = equConstants(['KICK equ 5 ; kick', 'PORT: equ 0x3f8', 'mov eax, KICK']);
    expect([...m]).toEqual([
      ['KICK', '5'],
      ['PORT', '0x3f8'],
    ]);
  });
});
