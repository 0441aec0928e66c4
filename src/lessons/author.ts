/**
 * Small helpers for writing lesson data: find a source line by a marker,
 * format 64-bit values the way answers are compared, and the choices many
 * questions share.
 */
import { NO_KVM_EXIT } from './exitNames';
import type { Choice } from './types';

/**
 * The 1-based line of `program` that contains `marker`. Throws unless
 * exactly one line does, so editing a program cannot silently move a
 * question's anchor.
 */
export function lineOf(program: string, marker: string): number {
  const lines = program.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(marker) ? [i + 1] : []));
  if (hits.length !== 1) {
    throw new Error(`lineOf: ${hits.length} lines contain ${JSON.stringify(marker)}`);
  }
  return hits[0];
}

/** A 64-bit value as answers spell it: `0x` + lowercase hex, two's complement for negatives. */
export function hex(v: bigint | number): string {
  return `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
}

/** A register-value choice: the hex value, labelled with what it means. */
export function value(v: bigint | number, meaning?: string): Choice {
  const h = hex(v);
  return { value: h, label: meaning ? `${h} (${meaning})` : h };
}

/** The `kvm-exit` choice "KVM finishes it in the kernel". */
export const IN_KERNEL: Choice = {
  value: NO_KVM_EXIT,
  label: 'Nothing: KVM handles it in the kernel and KVM_RUN does not return',
};

/** A `kvm-exit` choice for a `KVM_EXIT_*` name. */
export function kvmExit(name: string): Choice {
  return { value: name, label: `KVM_RUN returns with exit_reason = ${name}` };
}

/** Exit-reason choices, in the given order. */
export function reasons(...names: string[]): Choice[] {
  return names.map((value) => ({ value }));
}
