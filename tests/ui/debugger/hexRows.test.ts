import { describe, expect, it } from 'vitest';
import { asciiChar, BYTES_PER_ROW, hexRows, sameHexRow } from '../../../src/ui/debugger/hexRows';

const bytes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('hexRows', () => {
  it('cuts an aligned window into rows of 16 with address labels', () => {
    const rows = hexRows({ address: 0x10000, bytes: bytes(32, 0x40) });
    expect(rows.map((r) => r.label)).toEqual(['0x00010000', '0x00010010']);
    expect(rows[0].cells).toHaveLength(BYTES_PER_ROW);
    expect(rows[0].cells[0]).toEqual({ address: 0x10000, byte: 0x40, hex: '40' });
    expect(rows[0].ascii).toBe('@ABCDEFGHIJKLMNO');
    expect(rows[1].cells[15].hex).toBe('5F');
  });

  it('aligns rows to 16 and pads outside the window', () => {
    const rows = hexRows({ address: 0x1000c, bytes: bytes(8, 0x41) });
    expect(rows.map((r) => r.address)).toEqual([0x10000, 0x10010]);
    expect(rows[0].cells.slice(0, 12).every((c) => c.byte === null && c.hex === '')).toBe(true);
    expect(rows[0].ascii).toBe(`${' '.repeat(12)}ABCD`);
    expect(rows[1].ascii).toBe(`EFGH${' '.repeat(12)}`);
    expect(rows[1].cells[4].byte).toBeNull();
  });

  it('shows non-printable bytes as dots in the ASCII column', () => {
    expect([0x00, 0x1f, 0x20, 0x7e, 0x7f, 0xff].map(asciiChar).join('')).toBe('.. ~..');
  });

  it('marks changed cells with their old byte', () => {
    const rows = hexRows({ address: 0, bytes: bytes(16) }, new Map([[3, 0xaa]]));
    expect(rows[0].cells[3].old).toBe(0xaa);
    expect(rows[0].cells[2].old).toBeUndefined();
  });

  it('gives no rows for an empty (error) window', () => {
    expect(hexRows({ address: 0x300000, bytes: [], error: 'no memory slot' })).toEqual([]);
  });

  it('compares rows by content for the memoised row component', () => {
    const a = hexRows({ address: 0, bytes: bytes(16) })[0];
    const same = hexRows({ address: 0, bytes: bytes(16) })[0];
    const written = hexRows({ address: 0, bytes: [9, ...bytes(15, 1)] })[0];
    const lit = hexRows({ address: 0, bytes: bytes(16) }, new Map([[0, 1]]))[0];
    expect(sameHexRow(a, same)).toBe(true);
    expect(sameHexRow(a, written)).toBe(false);
    expect(sameHexRow(a, lit)).toBe(false);
  });
});
