import { describe, expect, it } from 'vitest';
import { PHASES } from '../../../src/core/trace/trace';
import { NODE, NODES } from '../../../src/ui/flow/graph';
import { FLOW_PHASES, PHASE_NODE, nodeForPhase } from '../../../src/ui/flow/phaseNodes';

describe('phase → node map', () => {
  it('knows exactly the trace PHASES of core (the same list, not a copy)', () => {
    expect(FLOW_PHASES).toBe(PHASES);
  });

  it('maps every trace phase to a drawn, non-decorative node', () => {
    for (const p of PHASES) {
      const id = nodeForPhase(p);
      expect(id, p).not.toBeNull();
      expect(NODE[id as keyof typeof NODE], p).toBeDefined();
      expect(NODE[id as keyof typeof NODE].decor, p).toBeFalsy();
    }
  });

  it('puts each phase in the zone where its code runs', () => {
    const zone = (p: string) => NODE[PHASE_NODE[p as keyof typeof PHASE_NODE]].zone;
    expect(zone('guest')).toBe('guest');
    expect(zone('vm-exit')).toBe('hardware');
    for (const p of ['dispatch', 'intercept', 'handle', 'resume', 'block', 'wake'])
      expect(zone(p), p).toBe('kernel');
    for (const p of ['userspace', 'ioctl', 'irq']) expect(zone(p), p).toBe('userspace');
  });

  it('gives the steps of DESIGN.md §2 a box each (only HLT sleep and wake share one)', () => {
    const ids = Object.values(PHASE_NODE);
    const shared = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(shared).toEqual(['halt']);
    expect(PHASE_NODE.block).toBe(PHASE_NODE.wake);
  });

  it('returns null for a phase name it does not know', () => {
    expect(nodeForPhase('vmexit')).toBeNull();
    expect(nodeForPhase('')).toBeNull();
    expect(nodeForPhase('toString')).toBeNull();
  });

  it('leaves no drawn node without a phase except the VM-entry waypoint and the VMCS/VMCB', () => {
    const lit = new Set(Object.values(PHASE_NODE));
    const unlit = NODES.filter((n) => !lit.has(n.id)).map((n) => n.id);
    expect(unlit.sort()).toEqual(['vm-control', 'vm-entry']);
  });
});
