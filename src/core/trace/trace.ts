/**
 * The event log of every phase, in columnar typed arrays (one array per
 * field, grown geometrically) rather than one object per event, so a run of
 * millions of exits stays compact and fast to scan (the Perfetto way).
 *
 * Two tables:
 *  - events: one row per phase (time, vCPU, phase, host function, exit row);
 *  - exits: one row per VM exit (vendor code, RIP, length, qualification,
 *    hypercall number/arguments/result, where it was handled, kvm_run exit).
 * Strings (exit names) are interned in `strings`.
 *
 * Contract: append-only, except `truncate`, which time travel uses to drop
 * events past a restored checkpoint (replay re-creates them identically).
 * This module imports no other core layer; what a host-function id means
 * is defined by the kvm layer. Columns come from, and a released trace's
 * go back to, columnPool.ts.
 */
import { giveColumn, takeColumn, type Column, type ColumnType } from './columnPool';

/** Phases of DESIGN.md §2, plus the VMM's set-up ioctls, HLT sleep/wake and device interrupts. */
export const PHASES = [
  'guest',
  'vm-exit',
  'dispatch',
  'intercept',
  'handle',
  'userspace',
  'resume',
  'ioctl',
  'block',
  'wake',
  'irq',
] as const;
export type PhaseName = (typeof PHASES)[number];
/**
 * Each phase's number: its index in PHASES (tests/trace/trace.test.ts
 * checks). Written out as a literal, not built from PHASES: V8 folds a
 * literal's fields into the code that reads them, while a lookup in an
 * object made by Object.fromEntries stays a load — a tenth of a hypercall
 * round trip, measured.
 */
export const PHASE = Object.freeze({
  guest: 0,
  'vm-exit': 1,
  dispatch: 2,
  intercept: 3,
  handle: 4,
  userspace: 5,
  resume: 6,
  ioctl: 7,
  block: 8,
  wake: 9,
  irq: 10,
}) satisfies { readonly [K in PhaseName]: number };

/** The vCPU column value of events that belong to the VMM process, not a vCPU. */
export const VMM_LANE = 255;

/** Where an exit was finished: in KVM, or by the userspace VMM. */
export const HANDLED_KERNEL = 0;
export const HANDLED_USERSPACE = 1;

/** 64-bit data words per exit (see EXIT_DATA), stored as lo/hi 32-bit halves. */
const DATA_WORDS = 6;
/**
 * Uint32 entries of `exHc` per exit: exit x's data word k is
 * exHc[x * HC_WORDS + 2k] (low half) and [+ 1] (high half).
 */
export const HC_WORDS = DATA_WORDS * 2;

/**
 * What an exit's six data words mean:
 *  hypercall: nr, a0, a1, a2, a3, ret   cpuid: leaf, subleaf, eax, ebx, ecx, edx
 *  io: port, size, direction (1 = out), value, count   mmio: gpa, size, is_write, value
 *  msr: index, value, is_write          exception: vector, error code
 */
export const EXIT_DATA = {
  none: 0,
  hypercall: 1,
  cpuid: 2,
  io: 3,
  mmio: 4,
  msr: 5,
  exception: 6,
} as const;
export type ExitDataKind = keyof typeof EXIT_DATA;

/** Rows past which a full table doubles instead of quadrupling. */
const GROW_FAST_LIMIT = 1 << 22;

/**
 * The capacity (rows) a full table of `n` rows grows to. Growing allocates
 * zeroed columns and copies the rows into them — on a fresh page each
 * first touch is a page fault — so small tables grow 4× (a million-event
 * run copies a third of its trace once, not all of it), and tables past
 * GROW_FAST_LIMIT rows 2×, to bound the unused capacity.
 */
function grownCapacity(n: number): number {
  return n < GROW_FAST_LIMIT ? n * 4 : n * 2;
}

/**
 * A column of `n` elements, reused from the pool when one fits. Rows at and
 * past the trace's length hold unspecified values — except in a zeroed
 * column (`exHandled`, `exKind`), whose new rows must read 0: a
 * pooled one is zeroed from `zeroFrom` on (a new one is all zero).
 */
function column<T extends Column>(type: ColumnType<T>, n: number, zeroFrom = n): T {
  const a = takeColumn(type, n);
  if (a === null) return new type(n);
  if (zeroFrom < n) a.fill(0, zeroFrom);
  return a;
}

/** A column of `n` elements starting with the elements of `a` (see `column`). */
function grow<T extends Column>(a: T, n: number, zeroed = false): T {
  const b = column(a.constructor as ColumnType<T>, n, zeroed ? a.length : n);
  b.set(a);
  return b;
}

/** One exit's fields as plain values (for reading). */
export interface ExitRow {
  index: number;
  vcpu: number;
  code: number;
  name: string;
  rip: number;
  length: number;
  qualification: number;
  gpa: number;
  handledIn: 'kernel' | 'userspace';
  /** kvm_run.exit_reason when the exit reached userspace, else -1. */
  kvmExit: number;
  /** Time of the VM exit (cycles). */
  time: number;
  hypercall?: { nr: bigint; args: [bigint, bigint, bigint, bigint]; ret: bigint };
}

/** Rows a new trace's tables start with, unless a released trace's capacities are on offer. */
const START_EVENTS = 1 << 14;
const START_EXITS = 256;

/**
 * The capacities of the trace released last (its columns went to the pool),
 * offered once to the next trace: a program run again grows to the same
 * size, so starting there takes the pooled columns whole and copies nothing
 * on the way up.
 */
interface Capacity {
  events: number;
  exits: number;
  shapes: number;
}

let offered: Capacity | null = null;

function startCapacity(): Capacity {
  const o = offered;
  offered = null;
  return o ?? { events: START_EVENTS, exits: START_EXITS, shapes: START_EXITS };
}

export class Trace {
  /** Rows the tables start with (startCapacity). */
  private readonly start = startCapacity();
  // events
  length = 0;
  time = column(Float64Array, this.start.events);
  vcpu = column(Uint8Array, this.start.events);
  phase = column(Uint8Array, this.start.events);
  fn = column(Uint16Array, this.start.events);
  exit = column(Int32Array, this.start.events);
  /**
   * Event-specific detail (an ioctl's name and arguments) by event: the
   * string id. Few events have one (the VMM's ioctls), so a map rather than
   * a column every event pays for. Read it with `detailText`.
   */
  private readonly details = new Map<number, number>();
  // exits
  exitCount = 0;
  exVcpu = column(Uint8Array, this.start.exits);
  /** The exit's row in the shape table (its hardware fields): read them with exitCode, exitName… */
  exShape = column(Int32Array, this.start.exits);
  exHandled = column(Uint8Array, this.start.exits, 0);
  exKvm = column(Int16Array, this.start.exits);
  exTime = column(Float64Array, this.start.exits);
  /** EXIT_DATA kind of the data words (0, none, in a new row; the words mean nothing then). */
  exKind = column(Uint8Array, this.start.exits, 0);
  exHc = column(Uint32Array, this.start.exits * HC_WORDS);
  /**
   * Exit shapes: what the hardware reports of an exit — reason code and
   * name, the exiting instruction's RIP and length, the qualification and
   * the guest-physical address. An exit whose six fields equal the previous
   * exit's shares its shape row (a loop making the same hypercall records
   * one shape, not six fields per exit).
   * Invariant: exShape never decreases and the last exit's shape is the
   * last shape, so `truncate` knows how many shapes to keep.
   */
  shapeCount = 0;
  private shCode = column(Int32Array, this.start.shapes);
  private shName = column(Uint16Array, this.start.shapes);
  private shRip = column(Float64Array, this.start.shapes);
  private shLen = column(Uint8Array, this.start.shapes);
  private shQual = column(Float64Array, this.start.shapes);
  private shGpa = column(Float64Array, this.start.shapes);
  readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  /** The exit name interned last, and its id: consecutive exits mostly share their reason. */
  private lastName = '';
  private lastNameId = -1;

  /** Intern a string; returns its id. */
  intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  /** Append a phase event; returns its index. */
  addEvent(time: number, vcpu: number, phase: number, fn: number, exitIndex: number): number {
    const i = this.length;
    if (i === this.time.length) this.growEvents();
    this.time[i] = time;
    this.vcpu[i] = vcpu;
    this.phase[i] = phase;
    this.fn[i] = fn;
    this.exit[i] = exitIndex;
    this.length = i + 1;
    return i;
  }

  /**
   * Room for `n` more events: returns the first new row. For a hot path
   * that writes its rows into the columns itself (KvmMachine's hypercall
   * fast path), where a call per event was a tenth of a round trip.
   * Contract: read the columns after this call (growing replaces them),
   * write time, vcpu, phase, fn and exit of every row taken, in order, and
   * set `length` past them before anything else appends.
   */
  reserveEvents(n: number): number {
    const i = this.length;
    while (i + n > this.time.length) this.growEvents();
    return i;
  }

  /** Make room for more events (every row of the columns is in use). */
  private growEvents(): void {
    this.checkNotReleased();
    const n = grownCapacity(this.time.length);
    this.time = grow(this.time, n);
    this.vcpu = grow(this.vcpu, n);
    this.phase = grow(this.phase, n);
    this.fn = grow(this.fn, n);
    this.exit = grow(this.exit, n);
  }

  /** Attach a detail string to event `i`. */
  setDetail(i: number, text: string): void {
    this.details.set(i, this.intern(text));
  }

  /** Event `i`'s detail text, or null when it has none. */
  detailText(i: number): string | null {
    const d = this.details.get(i);
    return d === undefined ? null : this.strings[d];
  }

  /** Append an exit row; returns its index. */
  addExit(
    time: number,
    vcpu: number,
    code: number,
    name: string,
    rip: number,
    length: number,
    qualification: number,
    gpa: number,
  ): number {
    const i = this.exitCount;
    if (i === this.exShape.length) this.growExits();
    this.exTime[i] = time;
    this.exVcpu[i] = vcpu;
    if (name !== this.lastName) {
      this.lastNameId = this.intern(name);
      this.lastName = name;
    }
    const nameId = this.lastNameId;
    let sh = this.shapeCount - 1;
    if (
      sh < 0 ||
      this.shCode[sh] !== code ||
      this.shName[sh] !== nameId ||
      this.shRip[sh] !== rip ||
      this.shLen[sh] !== length ||
      this.shQual[sh] !== qualification ||
      this.shGpa[sh] !== gpa
    ) {
      sh = this.shapeCount;
      if (sh === this.shCode.length) this.growShapes();
      this.shCode[sh] = code;
      this.shName[sh] = nameId;
      this.shRip[sh] = rip;
      this.shLen[sh] = length;
      this.shQual[sh] = qualification;
      this.shGpa[sh] = gpa;
      this.shapeCount = sh + 1;
    }
    this.exShape[i] = sh;
    // exHandled (HANDLED_KERNEL) and exKind (none) are 0 in a new row.
    this.exKvm[i] = -1;
    this.exitCount = i + 1;
    return i;
  }

  /**
   * Append an exit whose hardware fields are the last exit's (the same
   * instruction exiting again: KvmMachine knows without comparing); returns
   * its index. Requires an exit before it.
   */
  addExitAgain(time: number, vcpu: number): number {
    const i = this.exitCount;
    if (i === this.exShape.length) this.growExits();
    this.exTime[i] = time;
    this.exVcpu[i] = vcpu;
    this.exShape[i] = this.shapeCount - 1;
    this.exKvm[i] = -1;
    this.exitCount = i + 1;
    return i;
  }

  /** Exit `x`'s basic exit reason (VMX) or exit code (SVM). */
  exitCode(x: number): number {
    return this.shCode[this.exShape[x]];
  }

  /** Exit `x`'s reason as the vendor names it (EXIT_REASON_… / SVM_EXIT_…). */
  exitName(x: number): string {
    return this.strings[this.shName[this.exShape[x]]];
  }

  /** RIP of exit `x`'s exiting instruction. */
  exitRip(x: number): number {
    return this.shRip[this.exShape[x]];
  }

  /** Length of exit `x`'s exiting instruction (VM_EXIT_INSTRUCTION_LEN / next_rip − rip). */
  exitLength(x: number): number {
    return this.shLen[this.exShape[x]];
  }

  /** Exit `x`'s exit qualification (VMX) or EXITINFO1 (SVM). */
  exitQualification(x: number): number {
    return this.shQual[this.exShape[x]];
  }

  /** Exit `x`'s guest-physical address (EPT violation / NPF), else 0. */
  exitGpa(x: number): number {
    return this.shGpa[this.exShape[x]];
  }

  /** Make room for more exits (every row of the columns is in use). */
  private growExits(): void {
    this.checkNotReleased();
    const n = grownCapacity(this.exShape.length);
    this.exVcpu = grow(this.exVcpu, n);
    this.exShape = grow(this.exShape, n);
    this.exHandled = grow(this.exHandled, n, true);
    this.exKvm = grow(this.exKvm, n);
    this.exTime = grow(this.exTime, n);
    this.exKind = grow(this.exKind, n, true);
    this.exHc = grow(this.exHc, n * HC_WORDS);
  }

  /** Make room for more exit shapes (every row of the shape table is in use). */
  private growShapes(): void {
    this.checkNotReleased();
    const n = grownCapacity(this.shCode.length);
    this.shCode = grow(this.shCode, n);
    this.shName = grow(this.shName, n);
    this.shRip = grow(this.shRip, n);
    this.shLen = grow(this.shLen, n);
    this.shQual = grow(this.shQual, n);
    this.shGpa = grow(this.shGpa, n);
  }

  /** Set data word `k` (0–5) of an exit (stored unsigned 64-bit). */
  setWord(exit: number, k: number, v: bigint): void {
    const w = exit * HC_WORDS + 2 * k;
    if (v >= 0n && v <= 0xffffffffn) {
      this.exHc[w] = Number(v);
      this.exHc[w + 1] = 0;
      return;
    }
    const u = BigInt.asUintN(64, v);
    this.exHc[w] = Number(u & 0xffffffffn);
    this.exHc[w + 1] = Number(u >> 32n);
  }

  /** Data word `k` of an exit. */
  word(exit: number, k: number): bigint {
    const w = exit * HC_WORDS + 2 * k;
    return (BigInt(this.exHc[w + 1]) << 32n) | BigInt(this.exHc[w]);
  }

  /** Record an exit's data words and their meaning. */
  setData(exit: number, kind: ExitDataKind, words: readonly bigint[]): void {
    this.exKind[exit] = EXIT_DATA[kind];
    for (let k = 0; k < DATA_WORDS; k++) this.setWord(exit, k, words[k] ?? 0n);
  }

  /** Set data word `k` from two 32-bit halves (no bigint on the hot path). */
  setWordHalves(exit: number, k: number, lo: number, hi: number): void {
    const w = exit * HC_WORDS + 2 * k;
    this.exHc[w] = lo >>> 0;
    this.exHc[w + 1] = hi >>> 0;
  }

  /** Mark an exit as having gone to userspace with kvm_run.exit_reason `kvmExit`. */
  setUserspace(exit: number, kvmExit: number): void {
    this.exHandled[exit] = HANDLED_USERSPACE;
    this.exKvm[exit] = kvmExit;
  }

  /** Set by `release`: the columns went to the pool. */
  private released = false;

  /**
   * Give the columns to the pool for the next trace (columnPool.ts says
   * why) — for an owner that will never read this trace again, such as the
   * page loading another program. Afterwards the trace is empty and
   * appending to it throws; releasing twice does nothing.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    const capacity = {
      events: this.time.length,
      exits: this.exShape.length,
      shapes: this.shCode.length,
    };
    const columns: Column[] = [
      this.time,
      this.vcpu,
      this.phase,
      this.fn,
      this.exit,
      this.exVcpu,
      this.exShape,
      this.exHandled,
      this.exKvm,
      this.exTime,
      this.exKind,
      this.exHc,
      this.shCode,
      this.shName,
      this.shRip,
      this.shLen,
      this.shQual,
      this.shGpa,
    ];
    let kept = true;
    for (const c of columns) kept = giveColumn(c) && kept;
    // Offer the capacities only when the next trace can take every column.
    offered = kept ? capacity : null;
    this.time = new Float64Array(0);
    this.vcpu = new Uint8Array(0);
    this.phase = new Uint8Array(0);
    this.fn = new Uint16Array(0);
    this.exit = new Int32Array(0);
    this.details.clear();
    this.exVcpu = new Uint8Array(0);
    this.exShape = new Int32Array(0);
    this.exHandled = new Uint8Array(0);
    this.exKvm = new Int16Array(0);
    this.exTime = new Float64Array(0);
    this.exKind = new Uint8Array(0);
    this.exHc = new Uint32Array(0);
    this.shCode = new Int32Array(0);
    this.shName = new Uint16Array(0);
    this.shRip = new Float64Array(0);
    this.shLen = new Uint8Array(0);
    this.shQual = new Float64Array(0);
    this.shGpa = new Float64Array(0);
    this.length = 0;
    this.exitCount = 0;
    this.shapeCount = 0;
  }

  private checkNotReleased(): void {
    if (this.released) throw new Error('Trace: appended to after release()');
  }

  /** Drop events and exits past the given counts (time travel). */
  truncate(events: number, exits: number): void {
    if (events < this.length) {
      for (const e of this.details.keys()) if (e >= events) this.details.delete(e);
      this.length = events;
    }
    if (exits < this.exitCount) {
      this.exHandled.fill(HANDLED_KERNEL, exits, this.exitCount);
      this.exKind.fill(EXIT_DATA.none, exits, this.exitCount);
      this.exitCount = exits;
      // The shapes the kept exits use: up to the last one's (exShape never decreases).
      this.shapeCount = exits === 0 ? 0 : this.exShape[exits - 1] + 1;
    }
  }

  /** One exit as plain values. */
  exitRow(i: number): ExitRow {
    const row: ExitRow = {
      index: i,
      vcpu: this.exVcpu[i],
      code: this.exitCode(i),
      name: this.exitName(i),
      rip: this.exitRip(i),
      length: this.exitLength(i),
      qualification: this.exitQualification(i),
      gpa: this.exitGpa(i),
      handledIn: this.exHandled[i] === HANDLED_USERSPACE ? 'userspace' : 'kernel',
      kvmExit: this.exKvm[i],
      time: this.exTime[i],
    };
    if (this.exKind[i] === EXIT_DATA.hypercall) {
      const get = (k: number): bigint => this.word(i, k);
      row.hypercall = { nr: get(0), args: [get(1), get(2), get(3), get(4)], ret: get(5) };
    }
    return row;
  }

  /** Bytes held for the recorded rows: the typed arrays, and 8 per detail entry (for the benchmark). */
  bytesUsed(): number {
    const perEvent = 8 + 1 + 1 + 2 + 4;
    const perExit = 1 + 4 + 1 + 2 + 8 + 1 + HC_WORDS * 4;
    const perShape = 4 + 2 + 8 + 1 + 8 + 8;
    const rows = this.length * perEvent + this.exitCount * perExit + this.shapeCount * perShape;
    return rows + this.details.size * 8;
  }
}
