/**
 * The vCPU's architectural state as plain data (typed arrays and numbers),
 * so a checkpoint is a `structuredClone` and the whole machine can move
 * between the Worker and the page.
 *
 * 64-bit registers are kept as two 32-bit halves (`rl` low, `rh` high, both
 * Int32Array) because `bigint` is far too slow for the interpreter's hot
 * path (../shared/STYLE.md §3). Use {@link getReg64}/{@link setReg64} at the
 * boundaries (UI, JSON, tests).
 *
 * The arithmetic flags are kept lazily (see flags.ts): the last flag-setting
 * operation's inputs and result, from which CF/PF/AF/ZF/SF/OF are computed
 * only when something reads them. `flagsOther` holds every other RFLAGS bit.
 */

/** RFLAGS bits (Intel SDM Vol. 1, §3.4.3). */
export const FLAG = {
  CF: 1 << 0,
  /** Bit 1 is reserved and always 1. */
  FIXED: 1 << 1,
  PF: 1 << 2,
  AF: 1 << 4,
  ZF: 1 << 6,
  SF: 1 << 7,
  TF: 1 << 8,
  IF: 1 << 9,
  DF: 1 << 10,
  OF: 1 << 11,
  IOPL: 3 << 12,
  NT: 1 << 14,
  RF: 1 << 16,
  AC: 1 << 18,
  ID: 1 << 21,
} as const;

/** The six arithmetic (status) flags. */
export const ARITH_FLAGS = FLAG.CF | FLAG.PF | FLAG.AF | FLAG.ZF | FLAG.SF | FLAG.OF;
/** Bits POPF/IRETQ may change at CPL 0 (RF/VM/VIF/VIP are not modelled). */
export const WRITABLE_FLAGS =
  ARITH_FLAGS | FLAG.TF | FLAG.IF | FLAG.DF | FLAG.IOPL | FLAG.NT | FLAG.AC | FLAG.ID;

/** Segment register indices, in the SDM's Sreg encoding order. */
export const SEG = { ES: 0, CS: 1, SS: 2, DS: 3, FS: 4, GS: 5 } as const;

/** A segment register: the visible selector and the hidden descriptor cache. */
export interface SegmentState {
  selector: number;
  /** Base (only FS and GS bases are used in 64-bit mode). */
  base: number;
  limit: number;
  /** Descriptor access byte and flags (type, S, DPL, P, L, D/B, G) as in the GDT. */
  attrib: number;
}

/** GDTR / IDTR. */
export interface TableRegister {
  base: number;
  limit: number;
}

/**
 * Lazy-flags operation kinds. The flags of the last operation are computed
 * from (`lop`, `lsz`, `la`/`lah`, `lb`/`lbh`, `lr`/`lrh`, `lcf`) on demand.
 */
export const LOP = {
  /** Arithmetic flags are stored as-is in `lflags`. */
  EAGER: 0,
  ADD: 1,
  ADC: 2,
  SUB: 3,
  SBB: 4,
  LOGIC: 5,
  INC: 6,
  DEC: 7,
  NEG: 8,
} as const;

/** Exceptions a vCPU can raise (vectors, SDM Vol. 3 Table 6-1). */
export const VECTOR = {
  DE: 0,
  DB: 1,
  NMI: 2,
  BP: 3,
  OF: 4,
  BR: 5,
  UD: 6,
  NM: 7,
  DF: 8,
  TS: 10,
  NP: 11,
  SS: 12,
  GP: 13,
  PF: 14,
  MF: 16,
  AC: 17,
} as const;

export interface CpuState {
  schemaVersion: 1;
  /** vCPU index (KVM's vcpu_id; also its APIC ID here). */
  id: number;
  /** General registers, low and high 32-bit halves, in encoding order rax…r15. */
  rl: Int32Array;
  rh: Int32Array;
  /** RIP of the next instruction to execute (a canonical address as a JS number). */
  rip: number;
  /** RFLAGS bits other than the six arithmetic flags. */
  flagsOther: number;
  // Lazy arithmetic flags (see LOP and flags.ts).
  lop: number;
  lsz: number;
  la: number;
  lah: number;
  lb: number;
  lbh: number;
  lr: number;
  lrh: number;
  /** CF for ADC/SBB/INC/DEC, or all six flags for EAGER. */
  lcf: number;
  lflags: number;
  cr0: number;
  cr2: number;
  cr3: number;
  cr4: number;
  cr8: number;
  efer: number;
  gdtr: TableRegister;
  idtr: TableRegister;
  /** Task register: selector and the TSS base (RSP0 is read from it on a privilege change). */
  tr: SegmentState;
  /** ES, CS, SS, DS, FS, GS. */
  seg: SegmentState[];
  /** Current privilege level (CS.DPL of the loaded code segment). */
  cpl: number;
  /** Retired instructions since reset (the TSC is derived from it). */
  icount: number;
  /** Exceptions and interrupts delivered through the IDT since reset. */
  delivered: number;
  /** Time-stamp counter offset (guest TSC = icount + tscOffset). */
  tscOffset: number;
  /** Set after STI / MOV SS / POP SS: interrupts are held off for one instruction. */
  interruptShadow: boolean;
  /** An external interrupt vector waiting for IF = 1, or -1. */
  pendingIrq: number;
  /** Stopped by a triple fault until reset. */
  shutdown: boolean;
  /** Model-specific registers the guest wrote (by MSR index). */
  msrs: Record<number, [number, number]>;
}

export interface CpuConfig {
  id?: number;
  /** Start RIP (DESIGN.md §5: the origin, or `_start`). */
  entry: number;
  /** Initial RSP (DESIGN.md §5: 0x80000). */
  rsp?: number;
}

/** A flat 64-bit code segment (L=1, DPL 0, present, type execute/read). */
const CODE64_ATTRIB = 0xa09b;
/** A flat writable data segment (DPL 0, present). */
const DATA_ATTRIB = 0xc093;

function segment(selector: number, attrib: number): SegmentState {
  return { selector, base: 0, limit: 0xffffffff, attrib };
}

/** CR0 with PE, MP, ET, NE, WP, PG: protected mode with paging (long mode). */
export const CR0_LONG_MODE = 0x80050033;
/** CR4.PAE (required for long mode). */
export const CR4_PAE = 1 << 5;
/** EFER.SCE | LME | LMA. */
export const EFER_LONG_MODE = (1 << 0) | (1 << 8) | (1 << 10);

/**
 * The reset state of DESIGN.md §5: 64-bit mode, CPL 0, flat segments
 * (CS 0x08, data 0x10) whose descriptors are loaded in the hidden caches
 * (GDTR is empty: a guest that reloads segments must `lgdt` its own GDT
 * first), no IDT, all general registers 0 except RSP = 0x80000 and RDI =
 * the vCPU index, RFLAGS = 0x2.
 */
export function createCpuState(config: CpuConfig): CpuState {
  const id = config.id ?? 0;
  const rl = new Int32Array(16);
  const rh = new Int32Array(16);
  rl[4] = config.rsp ?? 0x80000;
  rl[7] = id;
  return {
    schemaVersion: 1,
    id,
    rl,
    rh,
    rip: config.entry,
    flagsOther: FLAG.FIXED,
    lop: LOP.EAGER,
    lsz: 32,
    la: 0,
    lah: 0,
    lb: 0,
    lbh: 0,
    lr: 0,
    lrh: 0,
    lcf: 0,
    lflags: 0,
    cr0: CR0_LONG_MODE,
    cr2: 0,
    cr3: 0,
    cr4: CR4_PAE,
    cr8: 0,
    efer: EFER_LONG_MODE,
    gdtr: { base: 0, limit: 0 },
    idtr: { base: 0, limit: 0 },
    tr: { selector: 0, base: 0, limit: 0, attrib: 0x008b },
    seg: [
      segment(0x10, DATA_ATTRIB),
      segment(0x08, CODE64_ATTRIB),
      segment(0x10, DATA_ATTRIB),
      segment(0x10, DATA_ATTRIB),
      segment(0, 0),
      segment(0, 0),
    ],
    cpl: 0,
    icount: 0,
    delivered: 0,
    tscOffset: 0,
    interruptShadow: false,
    pendingIrq: -1,
    shutdown: false,
    msrs: {},
  };
}

/** Register `i` (0–15) as an unsigned 64-bit bigint. */
export function getReg64(cpu: CpuState, i: number): bigint {
  const hi = cpu.rh[i];
  // Most values fit in 32 bits: one conversion instead of four bigint operations.
  if (hi === 0) return BigInt(cpu.rl[i] >>> 0);
  return (BigInt(hi >>> 0) << 32n) | BigInt(cpu.rl[i] >>> 0);
}

/** Set register `i` (0–15) from a bigint (taken mod 2^64). */
export function setReg64(cpu: CpuState, i: number, v: bigint): void {
  if (v >= -0x80000000n && v <= 0xffffffffn) {
    // Fits 32 bits (signed or unsigned): no 64-bit bigint arithmetic needed.
    const n = Number(v);
    cpu.rl[i] = n | 0;
    cpu.rh[i] = n < 0 ? -1 : 0;
    return;
  }
  const u = BigInt.asUintN(64, v);
  cpu.rl[i] = Number(u & 0xffffffffn) | 0;
  cpu.rh[i] = Number(u >> 32n) | 0;
}

/** Register names in encoding order, as the CLI's JSON spells them. */
export const GPR_NAMES = [
  'rax',
  'rcx',
  'rdx',
  'rbx',
  'rsp',
  'rbp',
  'rsi',
  'rdi',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
] as const;
