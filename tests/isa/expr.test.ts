import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/core/isa/ast';
import {
  type EvalContext,
  evalExpr,
  exprEndColumn,
  exprIsRelocatable,
  exprSymbols,
  parseExpression,
} from '../../src/core/isa/expr';
import { numberValue, tokenizeLine } from '../../src/core/isa/lexer';

const EMPTY: EvalContext = { lookup: () => undefined, here: 0x1000n, sectionStart: 0x400n };

function parse(text: string): Expr {
  const r = parseExpression(text);
  expect(r.errors).toEqual([]);
  if (r.expr === undefined) throw new Error('no expr');
  return r.expr;
}

/** Value of a constant expression (signed 64-bit). */
function val(text: string, ctx: EvalContext = EMPTY): bigint {
  const r = evalExpr(parse(text), ctx);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const u = (v: bigint): bigint => BigInt.asIntN(64, v);

describe('number literals', () => {
  it.each([
    ['0', 0n],
    ['42', 42n],
    ['1_000_000', 1000000n],
    ['0x1F', 0x1fn],
    ['0X1f', 0x1fn],
    ['0xdead_beef', 0xdeadbeefn],
    ['0h1F', 0x1fn],
    ['0FFh', 0xffn],
    ['0ffH', 0xffn],
    ['1bh', 0x1bn],
    ['0b1010', 10n],
    ['0B1010', 10n],
    ['0b1111_0000', 0xf0n],
    ['1010b', 10n],
    ['1010B', 10n],
    ['0y101', 5n],
    ['101y', 5n],
    ['0b', 0n],
    ['0o17', 15n],
    ['0O17', 15n],
    ['0q17', 15n],
    ['17o', 15n],
    ['17q', 15n],
    ['17Q', 15n],
    ['0d19', 19n],
    ['19d', 19n],
    ['19t', 19n],
    ['0b1h', 0xb1n],
    ['0dh', 0xdn],
    ['18446744073709551615', u(0xffffffffffffffffn)],
    ['0xffffffffffffffff', -1n],
  ])('%s = %s', (text, want) => {
    expect(val(text)).toBe(want);
  });

  it('records the raw (unsigned) value in the tree', () => {
    expect(parse('0xffffffffffffffff')).toMatchObject({ kind: 'num', value: 0xffffffffffffffffn });
  });

  it.each(['12abc', '0x', '0xg', '19b', '8o', '1.5', '0FFG', '0b_', '1__h_'])(
    'rejects %s',
    (text) => {
      const r = parseExpression(text);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ line: 1, column: 1, endColumn: text.length + 1 });
      expect(r.errors[0].message).toBe(`invalid number '${text}'`);
    },
  );

  it('rejects numbers over 64 bits', () => {
    const r = parseExpression('0x1_0000_0000_0000_0000');
    expect(r.errors[0].message).toBe("number '0x1_0000_0000_0000_0000' does not fit in 64 bits");
  });

  it('numberValue is undefined for malformed literals', () => {
    expect(numberValue('0FFh')).toBe(255n);
    expect(numberValue('zz')).toBeUndefined();
  });
});

describe('operators', () => {
  it.each([
    ['1 + 2', 3n],
    ['5 - 7', -2n],
    ['6 * 7', 42n],
    ['7 / 2', 3n],
    ['-7 / 2', u(BigInt.asUintN(64, -7n) / 2n)],
    ['-7 // 2', -3n],
    ['7 // -2', -3n],
    ['7 % 3', 1n],
    ['-7 % 3', u(BigInt.asUintN(64, -7n) % 3n)],
    ['-7 %% 3', -1n],
    ['7 %% -3', 1n],
    ['1 << 4', 16n],
    ['1 << 64', 1n],
    ['1 << 65', 2n],
    ['1 << 63', -(1n << 63n)],
    ['-1 >> 60', 15n],
    ['256 >> 68', 16n],
    ['0xF0 & 0x3C', 0x30n],
    ['0xF0 | 0x0F', 0xffn],
    ['0xFF ^ 0x0F', 0xf0n],
    ['~0', -1n],
    ['!0', 1n],
    ['!5', 0n],
    ['-5', -5n],
    ['+5', 5n],
    ['- -5', 5n],
    ['0x7fffffffffffffff + 1', -(1n << 63n)],
    ['0x8000000000000000 // -1', -(1n << 63n)],
    ['0x100000000 * 0x100000000', 0n],
  ])('%s = %s', (text, want) => {
    expect(val(text)).toBe(want);
  });

  it.each([
    // lowest → highest: | ^ & << >> + - * / // % %% unary
    ['1 | 2 ^ 3', 1n | (2n ^ 3n)],
    ['6 ^ 3 & 5', 6n ^ (3n & 5n)],
    ['3 & 1 << 1', 3n & (1n << 1n)],
    ['1 << 2 + 1', 1n << 3n],
    ['16 >> 1 + 1', 4n],
    ['2 + 3 * 4', 14n],
    ['10 - 6 / 2', 7n],
    ['10 - 7 // 2', 7n],
    ['10 + 7 % 4', 13n],
    ['10 + 7 %% 4', 13n],
    ['-2 * 3', -6n],
    ['~1 + 1', -1n],
    ['!0 + 1', 2n],
    ['(2 + 3) * 4', 20n],
    ['((1))', 1n],
    ['10 - 4 - 3', 3n],
    ['100 / 10 / 5', 2n],
    ['1 << 2 << 3', 32n],
    ['2 * -3', -6n],
  ])('precedence/associativity: %s = %s', (text, want) => {
    expect(val(text)).toBe(want);
  });

  it('builds binary nodes with the operator and left-to-right structure', () => {
    const e = parse('a - b - c');
    expect(e).toMatchObject({
      kind: 'binary',
      op: '-',
      left: { kind: 'binary', op: '-', left: { name: 'a' }, right: { name: 'b' } },
      right: { name: 'c' },
      pos: { line: 1, column: 1 },
    });
  });
});

describe('character constants', () => {
  it.each([
    ["'A'", 0x41n],
    ['"A"', 0x41n],
    ["'ab'", 0x6261n],
    ["'abcd'", 0x64636261n],
    ["'abcdefgh'", 0x6867666564636261n],
    ["''", 0n],
    ['`\\n`', 10n],
    ["'A' + 1", 0x42n],
  ])('%s = %s', (text, want) => {
    expect(val(text)).toBe(BigInt.asIntN(64, want));
  });

  it('rejects constants longer than 8 bytes', () => {
    const r = parseExpression("'abcdefghi'");
    expect(r.errors[0]).toMatchObject({
      column: 1,
      endColumn: 12,
      message: 'a character constant can hold at most 8 bytes',
    });
  });
});

describe('evalExpr', () => {
  const labels = new Map<string, bigint>([
    ['start', 0x10000n],
    ['end', 0x10010n],
    ['K', 7n],
  ]);
  const ctx: EvalContext = {
    lookup: (n) => labels.get(n),
    here: 0x10004n,
    sectionStart: 0x10000n,
    isLabel: (n) => n === 'start' || n === 'end',
  };

  it('looks up names, $ and $$', () => {
    expect(evalExpr(parse('end - start'), ctx)).toEqual({ ok: true, value: 16n, usesLabels: true });
    expect(evalExpr(parse('$ - $$'), ctx)).toEqual({ ok: true, value: 4n, usesLabels: true });
    expect(evalExpr(parse('$'), ctx)).toMatchObject({ value: 0x10004n, usesLabels: true });
    expect(evalExpr(parse('$$'), ctx)).toMatchObject({ value: 0x10000n, usesLabels: true });
  });

  it('usesLabels is false for equ constants and numbers', () => {
    expect(evalExpr(parse('K * 2'), ctx)).toEqual({ ok: true, value: 14n, usesLabels: false });
    expect(evalExpr(parse('K'), { ...ctx, isLabel: undefined })).toEqual({
      ok: true,
      value: 7n,
      usesLabels: false,
    });
  });

  it('wraps looked-up values to signed 64 bits', () => {
    expect(evalExpr(parse('x'), { ...EMPTY, lookup: () => 0xffffffffffffffffn })).toMatchObject({
      value: -1n,
    });
  });

  it('reports undefined labels at the name', () => {
    expect(evalExpr(parse('1 + nope'), ctx)).toEqual({
      ok: false,
      error: { line: 1, column: 5, endColumn: 9, message: "label 'nope' is not defined" },
    });
  });

  it('reports the first error left to right', () => {
    const r = evalExpr(parse('a / 0 + b'), EMPTY);
    expect(r).toMatchObject({ ok: false, error: { message: "label 'a' is not defined" } });
  });

  it.each(['1 / 0', '1 // 0', '1 % 0', '1 %% (2 - 2)'])('reports division by zero: %s', (text) => {
    const r = evalExpr(parse(text), EMPTY);
    expect(r).toEqual({
      ok: false,
      error: { line: 1, column: 1, endColumn: text.length + 1, message: 'division by zero' },
    });
  });

  it('survives hand-built trees deeper than the stack', () => {
    let e: Expr = { kind: 'num', value: 1n, pos: { line: 1, column: 1 } };
    for (let i = 0; i < 200000; i++)
      e = { kind: 'unary', op: '-', arg: e, pos: { line: 1, column: 1 } };
    const r = evalExpr(e, EMPTY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('expression is too complex');
  });
});

describe('exprSymbols / exprEndColumn', () => {
  it('lists each name once, in order', () => {
    expect(exprSymbols(parse('b + a * (b - c) + $'))).toEqual(['b', 'a', 'c']);
    expect(exprSymbols(parse('1 + 2'))).toEqual([]);
  });

  it('gives the end column of parsed trees', () => {
    expect(exprEndColumn(parse('  12 + foo'))).toBe(11);
    expect(exprEndColumn(parse('-0x10'))).toBe(6);
    expect(exprEndColumn(parse('$$'))).toBe(3);
  });
});

describe('parseExpression errors', () => {
  it.each([
    ['', 1, 'expected an expression'],
    ['1 +', 4, 'expected an expression'],
    ['(1 + 2', 7, "missing ')'"],
    ['1 2', 3, 'expected end of line'],
    ['rax + 1', 1, "register 'rax' cannot be used in an expression"],
    ['* 2', 1, 'expected an expression'],
    [')', 1, 'expected an expression'],
  ])('%j → col %i %s', (text, column, message) => {
    const r = parseExpression(text);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 1, column, message });
    expect(r.errors[0].endColumn).toBeGreaterThan(column);
  });

  it('limits nesting and size instead of overflowing the stack', () => {
    expect(parseExpression('('.repeat(5000) + '1' + ')'.repeat(5000)).errors[0].message).toBe(
      'expression is too deeply nested',
    );
    expect(parseExpression('-'.repeat(5000) + '1').errors[0].message).toBe(
      'expression is too deeply nested',
    );
    expect(parseExpression(Array(5000).fill('1').join('+')).errors[0].message).toBe(
      'expression is too complex',
    );
    expect(parseExpression(Array(1000).fill('1').join('+')).errors).toEqual([]);
  });

  it('escaped names are symbols, not registers', () => {
    expect(parse('$rax')).toMatchObject({ kind: 'sym', name: 'rax', endColumn: 5 });
  });

  it('tokenizes $ and $$ distinctly', () => {
    expect(tokenizeLine('$ $$', 1).tokens.map((t) => t.kind)).toEqual([
      'here',
      'sectionStart',
      'eol',
    ]);
  });
});

describe('exprIsRelocatable', () => {
  const isLabel = (n: string): boolean => n.startsWith('L');
  it.each([
    ['L1', true],
    ['L1 + 4', true],
    ['4 + L1 - 2', true],
    ['L2 - L1', false],
    ['(L2 - L1) * 4', false],
    ['$ - $$', false],
    ['$', true],
    ['L1 - $', false],
    ['2 * L1', true],
    ['L1 & 3', true],
    ['L1 + L2', true],
    ['-L1', true],
    ['~L1 + L1', false],
    ['!L1', true],
    ['K * 2', false],
    ['5', false],
  ])('%s → %s', (text, want) => {
    expect(exprIsRelocatable(parse(text), isLabel)).toBe(want);
  });
});
