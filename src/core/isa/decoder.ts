/**
 * Decode x86-64 machine code into {@link DecodedInsn}s, driven by the same
 * OPCODE_TABLE the assembler encodes from (Intel SDM Vol. 2, chapter 2:
 * legacy prefixes, REX, opcode, ModRM, SIB, displacement, immediate).
 *
 * The vCPU executes what this returns for the bytes in guest memory, so
 * self-modifying code and KVM's in-place hypercall patching just work.
 * Contract: never throws; reads at most 15 bytes; anything it does not know
 * comes back `ok: false` with `error` saying why.
 */
import type { OperandSize } from './ast';
import { OPCODE_TABLE, type OpcodeRow } from './opcodeTable';
import type { OperandSpec } from './operandSpec';
import { OpKind, REG_RIP, type DecodedInsn, type DecodedOperand } from './results';

/** Architectural limit on instruction length (SDM Vol. 2 §2.3.11). */
export const MAX_INSN_LENGTH = 15;

interface Candidate {
  row: OpcodeRow;
  index: number;
}

/** Candidates by opcode: one-byte map, 0F map, and 0F 01 xx rows with a fixed third byte. */
const MAP1: Candidate[][] = Array.from({ length: 256 }, () => []);
const MAP2: Candidate[][] = Array.from({ length: 256 }, () => []);
const MAP_0F01: Candidate[][] = Array.from({ length: 256 }, () => []);

OPCODE_TABLE.forEach((row, index) => {
  if (row.swapped || row.dupReg) return;
  const op = row.opcode;
  const c = { row, index };
  const plusReg = row.operands.some((s) => s === 'Zb' || s === 'Zv');
  if (op.length === 1) {
    for (let k = 0; k < (plusReg ? 8 : 1); k++) MAP1[op[0] + k].push(c);
  } else if (op.length === 2 && op[0] === 0x0f) {
    MAP2[op[1]].push(c);
  } else if (op.length === 3 && op[0] === 0x0f && op[1] === 0x01) {
    MAP_0F01[op[2]].push(c);
  }
});

const SEG_OF_PREFIX: Record<number, number> = {
  0x26: 0,
  0x2e: 1,
  0x36: 2,
  0x3e: 3,
  0x64: 4,
  0x65: 5,
};
const VALID_CR = [true, false, true, true, true, false, false, false, true];

function operand(kind: OpKind, size: OperandSize): DecodedOperand {
  return { kind, size, reg: -1, base: -1, index: -1, scale: 1, disp: 0, immLo: 0, immHi: 0 };
}

function fail(error: 'unknown' | 'truncated' | 'tooLong', length: number): DecodedInsn {
  return {
    ok: false,
    error,
    length,
    row: -1,
    mnemonic: '(bad)',
    opSize: 32,
    addrSize: 64,
    rep: 0,
    lock: false,
    seg: -1,
    operands: [],
  };
}

/** Operand size of `row` given the prefixes (SDM Vol. 2 §2.2.1.2). */
function sizeOf(row: OpcodeRow, rexW: boolean, opsz: boolean): OperandSize {
  switch (row.os) {
    case 'b':
      return 8;
    case 'v':
      return rexW ? 64 : opsz ? 16 : 32;
    case 'd64':
      return opsz ? 16 : 64;
    case 'f64':
      return 64;
    case 'none':
      return 32;
    default:
      return row.os;
  }
}

/** The width a fixed-size or row-sized spec stands for. */
function specWidth(spec: OperandSpec, size: OperandSize): OperandSize {
  switch (spec) {
    case 'Eb':
    case 'Gb':
    case 'Zb':
    case 'AL':
    case 'CL':
    case 'Ib':
      return 8;
    case 'Ew':
    case 'Mw':
    case 'Sw':
    case 'DX':
    case 'Iw':
      return 16;
    case 'Ed':
    case 'Gd':
      return 32;
    case 'Rq':
    case 'Cq':
      return 64;
    default:
      return size;
  }
}

/** A general register operand; 8-bit numbers 4–7 without REX are AH–BH (16–19). */
function gpr(num: number, size: OperandSize, rex: boolean): DecodedOperand {
  const o = operand(OpKind.Reg, size);
  o.reg = size === 8 && !rex && num >= 4 && num < 8 ? num + 12 : num;
  return o;
}

/**
 * Decode the instruction at `bytes[offset]`. Bytes past `end` (default: the
 * array's length) are not read; an instruction cut short there is
 * `truncated`.
 */
export function decode(bytes: Uint8Array, offset: number, end = bytes.length): DecodedInsn {
  const limit = Math.min(end, offset + MAX_INSN_LENGTH);
  let p = offset;
  let opsz = false;
  let addr32 = false;
  let rep = 0;
  let lock = false;
  let seg = -1;
  let rex = 0;
  // Legacy prefixes, then at most one REX immediately before the opcode.
  for (;;) {
    if (p >= limit) return fail(p >= end ? 'truncated' : 'tooLong', p - offset);
    const b = bytes[p];
    if (b === 0x66) opsz = true;
    else if (b === 0x67) addr32 = true;
    else if (b === 0xf2 || b === 0xf3) rep = b;
    else if (b === 0xf0) lock = true;
    else if (b in SEG_OF_PREFIX) seg = SEG_OF_PREFIX[b];
    else if (b >= 0x40 && b <= 0x4f) {
      // A REX prefix counts only if the opcode follows it directly.
      rex = b;
      if (p + 1 < limit) {
        const n = bytes[p + 1];
        if (
          n === 0x66 ||
          n === 0x67 ||
          n === 0xf2 ||
          n === 0xf3 ||
          n === 0xf0 ||
          n in SEG_OF_PREFIX ||
          (n >= 0x40 && n <= 0x4f)
        ) {
          rex = 0;
        }
      }
      p++;
      if (rex) break;
      continue;
    } else break;
    rex = 0;
    p++;
  }
  if (p >= limit) return fail(p >= end ? 'truncated' : 'tooLong', p - offset);
  const rexW = (rex & 8) !== 0;
  const rexR = (rex & 4) << 1;
  const rexX = (rex & 2) << 2;
  const rexB = (rex & 1) << 3;

  let cands: Candidate[];
  let opByte = bytes[p++];
  if (opByte === 0x0f) {
    if (p >= limit) return fail(p >= end ? 'truncated' : 'tooLong', p - offset);
    opByte = bytes[p++];
    cands = MAP2[opByte];
    if (opByte === 0x01 && p < limit && MAP_0F01[bytes[p]].length) {
      cands = MAP_0F01[bytes[p]];
      p++;
    }
  } else {
    cands = MAP1[opByte];
  }
  if (cands.length === 0) return fail('unknown', p - offset);

  const needsModrm = cands[0].row.modrm !== undefined;
  let modrm = -1;
  if (needsModrm) {
    if (p >= limit) return fail(p >= end ? 'truncated' : 'tooLong', p - offset);
    modrm = bytes[p];
  }
  const mod = modrm >> 6;
  const regBits = (modrm >> 3) & 7;

  let chosen: Candidate | undefined;
  let size: OperandSize = 32;
  for (const c of cands) {
    const row = c.row;
    if (row.prefix !== undefined && rep !== row.prefix) continue;
    if (typeof row.modrm === 'number' && row.modrm !== regBits) continue;
    if (
      (row.operands.includes('M') || row.operands.includes('Mw') || row.operands.includes('Ms')) &&
      mod === 3
    ) {
      continue;
    }
    // 90 without REX.B is NOP (with F3: PAUSE), not XCHG eAX, eAX; 66 90 is XCHG AX, AX.
    if (cands === MAP1[0x90] && !(rex & 1) && !opsz && row.mnemonic === 'xchg') continue;
    // MOV CS, r/m is #UD (SDM MOV: "If an attempt is made to load the CS register").
    if (row.operands[0] === 'Sw' && regBits === 1) continue;
    const s = sizeOf(row, rexW, opsz);
    // Rows sharing an opcode by size (CBW/CWDE/CDQE, MOVSW/MOVSD/MOVSQ…).
    if (
      typeof row.os === 'number' &&
      row.os !== 8 &&
      row.os !== sizeOf({ ...row, os: 'v' }, rexW, opsz)
    ) {
      continue;
    }
    if (row.sizes && (row.os === 'v' || row.os === 'd64') && !row.sizes.includes(s)) continue;
    chosen = c;
    size = s;
    break;
  }
  if (!chosen) return fail('unknown', p - offset);
  const row = chosen.row;
  if (row.prefix !== undefined) rep = 0;
  if (needsModrm) p++;

  // ModRM r/m and SIB (SDM Vol. 2, Tables 2-2 and 2-3).
  let rmOperand: DecodedOperand | undefined;
  const rmSpec = row.operands.find(
    (s) => s[0] === 'E' || s === 'M' || s === 'Mw' || s === 'Ms' || s === 'Rq',
  );
  if (needsModrm && rmSpec) {
    const w = specWidth(rmSpec, size);
    if (mod === 3 || rmSpec === 'Rq') {
      rmOperand = gpr((modrm & 7) | rexB, w, rex !== 0);
    } else {
      const m = operand(OpKind.Mem, w);
      let rm = modrm & 7;
      let dispBytes = mod === 1 ? 1 : mod === 2 ? 4 : 0;
      if (rm === 4) {
        if (p >= limit) return fail(p >= end ? 'truncated' : 'tooLong', p - offset);
        const sib = bytes[p++];
        const idx = ((sib >> 3) & 7) | rexX;
        m.scale = 1 << (sib >> 6);
        m.index = idx === 4 ? -1 : idx;
        rm = sib & 7;
        if (rm === 5 && mod === 0) {
          m.base = -1;
          dispBytes = 4;
        } else {
          m.base = rm | rexB;
        }
      } else if (rm === 5 && mod === 0) {
        m.base = REG_RIP;
        dispBytes = 4;
      } else {
        m.base = rm | rexB;
      }
      if (p + dispBytes > limit)
        return fail(p + dispBytes > end ? 'truncated' : 'tooLong', limit - offset);
      if (dispBytes === 1) m.disp = (bytes[p] << 24) >> 24;
      else if (dispBytes === 4)
        m.disp = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
      p += dispBytes;
      rmOperand = m;
    }
  }

  const operands: DecodedOperand[] = [];
  for (const spec of row.operands) {
    const w = specWidth(spec, size);
    switch (spec) {
      case 'Eb':
      case 'Ew':
      case 'Ed':
      case 'Ev':
      case 'M':
      case 'Mw':
      case 'Ms':
      case 'Rq':
        operands.push(rmOperand as DecodedOperand);
        break;
      case 'FS':
      case 'GS': {
        const o = operand(OpKind.SReg, 16);
        o.reg = spec === 'FS' ? 4 : 5;
        operands.push(o);
        break;
      }
      case 'Gb':
      case 'Gv':
      case 'Gd':
        operands.push(gpr(regBits | rexR, w, rex !== 0));
        break;
      case 'Zb':
      case 'Zv':
        operands.push(gpr((opByte & 7) | rexB, w, rex !== 0));
        break;
      case 'Sw': {
        if (regBits > 5) return fail('unknown', p - offset);
        const o = operand(OpKind.SReg, 16);
        o.reg = regBits;
        operands.push(o);
        break;
      }
      case 'Cq': {
        const n = regBits | rexR;
        if (!VALID_CR[n]) return fail('unknown', p - offset);
        const o = operand(OpKind.CReg, 64);
        o.reg = n;
        operands.push(o);
        break;
      }
      case 'AL':
      case 'rAX':
        operands.push(gpr(0, w, true));
        break;
      case 'CL':
        operands.push(gpr(1, 8, true));
        break;
      case 'DX':
        operands.push(gpr(2, 16, true));
        break;
      case '1': {
        const o = operand(OpKind.Imm, 8);
        o.immLo = 1;
        operands.push(o);
        break;
      }
      case 'Ib':
      case 'IbS':
      case 'Iw':
      case 'Iz':
      case 'Iv': {
        const n =
          spec === 'Iw'
            ? 2
            : spec === 'Ib' || spec === 'IbS'
              ? 1
              : spec === 'Iv'
                ? size / 8
                : size === 16
                  ? 2
                  : 4;
        if (p + n > limit) return fail(p + n > end ? 'truncated' : 'tooLong', limit - offset);
        let lo = 0;
        let hi = 0;
        for (let k = Math.min(n, 4) - 1; k >= 0; k--) lo = lo * 256 + bytes[p + k];
        for (let k = n - 1; k >= 4; k--) hi = hi * 256 + bytes[p + k];
        p += n;
        const o = operand(OpKind.Imm, spec === 'Ib' ? 8 : spec === 'Iw' ? 16 : size);
        // Sign-extend a short immediate to the operand size (IbS always; Iz for 64-bit).
        const signed = spec === 'IbS' || (spec === 'Iz' && size === 64);
        if (signed && n < 8) {
          const bits = n * 8;
          const neg = lo >= 2 ** (bits - 1);
          const ext = neg ? lo - 2 ** bits : lo;
          const width = spec === 'IbS' ? size : 64;
          lo = width >= 32 ? ext >>> 0 : ext & (2 ** width - 1);
          hi = width === 64 && neg ? 0xffffffff : 0;
        }
        o.immLo = lo >>> 0;
        o.immHi = hi >>> 0;
        operands.push(o);
        break;
      }
      case 'Jb':
      case 'Jz': {
        const n = spec === 'Jb' ? 1 : 4;
        if (p + n > limit) return fail(p + n > end ? 'truncated' : 'tooLong', limit - offset);
        const o = operand(OpKind.Rel, 64);
        o.disp =
          n === 1
            ? (bytes[p] << 24) >> 24
            : bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
        p += n;
        operands.push(o);
        break;
      }
    }
  }

  // LOCK is #UD unless the instruction allows it and writes memory (SDM LOCK).
  if (lock && (!row.lock || operands[0]?.kind !== OpKind.Mem)) return fail('unknown', p - offset);
  return {
    ok: true,
    length: p - offset,
    row: chosen.index,
    mnemonic: row.mnemonic,
    opSize: size,
    addrSize: addr32 ? 32 : 64,
    rep: row.rep ? rep : 0,
    lock,
    seg,
    operands,
  };
}
