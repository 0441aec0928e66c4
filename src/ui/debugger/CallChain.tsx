import type { PhaseView } from '../../core';
import { laneLabel } from './format';

/** Props of {@link CallChain}. */
export interface CallChainProps {
  /** The latest phase event (MachineView.phase), or null before the first. */
  phase: PhaseView | null;
}

/**
 * The host call chain of the current phase, outermost first, with the phase
 * name, its lane, the Linux source file of the innermost function and the
 * phase's sentence. While the vCPU runs guest code (phase 'guest' or none)
 * there is no host chain: it says "in the guest".
 */
export function CallChain({ phase }: CallChainProps) {
  if (!phase || phase.phase === 'guest') {
    return (
      <p className="dbg-empty">
        {phase ? laneLabel(phase.vcpu) : 'The vCPU'} is in the guest: no host code is running.
      </p>
    );
  }
  return (
    <>
      <dl className="dbg-facts">
        <div>
          <dt>Phase</dt>
          <dd className="dbg-mono">{phase.phase}</dd>
        </div>
        <div>
          <dt>Lane</dt>
          <dd>{laneLabel(phase.vcpu)}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd className="dbg-mono">{phase.source || '—'}</dd>
        </div>
      </dl>
      {phase.text && <p className="dbg-phase-text">{phase.text}</p>}
      {phase.chain.length > 0 ? (
        <ol className="dbg-chain" aria-label="Host call chain, outermost first">
          {phase.chain.map((fn, i) => (
            <li key={`${i}:${fn}`} className="dbg-mono">
              {fn}
            </li>
          ))}
        </ol>
      ) : (
        <p className="dbg-empty">No host functions recorded for this phase.</p>
      )}
    </>
  );
}
