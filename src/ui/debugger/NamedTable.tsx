import { memo } from 'react';
import type { NamedValue } from '../../core';
import { changedAttrs } from './changedAttrs';
import type { ValueChanges } from './diff';

/** Props of {@link NamedTable}. */
export interface NamedTableProps {
  /** The table's caption (its accessible name), e.g. "VMCS fields" or "struct kvm_run". */
  caption: string;
  /** Show the caption visually too (false: screen readers only; a heading says it already). */
  showCaption?: boolean;
  rows: readonly NamedValue[];
  /** name → old value. */
  changes: ValueChanges;
  /** Header of the name column. */
  nameHeader?: string;
}

/**
 * A two-column Field/Value table for kvm_run and the VMCS/VMCB fields. A
 * row's `note` (what the field means) is its name's tooltip; changed values
 * are highlighted with the old value.
 */
export function NamedTable({
  caption,
  showCaption = false,
  rows,
  changes,
  nameHeader = 'Field',
}: NamedTableProps) {
  return (
    <table className="dbg-table">
      <caption className={showCaption ? undefined : 'dbg-sr-only'}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{nameHeader}</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <NamedRow
            key={r.name}
            name={r.name}
            value={r.value}
            note={r.note}
            old={changes.get(r.name)}
          />
        ))}
      </tbody>
    </table>
  );
}

interface NamedRowProps {
  name: string;
  value: string;
  note: string | undefined;
  old: string | undefined;
}

const NamedRow = memo(function NamedRow({ name, value, note, old }: NamedRowProps) {
  return (
    <tr>
      <th scope="row" className="dbg-mono" title={note} aria-description={note}>
        {name}
      </th>
      <td {...changedAttrs(old, 'dbg-mono')}>{value}</td>
    </tr>
  );
});
