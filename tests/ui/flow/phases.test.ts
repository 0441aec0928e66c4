import { describe, expect, it } from 'vitest';
import { PHASES } from '../../../src/core/trace/trace';
import { HOST_FUNCTIONS } from '../../../src/core/kvm/hostFunctions';
import {
  AMD_PHASES,
  FIELD_TERMS,
  INTEL_PHASES,
  explainPhase,
  type PhaseExplanation,
} from '../../../src/ui/flow/phases';

type Vendor = 'intel' | 'amd';

/** The identifiers in a host-function chain element ("kvm_x86_call(handle_exit) → vt_handle_exit"). */
const identifiers = (s: string): string[] => s.match(/[A-Za-z_][A-Za-z0-9_]*(?:\[\])?/g) ?? [];

/** Host functions of a vendor (entries without a vendor suffix belong to both). */
const forVendor = (vendor: Vendor) =>
  HOST_FUNCTIONS.filter((f) => !/:(intel|amd)$/.test(f.key) || f.key.endsWith(`:${vendor}`));

/** Identifiers in the chains of `phase` (host-function keys start with the phase name). */
function phaseChainNames(phase: string, vendor: Vendor): Set<string> {
  return new Set(
    forVendor(vendor)
      .filter((f) => f.key === phase || f.key.startsWith(`${phase}:`))
      .flatMap((f) => f.chain.flatMap(identifiers)),
  );
}

const vendorChainNames = (vendor: Vendor) =>
  new Set(forVendor(vendor).flatMap((f) => f.chain.flatMap(identifiers)));

/** Lower-case identifiers with an underscore: the kernel's function/field spelling. */
const kernelWords = (s: string): string[] =>
  s.match(/(?<![A-Za-z0-9_])_*[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\[\])?/g) ?? [];

const TABLES: [Vendor, Readonly<Record<string, PhaseExplanation>>][] = [
  ['intel', INTEL_PHASES],
  ['amd', AMD_PHASES],
];

describe('static phase explanations', () => {
  it('explain every trace phase for both vendors, in one sentence', () => {
    for (const [vendor, table] of TABLES) {
      expect(Object.keys(table).sort(), vendor).toEqual([...PHASES].sort());
      for (const p of PHASES) {
        const s = table[p].summary;
        expect(s.length, `${vendor} ${p}`).toBeGreaterThan(60);
        expect(s.endsWith('.'), `${vendor} ${p}`).toBe(true);
        // One sentence: no full stop followed by a capital inside.
        expect(/\.\s+[A-Z]/.test(s.slice(0, -1)), `${vendor} ${p}: ${s}`).toBe(false);
      }
    }
  });

  it("name the functions of the phase's own host call chain (hostFunctions.ts)", () => {
    for (const [vendor, table] of TABLES) {
      for (const p of PHASES) {
        const names = phaseChainNames(p, vendor);
        for (const fn of table[p].functions) {
          expect(table[p].summary, `${vendor} ${p} names ${fn}`).toContain(fn);
          expect(names, `${vendor} ${p}: ${fn} is in its chains`).toContain(fn);
        }
      }
    }
    // The ones a student most needs are there.
    expect(INTEL_PHASES.dispatch.functions).toContain('vmx_handle_exit');
    expect(AMD_PHASES.dispatch.functions).toContain('svm_handle_exit');
    expect(INTEL_PHASES.handle.functions).toContain('kvm_emulate_hypercall');
    expect(INTEL_PHASES['vm-exit'].functions).toContain('vmx_vcpu_run');
    expect(AMD_PHASES['vm-exit'].functions).toContain('svm_vcpu_run');
  });

  it('name no kernel function that is not in some host call chain of that vendor', () => {
    for (const [vendor, table] of TABLES) {
      const known = vendorChainNames(vendor);
      for (const p of PHASES) {
        for (const w of kernelWords(table[p].summary)) {
          const ok = known.has(w) || FIELD_TERMS.includes(w);
          expect(ok, `${vendor} ${p}: "${w}" is neither a chain function nor a field`).toBe(true);
        }
      }
    }
  });

  it("keep each vendor's words: VMCS/VMCALL/VMRESUME for Intel, VMCB/VMMCALL/VMRUN for AMD", () => {
    const intel = Object.values(INTEL_PHASES)
      .map((e) => e.summary)
      .join('\n');
    const amd = Object.values(AMD_PHASES)
      .map((e) => e.summary)
      .join('\n');
    for (const w of [/\bVMCB\b/, /\bVMMCALL\b/, /\bVMRUN\b/, /#VMEXIT/, /\bsvm_/])
      expect(intel, String(w)).not.toMatch(w);
    for (const w of [/\bVMCS\b/, /\bVMCALL\b/, /\bVMRESUME\b/, /\bvmx_/])
      expect(amd, String(w)).not.toMatch(w);
    expect(INTEL_PHASES['vm-exit'].summary).toMatch(/VMCS/);
    expect(AMD_PHASES['vm-exit'].summary).toMatch(/VMCB/);
    expect(INTEL_PHASES.guest.summary).toMatch(/VMX non-root operation/);
    expect(AMD_PHASES.guest.summary).toMatch(/guest mode/);
  });

  it('say the interception layer is a model, not upstream KVM', () => {
    expect(INTEL_PHASES.intercept.summary).toMatch(/Not upstream KVM/);
    expect(INTEL_PHASES.intercept.functions).toEqual([]);
  });

  it('look up by phase name and vendor, null for unknown names', () => {
    expect(explainPhase('handle', 'amd')).toBe(AMD_PHASES.handle);
    expect(explainPhase('nope', 'intel')).toBeNull();
    expect(explainPhase('constructor', 'intel')).toBeNull();
  });
});
