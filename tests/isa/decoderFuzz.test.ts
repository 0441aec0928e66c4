/**
 * Decoder fuzzing (seeded, so every run checks the same inputs):
 * - decode never throws, on any bytes at any offset, and reports a sane length;
 * - an ok instruction reads only its own bytes (cutting the buffer right
 *   after it, or appending garbage, changes nothing) and every strict prefix
 *   of it is `truncated`;
 * - formatInsn never throws on an ok result;
 * - no instruction is longer than 15 bytes.
 * Inputs that ever failed are kept below as named regressions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, formatInsn } from '../../src/core/isa';
import type { DecodedInsn } from '../../src/core/isa';

const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** The cheap contract every decode result must meet; '' when it does. */
function checkDecode(bytes: Uint8Array, offset: number): string {
  let d: DecodedInsn;
  try {
    d = decode(bytes, offset);
  } catch (e) {
    return `decode threw: ${(e as Error).message}`;
  }
  const avail = Math.max(0, bytes.length - offset);
  if (!Number.isInteger(d.length) || d.length < 0 || d.length > 15)
    return `length ${d.length} outside 0..15`;
  if (!d.ok) {
    if (typeof d.error !== 'string' || d.error.length === 0) return 'not ok without an error kind';
    return '';
  }
  if (d.length < 1 || d.length > avail)
    return `ok with length ${d.length} but ${avail} byte(s) available`;
  if (typeof d.mnemonic !== 'string' || d.mnemonic === '') return 'ok without a mnemonic';
  if (!Array.isArray(d.operands)) return 'ok without operands array';
  try {
    const text = formatInsn(d, 0x10000 + offset);
    if (typeof text !== 'string' || text === '') return 'formatInsn returned no text';
  } catch (e) {
    return `formatInsn threw: ${(e as Error).message}`;
  }
  return '';
}

/** An ok decode reads nothing past its length, and its prefixes are `truncated`. */
function checkBoundaries(bytes: Uint8Array): string {
  const d = decode(bytes, 0);
  if (!d.ok) return '';
  const L = d.length;
  const exact = decode(bytes.slice(0, L), 0);
  if (!exact.ok || exact.length !== L || exact.mnemonic !== d.mnemonic)
    return `cut after its ${L} bytes it decodes differently (${exact.ok ? `${exact.mnemonic}/${exact.length}` : exact.error})`;
  const padded = new Uint8Array(L + 15).fill(0xcc);
  padded.set(bytes.subarray(0, L));
  const more = decode(padded, 0);
  if (!more.ok || more.length !== L || more.mnemonic !== d.mnemonic)
    return 'trailing bytes change the decode';
  for (let k = 0; k < L; k++) {
    const t = decode(bytes.slice(0, k), 0);
    if (t.ok || t.error !== 'truncated')
      return `its ${k}-byte prefix is ${t.ok ? `ok (${t.mnemonic})` : t.error}, not truncated`;
  }
  return '';
}

/** Prefix-heavy, opcode-map-aware byte strings: reach deeper than uniform bytes. */
const PREFIXES = [
  0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x26, 0x64, 0x65, 0x40, 0x41, 0x44, 0x48, 0x4c, 0x4f,
];
const structured = fc
  .tuple(
    fc.array(fc.constantFrom(...PREFIXES), { maxLength: 4 }),
    fc.constantFrom<number[]>([], [], [0x0f], [0x0f, 0x01]),
    fc.uint8Array({ minLength: 1, maxLength: 11 }),
  )
  .map(([p, esc, rest]) => Uint8Array.from([...p, ...esc, ...rest]));

/** Edge inputs kept as named regressions (add any input that ever fails here). */
const REGRESSIONS: Record<string, number[]> = {
  'empty buffer': [],
  'lone REX': [0x48],
  'lone 0F': [0x0f],
  'REX then a legacy prefix (REX ignored)': [0x48, 0x66, 0x90],
  '0F 01 without a third byte': [0x0f, 0x01],
  'modrm needing SIB + disp32, cut short': [0x8b, 0x04, 0x25, 0x00],
  '14 prefixes + nop (15 bytes: ok)': [...Array(14).fill(0x66), 0x90],
  '15 prefixes + nop (16 bytes: too long)': [...Array(15).fill(0x66), 0x90],
};

describe('decode never throws and stays within bounds', () => {
  for (const [name, bytes] of Object.entries(REGRESSIONS)) {
    it(`regression: ${name}`, () => {
      const b = Uint8Array.from(bytes);
      for (let off = 0; off <= b.length + 1; off++)
        expect(checkDecode(b, off), `${hex(b)} @${off}`).toBe('');
      expect(checkBoundaries(b), hex(b)).toBe('');
    });
  }

  it('no instruction exceeds 15 bytes', () => {
    const ok15 = decode(Uint8Array.from([...Array(14).fill(0x66), 0x90]), 0);
    expect(ok15.ok).toBe(true);
    expect(ok15.length).toBe(15);
    const tooLong = decode(Uint8Array.from([...Array(15).fill(0x66), 0x90]), 0);
    expect(tooLong.ok).toBe(false);
    expect(tooLong.length).toBeLessThanOrEqual(15);
    // mov rax, imm64 with 5 prefixes: 15 bytes exactly; 6 prefixes: too long.
    const movabs = [0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8];
    expect(decode(Uint8Array.from([0x66, 0x66, 0x66, 0x66, 0x66, ...movabs]), 0).length).toBe(15);
    expect(decode(Uint8Array.from([0x66, 0x66, 0x66, 0x66, 0x66, 0x66, ...movabs]), 0).ok).toBe(
      false,
    );
  });

  it('uniform random bytes at random offsets (100,000 runs, seeded)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 16 }),
        fc.nat({ max: 17 }),
        (bytes, off) => {
          const problem = checkDecode(bytes, Math.min(off, bytes.length));
          if (problem) throw new Error(problem);
        },
      ),
      { seed: 0x5eed0001, numRuns: 100_000 },
    );
  });

  it('prefix-heavy structured bytes (50,000 runs, seeded)', () => {
    fc.assert(
      fc.property(structured, (bytes) => {
        const problem = checkDecode(bytes, 0);
        if (problem) throw new Error(problem);
      }),
      { seed: 0x5eed0003, numRuns: 50_000 },
    );
  });

  it('an ok decode reads only its own bytes; shorter prefixes are truncated (30,000 runs, seeded)', () => {
    fc.assert(
      fc.property(fc.oneof(structured, fc.uint8Array({ minLength: 1, maxLength: 15 })), (bytes) => {
        const problem = checkBoundaries(bytes);
        if (problem) throw new Error(problem);
      }),
      { seed: 0x5eed0004, numRuns: 30_000 },
    );
  });
});
