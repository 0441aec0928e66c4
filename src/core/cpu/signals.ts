/**
 * How an instruction stops midway inside the interpreter. Semantic
 * functions throw one of these two values (never an Error: no stack trace
 * is captured, so it is cheap); the run loop catches them and turns them
 * into exception delivery or an exit request. Nothing else is thrown, and
 * nothing escapes the vCPU.
 */

/** A guest exception raised by an instruction (SDM Vol. 3 §6.15). */
export class GuestFault {
  constructor(
    readonly vector: number,
    /** The error code pushed for vectors that have one, else undefined. */
    readonly errorCode: number | undefined,
    /** CR2 for #PF. */
    readonly address = 0,
  ) {}
}

/** Thrown after `vcpu.exit` was set: stop before retiring the instruction. */
export const EXIT_SIGNAL = Object.freeze({ exit: true });

/** Result codes of a compiled instruction's `exec`. */
export const NEXT = 0;
/** A taken branch: the new RIP is in state.rip. */
export const JUMP = 1;
/** Stop before retiring (vcpu.exit is set). */
export const EXIT = 2;
/** Retired, and it changed something the run loop must re-check (IF, TF, code). */
export const RECHECK = 3;
/** A taken branch (new RIP in state.rip) that also needs a re-check (IRETQ). */
export const JUMP_RECHECK = 4;
