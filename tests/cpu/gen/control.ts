/**
 * Control-flow items of the random program generator: counted loops (every
 * closing form: DEC/JNZ, SUB/JNS, INC/CMP/JB, LOOP, LOOPE, LOOPNE), forward
 * Jcc and JRCXZ over a block, JMP over dead bytes, and CALL (direct,
 * through a register, through memory) to small subroutines that end in RET.
 *
 * Flag definedness across control flow (see flagRules.ts): at a join point
 * the state is the merge of both paths; a loop body is generated with the
 * state at the loop head, and if the back edge would arrive with fewer
 * defined flags, a flag producer is inserted before the closing branch so
 * every iteration sees at least what the body was generated for.
 */
import { Ctx, RCX, RSP, type Sub, bit, num, regName } from './context';
import {
  FLAG_RULES,
  IDENTITY,
  LOOPCC_EFFECT,
  ZF,
  applyEffect,
  compose,
  conditionEffect,
  covers,
  merge,
  type FlagEffect,
  type FlagFn,
} from './flagRules';
import { STRAIGHT_ITEMS, pickCondition, type Item } from './instructions';
import type { Size } from './rng';

/** Longest body (in lines) we trust a rel8 branch (LOOP, JRCXZ) to span. */
const REL8_MAX_LINES = 7;
const MAX_DEPTH = 2;
const MAX_SUBS = 4;
const MAX_SUB_LEVEL = 2;

/** Generate `n` items into `c` (the stack is left as it was). */
export function genBlock(c: Ctx, n: number): void {
  const depth = c.stack.length;
  for (let i = 0; i < n; i++) genItem(c);
  c.balanceStack(depth);
}

export function genItem(c: Ctx): void {
  const control: (readonly [number, Item])[] = [];
  if (c.depth < MAX_DEPTH) {
    control.push([4, loop], [3, forwardJcc], [1, jrcxzSkip], [2, call]);
  }
  control.push([1, jmpOver]);
  const items = [...STRAIGHT_ITEMS, ...control];
  for (let tries = 0; tries < 20; tries++) if (c.rng.weighted(items)(c)) return;
}

/** Run `body` one level deeper. */
function nested(c: Ctx, body: () => void): void {
  c.depth++;
  try {
    body();
  } finally {
    c.depth--;
  }
}

// ── Loops ────────────────────────────────────────────────────────────────

type LoopKind = 'dec-jnz' | 'sub-jns' | 'dec-jg' | 'up-jb' | 'loop' | 'loope' | 'loopne';

const loop: Item = (c) => {
  const rng = c.rng;
  const kind = rng.weighted<LoopKind>([
    [3, 'dec-jnz'],
    [1, 'sub-jns'],
    [1, 'dec-jg'],
    [2, 'up-jb'],
    [2, 'loop'],
    [1, 'loope'],
    [1, 'loopne'],
  ]);
  const usesRcx = kind === 'loop' || kind === 'loope' || kind === 'loopne';
  const counter = usesRcx ? (c.writable(RCX) ? RCX : undefined) : c.dst(64)?.reg;
  if (counter === undefined) return false;
  c.write(counter);
  const n = rng.range(1, 5);
  const size: Size = rng.pick([8, 16, 32, 64] as const);
  const r = regName(counter, size);
  const top = c.prog.label();
  // Initialise (whole register, so narrow closing forms count correctly).
  if (kind === 'up-jb') {
    if (rng.chance(0.5)) {
      c.emit(`xor ${regName(counter, 32)}, ${regName(counter, 32)}`);
      c.apply(FLAG_RULES.xor);
    } else c.emit(`mov ${regName(counter, 32)}, 0`);
  } else c.emit(`mov ${regName(counter, rng.pick([32, 64] as const))}, ${n}`);
  c.emitLabel(top);
  const atTop = c.flags;
  const savedReserved = c.reserved;
  c.reserved |= bit(counter);
  c.loopDepth++;
  const bodyStart = c.lines.length;
  nested(c, () => genBlock(c, rng.range(1, 5)));
  // The closing sequence and its flag effects.
  const closing: string[] = [];
  const effects: FlagEffect[] = [];
  let branch: string;
  switch (kind) {
    case 'dec-jnz':
      if (rng.chance(0.7)) {
        closing.push(`dec ${r}`);
        effects.push(FLAG_RULES.dec);
      } else {
        closing.push(`sub ${r}, 1`);
        effects.push(FLAG_RULES.sub);
      }
      branch = `${rng.pick(['jnz', 'jne'])} ${top}`;
      break;
    case 'sub-jns': // n+1 iterations: n, n-1, …, 0
      closing.push(`sub ${r}, 1`);
      effects.push(FLAG_RULES.sub);
      branch = `jns ${top}`;
      break;
    case 'dec-jg':
      closing.push(`dec ${r}`);
      effects.push(FLAG_RULES.dec);
      branch = `${rng.pick(['jg', 'jnle'])} ${top}`;
      break;
    case 'up-jb':
      if (rng.chance(0.5)) {
        closing.push(`inc ${r}`);
        effects.push(FLAG_RULES.inc);
      } else {
        closing.push(`add ${r}, 1`);
        effects.push(FLAG_RULES.add);
      }
      closing.push(`cmp ${r}, ${n}`);
      effects.push(FLAG_RULES.cmp);
      branch = `${rng.pick(['jb', 'jl', 'jne', 'jnae'])} ${top}`;
      break;
    default:
      branch = `${kind} ${top}`;
  }
  if (kind === 'loope' || kind === 'loopne') c.ensureFlags(ZF);
  let after: FlagFn = effects.reduce(applyEffect, c.flags);
  if (!covers(after, atTop)) {
    // The back edge would bring fewer defined flags than the body assumed:
    // define all six again before closing.
    const sz = rng.pick([8, 16, 32, 64] as const);
    c.emit(`cmp ${c.src(sz).name}, ${c.imm(sz)}`);
    c.apply(FLAG_RULES.cmp);
    after = effects.reduce(applyEffect, c.flags);
    if (!covers(after, atTop))
      throw new Error('generator bug: loop fix-up did not cover the loop head');
  }
  for (const line of closing) c.emit(line);
  for (const e of effects) c.apply(e);
  if (kind === 'loope' || kind === 'loopne') c.apply(LOOPCC_EFFECT);
  const bodyLines = c.lines.length - bodyStart;
  if (usesRcx && bodyLines > REL8_MAX_LINES) {
    // LOOP has only a rel8 form: bounce through a near JMP.
    const back = c.prog.label();
    const out = c.prog.label();
    c.emit(`${kind} ${back}`);
    c.emit(`jmp ${out}`);
    c.emitLabel(back);
    c.emit(`jmp ${top}`);
    c.emitLabel(out);
  } else c.emit(branch);
  c.reserved = savedReserved;
  c.loopDepth--;
  return true;
};

// ── Forward branches ─────────────────────────────────────────────────────

/** `jcc L; block; L:` — the state at L is the merge of both paths. */
const forwardJcc: Item = (c) => {
  const cc = pickCondition(c);
  const skip = c.prog.label();
  c.emit(`j${cc} ${skip}`);
  c.apply(conditionEffect(cc));
  const before = c.flags;
  nested(c, () => genBlock(c, c.rng.range(1, 4)));
  c.flags = merge(before, c.flags);
  c.emitLabel(skip);
  return true;
};

/** JRCXZ over a block (RCX is often made 0 or 1 first, so both paths run). */
const jrcxzSkip: Item = (c) => {
  if (c.writable(RCX) && c.rng.chance(0.6)) {
    c.write(RCX);
    c.emit(`mov ecx, ${c.rng.int(2)}`);
  }
  const skip = c.prog.label();
  const start = c.lines.length;
  const before = c.flags;
  const body: string[] = [];
  // Generate into a scratch region of the line list, then wrap it.
  nested(c, () => genBlock(c, c.rng.range(1, 3)));
  body.push(...c.lines.splice(start));
  if (body.length <= REL8_MAX_LINES) c.emit(`jrcxz ${skip}`);
  else {
    const t = c.prog.label();
    const go = c.prog.label();
    c.emit(`jrcxz ${t}`);
    c.emit(`jmp ${go}`);
    c.emitLabel(t);
    c.emit(`jmp ${skip}`);
    c.emitLabel(go);
  }
  c.lines.push(...body);
  c.flags = merge(before, c.flags);
  c.emitLabel(skip);
  return true;
};

/** JMP over a few bytes that are never executed. */
const jmpOver: Item = (c) => {
  const rng = c.rng;
  const skip = c.prog.label();
  c.emit(rng.chance(0.3) ? `jmp short ${skip}` : `jmp ${skip}`);
  const bytes = Array.from({ length: rng.range(1, 8) }, () => num(rng.int(256)));
  c.emit(`db ${bytes.join(', ')}`);
  c.emitLabel(skip);
  return true;
};

// ── Calls ────────────────────────────────────────────────────────────────

/** Generate a new subroutine that respects the caller's reserved registers. */
function newSub(c: Ctx): Sub {
  const sc = new Ctx(c.prog, {
    flags: IDENTITY,
    entryDefined: 0, // called from anywhere: assume nothing
    reserved: c.reserved,
    inSub: true,
    subLevel: c.subLevel + 1,
  });
  sc.depth = c.depth + 1;
  const name = c.prog.label('fn');
  sc.emitLabel(name);
  genBlock(sc, c.rng.range(1, 6));
  sc.emit('ret');
  const sub: Sub = { name, flags: sc.flags, clobbers: sc.clobbers, lines: sc.lines };
  c.prog.subs.push(sub);
  return sub;
}

const call: Item = (c) => {
  const rng = c.rng;
  const usable = c.prog.subs.filter((s) => (s.clobbers & c.reserved) === 0);
  let sub: Sub;
  if (
    usable.length > 0 &&
    (rng.chance(0.5) || c.prog.subs.length >= MAX_SUBS || c.subLevel >= MAX_SUB_LEVEL)
  )
    sub = rng.pick(usable);
  else if (c.prog.subs.length < MAX_SUBS && c.subLevel < MAX_SUB_LEVEL) sub = newSub(c);
  else return false;
  const how = rng.weighted([
    [5, 'direct'],
    [2, 'reg'],
    [1, 'mem'],
  ] as const);
  const via = how === 'direct' ? undefined : c.dst(64, { avoid: bit(RSP) });
  if (!via) c.emit(`call ${sub.name}`);
  else {
    c.emit(rng.chance(0.5) ? `lea ${via.name}, [rel ${sub.name}]` : `mov ${via.name}, ${sub.name}`);
    if (how === 'reg') c.emit(`call ${via.name}`);
    else {
      const m = c.mem(64, { write: true, avoid: bit(via.reg) });
      c.emit(`mov ${m}, ${via.name}`);
      c.emit(`call ${m}`);
    }
  }
  c.flags = compose(c.flags, sub.flags);
  c.clobbers |= sub.clobbers;
  return true;
};
