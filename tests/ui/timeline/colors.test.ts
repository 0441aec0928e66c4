import { describe, expect, it } from 'vitest';
import {
  EXCEPTION_COLOR,
  FALLBACK_PALETTE,
  fnv1a,
  REASON_COLORS,
  reasonColor,
} from '../../../src/ui/timeline/colors';

/** WCAG relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('reasonColor', () => {
  it('gives Intel and AMD names of the same event the same colour', () => {
    const pairs = [
      ['VMCALL', 'VMMCALL'],
      ['IO_INSTRUCTION', 'IOIO'],
      ['EPT_VIOLATION', 'NPF'],
      ['MSR_READ', 'MSR'],
      ['TRIPLE_FAULT', 'SHUTDOWN'],
      ['EXTERNAL_INTERRUPT', 'INTR'],
      ['EXCEPTION_NMI', 'EXCP_PF'],
    ];
    for (const [intel, amd] of pairs) expect(reasonColor(intel)).toBe(reasonColor(amd));
  });

  it('gives the main families distinct colours', () => {
    const families = [
      'VMCALL',
      'IO_INSTRUCTION',
      'HLT',
      'CPUID',
      'EPT_VIOLATION',
      'EXCEPTION_NMI',
      'MSR_READ',
      'SHUTDOWN',
      'INTR',
    ];
    expect(new Set(families.map(reasonColor)).size).toBe(families.length);
    expect(reasonColor('MSR_WRITE')).not.toBe(reasonColor('MSR_READ'));
    expect(reasonColor('EPT_MISCONFIG')).not.toBe(reasonColor('EPT_VIOLATION'));
  });

  it('matches AMD exception exits by the EXCP prefix and ignores case', () => {
    expect(reasonColor('EXCP_UD')).toBe(EXCEPTION_COLOR);
    expect(reasonColor('EXCP14')).toBe(EXCEPTION_COLOR);
    expect(reasonColor('vmcall')).toBe(REASON_COLORS.VMCALL);
  });

  it('hashes other names into the fallback palette, deterministically', () => {
    const names = ['XSETBV', 'RDTSC', 'PAUSE_INSTRUCTION', 'INVLPG', 'WBINVD', 'VINTR', ''];
    for (const name of names) {
      const color = reasonColor(name);
      expect(FALLBACK_PALETTE).toContain(color);
      expect(reasonColor(name)).toBe(color);
      expect(color).toBe(FALLBACK_PALETTE[fnv1a(name.toUpperCase()) % FALLBACK_PALETTE.length]);
    }
  });

  it('uses a fixed, known hash (colours stay the same across releases)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('keeps every colour at ≥ 3:1 contrast on the dark pane and page backgrounds', () => {
    const all = [...Object.values(REASON_COLORS), EXCEPTION_COLOR, ...FALLBACK_PALETTE];
    for (const color of all) {
      expect(color).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(color, '#1e2127')).toBeGreaterThanOrEqual(3);
      expect(contrast(color, '#16181d')).toBeGreaterThanOrEqual(3);
    }
  });
});
