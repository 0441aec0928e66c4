/**
 * The diagram against real traces: every golden scenario runs on the core
 * (both vendors), each recorded event is described the way the Worker
 * describes it for the page, and the diagram's pure logic must place it, name
 * its function and route the token from the event before.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhaseView } from '../../../src/core';
import { assemble } from '../../../src/core/isa';
import { describeEvent } from '../../../src/core/vmm/describe';
import { Vmm, type VmOptions } from '../../../src/core/vmm/vmm';
import { activePhase, flowAriaLabel } from '../../../src/ui/flow/activePhase';
import { nodeForPhase } from '../../../src/ui/flow/phaseNodes';
import { planRoute } from '../../../src/ui/flow/route';

const DIR = join(import.meta.dirname, '../../golden');

function phases(file: string, vendor: 'intel' | 'amd'): PhaseView[] {
  const src = readFileSync(join(DIR, file), 'utf8');
  const m = /^; options: (.*)$/m.exec(src);
  const options = { ...(JSON.parse(m ? m[1] : '{}') as VmOptions), vendor };
  const a = assemble(src);
  expect(a.errors, file).toEqual([]);
  const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry }, options);
  vmm.run(100_000);
  return Array.from({ length: vmm.trace.length }, (_, i) => {
    const e = describeEvent(vmm, i);
    return {
      index: e.index,
      time: e.time,
      vcpu: e.lane === 'vmm' ? -1 : e.lane,
      phase: e.phase,
      chain: [...e.chain],
      source: e.source,
      text: e.text,
      reads: [...e.reads],
      writes: [...e.writes],
      exit: e.exit,
    };
  });
}

const scenarios = readdirSync(DIR)
  .filter((f) => f.endsWith('.s'))
  .sort();

describe('flow diagram on recorded traces', () => {
  for (const vendor of ['intel', 'amd'] as const) {
    it(`places, names and routes every event of every scenario (${vendor})`, () => {
      let routed = 0;
      for (const file of scenarios) {
        const list = phases(file, vendor);
        expect(list.length, file).toBeGreaterThan(0);
        const lastOfLane = new Map<number, PhaseView>();
        list.forEach((p, i) => {
          const a = activePhase(p, vendor);
          expect(a.node, `${file} #${i} ${p.phase}`).not.toBeNull();
          expect(a.fn, `${file} #${i} ${p.phase}`).not.toBe('');
          expect(a.about, `${file} #${i} ${p.phase}`).not.toBe('');
          expect(flowAriaLabel(p, vendor)).toBe(`Active phase: ${p.phase} — ${a.fn}`);
          // As the page sees it: the previous event of any lane.
          const prev = i > 0 ? list[i - 1] : null;
          const from = prev ? nodeForPhase(prev.phase) : null;
          if (planRoute(from, a.node!)) routed++;
          // Within one vCPU, every step follows real arrows.
          const before = lastOfLane.get(p.vcpu);
          if (p.vcpu >= 0 && before) {
            const r = planRoute(nodeForPhase(before.phase), a.node!);
            const same = nodeForPhase(before.phase) === a.node;
            expect(same || r !== null, `${file}: ${before.phase} → ${p.phase}`).toBe(true);
            if (r)
              expect(r.edges[0].from, `${file}: ${before.phase} → ${p.phase}`).toBe(
                nodeForPhase(before.phase),
              );
          }
          lastOfLane.set(p.vcpu, p);
          // Stepping back from here to the event before runs a route or stays put, never throws.
          if (prev) planRoute(a.node, nodeForPhase(prev.phase)!, true);
        });
      }
      expect(routed).toBeGreaterThan(100);
    });
  }
});
