/**
 * Differential test: every corpus form (tests/isa/corpus/corpus.ts), each
 * assembled alone at origin 0x10000, must give the same bytes from our
 * assembler as from GNU as.
 *
 * GAS side: one batched `as` + `ld` run (tests/isa/gas/gas.ts). When binutils
 * is missing, the live checks are skipped (with a warning) and our bytes are
 * compared with the recorded tests/isa/corpus/gas-expected.txt instead.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, buildErrorCorpus } from './corpus/corpus';
import { listingForm, parseHex, readExpected } from './corpus/expected';
import { gasAssemble, gasAssembleBatch, gasAvailable, hex } from './gas/gas';
import { bytesEqual, formatMismatches, type Mismatch } from './gas/report';
import { loadIsa } from './gas/loadIsa';

const corpus = buildCorpus();
const HAVE_GAS = gasAvailable();
if (!HAVE_GAS) console.warn('GNU as not found: skipping live GAS checks (using gas-expected.txt)');

/** GAS bytes per corpus item: live when binutils is present, else recorded. */
let gasBytes: Uint8Array[] | undefined;
let gasProblem = '';

beforeAll(() => {
  if (HAVE_GAS) {
    const r = gasAssembleBatch(corpus.map((c) => c.gas));
    if (!r.ok) {
      gasProblem = r.failures.length
        ? r.failures
            .map(
              (f) =>
                `${corpus[f.index].id}: ${corpus[f.index].gas}\n    ${f.messages.join('\n    ')}`,
            )
            .join('\n')
        : r.stderr;
      return;
    }
    const warned = r.items.flatMap((it, i) => it.warnings.map((w) => `${corpus[i].id}: ${w}`));
    if (warned.length) gasProblem = `GAS warnings:\n${warned.join('\n')}`;
    gasBytes = r.items.map((it) => it.bytes);
  } else {
    const rows = readExpected();
    if (
      rows.length !== corpus.length ||
      rows.some((row, i) => row.nasm !== listingForm(corpus[i].nasm))
    ) {
      gasProblem =
        'gas-expected.txt does not match the corpus; regenerate it on a machine with binutils';
      return;
    }
    gasBytes = rows.map((row) => parseHex(row.hex));
  }
});

describe('GAS differential corpus', () => {
  it('has at least 400 forms, with unique ids', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
  });

  it.skipIf(!HAVE_GAS)('GNU as accepts every form without warnings', () => {
    expect(gasProblem, gasProblem).toBe('');
  });

  it.skipIf(!HAVE_GAS)('tests/isa/corpus/gas-expected.txt is up to date', () => {
    expect(gasBytes).toBeDefined();
    const rows = readExpected();
    const stale: string[] = [];
    if (rows.length !== corpus.length)
      stale.push(`listing has ${rows.length} rows, corpus ${corpus.length}`);
    corpus.forEach((c, i) => {
      const row = rows[i];
      const want = hex(gasBytes![i]);
      if (!row || row.nasm !== listingForm(c.nasm) || row.hex !== want)
        stale.push(`${c.id}: ${listingForm(c.nasm)}`);
    });
    const msg = `gas-expected.txt is stale (${stale.length} rows); run: npx tsx tests/isa/corpus/writeExpected.ts\n${stale.slice(0, 20).join('\n')}`;
    expect(stale.length, msg).toBe(0);
  });

  it('our assembler matches GNU as on every form (0 differences)', async () => {
    expect(gasBytes, gasProblem || 'no GAS bytes').toBeDefined();
    const { assemble } = await loadIsa();
    const mismatches: Mismatch[] = [];
    corpus.forEach((c, i) => {
      const want = gasBytes![i];
      const r = assemble(c.nasm, { origin: 0x10000 });
      if (!r.ok) {
        const errs = r.errors.map((e) => `error ${e.line}:${e.column} ${e.message}`).join('; ');
        mismatches.push({ source: c.nasm, ours: errs || 'not ok, no errors', gas: hex(want) });
      } else if (!bytesEqual(r.bytes, want)) {
        mismatches.push({ source: c.nasm, ours: hex(r.bytes), gas: hex(want) });
      }
    });
    expect(mismatches.length, formatMismatches(`${corpus.length} corpus forms`, mismatches)).toBe(
      0,
    );
  });

  describe('invalid lines', () => {
    const errorCorpus = buildErrorCorpus();

    it.skipIf(!HAVE_GAS)('GNU as rejects every one of them', () => {
      const accepted = errorCorpus.filter((c) => gasAssemble(c.gas).ok).map((c) => c.nasm);
      expect(accepted, 'GAS accepted lines meant to be invalid').toEqual([]);
    });

    it('our assembler rejects every one of them, pointing at a line', async () => {
      const { assemble } = await loadIsa();
      const wrong: string[] = [];
      for (const c of errorCorpus) {
        const r = assemble(c.nasm);
        const lines = c.nasm.split('\n').length;
        if (r.ok) wrong.push(`${listingForm(c.nasm)} | accepted: ${hex(r.bytes)}`);
        else if (r.errors.some((e) => e.line < 1 || e.line > lines))
          wrong.push(
            `${listingForm(c.nasm)} | error line out of range: ${r.errors.map((e) => e.line).join(',')}`,
          );
      }
      expect(
        wrong.length,
        `${wrong.length} invalid line(s) not rejected:\n  ${wrong.join('\n  ')}`,
      ).toBe(0);
    });
  });
});
