/**
 * Text that must fit a box in the SVG (SVG text does not wrap). Widths are
 * estimates in viewBox units from the font size: monospace glyphs are 0.6 em
 * (DejaVu Sans Mono, Menlo), proportional text averages below 0.56 em
 * (0.6 em bold). Conservative, so a label that passes fits in practice;
 * tests/ui/flow checks every static label against its box with these.
 */

/** Font sizes (viewBox units) of a box's title and detail lines. */
export const TITLE_SIZE = 11;
export const DETAIL_SIZE = 9;
/** Horizontal padding inside a box, each side. */
export const BOX_PAD = 4;

export interface TextStyle {
  readonly size: number;
  readonly mono?: boolean;
  readonly bold?: boolean;
}

/** Estimated width of `text` in viewBox units. */
export function textWidth(text: string, style: TextStyle): number {
  const em = style.mono || style.bold ? 0.6 : 0.56;
  return [...text].length * style.size * em;
}

/** `text`, cut with "…" when it is wider than `maxWidth`. */
export function fitText(text: string, maxWidth: number, style: TextStyle): string {
  if (textWidth(text, style) <= maxWidth) return text;
  const chars = [...text];
  let n = chars.length;
  while (n > 0 && textWidth(`${chars.slice(0, n).join('')}…`, style) > maxWidth) n--;
  return `${chars.slice(0, n).join('')}…`;
}
