/**
 * Just enough of the assembly dialect's line syntax for editor features
 * (hovers, completion, the hypercall-number heuristic): where a word is, where
 * the comment starts, what a statement's mnemonic and operands are, and what
 * a numeric literal is worth. Pure string work, no Monaco and no assembler:
 * it must cope with half-typed lines the assembler rejects.
 *
 * Columns are 1-based like Monaco's and the assembler's; an end column is
 * exclusive (just past the last character).
 */

/** A run of text on one line. */
export interface Span {
  text: string;
  startColumn: number;
  endColumn: number;
}

/** A statement line split into its parts (all optional: a line may be blank). */
export interface StatementLine {
  /** `name:` at the start of the line (the name, without the colon). */
  label?: Span;
  /** `rep`, `lock`… before the mnemonic, lower-cased. */
  prefixes: Span[];
  /** The first word after label and prefixes, lower-cased (may be a directive). */
  mnemonic?: Span;
  /** Comma-separated operands, trimmed, as written. */
  operands: Span[];
}

const WORD_CHAR = /[\w.$?]/;
const PREFIX_WORDS = new Set(['rep', 'repe', 'repz', 'repne', 'repnz', 'lock']);

/**
 * The word (identifier, number or local label: letters, digits, `_ . $ ?`)
 * at 1-based `column`, i.e. the one containing the character at
 * `column` or ending just before it (a caret right after a word is on it).
 */
export function wordAt(line: string, column: number): Span | undefined {
  let i = column - 1;
  if (!(i < line.length && WORD_CHAR.test(line[i]))) {
    if (i > 0 && i - 1 < line.length && WORD_CHAR.test(line[i - 1])) i -= 1;
    else return undefined;
  }
  let start = i;
  while (start > 0 && WORD_CHAR.test(line[start - 1])) start--;
  let end = i + 1;
  while (end < line.length && WORD_CHAR.test(line[end])) end++;
  return { text: line.slice(start, end), startColumn: start + 1, endColumn: end + 1 };
}

/** The part of a word before the caret at `column` (what completion filters on). */
export function wordBefore(line: string, column: number): Span {
  let start = Math.min(column - 1, line.length);
  const end = start;
  while (start > 0 && WORD_CHAR.test(line[start - 1])) start--;
  return { text: line.slice(start, end), startColumn: start + 1, endColumn: end + 1 };
}

/** 0-based index where the `;` comment starts (outside quotes), or the line length. */
export function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote !== undefined) {
      if (ch === '\\' && quote === '`') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === ';') return i;
  }
  return line.length;
}

/** True if 1-based `column` lies inside the line's comment. */
export function inComment(line: string, column: number): boolean {
  return column - 1 > commentStart(line);
}

/** Split the code part of a line (comment removed) into label, prefixes, mnemonic, operands. */
export function parseStatementLine(line: string): StatementLine {
  const code = line.slice(0, commentStart(line));
  const result: StatementLine = { prefixes: [], operands: [] };
  let pos = skipSpaces(code, 0);
  const labelMatch = /^([A-Za-z_.?$][\w.?$]*)\s*:/.exec(code.slice(pos));
  if (labelMatch) {
    result.label = span(labelMatch[1], pos);
    pos = skipSpaces(code, pos + labelMatch[0].length);
  }
  for (;;) {
    const m = /^[A-Za-z_.?$][\w.?$]*/.exec(code.slice(pos));
    if (!m) break;
    const word = span(m[0].toLowerCase(), pos);
    pos = skipSpaces(code, pos + m[0].length);
    if (PREFIX_WORDS.has(word.text)) {
      result.prefixes.push(word);
      continue;
    }
    result.mnemonic = word;
    break;
  }
  if (result.mnemonic) result.operands = splitOperands(code, pos);
  return result;
}

/** Comma-separated operands of `code` from index `from`, ignoring commas in brackets/quotes. */
function splitOperands(code: string, from: number): Span[] {
  const out: Span[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = from;
  const push = (end: number): void => {
    const raw = code.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text !== '') out.push(span(text, start + lead));
  };
  for (let i = from; i < code.length; i++) {
    const ch = code[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(code.length);
  return out;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

function span(text: string, index: number): Span {
  return { text, startColumn: index + 1, endColumn: index + 1 + text.length };
}

/**
 * The value of a NASM integer literal (`5`, `0x3f8`, `3f8h`, `0b101`, `101b`,
 * `0o17`, `17q`, `_` separators allowed), or undefined if `text` is not one.
 */
export function parseIntLiteral(text: string): bigint | undefined {
  const t = text.replace(/_/g, '');
  const forms: readonly [RegExp, string][] = [
    [/^0x([0-9a-f]+)$/i, '0x'],
    [/^([0-9][0-9a-f]*)h$/i, '0x'],
    [/^0b([01]+)$/i, '0b'],
    [/^([01]+)b$/i, '0b'],
    [/^0[oq]([0-7]+)$/i, '0o'],
    [/^([0-7]+)[oq]$/i, '0o'],
    [/^([0-9]+)d?$/i, ''],
  ];
  for (const [re, radix] of forms) {
    const m = re.exec(t);
    if (m) return BigInt(radix + m[1]);
  }
  return undefined;
}

/**
 * `name equ value` constants of a program, name → the value text (trimmed,
 * comment removed). Later definitions do not override earlier ones (the
 * assembler rejects duplicates anyway).
 */
export function equConstants(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const code = line.slice(0, commentStart(line));
    const m = /^\s*([A-Za-z_.?$][\w.?$]*)\s*:?\s+equ\s+(.+?)\s*$/i.exec(code);
    if (m && !out.has(m[1])) out.set(m[1], m[2]);
  }
  return out;
}
