import { memo } from 'react';
import type { FlagBit } from '../../core';

/** Props of {@link FlagBadges}. */
export interface FlagBadgesProps {
  /** The RFLAGS bits (VcpuView.flags). */
  flags: readonly FlagBit[];
  /** name → whether it was set before (diffFlags). */
  changes: ReadonlyMap<string, boolean>;
}

/**
 * RFLAGS bits (CF PF AF ZF SF TF IF DF OF) as read-only badges that look like
 * toggles: lit when set. The bit's value is also written (1/0), so the state
 * is not told by colour alone; a bit that flipped is ringed.
 */
export function FlagBadges({ flags, changes }: FlagBadgesProps) {
  return (
    <ul className="dbg-flags" aria-label="RFLAGS bits">
      {flags.map((f) => (
        <FlagBadge key={f.name} name={f.name} bit={f.bit} set={f.set} was={changes.get(f.name)} />
      ))}
    </ul>
  );
}

interface FlagBadgeProps {
  name: string;
  bit: number;
  set: boolean;
  /** The old state when it flipped, else undefined. */
  was: boolean | undefined;
}

const FlagBadge = memo(function FlagBadge({ name, bit, set, was }: FlagBadgeProps) {
  const changed = was !== undefined;
  const className = `dbg-flag${set ? ' dbg-flag-set' : ''}${changed ? ' dbg-changed' : ''}`;
  const state = `${name} (bit ${bit}) = ${set ? 1 : 0}`;
  return (
    <li
      className={className}
      title={changed ? `${state}, was ${was ? 1 : 0}` : state}
      aria-description={changed ? `changed, was ${was ? 1 : 0}` : undefined}
      data-changed={changed ? 'true' : undefined}
    >
      <span className="dbg-flag-name">{name}</span>
      <span className="dbg-flag-value">{set ? 1 : 0}</span>
    </li>
  );
});
