import { memo } from 'react';
import type { StackEntry } from '../../core';
import { changedAttrs } from './changedAttrs';
import { formatAddress } from './format';

/** Props of {@link StackTable}. */
export interface StackTableProps {
  /** Eight 8-byte slots from RSP (MachineView.stack). */
  stack: readonly StackEntry[];
  /** address → old value (diffStack). */
  changes: ReadonlyMap<number, string>;
}

/** The stack slots from RSP upwards; an arrow marks the slot at RSP (also aria-current). */
export function StackTable({ stack, changes }: StackTableProps) {
  if (stack.length === 0) return <p className="dbg-empty">No stack to show.</p>;
  return (
    <table className="dbg-table dbg-stack">
      <caption className="dbg-sr-only">Stack slots from RSP</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="dbg-sr-only">RSP</span>
          </th>
          <th scope="col">Address</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {stack.map((e) => (
          <StackRow
            key={e.address}
            address={e.address}
            value={e.value}
            top={e.top}
            old={changes.get(e.address)}
          />
        ))}
      </tbody>
    </table>
  );
}

interface StackRowProps {
  address: number;
  value: string;
  top: boolean;
  old: string | undefined;
}

const StackRow = memo(function StackRow({ address, value, top, old }: StackRowProps) {
  return (
    <tr className={top ? 'dbg-current' : undefined} aria-current={top ? 'true' : undefined}>
      <td className="dbg-marker">
        {top && (
          <>
            RSP <span aria-hidden="true">→</span>
          </>
        )}
      </td>
      <th scope="row" className="dbg-mono">
        {formatAddress(address)}
      </th>
      <td {...changedAttrs(old, 'dbg-mono')}>{value}</td>
    </tr>
  );
});
