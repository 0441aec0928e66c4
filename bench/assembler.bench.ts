/**
 * Assembler throughput: the example program, and a synthetic program of a few
 * thousand lines built from the same instruction mix (unique labels per copy).
 */
import { assemble } from '../src/core/isa/assembler';
import { HELLO_PROGRAM } from '../src/lessons/examples/hello';
import { measure, type BenchResult } from './harness';

function syntheticProgram(copies: number): string {
  const lines: string[] = ['_start:'];
  for (let i = 0; i < copies; i++) {
    lines.push(
      `block${i}:`,
      '    lea rsi, [rel .msg]',
      '    mov ecx, 5',
      '    mov dx, 0x3f8',
      '.next:',
      '    mov al, [rsi]',
      '    out dx, al',
      '    inc rsi',
      '    dec ecx',
      '    jnz .next',
      '    mov eax, 11',
      '    xor ebx, ebx',
      '    vmcall',
      '    jmp .done',
      '.msg: db "Hello"',
      '.done:',
    );
  }
  lines.push('    hlt');
  return lines.join('\n');
}

function countLines(source: string): number {
  return source.split('\n').length;
}

function assembleOrThrow(source: string): void {
  const result = assemble(source);
  if (!result.ok) {
    const first = result.errors[0];
    throw new Error(
      `assembly failed: ${first ? `${first.line}:${first.column} ${first.message}` : '?'}`,
    );
  }
}

/** Bench entry point (see bench/harness.ts). */
export function run(): BenchResult[] {
  const big = syntheticProgram(250);
  assembleOrThrow(HELLO_PROGRAM);
  assembleOrThrow(big);
  return [
    measure('assemble hello.s', () => assemble(HELLO_PROGRAM), {
      samples: 50,
      warmup: 10,
      unitsPerCall: countLines(HELLO_PROGRAM),
      unit: 'lines/s',
    }),
    measure(`assemble synthetic (${countLines(big)} lines)`, () => assemble(big), {
      samples: 15,
      warmup: 3,
      unitsPerCall: countLines(big),
      unit: 'lines/s',
    }),
  ];
}
