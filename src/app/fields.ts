/**
 * The checks a program and its settings must pass before they come into the
 * store from outside the page — a share link (share.ts) or the browser's
 * storage (persistence.ts). Both sources are untrusted text: every value is
 * checked for type and range here, and a failure is a sentence for the user.
 */
import type { Vendor } from './store';

/** Longest program accepted from a link or from storage (UTF-16 code units, 64 KiB). */
export const MAX_PROGRAM_CHARS = 64 * 1024;
/** Highest exit index a link may name (the timeline handles millions; this bounds the run forward). */
export const MAX_EXIT_INDEX = 10_000_000;
/** Lesson ids: short, URL- and storage-key-safe words ("01-vmcall", "io.ports"). */
export const LESSON_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const VENDORS: readonly Vendor[] = ['intel', 'amd'];

/** A plain object (not an array, not null), as JSON.parse makes one. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Why `obj` has the wrong set of keys, or null. Unknown keys are refused
 * (`__proto__` and `constructor` included: JSON.parse makes them own
 * properties, and nothing of the object is ever spread or merged).
 */
export function checkKeys(obj: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of Object.keys(obj))
    if (!keys.includes(k)) return `it has an unknown field "${k.slice(0, 40)}"`;
  for (const k of keys) if (!Object.hasOwn(obj, k)) return `the field "${k}" is missing`;
  return null;
}

export function checkProgram(v: unknown): string | null {
  if (typeof v !== 'string') return 'the program is not text';
  if (v.length > MAX_PROGRAM_CHARS)
    return `the program is too long (${v.length} characters; at most ${MAX_PROGRAM_CHARS})`;
  return null;
}

export function checkVendor(v: unknown): string | null {
  return VENDORS.includes(v as Vendor) ? null : 'the vendor is neither "intel" nor "amd"';
}

/** Why `v` is not an integer in [min, max], or null. */
export function checkInt(name: string, v: unknown, min: number, max: number): string | null {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    return `${name} must be a whole number from ${min} to ${max}`;
  return null;
}

export function checkVcpus(v: unknown): string | null {
  return checkInt('the vCPU count', v, 1, 4);
}

export function checkSpeed(v: unknown): string | null {
  return checkInt('the speed', v, 1, 5);
}

export function checkLesson(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'string' || !LESSON_ID.test(v)) return 'the lesson id is not a valid id';
  return null;
}

export function checkExit(v: unknown): string | null {
  if (v === null) return null;
  return checkInt('the timeline position', v, 0, MAX_EXIT_INDEX);
}

/** The first non-null reason, or null. */
export function firstProblem(...reasons: (string | null)[]): string | null {
  for (const r of reasons) if (r !== null) return r;
  return null;
}
