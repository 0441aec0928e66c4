import { useId } from 'react';
import type { VcpuView } from '../../core';
import { vcpuLabel } from './format';

/** Props of {@link VcpuBar}. */
export interface VcpuBarProps {
  vcpus: readonly VcpuView[];
  /** Index of the vCPU shown. */
  selected: number;
  onSelect(index: number): void;
}

/**
 * The vCPU selector (a select labelled "vCPU", one option per vCPU with its
 * KVM stage) and the selected vCPU's privilege level, mode and progress.
 */
export function VcpuBar({ vcpus, selected, onSelect }: VcpuBarProps) {
  const selectId = useId();
  const vcpu = vcpus.find((v) => v.index === selected);
  return (
    <div className="dbg-vcpubar">
      <label htmlFor={selectId} className="dbg-label">
        vCPU
      </label>
      <select
        id={selectId}
        className="dbg-select"
        value={selected}
        onChange={(e) => onSelect(Number(e.currentTarget.value))}
      >
        {vcpus.map((v) => (
          <option key={v.index} value={v.index}>
            {vcpuLabel(v)}
          </option>
        ))}
      </select>
      {vcpu && (
        <dl className="dbg-facts">
          <div>
            <dt>CPL</dt>
            <dd>{vcpu.cpl}</dd>
          </div>
          <div>
            <dt>Mode</dt>
            <dd>{vcpu.mode}</dd>
          </div>
          <div>
            <dt>Instructions</dt>
            <dd>{vcpu.instructions}</dd>
          </div>
          <div>
            <dt>Line</dt>
            <dd>{vcpu.line ?? '—'}</dd>
          </div>
        </dl>
      )}
    </div>
  );
}
