/**
 * Basic blocks of the vCPU's block compiler: a straight run of decoded
 * instructions (Ops) starting at one RIP, and — once the block is hot — one
 * JS function, generated with `new Function`, that executes all of them.
 *
 * A block ends after a branch (JMP/Jcc/CALL/RET/LOOP…), after an
 * instruction that may stop the run or change what the run loop must check
 * (intercepted and system instructions, anything returning RECHECK), before
 * the next page, or at MAX_BLOCK_INSNS. Instructions with a template
 * (templates.ts) are compiled inline; every other one calls its interpreter
 * `exec()` closure from the generated code, so semantics live in one place.
 *
 * Generated source is built only from numbers and the fixed templates of
 * this folder, never from guest or user text (see codegen.ts). Where
 * `new Function` is refused (a Content-Security-Policy without
 * 'unsafe-eval' throws EvalError), the first refusal turns the compiler off
 * for good and every block keeps running in the interpreter.
 */
import { getCF, getArithFlags, setArithFlags, testCondition } from '../flags';
import {
  markWritten,
  read16,
  read32,
  read64,
  read8,
  write16,
  write32,
  write64,
  write8,
} from '../access';
import { OpKind } from '../../isa/results';
import type { Op } from '../compile';
import { PAGE_SHIFT } from '../memory';
import { GuestFault } from '../signals';
import type { Vcpu } from '../vcpu';
import { BlockGen, FLAG_FIELDS, lit } from './codegen';
import { isTemplatedBranch, templateFor } from './templates';

/** Longest block, in instructions. */
export const MAX_BLOCK_INSNS = 64;

/** Runs the block (at most `lim` instructions); returns 0 (go on at S.rip) or 1 (back to Vcpu.run). */
export type BlockFn = (lim: number) => number;

/** Block compile states. */
export const COLD = 0;
export const COMPILED = 1;
/** Not compiled and never will be (the compiler is unavailable). */
export const INTERPRETED = 2;

export interface Block {
  /** RIP of the first instruction. */
  readonly rip: number;
  readonly ops: Op[];
  /** Instructions in one pass (ops.length). */
  readonly len: number;
  /** Vcpu.codeEpoch when built: the block is stale once it differs. */
  readonly epoch: number;
  /** Times entered while cold. */
  heat: number;
  state: number;
  fn: BlockFn | null;
  /** Successor blocks seen so far (validated by RIP and epoch before use). */
  succA: Block | null;
  succB: Block | null;
}

/**
 * Mnemonics that end a block without a template of their own: they may
 * return JUMP / RECHECK / EXIT, stop the run or change CPL, IF, TF or
 * segments. (A block is still correct if one of these sat in the middle —
 * the generated code checks every `exec()` result — this only keeps blocks
 * from running on past them.)
 */
const STOPS = new Set([
  'jmp',
  'call',
  'ret',
  'int',
  'int3',
  'ud2',
  'iretd',
  'iretq',
  'hlt',
  'cpuid',
  'rdmsr',
  'wrmsr',
  'vmcall',
  'vmmcall',
  'in',
  'out',
  'cli',
  'sti',
  'popfq',
  'lgdt',
  'lidt',
  'ltr',
  'mov', // only MOV Sreg / MOV CRn reach this list (general MOV has a template)
  'pop', // POP FS/GS
]);

function endsBlock(op: Op, templated: boolean): boolean {
  const insn = op.insn;
  if (!insn.ok) return true;
  const m = insn.mnemonic;
  if (isTemplatedBranch(m) || m.startsWith('loop') || m === 'jrcxz') return true;
  if (templated) return false;
  return STOPS.has(m) || m.startsWith('ins') || m.startsWith('outs');
}

/**
 * Decode the block at `rip`. The first fetch may throw (fault or exit, as
 * in the interpreter); later instructions are only looked at where that
 * cannot happen, so building a block has no guest-visible effect beyond
 * the decode cache.
 */
export function buildBlock(v: Vcpu, rip: number): Block {
  const first = v.fetch(rip);
  const ops = [first];
  const page = rip >> PAGE_SHIFT;
  let op = first;
  while (ops.length < MAX_BLOCK_INSNS && !endsBlock(op, hasTemplate(op))) {
    const next = op.nextRip;
    // Stay on the page, and away from the end of RAM (no fetch exits here).
    if (next >> PAGE_SHIFT !== page || next + 32 > v.ramSize) break;
    op = v.fetch(next);
    ops.push(op);
  }
  return {
    rip,
    ops,
    len: ops.length,
    epoch: v.codeEpoch,
    heat: 0,
    state: COLD,
    fn: null,
    succA: null,
    succB: null,
  };
}

function hasTemplate(op: Op): boolean {
  return op.insn.ok && templateFor(op.insn.mnemonic) !== undefined;
}

/** Helpers the generated code calls (the interpreter's own functions). */
const HELPERS = {
  read8,
  read16,
  read32,
  read64,
  write8,
  write16,
  write32,
  write64,
  markWritten,
  getCF,
  getArithFlags,
  setArithFlags,
  testCondition,
  GuestFault,
  PARITY: (() => {
    const t = new Uint8Array(256);
    for (let i = 0; i < 256; i++) {
      let n = 0;
      for (let b = i; b; b >>= 1) n += b & 1;
      t[i] = n & 1 ? 0 : 1;
    }
    return t;
  })(),
};

type Factory = (V: Vcpu, S: Vcpu['state'], O: Op[], H: typeof HELPERS) => BlockFn;

/** Compiled factories by source text (blocks recompiled after a code write reuse them). */
const FACTORIES = new Map<string, Factory>();
const MAX_FACTORIES = 1024;
let compilerAvailable = true;
let compileErrors = 0;

/** False once `new Function` has been refused (CSP); the vCPU then only interprets. */
export function jitAvailable(): boolean {
  return compilerAvailable;
}

/**
 * Blocks whose generated source failed to compile for a reason other than
 * CSP — a code generator bug (they run interpreted instead, so the guest
 * never notices). Tests assert this stays 0.
 */
export function jitCompileErrors(): number {
  return compileErrors;
}

/** Generate the JS source of `ops` (exported for tests and debugging). */
export function generateSource(ops: readonly Op[]): string {
  const last = ops[ops.length - 1];
  const lastInsn = last.insn;
  const start = ops[0].rip;
  let loop = false;
  if (lastInsn.ok && lastInsn.operands[0]?.kind === OpKind.Rel) {
    const m = lastInsn.mnemonic;
    loop = m !== 'call' && last.nextRip + lastInsn.operands[0].disp === start;
  }
  const g = new BlockGen(ops, loop);
  const execs: string[] = [];
  for (let k = 0; k < ops.length; k++) {
    g.k = k;
    g.wroteMemory = false;
    const op = ops[k];
    const t = op.insn.ok ? templateFor(op.insn.mnemonic) : undefined;
    const done = t !== undefined && t(g);
    if (!done) {
      execs.push(`const X${k} = O[${k}].exec;`);
      emitExec(g);
    } else if (g.wroteMemory) {
      // A write to a page holding decoded code drops every block: leave now.
      g.emit('if (V.codeEpoch !== EP) {');
      g.exit(k + 1, lit(op.nextRip), 0);
      g.emit('}');
    }
    if (done && isTemplatedBranch(op.insn.mnemonic)) break;
    if (k === ops.length - 1) g.exit(k + 1, lit(op.nextRip), 0);
  }
  return [
    "'use strict';",
    'const { read8, read16, read32, read64, write8, write16, write32, write64, markWritten,',
    '  getCF, getArithFlags, testCondition, GuestFault, PARITY } = H;',
    'const RAM = V.ramSize;',
    ...execs,
    'return function block(lim) {',
    'const RL = S.rl, RH = S.rh, VIEW = V.view, BYTES = V.bytes, MARKS = V.mem.pageMarks;',
    'const IC = S.icount, EP = V.codeEpoch;',
    'let n = 0;',
    ...(loop ? [`let ${FLAG_FIELDS.map((f) => `F_${f} = S.${f}`).join(', ')};`] : []),
    'try {',
    loop ? 'for (;;) {' : '{',
    ...g.out,
    '}',
    '} catch (e) {',
    'const k = O.indexOf(V.cur);',
    'S.icount = IC + n + (k < 0 ? 0 : k);',
    'throw e;',
    '}',
    '};',
  ].join('\n');
}

/** Call an instruction's interpreter closure and act on its result like Vcpu.runFast. */
function emitExec(g: BlockGen): void {
  const k = g.k;
  const op = g.op;
  g.sync(true);
  g.emit(`V.cur = O[${k}]; S.icount = IC + n + ${k};`);
  g.emit(`const q${k} = X${k}();`);
  g.emit(`if (q${k} !== 0) {`);
  // EXIT: not retired, RIP stays on the instruction.
  g.emit(`if (q${k} === 2) { S.rip = ${lit(op.rip)}; return 1; }`);
  g.emit(`S.icount = IC + n + ${k + 1};`);
  // JUMP: RIP already set; RECHECK / JUMP_RECHECK: back to Vcpu.run.
  g.emit(`if (q${k} === 1) return 0;`);
  g.emit(`if (q${k} === 3) S.rip = ${lit(op.nextRip)};`);
  g.emit('return 1; }');
  g.emit(
    `if (V.codeEpoch !== EP) { S.rip = ${lit(op.nextRip)}; S.icount = IC + n + ${k + 1}; return 0; }`,
  );
  g.flagsInState();
}

/**
 * Compile block `b` for vCPU `v` (sets `b.fn`, or marks it INTERPRETED when
 * the compiler is unavailable).
 */
export function compileBlock(v: Vcpu, b: Block): void {
  if (!compilerAvailable) {
    b.state = INTERPRETED;
    return;
  }
  let src: string;
  try {
    src = generateSource(b.ops);
  } catch {
    compileErrors++;
    b.state = INTERPRETED;
    return;
  }
  let factory = FACTORIES.get(src);
  if (factory === undefined) {
    try {
      factory = new Function('V', 'S', 'O', 'H', src) as Factory;
    } catch (e) {
      if (e instanceof EvalError || (e as Error)?.name === 'EvalError') {
        compilerAvailable = false;
      } else {
        compileErrors++;
      }
      b.state = INTERPRETED;
      return;
    }
    if (FACTORIES.size >= MAX_FACTORIES) FACTORIES.clear();
    FACTORIES.set(src, factory);
  }
  b.fn = factory(v, v.state, b.ops, HELPERS);
  b.state = COMPILED;
}

/** Test hook: pretend `new Function` works again (after a simulated CSP refusal). */
export function resetJitAvailability(): void {
  compilerAvailable = true;
}
