import { describe, expect, it } from 'vitest';
import {
  hypercallNumberAt,
  hypercallNumberFor,
  LOOKAHEAD,
} from '../../../src/ui/editor/x86asm/hypercallLink';

const lines = (text: string): string[] => text.split('\n');
/** 1-based column of the first occurrence of `needle` on `line`. */
const col = (line: string, needle: string): number => line.indexOf(needle) + 1;

describe('hypercallNumberAt', () => {
  it('links mov eax, N to the vmcall that follows', () => {
    const src = lines('mov eax, 5\nmov ebx, 0\nmov ecx, 1\nvmcall');
    const link = hypercallNumberAt(src, 1, col(src[0], '5'));
    expect(link).toMatchObject({ nr: 5n, movLine: 1, callLine: 4, insn: 'vmcall' });
    expect(link?.startColumn).toBe(10);
    expect(link?.endColumn).toBe(11);
  });

  it('works with rax, vmmcall, hex, labels, blank and comment lines in between', () => {
    const src = lines('  mov rax, 0xb ; yield\n\n; set up\n.again:\n  vmmcall');
    expect(hypercallNumberAt(src, 1, col(src[0], '0xb'))).toMatchObject({
      nr: 11n,
      callLine: 5,
      insn: 'vmmcall',
    });
  });

  it('resolves equ constants and KVM_HC_* names', () => {
    const src = lines('KICK equ 5\nmov eax, KICK\nvmcall\nmov eax, KVM_HC_SEND_IPI\nvmcall');
    expect(hypercallNumberAt(src, 2, col(src[1], 'KICK'))?.nr).toBe(5n);
    expect(hypercallNumberAt(src, 4, col(src[3], 'KVM'))?.nr).toBe(10n);
  });

  it('is undefined off the value operand', () => {
    const src = lines('mov eax, 5\nvmcall');
    expect(hypercallNumberAt(src, 1, 1)).toBeUndefined();
    expect(hypercallNumberAt(src, 1, col(src[0], 'eax'))).toBeUndefined();
  });

  it('needs the destination to be rax or eax', () => {
    const src = lines('mov ebx, 5\nvmcall');
    expect(hypercallNumberAt(src, 1, col(src[0], '5'))).toBeUndefined();
  });

  it.each([
    ['a write to eax', 'xor eax, eax'],
    ['a write to al', 'mov al, 1'],
    ['an implicit write (cpuid)', 'cpuid'],
    ['an xchg with rax', 'xchg rbx, rax'],
    ['a jump', 'jmp done'],
    ['a ret', 'ret'],
    ['data', 'db 0'],
  ])('breaks at %s', (_what, stmt) => {
    const src = lines(`mov eax, 5\n${stmt}\nvmcall`);
    expect(hypercallNumberAt(src, 1, col(src[0], '5'))).toBeUndefined();
  });

  it('does not break at instructions that only read rax', () => {
    const src = lines('mov eax, 9\ncmp rax, 9\ntest eax, eax\npush rax\nvmcall');
    expect(hypercallNumberAt(src, 1, col(src[0], '9'))?.callLine).toBe(5);
  });

  it(`gives up after ${LOOKAHEAD} statements`, () => {
    const nops = Array.from({ length: LOOKAHEAD }, () => 'nop').join('\n');
    const src = lines(`mov eax, 5\n${nops}\nvmcall`);
    expect(hypercallNumberAt(src, 1, col(src[0], '5'))).toBeUndefined();
    const near = lines(`mov eax, 5\n${'nop\n'.repeat(LOOKAHEAD - 1)}vmcall`);
    expect(hypercallNumberAt(near, 1, col(near[0], '5'))).toBeDefined();
  });
});

describe('hypercallNumberFor', () => {
  it('finds the mov that sets the number of a vmcall', () => {
    const src = lines('mov eax, 5\nmov ebx, 0\nmov ecx, 1\nvmcall');
    expect(hypercallNumberFor(src, 4)).toMatchObject({ nr: 5n, movLine: 1 });
  });
  it('is undefined when RAX is set some other way', () => {
    expect(hypercallNumberFor(lines('mov eax, ebx\nvmcall'), 2)).toBeUndefined();
    expect(hypercallNumberFor(lines('mov eax, 5\nxor eax, eax\nvmcall'), 3)).toBeUndefined();
    expect(hypercallNumberFor(lines('vmcall'), 1)).toBeUndefined();
  });
});
