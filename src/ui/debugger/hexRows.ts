/**
 * Layout of the memory hex view: rows of 16 bytes aligned to 16-byte guest
 * addresses, each with its bytes, their changed state and an ASCII column.
 * Pure, no DOM; the HexTable component only renders what this returns.
 */
import type { MemoryView } from '../../core';
import { formatAddress, formatByte } from './format';

/** Bytes per row, and the row alignment. */
export const BYTES_PER_ROW = 16;

/** One byte position in a row. */
export interface HexCell {
  /** Guest address of this position. */
  address: number;
  /** The byte, or null for a position outside the window (padding of the first/last row). */
  byte: number | null;
  /** Two upper-case hex digits, or '' for padding. */
  hex: string;
  /** The byte before the last command when it changed, else undefined. */
  old?: number;
}

/** One row of the hex view. */
export interface HexRow {
  /** Guest address of the row's first position (a multiple of 16). */
  address: number;
  /** `address` as text ("0x00010000"). */
  label: string;
  /** Always {@link BYTES_PER_ROW} cells. */
  cells: HexCell[];
  /** One character per cell: printable ASCII as is, other bytes '.', padding ' '. */
  ascii: string;
}

/** The ASCII column character of a byte: 0x20–0x7e as is, anything else '.'. */
export function asciiChar(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}

/**
 * The rows covering `memory`, aligned to 16: a window starting at 0x10008
 * gives a first row at 0x10000 whose first 8 cells are padding. `changes`
 * (address → old byte, from diffMemory) marks changed cells. An empty window
 * (an error) gives no rows.
 */
export function hexRows(
  memory: MemoryView,
  changes: ReadonlyMap<number, number> = new Map(),
): HexRow[] {
  const { address, bytes } = memory;
  if (bytes.length === 0) return [];
  const end = address + bytes.length;
  const rows: HexRow[] = [];
  for (let row = address - (address % BYTES_PER_ROW); row < end; row += BYTES_PER_ROW) {
    const cells: HexCell[] = [];
    let ascii = '';
    for (let a = row; a < row + BYTES_PER_ROW; a++) {
      if (a < address || a >= end) {
        cells.push({ address: a, byte: null, hex: '' });
        ascii += ' ';
        continue;
      }
      const byte = bytes[a - address];
      const cell: HexCell = { address: a, byte, hex: formatByte(byte) };
      const old = changes.get(a);
      if (old !== undefined) cell.old = old;
      cells.push(cell);
      ascii += asciiChar(byte);
    }
    rows.push({ address: row, label: formatAddress(row), cells, ascii });
  }
  return rows;
}

/**
 * Do two rows render the same? (Same address, bytes and changed state.) The
 * memo comparator of the row component: a step that writes one byte
 * re-renders one row.
 */
export function sameHexRow(a: HexRow, b: HexRow): boolean {
  if (a.address !== b.address || a.ascii !== b.ascii) return false;
  for (let i = 0; i < BYTES_PER_ROW; i++) {
    const x = a.cells[i];
    const y = b.cells[i];
    if (x.byte !== y.byte || x.old !== y.old) return false;
  }
  return true;
}
