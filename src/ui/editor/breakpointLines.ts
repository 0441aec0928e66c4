/**
 * Breakpoint-line bookkeeping, independent of Monaco. Breakpoints are plain
 * 1-based line numbers; a list in canonical form is sorted ascending, has no
 * duplicates and only lines that exist (1…lineCount).
 */

/** Canonical form of `lines` for a model of `lineCount` lines (drops non-integers and lines out of range). */
export function normalizeLines(lines: readonly number[], lineCount = Infinity): number[] {
  const ok = lines.filter((l) => Number.isInteger(l) && l >= 1 && l <= lineCount);
  return [...new Set(ok)].sort((a, b) => a - b);
}

/** `lines` with `line` added if absent, removed if present (canonical result). */
export function toggleLine(lines: readonly number[], line: number): number[] {
  return lines.includes(line)
    ? normalizeLines(lines.filter((l) => l !== line))
    : normalizeLines([...lines, line]);
}

/** Same lines, ignoring order and duplicates. */
export function sameLines(a: readonly number[], b: readonly number[]): boolean {
  const x = normalizeLines(a);
  const y = normalizeLines(b);
  return x.length === y.length && x.every((l, i) => l === y[i]);
}

/**
 * The lines decorations sit on now (Monaco moves them with edits; two may
 * land on one line when the line between them is deleted), canonical.
 */
export function linesOfRanges(ranges: readonly { startLineNumber: number }[]): number[] {
  return normalizeLines(ranges.map((r) => r.startLineNumber));
}
