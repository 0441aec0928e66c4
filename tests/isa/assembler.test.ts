/**
 * Assembler behaviour a student meets directly: the messages, all errors at
 * once with positions, the source map and symbols, size keywords on
 * immediates, and the `cli asm` command.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { formatListing, runAsm } from '../../src/cli/asm';

describe('errors', () => {
  it('reports every problem at once, with line, column and a readable message', () => {
    const r = assemble(
      ['mov [rax], [rbx]', 'jmp loop1', 'mov al, 300', 'mvo eax, 1', 'add [rax], 1'].join('\n'),
    );
    expect(r.ok).toBe(false);
    expect(r.bytes.length).toBe(0);
    expect(r.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [1, 12, 'mov cannot take two memory operands'],
      [2, 5, "label 'loop1' is not defined"],
      [3, 9, 'immediate 300 does not fit in 8 bits'],
      [4, 1, "'mvo' is not an instruction this assembler knows"],
      [
        5,
        5,
        'operation size not specified: write byte, word, dword or qword before the memory operand',
      ],
    ]);
    for (const e of r.errors) expect(e.endColumn).toBeGreaterThan(e.column);
  });

  it('explains REX conflicts, short jumps out of reach and wrong sizes', () => {
    const msg = (src: string) => assemble(src).errors.map((e) => e.message);
    expect(msg('mov ah, r8b')[0]).toMatch(
      /ah cannot be used in an instruction that needs a REX prefix/,
    );
    expect(msg('jmp short far\ntimes 200 nop\nfar: hlt')[0]).toMatch(/out of reach/);
    expect(msg('add eax, rbx')[0]).toMatch(/operand sizes do not match/);
    expect(msg('push dword 5')[0]).toMatch(/no 32-bit form/);
    expect(msg('mov rax, 0x10000000000000000')).toHaveLength(1);
  });
});

describe('output', () => {
  it('source map, symbols and entry', () => {
    const r = assemble(
      'org 0x20000\nstart:\n  nop\n_start:\n  mov eax, K\nK equ 7\nmsg db "hi", 0\n',
    );
    expect(r.ok).toBe(true);
    expect(r.origin).toBe(0x20000);
    expect(r.entry).toBe(0x20001);
    expect(r.sourceMap).toEqual([
      { address: 0x20000, length: 1, line: 3, isInsn: true },
      { address: 0x20001, length: 5, line: 5, isInsn: true },
      { address: 0x20006, length: 3, line: 7, isInsn: false },
    ]);
    expect(r.symbols.map((s) => [s.name, s.value, s.kind])).toEqual([
      ['start', 0x20000n, 'label'],
      ['_start', 0x20001n, 'label'],
      ['K', 7n, 'equ'],
      ['msg', 0x20006n, 'label'],
    ]);
  });

  it('a size keyword on an immediate sets the operation size (push word 5)', () => {
    expect([...assemble('push word 5').bytes]).toEqual([0x66, 0x6a, 0x05]);
    expect([...assemble('push qword 5').bytes]).toEqual([0x6a, 0x05]);
  });
});

describe('cli asm', () => {
  const io = (files: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const written: Record<string, Uint8Array> = {};
    return {
      out,
      err,
      written,
      io: {
        readFile: (p: string) => {
          if (!(p in files)) throw new Error('no such file');
          return files[p];
        },
        writeFile: (p: string, d: Uint8Array) => void (written[p] = d),
        out: { write: (s: string) => out.push(s) },
        err: { write: (s: string) => err.push(s) },
      },
    };
  };

  it('prints a listing, or writes the flat image with -o', () => {
    const t = io({ 'a.s': 'start: vmcall\njmp start\n' });
    expect(runAsm(['a.s'], t.io)).toBe(0);
    expect(t.out.join('')).toBe(
      formatListing('start: vmcall\njmp start\n', assemble('start: vmcall\njmp start\n')),
    );
    expect(t.out.join('')).toContain('00010000  0f 01 c1');
    expect(runAsm(['a.s', '-o', 'a.bin'], t.io)).toBe(0);
    expect([...t.written['a.bin']]).toEqual([0x0f, 0x01, 0xc1, 0xeb, 0xfb]);
  });

  it('exits 1 with file:line:column errors, 2 on usage errors', () => {
    const t = io({ 'b.s': 'nop\nmov al, 300\n' });
    expect(runAsm(['b.s'], t.io)).toBe(1);
    expect(t.err.join('')).toBe('b.s:2:9: error: immediate 300 does not fit in 8 bits\n');
    expect(runAsm([], t.io)).toBe(2);
    expect(runAsm(['missing.s'], t.io)).toBe(2);
  });
});
