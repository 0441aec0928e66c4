/**
 * Differential test: our emulated vCPU against the real CPU under Linux KVM.
 *
 * N seeded random programs (tests/cpu/gen/; N = DIFF_PROGRAMS, default 2000)
 * are assembled with our assembler, run in ONE batch under KVM
 * (tools/kvm-runner, via tests/cpu/kvm/kvmRunner.ts) and on our vCPU
 * (`runFlatImage`); the 16 GPRs, RIP and the arithmetic flags that the
 * program leaves defined must be identical. Seeds listed in
 * tests/cpu/regressions/seeds.json always run first.
 *
 * Environment:
 *   DIFF_PROGRAMS=n     how many fresh seeds (default 2000)
 *   DIFF_SEED_BASE=s    first fresh seed (default 1): explore other programs
 *   DIFF_LOCATE=n       pinpoint the first instruction that differs for the
 *                       first n failing seeds (default 8)
 *   DIFF_KVM_MODE=kernel  run the KVM side at CPL 0 (default: CPL 3, see below)
 *   DIFF_RECORD=0       do not append failing seeds to seeds.json
 *                       (recording is also off when CI is set); at most
 *                       DIFF_RECORD_MAX (default 10) new seeds per run, one
 *                       per kind of first mismatch
 *
 * Without /dev/kvm (or gcc) the whole suite is skipped with a warning.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runFlatImage } from '../../src/core/cpu';
import {
  buildCase,
  compareStates,
  locateDivergence,
  mismatchReport,
  noteFor,
  readRegressionSeeds,
  recordRegressionSeeds,
  type Case,
  type Mismatch,
} from './kvm/compare';
import { kvmAvailable, runUnderKvm, type KvmResult } from './kvm/kvmRunner';

const availability = kvmAvailable();
if (!availability.ok) console.warn(`[differential] skipped: ${availability.why}`);
const suite = availability.ok ? describe : describe.skip;

const N = Number(process.env.DIFF_PROGRAMS ?? 2000);
const BASE = Number(process.env.DIFF_SEED_BASE ?? 1);
const RECORD = process.env.DIFF_RECORD !== '0' && !process.env.CI;
/** At most this many new failing seeds are recorded per run. */
const RECORD_MAX = Number(process.env.DIFF_RECORD_MAX ?? 10);
/**
 * The KVM side runs the programs at CPL 3 by default, so that they execute
 * natively on the CPU even where KVM can only EMULATE CPL-0 code (the PVM
 * backend on this kind of host runs every CPL-0 instruction through KVM's
 * x86 emulator). The generated instructions compute the same at any CPL.
 * DIFF_KVM_MODE=kernel runs them at CPL 0 as DESIGN.md §5 describes.
 */
const KVM_MODE = process.env.DIFF_KVM_MODE === 'kernel' ? 'kernel' : 'user';
/** How many failing seeds to pinpoint (one extra KVM batch each). */
const LOCATE = Number(process.env.DIFF_LOCATE ?? 8);
/** Far more than any generated program retires (the digest loop is ~4600). */
const MAX_STEPS = 1_000_000;

const ms = (t: number): string => `${(t / 1000).toFixed(2)} s`;

suite('differential: vCPU vs real CPU (KVM)', () => {
  let cases: Case[] = [];
  let kvm: KvmResult[] = [];
  const bySeed = new Map<number, Case>();

  beforeAll(() => {
    const regression = readRegressionSeeds().map((s) => s.seed);
    const seeds = [...new Set([...regression, ...Array.from({ length: N }, (_, i) => BASE + i)])];
    const t0 = performance.now();
    cases = seeds.map(buildCase);
    for (const c of cases) bySeed.set(c.seed, c);
    const t1 = performance.now();
    const runnable = cases.filter((c) => c.asmErrors.length === 0);
    const results = runUnderKvm(
      runnable.map((c) => ({ bytes: c.bytes, origin: c.origin, entry: c.entry })),
      { mode: KVM_MODE },
    );
    const bySeedKvm = new Map(runnable.map((c, i) => [c.seed, results[i]!]));
    kvm = cases.map(
      (c) => bySeedKvm.get(c.seed) ?? { stop: 'not run', regs: [], rip: 0n, rflags: 0n, exits: 0 },
    );
    const t2 = performance.now();
    console.info(
      `[differential] ${cases.length} programs: generate+assemble ${ms(t1 - t0)}, KVM batch (${KVM_MODE} mode) ${ms(t2 - t1)}`,
    );
  });

  it('every generated program assembles', () => {
    const bad = cases.filter((c) => c.asmErrors.length > 0);
    const report = bad
      .slice(0, 5)
      .map((c) => `seed ${c.seed}:\n  ${c.asmErrors.slice(0, 3).join('\n  ')}\n${c.program.source}`)
      .join('\n\n');
    expect(bad.length, `${bad.length} of ${cases.length} programs do not assemble\n${report}`).toBe(
      0,
    );
  });

  it('kvm sanity: every program reaches its final HLT on the real CPU', () => {
    const bad: string[] = [];
    const faulting: Case[] = [];
    cases.forEach((c, i) => {
      const r = kvm[i]!;
      if (c.asmErrors.length > 0) return;
      if (r.stop !== 'hlt') {
        bad.push(`seed ${c.seed}: stopped with '${r.stop}'`);
        faulting.push(c);
      } else if (r.rip !== BigInt(c.hltAddress + 1))
        bad.push(
          `seed ${c.seed}: HLT at 0x${(Number(r.rip) - 1).toString(16)}, not at prog_end 0x${c.hltAddress.toString(16)}`,
        );
    });
    if (faulting.length > 0) {
      // Re-run those with a real IDT to learn which instruction faulted.
      const again = runUnderKvm(
        faulting.map((c) => ({ bytes: c.bytes, origin: c.origin, entry: c.entry })),
        { trapExceptions: true, mode: KVM_MODE },
      );
      faulting.forEach((c, i) => {
        const r = again[i]!;
        const line = c.lineAt(Number(r.rip));
        const text = line ? c.program.source.split('\n')[line - 1]!.trim() : '?';
        bad.push(
          `  seed ${c.seed} with an IDT: ${r.stop} at 0x${r.rip.toString(16)} (line ${line}: ${text})`,
        );
      });
    }
    const reached = cases.filter(
      (c, i) =>
        c.asmErrors.length === 0 &&
        kvm[i]!.stop === 'hlt' &&
        kvm[i]!.rip === BigInt(c.hltAddress + 1),
    ).length;
    console.info(
      `[differential] kvm sanity: ${reached} of ${cases.length} programs reach their final HLT under KVM`,
    );
    expect(bad, bad.slice(0, 30).join('\n')).toEqual([]);
  });

  it('our vCPU computes what the real CPU computes', () => {
    const mismatches: Mismatch[] = [];
    const failedSeeds = new Map<number, Mismatch[]>();
    let compared = 0;
    const t0 = performance.now();
    cases.forEach((c, i) => {
      const k = kvm[i]!;
      if (c.asmErrors.length > 0 || k.stop !== 'hlt') return; // reported by the tests above
      let ms: Mismatch[];
      try {
        const ours = runFlatImage(c.bytes, c.origin, { entry: c.entry, maxSteps: MAX_STEPS });
        ms = compareStates(c, ours, k);
      } catch (e) {
        ms = [
          {
            seed: c.seed,
            what: 'exception',
            ours: String((e as Error).message ?? e).split('\n')[0]!,
            kvm: k.stop,
          },
        ];
      }
      compared++;
      if (ms.length > 0) {
        mismatches.push(...ms);
        failedSeeds.set(c.seed, ms);
      }
    });
    if (failedSeeds.size > 0 && RECORD) {
      // Keep a few, preferring different kinds of first mismatch, not hundreds.
      const kinds = new Set<string>();
      const pick: { seed: number; note: string }[] = [];
      for (const [seed, ms] of failedSeeds) {
        const first = ms[0]!;
        const kind = first.what === 'stop' ? `stop:${first.ours}` : first.what;
        if (kinds.has(kind) || pick.length >= RECORD_MAX) continue;
        kinds.add(kind);
        pick.push({ seed, note: noteFor(ms) });
      }
      const added = recordRegressionSeeds(pick);
      if (added > 0)
        console.warn(
          `[differential] recorded ${added} new failing seed(s) in tests/cpu/regressions/seeds.json`,
        );
    }
    console.info(`[differential] vCPU: ${compared} programs in ${ms(performance.now() - t0)}`);
    expect(compared).toBeGreaterThan(0);
    let report = '';
    if (failedSeeds.size > 0) {
      // Pinpoint the first few: which instruction first makes the states differ?
      const located = [...failedSeeds.keys()].slice(0, LOCATE).map((seed) => {
        const where = locateDivergence(
          bySeed.get(seed)!,
          (bytes, origin, entry) => runFlatImage(bytes, origin, { entry, maxSteps: MAX_STEPS }),
          (images) => runUnderKvm(images, { mode: KVM_MODE }),
        );
        return `  seed ${seed}: ${where}`;
      });
      const summary = mismatchReport(mismatches, bySeed, compared);
      report = `${summary}\n\nWhere the first ${located.length} go wrong:\n${located.join('\n')}`;
    }
    expect(failedSeeds.size, report).toBe(0);
  });
});
