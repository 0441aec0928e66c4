import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  AsmError,
  DataItem,
  Expr,
  MemOperand,
  Operand,
  Statement,
} from '../../src/core/isa/ast';
import { evalExpr } from '../../src/core/isa/expr';
import { tokenizeLine } from '../../src/core/isa/lexer';
import { parseProgram } from '../../src/core/isa/parser';

const NAMES = new Map<string, bigint>([
  ['label', 0x2000n],
  ['msg', 0x3000n],
  ['K', 3n],
]);

/** Value of an expression with a few fixed names; $ = 0x1000, $$ = 0x400. */
function value(e: Expr | undefined): bigint | undefined {
  if (e === undefined) return undefined;
  const r = evalExpr(e, { lookup: (n) => NAMES.get(n), here: 0x1000n, sectionStart: 0x400n });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function ok(source: string): Statement[] {
  const r = parseProgram(source);
  expect(r.errors).toEqual([]);
  return r.statements;
}

/** The one statement of a one-line program (skipping labels). */
function stmt(source: string): Statement {
  const s = ok(source).filter((x) => x.kind !== 'label');
  expect(s).toHaveLength(1);
  return s[0];
}

function operands(source: string): Operand[] {
  const s = stmt(source);
  if (s.kind !== 'insn') throw new Error(`not an insn: ${s.kind}`);
  return s.operands;
}

/** The memory operand of `lea rax, <text>` as {base, index, scale, disp value, …}. */
function mem(text: string): Record<string, unknown> {
  const m = operands(`lea rax, ${text}`)[1] as MemOperand;
  expect(m.kind).toBe('mem');
  const { base, index, scale, rel, seg, size } = m;
  const out: Record<string, unknown> = { scale, rel };
  if (base !== undefined) out.base = base;
  if (index !== undefined) out.index = index;
  if (m.disp !== undefined) out.disp = value(m.disp);
  if (seg !== undefined) out.seg = seg;
  if (size !== undefined) out.size = size;
  return out;
}

function errors(source: string): AsmError[] {
  return parseProgram(source).errors;
}

/** The single error of `source` as [line, column, endColumn, message]. */
function err1(source: string): [number, number, number, string] {
  const e = errors(source);
  expect(e).toHaveLength(1);
  return [e[0].line, e[0].column, e[0].endColumn, e[0].message];
}

const bytesOf = (item: DataItem): number[] =>
  item.kind === 'string' ? Array.from(item.bytes) : [];

describe('lexer', () => {
  it('gives 1-based columns and exclusive end columns', () => {
    const { tokens, errors: errs } = tokenizeLine('  mov rax, [rbx+8] ; hi', 3);
    expect(errs).toEqual([]);
    expect(tokens.map((t) => [t.kind, t.text, t.column, t.endColumn])).toEqual([
      ['ident', 'mov', 3, 6],
      ['ident', 'rax', 7, 10],
      ['punct', ',', 10, 11],
      ['punct', '[', 12, 13],
      ['ident', 'rbx', 13, 16],
      ['punct', '+', 16, 17],
      ['number', '8', 17, 18],
      ['punct', ']', 18, 19],
      ['eol', '', 19, 20],
    ]);
    expect(tokens.every((t) => t.line === 3)).toBe(true);
  });

  it('reads every punctuator, longest first', () => {
    const { tokens } = tokenizeLine(', : [ ] ( ) + - * / // % %% << >> & | ^ ~ !', 1);
    expect(tokens.filter((t) => t.kind === 'punct').map((t) => t.text)).toEqual(
      ', : [ ] ( ) + - * / // % %% << >> & | ^ ~ !'.split(' '),
    );
  });

  it('reads identifiers with . $ ? _ and digits', () => {
    const { tokens } = tokenizeLine('a.b$c?_1 .local ?x _y', 1);
    expect(tokens.filter((t) => t.kind === 'ident').map((t) => t.text)).toEqual([
      'a.b$c?_1',
      '.local',
      '?x',
      '_y',
    ]);
  });

  it.each([
    ["'it'", [105, 116]],
    ['"a;b"', [97, 59, 98]],
    ["'\\n'", [92, 110]],
    ['`\\n\\t\\r\\0\\\\\\\'\\"\\``', [10, 9, 13, 0, 92, 39, 34, 96]],
    ['`\\x41\\x7`', [0x41, 7]],
    ['`\\101\\e`', [65, 27]],
    ['`\\u00e9`', [0xc3, 0xa9]],
    ["'é€😀'", [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]],
  ])('string %s → bytes', (text, bytes) => {
    const { tokens, errors: errs } = tokenizeLine(text, 1);
    expect(errs).toEqual([]);
    expect(Array.from(tokens[0].bytes ?? [])).toEqual(bytes);
  });

  it('reports bad escapes, unterminated strings and stray characters', () => {
    expect(tokenizeLine('`a\\qb`', 1).errors).toEqual([
      { line: 1, column: 3, endColumn: 5, message: "unknown escape '\\q' in string" },
    ]);
    expect(tokenizeLine('`\\xZZ`', 1).errors[0].message).toBe("unknown escape '\\x' in string");
    expect(tokenizeLine("db 'abc", 2).errors).toEqual([
      { line: 2, column: 4, endColumn: 8, message: 'unterminated string' },
    ]);
    expect(tokenizeLine('db `ab\\`', 1).errors[0].message).toBe('unterminated string');
    expect(tokenizeLine('mov rax, 1 = 2', 1).errors).toEqual([
      { line: 1, column: 12, endColumn: 13, message: "unexpected character '='" },
    ]);
    expect(tokenizeLine('x\u00a0y', 1).errors[0].message).toBe("unexpected character 'U+00A0'");
    expect(tokenizeLine('a 😀', 1).errors[0]).toMatchObject({
      column: 3,
      endColumn: 5,
      message: "unexpected character '😀'",
    });
  });
});

describe('labels', () => {
  it('reads colon labels and NASM bare labels before data directives', () => {
    const s = ok('start: nop\nmsg db 1\nbuf resb 4\nn equ 5\nt times 2 nop\nx: dq 1');
    expect(
      s.filter((x) => x.kind === 'label').map((x) => (x.kind === 'label' ? x.name : '')),
    ).toEqual(['start', 'msg', 'buf', 't', 'x']);
    expect(s[0]).toEqual({
      kind: 'label',
      name: 'start',
      pos: { line: 1, column: 1 },
      endColumn: 7,
    });
    expect(s.find((x) => x.kind === 'equ')).toMatchObject({
      name: 'n',
      pos: { line: 4, column: 1 },
      endColumn: 8,
    });
  });

  it('keeps label case and is case-sensitive', () => {
    const s = ok('Foo:\nfoo:\nFOO db 0');
    expect(
      s.filter((x) => x.kind === 'label').map((x) => (x.kind === 'label' ? x.name : '')),
    ).toEqual(['Foo', 'foo', 'FOO']);
  });

  it('prefixes local labels with the last non-local label', () => {
    const s = ok(
      [
        'main:',
        '.loop: dec rcx',
        '  jnz .loop',
        'other:',
        '.loop: jmp main.loop',
        '.x equ .loop',
        '..@g: jmp .loop',
      ].join('\n'),
    );
    const names = s.flatMap((x) => (x.kind === 'label' || x.kind === 'equ' ? [x.name] : []));
    expect(names).toEqual(['main', 'main.loop', 'other', 'other.loop', 'other.x', '..@g']);
    const jnz = s[3];
    expect(jnz.kind === 'insn' && jnz.operands[0]).toMatchObject({
      kind: 'imm',
      expr: { kind: 'sym', name: 'main.loop' },
    });
    const eq = s.find((x) => x.kind === 'equ');
    expect(eq).toMatchObject({ expr: { name: 'other.loop' } });
    const last = s[s.length - 1];
    expect(last.kind === 'insn' && last.operands[0]).toMatchObject({
      expr: { name: 'other.loop' },
    });
  });

  it('an equ does not start a new local scope', () => {
    const s = ok('a:\nb equ 1\n.x: nop');
    expect(s.some((x) => x.kind === 'label' && x.name === 'a.x')).toBe(true);
  });

  it('reports local labels before any non-local label', () => {
    expect(err1('.x: nop')).toEqual([1, 1, 3, "local label '.x' has no preceding non-local label"]);
    expect(err1('  jmp .y')).toEqual([
      1,
      7,
      9,
      "local label '.y' has no preceding non-local label",
    ]);
  });

  it('reports duplicate labels and equ names at the second definition', () => {
    expect(err1('a: nop\n a: nop')).toEqual([2, 2, 3, "label 'a' is already defined"]);
    expect(err1('k equ 1\nk equ 2')).toEqual([2, 1, 2, "label 'k' is already defined"]);
    expect(err1('m:\n.l:\n.l:')).toEqual([3, 1, 3, "label 'm.l' is already defined"]);
    // The statement after a duplicate label still parses.
    const r = parseProgram('a:\na: nop');
    expect(r.statements.map((s) => s.kind)).toEqual(['label', 'insn']);
  });

  it('rejects register names as labels and two labels on a line', () => {
    expect(err1('rax: nop')).toEqual([1, 1, 4, "'rax' is a register name and cannot be a label"]);
    expect(ok('$rax: nop')[0]).toMatchObject({ kind: 'label', name: 'rax' });
    expect(err1('a: b: nop')[3]).toBe('only one label is allowed per line');
  });
});

describe('instructions and operands', () => {
  it('lower-cases mnemonics and registers, records positions', () => {
    const s = stmt('  MOV RAX, Rbx');
    expect(s).toEqual({
      kind: 'insn',
      prefixes: [],
      mnemonic: 'mov',
      operands: [
        { kind: 'reg', name: 'rax', pos: { line: 1, column: 7 }, endColumn: 10 },
        { kind: 'reg', name: 'rbx', pos: { line: 1, column: 12 }, endColumn: 15 },
      ],
      pos: { line: 1, column: 3 },
      endColumn: 15,
    });
  });

  it('parses immediates, labels and jump hints', () => {
    expect(operands('mov eax, K * 2 + 1')[1]).toMatchObject({
      kind: 'imm',
      pos: { column: 10 },
      endColumn: 19,
    });
    expect(value((operands('push -1')[0] as { expr: Expr }).expr)).toBe(-1n);
    expect(operands('jmp short label')[0]).toMatchObject({
      kind: 'imm',
      jumpHint: 'short',
      pos: { column: 5 },
      endColumn: 16,
    });
    expect(operands('call NEAR label')[0]).toMatchObject({ jumpHint: 'near' });
    expect(operands('jmp label')[0]).not.toHaveProperty('jumpHint');
    expect(operands("mov eax, 'abcd'")[1]).toMatchObject({
      expr: { kind: 'num', value: 0x64636261n },
    });
    expect(operands('push dword 5')[0]).toMatchObject({
      kind: 'imm',
      expr: { value: 5n },
      pos: { column: 6 },
    });
    expect(operands('mov rax, $')[1]).toMatchObject({ expr: { kind: 'here' } });
  });

  it('accepts a matching size keyword on a register and rejects a mismatch', () => {
    expect(operands('mov dword eax, 1')[0]).toMatchObject({ kind: 'reg', name: 'eax' });
    expect(err1('mov byte eax, 1')).toEqual([
      1,
      5,
      9,
      "'byte' does not match the 32-bit register 'eax'",
    ]);
  });

  it('parses prefixes', () => {
    expect(stmt('rep movsb')).toMatchObject({ prefixes: ['rep'], mnemonic: 'movsb', operands: [] });
    expect(stmt('REPNE scasb')).toMatchObject({ prefixes: ['repne'], mnemonic: 'scasb' });
    expect(stmt('lock add [rax], ebx')).toMatchObject({
      prefixes: ['lock'],
      mnemonic: 'add',
      pos: { column: 1 },
    });
    expect(stmt('lock repz cmpsb')).toMatchObject({ prefixes: ['lock', 'repz'] });
    expect(stmt('repe cmpsq')).toMatchObject({ prefixes: ['repe'] });
    expect(stmt('repnz scasb')).toMatchObject({ prefixes: ['repnz'] });
    expect(err1('rep')).toEqual([
      1,
      1,
      4,
      "'rep' must be followed by an instruction on the same line",
    ]);
    expect(err1('rep db 0')[3]).toBe("'rep' must be followed by an instruction on the same line");
  });

  it('does not validate mnemonics', () => {
    expect(stmt('frobnicate rax, 1')).toMatchObject({ mnemonic: 'frobnicate' });
    expect(stmt('nop')).toMatchObject({ mnemonic: 'nop', operands: [] });
  });

  it.each<[string, [number, number, number, string]]>([
    ['mov rax 5', [1, 9, 10, "expected ',' or end of line"]],
    ['mov rax, [rbx] 5', [1, 16, 17, "expected ',' or end of line"]],
    ['mov rax,', [1, 9, 10, 'expected an expression']],
    ['mov , rax', [1, 5, 6, 'expected an expression']],
    ['add rax, (1 + 2', [1, 16, 17, "missing ')'"]],
    ['mov rax, [rbx', [1, 14, 15, "missing ']'"]],
    ['mov rax, [rbx + 4 rcx]', [1, 19, 22, "missing ']'"]],
    ['mov rax, []', [1, 11, 12, 'expected an expression']],
    ['mov rax, rbx + 1', [1, 10, 13, "register 'rbx' cannot be used in an expression"]],
    ['mov rax, fs:5', [1, 13, 14, "expected '[' after 'fs:'"]],
    ['jmp short rax', [1, 11, 14, "'short' needs a jump target, not a register"]],
    ['5 nop', [1, 1, 2, 'expected a label or an instruction']],
  ])('%s → %j', (src, want) => {
    expect(err1(src)).toEqual(want);
  });
});

describe('memory operands', () => {
  it.each<[string, Record<string, unknown>]>([
    ['[rax]', { base: 'rax', scale: 1, rel: false }],
    ['[rax+8]', { base: 'rax', scale: 1, rel: false, disp: 8n }],
    ['[rbx - 8]', { base: 'rbx', scale: 1, rel: false, disp: -8n }],
    ['[rbx + label - 4]', { base: 'rbx', scale: 1, rel: false, disp: 0x2000n - 4n }],
    ['[label - 4 + rbx]', { base: 'rbx', scale: 1, rel: false, disp: 0x2000n - 4n }],
    ['[-8 + rbp]', { base: 'rbp', scale: 1, rel: false, disp: -8n }],
    ['[rbp - (2 + 2) * 4]', { base: 'rbp', scale: 1, rel: false, disp: -16n }],
    ['[rbx - 8 - 8]', { base: 'rbx', scale: 1, rel: false, disp: -16n }],
    ['[rax+rbx]', { base: 'rax', index: 'rbx', scale: 1, rel: false }],
    ['[rax + rbx*4 + 16]', { base: 'rax', index: 'rbx', scale: 4, rel: false, disp: 16n }],
    ['[4*rbx + rax]', { base: 'rax', index: 'rbx', scale: 4, rel: false }],
    ['[rbx*8]', { index: 'rbx', scale: 8, rel: false }],
    ['[rbx*2 + msg]', { index: 'rbx', scale: 2, rel: false, disp: 0x3000n }],
    ['[rax*(1+1)]', { index: 'rax', scale: 2, rel: false }],
    ['[rcx*1 + rdx]', { base: 'rdx', index: 'rcx', scale: 1, rel: false }],
    ['[rcx*2 + rdx*1]', { base: 'rdx', index: 'rcx', scale: 2, rel: false }],
    ['[rcx*1 + rdx*1]', { base: 'rcx', index: 'rdx', scale: 1, rel: false }],
    ['[rax*3]', { base: 'rax', index: 'rax', scale: 2, rel: false }],
    ['[rdx*5 + 4]', { base: 'rdx', index: 'rdx', scale: 4, rel: false, disp: 4n }],
    ['[r9*9]', { base: 'r9', index: 'r9', scale: 8, rel: false }],
    ['[rax + rsp]', { base: 'rsp', index: 'rax', scale: 1, rel: false }],
    ['[r12 + r13*2]', { base: 'r12', index: 'r13', scale: 2, rel: false }],
    ['[eax + ebx*2]', { base: 'eax', index: 'ebx', scale: 2, rel: false }],
    ['[r8d]', { base: 'r8d', scale: 1, rel: false }],
    ['[0x1000]', { scale: 1, rel: false, disp: 0x1000n }],
    ['[rel label]', { scale: 1, rel: true, disp: 0x2000n }],
    ['[REL label + 4]', { scale: 1, rel: true, disp: 0x2004n }],
    ['[abs label]', { scale: 1, rel: false, disp: 0x2000n }],
    ['[rip + label]', { scale: 1, rel: true, disp: 0x2000n }],
    ['[fs:rax+8]', { base: 'rax', scale: 1, rel: false, disp: 8n, seg: 'fs' }],
    ['[gs: 0x28]', { scale: 1, rel: false, disp: 0x28n, seg: 'gs' }],
    ['fs:[rax]', { base: 'rax', scale: 1, rel: false, seg: 'fs' }],
    ['[rel fs:label]', { scale: 1, rel: true, disp: 0x2000n, seg: 'fs' }],
    ['qword ptr [rbx]', { base: 'rbx', scale: 1, rel: false, size: 64 }],
    ['qword [rbx]', { base: 'rbx', scale: 1, rel: false, size: 64 }],
    ['BYTE PTR [rbx]', { base: 'rbx', scale: 1, rel: false, size: 8 }],
    ['word [rbx]', { base: 'rbx', scale: 1, rel: false, size: 16 }],
    ['dword ptr fs:[rbx]', { base: 'rbx', scale: 1, rel: false, size: 32, seg: 'fs' }],
    ['[$ + 4]', { scale: 1, rel: false, disp: 0x1004n }],
    ['[RAX + RBX*2]', { base: 'rax', index: 'rbx', scale: 2, rel: false }],
  ])('%s', (text, want) => {
    expect(mem(text)).toEqual(want);
  });

  it('records the operand span from the size keyword to the bracket', () => {
    expect(operands('mov qword ptr [rbx], 1')[0]).toMatchObject({
      pos: { line: 1, column: 5 },
      endColumn: 20,
    });
    expect(operands('mov [rbx], 1')[0]).toMatchObject({
      pos: { line: 1, column: 5 },
      endColumn: 10,
    });
  });

  it('keeps the displacement as an unevaluated tree', () => {
    const m = operands('mov rax, [rbx + label - 4]')[1] as MemOperand;
    expect(m.disp).toMatchObject({
      kind: 'binary',
      op: '-',
      left: { kind: 'sym', name: 'label' },
      right: { value: 4n },
    });
  });

  it.each<[string, [number, number, number, string]]>([
    ['lea rax, [rax*rbx]', [1, 15, 18, 'a register can only be added in an address']],
    ['lea rax, [-rax]', [1, 12, 15, 'a register can only be added in an address']],
    ['lea rax, [8 - rax]', [1, 15, 18, 'a register can only be added in an address']],
    ['lea rax, [rax & 3]', [1, 11, 14, 'a register can only be added in an address']],
    ['lea rax, [(rax+rbx)*2]', [1, 12, 15, 'a register can only be added in an address']],
    ['lea rax, [rax+rbx+rcx]', [1, 19, 22, 'more than two registers in an address']],
    ['lea rax, [rax*3+rbx]', [1, 17, 20, 'more than two registers in an address']],
    ['lea rax, [rax*6]', [1, 15, 16, 'scale must be 1, 2, 4 or 8']],
    ['lea rax, [rax*K]', [1, 15, 16, 'scale must be 1, 2, 4 or 8']],
    ['lea rax, [rax*0]', [1, 15, 16, 'scale must be 1, 2, 4 or 8']],
    ['lea rax, [rsp*2]', [1, 11, 14, 'rsp cannot be an index register']],
    ['lea rax, [rsp+rsp]', [1, 15, 18, 'rsp cannot be an index register']],
    ['lea rax, [rax+rsp*4]', [1, 15, 18, 'rsp cannot be an index register']],
    ['lea rax, [bx+si]', [1, 11, 13, '16-bit addresses are not supported in 64-bit code']],
    ['lea rax, [eax+rbx]', [1, 15, 18, 'address registers must be the same size']],
    ['lea rax, [al]', [1, 11, 13, "register 'al' cannot be used in an address"]],
    ['lea rax, [cr3]', [1, 11, 14, "register 'cr3' cannot be used in an address"]],
    ['lea rax, [rax*2+rbx*4]', [1, 17, 20, 'only one register in an address can have a scale']],
    ['lea rax, [rel rax]', [1, 11, 14, "'rel' cannot be used with registers in the address"]],
    ['lea rax, [rip+rax]', [1, 11, 14, "'rip' cannot be combined with other registers or a scale"]],
    ['lea rax, fs:[gs:rax]', [1, 14, 16, 'only one segment override is allowed']],
  ])('%s → %j', (src, want) => {
    expect(err1(src)).toEqual(want);
  });
});

describe('data and directives', () => {
  it('parses db items: numbers, strings, char expressions', () => {
    const s = stmt("msg db 'Hi', 10, `\\t\\0`, 'A'+1, -1");
    if (s.kind !== 'data') throw new Error(s.kind);
    expect(s.width).toBe(1);
    expect(s.items.map((i) => i.kind)).toEqual(['string', 'expr', 'string', 'expr', 'expr']);
    expect(bytesOf(s.items[0])).toEqual([72, 105]);
    expect(bytesOf(s.items[2])).toEqual([9, 0]);
    expect(s.items.flatMap((i) => (i.kind === 'expr' ? [value(i.expr)] : []))).toEqual([
      10n,
      0x42n,
      -1n,
    ]);
    expect(s.items[0]).toMatchObject({ pos: { line: 1, column: 8 }, endColumn: 12 });
    expect(s).toMatchObject({ pos: { column: 5 }, endColumn: 35 });
  });

  it('pads strings in dw/dd/dq to the element width', () => {
    const widths = ['dw', 'dd', 'dq'].map((d) => stmt(`${d} 'abc'`));
    expect(widths.map((s) => (s.kind === 'data' ? [s.width, bytesOf(s.items[0])] : []))).toEqual([
      [2, [97, 98, 99, 0]],
      [4, [97, 98, 99, 0]],
      [8, [97, 98, 99, 0, 0, 0, 0, 0]],
    ]);
    expect(stmt("dw 'ab'")).toMatchObject({
      items: [{ kind: 'string', bytes: new Uint8Array([97, 98]) }],
    });
    expect(stmt("db ''")).toMatchObject({ items: [{ kind: 'string', bytes: new Uint8Array([]) }] });
  });

  it('parses resb/resw/resd/resq', () => {
    expect(
      ['resb', 'resw', 'resd', 'resq']
        .map((r) => stmt(`${r} 4*2`))
        .map((s) => s.kind === 'reserve' && [s.width, value(s.count)]),
    ).toEqual([
      [1, 8n],
      [2, 8n],
      [4, 8n],
      [8, 8n],
    ]);
  });

  it('parses times with instruction and data bodies', () => {
    const t = stmt('times 510-($-$$) db 0');
    expect(t).toMatchObject({
      kind: 'times',
      pos: { column: 1 },
      body: { kind: 'data', width: 1, pos: { column: 18 } },
    });
    if (t.kind === 'times') expect(value(t.count)).toBe(510n - (0x1000n - 0x400n));
    expect(stmt('times 3 nop')).toMatchObject({
      kind: 'times',
      body: { kind: 'insn', mnemonic: 'nop' },
    });
    expect(stmt('TIMES 2 rep movsb')).toMatchObject({ body: { kind: 'insn', prefixes: ['rep'] } });
    expect(stmt('times K resq 1')).toMatchObject({ body: { kind: 'reserve', width: 8 } });
    expect(stmt('pad: times 4 dw 1, 2')).toMatchObject({ body: { kind: 'data', width: 2 } });
  });

  it('parses equ, align and org', () => {
    expect(stmt('len equ $ - msg')).toMatchObject({
      kind: 'equ',
      name: 'len',
      expr: { kind: 'binary', op: '-' },
    });
    expect(stmt('LEN: equ 4')).toMatchObject({ kind: 'equ', name: 'LEN' });
    const a = stmt('align 16');
    expect(a.kind === 'align' && value(a.boundary)).toBe(16n);
    const o = stmt('org 0x7c00');
    expect(o.kind === 'org' && value(o.expr)).toBe(0x7c00n);
  });

  it('accepts bits 64, use64, section and global as no-ops', () => {
    const r = parseProgram(
      'bits 64\n[bits 64]\n[BITS 0x40]\nuse64\nsection .text\nsection .data align=16\n[section .bss]\nsegment .text\nglobal _start\nglobal a, b',
    );
    expect(r).toEqual({ statements: [], errors: [] });
  });

  it.each<[string, [number, number, number, string]]>([
    ['bits 32', [1, 6, 8, 'only 64-bit code is supported']],
    ['bits', [1, 1, 5, 'only 64-bit code is supported']],
    ['[bits 16]', [1, 7, 9, 'only 64-bit code is supported']],
    ['use32', [1, 1, 6, 'only 64-bit code is supported']],
    ['[bits 64', [1, 9, 10, "missing ']'"]],
    ['bits 64 x', [1, 9, 10, 'expected end of line']],
    [
      'extern printf',
      [1, 1, 7, 'extern symbols need a linker; this assembler makes a flat binary'],
    ],
    [
      'default rel',
      [1, 1, 8, "'default' is not supported; write [rel label] for RIP-relative addressing"],
    ],
    ['equ 5', [1, 1, 4, "'equ' needs a name: write 'name equ value'"]],
    ['x equ', [1, 6, 7, 'expected an expression']],
    ['x equ 1 2', [1, 9, 10, 'expected end of line']],
    ['align', [1, 6, 7, 'expected an expression']],
    ['org 1, 2', [1, 6, 7, 'expected end of line']],
    ['db', [1, 3, 4, 'expected an expression']],
    ['db 1,', [1, 6, 7, 'expected an expression']],
    ['db 1,,2', [1, 6, 7, 'expected an expression']],
    ['db 1 2', [1, 6, 7, "expected ',' or end of line"]],
    ['dd rax', [1, 4, 7, "register 'rax' cannot be used in an expression"]],
    ['resb 1, 2', [1, 7, 8, 'expected end of line']],
    ['times 4', [1, 8, 9, "'times' needs an instruction or data after the count"]],
    ['times 4 align 8', [1, 9, 14, 'times can only repeat an instruction or data']],
    ['times 2 times 2 nop', [1, 9, 14, 'times can only repeat an instruction or data']],
    ["db 'abc", [1, 4, 8, 'unterminated string']],
    ['db 1 ; ok\ndb 2 # no', [2, 6, 7, "unexpected character '#'"]],
    ["mov eax, 'abcdefghi'", [1, 10, 21, 'a character constant can hold at most 8 bytes']],
    [
      'dq 0x1_0000_0000_0000_0000',
      [1, 4, 27, "number '0x1_0000_0000_0000_0000' does not fit in 64 bits"],
    ],
    ['db 08x', [1, 4, 7, "invalid number '08x'"]],
    ['%define X 1', [1, 1, 2, 'expected a label or an instruction']],
  ])('%s → %j', (src, want) => {
    const e = errors(src);
    expect(e).toHaveLength(1);
    expect([e[0].line, e[0].column, e[0].endColumn, e[0].message]).toEqual(want);
  });
});

describe('error recovery', () => {
  it('reports every bad line and parses the good ones', () => {
    const r = parseProgram(
      ['start:', '  mov rax,', '  nop', '  db 1 2', 'bad: mov rax, [rbx', '  ret ; done'].join(
        '\n',
      ),
    );
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'expected an expression'],
      [4, "expected ',' or end of line"],
      [5, "missing ']'"],
    ]);
    expect(
      r.statements.map((s) =>
        s.kind === 'label' ? s.name : s.kind === 'insn' ? s.mnemonic : s.kind,
      ),
    ).toEqual(['start', 'nop', 'bad', 'ret']);
  });

  it('keeps a label whose line has a lexical error after it, and sorts errors by column', () => {
    const r = parseProgram('here: mov rax, 1 = 2 @');
    expect(r.statements).toEqual([
      { kind: 'label', name: 'here', pos: { line: 1, column: 1 }, endColumn: 6 },
    ]);
    expect(r.errors.map((e) => e.column)).toEqual([18, 22]);
  });

  it('handles CRLF, CR and empty input', () => {
    expect(parseProgram('').statements).toEqual([]);
    expect(parseProgram('nop\r\nnop\rnop\n').statements.map((s) => s.pos.line)).toEqual([1, 2, 3]);
    expect(parseProgram(';only a comment\n\n   \t').statements).toEqual([]);
  });
});

/** Inputs that once failed (or nearly): kept as named regression cases. */
const REGRESSIONS: string[] = [
  '',
  '[',
  ']',
  ':',
  '$',
  '`\\',
  'times times',
  'a: equ',
  '[bits',
  'lea rax, [rsp*1]',
  'mov rax, [rax*3*2]',
  '\ud800:',
  '..@x: .loop:',
];

/** Vocabulary for random "token soup" programs. */
const VOCAB = [
  'mov',
  'lea',
  'add',
  'jmp',
  'call',
  'rep',
  'lock',
  'movsb',
  'nop',
  'db',
  'dw',
  'dd',
  'dq',
  'resb',
  'resq',
  'times',
  'equ',
  'align',
  'org',
  'bits',
  'use64',
  'section',
  '.text',
  'global',
  'extern',
  'default',
  'rel',
  'abs',
  'byte',
  'word',
  'dword',
  'qword',
  'ptr',
  'short',
  'near',
  'rax',
  'eax',
  'ax',
  'al',
  'ah',
  'rsp',
  'esp',
  'r8',
  'r12d',
  'rip',
  'fs',
  'gs',
  'cr3',
  'main',
  '.loop',
  '..@x',
  'label',
  '$',
  '$$',
  '$rax',
  '0',
  '1',
  '3',
  '5',
  '8',
  '9',
  '64',
  '0x10',
  '0FFh',
  '1010b',
  '17q',
  '0b',
  '99999999999999999999999',
  '1.5',
  "'a'",
  "'abcdefghi'",
  '"x',
  '`\\n`',
  '`\\q`',
  "'",
  '"',
  '`',
  ',',
  ':',
  '[',
  ']',
  '(',
  ')',
  '+',
  '-',
  '*',
  '/',
  '//',
  '%',
  '%%',
  '<<',
  '>>',
  '&',
  '|',
  '^',
  '~',
  '!',
  ';',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '=',
  '#',
  '@',
  '\u00e9',
  '\u00a0',
  '\ud83d\ude00',
  '\ud800',
  '\u0000',
];

/** Every expression in a statement (including a `times` body). */
function exprsOf(s: Statement): Expr[] {
  switch (s.kind) {
    case 'insn':
      return s.operands.flatMap((o) =>
        o.kind === 'imm' ? [o.expr] : o.kind === 'mem' && o.disp ? [o.disp] : [],
      );
    case 'data':
      return s.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : []));
    case 'reserve':
      return [s.count];
    case 'times':
      return [s.count, ...exprsOf(s.body)];
    case 'equ':
    case 'org':
      return [s.expr];
    case 'align':
      return [s.boundary];
    default:
      return [];
  }
}

/** Checks one program: no throw, sane error positions, evaluable expressions. */
function checkRobust(source: string): void {
  const lines = source.split(/\r\n|\n|\r/).length;
  const r = parseProgram(source);
  for (const e of r.errors) {
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lines);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.endColumn).toBeGreaterThan(e.column);
    expect(e.message).not.toMatch(/internal/);
  }
  for (const e of r.statements.flatMap(exprsOf)) {
    for (const lookup of [() => 1n, () => undefined, () => 0n]) {
      const v = evalExpr(e, { lookup, here: 0n, sectionStart: 0n, isLabel: () => true });
      if (!v.ok) {
        expect(v.error.line).toBeGreaterThanOrEqual(1);
        expect(v.error.column).toBeGreaterThanOrEqual(1);
        expect(v.error.endColumn).toBeGreaterThan(v.error.column);
      }
    }
  }
}

describe('robustness (property)', () => {
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...VOCAB) },
    { weight: 1, arbitrary: fc.string({ maxLength: 3, unit: 'binary' }) },
  );
  const sep = fc.constantFrom(' ', '', ' ', '\n', ', ');
  const soup = fc
    .array(fc.tuple(token, sep), { maxLength: 40 })
    .map((ps) => ps.map(([t, s]) => t + s).join(''));

  // Near-valid lines (label, mnemonic, operands, addresses) with one token
  // replaced by noise, so the deeper parser paths get exercised too.
  const reg = fc.constantFrom(
    'rax',
    'rbx',
    'rsp',
    'esp',
    'eax',
    'r13',
    'r8d',
    'ax',
    'al',
    'rip',
    'fs',
    'cr0',
  );
  const atom = fc.oneof(
    reg,
    fc.constantFrom('8', '-4', '3', '0x10', 'label', '.l', '$', '$$', "'ab'", '(1+2)'),
  );
  const addr = fc
    .array(fc.tuple(fc.constantFrom('+', '-', '*', '+', '&', ''), atom), {
      minLength: 1,
      maxLength: 4,
    })
    .map((ts) => ts.map(([op, a], i) => (i === 0 ? a : `${op} ${a}`)).join(' '));
  const operand = fc.oneof(
    reg,
    atom,
    addr,
    fc
      .tuple(
        fc.constantFrom('', 'qword ', 'byte ptr ', 'dword '),
        fc.constantFrom('', 'rel ', 'fs:', 'abs '),
        addr,
      )
      .map(([sz, pre, a]) => `${sz}[${pre}${a}]`),
  );
  const line = fc
    .tuple(
      fc.constantFrom('', 'main: ', '.l: ', 'x ', 'rax: '),
      fc.constantFrom(
        'mov',
        'lea',
        'rep movsb',
        'jmp short',
        'db',
        'dq',
        'times 2 nop',
        'x equ',
        'align',
        'org',
      ),
      fc.array(operand, { maxLength: 3 }),
    )
    .map(([l, m, ops]) => `${l}${m} ${ops.join(', ')}`);
  const mutated = fc
    .tuple(fc.array(line, { minLength: 1, maxLength: 6 }), fc.nat(), fc.constantFrom(...VOCAB, ''))
    .map(([lines, at, repl]) => {
      const toks = lines.join('\n').split(' ');
      toks[at % toks.length] = repl;
      return toks.join(' ');
    });

  it('random token soup never throws and every error has a sane position', () => {
    fc.assert(
      fc.property(fc.oneof(soup, mutated), (source) => checkRobust(source)),
      { seed: 42, numRuns: 20000 },
    );
  });

  it('regression cases', () => {
    for (const src of REGRESSIONS) checkRobust(src);
  });
});
