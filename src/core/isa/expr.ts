/**
 * Constant expressions: a precedence (Pratt) parser that builds {@link Expr}
 * trees from tokens, and the evaluator the layout pass uses once label
 * values are known.
 *
 * Operators, lowest to highest precedence (NASM): `|`, `^`, `&`,
 * `<< >>`, `+ -`, `* / // % %%`, then unary `- + ~ !`; all binary
 * operators are left-associative. `/` and `%` are unsigned, `//` and `%%`
 * signed; `>>` is a logical shift. A quoted string in an expression is a
 * character constant: its bytes packed little-endian (`'ab'` = 0x6261).
 *
 * Contract: nothing here throws out of an exported function except
 * {@link parseExprAt}, which throws {@link ParseFailure} (and only that) for
 * the parser to catch.
 */
import type { AsmError, Expr, SourcePos } from './ast';
import { lookupRegister } from './registers';
import { type Token, tokenizeLine } from './lexer';

/** A syntax error on its way out of a line; caught by the line parser. */
export class ParseFailure {
  constructor(readonly error: AsmError) {}
}

/** Throw a {@link ParseFailure} pointing at `at` (a token or any span). */
export function failAt(
  at: { line: number; column: number; endColumn: number },
  message: string,
): never {
  throw new ParseFailure({ line: at.line, column: at.column, endColumn: at.endColumn, message });
}

/** A read position in one line's tokens (which end with an `eol` token). */
export class TokenCursor {
  i = 0;
  constructor(readonly tokens: readonly Token[]) {}
  /** The token `k` ahead (the final `eol` token when past the end). */
  peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }
  /** Consume and return the current token (never moves past `eol`). */
  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  /** Is the token `k` ahead the punctuator `text`? */
  isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }
  /** Is the token `k` ahead an unescaped identifier in `words` (any case)? */
  isWord(words: readonly string[], k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && !t.escaped && words.includes(t.text.toLowerCase());
  }
  atEol(): boolean {
    return this.peek().kind === 'eol';
  }
}

const BINARY_PREC: Readonly<Record<string, number>> = {
  '|': 1,
  '^': 2,
  '&': 3,
  '<<': 4,
  '>>': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '//': 6,
  '%': 6,
  '%%': 6,
};
const UNARY_PREC = 7;
type BinaryOp = Extract<Expr, { kind: 'binary' }>['op'];
type UnaryOp = Extract<Expr, { kind: 'unary' }>['op'];

/** Limits that keep recursion (here, in the evaluator, in later passes) shallow. */
const MAX_NESTING = 200;
const MAX_NODES = 2000;

/** End column (exclusive) of every node the parser made. */
const END_COLUMN = new WeakMap<Expr, number>();
/** `sym` nodes that are really registers (only legal inside `[...]`). */
const REGISTER_LEAVES = new WeakSet<Expr>();

/** True if `e` is a register leaf (name = lower-case register, or `rip`). */
export function isRegisterLeaf(e: Expr): e is Extract<Expr, { kind: 'sym' }> {
  return REGISTER_LEAVES.has(e);
}

/**
 * Column just past the source text of `e` (exclusive). Exact for trees made
 * by the parser; for hand-built trees an estimate (never below pos.column+1).
 */
export function exprEndColumn(e: Expr): number {
  const known = END_COLUMN.get(e);
  if (known !== undefined) return known;
  switch (e.kind) {
    case 'sym':
      return e.endColumn;
    case 'sectionStart':
      return e.pos.column + 2;
    case 'unary':
      return Math.max(e.pos.column + 1, exprEndColumn(e.arg));
    case 'binary':
      return Math.max(e.pos.column + 1, exprEndColumn(e.right));
    default:
      return e.pos.column + 1;
  }
}

/** Options for {@link parseExprAt}. */
export interface ExprParseOptions {
  /**
   * Map an identifier token to the global name to record (local-label
   * prefixing). May throw {@link ParseFailure}.
   */
  resolveName(tok: Token): string;
}

const posOf = (t: Token): SourcePos => ({ line: t.line, column: t.column });

/**
 * Parse one expression starting at the cursor, consuming as many tokens as
 * form an expression and stopping before the first token that cannot
 * continue it. Register names become register leaves ({@link
 * isRegisterLeaf}); callers outside `[...]` must reject them. Every node's
 * `pos` is where its text starts (a binary node whose left operand is
 * parenthesized starts at the `(`), and {@link exprEndColumn} where it ends. Throws {@link ParseFailure}
 * ("expected an expression", "missing ')'", …).
 */
export function parseExprAt(cur: TokenCursor, opts: ExprParseOptions): Expr {
  let nodes = 0;
  const made = <E extends Expr>(e: E, end: number): E => {
    if (++nodes > MAX_NODES)
      failAt(
        { line: e.pos.line, column: e.pos.column, endColumn: end },
        'expression is too complex',
      );
    END_COLUMN.set(e, end);
    return e;
  };
  /** End column of the last token consumed. */
  const lastEnd = (): number => cur.tokens[Math.max(0, cur.i - 1)].endColumn;
  const parse = (minPrec: number, depth: number): Expr => {
    const start = posOf(cur.peek());
    let left = prefix(depth);
    for (;;) {
      const t = cur.peek();
      const prec = t.kind === 'punct' ? BINARY_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      cur.next();
      const right = parse(prec + 1, depth + 1);
      left = made({ kind: 'binary', op: t.text as BinaryOp, left, right, pos: start }, lastEnd());
    }
  };
  const prefix = (depth: number): Expr => {
    const t = cur.peek();
    if (depth > MAX_NESTING) failAt(t, 'expression is too deeply nested');
    if (
      t.kind === 'punct' &&
      (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!')
    ) {
      cur.next();
      const arg = parse(UNARY_PREC, depth + 1);
      return made({ kind: 'unary', op: t.text as UnaryOp, arg, pos: posOf(t) }, lastEnd());
    }
    if (t.kind === 'punct' && t.text === '(') {
      cur.next();
      const inner = parse(0, depth + 1);
      if (!cur.isPunct(')')) failAt(cur.peek(), "missing ')'");
      cur.next();
      return inner;
    }
    cur.next();
    switch (t.kind) {
      case 'number':
        return made({ kind: 'num', value: t.value ?? 0n, pos: posOf(t) }, t.endColumn);
      case 'string': {
        const bytes = t.bytes ?? new Uint8Array();
        if (bytes.length > 8) failAt(t, 'a character constant can hold at most 8 bytes');
        let v = 0n;
        for (let k = bytes.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[k]);
        return made({ kind: 'num', value: v, pos: posOf(t) }, t.endColumn);
      }
      case 'here':
        return made({ kind: 'here', pos: posOf(t) }, t.endColumn);
      case 'sectionStart':
        return made({ kind: 'sectionStart', pos: posOf(t) }, t.endColumn);
      case 'ident': {
        const lower = t.text.toLowerCase();
        if (!t.escaped && (lookupRegister(lower) !== undefined || lower === 'rip')) {
          const leaf = made(
            { kind: 'sym', name: lower, pos: posOf(t), endColumn: t.endColumn },
            t.endColumn,
          );
          REGISTER_LEAVES.add(leaf);
          return leaf;
        }
        const name = opts.resolveName(t);
        return made({ kind: 'sym', name, pos: posOf(t), endColumn: t.endColumn }, t.endColumn);
      }
      default:
        return failAt(t, 'expected an expression');
    }
  };
  return parse(0, 0);
}

/** First register leaf in `e`, if any. */
export function findRegisterLeaf(e: Expr): Expr | undefined {
  if (isRegisterLeaf(e)) return e;
  if (e.kind === 'unary') return findRegisterLeaf(e.arg);
  if (e.kind === 'binary') return findRegisterLeaf(e.left) ?? findRegisterLeaf(e.right);
  return undefined;
}

/**
 * Parse `text` (one line) as a single expression — a convenience for tests
 * and tools. Identifiers are recorded as written (no local-label prefixing);
 * registers and trailing tokens are errors. Never throws.
 */
export function parseExpression(text: string, line = 1): { expr?: Expr; errors: AsmError[] } {
  const lexed = tokenizeLine(text, line);
  if (lexed.errors.length > 0) return { errors: lexed.errors };
  const cur = new TokenCursor(lexed.tokens);
  try {
    const expr = parseExprAt(cur, { resolveName: (t) => t.text });
    const reg = findRegisterLeaf(expr);
    if (reg !== undefined && reg.kind === 'sym') {
      failAt(
        { ...reg.pos, endColumn: reg.endColumn },
        `register '${reg.name}' cannot be used in an expression`,
      );
    }
    if (!cur.atEol()) failAt(cur.peek(), 'expected end of line');
    return { expr, errors: [] };
  } catch (e) {
    if (e instanceof ParseFailure) return { errors: [e.error] };
    return {
      errors: [
        {
          line,
          column: 1,
          endColumn: Math.max(2, text.length + 1),
          message: 'internal assembler error',
        },
      ],
    };
  }
}

/** What an expression's names and `$`/`$$` mean during evaluation. */
export interface EvalContext {
  /** Value of a label or `equ` name (global form), undefined if not defined. */
  lookup(name: string): bigint | undefined;
  /** Value of `$`: address of the current statement. */
  here: bigint;
  /** Value of `$$`: start of the section (the origin). */
  sectionStart: bigint;
  /** True if `name` is an address label (not an `equ` constant). */
  isLabel?(name: string): boolean;
}

/**
 * Result of {@link evalExpr}. `value` is a signed 64-bit value
 * (−2^63 ≤ value < 2^63). `usesLabels` is true if the expression mentions
 * `$`, `$$` or a name for which `ctx.isLabel` is true.
 */
export type EvalResult =
  { ok: true; value: bigint; usesLabels: boolean } | { ok: false; error: AsmError };

const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

class EvalFailure {
  constructor(readonly error: AsmError) {}
}

/**
 * Evaluate `expr` with 64-bit two's-complement wrap-around after every
 * operation; shift counts are taken mod 64. Errors (the first one, left to
 * right): "label 'x' is not defined", "division by zero". Never throws.
 */
export function evalExpr(expr: Expr, ctx: EvalContext): EvalResult {
  let usesLabels = false;
  const ev = (e: Expr): bigint => {
    switch (e.kind) {
      case 'num':
        return s64(e.value);
      case 'here':
        usesLabels = true;
        return s64(ctx.here);
      case 'sectionStart':
        usesLabels = true;
        return s64(ctx.sectionStart);
      case 'sym': {
        const v = ctx.lookup(e.name);
        if (v === undefined) {
          throw new EvalFailure({
            ...e.pos,
            endColumn: e.endColumn,
            message: `label '${e.name}' is not defined`,
          });
        }
        if (ctx.isLabel?.(e.name) === true) usesLabels = true;
        return s64(v);
      }
      case 'unary': {
        const a = ev(e.arg);
        if (e.op === '-') return s64(-a);
        if (e.op === '~') return s64(~a);
        if (e.op === '!') return a === 0n ? 1n : 0n;
        return a;
      }
      case 'binary': {
        const a = ev(e.left);
        const b = ev(e.right);
        switch (e.op) {
          case '+':
            return s64(a + b);
          case '-':
            return s64(a - b);
          case '*':
            return s64(a * b);
          case '&':
            return s64(a & b);
          case '|':
            return s64(a | b);
          case '^':
            return s64(a ^ b);
          case '<<':
            return s64(a << (b & 63n));
          case '>>':
            return s64(u64(a) >> (b & 63n));
          default: {
            if (b === 0n) {
              throw new EvalFailure({
                ...e.pos,
                endColumn: exprEndColumn(e),
                message: 'division by zero',
              });
            }
            if (e.op === '/') return s64(u64(a) / u64(b));
            if (e.op === '%') return s64(u64(a) % u64(b));
            if (e.op === '//') return s64(a / b);
            return s64(a % b);
          }
        }
      }
    }
  };
  try {
    const value = ev(expr);
    return { ok: true, value, usesLabels };
  } catch (err) {
    if (err instanceof EvalFailure) return { ok: false, error: err.error };
    const at = expr.pos;
    return {
      ok: false,
      error: {
        line: at.line,
        column: at.column,
        endColumn: at.column + 1,
        message: 'expression is too complex',
      },
    };
  }
}

/** Names (`sym` nodes, global form) referenced by `expr`, each once, in order of appearance. */
export function exprSymbols(expr: Expr): string[] {
  const out: string[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'sym' && !out.includes(e.name)) out.push(e.name);
    else if (e.kind === 'unary') walk(e.arg);
    else if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(expr);
  return out;
}

/**
 * Does `expr` stay an address after layout — GNU as's "relocatable" rather
 * than "absolute"? `$`, `$$` and names for which `isLabel` is true count as
 * addresses in one section; the expression is relocatable unless those
 * cancel out linearly. So `L2 - L1` and `$ - $$` are absolute (a constant
 * GNU as may encode in a short immediate), while `L + 4`, `2*L` or `L & 3`
 * are relocatable. Never throws (too-deep trees count as relocatable).
 */
export function exprIsRelocatable(expr: Expr, isLabel: (name: string) => boolean): boolean {
  /** Net coefficient of addresses in `e`, or null when not linear in them. */
  const coef = (e: Expr): bigint | null => {
    switch (e.kind) {
      case 'num':
        return 0n;
      case 'here':
      case 'sectionStart':
        return 1n;
      case 'sym':
        return isLabel(e.name) ? 1n : 0n;
      case 'unary': {
        const a = coef(e.arg);
        if (a === null) return null;
        if (e.op === '-' || e.op === '~') return -a;
        return e.op === '+' || a === 0n ? a : null;
      }
      case 'binary': {
        const a = coef(e.left);
        const b = coef(e.right);
        if (a === null || b === null) return null;
        if (e.op === '+') return a + b;
        if (e.op === '-') return a - b;
        return a === 0n && b === 0n ? 0n : null;
      }
    }
  };
  try {
    return coef(expr) !== 0n;
  } catch {
    return true;
  }
}
