import { memo } from 'react';
import type { DisasmLine } from '../../core';
import { formatAddress } from './format';

/** Props of {@link DisasmTable}. */
export interface DisasmTableProps {
  /** About a dozen instructions around RIP (MachineView.disasm). */
  lines: readonly DisasmLine[];
}

/**
 * The disassembly around RIP: address, bytes, instruction text and source
 * line; the instruction at RIP is highlighted, marked ▶ and aria-current.
 */
export function DisasmTable({ lines }: DisasmTableProps) {
  if (lines.length === 0) return <p className="dbg-empty">Nothing to disassemble here.</p>;
  return (
    <table className="dbg-table dbg-disasm">
      <caption className="dbg-sr-only">Instructions around RIP</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="dbg-sr-only">RIP</span>
          </th>
          <th scope="col">Address</th>
          <th scope="col">Bytes</th>
          <th scope="col">Instruction</th>
          <th scope="col">Line</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <DisasmRow
            key={l.address}
            address={l.address}
            bytes={l.bytes}
            text={l.text}
            line={l.line}
            current={l.current}
          />
        ))}
      </tbody>
    </table>
  );
}

const DisasmRow = memo(function DisasmRow({ address, bytes, text, line, current }: DisasmLine) {
  return (
    <tr className={current ? 'dbg-current' : undefined} aria-current={current ? 'true' : undefined}>
      <td className="dbg-marker" aria-hidden="true">
        {current ? '▶' : ''}
      </td>
      <th scope="row" className="dbg-mono">
        {formatAddress(address)}
      </th>
      <td className="dbg-mono dbg-bytes">{bytes}</td>
      <td className="dbg-mono dbg-insn">{text}</td>
      <td className="dbg-mono">{line ?? ''}</td>
    </tr>
  );
});
