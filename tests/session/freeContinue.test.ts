/**
 * Session.continue takes the machine's free run when no exit, hypercall or
 * port breakpoint needs looking at between phases. It must be stepping's
 * equal: the same stops (end, address breakpoints) at the same positions
 * with the same state and trace, and every position it stops at must be
 * one that time travel reaches again exactly. Seeded property tests over
 * random programs, both vendors, one and two vCPUs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { addressesOfLine, Session, type StopInfo } from '../../src/core/session/session';
import type { VmOptions } from '../../src/core/vmm/vmm';
import { program } from './arbitraries';
import { fingerprint } from './fingerprint';

const options = fc.record({
  vendor: fc.constantFrom('intel' as const, 'amd' as const),
  vcpus: fc.constantFrom(1, 2),
});

function session(src: string, opts: VmOptions, interval?: number): Session {
  const a = assemble(src);
  if (!a.ok) throw new Error(JSON.stringify(a.errors));
  return new Session({ bytes: a.bytes, origin: a.origin, entry: a.entry }, opts, interval);
}

/** A session whose continue steps phase by phase: a port breakpoint that never matches forces it. */
function stepped(src: string, opts: VmOptions): Session {
  const s = session(src, opts);
  s.breakpoints.ports.add(0xfffe);
  return s;
}

/** Continue until the run ends (at most `max` stops), recording each stop. */
function stops(s: Session, max = 200): { kind: string; ticks: number; print: string }[] {
  const out: { kind: string; ticks: number; print: string }[] = [];
  for (let i = 0; i < max; i++) {
    const stop: StopInfo = s.continue(300_000);
    out.push({ kind: stop.kind, ticks: stop.ticks, print: fingerprint(s.vmm) });
    if (stop.kind !== 'breakpoint') break;
  }
  return out;
}

describe('continue on the free run', () => {
  it('to the end: the same stop, state and trace as stepping', () => {
    fc.assert(
      fc.property(program, options, (src, opts) => {
        const free = session(src, opts);
        const ref = stepped(src, opts);
        expect(stops(free)).toEqual(stops(ref));
      }),
      { seed: 0xf2ee, numRuns: 40 },
    );
  });

  it('address breakpoints: the same stops at the same positions', () => {
    fc.assert(
      fc.property(program, options, fc.nat(), (src, opts, pick) => {
        const a = assemble(src);
        if (!a.ok) throw new Error('assembly');
        const lines = [...new Set(a.sourceMap.filter((e) => e.isInsn).map((e) => e.line))];
        const line = lines[pick % lines.length];
        const free = session(src, opts);
        const ref = stepped(src, opts);
        for (const s of [free, ref])
          for (const addr of addressesOfLine(a.sourceMap, line)) s.breakpoints.addresses.add(addr);
        const got = stops(free, 60);
        expect(got.length).toBeGreaterThan(0);
        expect(got).toEqual(stops(ref, 60));
      }),
      { seed: 0xb7ea, numRuns: 40 },
    );
  });

  it('in slices as the Worker runs it: the same end, and every stop is a position seeks reach', () => {
    fc.assert(
      fc.property(
        program,
        options,
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(undefined, 29),
        fc.nat(),
        (src, opts, slice, interval, pick) => {
          const s = session(src, opts, interval);
          const positions: number[] = [];
          const prints: string[] = [];
          for (let i = 0; i < 10_000; i++) {
            const stop = s.continue(slice);
            positions.push(stop.ticks);
            prints.push(fingerprint(s.vmm));
            if (stop.kind !== 'budget') break;
          }
          const ref = stepped(src, opts);
          ref.continue(300_000);
          expect(prints[prints.length - 1]).toBe(fingerprint(ref.vmm));
          // Back to one of the stops, from the end and on a fresh session.
          const k = pick % positions.length;
          s.seekTicks(positions[k]);
          expect(fingerprint(s.vmm)).toBe(prints[k]);
          const fresh = session(src, opts);
          fresh.seekTicks(positions[k]);
          expect(fingerprint(fresh.vmm)).toBe(prints[k]);
        },
      ),
      { seed: 0x51ce, numRuns: 40 },
    );
  });
});
