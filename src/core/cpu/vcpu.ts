/**
 * The vCPU: executes guest machine code from guest memory, instruction by
 * instruction, with exact x86-64 semantics, until it must stop.
 *
 * It stops (without retiring the instruction) when the guest does something
 * a hypervisor intercepts — VMCALL/VMMCALL, HLT, IN/OUT/INS/OUTS, CPUID,
 * RDMSR/WRMSR, an access with no memory slot, an exception in the
 * exception bitmap — or on a triple fault, and describes it in `exit`.
 * Every other guest event (faults, software interrupts, external
 * interrupts) is delivered through the guest's IDT like hardware does.
 *
 * Decoded instructions are compiled once into closures and cached by
 * address; the cache is dropped whenever a page that holds decoded code is
 * written. Hot straight-line runs of them are further compiled into one JS
 * function per basic block (jit/), with the same results; `jit = false`
 * keeps to the interpreter. Nothing the guest does makes this class throw.
 */
import { decode, MAX_INSN_LENGTH } from '../isa/decoder';
import { markWritten, slowCheck } from './access';
import { compileInsn, type Op } from './compile';
import type { ExitRequest } from './exits';
import { deliverEvent, type EventKind } from './interrupts';
import { jitAvailable, type Block } from './jit/block';
import { runBlocks } from './jit/dispatch';
import { PAGE_CODE, PAGE_DIRTY, PAGE_SHIFT, type GuestMemory } from './memory';
import { EXIT, EXIT_SIGNAL, GuestFault, JUMP, JUMP_RECHECK, NEXT } from './signals';
import { FLAG, VECTOR, type CpuState } from './state';

/** Which vendor's hardware virtualization the vCPU runs under. */
export type Vendor = 'intel' | 'amd';

/** Why `run` returned. */
export type StopReason = 'exit' | 'budget' | 'shutdown' | 'breakpoint';

export interface MmioEmulation {
  /** True while the hypervisor re-executes an instruction to emulate MMIO. */
  emulating: boolean;
  /** Data the VMM supplied for MMIO reads, by guest-physical address. */
  reads: Map<number, bigint>;
  /** Writes the emulated instruction made to MMIO, in order. */
  writes: { gpa: number; size: number; value: bigint }[];
}

export class Vcpu {
  readonly state: CpuState;
  readonly mem: GuestMemory;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly ramSize: number;
  /** Hypercall instruction native to this vendor; the other one is #UD. */
  vendor: Vendor = 'intel';
  /** Exceptions (bit per vector) that exit to the hypervisor instead of the guest IDT. */
  exceptionBitmap = 0;
  /** Set when the vCPU stopped for the hypervisor; cleared by the caller. */
  exit: ExitRequest | null = null;
  /** Scratch: the high half of the last 64-bit read. */
  hi = 0;
  /** The instruction being executed (its RIP and length go into exit requests and faults). */
  cur: Op | null = null;
  /** RIP of an instruction whose fetch faulted (no Op exists for it). */
  private fetchRip = 0;
  readonly mmio: MmioEmulation = { emulating: false, reads: new Map(), writes: [] };
  /** Addresses at which `run` stops before executing (debugger breakpoints). */
  breakpoints: ReadonlySet<number> = new Set();
  /** The breakpoint address `run` last stopped at (not stopped at again right away). */
  private breakpointHitAt = -1;
  /**
   * Compile hot basic blocks to JS (jit/). False: run only the interpreter.
   * Either way the results are identical; the switch exists for comparison
   * and debugging. Falls back to the interpreter by itself where
   * `new Function` is refused.
   */
  jit = true;
  /** Times a block is entered (interpreted) before it is compiled. */
  jitThreshold = 16;
  /** Bumped by every `invalidateCode`: compiled blocks of an older epoch are stale. */
  codeEpoch = 0;
  /** GuestMemory.codeEpoch this vCPU's caches agree with. */
  private memEpoch = 0;
  /** The JIT's blocks by start RIP (dropped with the decode cache). */
  blocks = new Map<number, Block>();
  /** The block the last block run stopped in (jit/dispatch.ts follows its successor links). */
  lastBlock: Block | null = null;

  private cache = new Map<number, Op>();
  private flushed = false;

  constructor(state: CpuState, mem: GuestMemory) {
    this.state = state;
    this.mem = mem;
    this.bytes = mem.bytes;
    this.view = mem.view;
    this.ramSize = mem.size;
  }

  /** RIP of the instruction being executed (or whose fetch failed). */
  get insnRip(): number {
    return this.cur ? this.cur.rip : this.fetchRip;
  }

  /** Length of the instruction being executed (0 when its fetch failed). */
  get insnLength(): number {
    return this.cur ? this.cur.length : 0;
  }

  /** Record an exit request (the instruction is not retired). */
  raiseExit(req: ExitRequest): void {
    this.exit = req;
  }

  /** Drop every decoded instruction (a code page was written, or state was restored). */
  invalidateCode(): void {
    this.codeEpoch++;
    this.memEpoch = this.mem.codeEpoch;
    this.lastBlock = null;
    if (this.blocks.size !== 0) this.blocks = new Map();
    if (this.cache.size === 0) return;
    this.cache = new Map();
    this.flushed = true;
    const marks = this.mem.pageMarks;
    for (let p = 0; p < marks.length; p++) if (marks[p] & PAGE_CODE) marks[p] = PAGE_DIRTY;
  }

  /** The compiled instruction at `rip` (decoding it if needed), or a fetch fault/exit. */
  fetch(rip: number): Op {
    const hit = this.cache.get(rip);
    if (hit) return hit;
    if (!(rip >= 0 && rip + MAX_INSN_LENGTH <= this.ramSize)) {
      this.cur = null;
      this.fetchRip = rip;
      slowCheck(this, rip, 1, 'fetch', false);
      if (rip >= this.ramSize) {
        this.raiseExit({ kind: 'mmio', rip, length: 0, gpa: rip, size: 1, access: 'fetch' });
        throw EXIT_SIGNAL;
      }
    }
    // Decode up to the end of RAM (the decoder stops at 15 bytes itself), so
    // an over-long instruction is `tooLong` (#GP) and only one that really
    // runs into unbacked memory is `truncated`.
    const insn = decode(this.bytes, rip, this.ramSize);
    if (!insn.ok && insn.error === 'truncated') {
      // The instruction runs past the end of RAM into unbacked memory.
      this.cur = null;
      this.fetchRip = rip;
      this.raiseExit({ kind: 'mmio', rip, length: 0, gpa: this.ramSize, size: 1, access: 'fetch' });
      throw EXIT_SIGNAL;
    }
    const op = compileInsn(this, insn, rip);
    const marks = this.mem.pageMarks;
    const last = insn.ok ? rip + insn.length - 1 : rip;
    for (let p = rip >> PAGE_SHIFT; p <= last >> PAGE_SHIFT; p++) marks[p] |= PAGE_CODE;
    this.cache.set(rip, op);
    return op;
  }

  /**
   * Run until an exit, a triple fault, a breakpoint, or `budget` retired
   * instructions. Returns why it stopped; `exit` holds the request when
   * the reason is 'exit' or 'shutdown'.
   */
  run(budget: number): StopReason {
    const s = this.state;
    if (s.shutdown) return 'shutdown';
    // Another vCPU wrote code in shared memory since this one last ran.
    if (this.mem.codeEpoch !== this.memEpoch) this.invalidateCode();
    // The budget counts retired instructions and delivered events alike, so a
    // run never goes past a position (session/checkpoint.ts `ticks`).
    const delivered0 = s.delivered;
    let retired = 0;
    const useBreakpoints = this.breakpoints.size > 0;
    for (;;) {
      if (retired + (s.delivered - delivered0) >= budget) return 'budget';
      // Slow, careful steps when something must be looked at between instructions.
      const careful =
        useBreakpoints ||
        (s.flagsOther & FLAG.TF) !== 0 ||
        (s.pendingIrq >= 0 && (s.flagsOther & FLAG.IF) !== 0) ||
        s.interruptShadow;
      if (careful) {
        // Stop before an instruction at a breakpoint — once: continuing from
        // that stop executes it.
        if (useBreakpoints && this.breakpoints.has(s.rip) && s.rip !== this.breakpointHitAt) {
          this.breakpointHitAt = s.rip;
          return 'breakpoint';
        }
        this.breakpointHitAt = -1;
        const r = this.step();
        if (r === 'retired') retired++;
        else if (r !== 'event') return r;
        continue;
      }
      const n = this.runFast(budget - retired - (s.delivered - delivered0));
      retired += n;
      if (this.exit) return this.exit.kind === 'triple-fault' ? 'shutdown' : 'exit';
    }
  }

  /**
   * The fast loop: no breakpoints, no TF, no deliverable interrupt. Returns
   * the number of instructions retired; stops early on an exit, a fault
   * (delivered here), or anything that needs the careful loop. Keeps
   * `state.icount` exact at every instruction (RDTSC reads it).
   */
  private runFast(budget: number): number {
    if (this.jit && jitAvailable()) return runBlocks(this, budget);
    return this.runInterpreted(budget);
  }

  /** runFast without the block compiler: one `exec()` per instruction. */
  private runInterpreted(budget: number): number {
    const s = this.state;
    const ic0 = s.icount;
    let n = 0;
    let op: Op;
    try {
      op = this.fetch(s.rip);
    } catch (e) {
      this.handleThrow(e);
      return 0;
    }
    this.flushed = false;
    // One try around the whole loop: a fault or exit unwinds to here, with
    // `op` still the instruction that raised it.
    try {
      while (n < budget) {
        this.cur = op;
        s.icount = ic0 + n;
        const r = op.exec();
        if (r === NEXT) {
          n++;
          const next = op.next;
          if (next !== null && !this.flushed) {
            op = next;
            continue;
          }
          s.rip = op.nextRip;
        } else if (r === JUMP) {
          n++;
          const taken = op.taken;
          if (taken !== null && !this.flushed && taken.rip === s.rip) {
            op = taken;
            continue;
          }
        } else if (r === EXIT) {
          s.rip = op.rip;
          return n;
        } else {
          // RECHECK / JUMP_RECHECK: retired; IF, TF or code changed — let run() decide.
          n++;
          if (r !== JUMP_RECHECK) s.rip = op.nextRip;
          return n;
        }
        // Refetch (after a flush or at a new branch target), linking for next time.
        const prev = op;
        op = this.fetch(s.rip);
        if (!this.flushed) {
          if (r === NEXT) prev.next = op;
          else prev.taken = op;
        }
        this.flushed = false;
      }
      s.rip = op.rip;
      return n;
    } catch (e) {
      this.handleThrow(e);
      return n;
    } finally {
      s.icount = ic0 + n;
    }
  }

  /**
   * Execute exactly one instruction (or deliver one pending event):
   * 'retired', 'event' (an interrupt or exception was delivered), 'exit' or
   * 'shutdown'.
   */
  step(): 'retired' | 'event' | 'exit' | 'shutdown' {
    const s = this.state;
    if (s.shutdown) return 'shutdown';
    if (s.interruptShadow) {
      s.interruptShadow = false;
    } else if (s.pendingIrq >= 0 && (s.flagsOther & FLAG.IF) !== 0) {
      const vector = s.pendingIrq;
      s.pendingIrq = -1;
      return this.deliver(vector, undefined, 'external', s.rip);
    }
    const tf = (s.flagsOther & FLAG.TF) !== 0;
    let op: Op;
    try {
      op = this.fetch(s.rip);
      this.cur = op;
      const r = op.exec();
      if (r === EXIT) return 'exit';
      if (r !== JUMP && r !== JUMP_RECHECK) s.rip = op.nextRip;
      s.icount++;
    } catch (e) {
      return this.handleThrow(e);
    }
    if (tf) {
      // Single-step trap after the instruction (SDM Vol. 3 §17.3.1.4).
      const r = this.deliver(VECTOR.DB, undefined, 'trap', s.rip);
      return r === 'event' ? 'retired' : r;
    }
    return 'retired';
  }

  /** Turn a thrown signal into delivery or an exit (also used by the JIT's run loop). */
  handleThrow(e: unknown): 'event' | 'exit' | 'shutdown' {
    if (e === EXIT_SIGNAL) {
      // RIP must point at the instruction that raised the exit (exits.ts);
      // the run loops do not keep state.rip current between instructions.
      this.state.rip = this.insnRip;
      return this.exit?.kind === 'triple-fault' ? 'shutdown' : 'exit';
    }
    if (e instanceof GuestFault) {
      this.state.rip = this.insnRip;
      return this.deliver(e.vector, e.errorCode, 'fault', this.insnRip);
    }
    throw e;
  }

  /**
   * Deliver an exception or interrupt through the IDT (or exit for it when
   * the exception bitmap says so). `returnRip` is the RIP pushed.
   */
  deliver(
    vector: number,
    errorCode: number | undefined,
    kind: EventKind,
    returnRip: number,
  ): 'event' | 'exit' | 'shutdown' {
    const r = deliverEvent(this, vector, errorCode, kind, returnRip);
    if (r === 'exit' && this.exit?.kind === 'triple-fault') {
      this.state.shutdown = true;
      return 'shutdown';
    }
    return r;
  }

  /** A write hit a page holding decoded code: every vCPU must drop its caches. */
  codeWritten(): void {
    this.mem.codeEpoch++;
    this.invalidateCode();
  }

  /** Note a loader or device write into RAM (keeps the code cache honest). */
  noteWrite(gpa: number, size: number): void {
    markWritten(this, gpa, size);
  }
}
