/**
 * Assembler fuzzing (seeded):
 * - token soup (mnemonics from the corpus, registers, numbers, brackets,
 *   commas, size keywords, directives, labels, strings, newlines, garbage):
 *   assemble never throws, and its result keeps the contract (errors point
 *   into the source and are sorted; ok ⇔ no errors; not ok ⇒ no bytes; the
 *   source map stays inside the image);
 * - valid programs made of random corpus instructions: the image is the
 *   concatenation of the instructions assembled one by one.
 * Inputs that ever failed are kept below as named regressions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import type { AssembleResult } from '../../src/core/isa';
import { buildCorpus, isSingleInsn } from './corpus/corpus';
import { bytesEqual, hex } from './gas/report';

const corpus = buildCorpus();
const MNEMONICS = [
  ...new Set(corpus.flatMap((c) => c.nasm.split('\n').map((l) => l.trim().split(/\s+/)[0]))),
].filter((w) => /^[a-z][a-z0-9]*$/.test(w));
// prettier-ignore
const REGS = [
  'rax', 'eax', 'ax', 'al', 'ah', 'r8', 'r8d', 'r8w', 'r8b', 'spl', 'sil', 'rsp', 'rbp', 'r12', 'r13',
  'rip', 'cs', 'ds', 'fs', 'cr0', 'cr3', 'cr5', 'dr7', 'xmm0', 'st0',
];
const NUMBERS = fc.oneof(
  fc.integer({ min: -300, max: 300 }).map(String),
  fc
    .bigInt({ min: -(1n << 65n), max: 1n << 65n })
    .map((n) => (n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`)),
  fc.constantFrom(
    '0',
    '1',
    '-1',
    '0xffffffff',
    '0x80000000',
    '0xffffffffffffffff',
    '1e3',
    '0b101',
    '10h',
    '0x',
    '08',
    '1_000',
  ),
);
// prettier-ignore
const TOKENS = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...MNEMONICS) },
  { weight: 5, arbitrary: fc.constantFrom(...REGS) },
  { weight: 4, arbitrary: NUMBERS },
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      '[', ']', ',', ',', '+', '-', '*', '/', '%', '(', ')', ':', '<<', '>>', '~', '&', '|', '^', '//', '%%', '!',
      'byte', 'word', 'dword', 'qword', 'ptr', 'rel', 'short', 'near', 'far', 'rep', 'lock', 'repne',
      'db', 'dw', 'dd', 'dq', 'resb', 'times', 'equ', 'align', 'org', '$', '$$', 'main', 'main:', '.loop', '.loop:',
      'label', 'label:', '_start:', 'x:', 'x', "'abc'", '"q"', "'", '`x`', '; comment', '\n', '\n', '\n',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('@', '#', '?', '\t', '\\', '{', '}', 'é', '𝔵', '\u0000', '\r', '\r\n', '..', '.') },
);

const soup = fc.array(TOKENS, { maxLength: 40 }).map((ts) => ts.join(' '));
/** Token soup with no separating spaces (exercises the lexer's token boundaries). */
const tightSoup = fc.array(TOKENS, { maxLength: 30 }).map((ts) => ts.join(''));

/** The contract of an AssembleResult for `source`; '' when kept. */
function checkResult(source: string): string {
  let r: AssembleResult;
  try {
    r = assemble(source);
  } catch (e) {
    return `assemble threw: ${(e as Error).stack ?? e}`;
  }
  const lineCount = source.split(/\r\n|\r|\n/).length;
  if (!(r.bytes instanceof Uint8Array)) return 'bytes is not a Uint8Array';
  if (!Array.isArray(r.errors)) return 'errors is not an array';
  if (r.ok !== (r.errors.length === 0)) return `ok=${r.ok} with ${r.errors.length} error(s)`;
  if (!r.ok) {
    if (r.bytes.length !== 0) return 'not ok but bytes not empty';
    let prev = [0, 0];
    for (const e of r.errors) {
      if (!Number.isInteger(e.line) || e.line < 1 || e.line > lineCount)
        return `error line ${e.line} outside 1..${lineCount}: ${e.message}`;
      if (!Number.isInteger(e.column) || e.column < 1)
        return `error column ${e.column} < 1: ${e.message}`;
      if (!Number.isInteger(e.endColumn) || e.endColumn < e.column)
        return `error endColumn ${e.endColumn} < column ${e.column}: ${e.message}`;
      if (typeof e.message !== 'string' || e.message.trim() === '')
        return 'error without a message';
      if (e.line < prev[0] || (e.line === prev[0] && e.column < prev[1]))
        return 'errors not sorted by line and column';
      prev = [e.line, e.column];
    }
    return '';
  }
  const end = r.origin + r.bytes.length;
  for (const m of r.sourceMap) {
    if (m.line < 1 || m.line > lineCount)
      return `source map line ${m.line} outside 1..${lineCount}`;
    if (m.length < 0 || m.address < r.origin || m.address + m.length > end)
      return `source map entry [0x${m.address.toString(16)}, +${m.length}) outside the image [0x${r.origin.toString(16)}, 0x${end.toString(16)})`;
  }
  return '';
}

/** Inputs that once broke the contract, kept as named regressions. */
const REGRESSIONS: Record<string, string> = {
  empty: '',
  'only a newline': '\n',
  'unterminated string': "db 'abc",
  'lone bracket': 'mov rax, [',
  'division by zero': 'x equ 1/0\nmov eax, x',
  'modulo by zero': 'mov eax, 5 % 0',
  'undefined label': 'jmp nowhere',
  'equ cycle': 'a equ b\nb equ a\nmov eax, a',
  'label redefined': 'x:\nx:\nnop',
  'local label before any global': '.loop: jmp .loop',
  'huge times count': 'times 0xffffffffffff nop',
  'negative times count': 'times -5 nop',
  'huge align': 'align 0x100000000',
  'align 0 and 3': 'align 0\nalign 3\nnop',
  'org after code': 'nop\norg 0x20000\nnop',
  'jump out of short range': 'jmp short far_label\ntimes 200 nop\nfar_label:',
  'loop out of range': 'x:\ntimes 200 nop\nloop x',
  'CRLF line endings': 'nop\r\nmov eax, 1\r\n',
  'NUL byte': 'nop\u0000',
  'high byte with REX': 'mov ah, sil',
  'deep parentheses': `mov eax, ${'('.repeat(5000)}1${')'.repeat(5000)}`,
  'long line': `db ${Array(5000).fill('1').join(', ')}`,
  'astral character': 'mov eax, 𝔵',
};

describe('assemble never throws and keeps its result contract', () => {
  for (const [name, source] of Object.entries(REGRESSIONS)) {
    it(`regression: ${name}`, () => {
      expect(checkResult(source), JSON.stringify(source).slice(0, 200)).toBe('');
    });
  }

  it('token soup (6,000 runs, seeded)', () => {
    fc.assert(
      fc.property(soup, (source) => {
        const problem = checkResult(source);
        if (problem) throw new Error(`${problem}\nsource: ${JSON.stringify(source)}`);
      }),
      { seed: 0x5eed0005, numRuns: 6_000 },
    );
  });

  it('tight token soup, no spaces (3,000 runs, seeded)', () => {
    fc.assert(
      fc.property(tightSoup, (source) => {
        const problem = checkResult(source);
        if (problem) throw new Error(`${problem}\nsource: ${JSON.stringify(source)}`);
      }),
      { seed: 0x5eed0006, numRuns: 3_000 },
    );
  });
});

describe('programs of random corpus instructions', () => {
  // Position-independent single instructions: the same bytes at any origin.
  const pool = corpus
    .filter((c) => isSingleInsn(c) && !c.nasm.includes('$'))
    .map((c) => ({
      nasm: c.nasm,
      a: assemble(c.nasm, { origin: 0x10000 }),
      b: assemble(c.nasm, { origin: 0x23456 }),
    }))
    .filter((x) => x.a.ok && x.b.ok && bytesEqual(x.a.bytes, x.b.bytes))
    .map((x) => ({ nasm: x.nasm, bytes: x.a.bytes }));

  it('has a large pool', () => {
    expect(pool.length).toBeGreaterThan(300);
  });

  it('assemble(lines) is the concatenation of the lines assembled alone (2,000 runs, seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 25 }), (picks) => {
        const source = picks.map((p) => p.nasm).join('\n');
        const r = assemble(source);
        if (!r.ok)
          throw new Error(
            `rejected:\n${source}\n${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n')}`,
          );
        const want = new Uint8Array(picks.reduce((n, p) => n + p.bytes.length, 0));
        let off = 0;
        for (const p of picks) {
          want.set(p.bytes, off);
          off += p.bytes.length;
        }
        if (!bytesEqual(r.bytes, want))
          throw new Error(
            `bytes differ:\n${source}\nours:   ${hex(r.bytes)}\nexpect: ${hex(want)}`,
          );
        const insns = r.sourceMap.filter((m) => m.isInsn);
        if (insns.length !== picks.length)
          throw new Error(`source map has ${insns.length} instructions, expected ${picks.length}`);
      }),
      { seed: 0x5eed0007, numRuns: 2_000 },
    );
  });
});
