/**
 * Stable colours for exit reasons, chosen for a dark background (every colour
 * keeps at least 3:1 contrast against the app's pane background, the WCAG
 * minimum for graphics). Intel and AMD names of the same event share a
 * colour family, so a VMCALL run and a VMMCALL run look alike; two names a
 * single vendor can report together (MSR_READ and MSR_WRITE, EPT_VIOLATION
 * and EPT_MISCONFIG) get two shades of the family.
 */

/** Fixed colours by vendor reason name (upper case, as the manuals spell them). */
export const REASON_COLORS: Readonly<Record<string, string>> = {
  // Hypercalls (Intel VMCALL, AMD VMMCALL).
  VMCALL: '#61afef',
  VMMCALL: '#61afef',
  // Port I/O.
  IO_INSTRUCTION: '#98c379',
  IOIO: '#98c379',
  // Idle.
  HLT: '#abb2bf',
  CPUID: '#e5c07b',
  // Second-level page faults (MMIO).
  EPT_VIOLATION: '#d19a66',
  EPT_MISCONFIG: '#f0c08f',
  NPF: '#d19a66',
  // Exceptions (AMD EXCP* names are matched by prefix below).
  EXCEPTION_NMI: '#e06c75',
  // MSR accesses.
  MSR_READ: '#56b6c2',
  MSR_WRITE: '#9ce0e8',
  MSR: '#56b6c2',
  // The guest is gone.
  TRIPLE_FAULT: '#ff79c6',
  SHUTDOWN: '#ff79c6',
  // Host interrupts.
  EXTERNAL_INTERRUPT: '#c678dd',
  INTR: '#c678dd',
};

/** Colour of AMD exception exits (EXCP_PF, EXCP_UD, …): the EXCEPTION_NMI family. */
export const EXCEPTION_COLOR = '#e06c75';

/** Colours for every other reason, picked by a hash of the name (so stable across runs). */
export const FALLBACK_PALETTE: readonly string[] = [
  '#f5a3c7',
  '#b5cea8',
  '#ffb86c',
  '#8be9fd',
  '#bd93f9',
  '#f1fa8c',
  '#7ee0b5',
  '#fab387',
];

/**
 * The colour of a reason name: the fixed colour when the name is known,
 * else a fallback-palette colour chosen by an FNV-1a hash of the name.
 * Deterministic: the same name always gets the same colour.
 */
export function reasonColor(reason: string): string {
  const name = reason.toUpperCase();
  const fixed = REASON_COLORS[name];
  if (fixed) return fixed;
  if (name.startsWith('EXCP')) return EXCEPTION_COLOR;
  return FALLBACK_PALETTE[fnv1a(name) % FALLBACK_PALETTE.length];
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units (unsigned). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
