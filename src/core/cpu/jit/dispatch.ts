/**
 * The block run loop: Vcpu.runFast when the JIT is on. It looks up (or
 * builds) the block at RIP, runs it — compiled once it has been entered
 * `jitThreshold` times, interpreted op by op before that — and follows the
 * cached successor links, so a hot loop stays in generated code.
 *
 * Same contract as the interpreter loop: returns the number of retired
 * instructions (never more than `budget`), stops early on an exit request,
 * a RECHECK instruction or a fault (delivered here), and keeps
 * `state.icount` exact throughout (RDTSC reads it).
 */
import { EXIT, JUMP, JUMP_RECHECK, NEXT } from '../signals';
import type { Vcpu } from '../vcpu';
import { buildBlock, COLD, compileBlock, type Block } from './block';

/** Cap on one call of a compiled block (keeps its counters small integers). */
const CALL_LIMIT = 1 << 30;

/** The block at `rip`, built on first use (the first fetch may throw). */
function lookup(v: Vcpu, rip: number): Block {
  let b = v.blocks.get(rip);
  if (b === undefined) {
    b = buildBlock(v, rip);
    v.blocks.set(rip, b);
  }
  return b;
}

/**
 * Interpret up to `left` instructions of `b` (all of them at most), exactly
 * as the interpreter loop would. Returns 0 (go on at state.rip) or 1 (back
 * to Vcpu.run).
 */
function runCold(v: Vcpu, b: Block, left: number): number {
  const s = v.state;
  const ops = b.ops;
  const epoch = v.codeEpoch;
  const end = left < ops.length ? left : ops.length;
  for (let i = 0; i < end; i++) {
    const op = ops[i];
    v.cur = op;
    const r = op.exec();
    if (r === NEXT) {
      s.icount++;
      s.rip = op.nextRip;
      // A write to decoded code: the rest of this block may be stale.
      if (v.codeEpoch !== epoch) return 0;
      continue;
    }
    if (r === JUMP) {
      s.icount++;
      return 0;
    }
    if (r === EXIT) {
      s.rip = op.rip;
      return 1;
    }
    // RECHECK / JUMP_RECHECK: retired; IF, TF or code changed — let run() decide.
    s.icount++;
    if (r !== JUMP_RECHECK) s.rip = op.nextRip;
    return 1;
  }
  return 0;
}

/**
 * The block at `rip` entered from block `b`: one of b's cached successors
 * when it is still valid (same RIP, current epoch), else looked up — and
 * cached on `b` while `b` is current.
 */
function successor(v: Vcpu, b: Block, rip: number): Block {
  const epoch = v.codeEpoch;
  let next = b.succA;
  if (next !== null && next.rip === rip && next.epoch === epoch) return next;
  next = b.succB;
  if (next !== null && next.rip === rip && next.epoch === epoch) return next;
  next = lookup(v, rip);
  if (b.epoch === epoch) {
    if (b.succA === null) b.succA = next;
    else b.succB = next;
  }
  return next;
}

/**
 * Run blocks from state.rip for at most `budget` instructions. A run that
 * ends in a block (an exit, say) resumes through that block's successor
 * links next time (`Vcpu.lastBlock`): after a hypercall, the hypervisor
 * resumes the guest where it left off, so no lookup by address is needed.
 */
export function runBlocks(v: Vcpu, budget: number): number {
  const s = v.state;
  const start = s.icount;
  const last = v.lastBlock;
  v.lastBlock = null;
  try {
    let b = last !== null ? successor(v, last, s.rip) : lookup(v, s.rip);
    for (;;) {
      const left = budget - (s.icount - start);
      if (left <= 0) break;
      let status: number;
      if (b.fn !== null && left >= b.len) {
        status = b.fn(left < CALL_LIMIT ? left : CALL_LIMIT);
      } else {
        if (b.state === COLD && ++b.heat >= v.jitThreshold) compileBlock(v, b);
        status =
          b.fn !== null && left >= b.len
            ? b.fn(left < CALL_LIMIT ? left : CALL_LIMIT)
            : runCold(v, b, left);
      }
      if (status !== 0) {
        v.lastBlock = b;
        break;
      }
      b = successor(v, b, s.rip);
    }
  } catch (e) {
    // icount already counts what retired before the faulting instruction.
    v.handleThrow(e);
  }
  return s.icount - start;
}
