import { useMemo, type JSX } from 'react';
import type { PhaseView } from '../../core';
import { activePhase, flowAriaLabel } from './activePhase';
import { FlowPanel } from './FlowPanel';
import { FlowSvg } from './FlowSvg';
import { nodeForPhase } from './phaseNodes';
import { planRoute } from './route';
import { useReducedMotion } from './useReducedMotion';
import './flow.css';

/** Props of {@link FlowDiagram}. */
export interface FlowDiagramProps {
  /** The latest recorded phase (null before the first). */
  phase: PhaseView | null;
  vendor: 'intel' | 'amd';
  /** Animation speed: duration in ms of one token travel (0 = no animation). */
  durationMs: number;
  /** Optional: the previous phase, so the token travels from the previous node to the new one. */
  previous?: PhaseView | null;
}

/**
 * The flow diagram (DESIGN.md §2, §4): the guest, the CPU's VM exit / VM
 * entry, KVM (exit dispatch, interception model, handler, run loop, HLT
 * sleep) and the userspace VMM, as an SVG that scales with its container,
 * with a text panel beside or under it.
 *
 * Contract:
 * - the active phase's box lights up; the arrows from `previous`'s box to it
 *   light up too, and a token travels them in `durationMs` (restarting on
 *   every new event index). Without `previous` (or when it is far away on
 *   another vCPU) the token comes in along the usual arrow into the box;
 *   when `previous` is newer than `phase` (stepping back) it runs backwards;
 * - `prefers-reduced-motion: reduce` (matchMedia, and @media in flow.css):
 *   no token, only the highlights change; `durationMs` 0: the token jumps;
 * - the SVG is role="img" named "Active phase: <phase> — <function>"; the
 *   panel is an aria-live="polite" region; every box has a `<title>`.
 */
export function FlowDiagram({
  phase,
  vendor,
  durationMs,
  previous = null,
}: FlowDiagramProps): JSX.Element {
  const reducedMotion = useReducedMotion();
  const active = useMemo(() => (phase ? activePhase(phase, vendor) : null), [phase, vendor]);
  const to = active?.node ?? null;
  const from = previous ? nodeForPhase(previous.phase) : null;
  const sameEvent = previous !== null && phase !== null && previous.index === phase.index;
  const backwards = previous !== null && phase !== null && previous.index > phase.index;
  const route = useMemo(
    () => (to && !sameEvent ? planRoute(from, to, backwards) : null),
    [from, to, sameEvent, backwards],
  );
  return (
    <div className="flow">
      <FlowSvg
        vendor={vendor}
        active={active}
        route={route}
        durationMs={durationMs}
        reducedMotion={reducedMotion}
        ariaLabel={flowAriaLabel(phase, vendor)}
      />
      <FlowPanel active={active} chain={phase?.chain ?? []} />
    </div>
  );
}
