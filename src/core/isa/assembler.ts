/**
 * The assembler driver: parse, then lay the program out in passes until
 * every address settles, encoding each instruction through the opcode table.
 *
 * Branch relaxation works as in GNU as: every jump to a label starts in its
 * 2-byte rel8 form and grows to rel32 (never back) when its target is out
 * of reach; passes repeat until no jump grows and no label moves. A jump to
 * a plain number (no label, no `$`) is never relaxed: GNU as emits the
 * rel32 form for it, and so do we.
 *
 * Contract: never throws. All errors are collected with line and column; on
 * any error `ok` is false and `bytes` is empty.
 */
import type { AsmError, DataItem, Expr, Operand, SourcePos, Statement } from './ast';
import { fitsEither, showValue } from './bits';
import { encodeInsn, type EncodeRequest } from './encoder';
import { evalExpr, exprSymbols } from './expr';
import type { ResolvedOperand } from './operandMatch';
import { parseProgram } from './parser';
import { OPCODE_TABLE } from './opcodeTable';
import { lookupRegister } from './registers';
import type { AssembleOptions, AssembleResult, SourceMapEntry, SymbolInfo } from './results';

/** DESIGN.md §5: programs are assembled at 0x10000 unless they say `org`. */
export const DEFAULT_ORIGIN = 0x10000;
/** The largest image the assembler will produce. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
const MAX_PASSES = 40;

const WIDTH_NAME: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

interface Defs {
  /** Statement index defining each label. */
  labels: Map<string, number>;
  /** Statement index defining each equ, and its source line. */
  equs: Map<string, number>;
}

/** The state of one layout pass. */
interface Pass {
  addr: number;
  labels: Map<string, bigint>;
  equs: Map<string, bigint>;
  /** equ names whose value involves a label or `$` (relocatable in GNU as). */
  equRelocatable: Set<string>;
  errors: AsmError[];
  chunks: number[][];
  map: SourceMapEntry[];
  /**
   * GNU as's "frag" number: it starts a new one after each relaxable jump
   * and each `align`, since the distance across those is not known while
   * parsing. A label difference is a constant only within one frag.
   */
  frag: number;
  labelFrag: Map<string, number>;
  /** A forward name had no value yet, so this pass's layout is provisional. */
  provisional: boolean;
  relaxed: boolean;
  tooBig: boolean;
}

function errAt(pos: SourcePos, endColumn: number, message: string): AsmError {
  return { line: pos.line, column: pos.column, endColumn, message };
}

function collectDefs(statements: readonly Statement[]): Defs {
  const labels = new Map<string, number>();
  const equs = new Map<string, number>();
  statements.forEach((s, i) => {
    if (s.kind === 'label' && !labels.has(s.name)) labels.set(s.name, i);
    if (s.kind === 'equ' && !equs.has(s.name)) equs.set(s.name, i);
  });
  return { labels, equs };
}

function hasSectionStart(e: Expr): boolean {
  if (e.kind === 'sectionStart') return true;
  if (e.kind === 'unary') return hasSectionStart(e.arg);
  if (e.kind === 'binary') return hasSectionStart(e.left) || hasSectionStart(e.right);
  return false;
}

function usesHere(e: Expr): boolean {
  switch (e.kind) {
    case 'here':
    case 'sectionStart':
      return true;
    case 'unary':
      return usesHere(e.arg);
    case 'binary':
      return usesHere(e.left) || usesHere(e.right);
    default:
      return false;
  }
}

class Layout {
  private pass!: Pass;
  /** Statement indices of branches that need their rel32 form. */
  private readonly long = new Set<number>();
  /** Statement indices of jumps GNU as would relax (each ends a frag). */
  private readonly relaxable = new Set<number>();
  private prevLabels = new Map<string, bigint>();
  private prevEqus = new Map<string, bigint>();

  constructor(
    private readonly statements: readonly Statement[],
    private readonly defs: Defs,
    private readonly origin: number,
  ) {}

  /** Run passes until the layout settles; returns the last pass. */
  run(): Pass {
    for (let n = 0; n < MAX_PASSES; n++) {
      this.runPass();
      const p = this.pass;
      const settled = !p.provisional && !p.relaxed && sameMap(p.labels, this.prevLabels);
      this.prevLabels = p.labels;
      this.prevEqus = p.equs;
      if (settled || p.tooBig) return p;
    }
    const p = this.pass;
    p.errors.push({
      line: 1,
      column: 1,
      endColumn: 2,
      message:
        'the layout does not settle: a times or align count depends on addresses that it changes',
    });
    return p;
  }

  private runPass(): void {
    this.pass = {
      addr: this.origin,
      labels: new Map(),
      equs: new Map(),
      equRelocatable: new Set(),
      errors: [],
      chunks: [],
      map: [],
      provisional: false,
      relaxed: false,
      tooBig: false,
      frag: 0,
      labelFrag: new Map(),
    };
    this.statements.forEach((s, i) => this.place(s, i));
  }

  /** Evaluate `e` at statement `index`; `here` is the statement's address. */
  private evaluate(
    e: Expr,
    index: number,
    here: number,
  ): { value: bigint; known: boolean; absolute: boolean; resolved: boolean } | AsmError {
    const p = this.pass;
    let resolved = true;
    const r = evalExpr(e, {
      here: BigInt(here),
      sectionStart: BigInt(this.origin),
      lookup: (name) => {
        const own = p.labels.get(name) ?? p.equs.get(name);
        if (own !== undefined) return own;
        if (!this.defs.labels.has(name) && !this.defs.equs.has(name)) return undefined;
        const prev = this.prevLabels.get(name) ?? this.prevEqus.get(name);
        if (prev !== undefined) return prev;
        resolved = false;
        p.provisional = true;
        return BigInt(here);
      },
      isLabel: (name) => this.defs.labels.has(name) || p.equRelocatable.has(name),
    });
    if (!r.ok) return r.error;
    const names = exprSymbols(e);
    const absolute = !r.usesLabels && !usesHere(e);
    const earlierEqu = (n: string): boolean => {
      const at = this.defs.equs.get(n);
      return at !== undefined && at < index && !p.equRelocatable.has(n);
    };
    let known = absolute && names.every(earlierEqu);
    if (!absolute && resolved)
      known = this.isFoldedDifference(e, names, index, here, r.value, earlierEqu);
    return { value: r.value, known, absolute, resolved };
  }

  /**
   * GNU as folds an expression of labels to a constant at parse time when
   * the labels cancel out (`end - start`, `$ - msg`) and every label is
   * already placed in the current frag; it then picks short encodings for
   * it like for a number. Check: same value with every address shifted,
   * and all labels earlier and in this frag.
   */
  private isFoldedDifference(
    e: Expr,
    names: string[],
    index: number,
    here: number,
    value: bigint,
    earlierEqu: (n: string) => boolean,
  ): boolean {
    const p = this.pass;
    const shift = 0x10000000n;
    for (const n of names) {
      if (this.defs.labels.has(n)) {
        const at = this.defs.labels.get(n) as number;
        if (at >= index || p.labelFrag.get(n) !== p.frag) return false;
      } else if (!earlierEqu(n)) {
        return false;
      }
    }
    if (hasSectionStart(e) && p.frag !== 0) return false;
    const shifted = evalExpr(e, {
      here: BigInt(here) + shift,
      sectionStart: BigInt(this.origin) + shift,
      lookup: (n) => {
        const lab = p.labels.get(n);
        if (lab !== undefined) return lab + shift;
        return p.equs.get(n);
      },
    });
    return shifted.ok && shifted.value === value;
  }

  private emit(bytes: number[], s: Statement, isInsn: boolean): void {
    const p = this.pass;
    p.map.push({ address: p.addr, length: bytes.length, line: s.pos.line, isInsn });
    p.chunks.push(bytes);
    p.addr += bytes.length;
    if (p.addr - this.origin > MAX_IMAGE_BYTES && !p.tooBig) {
      p.tooBig = true;
      p.errors.push(
        errAt(s.pos, s.endColumn, `the program is larger than ${MAX_IMAGE_BYTES >> 20} MiB`),
      );
    }
  }

  private place(s: Statement, index: number): void {
    const p = this.pass;
    if (p.tooBig) return;
    switch (s.kind) {
      case 'label':
        p.labels.set(s.name, BigInt(p.addr));
        p.labelFrag.set(s.name, p.frag);
        return;
      case 'equ': {
        const v = this.evaluate(s.expr, index, p.addr);
        if ('message' in v) {
          p.errors.push(v);
          p.equs.set(s.name, 0n);
        } else {
          p.equs.set(s.name, v.value);
          if (!v.absolute && !v.known) p.equRelocatable.add(s.name);
        }
        return;
      }
      case 'org':
        return;
      case 'align': {
        const v = this.evaluate(s.boundary, index, p.addr);
        if ('message' in v) return void p.errors.push(v);
        const n = v.value;
        if (n <= 0n || (n & (n - 1n)) !== 0n || n > 1n << 20n) {
          p.errors.push(
            errAt(
              s.pos,
              s.endColumn,
              `align needs a power of two up to 1 MiB, not ${showValue(n)}`,
            ),
          );
          return;
        }
        const pad = Number((n - (BigInt(p.addr) % n)) % n);
        this.emit(new Array<number>(pad).fill(0x90), s, false);
        p.frag++;
        return;
      }
      case 'times': {
        const v = this.evaluate(s.count, index, p.addr);
        if ('message' in v) return void p.errors.push(v);
        if (v.value < 0n) {
          if (v.resolved)
            p.errors.push(errAt(s.pos, s.endColumn, `times count ${v.value} is negative`));
          return;
        }
        if (v.value > BigInt(MAX_IMAGE_BYTES)) {
          p.errors.push(
            errAt(s.pos, s.endColumn, `times count ${showValue(v.value)} is too large`),
          );
          return;
        }
        const start = p.addr;
        const out: number[] = [];
        for (let k = 0n; k < v.value && !p.tooBig; k++) {
          const at = start + out.length;
          const bytes = this.statementBytes(s.body, index, at, at);
          if (!bytes) break;
          out.push(...bytes);
          if (out.length > MAX_IMAGE_BYTES) break;
        }
        this.emit(out, s, s.body.kind === 'insn');
        return;
      }
      case 'insn':
      case 'data':
      case 'reserve': {
        const bytes = this.statementBytes(s, index, p.addr, p.addr);
        this.emit(bytes ?? [], s, s.kind === 'insn');
        if (s.kind === 'insn' && this.relaxable.has(index)) p.frag++;
        return;
      }
    }
  }

  /**
   * Bytes of an instruction or data statement placed at `addr`; `here` is
   * the value of `$` there (in a `times` body, the start of each
   * repetition). Undefined after an error (already recorded).
   */
  private statementBytes(
    s: Statement,
    index: number,
    addr: number,
    here: number,
  ): number[] | undefined {
    switch (s.kind) {
      case 'insn':
        return this.insnBytes(s, index, addr, here);
      case 'data':
        return this.dataBytes(s.width, s.items, index, here);
      case 'reserve': {
        const v = this.evaluate(s.count, index, here);
        if ('message' in v) return void this.pass.errors.push(v);
        if (v.value < 0n || v.value * BigInt(s.width) > BigInt(MAX_IMAGE_BYTES)) {
          this.pass.errors.push(
            errAt(s.pos, s.endColumn, `reserve count ${showValue(v.value)} is out of range`),
          );
          return undefined;
        }
        return new Array<number>(Number(v.value) * s.width).fill(0);
      }
      default:
        this.pass.errors.push(
          errAt(s.pos, s.endColumn, 'times can only repeat an instruction or data'),
        );
        return undefined;
    }
  }

  private dataBytes(
    width: 1 | 2 | 4 | 8,
    items: readonly DataItem[],
    index: number,
    here: number,
  ): number[] | undefined {
    const out: number[] = [];
    for (const item of items) {
      if (item.kind === 'string') {
        out.push(...item.bytes);
        const pad = (width - (item.bytes.length % width)) % width;
        for (let k = 0; k < pad; k++) out.push(0);
        continue;
      }
      const v = this.evaluate(item.expr, index, here);
      if ('message' in v) {
        this.pass.errors.push(v);
        return undefined;
      }
      if (v.resolved && !fitsEither(v.value, width * 8)) {
        this.pass.errors.push(
          errAt(
            item.pos,
            item.endColumn,
            `value ${showValue(v.value)} does not fit in a ${WIDTH_NAME[width]}`,
          ),
        );
        return undefined;
      }
      let x = BigInt.asUintN(width * 8, v.value);
      for (let k = 0; k < width; k++) {
        out.push(Number(x & 0xffn));
        x >>= 8n;
      }
    }
    return out;
  }

  private resolveOperand(op: Operand, index: number, here: number): ResolvedOperand | AsmError {
    switch (op.kind) {
      case 'reg': {
        const reg = lookupRegister(op.name);
        if (!reg) return errAt(op.pos, op.endColumn, `'${op.name}' is not a register`);
        return { kind: 'reg', reg, src: op };
      }
      case 'imm': {
        const v = this.evaluate(op.expr, index, here);
        if ('message' in v) return v;
        return { kind: 'imm', ...v, src: op };
      }
      case 'mem': {
        const regOf = (name: string | undefined) => (name ? lookupRegister(name) : undefined);
        let disp = { value: 0n, known: true, resolved: true };
        if (op.disp) {
          const v = this.evaluate(op.disp, index, here);
          if ('message' in v) return v;
          disp = v;
        }
        return {
          kind: 'mem',
          size: op.size,
          base: regOf(op.base),
          index: regOf(op.index),
          scale: op.scale,
          disp: disp.value,
          hasDisp: op.disp !== undefined,
          dispKnown: disp.known,
          resolved: disp.resolved,
          rel: op.rel,
          seg: regOf(op.seg),
          src: op,
        };
      }
    }
  }

  private insnBytes(
    s: Extract<Statement, { kind: 'insn' }>,
    index: number,
    addr: number,
    here: number,
  ): number[] | undefined {
    const p = this.pass;
    const operands: ResolvedOperand[] = [];
    for (const op of s.operands) {
      const r = this.resolveOperand(op, index, here);
      if ('message' in r) {
        p.errors.push(r);
        return undefined;
      }
      operands.push(r);
    }
    const req: EncodeRequest = {
      mnemonic: s.mnemonic,
      prefixes: s.prefixes,
      operands,
      address: addr,
      long: this.long.has(index),
    };
    let r = encodeInsn(req);
    if (!r.ok && r.relax) {
      this.long.add(index);
      p.relaxed = true;
      r = encodeInsn({ ...req, long: true });
    }
    if (r.ok) {
      const target = operands[0];
      const row = OPCODE_TABLE[r.row];
      const branch = row.operands[0] === 'Jb' || row.operands[0] === 'Jz';
      if (
        branch &&
        target?.kind === 'imm' &&
        !target.absolute &&
        s.operands[0].kind === 'imm' &&
        s.operands[0].jumpHint !== 'near'
      ) {
        // Only jmp/jcc relax (call, loop and jrcxz have one form).
        if (
          OPCODE_TABLE.some((x) => x.mnemonic === row.mnemonic && x.operands[0] === 'Jb') &&
          OPCODE_TABLE.some((x) => x.mnemonic === row.mnemonic && x.operands[0] === 'Jz')
        ) {
          this.relaxable.add(index);
        }
      }
      return r.bytes;
    }
    const at = r.operand !== undefined ? s.operands[r.operand] : undefined;
    p.errors.push(
      at ? errAt(at.pos, at.endColumn, r.message) : errAt(s.pos, s.endColumn, r.message),
    );
    return undefined;
  }
}

function sameMap(a: Map<string, bigint>, b: Map<string, bigint>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** The origin from `org` (at most one, a constant). */
function findOrigin(
  statements: readonly Statement[],
  fallback: number,
  errors: AsmError[],
): number {
  const orgs = statements.filter((s): s is Extract<Statement, { kind: 'org' }> => s.kind === 'org');
  if (orgs.length === 0) return fallback;
  for (const extra of orgs.slice(1)) {
    errors.push(
      errAt(extra.pos, extra.endColumn, 'org may appear only once (the image is one flat block)'),
    );
  }
  const r = evalExpr(orgs[0].expr, { here: 0n, sectionStart: 0n, lookup: () => undefined });
  if (!r.ok) {
    errors.push({ ...r.error, message: 'org needs a constant address (no labels)' });
    return fallback;
  }
  if (r.value < 0n || r.value >= 1n << 47n) {
    errors.push(
      errAt(orgs[0].pos, orgs[0].endColumn, `org ${showValue(r.value)} is not a usable address`),
    );
    return fallback;
  }
  return Number(r.value);
}

function byPosition(a: AsmError, b: AsmError): number {
  return a.line - b.line || a.column - b.column;
}

function dedupe(errors: AsmError[]): AsmError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.line}:${e.column}:${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Assemble NASM-flavour Intel-syntax x86-64 source into a flat image, with
 * a source map and symbol table. Never throws.
 */
export function assemble(source: string, options: AssembleOptions = {}): AssembleResult {
  const fallback = options.origin ?? DEFAULT_ORIGIN;
  const fail = (errors: AsmError[]): AssembleResult => ({
    ok: false,
    bytes: new Uint8Array(0),
    origin: fallback,
    entry: fallback,
    sourceMap: [],
    symbols: [],
    errors: dedupe(errors).sort(byPosition),
  });
  try {
    const parsed = parseProgram(source);
    const errors = [...parsed.errors];
    const origin = findOrigin(parsed.statements, fallback, errors);
    const defs = collectDefs(parsed.statements);
    const pass = new Layout(parsed.statements, defs, origin).run();
    errors.push(...pass.errors);
    if (errors.length) return { ...fail(errors), origin };
    const size = pass.chunks.reduce((n, c) => n + c.length, 0);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of pass.chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    const symbols: SymbolInfo[] = [];
    for (const s of parsed.statements) {
      if (s.kind === 'label')
        symbols.push({
          name: s.name,
          value: pass.labels.get(s.name) ?? 0n,
          kind: 'label',
          line: s.pos.line,
        });
      if (s.kind === 'equ')
        symbols.push({
          name: s.name,
          value: pass.equs.get(s.name) ?? 0n,
          kind: 'equ',
          line: s.pos.line,
        });
    }
    const start = pass.labels.get('_start');
    return {
      ok: true,
      bytes,
      origin,
      entry: start !== undefined ? Number(start) : origin,
      sourceMap: pass.map,
      symbols,
      errors: [],
    };
  } catch (e) {
    // A bug in the assembler must not take the page down with it.
    return fail([
      { line: 1, column: 1, endColumn: 2, message: `internal assembler error: ${String(e)}` },
    ]);
  }
}
