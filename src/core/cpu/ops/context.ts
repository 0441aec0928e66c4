/**
 * What a semantic function gets to compile one decoded instruction into an
 * executable closure.
 */
import type { DecodedInsn } from '../../isa/results';
import type { CpuState } from '../state';
import type { Vcpu } from '../vcpu';

export interface Ctx {
  v: Vcpu;
  s: CpuState;
  insn: DecodedInsn;
  /** Address of the instruction. */
  rip: number;
  /** Address of the next instruction (RIP after it retires). */
  next: number;
}

/**
 * Execute the instruction once. Returns NEXT, JUMP (new RIP already in
 * state.rip), EXIT (vcpu.exit set; not retired) or RECHECK; throws a
 * GuestFault or EXIT_SIGNAL to stop midway (signals.ts).
 */
export type Exec = () => number;

/** Compiles an instruction of one family. */
export type Compiler = (c: Ctx) => Exec;
