/**
 * The assembler's parse tree: what the front end (lexer, parser) hands to the
 * layout and encoding passes. Plain data; positions are 1-based line/column
 * into the source text so every later error can point at the exact token.
 *
 * Contract: the parser never evaluates label values (they are not known until
 * layout); it resolves local labels (`.loop` after `main:` becomes
 * `main.loop`) and records every expression as an {@link Expr} tree.
 */

/** A source position: 1-based line and column (column counts UTF-16 units). */
export interface SourcePos {
  line: number;
  column: number;
}

/** A problem in the program, pointing at the token that caused it. */
export interface AsmError extends SourcePos {
  /** Column just past the offending token (exclusive), for editor markers. */
  endColumn: number;
  /** A sentence a student understands, e.g. "label 'loop1' is not defined". */
  message: string;
}

/** Constant expression tree (NASM operators and precedence). */
export type Expr =
  | { kind: 'num'; value: bigint; pos: SourcePos }
  /** A label or `equ` name, already made global (`main.loop`). */
  | { kind: 'sym'; name: string; pos: SourcePos; endColumn: number }
  /** `$`: the address of the start of the current line's statement. */
  | { kind: 'here'; pos: SourcePos }
  /** `$$`: the address of the start of the section (the origin). */
  | { kind: 'sectionStart'; pos: SourcePos }
  | { kind: 'unary'; op: '-' | '+' | '~' | '!'; arg: Expr; pos: SourcePos }
  | {
      kind: 'binary';
      /** `/` and `%` are unsigned, `//` and `%%` signed (NASM). */
      op: '+' | '-' | '*' | '/' | '//' | '%' | '%%' | '<<' | '>>' | '&' | '|' | '^';
      left: Expr;
      right: Expr;
      pos: SourcePos;
    };

/** Operand width in bits. */
export type OperandSize = 8 | 16 | 32 | 64;

/** A register operand, as named in the source (lower-cased). */
export interface RegOperand {
  kind: 'reg';
  /** Lower-case register name, e.g. `rax`, `r8d`, `ah`, `ds`, `cr3`. */
  name: string;
  pos: SourcePos;
  endColumn: number;
}

/** An immediate (or a jump/call target, which is an immediate address). */
export interface ImmOperand {
  kind: 'imm';
  expr: Expr;
  /** `short` / `near` written before a jump target, if any. */
  jumpHint?: 'short' | 'near';
  /**
   * A size keyword written before the immediate (`push word 5`): the
   * operation size when no register or memory operand gives one; it must
   * agree with the size they give.
   */
  size?: OperandSize;
  pos: SourcePos;
  endColumn: number;
}

/**
 * A memory operand `size [seg: base + index*scale + disp]`.
 * The parser splits the bracket expression into registers and one
 * displacement expression; NASM's `[rax*3]` is already rewritten to
 * base rax + index rax*2.
 */
export interface MemOperand {
  kind: 'mem';
  /** From `byte`/`word`/`dword`/`qword` (optionally followed by `ptr`). */
  size?: OperandSize;
  /** Lower-case base register name, if any. */
  base?: string;
  /** Lower-case index register name, if any. */
  index?: string;
  scale: 1 | 2 | 4 | 8;
  /** Displacement expression (labels allowed), if any. */
  disp?: Expr;
  /** `[rel label]`: RIP-relative addressing. */
  rel: boolean;
  /** Segment override (`fs:`/`gs:` …), lower-case, if written. */
  seg?: string;
  pos: SourcePos;
  endColumn: number;
}

export type Operand = RegOperand | ImmOperand | MemOperand;

/** `rep`/`repe`/`repz`/`repne`/`repnz`/`lock` written before a mnemonic. */
export type PrefixKeyword = 'rep' | 'repe' | 'repz' | 'repne' | 'repnz' | 'lock';

/** One item of a `db`/`dw`/`dd`/`dq` list: an expression or a string. */
export type DataItem =
  | { kind: 'expr'; expr: Expr; pos: SourcePos; endColumn: number }
  | { kind: 'string'; bytes: Uint8Array; pos: SourcePos; endColumn: number };

/**
 * One statement. A source line may carry a label and one statement.
 * `times` wraps another statement (`times 4 db 0`, `times 3 nop`).
 */
export type Statement =
  | { kind: 'label'; name: string; pos: SourcePos; endColumn: number }
  | {
      kind: 'insn';
      prefixes: PrefixKeyword[];
      /** Lower-case mnemonic as written (aliases such as `jz` kept). */
      mnemonic: string;
      operands: Operand[];
      pos: SourcePos;
      endColumn: number;
    }
  | {
      kind: 'data';
      /** Element width in bytes: db=1, dw=2, dd=4, dq=8. */
      width: 1 | 2 | 4 | 8;
      items: DataItem[];
      pos: SourcePos;
      endColumn: number;
    }
  /** `resb/resw/resd/resq n`: n zero-filled elements. */
  | { kind: 'reserve'; width: 1 | 2 | 4 | 8; count: Expr; pos: SourcePos; endColumn: number }
  | { kind: 'times'; count: Expr; body: Statement; pos: SourcePos; endColumn: number }
  | { kind: 'equ'; name: string; expr: Expr; pos: SourcePos; endColumn: number }
  /** `align n` pads with 0x90 (NOP), as NASM does in a code section. */
  | { kind: 'align'; boundary: Expr; pos: SourcePos; endColumn: number }
  | { kind: 'org'; expr: Expr; pos: SourcePos; endColumn: number };

/** The parser's result: statements in source order, and every syntax error. */
export interface ParseResult {
  statements: Statement[];
  errors: AsmError[];
}
