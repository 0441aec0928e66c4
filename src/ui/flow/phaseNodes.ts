import { PHASES, type PhaseName } from '../../core';
import type { FlowNodeId } from './graph';

/** The trace phases the diagram knows: core's PHASES. */
export const FLOW_PHASES = PHASES;

export type FlowPhase = PhaseName;

/**
 * Which node lights up for each phase. Most phases are one step of
 * DESIGN.md §2 and own one node; the others are mapped where their code runs:
 *
 * - `resume` → the KVM run loop (`vcpu_run` → `vcpu_enter_guest`): the
 *   completion (`complete_hypercall_exit`, `kvm_skip_emulated_instruction`…)
 *   runs there and ends in VM entry. The VM-entry box is not a phase of its
 *   own: the token passes through it on the way back into the guest.
 * - `ioctl` → the VMM set-up node: the VMM's `ioctl()`s on /dev/kvm, the VM
 *   fd and the vCPU fd (KVM_CREATE_VM … KVM_RUN) — set-up, not hypercalls.
 * - `block` and `wake` → the halt node: `vcpu_run` → `vcpu_block` →
 *   `kvm_vcpu_halt` sleeps there, and `kvm_vcpu_kick` → `kvm_vcpu_wake_up`
 *   ends the sleep (the run loop then re-enters the guest).
 * - `irq` → the devices node: the VMM's timer device writes its irqfd; the
 *   in-kernel part (`irqfd_wakeup` … `kvm_apic_set_irq`) is the arrow from
 *   the devices to the halted vCPU, taken by the `wake` that follows.
 */
export const PHASE_NODE: Readonly<Record<FlowPhase, FlowNodeId>> = {
  guest: 'guest',
  'vm-exit': 'vm-exit',
  dispatch: 'exit-dispatch',
  intercept: 'intercept',
  handle: 'handler',
  userspace: 'vmm-switch',
  resume: 'run-loop',
  ioctl: 'vmm-setup',
  block: 'halt',
  wake: 'halt',
  irq: 'devices',
};

/** Is `phase` one of the names the diagram knows? */
export function isFlowPhase(phase: string): phase is FlowPhase {
  return (FLOW_PHASES as readonly string[]).includes(phase);
}

/** The node a phase lights up, or null for a phase name the diagram does not know. */
export function nodeForPhase(phase: string): FlowNodeId | null {
  return isFlowPhase(phase) ? PHASE_NODE[phase] : null;
}
