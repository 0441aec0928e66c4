import { memo } from 'react';
import type { NamedValue } from '../../core';
import { changedAttrs } from './changedAttrs';
import type { ValueChanges } from './diff';

/** Props of {@link RegisterGrid}. */
export interface RegisterGridProps {
  /** rax … r15, rip, rflags (VcpuView.regs). */
  regs: readonly NamedValue[];
  /** name → old value (diffRegisters). */
  changes: ValueChanges;
}

/**
 * The general registers, RIP and RFLAGS as a name/value grid (a `<dl>`),
 * large enough for a projector. A changed value is highlighted and carries
 * its old value (title and aria-description).
 */
export function RegisterGrid({ regs, changes }: RegisterGridProps) {
  return (
    <dl className="dbg-regs">
      {regs.map((r) => (
        <RegisterItem key={r.name} name={r.name} value={r.value} old={changes.get(r.name)} />
      ))}
    </dl>
  );
}

interface RegisterItemProps {
  name: string;
  value: string;
  old: string | undefined;
}

/** One register; primitive props, so only registers whose value or highlight changed re-render. */
const RegisterItem = memo(function RegisterItem({ name, value, old }: RegisterItemProps) {
  return (
    <div className="dbg-reg">
      <dt>{name}</dt>
      <dd {...changedAttrs(old, 'dbg-mono')}>{value}</dd>
    </div>
  );
});
