import type { PhaseView } from '../../core';
import type { FlowNodeId, ZoneId } from './graph';
import { NODE } from './graph';
import type { Vendor } from './labels';
import { nodeForPhase } from './phaseNodes';
import { explainPhase } from './phases';

/**
 * What the diagram and its text panel show about the active phase, derived
 * from a PhaseView (core's describe.ts words, flattened) plus the static
 * explanation of its kind. Pure: the components only render this.
 */
export interface ActivePhase {
  /** Trace event index (restarts the token animation when it changes). */
  readonly index: number;
  /** The trace phase name ('handle', 'vm-exit', …). */
  readonly phase: string;
  readonly node: FlowNodeId | null;
  readonly zone: ZoneId | null;
  /** 'vCPU 0', or 'VMM' for the VMM process lane (vcpu -1). */
  readonly lane: string;
  /** Simulated time in cycles. */
  readonly time: number;
  /** The phase's host function: the innermost (last) element of `chain`. */
  readonly fn: string;
  /** The whole call chain, outermost first, joined with " → ". */
  readonly chain: string;
  /** Linux source path of the innermost function ('' when there is none). */
  readonly source: string;
  /** The source is the teaching model, not upstream Linux (the interception layer). */
  readonly model: boolean;
  /** The phase's sentence with its values. */
  readonly text: string;
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  /** One sentence on what this kind of phase does (phases.ts), or '' for an unknown phase. */
  readonly about: string;
  /** The text the active box shows instead of its default detail line, if any. */
  readonly nodeDetail: string | null;
}

/** 'vCPU n' for a vCPU lane, 'VMM' for the VMM process lane (negative index). */
export function laneName(vcpu: number): string {
  return vcpu < 0 ? 'VMM' : `vCPU ${vcpu}`;
}

/**
 * The function to name for a phase: the last element of its chain. Guest
 * code has no host function; its chain names both vendors' modes
 * ("guest code (VMX non-root / SVM guest mode)"), so the vendor's own words
 * are shown instead.
 */
export function phaseFunction(phase: PhaseView, vendor: Vendor): string {
  if (phase.phase === 'guest') {
    return vendor === 'intel' ? 'guest code (VMX non-root operation)' : 'guest code (guest mode)';
  }
  return phase.chain.length > 0 ? phase.chain[phase.chain.length - 1] : '';
}

/**
 * The detail line of the active box: the handler the exit table named
 * (the chain's first element: `kvm_emulate_hypercall`, `handle_io`…), and
 * for HLT sleep/wake the function doing it (`kvm_vcpu_halt`,
 * `kvm_vcpu_wake_up`). Other boxes keep their static text.
 */
function activeDetail(phase: PhaseView): string | null {
  if (phase.chain.length === 0) return null;
  if (phase.phase === 'handle') return phase.chain[0];
  if (phase.phase === 'block' || phase.phase === 'wake') return phase.chain[phase.chain.length - 1];
  return null;
}

/** Everything the diagram shows about `phase`. */
export function activePhase(phase: PhaseView, vendor: Vendor): ActivePhase {
  const node = nodeForPhase(phase.phase);
  return {
    index: phase.index,
    phase: phase.phase,
    node,
    zone: node ? NODE[node].zone : null,
    lane: laneName(phase.vcpu),
    time: phase.time,
    fn: phaseFunction(phase, vendor),
    chain: phase.chain.join(' → '),
    source: phase.source,
    model: phase.source.startsWith('model'),
    text: phase.text,
    reads: phase.reads,
    writes: phase.writes,
    about: explainPhase(phase.phase, vendor)?.summary ?? '',
    nodeDetail: activeDetail(phase),
  };
}

/**
 * The SVG's accessible name: "Active phase: handle — kvm_emulate_hypercall"
 * (the function is the chain's last element), or a sentence saying no phase
 * has been recorded yet.
 */
export function flowAriaLabel(phase: PhaseView | null, vendor: Vendor): string {
  if (!phase) return 'KVM exit flow: no phase recorded yet';
  const fn = phaseFunction(phase, vendor);
  return `Active phase: ${phase.phase}${fn ? ` — ${fn}` : ''}`;
}
