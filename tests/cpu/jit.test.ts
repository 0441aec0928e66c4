/**
 * The block compiler (src/core/cpu/jit/) against the interpreter: the JIT
 * may only change speed, never results. Every comparison covers the whole
 * machine — all CpuState fields including the raw lazy-flag fields and
 * icount, all of RAM, the stop reason and the exit request.
 *
 *  - flag fusion: every fused flag/condition expression equals flags.ts;
 *  - boundary sweeps: every template at every size and operand form on
 *    boundary values (tests/cpu/jit/sweep.ts);
 *  - differential: seeded random programs from tests/cpu/gen/ (the KVM
 *    differential's generator) and from tests/cpu/jit/programs.ts (faults
 *    delivered mid-block, MMIO/IO exits, self-modifying code, RECHECK
 *    instructions…), run with random compile thresholds and budget slices;
 *  - self-modifying code, faults in the middle of a block, budget
 *    exactness, RDTSC, the `jit` switch and the CSP fallback.
 *
 * JIT_DIFF_PROGRAMS=n scales the random suites (default 600 + 600).
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { getCF, getOF, getPF, getSF, getZF, testCondition } from '../../src/core/cpu/flags';
import { createCpuState, LOP } from '../../src/core/cpu/state';
import {
  cfExpr,
  conditionExpr,
  ofExpr,
  pfExpr,
  producer,
  sfExpr,
  zfExpr,
} from '../../src/core/cpu/jit/flagExpr';
import {
  buildBlock,
  generateSource,
  jitAvailable,
  jitCompileErrors,
  resetJitAvailability,
} from '../../src/core/cpu/jit/block';
import { generateProgram } from './gen/generator';
import { compareMachines, makeVcpu, runImage, type Image, type RunOptions } from './jit/harness';
import { jitProgram, RAM_BYTES, Rand, setupMachine } from './jit/programs';
import { BINARY_OPS, FORMS, MUL_OPS, SHIFT_OPS, SIZES, sweepProgram, UNARY_OPS } from './jit/sweep';

const N = Number(process.env.JIT_DIFF_PROGRAMS ?? 600);

function asm(source: string): Image {
  const a = assemble(source);
  if (!a.ok) throw new Error(`${a.errors[0]?.line}: ${a.errors[0]?.message}`);
  return a;
}

/** Run with the interpreter and with the JIT; expect identical machines. */
function expectSame(
  img: Image,
  jitOpts: Partial<RunOptions> = {},
  common: Partial<RunOptions> = {},
) {
  const a = runImage(img, { ...common, jit: false });
  const b = runImage(img, { threshold: 1, ...common, ...jitOpts, jit: true });
  expect(compareMachines(a.v, b.v)).toBe('');
  expect(b.stop).toBe(a.stop);
  return { interp: a.v, jit: b.v, stop: a.stop };
}

describe('flag fusion', () => {
  it('fused CF/ZF/SF/OF/PF and all 16 conditions equal flags.ts on the same lazy fields', () => {
    const r = new Rand(7);
    const parity = new Uint8Array(256);
    for (let i = 0; i < 256; i++) {
      let n = 0;
      for (let b = i; b; b >>= 1) n += b & 1;
      parity[i] = n & 1 ? 0 : 1;
    }
    const edge = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, -0x80000000];
    const val = (size: number): number => {
      const x = r.chance(0.5) ? r.pick(edge) : r.next() | 0;
      return size === 32 || size === 64 ? x | 0 : x & ((1 << size) - 1);
    };
    const kinds = [
      LOP.ADD,
      LOP.ADC,
      LOP.SUB,
      LOP.SBB,
      LOP.LOGIC,
      LOP.INC,
      LOP.DEC,
      LOP.NEG,
      LOP.EAGER,
    ];
    let checked = 0;
    for (let i = 0; i < 4000; i++) {
      const kind = r.pick(kinds);
      const size = r.pick([8, 16, 32, 64]);
      const s = createCpuState({ entry: 0 });
      const m = size === 8 ? 0xff : size === 16 ? 0xffff : -1;
      const [a, b, ah, bh] = [val(size), val(size), val(32), val(32)];
      let rl = val(size);
      let rh = val(32);
      if (kind === LOP.SUB) {
        // The direct comparisons rely on r = a - b (as SUB/CMP record it).
        if (size === 64) {
          const lo = (a >>> 0) - (b >>> 0);
          rl = lo | 0;
          rh = (ah - bh - (lo < 0 ? 1 : 0)) | 0;
        } else rl = (a - b) & m;
      }
      Object.assign(s, { lop: kind, lsz: size, la: a, lb: b, lah: ah, lbh: bh, lr: rl, lrh: rh });
      s.lcf = r.int(2);
      s.lflags = r.next() & 0x8d5;
      const p = producer(kind, size, {
        a: `(${a})`,
        b: `(${b})`,
        r: `(${rl})`,
        ah: `(${ah})`,
        bh: `(${bh})`,
        rh: `(${rh})`,
        cf: String(s.lcf),
        flags: String(s.lflags),
      });
      const exprs = [cfExpr(p), zfExpr(p), sfExpr(p), ofExpr(p), pfExpr(p)];
      for (let cc = 0; cc < 16; cc++) exprs.push(conditionExpr(p, cc));
      const got = new Function('PARITY', `return [${exprs.join(', ')}];`)(parity) as unknown[];
      const want: unknown[] = [getCF(s), getZF(s), getSF(s), getOF(s), getPF(s)];
      for (let cc = 0; cc < 16; cc++) want.push(testCondition(s, cc));
      expect(got, `kind ${kind} size ${size} ${JSON.stringify(s)}`).toEqual(want);
      checked += 16;
    }
    expect(checked).toBe(64000);
  });

  it('a dec/jnz loop tests the result directly (no flags.ts call, no flag stores per pass)', () => {
    const img = asm('mov ecx, 9\nl:\nadd eax, ebx\nxor edx, eax\nsub ebx, 1\ndec ecx\njnz l\nhlt');
    const v = makeVcpu(img, { jit: true });
    const src = generateSource(buildBlock(v, img.origin + 5).ops);
    expect(src).toContain('for (;;)');
    expect(src).not.toContain('testCondition(');
    expect(src).not.toContain('getCF(');
    // Between the budget exit and `continue`: only loop-carried locals, no stores to S.
    const head = src.slice(0, src.indexOf('continue;'));
    expect(head.slice(head.lastIndexOf('}') + 1)).not.toContain('S.');
  });
});

describe('templates on boundary values', () => {
  const cases = [...BINARY_OPS, ...UNARY_OPS, ...SHIFT_OPS, ...MUL_OPS].flatMap((op) =>
    SIZES.flatMap((size) => FORMS.map((form) => [op, size, form] as const)),
  );
  it.each(cases)('%s %i-bit, %s form', (op, size, form) => {
    const img = sweepProgram(op, size, form);
    if (img === null) return;
    const { stop, interp } = expectSame(img, {}, { maxSteps: 1e7 });
    expect(stop).toBe('exit');
    expect(interp.exit?.kind).toBe('hlt');
    expect(jitCompileErrors()).toBe(0);
  });
});

describe('differential: JIT vs interpreter on random programs', () => {
  it(`${N} programs from tests/cpu/gen (the KVM differential generator)`, () => {
    let compared = 0;
    for (let seed = 1; seed <= N; seed++) {
      const img = asm(generateProgram(seed).source);
      const slices = [() => 1e9, (i: number) => 1 + ((i * 7919) % 17), () => 1][seed % 3];
      const a = runImage(img, { jit: false, maxSteps: 1_000_000 });
      const b = runImage(img, {
        jit: true,
        threshold: [1, 2, 16][seed % 3],
        slice: slices,
        maxSteps: 1_000_000,
      });
      const d = compareMachines(a.v, b.v);
      expect(d, `seed ${seed}`).toBe('');
      compared++;
    }
    expect(compared).toBe(N);
    expect(jitCompileErrors()).toBe(0);
  });

  it(`${N} JIT-focused programs (faults mid-block, exits, SMC, RECHECK, budgets)`, () => {
    const stops = new Map<string, number>();
    for (let seed = 1; seed <= N; seed++) {
      const p = jitProgram(seed);
      const common = {
        memoryBytes: RAM_BYTES,
        setup: (v: Parameters<typeof setupMachine>[0]) => setupMachine(v, p.symbols),
      };
      const a = runImage(p, { ...common, jit: false });
      const slices = [
        () => 1e9,
        (i: number) => 1 + ((i * 7919) % 13),
        (i: number) => 1 + ((i * 31) % 200),
        () => 1,
      ][seed % 4];
      const b = runImage(p, {
        ...common,
        jit: true,
        threshold: [1, 2, 5, 16][(seed >> 2) % 4],
        slice: slices,
      });
      expect(compareMachines(a.v, b.v), `seed ${seed}`).toBe('');
      expect(b.stop, `seed ${seed}`).toBe(a.stop);
      const key = a.v.exit?.kind ?? a.stop;
      stops.set(key, (stops.get(key) ?? 0) + 1);
    }
    // Every program ends at its final HLT (the handlers repair every fault).
    expect(stops.get('hlt')).toBe(N);
    expect(jitCompileErrors()).toBe(0);
  });
});

describe('self-modifying code', () => {
  it('a hot loop that patches the immediate of its own next instruction', () => {
    // 05 id = add eax, imm32: the loop writes ecx into the imm32 before running it.
    const img = asm(`
  mov ecx, 100
  xor eax, eax
l:
  mov dword [rel p + 1], ecx
p:
  add eax, 0x12345678
  dec ecx
  jnz l
  hlt`);
    const { jit } = expectSame(img);
    expect(jit.state.rl[0]).toBe(5050);
    expect(jit.codeEpoch).toBeGreaterThan(0);
  });

  it('patching an opcode ahead in the same block, and code written by REP MOVSB', () => {
    const img = asm(`
  mov ecx, 50
  mov eax, 3
  xor edx, edx
l:
  mov byte [rel p], 0x29     ; add edx, eax -> sub edx, eax
  nop
p:
  add edx, eax
  mov byte [rel p], 0x01     ; and back
  lea rsi, [rel src]
  lea rdi, [rel q]
  push rcx
  mov ecx, 2
  rep movsb                  ; q: "add edx, eax" -> "xor edx, eax"
  pop rcx
q:
  add edx, eax
  dec ecx
  jnz l
  hlt
src:
  db 0x31, 0xc2`);
    const { jit } = expectSame(img);
    expect(jit.exit?.kind).toBe('hlt');
  });

  it('a write to the code of another hot block drops it and the new bytes run', () => {
    const img = asm(`
  mov r8d, 3
outer:
  mov ecx, 20
inner:
  add eax, 1
  dec ecx
  jnz inner
  mov byte [rel inner + 2], 0x05   ; add eax, 1 -> add eax, 5
  dec r8d
  jnz outer
  hlt`);
    const { jit } = expectSame(img);
    expect(jit.state.rl[0]).toBe(20 + 5 * 20 + 5 * 20);
  });
});

describe('faults and exits in the middle of a block', () => {
  const FAULTING = `
  mov ecx, 0x9000
l:
  add eax, 1
  xor edx, eax
  mov ebx, [rcx]             ; #PF once rcx wraps into the upper half
  sub rcx, 0x1000
  add edx, ebx
  jmp l
`;

  it('without an IDT: triple fault with RIP, icount, registers and flags of the interpreter', () => {
    const { jit } = expectSame(asm(FAULTING));
    const s = jit.state;
    expect(jit.exit?.kind).toBe('triple-fault');
    // 1 + 10 passes of 6, then add, xor retired and the load faults.
    expect(s.icount).toBe(1 + 6 * 10 + 2);
    expect(s.rip).toBe(0x10000 + 5 + 3 + 2);
    expect(jit.exit?.rip).toBe(s.rip);
    expect(s.rl[0]).toBe(11);
    expect(s.lop).toBe(LOP.LOGIC);
    expect(s.cr2).toBe(-0x1000);
  });

  it('with an IDT: #PF delivered mid-block, the handler repairs and IRETQ resumes in compiled code', () => {
    const src = `${FAULTING.replace('jmp l', 'cmp rcx, 0x3c000\n  jne l\n  hlt')}
pf_handler:
  add rcx, 0x40000
  add rsp, 8
  iretq
de_handler:
ud_handler:
  hlt`;
    const a = assemble(src);
    if (!a.ok) throw new Error(a.errors[0]?.message);
    const symbols = new Map(a.symbols.map((x) => [x.name, Number(x.value)]));
    const { jit } = expectSame(a, {}, { setup: (v) => setupMachine(v, symbols) });
    expect(jit.exit?.kind).toBe('hlt');
  });

  it('an MMIO exit mid-block leaves RIP on the access and icount exact', () => {
    const img = assemble(`
  mov r13, 0xfc000
  mov ecx, 8
l:
  add eax, 1
access:
  mov edx, [r13]             ; RAM until r13 reaches 0x100000
  add r13, 0x1000
  dec ecx
  jnz l
  hlt`);
    if (!img.ok) throw new Error(img.errors[0]?.message);
    const a = makeVcpu(img, { jit: false });
    const b = makeVcpu(img, { jit: true });
    expect(a.run(1000)).toBe('exit');
    expect(b.run(1000)).toBe('exit');
    expect(compareMachines(a, b)).toBe('');
    expect(b.exit).toMatchObject({ kind: 'mmio', access: 'read', gpa: 0x100000, rip: b.state.rip });
    expect(b.state.rip).toBe(Number(img.symbols.find((x) => x.name === 'access')?.value));
    expect(b.state.icount).toBe(2 + 4 * 5 + 1);
  });
});

describe('budget exactness', () => {
  const LOOP = asm(`
  mov ecx, 7
  xor eax, eax
l:
  add eax, ecx
  push rax
  pop rdx
  cmp eax, 10
  jb skip
  inc ebx
skip:
  dec ecx
  jnz l
  hlt`);

  it('run(k) for k = 1..50 retires exactly k and equals the interpreter after k', () => {
    const total = runImage(LOOP, { jit: false }).v.state.icount;
    expect(total).toBeGreaterThan(50);
    for (let k = 1; k <= 50; k++) {
      for (const warm of [false, true]) {
        const a = makeVcpu(LOOP, { jit: false });
        const b = makeVcpu(LOOP, { jit: true });
        if (warm) {
          // Compile every block first, then start over with the same vCPU.
          b.run(1000);
          const fresh = makeVcpu(LOOP, { jit: false }).state;
          Object.assign(b.state, { ...fresh, rl: b.state.rl, rh: b.state.rh });
          b.state.rl.set(fresh.rl);
          b.state.rh.set(fresh.rh);
          b.mem.bytes.set(a.mem.bytes);
          b.exit = null;
          expect([...b.blocks.values()].some((x) => x.fn !== null)).toBe(true);
        }
        const ra = a.run(k);
        const rb = b.run(k);
        expect(rb, `k=${k}`).toBe(ra);
        expect(a.state.icount, `k=${k}`).toBe(k);
        expect(b.state.icount, `k=${k}`).toBe(k);
        expect(compareMachines(a, b), `k=${k} warm=${warm}`).toBe('');
      }
    }
  });

  it('repeated run(k) calls on one vCPU match the interpreter after every call', () => {
    for (let k = 1; k <= 12; k++) {
      const a = makeVcpu(LOOP, { jit: false });
      const b = makeVcpu(LOOP, { jit: true });
      for (let call = 0; call < 100; call++) {
        const ra = a.run(k);
        const rb = b.run(k);
        expect(rb).toBe(ra);
        expect(compareMachines(a, b), `k=${k} call=${call}`).toBe('');
        if (ra !== 'budget') break;
      }
    }
  });
});

describe('switches and fallbacks', () => {
  it('jit = false runs the interpreter only', () => {
    const { v } = runImage(asm('mov ecx, 100\nl:\ndec ecx\njnz l\nhlt'), { jit: false });
    expect(v.blocks.size).toBe(0);
    expect(v.state.icount).toBe(201);
  });

  it('falls back to the interpreter when new Function is refused (CSP without unsafe-eval)', () => {
    // A program whose blocks no earlier test compiled (the source cache would hide the refusal).
    const img = asm(
      'mov ecx, 77\nmov eax, 0x5eed\nl:\nadd eax, 0x1357\nror eax, 3\ndec ecx\njnz l\nhlt',
    );
    const saved = globalThis.Function;
    globalThis.Function = function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
    } as unknown as FunctionConstructor;
    try {
      const { jit } = expectSame(img);
      expect(jitAvailable()).toBe(false);
      expect([...jit.blocks.values()].every((b) => b.fn === null)).toBe(true);
    } finally {
      globalThis.Function = saved;
      resetJitAvailability();
    }
    expect(jitAvailable()).toBe(true);
  });
});

describe('interpreter fixes found while building the JIT', () => {
  it('RDTSC reads the exact retired count whatever the run slicing', () => {
    const img = asm('nop\nnop\nnop\nrdtsc\nhlt');
    for (const jit of [false, true]) {
      for (const slice of [1, 2, 1000]) {
        const { v } = runImage(img, { jit, slice: () => slice });
        expect(v.state.rl[0], `jit=${jit} slice=${slice}`).toBe(3);
      }
    }
  });

  it('NEG below 64 bits sets CF from its own result, not a stale high half', () => {
    const { v } = runImage(asm('mov rax, -1\nadd rax, 0\nxor ecx, ecx\nneg ecx\nsetc bl\nhlt'), {
      jit: false,
    });
    expect(v.state.rl[3] & 0xff).toBe(0);
  });

  it('an instruction longer than 15 bytes is #GP(0), not an MMIO fetch exit', () => {
    const img: Image = {
      bytes: new Uint8Array([...Array(15).fill(0x66), 0x90, 0xf4]),
      origin: 0x10000,
      entry: 0x10000,
    };
    const { v } = runImage(img, { jit: false });
    expect(v.exit?.kind).toBe('triple-fault');
  });

  it('an MMIO exit raised in already-linked code leaves RIP on the instruction', () => {
    const img = asm(
      'mov r13, 0xff000\nmov ecx, 2\nl:\nnop\nmov eax, [r13]\nadd r13, 0x1000\ndec ecx\njnz l\nhlt',
    );
    const v2 = makeVcpu(img, { jit: false });
    expect(v2.run(100)).toBe('exit');
    expect(v2.exit?.rip).toBe(v2.state.rip);
    expect(v2.exit).toMatchObject({ kind: 'mmio', gpa: 0x100000 });
  });
});
