/**
 * Encode one instruction: choose the OPCODE_TABLE row (the first of the
 * mnemonic's rows that takes the operands, so the table's order is GNU as's
 * preference) and lay out its bytes: legacy prefixes, REX, opcode, ModRM,
 * SIB, displacement, immediate (Intel SDM Vol. 2, chapter 2).
 *
 * Prefixes come out in the order GNU as writes them: segment, 67, 66,
 * REP/REPNE (or a mandatory F3), LOCK, REX.
 */
import type { OperandSize, PrefixKeyword } from './ast';
import { fitsSigned, leBytes } from './bits';
import { matchRow, type Refusal, type ResolvedOperand } from './operandMatch';
import { OPCODE_TABLE, type OpcodeRow } from './opcodeTable';
import { isRmSpec } from './operandSpec';
import type { RegInfo } from './registers';

export interface EncodeRequest {
  mnemonic: string;
  prefixes: readonly PrefixKeyword[];
  operands: readonly ResolvedOperand[];
  /** Address of the instruction's first byte. */
  address: number;
  /** Relaxation: a branch that did not reach with rel8 uses its rel32 form. */
  long: boolean;
}

export type EncodeResult =
  | { ok: true; bytes: number[]; row: number }
  | {
      ok: false;
      message: string;
      /** Index of the operand at fault, when one is. */
      operand?: number;
      /** The rel8 form did not reach; retry with `long` (relaxation). */
      relax?: boolean;
    };

/** Row indices of each mnemonic and alias, in table order. */
const ROWS_BY_NAME: ReadonlyMap<string, readonly number[]> = (() => {
  const m = new Map<string, number[]>();
  OPCODE_TABLE.forEach((row, i) => {
    for (const name of [row.mnemonic, ...(row.aliases ?? [])]) {
      const list = m.get(name) ?? [];
      list.push(i);
      m.set(name, list);
    }
  });
  return m;
})();

/** True if the assembler knows this mnemonic (or alias). */
export function isMnemonic(name: string): boolean {
  return ROWS_BY_NAME.has(name);
}

const SEG_PREFIX = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

/** The ModRM/SIB/displacement part of an instruction. */
interface RmBytes {
  mod: number;
  rm: number;
  sib?: number;
  dispBytes: number;
  disp: bigint;
  ripTarget?: bigint;
  rexX: number;
  rexB: number;
  addr32: boolean;
}

function encodeMem(m: Extract<ResolvedOperand, { kind: 'mem' }>): RmBytes | string {
  if (m.rel) {
    if (m.base || m.index) return "'rel' addresses cannot use registers";
    return {
      mod: 0,
      rm: 5,
      dispBytes: 4,
      disp: 0n,
      ripTarget: m.disp,
      rexX: 0,
      rexB: 0,
      addr32: false,
    };
  }
  const { base, index } = m;
  for (const r of [base, index]) {
    if (r && (r.cls !== 'gpr' || (r.size !== 64 && r.size !== 32))) {
      return r.size === 16
        ? '16-bit addresses are not supported in 64-bit code'
        : `${r.name} cannot be used in an address`;
    }
  }
  if (base && index && base.size !== index.size) return 'address registers must be the same size';
  if (index && index.num === 4) return 'rsp cannot be an index register';
  const addr32 = (base ?? index)?.size === 32;
  const ss = { 1: 0, 2: 1, 4: 2, 8: 3 }[m.scale];
  if (
    m.resolved &&
    !fitsSigned(m.disp, 32) &&
    !(addr32 && fitsSigned(BigInt.asIntN(32, m.disp), 32))
  ) {
    return `displacement ${m.disp} does not fit in a signed 32-bit field`;
  }
  if (!base) {
    // No base: SIB with base=101 and mod=00 means disp32 only.
    const idx = index ? index.num : 4;
    return {
      mod: 0,
      rm: 4,
      sib: ((index ? ss : 0) << 6) | ((idx & 7) << 3) | 5,
      dispBytes: 4,
      disp: m.disp,
      rexX: idx >> 3,
      rexB: 0,
      addr32,
    };
  }
  const b = base.num;
  let dispBytes: number;
  if (m.dispKnown && (!m.hasDisp || m.disp === 0n)) dispBytes = (b & 7) === 5 ? 1 : 0;
  else if (m.dispKnown && fitsSigned(m.disp, 8)) dispBytes = 1;
  else dispBytes = 4;
  const mod = dispBytes === 0 ? 0 : dispBytes === 1 ? 1 : 2;
  const needSib = index !== undefined || (b & 7) === 4;
  return {
    mod,
    rm: needSib ? 4 : b & 7,
    sib: needSib ? (ss << 6) | (((index ? index.num : 4) & 7) << 3) | (b & 7) : undefined,
    dispBytes,
    disp: m.disp,
    rexX: index ? index.num >> 3 : 0,
    rexB: b >> 3,
    addr32,
  };
}

function immWidth(spec: string, size: OperandSize | 0): number {
  switch (spec) {
    case 'Ib':
    case 'IbS':
      return 1;
    case 'Iw':
      return 2;
    case 'Iz':
      return size === 16 ? 2 : 4;
    case 'Iv':
      return size === 0 ? 4 : size / 8;
    default:
      return 0;
  }
}

function prefixBytes(
  row: OpcodeRow,
  prefixes: readonly PrefixKeyword[],
  hasMemDest: boolean,
): number[] | string {
  const out: number[] = [];
  for (const p of prefixes) {
    if (p === 'lock') {
      if (!row.lock) return `'lock' cannot be used with ${row.mnemonic}`;
      if (!hasMemDest) return `'lock' needs a memory destination`;
      continue;
    }
    if (!row.rep) return `'${p}' cannot be used with ${row.mnemonic}`;
    const repne = p === 'repne' || p === 'repnz';
    if (row.rep === 'rep' && (repne || p !== 'rep')) {
      return `'${p}' cannot be used with ${row.mnemonic} (use 'rep')`;
    }
    out.push(repne ? 0xf2 : 0xf3);
  }
  if (row.prefix !== undefined) out.push(row.prefix);
  if (prefixes.includes('lock')) out.push(0xf0);
  return out;
}

/** Encode with a row already known to take the operands at `size`. */
function encodeWithRow(
  row: OpcodeRow,
  rowIndex: number,
  size: OperandSize | 0,
  req: EncodeRequest,
): EncodeResult {
  const ops = req.operands;
  let rexW = 0;
  let rexR = 0;
  let rexX = 0;
  let rexB = 0;
  let forceRex = false;
  let highByte: RegInfo | undefined;
  let regField = typeof row.modrm === 'number' ? row.modrm : 0;
  let rmBytes: RmBytes | undefined;
  let seg: RegInfo | undefined;
  const opcode = [...row.opcode];
  const imms: { value: bigint; width: number }[] = [];
  let branch: { target: bigint; width: number } | undefined;

  const noteReg = (r: RegInfo): void => {
    if (r.needsRex) forceRex = true;
    if (r.high8) highByte = r;
  };

  row.operands.forEach((spec, i) => {
    const op = ops[row.dupReg && i === 1 ? 0 : i];
    if (row.dupReg && i === 1) {
      // imul r, imm: the register is both ModRM.reg and ModRM.r/m.
      const r = (ops[0] as Extract<ResolvedOperand, { kind: 'reg' }>).reg;
      rmBytes = {
        mod: 3,
        rm: r.num & 7,
        dispBytes: 0,
        disp: 0n,
        rexX: 0,
        rexB: r.num >> 3,
        addr32: false,
      };
    }
    const real = ops[i];
    if (spec[0] === 'I') {
      if (real.kind === 'imm') imms.push({ value: real.value, width: immWidth(spec, size) });
      return;
    }
    if (spec[0] === 'J') {
      if (real.kind === 'imm') branch = { target: real.value, width: spec === 'Jb' ? 1 : 4 };
      return;
    }
    if (isRmSpec(spec)) {
      if (op.kind === 'reg') {
        noteReg(op.reg);
        rmBytes = {
          mod: 3,
          rm: op.reg.num & 7,
          dispBytes: 0,
          disp: 0n,
          rexX: 0,
          rexB: op.reg.num >> 3,
          addr32: false,
        };
      } else if (op.kind === 'mem') {
        const enc = encodeMem(op);
        if (typeof enc === 'string') throw new EncodeError(enc, i);
        rmBytes = enc;
        seg = op.seg;
      }
      return;
    }
    if (op.kind !== 'reg') return;
    if (spec[0] === 'G' || spec === 'Sw' || spec === 'Cq') {
      noteReg(op.reg);
      regField = op.reg.num & 7;
      rexR = op.reg.num >> 3;
    } else if (spec[0] === 'Z') {
      noteReg(op.reg);
      opcode[opcode.length - 1] += op.reg.num & 7;
      rexB = op.reg.num >> 3;
    }
  });

  if (rmBytes) {
    rexX = rmBytes.rexX;
    rexB = rmBytes.rexB;
  }
  const wideByDefault = row.os === 'd64' || row.os === 'f64';
  if (size === 64 && !wideByDefault && !row.noRexW && row.os !== 'none') rexW = 1;
  // GNU as writes `xchg rax, rax` as a plain NOP (90), without REX.W.
  if (
    row.mnemonic === 'xchg' &&
    row.opcode[0] === 0x90 &&
    ops.every((o) => o.kind === 'reg' && o.reg.num === 0)
  ) {
    rexW = 0;
  }
  const rex =
    rexW || rexR || rexX || rexB || forceRex
      ? 0x40 | (rexW << 3) | (rexR << 2) | (rexX << 1) | rexB
      : 0;
  if (rex && highByte) {
    throw new EncodeError(
      `${highByte.name} cannot be used in an instruction that needs a REX prefix (r8–r15, spl, bpl, sil, dil or a 64-bit operand)`,
      ops.findIndex((o) => o.kind === 'reg' && o.reg === highByte),
    );
  }

  const memOp = ops.findIndex((o) => o.kind === 'mem');
  const pre = prefixBytes(row, req.prefixes, memOp === 0);
  if (typeof pre === 'string') throw new EncodeError(pre);
  const bytes: number[] = [];
  if (seg) bytes.push(SEG_PREFIX[seg.num]);
  if (rmBytes?.addr32) bytes.push(0x67);
  const os16 = size === 16 && (row.os === 'v' || row.os === 'd64' || row.os === 16);
  if (os16) bytes.push(0x66);
  bytes.push(...pre);
  if (rex) bytes.push(rex);
  bytes.push(...opcode);
  if (rmBytes) {
    bytes.push((rmBytes.mod << 6) | (regField << 3) | rmBytes.rm);
    if (rmBytes.sib !== undefined) bytes.push(rmBytes.sib);
  }
  const dispAt = bytes.length;
  if (rmBytes) bytes.push(...leBytes(rmBytes.disp, rmBytes.dispBytes));
  for (const imm of imms) bytes.push(...leBytes(imm.value, imm.width));
  const branchAt = bytes.length;
  if (branch) bytes.push(...new Array<number>(branch.width).fill(0));

  const next = BigInt(req.address + bytes.length);
  if (rmBytes?.ripTarget !== undefined) {
    const rel = rmBytes.ripTarget - next;
    if (!fitsSigned(rel, 32)) throw new EncodeError('rel target is more than 2 GiB away', memOp);
    bytes.splice(dispAt, 4, ...leBytes(rel, 4));
  }
  if (branch) {
    const rel = branch.target - next;
    if (!fitsSigned(rel, branch.width * 8)) {
      if (branch.width === 1) return { ok: false, message: '', relax: true, operand: 0 };
      throw new EncodeError('jump target is more than 2 GiB away', 0);
    }
    bytes.splice(branchAt, branch.width, ...leBytes(rel, branch.width));
  }
  return { ok: true, bytes, row: rowIndex };
}

/** An encoding problem found after a row was chosen (thrown only inside this module). */
class EncodeError {
  constructor(
    readonly message: string,
    readonly operand?: number,
  ) {}
}

function genericMessage(mnemonic: string, ops: readonly ResolvedOperand[]): string {
  if (ops.length === 0) return `${mnemonic} needs operands`;
  const kinds = ops.map((o) =>
    o.kind === 'reg'
      ? o.reg.cls === 'gpr'
        ? `${o.reg.size}-bit register`
        : o.reg.cls === 'sreg'
          ? 'segment register'
          : 'control register'
      : o.kind === 'mem'
        ? o.size
          ? `${o.size}-bit memory`
          : 'memory'
        : 'immediate',
  );
  return `${mnemonic} cannot take these operands (${kinds.join(', ')})`;
}

/**
 * Encode one instruction. Never throws: an unknown mnemonic, operands no row
 * takes, or a value out of range come back as `{ok: false, message}`.
 */
export function encodeInsn(req: EncodeRequest): EncodeResult {
  const rows = ROWS_BY_NAME.get(req.mnemonic);
  if (!rows)
    return { ok: false, message: `'${req.mnemonic}' is not an instruction this assembler knows` };
  const ops = req.operands;
  if (ops.filter((o) => o.kind === 'mem').length > 1) {
    return { ok: false, message: `${req.mnemonic} cannot take two memory operands`, operand: 1 };
  }
  let best: Refusal | undefined;
  for (const ri of rows) {
    const row = OPCODE_TABLE[ri];
    const m = matchRow(row, ops);
    if (!m.ok) {
      const better =
        !best ||
        m.refusal.rank > best.rank ||
        (m.refusal.rank === best.rank && !best.message && m.refusal.message !== '');
      if (better) best = m.refusal;
      continue;
    }
    if (row.operands[0] === 'Jb' && ops[0].kind === 'imm') {
      const target = ops[0];
      const hasLong = rows.some((r) => OPCODE_TABLE[r].operands[0] === 'Jz');
      if (
        target.src.jumpHint === 'near' ||
        (hasLong && (req.long || (target.absolute && target.src.jumpHint !== 'short')))
      ) {
        continue;
      }
    }
    if (row.operands[0] === 'Jz' && ops[0].kind === 'imm' && ops[0].src.jumpHint === 'short') {
      return {
        ok: false,
        message: 'short jump target is out of reach (-128..127 bytes)',
        operand: 0,
      };
    }
    // XCHG EAX, EAX must not be 90 (that is NOP, which keeps RAX's upper half).
    if (
      row.mnemonic === 'xchg' &&
      row.opcode[0] === 0x90 &&
      m.size === 32 &&
      ops.every((o) => o.kind === 'reg' && o.reg.num === 0)
    ) {
      continue;
    }
    // GNU as writes `int 3` as the one-byte INT3 (CC).
    if (row.mnemonic === 'int' && ops[0].kind === 'imm' && ops[0].known && ops[0].value === 3n) {
      return { ok: true, bytes: [0xcc], row: ROWS_BY_NAME.get('int3')?.[0] ?? ri };
    }
    try {
      const r = encodeWithRow(row, ri, m.size, req);
      if (!r.ok && r.relax) {
        const hasLong = rows.some((x) => OPCODE_TABLE[x].operands[0] === 'Jz');
        if (hasLong && ops[0].kind === 'imm' && ops[0].src.jumpHint !== 'short') return r;
        return {
          ok: false,
          message: `${req.mnemonic} target is out of reach: it must be within -128..127 bytes`,
          operand: 0,
        };
      }
      return r;
    } catch (e) {
      if (e instanceof EncodeError) return { ok: false, message: e.message, operand: e.operand };
      throw e;
    }
  }
  const message = best?.message || genericMessage(req.mnemonic, ops);
  return { ok: false, message, operand: best?.operand };
}
