import { useMemo } from 'react';
import type { MemoryView } from '../../core';
import { AddressForm } from './AddressForm';
import { formatAddress } from './format';
import { HexTable } from './HexTable';
import { hexRows } from './hexRows';
import type { AddressTarget } from './parseAddress';

/** Props of {@link MemoryPanel}. */
export interface MemoryPanelProps {
  memory: MemoryView;
  /** address → old byte (diffMemory). */
  changes: ReadonlyMap<number, number>;
  /** Stable callback (the pane keeps it stable) asking the worker for another window. */
  onGoto(target: AddressTarget): void;
}

/**
 * The memory hex view: navigation, the window's range, the worker's error
 * for an address outside RAM, and the hex dump.
 */
export function MemoryPanel({ memory, changes, onGoto }: MemoryPanelProps) {
  const rows = useMemo(() => hexRows(memory, changes), [memory, changes]);
  const n = memory.bytes.length;
  return (
    <>
      <AddressForm onGoto={onGoto} />
      <p className="dbg-range">
        {n > 0
          ? `${formatAddress(memory.address)} – ${formatAddress(memory.address + n - 1)} (${n} bytes)`
          : `${formatAddress(memory.address)}: no bytes`}
      </p>
      {memory.error && (
        <p className="dbg-error" role="status">
          {memory.error}
        </p>
      )}
      {rows.length > 0 && <HexTable rows={rows} />}
    </>
  );
}
