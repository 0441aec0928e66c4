/**
 * Boundary-value sweeps for the block compiler's templates: per
 * (operation, operand size, operand form) a loop over a table of boundary
 * values (0, 1, sign bits and their neighbours, all ones…) with CF clear
 * and set, storing the result, all 16 condition codes (SETcc right after
 * the operation: fused with it) and RFLAGS (PUSHFQ: from the stored lazy
 * fields) into memory. Random programs rarely land exactly on a carry or
 * overflow boundary; these do, for every template.
 *
 * The carry-in comes from three kinds of producer, so ADC/SBB/INC/DEC read
 * it fused from an EAGER producer (SHR), from a NEG, or from CpuState after
 * an instruction without a template (CMC).
 */
import { assemble } from '../../../src/core/isa';
import type { Image } from './harness';

const VALUES = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0x7fffn,
  0x8000n,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x7fffffffffffffffn,
  0x8000000000000000n,
  0xffffffffffffffffn,
  0xfffffffffffffffen,
];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
type Size = 8 | 16 | 32 | 64;
const A: Record<Size, string> = { 8: 'al', 16: 'ax', 32: 'eax', 64: 'rax' };
const B: Record<Size, string> = { 8: 'bl', 16: 'bx', 32: 'ebx', 64: 'rbx' };
const KW: Record<Size, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

export const BINARY_OPS = ['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test'];
export const UNARY_OPS = ['inc', 'dec', 'neg', 'not'];
export const SHIFT_OPS = ['shl', 'shr', 'sar', 'rol', 'ror'];
/** Two/three-operand IMUL (no 8-bit form). */
export const MUL_OPS = ['imul'];
export const SIZES: readonly Size[] = [8, 16, 32, 64];
/** Register, register–memory, memory–register (binary); register / memory (unary, shifts); immediate. */
export const FORMS = ['reg', 'mem', 'imm'] as const;
export type Form = (typeof FORMS)[number];

const CARRY_IN = [['shr ecx, 1'], ['neg ecx'], ['neg ecx', 'cmc', 'cmc']];

const hex = (x: bigint): string => `0x${x.toString(16)}`;

/**
 * The sweep program for `op` at `size` in `form`. 'imm' is the immediate
 * source (binary) or the shift count; unary operations have no 'imm' form.
 */
export function sweepProgram(op: string, size: Size, form: Form): Image | null {
  const mul = MUL_OPS.includes(op);
  const binary = BINARY_OPS.includes(op) || mul;
  const shift = SHIFT_OPS.includes(op);
  if (form === 'imm' && !binary && !shift) return null;
  if (mul && size === 8) return null;
  const a = A[size];
  const b = B[size];
  const mem = `${KW[size]} [r15 - 16]`;
  // Table rows: a, b, carry (24 bytes each).
  const rows: [bigint, bigint, number][] = [];
  for (const x of VALUES)
    for (const y of binary && form !== 'imm' ? VALUES : [0n])
      for (const c of [0, 1]) rows.push([x, y, c]);
  const lines = ['  org 0x10000', '_start:', '  mov r15, 0x40000'];
  const variants: string[][] = [];
  if (form === 'imm') {
    const imms = binary
      ? VALUES.filter((v) => size < 64 || BigInt.asIntN(64, v) === BigInt.asIntN(32, v)).map((v) =>
          size === 64 ? String(BigInt.asIntN(64, v)) : hex(BigInt.asUintN(size, v)),
        )
      : ['0', '1', '2', '7', String(size - 1), String(size), String(size + 1), '63', '64'];
    for (const imm of imms)
      variants.push([mul ? `  ${op} ${a}, ${b}, ${imm}` : `  ${op} ${a}, ${imm}`]);
  } else if (form === 'mem') {
    const operation = binary ? `${op} ${mem}, ${b}` : shift ? `${op} ${mem}, 1` : `${op} ${mem}`;
    if (!mul) variants.push(['  mov [r15 - 16], rax', `  ${operation}`, '  mov rax, [r15 - 16]']);
    if (binary && op !== 'test')
      variants.push([`  ${op} ${a}, ${mem.replace('[r15 - 16]', '[r15 - 8]')}`]);
  } else {
    variants.push([binary ? `  ${op} ${a}, ${b}` : shift ? `  ${op} ${a}, cl` : `  ${op} ${a}`]);
  }
  variants.forEach((operation, vi) => {
    const top = `next_${vi}`;
    lines.push('  lea r14, [rel table]', `  mov r13d, ${rows.length}`, `${top}:`);
    lines.push(
      '  mov rax, [r14]',
      '  mov rbx, [r14 + 8]',
      '  mov [r15 - 8], rbx',
      '  mov ecx, [r14 + 16]',
    );
    lines.push(...CARRY_IN[vi % 3].map((l) => `  ${l}`));
    if (shift && form === 'reg') lines.push('  mov ecx, r13d');
    lines.push(...operation);
    for (let cc = 0; cc < 16; cc++) lines.push(`  set${CC[cc]} byte [r15 + ${16 + cc}]`);
    lines.push('  pushfq', '  pop rdx', '  mov [r15], rax', '  mov [r15 + 8], rdx');
    lines.push('  add r15, 32', '  add r14, 24', '  dec r13d', `  jnz ${top}`);
  });
  lines.push('  hlt', '  align 8', 'table:');
  for (const [x, y, c] of rows) lines.push(`  dq ${hex(x)}, ${hex(y)}, ${c}`);
  lines.push('');
  const asm = assemble(lines.join('\n'));
  if (!asm.ok)
    throw new Error(
      `${op}/${size}/${form}: ${asm.errors[0]?.message} (line ${asm.errors[0]?.line})`,
    );
  return asm;
}
