/**
 * Stable colours for exit reasons, chosen for a dark background (every colour
 * keeps at least 3:1 contrast against the app's pane background, the WCAG
 * minimum for graphics), with a light-theme variant of each (3:1 on white;
 * `setReasonPalette` picks one). Intel and AMD names of the same event share a
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

/** The light theme's colours: the same families, darkened to ≥ 3:1 on a white pane. */
export const LIGHT_REASON_COLORS: Readonly<Record<string, string>> = {
  VMCALL: '#2f6fd0',
  VMMCALL: '#2f6fd0',
  IO_INSTRUCTION: '#3c8a2e',
  IOIO: '#3c8a2e',
  HLT: '#6b7280',
  CPUID: '#a06a00',
  EPT_VIOLATION: '#b3541e',
  EPT_MISCONFIG: '#8a3d10',
  NPF: '#b3541e',
  EXCEPTION_NMI: '#c4314b',
  MSR_READ: '#0f7f8c',
  MSR_WRITE: '#0a5c66',
  MSR: '#0f7f8c',
  TRIPLE_FAULT: '#c2185b',
  SHUTDOWN: '#c2185b',
  EXTERNAL_INTERRUPT: '#8e44ad',
  INTR: '#8e44ad',
};

export const LIGHT_EXCEPTION_COLOR = '#c4314b';

export const LIGHT_FALLBACK_PALETTE: readonly string[] = [
  '#b83280',
  '#5b7f3a',
  '#b85c00',
  '#0e7490',
  '#6d28d9',
  '#8a7a00',
  '#0f7b5a',
  '#b4531f',
];

/** Which background the colours are for. */
export type ReasonPalette = 'dark' | 'light';

const PALETTES = {
  dark: { fixed: REASON_COLORS, exception: EXCEPTION_COLOR, fallback: FALLBACK_PALETTE },
  light: {
    fixed: LIGHT_REASON_COLORS,
    exception: LIGHT_EXCEPTION_COLOR,
    fallback: LIGHT_FALLBACK_PALETTE,
  },
};

let palette: ReasonPalette = 'dark';

/**
 * Choose the palette `reasonColor` answers from (the shell sets it with the
 * page's theme, and remounts the timeline so it repaints).
 */
export function setReasonPalette(p: ReasonPalette): void {
  palette = p;
}

/**
 * The colour of a reason name in the current palette: the fixed colour when
 * the name is known, else a fallback-palette colour chosen by an FNV-1a hash
 * of the name. Deterministic: the same name always gets the same colour.
 */
export function reasonColor(reason: string): string {
  const { fixed, exception, fallback } = PALETTES[palette];
  const name = reason.toUpperCase();
  const known = fixed[name];
  if (known) return known;
  if (name.startsWith('EXCP')) return exception;
  return fallback[fnv1a(name) % fallback.length];
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
