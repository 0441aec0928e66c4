/**
 * Support for tests/cpu/differential.test.ts: build the batch of generated
 * programs, compare our vCPU's final state with KVM's, and format reports.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../../src/core/isa';
import { generateProgram, type GeneratedProgram } from '../gen/generator';
import { flagNames } from '../gen/instructions';
import { GPR_NAMES, type KvmResult } from './kvmRunner';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SEEDS_FILE = join(HERE, '../regressions/seeds.json');

export interface RegressionSeed {
  seed: number;
  note: string;
}

export function readRegressionSeeds(): RegressionSeed[] {
  const list = JSON.parse(readFileSync(SEEDS_FILE, 'utf8')) as RegressionSeed[];
  if (!Array.isArray(list)) throw new Error(`${SEEDS_FILE}: want a JSON list of {seed, note}`);
  return list;
}

/** Add seeds that are not in the file yet (keeps existing entries and order). */
export function recordRegressionSeeds(add: RegressionSeed[]): number {
  const list = readRegressionSeeds();
  const known = new Set(list.map((s) => s.seed));
  const fresh = add.filter((s) => !known.has(s.seed));
  if (fresh.length === 0) return 0;
  writeFileSync(SEEDS_FILE, `${JSON.stringify([...list, ...fresh], null, 2)}\n`);
  return fresh.length;
}

export interface Case {
  seed: number;
  program: GeneratedProgram;
  bytes: Uint8Array;
  origin: number;
  entry: number;
  /** Address of the final HLT. */
  hltAddress: number;
  /** Source line of each instruction address (for fault reports). */
  lineAt: (address: number) => number | undefined;
  /** Assembler errors (empty when it assembled). */
  asmErrors: string[];
}

/** Generate and assemble one seed. */
export function buildCase(seed: number): Case {
  const program = generateProgram(seed);
  const asm = assemble(program.source, { origin: 0x10000 });
  const end = asm.symbols.find((s) => s.name === program.endLabel);
  const map = asm.sourceMap.filter((e) => e.isInsn);
  return {
    seed,
    program,
    bytes: asm.bytes,
    origin: asm.origin,
    entry: asm.entry,
    hltAddress: end ? Number(end.value) : -1,
    lineAt: (a) => map.find((e) => a >= e.address && a < e.address + e.length)?.line,
    asmErrors: asm.ok ? [] : asm.errors.map((e) => `line ${e.line}:${e.column}: ${e.message}`),
  };
}

export interface OurResult {
  stop: string;
  regs: bigint[];
  rip: bigint;
  rflags: bigint;
}

export interface Mismatch {
  seed: number;
  /** `stop`, a register name, `rip` or `flags`. */
  what: string;
  ours: string;
  kvm: string;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/**
 * Compare our final state with KVM's: the stop reason, the 16 GPRs, RIP
 * (ours stops BEFORE retiring HLT, KVM after it: KVM = ours + 1) and the
 * arithmetic flags that the program leaves defined. Returns every difference.
 */
export function compareStates(c: Case, ours: OurResult, kvm: KvmResult): Mismatch[] {
  const out: Mismatch[] = [];
  const seed = c.seed;
  if (ours.stop !== 'hlt' || kvm.stop !== 'hlt') {
    out.push({ seed, what: 'stop', ours: ours.stop, kvm: kvm.stop });
    return out;
  }
  for (let i = 0; i < 16; i++)
    if (ours.regs[i] !== kvm.regs[i])
      out.push({ seed, what: GPR_NAMES[i]!, ours: hex(ours.regs[i]!), kvm: hex(kvm.regs[i]!) });
  if (ours.rip + 1n !== kvm.rip)
    out.push({ seed, what: 'rip', ours: `${hex(ours.rip)} (+1)`, kvm: hex(kvm.rip) });
  const mask = BigInt(c.program.definedFlags);
  const diff = (ours.rflags ^ kvm.rflags) & mask;
  if (diff !== 0n)
    out.push({
      seed,
      what: `flags ${flagNames(Number(diff))}`,
      ours: hex(ours.rflags & mask),
      kvm: `${hex(kvm.rflags & mask)} (compared under mask ${hex(mask)})`,
    });
  return out;
}

/** A compact multi-line report: one line per failing seed, then a few programs. */
export function mismatchReport(
  all: Mismatch[],
  cases: Map<number, Case>,
  total: number,
  programsToShow = 3,
): string {
  const bySeed = new Map<number, Mismatch[]>();
  for (const m of all) {
    const list = bySeed.get(m.seed) ?? [];
    list.push(m);
    bySeed.set(m.seed, list);
  }
  const lines = [`${bySeed.size} of ${total} programs differ from the real CPU:`];
  for (const [seed, ms] of [...bySeed].slice(0, 40)) {
    const m = ms[0]!;
    const more =
      ms.length > 1
        ? `  (+${ms.length - 1} more: ${ms
            .slice(1, 6)
            .map((x) => x.what)
            .join(', ')})`
        : '';
    lines.push(`  seed ${seed}: ${m.what} ours=${m.ours} kvm=${m.kvm}${more}`);
  }
  if (bySeed.size > 40) lines.push(`  … and ${bySeed.size - 40} more seeds`);
  for (const seed of [...bySeed.keys()].slice(0, programsToShow)) {
    const c = cases.get(seed);
    if (c)
      lines.push(
        '',
        `── program for seed ${seed} (defined flags at HLT: ${flagNames(c.program.definedFlags)}) ──`,
        c.program.source,
      );
  }
  return lines.join('\n');
}

/** The first mismatch of a seed as a one-line note for seeds.json. */
export function noteFor(ms: Mismatch[]): string {
  const m = ms[0]!;
  return `${m.what}: ours=${m.ours} kvm=${m.kvm}`;
}

/**
 * Where does seed `c` first go wrong? Build one variant per main-body line,
 * with a probe `hlt` inserted after that line, run all variants in one KVM
 * batch and on our vCPU, and return the first line after which the stop
 * reason, a GPR or RIP differs. Only variants in which KVM stops AT the probe
 * count (a branch may jump over it); loops stop at their first iteration.
 * Flags are shown but not compared: their definedness is only tracked at
 * the end of the program.
 */
export function locateDivergence(
  c: Case,
  runOurs: (bytes: Uint8Array, origin: number, entry: number) => OurResult,
  runKvm: (images: { bytes: Uint8Array; origin: number; entry: number }[]) => KvmResult[],
): string {
  const lines = c.program.source.split('\n');
  const start = lines.indexOf('_start:');
  const end = lines.indexOf(`${c.program.endLabel}:`);
  if (start < 0 || end < 0) return 'cannot locate: no _start / end label';
  const points: number[] = [];
  for (let i = start + 1; i < end; i++) {
    const line = lines[i]!.trim();
    // Not inside dead bytes, and not between PUSHFQ/POP and the AND that clears IF
    // (at CPL 3 some hosts push IF = 1).
    const inPushf =
      line === 'pushfq' || (line.startsWith('pop ') && lines[i - 1]!.trim() === 'pushfq');
    if (!line.startsWith('db ') && !inPushf) points.push(i);
  }
  const variants = points.map((i) => {
    const src = [...lines.slice(0, i + 1), '__probe:', '  hlt', ...lines.slice(i + 1)].join('\n');
    const asm = assemble(src, { origin: 0x10000 });
    const probe = asm.symbols.find((s) => s.name === '__probe');
    return {
      bytes: asm.bytes,
      origin: asm.origin,
      entry: asm.entry,
      probe: probe ? probe.value : -1n,
    };
  });
  const kvm = runKvm(variants);
  for (let v = 0; v < variants.length; v++) {
    const k = kvm[v]!;
    const probe = variants[v]!.probe;
    if (k.stop !== 'hlt' || k.rip !== probe + 1n) continue; // KVM did not stop at the probe
    let ours: OurResult;
    try {
      ours = runOurs(variants[v]!.bytes, variants[v]!.origin, variants[v]!.entry);
    } catch (e) {
      ours = { stop: `exception ${(e as Error).message}`, regs: [], rip: 0n, rflags: 0n };
    }
    const diffs: string[] = [];
    if (ours.stop !== 'hlt') diffs.push(`stop ours=${ours.stop} kvm=hlt`);
    else {
      if (ours.rip !== probe) diffs.push(`rip ours=${hex(ours.rip)} kvm=${hex(probe)}`);
      for (let r = 0; r < 16; r++)
        if (ours.regs[r] !== k.regs[r])
          diffs.push(`${GPR_NAMES[r]} ours=${hex(ours.regs[r]!)} kvm=${hex(k.regs[r]!)}`);
    }
    if (diffs.length === 0) continue;
    const at = points[v]!;
    const context = lines
      .slice(Math.max(start + 1, at - 3), at + 1)
      .map((l, j, arr) => `${j === arr.length - 1 ? '>>' : '  '} ${l.trim()}`);
    const flags =
      ours.stop === 'hlt'
        ? `  (flags here: ours=${hex(ours.rflags & 0x8d5n)} kvm=${hex(k.rflags & 0x8d5n)})`
        : '';
    return [
      `first divergence after line ${at + 1}: ${diffs.slice(0, 4).join(', ')}${flags}`,
      ...context,
    ].join('\n    ');
  }
  return 'no divergence at any main-body line (only in the final flags, or after the last probe)';
}
