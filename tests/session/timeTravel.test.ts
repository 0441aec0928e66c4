/**
 * Determinism and time travel, asserted (not just exercised):
 *  - the same program twice gives byte-identical traces and states;
 *  - from any point, K steps back then the same K commands forward give the
 *    identical machine state and trace (seeded property test over random
 *    programs, command sequences and K);
 *  - seeking to event N from anywhere equals a straight run to N.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { addressesOfLine, Session } from '../../src/core/session/session';
import { program } from './arbitraries';
import { fingerprint } from './fingerprint';

const command = fc.constantFrom(
  'stepInstruction',
  'stepPhase',
  'nextExit',
  'nextUserspaceExit',
) as fc.Arbitrary<'stepInstruction' | 'stepPhase' | 'nextExit' | 'nextUserspaceExit'>;

function session(src: string, interval?: number): Session {
  const a = assemble(src);
  if (!a.ok) throw new Error(JSON.stringify(a.errors));
  return new Session(
    { bytes: a.bytes, origin: a.origin, entry: a.entry },
    { vendor: 'intel' },
    interval,
  );
}

type Command = 'stepInstruction' | 'stepPhase' | 'nextExit' | 'nextUserspaceExit';

/**
 * Run `cmds`, fingerprinting after each, then step back K = 1 + k0 mod n
 * times and check the state is the one K commands ago.
 */
function runThenStepBack(
  s: Session,
  cmds: readonly Command[],
  k0: number,
): { prints: string[]; k: number } {
  const prints: string[] = [fingerprint(s.vmm)];
  for (const c of cmds) {
    s[c]();
    prints.push(fingerprint(s.vmm));
  }
  const k = 1 + (k0 % cmds.length);
  for (let i = 0; i < k; i++) s.stepBack();
  expect(fingerprint(s.vmm)).toBe(prints[cmds.length - k]);
  return { prints, k };
}

describe('determinism', () => {
  it('the same program twice gives identical traces and state', () => {
    fc.assert(
      fc.property(program, (src) => {
        const a = session(src);
        const b = session(src);
        a.continue(2_000_000);
        b.continue(2_000_000);
        expect(fingerprint(a.vmm)).toBe(fingerprint(b.vmm));
      }),
      { seed: 0x5eed, numRuns: 40 },
    );
  });
});

describe('time travel', () => {
  it('K steps back then K forward is the identical state and trace', () => {
    fc.assert(
      fc.property(
        program,
        fc.array(command, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (src, cmds, k0) => {
          const s = session(src);
          const { prints, k } = runThenStepBack(s, cmds, k0);
          for (const c of cmds.slice(cmds.length - k)) s[c]();
          expect(fingerprint(s.vmm)).toBe(prints[cmds.length]);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('with dense checkpoints (every 37 ticks) back/forward and seeks still match exactly', () => {
    fc.assert(
      fc.property(
        program,
        fc.array(command, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (src, cmds, k0) => {
          const s = session(src, 37);
          runThenStepBack(s, cmds, k0);
          s.continue(2_000_000);
          const straight = session(src);
          straight.continue(2_000_000);
          expect(fingerprint(s.vmm)).toBe(fingerprint(straight.vmm));
        },
      ),
      { seed: 99, numRuns: 40 },
    );
  });

  it('seeking to event N from anywhere equals a straight run to N', () => {
    fc.assert(
      fc.property(program, fc.nat(), fc.nat(), (src, a0, b0) => {
        const ref = session(src);
        ref.continue(2_000_000);
        const total = ref.vmm.trace.length;
        const n = a0 % total;
        const from = b0 % total;
        const straight = session(src);
        straight.seekEvent(n);
        const jumpy = session(src, 23);
        jumpy.seekEvent(from);
        jumpy.seekEvent(n);
        expect(fingerprint(jumpy.vmm)).toBe(fingerprint(straight.vmm));
      }),
      { seed: 7, numRuns: 40 },
    );
  });
});

describe('breakpoints', () => {
  it('stop before the instruction of a source line, then on an exit reason and a hypercall number', () => {
    const src =
      '  mov ecx, 3\nl:\n  mov eax, 11\n  vmcall\n  out 0xe9, al\n  dec ecx\n  jnz l\n  hlt\n';
    const a = assemble(src);
    const s = new Session({ bytes: a.bytes, origin: a.origin, entry: a.entry });
    for (const addr of addressesOfLine(a.sourceMap, 5)) s.breakpoints.addresses.add(addr);
    expect(s.continue().kind).toBe('breakpoint');
    expect(s.vmm.kvm.cpus[0].state.rip).toBe(addressesOfLine(a.sourceMap, 5)[0]);
    s.breakpoints.addresses.clear();
    s.breakpoints.exitReasons.add('IO_INSTRUCTION');
    const io = s.continue();
    expect(io).toMatchObject({ kind: 'breakpoint', detail: 'exit reason' });
    s.breakpoints.exitReasons.clear();
    s.breakpoints.hypercalls.add(11);
    expect(s.continue()).toMatchObject({ kind: 'breakpoint', detail: 'hypercall' });
    s.breakpoints.hypercalls.clear();
    expect(s.continue().kind).toBe('all-stopped');
  });
});
