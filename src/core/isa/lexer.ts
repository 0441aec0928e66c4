/**
 * Lexer for the assembler's NASM-flavoured Intel syntax. Works one source
 * line at a time (a statement never spans lines); `;` starts a comment.
 *
 * Contract: pure and total — any string yields tokens plus a list of
 * {@link AsmError}s (never an exception). Columns are 1-based and count
 * UTF-16 code units; `endColumn` is exclusive. Every line's token list ends
 * with exactly one `eol` token.
 */
import type { AsmError } from './ast';

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'here' | 'sectionStart' | 'eol';

/** One token of a source line. */
export interface Token {
  kind: TokenKind;
  /**
   * The token as written. For an `ident` written `$name` (NASM's escape that
   * makes a keyword or register name usable as a label) this is `name`
   * without the `$`; for `eol` it is ''.
   */
  text: string;
  line: number;
  column: number;
  /** Column just past the token (exclusive). */
  endColumn: number;
  /** `number`: its value, 0 ≤ value < 2^64. */
  value?: bigint;
  /** `string`: its bytes (UTF-8 encoded, backquote escapes decoded). */
  bytes?: Uint8Array;
  /** `string`: the quote character used (`'`, `"` or a backquote). */
  quote?: string;
  /** `ident` written with a leading `$`: never a keyword or register. */
  escaped?: boolean;
}

/** The tokens and lexical errors of one source line. */
export interface LineTokens {
  /** 1-based line number. */
  line: number;
  /** Tokens in order, ending with one `eol` token. */
  tokens: Token[];
  errors: AsmError[];
}

/** Two-character punctuators, tried before the one-character ones. */
const PUNCT2 = ['//', '%%', '<<', '>>'];
const PUNCT1 = ',:[]()+-*/%&|^~!';

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isIdentStart = (c: string): boolean => isLetter(c) || c === '_' || c === '.' || c === '?';
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c) || c === '$' || c === '@';
const isSpace = (c: string): boolean =>
  c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r';

/**
 * Split source text into lines on `\n`, `\r\n` or `\r`. Always returns at
 * least one (possibly empty) line.
 */
export function splitLines(source: string): string[] {
  return source.split(/\r\n|\n|\r/);
}

/** Tokenize a whole source: one {@link LineTokens} per line, in order. */
export function tokenize(source: string): LineTokens[] {
  return splitLines(source).map((text, i) => tokenizeLine(text, i + 1));
}

/** Append the UTF-8 encoding of code point `cp` (lone surrogates → U+FFFD). */
function pushUtf8(out: number[], cp: number): void {
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else
    out.push(
      0xf0 | (cp >> 18),
      0x80 | ((cp >> 12) & 63),
      0x80 | ((cp >> 6) & 63),
      0x80 | (cp & 63),
    );
}

/** How a character is shown in an error message. */
function showChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const invisible =
    cp <= 0x20 ||
    (cp >= 0x7f && cp <= 0xa0) ||
    cp === 0xad ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff);
  return invisible ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : ch;
}

const BASE_DIGITS: Record<number, RegExp> = {
  2: /^[01_]+$/,
  8: /^[0-7_]+$/,
  10: /^[0-9_]+$/,
  16: /^[0-9a-f_]+$/,
};

/** Digits (lower case, `_` allowed) in `base` → value, or undefined if invalid. */
function digitsValue(digits: string, base: number): bigint | undefined {
  if (!BASE_DIGITS[base].test(digits)) return undefined;
  const clean = digits.replace(/_/g, '');
  if (clean === '') return undefined;
  let v = 0n;
  const b = BigInt(base);
  for (const d of clean) v = v * b + BigInt(parseInt(d, 16));
  return v;
}

const PREFIX_BASE: Record<string, number> = { x: 16, h: 16, b: 2, y: 2, o: 8, q: 8, d: 10, t: 10 };

/**
 * Value of a numeric literal as NASM reads it: `0x1F`/`0h1F`, `1Fh`, `0b101`/
 * `101b`/`101y`, `0o17`/`17o`/`17q`, `0d19`/`19d`/`19t`, plain decimal;
 * `_` separates digits. Undefined if the literal is malformed.
 */
export function numberValue(text: string): bigint | undefined {
  const s = text.toLowerCase();
  if (s.length > 2 && s[0] === '0' && PREFIX_BASE[s[1]] !== undefined) {
    const v = digitsValue(s.slice(2), PREFIX_BASE[s[1]]);
    if (v !== undefined) return v;
  }
  const last = s[s.length - 1];
  if (s.length > 1 && PREFIX_BASE[last] !== undefined && last !== 'x') {
    const v = digitsValue(s.slice(0, -1), PREFIX_BASE[last]);
    if (v !== undefined) return v;
  }
  return digitsValue(s, 10);
}

/** Decode one backquote-string escape starting after the `\` at `text[i]`. */
function decodeEscape(text: string, i: number, out: number[]): { next: number; bad?: string } {
  const c = text[i];
  const simple: Record<string, number> = {
    n: 10,
    t: 9,
    r: 13,
    a: 7,
    b: 8,
    e: 27,
    f: 12,
    v: 11,
    '\\': 92,
    "'": 39,
    '"': 34,
    '`': 96,
    '?': 63,
  };
  if (simple[c] !== undefined) {
    out.push(simple[c]);
    return { next: i + 1 };
  }
  if (c >= '0' && c <= '7') {
    let j = i;
    while (j < text.length && j < i + 3 && text[j] >= '0' && text[j] <= '7') j++;
    const v = parseInt(text.slice(i, j), 8);
    if (v > 255) return { next: j, bad: `\\${text.slice(i, j)}` };
    out.push(v);
    return { next: j };
  }
  const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (hexLen > 0) {
    let j = i + 1;
    while (j < text.length && j < i + 1 + hexLen && /[0-9a-fA-F]/.test(text[j])) j++;
    const v = parseInt(text.slice(i + 1, j), 16);
    if (j === i + 1 || (c !== 'x' && (j !== i + 1 + hexLen || v > 0x10ffff))) {
      return { next: j, bad: `\\${text.slice(i, j)}` };
    }
    if (c === 'x') out.push(v);
    else pushUtf8(out, v);
    return { next: j };
  }
  const ch = String.fromCodePoint(text.codePointAt(i) ?? 0xfffd);
  return { next: i + ch.length, bad: `\\${showChar(ch)}` };
}

/**
 * Tokenize one line (without its line terminator). `line` is its 1-based
 * number, copied into every token and error.
 */
export function tokenizeLine(text: string, line: number): LineTokens {
  const tokens: Token[] = [];
  const errors: AsmError[] = [];
  const err = (start: number, end: number, message: string): void => {
    errors.push({ line, column: start + 1, endColumn: end + 1, message });
  };
  const push = (kind: TokenKind, start: number, end: number, extra?: Partial<Token>): void => {
    tokens.push({
      kind,
      text: text.slice(start, end),
      line,
      column: start + 1,
      endColumn: end + 1,
      ...extra,
    });
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
    } else if (c === ';') {
      break;
    } else if (isDigit(c)) {
      let j = i + 1;
      while (j < n && (isLetter(text[j]) || isDigit(text[j]) || text[j] === '_' || text[j] === '.'))
        j++;
      const raw = text.slice(i, j);
      const value = numberValue(raw);
      if (value === undefined) err(i, j, `invalid number '${raw}'`);
      else if (value >= 1n << 64n) err(i, j, `number '${raw}' does not fit in 64 bits`);
      push('number', i, j, { value: value ?? 0n });
      i = j;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text[j])) j++;
      push('ident', i, j);
      i = j;
    } else if (c === '$') {
      if (text[i + 1] === '$') {
        push('sectionStart', i, i + 2);
        i += 2;
      } else if (i + 1 < n && isIdentStart(text[i + 1])) {
        let j = i + 2;
        while (j < n && isIdentPart(text[j])) j++;
        tokens.push({
          kind: 'ident',
          text: text.slice(i + 1, j),
          line,
          column: i + 1,
          endColumn: j + 1,
          escaped: true,
        });
        i = j;
      } else {
        push('here', i, i + 1);
        i++;
      }
    } else if (c === "'" || c === '"' || c === '`') {
      const bytes: number[] = [];
      let j = i + 1;
      let closed = false;
      while (j < n) {
        if (text[j] === c) {
          closed = true;
          break;
        }
        if (c === '`' && text[j] === '\\' && j + 1 < n) {
          const r = decodeEscape(text, j + 1, bytes);
          if (r.bad !== undefined) err(j, r.next, `unknown escape '${r.bad}' in string`);
          j = r.next;
          continue;
        }
        const cp = text.codePointAt(j) ?? 0;
        pushUtf8(bytes, cp);
        j += cp > 0xffff ? 2 : 1;
      }
      if (!closed) {
        err(i, n, 'unterminated string');
        break;
      }
      push('string', i, j + 1, { bytes: Uint8Array.from(bytes), quote: c });
      i = j + 1;
    } else {
      const two = text.slice(i, i + 2);
      if (PUNCT2.includes(two)) {
        push('punct', i, i + 2);
        i += 2;
      } else if (PUNCT1.includes(c)) {
        push('punct', i, i + 1);
        i++;
      } else {
        const ch = String.fromCodePoint(text.codePointAt(i) ?? 0xfffd);
        err(i, i + ch.length, `unexpected character '${showChar(ch)}'`);
        i += ch.length;
      }
    }
  }
  // The end-of-line token sits just after the last token (before any comment).
  const eolCol = tokens.length > 0 ? tokens[tokens.length - 1].endColumn : 1;
  tokens.push({ kind: 'eol', text: '', line, column: eolCol, endColumn: eolCol + 1 });
  return { line, tokens, errors };
}
