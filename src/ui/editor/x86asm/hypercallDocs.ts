/**
 * Hover and completion text for KVM hypercalls, built from the core's
 * HYPERCALLS table (number, name, meaning of a0–a3, summary, handler and its
 * Linux source file, PV feature gate).
 */
import { HYPERCALLS, type HypercallEntry } from '../../../core';

/** Registers that carry a0–a3 (shared/reference/kvm-hypercalls.md §1). */
export const ARG_REGISTERS = ['RBX', 'RCX', 'RDX', 'RSI'] as const;

/**
 * Names of the PV feature bits that gate hypercalls (CPUID 0x40000001 EAX,
 * arch/x86/include/uapi/asm/kvm_para.h). Only the bits HYPERCALLS uses; the
 * core does not export KVM_FEATURE through its index.
 */
const FEATURE_NAME: Readonly<Record<number, string>> = {
  7: 'KVM_FEATURE_PV_UNHALT',
  11: 'KVM_FEATURE_PV_SEND_IPI',
  13: 'KVM_FEATURE_PV_SCHED_YIELD',
  16: 'KVM_FEATURE_HC_MAP_GPA_RANGE',
};

/** Name of PV feature bit `bit`, or `bit n` if unknown. */
export function featureName(bit: number): string {
  return FEATURE_NAME[bit] ?? `bit ${bit}`;
}

/** The entry called `name` (exact KVM_HC_* spelling, any case), or undefined. */
export function hypercallByName(name: string): HypercallEntry | undefined {
  const upper = name.toUpperCase();
  for (const e of HYPERCALLS.values()) if (e.name === upper) return e;
  return undefined;
}

/** `KVM_HC_KICK_CPU (5): args a0 = flags (reserved), a1 = APIC ID of the vCPU to wake`. */
export function hypercallSignature(e: HypercallEntry): string {
  const args = e.args.map((a, i) => `a${i} = ${a}`).join(', ');
  return `${e.name} (${e.nr}): ${args ? `args ${args}` : 'no args'}`;
}

/** Markdown paragraphs describing hypercall `e`. */
export function hypercallDoc(e: HypercallEntry): string[] {
  const out = [`**${e.name}** (${e.nr}) — KVM hypercall`, `\`${hypercallSignature(e)}\``];
  if (e.args.length > 0) {
    out.push(e.args.map((a, i) => `- a${i} (${ARG_REGISTERS[i]}) = ${a}`).join('\n'));
  }
  out.push(e.summary);
  if (!e.x86) out.push('Not handled on x86: RAX = -KVM_ENOSYS (-1000).');
  out.push(`Handler: \`${e.handler}\` in \`${e.source}\`.`);
  if (e.feature !== undefined) {
    out.push(
      `Gated by PV feature bit ${e.feature} (\`${featureName(e.feature)}\`, CPUID 0x40000001 EAX) ` +
        'when the VMM enforces PV CPUID (`KVM_CAP_ENFORCE_PV_FEATURE_CPUID`); without the bit ' +
        'the result is -KVM_ENOSYS.',
    );
  }
  return out;
}

/** Markdown for a RAX value that is no KVM hypercall number. */
export function unknownHypercallDoc(nr: bigint): string[] {
  return [
    `**RAX = ${nr}**: not a KVM hypercall number.`,
    'KVM returns -KVM_ENOSYS (-1000, 0xFFFFFFFFFFFFFC18) in RAX. The numbers are ' +
      [...HYPERCALLS.values()].map((e) => `${e.nr} ${e.name}`).join(', ') +
      '.',
  ];
}
