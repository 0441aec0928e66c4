/**
 * The assembler's parser: source text → {@link ParseResult} (statements in
 * source order plus every syntax error). NASM-flavoured Intel syntax, one
 * statement per line, optionally preceded by a label (`name:`, or a bare
 * `name` before `db`/`dw`/`dd`/`dq`/`resX`/`equ`/`times`).
 *
 * Contract: total and pure — never throws; an error in one line never stops
 * later lines; a line with an error contributes no statement (except its
 * label, when the label itself is fine). Mnemonics are not validated here.
 * Local labels (`.x`) are made global (`main.x`) with the last non-local
 * label; duplicate label/`equ` names are reported here.
 */
import type {
  AsmError,
  DataItem,
  Expr,
  MemOperand,
  Operand,
  OperandSize,
  ParseResult,
  PrefixKeyword,
  Statement,
} from './ast';
import { lookupRegister } from './registers';
import { type Token, tokenizeLine, splitLines } from './lexer';
import {
  ParseFailure,
  TokenCursor,
  evalExpr,
  exprEndColumn,
  failAt,
  findRegisterLeaf,
  isRegisterLeaf,
  parseExprAt,
} from './expr';

const DATA_WIDTH: Readonly<Record<string, 1 | 2 | 4 | 8>> = { db: 1, dw: 2, dd: 4, dq: 8 };
const RES_WIDTH: Readonly<Record<string, 1 | 2 | 4 | 8>> = { resb: 1, resw: 2, resd: 4, resq: 8 };
const SIZE_BITS: Readonly<Record<string, OperandSize>> = {
  byte: 8,
  word: 16,
  dword: 32,
  qword: 64,
};
const PREFIXES: readonly string[] = ['rep', 'repe', 'repz', 'repne', 'repnz', 'lock'];
/** Words after which a bare (colon-less) name is a label, as in NASM. */
const BARE_LABEL_FOLLOWERS: readonly string[] = [
  ...Object.keys(DATA_WIDTH),
  ...Object.keys(RES_WIDTH),
  'equ',
  'times',
];
/** Words that start a statement themselves, so never a bare label. */
const KEYWORDS: readonly string[] = [
  ...BARE_LABEL_FOLLOWERS,
  ...PREFIXES,
  'align',
  'org',
  'bits',
  'use16',
  'use32',
  'use64',
  'section',
  'segment',
  'global',
  'extern',
  'default',
];
const SREGS: readonly string[] = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

type Span = { line: number; column: number; endColumn: number };
const spanOf = (e: Expr): Span => ({
  line: e.pos.line,
  column: e.pos.column,
  endColumn: exprEndColumn(e),
});
const BINARY_OPS: readonly string[] = [
  '|',
  '^',
  '&',
  '<<',
  '>>',
  '+',
  '-',
  '*',
  '/',
  '//',
  '%',
  '%%',
];

/** Parse a whole program. See the module comment for the contract. */
export function parseProgram(source: string): ParseResult {
  const p = new ProgramParser();
  splitLines(source).forEach((text, i) => p.parseLine(text, i + 1));
  return { statements: p.statements, errors: p.errors };
}

class ProgramParser {
  statements: Statement[] = [];
  errors: AsmError[] = [];
  /** The last non-local label: the prefix for `.local` names. */
  private scope: string | undefined;
  private defined = new Set<string>();
  private cur = new TokenCursor([]);

  parseLine(text: string, line: number): void {
    const lexed = tokenizeLine(text, line);
    this.cur = new TokenCursor(lexed.tokens);
    let lexErrors = lexed.errors;
    const lineErrors: AsmError[] = [];
    try {
      const wasEqu = this.parseLabel(lexErrors, lineErrors);
      const kw = this.cur.peek();
      // `section .data align=16`: attributes are ignored, whatever they hold.
      if (this.cur.isWord(['section', 'segment']))
        lexErrors = lexErrors.filter((e) => e.column < kw.column);
      if (lexErrors.length === 0 && !wasEqu && !this.cur.atEol()) {
        const stmt = this.parseStatement('line');
        if (stmt !== undefined) this.statements.push(stmt);
      }
    } catch (e) {
      if (e instanceof ParseFailure) lineErrors.push(e.error);
      else
        lineErrors.push({
          line,
          column: 1,
          endColumn: Math.max(2, text.length + 1),
          message: `internal assembler error: ${String(e)}`,
        });
    }
    this.errors.push(...[...lexErrors, ...lineErrors].sort((a, b) => a.column - b.column));
  }

  /** Global form of a label name written as `tok`; throws for an orphan local. */
  private resolve(tok: Token): string {
    const name = tok.text;
    if (!name.startsWith('.') || name.startsWith('..')) return name;
    if (this.scope === undefined)
      failAt(tok, `local label '${name}' has no preceding non-local label`);
    return this.scope + name;
  }

  private define(tok: Token, name: string, lineErrors: AsmError[]): boolean {
    if (this.defined.has(name)) {
      lineErrors.push({
        line: tok.line,
        column: tok.column,
        endColumn: tok.endColumn,
        message: `label '${name}' is already defined`,
      });
      return false;
    }
    this.defined.add(name);
    return true;
  }

  /**
   * Consume a leading label (and handle `name equ expr` entirely).
   * Returns true if the line was an `equ`. Not-fatal errors go to lineErrors.
   */
  private parseLabel(lexErrors: AsmError[], lineErrors: AsmError[]): boolean {
    const c = this.cur;
    const t = c.peek();
    if (t.kind !== 'ident') return false;
    const colon = c.isPunct(':', 1);
    const bare =
      !colon &&
      !c.isWord(KEYWORDS) &&
      c.isWord(BARE_LABEL_FOLLOWERS, 1) &&
      lookupRegister(t.text) === undefined;
    const isEqu = c.isWord(['equ'], colon ? 2 : 1) && !c.isWord(KEYWORDS);
    if (!colon && !bare && !isEqu) return false;
    const labelEnd = colon ? c.peek(1).endColumn : t.endColumn;
    if (lexErrors.some((e) => e.column < labelEnd)) return false;
    if (!t.escaped && lookupRegister(t.text) !== undefined) {
      failAt(t, `'${t.text}' is a register name and cannot be a label`);
    }
    const name = this.resolve(t);
    c.next();
    if (colon) c.next();
    if (isEqu) {
      if (lexErrors.length > 0) return true;
      const kw = c.next();
      const expr = this.expr();
      this.expectEol('expected end of line');
      if (this.define(t, name, lineErrors)) {
        this.statements.push({
          kind: 'equ',
          name,
          expr,
          pos: { line: t.line, column: t.column },
          endColumn: exprEnd(expr, kw),
        });
      }
      return true;
    }
    if (!t.text.startsWith('.')) this.scope = name;
    if (this.define(t, name, lineErrors)) {
      this.statements.push({
        kind: 'label',
        name,
        pos: { line: t.line, column: t.column },
        endColumn: labelEnd,
      });
    }
    return false;
  }

  private expr(): Expr {
    const e = parseExprAt(this.cur, { resolveName: (t) => this.resolve(t) });
    const reg = findRegisterLeaf(e);
    if (reg !== undefined && reg.kind === 'sym') {
      failAt(spanOf(reg), `register '${reg.name}' cannot be used in an expression`);
    }
    return e;
  }

  private expectEol(message: string): void {
    if (!this.cur.atEol()) failAt(this.cur.peek(), message);
  }

  /** Column just past the last token of the line. */
  private lineEnd(): number {
    return this.cur.tokens[this.cur.tokens.length - 1].column;
  }

  /**
   * One statement from the cursor to the end of the line (`mode` 'times':
   * the body of a `times`; 'bracket': inside `[bits 64]`/`[section …]`).
   */
  private parseStatement(mode: 'line' | 'times' | 'bracket'): Statement | undefined {
    const c = this.cur;
    const t = c.peek();
    const pos = { line: t.line, column: t.column };
    const inTimes = mode === 'times';
    if (
      t.kind === 'punct' &&
      t.text === '[' &&
      mode === 'line' &&
      c.isWord(['bits', 'section', 'segment'], 1)
    ) {
      c.next();
      this.parseStatement('bracket');
      if (!c.isPunct(']')) failAt(c.peek(), "missing ']'");
      c.next();
      this.expectEol('expected end of line');
      return undefined;
    }
    if (t.kind !== 'ident') failAt(t, 'expected a label or an instruction');
    const kw = t.escaped === true ? '' : t.text.toLowerCase();
    if (
      inTimes &&
      KEYWORDS.includes(kw) &&
      !(kw in DATA_WIDTH) &&
      !(kw in RES_WIDTH) &&
      !PREFIXES.includes(kw)
    ) {
      failAt(t, 'times can only repeat an instruction or data');
    }
    if (kw in DATA_WIDTH) {
      c.next();
      const width = DATA_WIDTH[kw];
      const items: DataItem[] = [];
      for (;;) {
        const s = c.peek();
        if (s.kind === 'string' && (c.isPunct(',', 1) || c.peek(1).kind === 'eol')) {
          c.next();
          const raw = s.bytes ?? new Uint8Array();
          const bytes = new Uint8Array(Math.ceil(raw.length / width) * width);
          bytes.set(raw);
          items.push({
            kind: 'string',
            bytes,
            pos: { line: s.line, column: s.column },
            endColumn: s.endColumn,
          });
        } else {
          const expr = this.expr();
          items.push({ kind: 'expr', expr, pos: expr.pos, endColumn: exprEnd(expr, s) });
        }
        if (!c.isPunct(',')) break;
        c.next();
      }
      this.expectEol("expected ',' or end of line");
      return { kind: 'data', width, items, pos, endColumn: this.lineEnd() };
    }
    if (kw in RES_WIDTH) {
      c.next();
      const count = this.expr();
      this.expectEol('expected end of line');
      return { kind: 'reserve', width: RES_WIDTH[kw], count, pos, endColumn: this.lineEnd() };
    }
    switch (kw) {
      case 'times': {
        c.next();
        const count = this.expr();
        if (c.atEol()) failAt(c.peek(), "'times' needs an instruction or data after the count");
        const body = this.parseStatement('times');
        if (body === undefined) return undefined;
        return { kind: 'times', count, body, pos, endColumn: this.lineEnd() };
      }
      case 'equ':
        return failAt(t, "'equ' needs a name: write 'name equ value'");
      case 'align':
      case 'org': {
        c.next();
        const e = this.expr();
        this.expectEol('expected end of line');
        return kw === 'align'
          ? { kind: 'align', boundary: e, pos, endColumn: this.lineEnd() }
          : { kind: 'org', expr: e, pos, endColumn: this.lineEnd() };
      }
      case 'bits': {
        c.next();
        const v = c.peek();
        if (v.kind !== 'number' || v.value !== 64n)
          failAt(v.kind === 'eol' ? t : v, 'only 64-bit code is supported');
        c.next();
        if (mode !== 'bracket') this.expectEol('expected end of line');
        return undefined;
      }
      case 'use16':
      case 'use32':
        return failAt(t, 'only 64-bit code is supported');
      case 'use64':
        c.next();
        this.expectEol('expected end of line');
        return undefined;
      case 'section':
      case 'segment':
        c.next();
        while (!c.atEol() && !(mode === 'bracket' && c.isPunct(']'))) c.next();
        return undefined;
      case 'global':
        return undefined;
      case 'extern':
        return failAt(t, 'extern symbols need a linker; this assembler makes a flat binary');
      case 'default':
        return failAt(
          t,
          "'default' is not supported; write [rel label] for RIP-relative addressing",
        );
    }
    return this.parseInsn();
  }

  private parseInsn(): Statement {
    const c = this.cur;
    const first = c.peek();
    const prefixes: PrefixKeyword[] = [];
    while (c.isWord(PREFIXES)) {
      const p = c.next();
      prefixes.push(p.text.toLowerCase() as PrefixKeyword);
      const m = c.peek();
      if (m.kind !== 'ident' || c.isWord(KEYWORDS.filter((k) => !PREFIXES.includes(k)))) {
        failAt(
          m.kind === 'eol' ? p : m,
          `'${p.text.toLowerCase()}' must be followed by an instruction on the same line`,
        );
      }
    }
    const mn = c.next();
    if (c.isPunct(':')) failAt(c.peek(), 'only one label is allowed per line');
    const operands: Operand[] = [];
    if (!c.atEol()) {
      for (;;) {
        operands.push(this.parseOperand());
        if (!c.isPunct(',')) break;
        c.next();
      }
      this.expectEol("expected ',' or end of line");
    }
    return {
      kind: 'insn',
      prefixes,
      mnemonic: mn.text.toLowerCase(),
      operands,
      pos: { line: first.line, column: first.column },
      endColumn: this.lineEnd(),
    };
  }

  private parseOperand(): Operand {
    const c = this.cur;
    const start = c.peek();
    const pos = { line: start.line, column: start.column };
    let size: OperandSize | undefined;
    let sizeTok: Token | undefined;
    let jumpHint: 'short' | 'near' | undefined;
    if (c.isWord(Object.keys(SIZE_BITS))) {
      sizeTok = c.next();
      size = SIZE_BITS[sizeTok.text.toLowerCase()];
      if (c.isWord(['ptr'])) c.next();
    }
    if (c.isWord(['short', 'near'])) jumpHint = c.next().text.toLowerCase() as 'short' | 'near';
    let seg: string | undefined;
    if (c.isWord(SREGS) && c.isPunct(':', 1)) {
      seg = c.next().text.toLowerCase();
      c.next();
      if (!c.isPunct('[')) failAt(c.peek(), `expected '[' after '${seg}:'`);
    }
    if (c.isPunct('[')) return this.parseMemory(pos, size, seg);
    const t = c.peek();
    const reg = t.kind === 'ident' && !t.escaped ? lookupRegister(t.text) : undefined;
    const after = c.peek(1);
    if (reg !== undefined && !(after.kind === 'punct' && BINARY_OPS.includes(after.text))) {
      c.next();
      if (jumpHint !== undefined) failAt(t, `'${jumpHint}' needs a jump target, not a register`);
      if (size !== undefined && sizeTok !== undefined && size !== reg.size) {
        failAt(
          sizeTok,
          `'${sizeTok.text.toLowerCase()}' does not match the ${reg.size}-bit register '${reg.name}'`,
        );
      }
      return {
        kind: 'reg',
        name: reg.name,
        pos: { line: t.line, column: t.column },
        endColumn: t.endColumn,
      };
    }
    const expr = this.expr();
    const imm: Operand = { kind: 'imm', expr, pos, endColumn: exprEnd(expr, t) };
    if (jumpHint !== undefined) imm.jumpHint = jumpHint;
    if (size !== undefined) imm.size = size;
    return imm;
  }

  /** `[ rel|abs  seg:  base + index*scale + disp ]`, cursor on `[`. */
  private parseMemory(
    pos: { line: number; column: number },
    size: OperandSize | undefined,
    seg: string | undefined,
  ): MemOperand {
    const c = this.cur;
    c.next();
    let rel = false;
    let relTok: Token | undefined;
    for (;;) {
      if (c.isWord(['rel', 'abs'])) {
        relTok = c.next();
        rel = relTok.text.toLowerCase() === 'rel';
      } else if (c.isWord(SREGS) && c.isPunct(':', 1)) {
        const s = c.next();
        c.next();
        if (seg !== undefined) failAt(s, 'only one segment override is allowed');
        seg = s.text.toLowerCase();
      } else break;
    }
    const body = parseExprAt(c, { resolveName: (t) => this.resolve(t) });
    if (!c.isPunct(']')) failAt(c.peek(), "missing ']'");
    const close = c.next();
    const m: MemOperand = { kind: 'mem', scale: 1, rel, pos, endColumn: close.endColumn };
    if (size !== undefined) m.size = size;
    if (seg !== undefined) m.seg = seg;
    splitAddress(body, m, relTok);
    return m;
  }
}

/** End column of `e`, at least that of the token where it started. */
function exprEnd(e: Expr, startTok: Token): number {
  return Math.max(startTok.endColumn, exprEndColumn(e));
}

const NOT_ADDED = 'a register can only be added in an address';
type SymExpr = Extract<Expr, { kind: 'sym' }>;
/** One register term of an address; `scale` is -1 when not a plain number. */
interface RegTerm {
  leaf: SymExpr;
  scaled: boolean;
  scale: bigint;
  scaleExpr?: Expr;
}

/** Registers and signed displacement terms of a bracket expression. */
function collectTerms(body: Expr): { regs: RegTerm[]; disp: { e: Expr; neg: boolean }[] } {
  const regs: RegTerm[] = [];
  const disp: { e: Expr; neg: boolean }[] = [];
  const walk = (e: Expr, neg: boolean): void => {
    const inner = findRegisterLeaf(e);
    if (inner === undefined) {
      disp.push({ e, neg });
    } else if (isRegisterLeaf(e)) {
      if (neg) failAt(spanOf(e), NOT_ADDED);
      regs.push({ leaf: e, scaled: false, scale: 1n });
    } else if (e.kind === 'unary' && (e.op === '+' || e.op === '-')) {
      walk(e.arg, e.op === '-' ? !neg : neg);
    } else if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
      walk(e.left, neg);
      walk(e.right, e.op === '-' ? !neg : neg);
    } else if (
      e.kind === 'binary' &&
      e.op === '*' &&
      (isRegisterLeaf(e.left) || isRegisterLeaf(e.right))
    ) {
      const leftIsReg = isRegisterLeaf(e.left);
      const leaf = (leftIsReg ? e.left : e.right) as SymExpr;
      const factor = leftIsReg ? e.right : e.left;
      const other = findRegisterLeaf(factor);
      if (other !== undefined) failAt(spanOf(other), NOT_ADDED);
      if (neg) failAt(spanOf(leaf), NOT_ADDED);
      regs.push({ leaf, scaled: true, scale: constValue(factor) ?? -1n, scaleExpr: factor });
    } else {
      failAt(spanOf(inner), NOT_ADDED);
    }
  };
  walk(body, false);
  return { regs, disp };
}

/**
 * Split a bracket expression into registers and one displacement, filling
 * `m.base`/`m.index`/`m.scale`/`m.disp` (and `m.rel` for `[rip + x]`).
 * Throws {@link ParseFailure} for addresses x86-64 cannot express.
 */
function splitAddress(body: Expr, m: MemOperand, relTok: Token | undefined): void {
  const { regs, disp } = collectTerms(body);
  if (regs.length > 2) failAt(spanOf(regs[2].leaf), 'more than two registers in an address');
  for (const r of regs) {
    const name = r.leaf.name;
    if (name === 'rip') {
      if (regs.length > 1 || r.scaled)
        failAt(spanOf(r.leaf), "'rip' cannot be combined with other registers or a scale");
      m.rel = true;
      continue;
    }
    const info = lookupRegister(name);
    if (info === undefined || info.cls !== 'gpr' || info.size === 8) {
      failAt(spanOf(r.leaf), `register '${name}' cannot be used in an address`);
    }
    if (info.size === 16)
      failAt(spanOf(r.leaf), '16-bit addresses are not supported in 64-bit code');
    if (r.scaled && ![1n, 2n, 3n, 4n, 5n, 8n, 9n].includes(r.scale)) {
      failAt(spanOf(r.scaleExpr ?? r.leaf), 'scale must be 1, 2, 4 or 8');
    }
  }
  const gprs = regs.filter((r) => r.leaf.name !== 'rip');
  if (gprs.length > 0 && m.rel && relTok !== undefined) {
    failAt(relTok, "'rel' cannot be used with registers in the address");
  }
  const odd = gprs.find((r) => r.scale === 3n || r.scale === 5n || r.scale === 9n);
  if (odd !== undefined) {
    // NASM: [rax*3] is [rax + rax*2].
    if (gprs.length > 1) failAt(spanOf(gprs[1].leaf), 'more than two registers in an address');
    m.base = odd.leaf.name;
    m.index = odd.leaf.name;
    m.scale = Number(odd.scale - 1n) as 2 | 4 | 8;
  } else if (gprs.length === 1) {
    if (gprs[0].scaled) {
      m.index = gprs[0].leaf.name;
      m.scale = Number(gprs[0].scale) as 1 | 2 | 4 | 8;
    } else m.base = gprs[0].leaf.name;
  } else if (gprs.length === 2) {
    if (gprs[0].scale !== 1n && gprs[1].scale !== 1n) {
      failAt(spanOf(gprs[1].leaf), 'only one register in an address can have a scale');
    }
    // The one scaled by 2/4/8, else the one written with `*`, else the second, is the index.
    const swap =
      gprs[0].scale !== 1n || (gprs[1].scale === 1n && gprs[0].scaled && !gprs[1].scaled);
    const b = swap ? gprs[1] : gprs[0];
    const x = swap ? gprs[0] : gprs[1];
    m.base = b.leaf.name;
    m.index = x.leaf.name;
    m.scale = Number(x.scale) as 1 | 2 | 4 | 8;
  }
  if (m.index === 'rsp' || m.index === 'esp') {
    const leaf = [...gprs].reverse().find((r) => r.leaf.name === m.index)?.leaf;
    if (m.scale === 1 && m.base !== undefined && m.base !== m.index)
      [m.base, m.index] = [m.index, m.base];
    else
      failAt(leaf !== undefined ? spanOf(leaf) : spanOf(body), 'rsp cannot be an index register');
  }
  if (
    m.base !== undefined &&
    m.index !== undefined &&
    lookupRegister(m.base)?.size !== lookupRegister(m.index)?.size
  ) {
    failAt(spanOf(gprs[1].leaf), 'address registers must be the same size');
  }
  for (const d of disp) {
    const term: Expr =
      d.neg && m.disp === undefined ? { kind: 'unary', op: '-', arg: d.e, pos: d.e.pos } : d.e;
    m.disp =
      m.disp === undefined
        ? term
        : { kind: 'binary', op: d.neg ? '-' : '+', left: m.disp, right: term, pos: m.disp.pos };
  }
}

/** Value of an expression of plain numbers (no names, no `$`), else undefined. */
function constValue(e: Expr): bigint | undefined {
  const r = evalExpr(e, { lookup: () => undefined, here: 0n, sectionStart: 0n });
  return r.ok && !r.usesLabels ? r.value : undefined;
}
