/**
 * Seeded random guest programs for the differential test (our vCPU vs the
 * real CPU under KVM). `generateProgram(seed)` always returns the same text
 * for the same seed.
 *
 * A program: a prologue that loads interesting values into every register
 * but RSP, a random body (straight-line items of ./instructions.ts, loops,
 * branches and calls of ./control.ts), sometimes a digest loop that folds
 * the whole memory window into a register (so wrong stores show up in the
 * registers), `hlt` at label `prog_end`, the subroutines, and a `data`
 * block of random bytes. Every program terminates, never faults, touches
 * only the memory described in ./layout.ts, and never reads an undefined
 * flag (./flagRules.ts). `definedFlags` says which flags are defined at the
 * final HLT: the comparison must ignore the others.
 */
import { Ctx, Program, RSP, bit, num, regName } from './context';
import { genBlock } from './control';
import { ARITH_FLAGS, FLAG_RULES, definedGiven } from './flagRules';
import { DATA_SIZE, ORIGIN, WINDOW_HI, WINDOW_LO } from './layout';

export interface GeneratedProgram {
  seed: number;
  /** Assembly text in our syntax (NASM-flavour Intel). */
  source: string;
  /** Arithmetic flags (mask within 0x8d5) defined at the final HLT. */
  definedFlags: number;
  /** Label of the final HLT. */
  endLabel: string;
}

export interface GenerateOptions {
  /** Body items (default: 20–40, chosen by the seed). */
  items?: number;
}

export function generateProgram(seed: number, opts: GenerateOptions = {}): GeneratedProgram {
  const prog = new Program(seed);
  const rng = prog.rng;
  // At reset RFLAGS = 0x2: all six flags are defined (clear).
  const c = new Ctx(prog, {
    flags: { keep: 0, def: ARITH_FLAGS },
    entryDefined: ARITH_FLAGS,
    reserved: bit(RSP),
    inSub: false,
    subLevel: 0,
  });
  c.emitLabel('_start');
  prologue(c);
  genBlock(c, opts.items ?? rng.range(20, 40));
  if (rng.chance(0.25)) digest(c);
  c.emitLabel('prog_end');
  c.emit('hlt');

  const subs = prog.subs.flatMap((s) => s.lines);
  const data = ['  align 8', 'data:'];
  for (let i = 0; i < DATA_SIZE; i += 16)
    data.push(`  db ${Array.from({ length: 16 }, () => num(rng.int(256))).join(', ')}`);
  // Subroutines before or after main: the entry point is `_start` either way.
  const lines = rng.chance(0.2) ? [...subs, ...c.lines, ...data] : [...c.lines, ...subs, ...data];
  const header = [`; generated program, seed ${seed}`, `  org ${num(ORIGIN)}`];
  return {
    seed,
    source: [...header, ...lines, ''].join('\n'),
    definedFlags: definedGiven(c.flags, ARITH_FLAGS),
    endLabel: 'prog_end',
  };
}

/** Interesting values in every register except RSP; sometimes random flags. */
function prologue(c: Ctx): void {
  const rng = c.rng;
  for (let r = 0; r < 16; r++) {
    if (r === RSP) continue;
    if (rng.chance(0.9)) c.loadRandom(r);
  }
  if (rng.chance(0.5)) {
    c.emit(`push ${num((rng.next() & ARITH_FLAGS) | 2)}`);
    c.emit('popfq');
    c.apply(FLAG_RULES.popfq);
  }
}

/**
 * Fold every qword of the memory window into one register:
 * acc = rol(acc, 7) ^ qword [p], for p over the window.
 */
function digest(c: Ctx): void {
  const rng = c.rng;
  const regs = c.writableRegs().filter((r) => r !== RSP);
  const [acc, ptr, cnt] = pickDistinct(rng, regs, 3);
  if (acc === undefined || ptr === undefined || cnt === undefined) return;
  for (const r of [acc, ptr, cnt]) c.write(r);
  const top = c.prog.label('digest');
  c.emit(`mov ${regName(ptr, 32)}, ${num(WINDOW_LO)}`);
  c.emit(`mov ${regName(cnt, 32)}, ${(WINDOW_HI - WINDOW_LO + 7) >> 3}`);
  c.emitLabel(top);
  c.emit(`rol ${regName(acc, 64)}, 7`);
  c.emit(`xor ${regName(acc, 64)}, [${regName(ptr, 64)}]`);
  c.emit(`add ${regName(ptr, 64)}, 8`);
  c.emit(`dec ${regName(cnt, 32)}`);
  c.emit(`jnz ${top}`);
  c.apply(FLAG_RULES.xor);
  c.apply(FLAG_RULES.add);
  c.apply(FLAG_RULES.dec);
}

function pickDistinct<T>(
  rng: { int(n: number): number },
  items: readonly T[],
  n: number,
): (T | undefined)[] {
  const pool = [...items];
  const out: (T | undefined)[] = [];
  for (let i = 0; i < n; i++)
    out.push(pool.length ? pool.splice(rng.int(pool.length), 1)[0] : undefined);
  return out;
}
