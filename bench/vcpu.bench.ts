/**
 * vCPU throughput: a 50-million-instruction ALU loop (32-bit registers,
 * 64-bit registers, and one with a load and a store per pass), run through
 * `runFlatImage` with the block compiler (jit) and with the interpreter
 * only. Reports the median of 5 runs in M instr/s (the target for the JIT
 * is at least 150 M instr/s).
 *
 * `VCPU_BENCH_PASSES=n` changes the loop count (default 10 million passes
 * of 5 instructions).
 */
import { runFlatImage } from '../src/core/cpu';
import { assemble } from '../src/core/isa/assembler';
import { measure, type BenchResult } from './harness';

const PASSES = Number(process.env.VCPU_BENCH_PASSES ?? 10_000_000);

/** The loop bodies (5 instructions per pass, ending in dec/jnz), by name. */
export const LOOPS: Record<string, string> = {
  'alu 32-bit': `
  mov ecx, ${PASSES}
  xor eax, eax
  mov ebx, 3
l:
  add eax, ebx
  xor edx, eax
  sub ebx, 1
  dec ecx
  jnz l
  hlt`,
  'alu 64-bit': `
  mov rcx, ${PASSES}
  xor rax, rax
  mov rbx, 3
l:
  add rax, rbx
  xor rdx, rax
  sub rbx, 1
  dec rcx
  jnz l
  hlt`,
  'alu + memory': `
  mov ecx, ${PASSES}
  xor eax, eax
  mov esi, 0x40000
l:
  add eax, [rsi + 8]
  xor edx, eax
  mov [rsi + 16], edx
  dec ecx
  jnz l
  hlt`,
};

/** Run the loop once with the JIT on or off; returns the retired count. */
function runOnce(bytes: Uint8Array, origin: number, jit: boolean): number {
  const r = runFlatImage(bytes, origin, { maxSteps: 5 * PASSES + 100, jit });
  if (r.stop !== 'hlt') throw new Error(`loop stopped with ${r.stop}`);
  return r.retired;
}

/** Bench entry point (see bench/harness.ts). */
export function run(): BenchResult[] {
  const results: BenchResult[] = [];
  for (const [name, source] of Object.entries(LOOPS)) {
    const asm = assemble(source);
    if (!asm.ok) throw new Error(`${name}: ${asm.errors[0]?.message}`);
    const retired = runOnce(asm.bytes, asm.origin, true);
    for (const jit of [true, false]) {
      const r = measure(
        `vcpu ${name} (${jit ? 'jit' : 'interpreter'})`,
        () => runOnce(asm.bytes, asm.origin, jit),
        {
          samples: 5,
          warmup: 1,
          unitsPerCall: retired / 1e6,
          unit: 'M instr/s',
        },
      );
      results.push(r);
    }
  }
  return results;
}
