import { describe, expect, it } from 'vitest';
import {
  CLASS,
  breakpointDecoration,
  currentLineDecoration,
  revealDecoration,
} from '../../../src/ui/editor/decorations';

describe('decorations', () => {
  it('mark a breakpoint with a glyph on the whole line that does not grow at its edges', () => {
    const d = breakpointDecoration(7);
    expect(d.range.startLineNumber).toBe(7);
    expect(d.range.endLineNumber).toBe(7);
    expect(d.options.isWholeLine).toBe(true);
    expect(d.options.glyphMarginClassName).toBe(CLASS.breakpoint);
    expect(d.options.stickiness).toBe(1);
    expect(d.options.className).toBeUndefined();
  });
  it('highlight the current line with a line class and an arrow glyph', () => {
    const d = currentLineDecoration(3);
    expect(d.range.startLineNumber).toBe(3);
    expect(d.options.className).toBe(CLASS.currentLine);
    expect(d.options.glyphMarginClassName).toBe(CLASS.currentGlyph);
  });
  it('flash a revealed line without a glyph', () => {
    const d = revealDecoration(12);
    expect(d.options.className).toBe(CLASS.reveal);
    expect(d.options.glyphMarginClassName).toBeUndefined();
  });
});
