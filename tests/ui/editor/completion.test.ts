import { describe, expect, it } from 'vitest';
import { HYPERCALLS, MNEMONICS, REGISTERS, assemble } from '../../../src/core';
import {
  completionPosition,
  completionsAt,
  hypercallInsertText,
  type CompletionResult,
} from '../../../src/ui/editor/x86asm/completion';
import { DIRECTIVE_DOCS } from '../../../src/ui/editor/x86asm/directives';

/** Completions with the caret at the end of the last line of `program`. */
function at(program: string): CompletionResult {
  const lines = program.split('\n');
  return completionsAt(lines, lines.length, lines[lines.length - 1].length + 1);
}
const labels = (r: CompletionResult, kind?: string): string[] =>
  r.items.filter((i) => kind === undefined || i.kind === kind).map((i) => i.label);

describe('completion position', () => {
  it.each([
    ['', 'statement'],
    ['  vm', 'statement'],
    ['start: mo', 'statement'],
    ['rep mov', 'statement'],
    ['msg d', 'statement'],
    ['times 4 n', 'statement'],
    ['mov ', 'operand'],
    ['mov eax, K', 'operand'],
    ['msg db ', 'operand'],
    ['times ', 'operand'],
    ['mov eax, 5 ; KVM', 'comment'],
  ])('%j is %s', (line, position) => {
    expect(completionPosition(line, line.length + 1)).toBe(position);
  });
});

describe('statement completions', () => {
  const r = at('  v');
  it('include every MNEMONIC exactly once', () => {
    const got = labels(r, 'instruction');
    expect(got.slice().sort()).toEqual([...MNEMONICS].sort());
    expect(new Set(got).size).toBe(got.length);
  });
  it('have no duplicate labels at all', () => {
    const all = labels(r);
    expect(new Set(all).size).toBe(all.length);
  });
  it('include the directives and prefixes', () => {
    expect(labels(r, 'directive')).toEqual(DIRECTIVE_DOCS.map((d) => d.name));
    expect(labels(r, 'prefix')).toContain('rep');
  });
  it('replace the word being typed', () => {
    expect(r.startColumn).toBe(3);
    expect(r.endColumn).toBe(4);
  });
  it('offer KVM_HC_* definitions that assemble', () => {
    const defs = r.items.filter((i) => i.kind === 'hypercall');
    expect(defs).toHaveLength(HYPERCALLS.size);
    for (const d of defs) expect(assemble(d.insertText).errors, d.insertText).toEqual([]);
    expect(defs.find((d) => d.label === 'KVM_HC_KICK_CPU')?.insertText).toBe(
      'KVM_HC_KICK_CPU equ 5',
    );
  });
  it('document instructions with their hover text', () => {
    const vmcall = r.items.find((i) => i.label === 'vmcall');
    expect(vmcall?.documentation).toContain('EXIT_REASON_VMCALL');
    expect(r.items.find((i) => i.label === 'jz')?.detail).toContain('alias of je');
  });
});

describe('directives', () => {
  it('only list what the assembler accepts (every example assembles)', () => {
    for (const d of DIRECTIVE_DOCS) {
      expect(assemble(d.example).errors, d.example).toEqual([]);
      expect(d.example.toLowerCase()).toContain(d.name);
    }
  });
  it('leave out what the assembler rejects', () => {
    for (const rejected of ['extern foo', 'default rel', 'use32']) {
      expect(assemble(rejected).errors.length).toBeGreaterThan(0);
    }
    const names = DIRECTIVE_DOCS.map((d) => d.name);
    for (const n of ['extern', 'default', 'use32', 'use16']) expect(names).not.toContain(n);
  });
});

describe('operand completions', () => {
  it('include every register exactly once, and no instructions', () => {
    const r = at('mov ');
    expect(labels(r, 'register').sort()).toEqual([...REGISTERS.keys()].sort());
    expect(labels(r, 'instruction')).toEqual([]);
    const all = labels(r);
    expect(new Set(all).size).toBe(all.length);
  });

  it('complete a hypercall to its number with the name in a trailing comment at line end', () => {
    const r = at('mov eax, KVM');
    const kick = r.items.find((i) => i.label === 'KVM_HC_KICK_CPU');
    expect(kick?.insertText).toBe('5 ; KVM_HC_KICK_CPU');
    expect(kick?.filterText).toBe('KVM_HC_KICK_CPU');
    expect(labels(r, 'hypercall')).toHaveLength(HYPERCALLS.size);
  });

  it('insert only the number when text follows the caret', () => {
    const line = 'mov eax,  ; comment';
    const r = completionsAt([line], 1, 10);
    expect(r.items.find((i) => i.label === 'KVM_HC_SEND_IPI')?.insertText).toBe('10');
  });

  it('insert the name when the program defines it with equ', () => {
    const r = at('KVM_HC_KICK_CPU equ 5\nmov eax, K');
    expect(r.items.find((i) => i.label === 'KVM_HC_KICK_CPU')?.insertText).toBe('KVM_HC_KICK_CPU');
  });

  it('the inserted text assembles (numbers are what the assembler accepts)', () => {
    for (const e of HYPERCALLS.values()) {
      const text = hypercallInsertText(e, { definedByProgram: false, atLineEnd: true });
      expect(assemble(`mov eax, ${text}\nvmcall`).errors).toEqual([]);
      expect(assemble(`mov eax, ${e.name}\nvmcall`).errors.length).toBeGreaterThan(0);
    }
  });

  it("offer the program's labels and equ names", () => {
    const r = at('PORT equ 0x3f8\nstart:\n.loop:\njmp s');
    expect(labels(r, 'symbol')).toEqual(expect.arrayContaining(['start', 'PORT']));
    expect(labels(r, 'symbol')).not.toContain('.loop');
  });
});

describe('comment completions', () => {
  it('offer KVM_HC_* names that insert the name', () => {
    const r = at('mov eax, 5 ; KVM_HC_K');
    expect(r.items.every((i) => i.kind === 'hypercall' && i.insertText === i.label)).toBe(true);
    expect(r.items).toHaveLength(HYPERCALLS.size);
  });
});
