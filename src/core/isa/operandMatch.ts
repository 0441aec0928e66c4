/**
 * Does a row of OPCODE_TABLE accept these operands, and at what operand
 * size? The assembler asks this for each row of a mnemonic in table order
 * and encodes the first row that fits; the reasons a row was refused become
 * the error message when none fits.
 */
import type { ImmOperand, MemOperand, OperandSize, RegOperand } from './ast';
import { fitsEither, fitsSigned, showValue } from './bits';
import { OPCODE_TABLE, type OpcodeRow } from './opcodeTable';
import type { OperandSpec } from './operandSpec';
import type { RegInfo } from './registers';

/** An operand after layout evaluated its expressions. */
export type ResolvedOperand =
  | { kind: 'reg'; reg: RegInfo; src: RegOperand }
  | {
      kind: 'imm';
      value: bigint;
      /**
       * A constant when the statement is reached (numbers and `equ`s defined
       * earlier): GNU as then picks the shortest immediate. Otherwise (labels,
       * `$`, later `equ`s) it reserves the full-size field, and so do we.
       */
      known: boolean;
      /** No label or `$` in it: GNU as never relaxes a jump to such a target. */
      absolute: boolean;
      /** False in an early layout pass when a forward label is not placed yet. */
      resolved: boolean;
      src: ImmOperand;
    }
  | {
      kind: 'mem';
      size?: OperandSize;
      base?: RegInfo;
      index?: RegInfo;
      scale: 1 | 2 | 4 | 8;
      /** The displacement value (for `rel`, the target address). */
      disp: bigint;
      hasDisp: boolean;
      dispKnown: boolean;
      resolved: boolean;
      rel: boolean;
      seg?: RegInfo;
      src: MemOperand;
    };

/** Why a row did not fit; the highest `rank` among the rows tried is reported. */
export interface Refusal {
  rank: number;
  message: string;
  operand?: number;
}

export type MatchResult = { ok: true; size: OperandSize | 0 } | { ok: false; refusal: Refusal };

/** Specs whose width is the row's operand size. */
const SIZED_BY_ROW: ReadonlySet<OperandSpec> = new Set(['Ev', 'Gv', 'Zv', 'rAX']);
/** Specs whose width is fixed by the spec itself. */
const FIXED_WIDTH: Partial<Record<OperandSpec, OperandSize>> = {
  Eb: 8,
  Gb: 8,
  Zb: 8,
  AL: 8,
  CL: 8,
  Ew: 16,
  DX: 16,
  Ed: 32,
  Gd: 32,
  Rq: 64,
};

/** Mnemonics with only byte forms (SETcc): an unsized memory operand is unambiguous. */
const BYTE_ONLY: ReadonlySet<string> = (() => {
  const sized = new Map<string, boolean>();
  for (const r of OPCODE_TABLE)
    sized.set(r.mnemonic, (sized.get(r.mnemonic) ?? true) && r.os === 'b');
  return new Set([...sized].filter(([, only]) => only).map(([m]) => m));
})();

const RANK_SHAPE = 1;
const RANK_SIZE = 2;
const RANK_UNSIZED = 3;
const RANK_IMM = 4;
const RANK_SPECIFIC = 5;

function refuse(rank: number, message: string, operand?: number): MatchResult {
  return { ok: false, refusal: { rank, message, operand } };
}

function isGpr(op: ResolvedOperand): op is Extract<ResolvedOperand, { kind: 'reg' }> {
  return op.kind === 'reg' && op.reg.cls === 'gpr';
}

/** The row's operand size for these operands, or a refusal. */
function rowSize(row: OpcodeRow, ops: readonly ResolvedOperand[]): MatchResult {
  switch (row.os) {
    case 'b':
      return { ok: true, size: 8 };
    case 'f64':
      return { ok: true, size: 64 };
    case 'none':
      return { ok: true, size: 0 };
    case 8:
    case 16:
    case 32:
    case 64:
      return { ok: true, size: row.os };
  }
  let size: OperandSize | undefined;
  let from = -1;
  for (let i = 0; i < row.operands.length; i++) {
    if (!SIZED_BY_ROW.has(row.operands[i])) continue;
    const op = ops[i];
    const s = op.kind === 'reg' ? op.reg.size : op.kind === 'mem' ? op.size : undefined;
    if (s === undefined || (op.kind === 'reg' && op.reg.cls !== 'gpr')) continue;
    if (size !== undefined && s !== size) {
      return refuse(
        RANK_SIZE,
        `operand sizes do not match: ${describe(ops[from])} is ${size}-bit, ${describe(op)} is ${s}-bit`,
        i,
      );
    }
    size = s;
    from = i;
  }
  const immSized = ops.findIndex((o) => o.kind === 'imm' && o.src.size !== undefined);
  if (immSized >= 0) {
    const want = (ops[immSized] as Extract<ResolvedOperand, { kind: 'imm' }>).src
      .size as OperandSize;
    if (size !== undefined && size !== want) {
      return refuse(
        RANK_SIZE,
        `the ${want}-bit immediate does not match the ${size}-bit operation`,
        immSized,
      );
    }
    size = want;
    from = immSized;
  }
  if (size === undefined) {
    if (row.os === 'd64') return { ok: true, size: 64 };
    return refuse(
      RANK_UNSIZED,
      'operation size not specified: write byte, word, dword or qword before the memory operand',
      ops.findIndex((o) => o.kind === 'mem'),
    );
  }
  const allowed = row.sizes ?? (row.os === 'd64' ? [16, 64] : [16, 32, 64]);
  if (!allowed.includes(size)) {
    return refuse(RANK_SIZE, `${row.mnemonic} has no ${size}-bit form here`, from);
  }
  return { ok: true, size };
}

/** A short description of an operand for messages: "eax", "a memory operand", "5". */
export function describe(op: ResolvedOperand): string {
  if (op.kind === 'reg') return op.reg.name;
  if (op.kind === 'mem') return op.size ? `a ${op.size}-bit memory operand` : 'a memory operand';
  return `the immediate ${showValue(op.value)}`;
}

function immRange(op: Extract<ResolvedOperand, { kind: 'imm' }>, bits: number, i: number) {
  if (!op.resolved || fitsEither(op.value, bits)) return null;
  return refuse(RANK_IMM, `immediate ${showValue(op.value)} does not fit in ${bits} bits`, i);
}

/** Check one operand against one spec at operand size `size`. */
function matchOperand(
  row: OpcodeRow,
  spec: OperandSpec,
  op: ResolvedOperand,
  size: OperandSize | 0,
  i: number,
  sizeGiven: boolean,
): MatchResult | null {
  const shape = (): MatchResult => refuse(RANK_SHAPE, '', i);
  const width = FIXED_WIDTH[spec] ?? (SIZED_BY_ROW.has(spec) ? size : undefined);
  switch (spec) {
    case 'Eb':
    case 'Ew':
    case 'Ed':
    case 'Ev':
      if (op.kind === 'mem') {
        if (op.size === undefined) {
          // An unsized memory operand is fine when another operand or the
          // row fixes the width; a fixed-width E in a sized row (movzx) is not.
          const ok =
            spec === 'Eb' && BYTE_ONLY.has(row.mnemonic)
              ? true
              : spec === 'Ev' || (spec === 'Eb' && row.os === 'b')
                ? sizeGiven
                : spec === 'Ed' || (spec === 'Ew' && row.os === 'none');
          if (!ok) {
            return refuse(
              RANK_UNSIZED,
              'operation size not specified: write byte, word, dword or qword before the memory operand',
              i,
            );
          }
          return null;
        }
        return op.size === width
          ? null
          : refuse(RANK_SIZE, `${row.mnemonic} needs a ${width}-bit operand here`, i);
      }
      if (!isGpr(op)) return shape();
      // MOV Sreg, r: GNU as takes any general register width (8E /r).
      if (spec === 'Ew' && row.os === 'none') return op.reg.size === 8 ? shape() : null;
      return op.reg.size === width ? null : refuse(RANK_SIZE, '', i);
    case 'Gb':
    case 'Gv':
    case 'Gd':
    case 'Zb':
    case 'Zv':
    case 'Rq':
      if (!isGpr(op)) return shape();
      return op.reg.size === width ? null : refuse(RANK_SIZE, '', i);
    case 'M':
    case 'Ms':
      return op.kind === 'mem' ? null : shape();
    case 'Mw':
      if (op.kind !== 'mem') return shape();
      return op.size === undefined || op.size === 16
        ? null
        : refuse(RANK_SIZE, `${row.mnemonic} needs a 16-bit operand here`, i);
    case 'FS':
    case 'GS':
      return op.kind === 'reg' && op.reg.name === spec.toLowerCase() ? null : shape();
    case 'Sw':
      if (op.kind !== 'reg' || op.reg.cls !== 'sreg') return shape();
      if (row.operands[0] === 'Sw' && op.reg.name === 'cs') {
        return refuse(RANK_SPECIFIC, 'cs cannot be loaded with mov (use a far jump or iretq)', i);
      }
      return null;
    case 'Cq':
      return op.kind === 'reg' && op.reg.cls === 'creg' ? null : shape();
    case 'AL':
    case 'CL':
    case 'DX':
      return op.kind === 'reg' && op.reg.name === spec.toLowerCase() ? null : shape();
    case 'rAX':
      return isGpr(op) && op.reg.num === 0 && !op.reg.high8 && op.reg.size === size
        ? null
        : shape();
    case '1':
      return op.kind === 'imm' && op.known && op.value === 1n ? null : shape();
    case 'Ib':
      return op.kind === 'imm' ? immRange(op, 8, i) : shape();
    case 'IbS': {
      if (op.kind !== 'imm') return shape();
      if (!op.known) return shape();
      const bits = size || 64;
      if (!fitsEither(op.value, bits)) return immRange(op, bits, i);
      return fitsSigned(BigInt.asIntN(bits, op.value), 8) ? null : shape();
    }
    case 'Iw':
      return op.kind === 'imm' ? immRange(op, 16, i) : shape();
    case 'Iz':
      if (op.kind !== 'imm') return shape();
      if (size === 64) {
        return !op.resolved || fitsSigned(op.value, 32)
          ? null
          : refuse(
              RANK_IMM,
              `immediate ${showValue(op.value)} does not fit in a sign-extended 32-bit field (${row.mnemonic} has no 64-bit immediate form)`,
              i,
            );
      }
      return immRange(op, size === 16 ? 16 : 32, i);
    case 'Iv':
      if (op.kind !== 'imm') return shape();
      if (size === 64 && row.imm64Only && (!op.known || fitsSigned(op.value, 32))) return shape();
      return immRange(op, size || 32, i);
    case 'Jb':
    case 'Jz':
      return op.kind === 'imm' ? null : shape();
  }
}

/**
 * Whether `row` takes `ops`: the operand size, or the reason it does not.
 * Branch reach (Jb vs Jz) is the encoder's business, not this check's.
 */
export function matchRow(row: OpcodeRow, ops: readonly ResolvedOperand[]): MatchResult {
  if (row.operands.length !== ops.length) {
    return refuse(
      RANK_SHAPE,
      `${row.mnemonic} takes ${row.operands.length} operand${row.operands.length === 1 ? '' : 's'}, not ${ops.length}`,
    );
  }
  // Shapes first: a register where memory is needed is a worse mismatch to
  // report than a size problem, so check kinds before the size.
  const sized = rowSize(row, ops);
  const size = sized.ok ? sized.size : 0;
  const sizeGiven = ops.some(
    (o, i) =>
      (o.kind === 'reg' && o.reg.cls === 'gpr' && row.operands[i] !== 'DX') ||
      (o.kind === 'mem' && o.size !== undefined),
  );
  let worst: Refusal | undefined;
  for (let i = 0; i < ops.length; i++) {
    const r = matchOperand(
      row,
      row.operands[i],
      ops[i],
      size,
      i,
      sizeGiven || row.os === 'd64' || row.os === 'f64',
    );
    if (r && !r.ok && (!worst || r.refusal.rank > worst.rank)) worst = r.refusal;
  }
  if (worst && worst.rank <= RANK_SHAPE) return { ok: false, refusal: worst };
  if (!sized.ok) return sized;
  if (worst) return { ok: false, refusal: worst };
  return { ok: true, size };
}
