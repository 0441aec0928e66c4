import { describe, expect, it } from 'vitest';
import type { PhaseView } from '../../../src/core';
import {
  activePhase,
  flowAriaLabel,
  laneName,
  phaseFunction,
} from '../../../src/ui/flow/activePhase';
import { AMD_PHASES, INTEL_PHASES } from '../../../src/ui/flow/phases';
import { HANDLE_KICK } from './fixtures';

describe('activePhase', () => {
  it('names the innermost function, the whole chain, source, values and the static sentence', () => {
    const a = activePhase(HANDLE_KICK, 'intel');
    expect(a.fn).toBe('____kvm_emulate_hypercall');
    expect(a.chain).toBe('kvm_emulate_hypercall → ____kvm_emulate_hypercall');
    expect(a.source).toBe('arch/x86/kvm/x86.c');
    expect(a.text).toContain('KVM_HC_KICK_CPU');
    expect(a.reads).toContain('RAX (nr)');
    expect(a.writes).toEqual(['kvm_run.hypercall.ret']);
    expect(a.about).toBe(INTEL_PHASES.handle.summary);
    expect(activePhase(HANDLE_KICK, 'amd').about).toBe(AMD_PHASES.handle.summary);
    expect(a.node).toBe('handler');
    expect(a.zone).toBe('kernel');
    expect(a.lane).toBe('vCPU 0');
    expect(a.model).toBe(false);
    // The active handler box shows the table entry that ran.
    expect(a.nodeDetail).toBe('kvm_emulate_hypercall');
  });

  it('uses the vendor’s words for guest code, which has no host function', () => {
    const g: PhaseView = {
      ...HANDLE_KICK,
      phase: 'guest',
      chain: ['guest code (VMX non-root / SVM guest mode)'],
      source: '',
    };
    expect(phaseFunction(g, 'intel')).toBe('guest code (VMX non-root operation)');
    expect(phaseFunction(g, 'amd')).toBe('guest code (guest mode)');
  });

  it('flags the interception model and the VMM lane', () => {
    const i = activePhase(
      {
        ...HANDLE_KICK,
        phase: 'intercept',
        chain: ['hypercall interception policy (kVMI-style model)'],
        source: 'model: not in upstream KVM',
      },
      'intel',
    );
    expect(i.model).toBe(true);
    expect(i.node).toBe('intercept');
    expect(activePhase({ ...HANDLE_KICK, phase: 'ioctl', vcpu: -1 }, 'intel').lane).toBe('VMM');
    expect(laneName(3)).toBe('vCPU 3');
  });

  it('shows the sleeping and waking function on the HLT box', () => {
    const block = activePhase(
      { ...HANDLE_KICK, phase: 'block', chain: ['vcpu_run', 'vcpu_block', 'kvm_vcpu_halt'] },
      'amd',
    );
    expect(block.node).toBe('halt');
    expect(block.nodeDetail).toBe('kvm_vcpu_halt');
    const wake = activePhase(
      { ...HANDLE_KICK, phase: 'wake', chain: ['kvm_vcpu_kick', 'kvm_vcpu_wake_up'] },
      'amd',
    );
    expect(wake.nodeDetail).toBe('kvm_vcpu_wake_up');
  });

  it('copes with an unknown phase name and an empty chain', () => {
    const u = activePhase({ ...HANDLE_KICK, phase: 'mystery', chain: [] }, 'intel');
    expect(u.node).toBeNull();
    expect(u.zone).toBeNull();
    expect(u.fn).toBe('');
    expect(u.about).toBe('');
    expect(u.nodeDetail).toBeNull();
  });
});

describe('flowAriaLabel', () => {
  it('names the active phase and its function', () => {
    expect(flowAriaLabel(HANDLE_KICK, 'intel')).toBe(
      'Active phase: handle — ____kvm_emulate_hypercall',
    );
    expect(
      flowAriaLabel(
        {
          ...HANDLE_KICK,
          phase: 'dispatch',
          chain: [
            'vcpu_enter_guest',
            'svm_handle_exit',
            'svm_invoke_exit_handler',
            'svm_exit_handlers[]',
          ],
        },
        'amd',
      ),
    ).toBe('Active phase: dispatch — svm_exit_handlers[]');
  });

  it('says when nothing has been recorded yet', () => {
    expect(flowAriaLabel(null, 'intel')).toMatch(/no phase recorded yet/);
  });
});
