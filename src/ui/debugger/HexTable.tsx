import { memo } from 'react';
import { changedAttrs } from './changedAttrs';
import { formatHex } from './format';
import { BYTES_PER_ROW, sameHexRow, type HexRow } from './hexRows';

/** Props of {@link HexTable}. */
export interface HexTableProps {
  /** From hexRows(). */
  rows: readonly HexRow[];
}

const COLUMNS = Array.from({ length: BYTES_PER_ROW }, (_, i) => i.toString(16).toUpperCase());

/**
 * The hex dump: address column (row headers), 16 byte columns (+0 … +F) and
 * the ASCII column. Changed bytes are lit with their old value. Rows are
 * memoised by content, so a step that writes one byte re-renders one row.
 */
export function HexTable({ rows }: HexTableProps) {
  return (
    <table className="dbg-table dbg-hex">
      <caption className="dbg-sr-only">Guest memory, 16 bytes per row</caption>
      <thead>
        <tr>
          <th scope="col">Address</th>
          {COLUMNS.map((c) => (
            <th scope="col" key={c} className="dbg-hex-col">
              <span className="dbg-sr-only">+</span>
              {c}
            </th>
          ))}
          <th scope="col">ASCII</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <HexRowView key={row.address} row={row} />
        ))}
      </tbody>
    </table>
  );
}

const HexRowView = memo(
  function HexRowView({ row }: { row: HexRow }) {
    return (
      <tr>
        <th scope="row" className="dbg-mono">
          {row.label}
        </th>
        {row.cells.map((c) =>
          c.byte === null ? (
            <td key={c.address} className="dbg-hex-pad" />
          ) : (
            <td
              key={c.address}
              {...changedAttrs(c.old === undefined ? undefined : formatHex(c.old), 'dbg-mono')}
            >
              {c.hex}
            </td>
          ),
        )}
        <td className="dbg-mono dbg-ascii">{row.ascii}</td>
      </tr>
    );
  },
  (a, b) => sameHexRow(a.row, b.row),
);
