/**
 * Differential test on whole programs: each tests/isa/programs/*.asm goes
 * through our assembler and, translated by tests/isa/gas/toGas.ts, through
 * GNU as; the flat images (from the program's origin) must be identical.
 *
 * Without binutils the recorded images in tests/isa/programs/gas-expected/
 * stand in for GAS (and the live-GAS checks are skipped with a warning).
 */
import { describe, expect, it } from 'vitest';
import { gasAssemble, gasAvailable, hex } from './gas/gas';
import { toGas } from './gas/toGas';
import { bytesEqual, hexDiff } from './gas/report';
import { loadIsa } from './gas/loadIsa';
import { listPrograms, readProgramExpected } from './programs/programs';

const HAVE_GAS = gasAvailable();
if (!HAVE_GAS)
  console.warn('GNU as not found: skipping live GAS program checks (using recorded images)');

const programs = listPrograms();

/** The GAS image of a program: live, or the recorded one. */
function gasImage(name: string, source: string): { origin: number; bytes: Uint8Array } {
  if (!HAVE_GAS) {
    const rec = readProgramExpected(name);
    if (!rec) throw new Error(`no recorded GAS image for ${name}`);
    return rec;
  }
  const g = toGas(source);
  const r = gasAssemble(g.gas, g.origin);
  if (!r.ok)
    throw new Error(
      `GNU as rejected the translation of ${name}:\n${r.stderr}\n--- translation ---\n${g.gas}`,
    );
  if (r.warnings.trim()) throw new Error(`GNU as warned on ${name}:\n${r.warnings}`);
  return { origin: g.origin, bytes: r.bytes };
}

describe('GAS differential programs', () => {
  it('has a dozen or more programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(12);
  });

  it.skipIf(!HAVE_GAS)('recorded images in programs/gas-expected are up to date', () => {
    const stale = programs.filter((p) => {
      const live = gasImage(p.name, p.source);
      const rec = readProgramExpected(p.name);
      return !rec || rec.origin !== live.origin || !bytesEqual(rec.bytes, live.bytes);
    });
    expect(
      stale.map((p) => p.name),
      'run: npx tsx tests/isa/corpus/writeExpected.ts',
    ).toEqual([]);
  });

  for (const p of programs) {
    it(`${p.name}: our image equals GNU as byte for byte`, async () => {
      const { assemble } = await loadIsa();
      const want = gasImage(p.name, p.source);
      const ours = assemble(p.source);
      const errors = ours.errors.map((e) => `  ${e.line}:${e.column} ${e.message}`).join('\n');
      expect(ours.ok, `our assembler rejected ${p.name}:\n${errors}`).toBe(true);
      expect(ours.origin, 'origin').toBe(want.origin);
      if (!bytesEqual(ours.bytes, want.bytes)) {
        // Point at the source line that produced the first differing byte.
        let first = 0;
        while (
          first < Math.min(ours.bytes.length, want.bytes.length) &&
          ours.bytes[first] === want.bytes[first]
        )
          first++;
        const addr = ours.origin + first;
        const entry = ours.sourceMap.find(
          (e) => addr >= e.address && addr < e.address + Math.max(e.length, 1),
        );
        const lines = p.source.split('\n');
        const where = entry
          ? `line ${entry.line}: ${lines[entry.line - 1].trim()}\n  ours: ${hex(ours.bytes.subarray(entry.address - ours.origin, entry.address - ours.origin + entry.length))}\n  gas:  ${hex(want.bytes.subarray(entry.address - want.origin, entry.address - want.origin + entry.length + 4))} (+4 bytes shown)`
          : '(no source-map entry)';
        expect.fail(
          `${p.name} differs from GNU as\n${where}\n${hexDiff(ours.bytes, want.bytes, ours.origin)}`,
        );
      }
    });
  }
});
