/**
 * The themes the display settings switch between (store `theme`, `projector`):
 * every editor theme's text reaches WCAG AA on its background, and the
 * timeline's light palette keeps 3:1 for its marks on the light panes.
 * (The modules live in src/ui; the contract is the app's display setting.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EDITOR_THEMES, editorThemeName } from '../../src/ui/editor/x86asm/themes';
import {
  LIGHT_EXCEPTION_COLOR,
  LIGHT_FALLBACK_PALETTE,
  LIGHT_REASON_COLORS,
  REASON_COLORS,
  reasonColor,
  setReasonPalette,
} from '../../src/ui/timeline/colors';

function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

afterEach(() => setReasonPalette('dark'));

describe('editor themes', () => {
  it('has a theme for each theme and projector setting', () => {
    expect(editorThemeName('dark', false)).toBe('dark');
    expect(editorThemeName('light', true)).toBe('light-projector');
    const ids = Object.values(EDITOR_THEMES).map((t) => t.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps every token colour at AA contrast (≥ 4.5:1; projector ≥ 7:1) on its background', () => {
    for (const [name, { data }] of Object.entries(EDITOR_THEMES)) {
      const bg = data.colors['editor.background'];
      const min = name.endsWith('projector') ? 7 : 4.5;
      for (const rule of data.rules) {
        expect(contrast(`#${rule.foreground}`, bg), `${name} ${rule.token}`).toBeGreaterThanOrEqual(
          min,
        );
      }
      const lineNumbers = data.colors['editorLineNumber.foreground'];
      expect(contrast(lineNumbers, bg), `${name} line numbers`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('timeline palettes', () => {
  it('gives every light colour ≥ 3:1 on the light panes and page', () => {
    const all = [
      ...Object.values(LIGHT_REASON_COLORS),
      LIGHT_EXCEPTION_COLOR,
      ...LIGHT_FALLBACK_PALETTE,
    ];
    for (const c of all) {
      expect(contrast(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
      expect(contrast(c, '#eef0f3'), c).toBeGreaterThanOrEqual(3);
    }
    expect(Object.keys(LIGHT_REASON_COLORS).sort()).toEqual(Object.keys(REASON_COLORS).sort());
  });

  it('switches with the theme, same families in both', () => {
    expect(reasonColor('VMCALL')).toBe(REASON_COLORS.VMCALL);
    setReasonPalette('light');
    expect(reasonColor('VMCALL')).toBe(LIGHT_REASON_COLORS.VMCALL);
    expect(reasonColor('VMMCALL')).toBe(reasonColor('VMCALL'));
    expect(reasonColor('EXCP_UD')).toBe(LIGHT_EXCEPTION_COLOR);
    expect(LIGHT_FALLBACK_PALETTE).toContain(reasonColor('XSETBV'));
  });
});
