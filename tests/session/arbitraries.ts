/** Random guest programs for the session property tests (fast-check arbitraries). */
import fc from 'fast-check';

/** Random guest programs that exit in every way: hypercalls, port I/O, CPUID, MMIO, HLT. */
export const line = fc.oneof(
  fc.constantFrom(
    'add eax, ecx',
    'xor ebx, eax',
    'imul ebx, ebx, 3',
    'push rax',
    'pop rdx',
    'inc r8',
    'shl eax, 3',
  ),
  fc.integer({ min: 0, max: 12 }).map((nr) => `mov eax, ${nr}\n  xor ebx, ebx\n  vmcall`),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => `mov al, ${c}\n  mov dx, 0x3f8\n  out dx, al`),
  fc.constant('mov eax, 0x40000000\n  cpuid'),
  fc.constant('mov rdi, 0x10000000\n  mov dword [rdi + 8], eax\n  mov esi, [rdi]'),
  fc.constant('in al, 0x61'),
);
export const program = fc
  .tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 40 }))
  .map(
    ([body, n]) =>
      `  mov r15d, ${n}\nloop_top:\n  ${body.join('\n  ')}\n  dec r15d\n  jnz loop_top\n  hlt\n`,
  );
