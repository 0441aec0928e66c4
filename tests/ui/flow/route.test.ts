import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGES, NODES, type FlowNodeId } from '../../../src/ui/flow/graph';
import { PHASE_NODE, nodeForPhase, type FlowPhase } from '../../../src/ui/flow/phaseNodes';
import {
  ENTRY_FROM,
  MAX_HOPS,
  easeInOut,
  findPath,
  planRoute,
  pointAlong,
  polylineLength,
} from '../../../src/ui/flow/route';

const ids = (edges: readonly { id: string }[] | null) => edges?.map((e) => e.id) ?? null;
const node = (p: FlowPhase): FlowNodeId => PHASE_NODE[p];

describe('findPath', () => {
  it('finds the one-arrow exit to userspace: handle → userspace', () => {
    expect(ids(findPath(node('handle'), node('userspace')))).toEqual(['handler>vmm-switch']);
  });

  it('walks the chain of DESIGN.md §2 one arrow at a time', () => {
    const chain: FlowPhase[] = ['guest', 'vm-exit', 'dispatch', 'handle', 'userspace', 'resume'];
    for (let i = 1; i < chain.length; i++) {
      expect(findPath(node(chain[i - 1]), node(chain[i]))?.length, chain[i]).toBe(1);
    }
    expect(findPath(node('dispatch'), node('intercept'))?.length).toBe(1);
    expect(findPath(node('intercept'), node('handle'))?.length).toBe(1);
    expect(findPath(node('handle'), node('resume'))?.length).toBe(1);
  });

  it('returns to the guest through the VM-entry box: resume → guest takes two arrows', () => {
    expect(ids(findPath(node('resume'), node('guest')))).toEqual([
      'run-loop>vm-entry',
      'vm-entry>guest',
    ]);
  });

  it('gives [] for the same node and null beyond maxHops or against the arrows', () => {
    expect(findPath('handler', 'handler')).toEqual([]);
    expect(findPath('guest', 'handler', 3)?.length).toBe(3);
    expect(findPath('guest', 'handler')).toBeNull();
    expect(findPath('vmm-switch', 'handler', Infinity)).not.toBeNull();
    expect(findPath('guest', 'vmm-setup', Infinity)).toBeNull();
  });

  it('reaches every phase node from the guest, and the guest from every phase node but the VMM set-up and devices', () => {
    for (const id of new Set(Object.values(PHASE_NODE))) {
      if (id !== 'guest' && id !== 'vmm-setup' && id !== 'devices') {
        expect(findPath('guest', id, Infinity), `guest → ${id}`).not.toBeNull();
      }
      expect(findPath(id, 'guest', Infinity), `${id} → guest`).not.toBeNull();
    }
  });
});

describe('planRoute', () => {
  it('follows the arrows from the previous node when they are close', () => {
    const r = planRoute(node('handle'), node('userspace'));
    expect(ids(r?.edges ?? null)).toEqual(['handler>vmm-switch']);
    expect(r?.backwards).toBe(false);
    expect(r?.points[0]).toEqual([200, 296]);
    expect(r?.points[r.points.length - 1]).toEqual([476, 296]);
  });

  it('lists the nodes crossed between arrows', () => {
    expect(planRoute('run-loop', 'guest')?.passes).toEqual(['vm-entry']);
  });

  it('does not travel for the same node (block → wake, ioctl → ioctl)', () => {
    expect(planRoute(node('block'), node('wake'))).toBeNull();
    expect(planRoute(node('ioctl'), node('ioctl'))).toBeNull();
  });

  it('comes in along the usual arrow when the previous node is far or absent', () => {
    // vCPU 1 woke, then vCPU 0's handler runs: no arrow halt → handler.
    expect(ids(planRoute('halt', 'handler')?.edges ?? null)).toEqual(['exit-dispatch>handler']);
    expect(ids(planRoute(null, 'handler')?.edges ?? null)).toEqual(['exit-dispatch>handler']);
    // block (vCPU 1) then guest (vCPU 0): three arrows away, so in through VM entry.
    expect(ids(planRoute('halt', 'guest')?.edges ?? null)).toEqual([
      'run-loop>vm-entry',
      'vm-entry>guest',
    ]);
    for (const [to, from] of Object.entries(ENTRY_FROM)) {
      expect(findPath(from, to as FlowNodeId, Infinity), `${from} → ${to}`).not.toBeNull();
    }
  });

  it('does not travel into nodes where events start (VMM set-up, devices)', () => {
    expect(planRoute(null, 'vmm-setup')).toBeNull();
    expect(planRoute('halt', 'devices')).toBeNull();
  });

  it('runs the route backwards when stepping back in time', () => {
    const back = planRoute(node('resume'), node('handle'), true);
    expect(back?.backwards).toBe(true);
    expect(ids(back?.edges ?? null)).toEqual(['handler>run-loop']);
    const fwd = planRoute(node('handle'), node('resume'));
    expect(back?.points).toEqual([...(fwd?.points ?? [])].reverse());
    expect(planRoute(null, 'handler', true)).toBeNull();
  });

  it('routes every step of a vCPU in the golden traces along real arrows (no fallback)', () => {
    const dir = join(import.meta.dirname, '../../golden');
    const seen = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.trace'))) {
      const last = new Map<string, string>();
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        // The VMM lane (set-up ioctls, timer interrupts) is a list of events, not a chain.
        const m = /^\s+\d+ (vcpu\d+)\s+(\S+)/.exec(line);
        if (!m) continue;
        const [, lane, phase] = m;
        const prev = last.get(lane);
        last.set(lane, phase);
        if (!prev) continue;
        const from = nodeForPhase(prev);
        const to = nodeForPhase(phase);
        expect(from, prev).not.toBeNull();
        expect(to, phase).not.toBeNull();
        if (from === to) continue;
        seen.add(`${prev}>${phase}`);
        const path = findPath(from as FlowNodeId, to as FlowNodeId);
        expect(path, `${f}: ${prev} → ${phase}`).not.toBeNull();
        expect(path?.length, `${f}: ${prev} → ${phase}`).toBeLessThanOrEqual(MAX_HOPS);
      }
    }
    for (const step of [
      'guest>vm-exit',
      'vm-exit>dispatch',
      'dispatch>handle',
      'handle>userspace',
      'userspace>resume',
      'handle>block',
      'wake>resume',
      'resume>guest',
      'dispatch>intercept',
      'intercept>resume',
    ]) {
      expect(seen, step).toContain(step);
    }
  });

  it('keeps every arrow in the token graph reachable for some phase pair', () => {
    const used = new Set<string>();
    const phaseNodes = [...new Set(Object.values(PHASE_NODE))];
    for (const a of phaseNodes)
      for (const b of phaseNodes) for (const e of planRoute(a, b)?.edges ?? []) used.add(e.id);
    expect([...used].sort()).toEqual(EDGES.map((e) => e.id).sort());
    expect(NODES.length).toBeGreaterThan(0);
  });
});

describe('token position', () => {
  const pts = [
    [0, 0],
    [10, 0],
    [10, 30],
  ] as const;

  it('measures and interpolates along the polyline', () => {
    expect(polylineLength(pts)).toBe(40);
    expect(pointAlong(pts, 0)).toEqual([0, 0]);
    expect(pointAlong(pts, 0.25)).toEqual([10, 0]);
    expect(pointAlong(pts, 0.5)).toEqual([10, 10]);
    expect(pointAlong(pts, 1)).toEqual([10, 30]);
  });

  it('clamps t and survives degenerate input', () => {
    expect(pointAlong(pts, -1)).toEqual([0, 0]);
    expect(pointAlong(pts, 7)).toEqual([10, 30]);
    expect(pointAlong(pts, Number.NaN)).toEqual([0, 0]);
    expect(pointAlong([], 0.5)).toEqual([0, 0]);
    expect(pointAlong([[3, 4]], 0.5)).toEqual([3, 4]);
  });

  it('eases from 0 to 1 monotonically', () => {
    expect(easeInOut(0)).toBe(0);
    expect(easeInOut(1)).toBe(1);
    expect(easeInOut(0.5)).toBe(0.5);
    let prev = 0;
    for (let t = 0; t <= 1; t += 0.05) {
      expect(easeInOut(t)).toBeGreaterThanOrEqual(prev);
      prev = easeInOut(t);
    }
  });
});
