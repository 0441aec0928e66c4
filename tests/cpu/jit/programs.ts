/**
 * Seeded random guest programs aimed at the block compiler's edge cases,
 * for the JIT-vs-interpreter differential test: every templated family at
 * every size and operand form, flag producers followed by every kind of
 * flag consumer, loops (self-loop blocks), calls, faults in the middle of a
 * block (#PF/#SS/#DE/#UD delivered through an IDT whose handlers repair the
 * cause and IRETQ back), MMIO and port-I/O exits, self-modifying code
 * (patching immediates and opcodes, also inside loops), string
 * instructions, RDTSC, STI/CLI/POPFQ (RECHECK) and instructions without a
 * template.
 *
 * Unlike tests/cpu/gen/ these programs need not run on real hardware: the
 * interpreter is the reference, and every flag (defined or not) is compared.
 * `setupMachine` installs the GDT/IDT the handlers need.
 */
import { assemble } from '../../../src/core/isa';
import type { Vcpu } from '../../../src/core/cpu';

export const ORIGIN = 0x10000;
/** Base of the data window (r15 points here; the fault handlers restore rbp to it). */
export const WINDOW = 0x40000;
export const RAM_BYTES = 0x100000;
const GDT = 0x2000;
const IDT = 0x3000;

/** mulberry32: a tiny deterministic PRNG. */
export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = (seed * 0x9e3779b9) >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number {
    return Math.floor((this.next() / 2 ** 32) * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
}

type Size = 8 | 16 | 32 | 64;
const SIZES: readonly Size[] = [8, 16, 32, 64];
const KW: Record<Size, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

/** Registers random instructions may write (never rsp, rcx, rbp, r12, r13, r14, r15). */
const POOL = [0, 3, 2, 6, 7, 8, 9, 10, 11];
const N64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
function reg(n: number, size: Size): string {
  if (n >= 8) return `r${n}${size === 64 ? '' : size === 32 ? 'd' : size === 16 ? 'w' : 'b'}`;
  const r64 = N64[n] as string;
  if (size === 64) return r64;
  if (size === 32) return `e${r64.slice(1)}`;
  if (size === 16) return r64.slice(1);
  return n < 4 ? `${r64[1]}l` : `${r64.slice(1)}l`;
}
const hex = (x: bigint | number): string => `0x${x.toString(16)}`;

class Gen {
  readonly lines: string[] = [];
  readonly subs: string[][] = [];
  private labels = 0;
  depth = 0;
  /** Inside a `loop`-instruction loop: rcx must not change. */
  inRcxLoop = false;
  constructor(readonly r: Rand) {}

  label(stem: string): string {
    return `${stem}_${this.labels++}`;
  }
  emit(s: string): void {
    this.lines.push(`  ${s}`);
  }
  at(l: string): void {
    this.lines.push(`${l}:`);
  }
  dst(size: Size): string {
    return reg(this.r.pick(POOL), size);
  }
  /** Any register as a source (reading reserved ones is fine). */
  src(size: Size): string {
    return reg(this.r.int(16), size);
  }
  /** A boundary value (all ones, sign bits and their neighbours, small numbers) as a u64 literal. */
  edge(): string {
    const r = this.r;
    const bits = BigInt(r.pick([8, 16, 32, 64]));
    const one = 1n;
    const v = r.pick([
      0n,
      one,
      (one << bits) - one,
      (one << (bits - one)) - one,
      one << (bits - one),
      (one << (bits - one)) + one,
      (one << bits) - 2n,
      BigInt(r.int(16)),
    ]);
    return hex(BigInt.asUintN(64, r.chance(0.3) ? -v : v));
  }
  imm(size: Size): string {
    const r = this.r;
    const bits = size === 64 ? 32 : size;
    const v = r.pick([0, 1, -1, 2 ** (bits - 1) - 1, -(2 ** (bits - 1)), r.int(16), r.next() | 0]);
    const m = BigInt.asIntN(bits, BigInt(v));
    return size === 64 ? String(m) : hex(BigInt.asUintN(bits, m));
  }
  mem(size: Size | null): string {
    const r = this.r;
    const kw = size === null ? '' : `${KW[size]} `;
    switch (r.int(4)) {
      case 0:
        return `${kw}[rel data + ${r.int(200)}]`;
      case 1:
        return `${kw}[r15 + r14*${r.pick([1, 2, 4, 8])} + ${r.int(0x400)}]`;
      default:
        return `${kw}[r15 + ${r.int(0x7f0)}]`;
    }
  }
}

const ALU = ['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test'];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

/** One straight-line instruction (or a short set-up + instruction). */
function item(g: Gen): void {
  const r = g.r;
  const size = r.pick(SIZES);
  switch (r.int(18)) {
    case 0:
    case 1:
    case 2: {
      const op = r.pick(ALU);
      const form = r.int(5);
      if (size === 8 && r.chance(0.2)) {
        // Legacy high-byte registers (no REX anywhere in the instruction).
        const hi = r.pick(['ah', 'bh', 'dh', 'al', 'bl', 'dl']);
        const src = r.pick(['ah', 'bh', 'dh', 'al', 'bl', 'dl', 'ch', 'cl']);
        g.emit(form < 2 ? `${op} ${hi}, ${src}` : `${op} ${hi}, ${g.imm(8)}`);
        return;
      }
      if (form === 0) g.emit(`${op} ${g.dst(size)}, ${g.src(size)}`);
      else if (form === 1) g.emit(`${op} ${g.dst(size)}, ${g.imm(size)}`);
      else if (form === 2) g.emit(`${op} ${g.dst(size)}, ${g.mem(size)}`);
      else if (form === 3) g.emit(`${op} ${g.mem(size)}, ${g.src(size)}`);
      else g.emit(`${op} ${g.mem(size)}, ${g.imm(size)}`);
      return;
    }
    case 3: {
      const op = r.pick(['inc', 'dec', 'neg', 'not']);
      g.emit(`${op} ${r.chance(0.3) ? g.mem(size) : g.dst(size)}`);
      return;
    }
    case 4: {
      const op = r.pick(['shl', 'shr', 'sar', 'shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr']);
      const d = r.chance(0.25) ? g.mem(size) : g.dst(size);
      const count = r.pick([String(r.int(70)), '1', 'cl', String(r.range(1, size - 1))]);
      g.emit(`${op} ${d}, ${count}`);
      return;
    }
    case 5:
    case 6: {
      const form = r.int(5);
      if (form === 0) g.emit(`mov ${g.dst(size)}, ${g.src(size)}`);
      else if (form === 1)
        g.emit(
          `mov ${g.dst(size)}, ${size === 64 && r.chance(0.5) ? hex(BigInt.asUintN(64, (BigInt(r.next()) << 32n) | BigInt(r.next()))) : g.imm(size)}`,
        );
      else if (form === 2) g.emit(`mov ${g.dst(size)}, ${g.mem(size)}`);
      else if (form === 3) g.emit(`mov ${g.mem(size)}, ${g.src(size)}`);
      else g.emit(`mov ${g.mem(size)}, ${g.imm(size)}`);
      return;
    }
    case 7: {
      const from = r.pick([8, 16] as const);
      const to = r.pick(from === 8 ? ([16, 32, 64] as const) : ([32, 64] as const));
      const op = r.pick(['movzx', 'movsx']);
      const s = r.chance(0.5) ? g.mem(from) : g.src(from);
      if (r.chance(0.2)) g.emit(`movsxd ${g.dst(64)}, ${r.chance(0.5) ? g.mem(32) : g.src(32)}`);
      else g.emit(`${op} ${g.dst(to)}, ${s}`);
      return;
    }
    case 8: {
      const d = g.dst(r.pick([16, 32, 64] as const));
      const forms = [
        `[rax + rbx*${r.pick([1, 2, 4, 8])} + ${r.int(300) - 150}]`,
        `[rsi + ${r.next() | 0}]`,
        `[rel data + ${r.int(64)}]`,
        `[r9*8 + 5]`,
        `[eax + ebx*2 + ${r.int(100)}]`,
        `[rdx - ${r.int(100)}]`,
      ];
      g.emit(`lea ${d}, ${r.pick(forms)}`);
      return;
    }
    case 9: {
      const cc = r.pick(CC);
      if (r.chance(0.5)) g.emit(`set${cc} ${r.chance(0.3) ? g.mem(8) : g.dst(8)}`);
      else {
        const s = r.pick([16, 32, 64] as const);
        g.emit(`cmov${cc} ${g.dst(s)}, ${r.chance(0.3) ? g.mem(s) : g.src(s)}`);
      }
      return;
    }
    case 10:
      if (r.chance(0.7)) g.emit(`xchg ${g.dst(size)}, ${g.dst(size)}`);
      else g.emit(`xchg ${g.mem(size)}, ${g.dst(size)}`);
      return;
    case 11: {
      const a = g.r.pick(POOL);
      g.emit(`push ${r.chance(0.3) ? g.imm(64) : reg(r.int(16), 64)}`);
      item(g);
      g.emit(`pop ${reg(a, 64)}`);
      return;
    }
    case 12: {
      const s = r.pick([16, 32, 64] as const);
      if (r.chance(0.5)) g.emit(`imul ${g.dst(s)}, ${r.chance(0.3) ? g.mem(s) : g.src(s)}`);
      else g.emit(`imul ${g.dst(s)}, ${g.src(s)}, ${g.imm(s)}`);
      return;
    }
    case 13:
      g.emit(
        r.pick([
          'clc',
          'stc',
          'cmc',
          'lahf',
          'sahf',
          'cbw',
          'cwde',
          'cdqe',
          'cwd',
          'cdq',
          'cqo',
          'nop',
          'rdtsc',
          `mul ${g.src(size)}`,
          'pushfq\n  popfq',
        ]),
      );
      return;
    case 14:
      g.emit(`mov ${g.dst(64)}, ${g.edge()}`);
      return;
    default:
      // Flag producer immediately followed by a consumer (fusion).
      g.emit(
        `${r.pick(['cmp', 'sub', 'test', 'and', 'add', 'xor'])} ${g.dst(size)}, ${r.chance(0.5) ? g.imm(size) : g.src(size)}`,
      );
      if (r.chance(0.3)) g.emit(`${r.pick(['inc', 'dec', 'neg'])} ${g.dst(size)}`);
      g.emit(`set${r.pick(CC)} ${g.dst(8)}`);
  }
}

/** A straight-line run, a loop, a branch, a call, a fault, an exit or SMC. */
function segment(g: Gen): void {
  const r = g.r;
  const k = r.int(20);
  if (k < 7 || g.depth > 1) {
    for (let i = r.range(1, 4); i > 0; i--) item(g);
    return;
  }
  g.depth++;
  switch (k) {
    case 7:
    case 8: {
      // A self-loop block (or several blocks) counted in r12 or rcx.
      const top = g.label('loop');
      const n = r.range(1, 40);
      const kind = g.inRcxLoop ? 0 : r.int(3);
      if (kind === 2) {
        g.emit(`mov ecx, ${n}`);
        g.at(top);
        g.inRcxLoop = true;
        for (let i = r.range(1, 3); i > 0; i--) segment(g);
        g.inRcxLoop = false;
        g.emit(`${r.pick(['loop', 'loop', 'loope', 'loopne'])} ${top}`);
      } else if (kind === 1) {
        g.emit('xor r12d, r12d');
        g.at(top);
        for (let i = r.range(1, 3); i > 0; i--) item(g);
        g.emit('inc r12d');
        g.emit(`cmp r12d, ${n}`);
        g.emit(`jl ${top}`);
      } else {
        g.emit(`mov r12d, ${n}`);
        g.at(top);
        for (let i = r.range(1, 3); i > 0; i--) item(g);
        g.emit(r.pick(['dec r12d', 'sub r12d, 1', 'dec r12']));
        g.emit(`jnz ${top}`);
      }
      break;
    }
    case 9: {
      const skip = g.label('skip');
      g.emit(`${r.pick(['cmp', 'test', 'sub'])} ${g.dst(32)}, ${g.imm(32)}`);
      g.emit(`j${r.pick(CC)} ${skip}`);
      for (let i = r.range(1, 3); i > 0; i--) item(g);
      g.at(skip);
      break;
    }
    case 10: {
      const sub = g.label('sub');
      const body = new Gen(r);
      body.depth = 2;
      for (let i = r.range(1, 4); i > 0; i--) item(body);
      g.subs.push([`${sub}:`, ...body.lines, '  ret']);
      if (r.chance(0.7)) g.emit(`call ${sub}`);
      else {
        g.emit(`lea rax, [rel ${sub}]`);
        g.emit('call rax');
      }
      break;
    }
    case 11: {
      // A fault in the middle of a block: the handler repairs rbp and returns.
      g.emit(`mov rbp, ${r.pick(['0xffff800000001000', '0x800000000000', '0xfffffffffffffff0'])}`);
      item(g);
      const size = r.pick(SIZES);
      const m = `${KW[size]} [rbp + ${r.int(64)}]`;
      g.emit(
        r.pick([
          `mov ${g.dst(size)}, ${m}`,
          `add ${m}, ${g.src(size)}`,
          `inc ${m}`,
          `cmp ${g.dst(size)}, ${m}`,
          `mov ${m}, ${g.imm(size)}`,
          'push qword [rbp]',
        ]),
      );
      item(g);
      break;
    }
    case 12: {
      // #DE (divisor repaired by the handler) and #UD (skipped by the handler).
      if (r.chance(0.3)) {
        g.emit('ud2');
        break;
      }
      const s = r.pick(SIZES);
      g.emit(`mov ebx, ${r.pick([0, 0, 3, -1])}`);
      const signed = r.chance(0.5);
      if (s === 8) g.emit(signed ? 'cbw' : 'movzx eax, al');
      else g.emit(signed ? { 16: 'cwd', 32: 'cdq', 64: 'cqo' }[s] : 'xor edx, edx');
      g.emit(`${signed ? 'idiv' : 'div'} ${reg(3, s)}`);
      break;
    }
    case 13: {
      // MMIO (above RAM) and port I/O: exits the harness skips.
      g.emit(`mov r13, ${hex(RAM_BYTES + r.int(0x1000))}`);
      item(g);
      const size = r.pick(SIZES);
      g.emit(
        r.pick([
          `mov ${KW[size]} [r13], ${g.imm(size)}`,
          `mov ${reg(0, size)}, [r13]`,
          `add [r13], ${reg(2, size)}`,
          'out 0x80, al',
          'in al, dx',
          'cpuid',
        ]),
      );
      item(g);
      break;
    }
    case 14:
    case 15: {
      // Self-modifying code: patch an immediate, or an opcode, ahead of RIP.
      const at = g.label('smc');
      if (r.chance(0.5)) {
        g.emit(`mov dword [rel ${at} + 1], ${reg(r.pick(POOL), 32)}`);
        item(g);
        g.at(at);
        g.emit(`mov edx, ${hex(r.next())}`);
      } else {
        g.emit(`mov byte [rel ${at}], ${r.pick(['0x01', '0x29', '0x31', '0x21', '0x09'])}`);
        g.at(at);
        g.emit('add edx, eax');
      }
      item(g);
      break;
    }
    case 16: {
      const n = r.range(0, 20);
      const op = r.pick(['movsb', 'movsq', 'stosd', 'lodsw', 'cmpsb', 'scasd', 'stosb']);
      g.emit(`lea rsi, [r15 + ${r.int(0x200)}]`);
      g.emit(`lea rdi, [r15 + ${0x400 + r.int(0x200)}]`);
      if (!g.inRcxLoop) g.emit(`mov ecx, ${n}`);
      g.emit(r.chance(0.3) ? 'std' : 'cld');
      g.emit(
        `${g.inRcxLoop || r.chance(0.3) ? '' : op.startsWith('cmp') || op.startsWith('sca') ? 'repe ' : 'rep '}${op}`,
      );
      g.emit('cld');
      break;
    }
    case 17:
      // RECHECK instructions: the run loop re-examines IF / interrupt shadows.
      g.emit(r.pick(['sti', 'cli', 'push 0x202\n  popfq', 'push 0x2c3\n  popfq']));
      item(g);
      break;
    default: {
      const skip = g.label('fwd');
      g.emit(`jmp ${skip}`);
      g.emit(`db ${Array.from({ length: r.range(1, 6) }, () => r.int(256)).join(', ')}`);
      g.at(skip);
    }
  }
  g.depth--;
}

/** The assembly text of program `seed`. */
export function jitProgramSource(seed: number): string {
  const r = new Rand(seed);
  const g = new Gen(r);
  g.emit(`org ${hex(ORIGIN)}`);
  g.at('_start');
  for (const n of POOL)
    g.emit(
      `mov ${reg(n, 64)}, ${r.chance(0.5) ? g.edge() : hex(BigInt.asUintN(64, (BigInt(r.next()) << 32n) | BigInt(r.next())))}`,
    );
  g.emit(`mov r15, ${hex(WINDOW)}`);
  g.emit(`mov r14d, ${r.int(256)}`);
  g.emit(`mov rbp, ${hex(WINDOW)}`);
  g.emit(`mov ecx, ${r.int(64)}`);
  for (let i = r.range(4, 14); i > 0; i--) segment(g);
  g.emit('hlt');
  const handlers = [
    'pf_handler:',
    `  mov rbp, ${hex(WINDOW)}`,
    '  add rsp, 8',
    '  iretq',
    'de_handler:',
    '  mov ebx, 7',
    '  iretq',
    'ud_handler:',
    '  add qword [rsp], 2',
    '  iretq',
  ];
  const data = ['  align 8', 'data:'];
  for (let i = 0; i < 256; i += 16)
    data.push(`  db ${Array.from({ length: 16 }, () => r.int(256)).join(', ')}`);
  return [...g.lines, ...handlers, ...g.subs.flat(), ...data, ''].join('\n');
}

/** Assemble program `seed` (throws on an assembler error: a generator bug). */
export function jitProgram(seed: number): {
  bytes: Uint8Array;
  origin: number;
  entry: number;
  symbols: Map<string, number>;
  source: string;
} {
  const source = jitProgramSource(seed);
  const a = assemble(source);
  if (!a.ok) {
    const e = a.errors[0];
    throw new Error(
      `seed ${seed}: ${e?.line}: ${e?.message}\n${source.split('\n')[(e?.line ?? 1) - 1]}`,
    );
  }
  const symbols = new Map(a.symbols.map((s) => [s.name, Number(s.value)]));
  return { bytes: a.bytes, origin: a.origin, entry: a.entry, symbols, source };
}

/**
 * Install a flat GDT (null, 64-bit code 0x08, data 0x10) and an IDT whose
 * #DE, #UD, #SS, #GP and #PF gates point at the program's handlers.
 */
export function setupMachine(v: Vcpu, symbols: Map<string, number>): void {
  const view = v.mem.view;
  view.setBigUint64(GDT + 8, 0x00209a0000000000n, true);
  view.setBigUint64(GDT + 16, 0x0000920000000000n, true);
  v.state.gdtr = { base: GDT, limit: 23 };
  const gate = (vector: number, handler: string): void => {
    const at = symbols.get(handler);
    if (at === undefined) throw new Error(`no ${handler}`);
    const lo =
      BigInt(at & 0xffff) | (0x08n << 16n) | (0x8en << 40n) | (BigInt((at >>> 16) & 0xffff) << 48n);
    view.setBigUint64(IDT + vector * 16, lo, true);
    view.setBigUint64(IDT + vector * 16 + 8, 0n, true);
  };
  gate(0, 'de_handler');
  gate(6, 'ud_handler');
  gate(12, 'pf_handler');
  gate(13, 'pf_handler');
  gate(14, 'pf_handler');
  v.state.idtr = { base: IDT, limit: 32 * 16 - 1 };
}
