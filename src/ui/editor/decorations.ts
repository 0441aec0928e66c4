/**
 * The editor's line decorations as plain data: breakpoints (a red dot in the
 * glyph margin), the current instruction (a highlighted line and an arrow)
 * and the short flash of a revealed line. Their CSS classes are in
 * editor.css. Only a type import of Monaco, so tests check these in Node.
 *
 * All are whole-line decorations that never grow when typing at their edges
 * (Monaco's TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges): Enter at
 * the start of a breakpoint line moves the breakpoint down with its text.
 */
import type { editor } from 'monaco-editor/editor/editor.api';

/** TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges (a type import cannot reach the runtime enum). */
const NEVER_GROWS = 1 as editor.TrackedRangeStickiness;
/** Past any real column; Monaco clamps decoration ranges to the line. */
const LINE_END = 1 << 30;

export const CLASS = {
  breakpoint: 'hl-breakpoint-glyph',
  breakpointHint: 'hl-breakpoint-hint',
  currentLine: 'hl-current-line',
  currentGlyph: 'hl-current-glyph',
  reveal: 'hl-reveal-flash',
} as const;

/** How long the reveal flash stays, in ms (matches the CSS animation). */
export const REVEAL_FLASH_MS = 1200;

function wholeLine(
  line: number,
  options: editor.IModelDecorationOptions,
): editor.IModelDeltaDecoration {
  return {
    range: { startLineNumber: line, startColumn: 1, endLineNumber: line, endColumn: LINE_END },
    options: { isWholeLine: true, stickiness: NEVER_GROWS, ...options },
  };
}

/** A breakpoint on `line`. */
export function breakpointDecoration(line: number): editor.IModelDeltaDecoration {
  return wholeLine(line, {
    glyphMarginClassName: CLASS.breakpoint,
    glyphMarginHoverMessage: { value: 'Breakpoint (click to remove)' },
  });
}

/** The faint dot shown while the pointer is over the glyph margin of `line`. */
export function breakpointHintDecoration(line: number): editor.IModelDeltaDecoration {
  return wholeLine(line, {
    glyphMarginClassName: CLASS.breakpointHint,
  });
}

/** The current instruction on `line`: line highlight, arrow in the glyph margin. */
export function currentLineDecoration(line: number): editor.IModelDeltaDecoration {
  return wholeLine(line, {
    className: CLASS.currentLine,
    glyphMarginClassName: CLASS.currentGlyph,
    zIndex: 10,
  });
}

/** The flash on a line the editor was asked to reveal. */
export function revealDecoration(line: number): editor.IModelDeltaDecoration {
  return wholeLine(line, { className: CLASS.reveal });
}
