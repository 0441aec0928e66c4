/**
 * Format decoded instructions as Intel-syntax text in this assembler's own
 * dialect, so that what the debugger shows can be pasted back and
 * reassembles to the same bytes at the same address:
 *  - memory operands carry their size keyword (`dword [rbx + 0x8]`);
 *  - RIP-relative operands show their target: `[rel 0x10040]`;
 *  - branches show their target address, with `short` on the rel8 form of
 *    jmp/jcc (a plain number target would otherwise assemble as rel32).
 */
import type { OperandSize } from './ast';
import { decode } from './decoder';
import { OPCODE_TABLE } from './opcodeTable';
import { gprName, sregName } from './registers';
import { OpKind, REG_RIP, type DecodedInsn, type DecodedOperand } from './results';

const SIZE_KEYWORD: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

function immValue(o: DecodedOperand): bigint {
  return (BigInt(o.immHi >>> 0) << 32n) | BigInt(o.immLo >>> 0);
}

function regName(num: number, size: OperandSize): string {
  return gprName(num, size);
}

function memText(o: DecodedOperand, insn: DecodedInsn, next: number, withSize: boolean): string {
  const parts: string[] = [];
  const aw: OperandSize = insn.addrSize;
  let body: string;
  if (o.base === REG_RIP) {
    const target = BigInt.asUintN(64, BigInt(next) + BigInt(o.disp));
    body = `rel ${hex(target)}`;
  } else {
    if (o.base >= 0) parts.push(regName(o.base, aw));
    if (o.index >= 0)
      parts.push(o.scale === 1 ? regName(o.index, aw) : `${regName(o.index, aw)}*${o.scale}`);
    body = parts.join(' + ');
    if (parts.length === 0) body = hex(BigInt.asUintN(aw, BigInt(o.disp)));
    else if (o.disp > 0) body += ` + ${hex(o.disp)}`;
    else if (o.disp < 0) body += ` - ${hex(-o.disp)}`;
  }
  const seg = insn.seg >= 0 ? `${sregName(insn.seg)}:` : '';
  return `${withSize ? `${SIZE_KEYWORD[o.size]} ` : ''}[${seg}${body}]`;
}

/**
 * Intel-syntax text of `insn` located at `address` (needed for branch and
 * RIP-relative targets). An undecodable instruction formats as `(bad)`.
 */
export function formatInsn(insn: DecodedInsn, address: number): string {
  if (!insn.ok) return insn.error === 'truncated' ? '(truncated)' : '(bad)';
  const row = OPCODE_TABLE[insn.row];
  const next = address + insn.length;
  const hasShortAndNear =
    row.operands[0] === 'Jb' && (row.mnemonic === 'jmp' || row.mnemonic.startsWith('j'));
  const ops = insn.operands.map((o, i) => {
    const spec = row.operands[i];
    switch (o.kind) {
      case OpKind.Reg:
        return regName(o.reg, o.size);
      case OpKind.SReg:
        return sregName(o.reg);
      case OpKind.CReg:
        return `cr${o.reg}`;
      case OpKind.Imm: {
        // An immediate-only instruction at a non-default size needs the keyword (push word 5).
        const alone = insn.operands.every((x) => x.kind === OpKind.Imm);
        const dflt = row.os === 'd64' ? 64 : 32;
        const sized = alone && (row.os === 'v' || row.os === 'd64') && insn.opSize !== dflt;
        return sized ? `${SIZE_KEYWORD[insn.opSize]} ${hex(immValue(o))}` : hex(immValue(o));
      }
      case OpKind.Rel: {
        const target = BigInt.asUintN(64, BigInt(next) + BigInt(o.disp));
        return spec === 'Jb' && hasShortAndNear && row.mnemonic !== 'jrcxz'
          ? `short ${hex(target)}`
          : hex(target);
      }
      default:
        return memText(o, insn, next, spec !== 'M' && spec !== 'Ms' && spec !== 'Mw');
    }
  });
  let prefix = '';
  if (insn.lock) prefix = 'lock ';
  if (insn.rep) prefix += row.rep === 'repe' ? (insn.rep === 0xf2 ? 'repne ' : 'repe ') : 'rep ';
  return ops.length ? `${prefix}${insn.mnemonic} ${ops.join(', ')}` : `${prefix}${insn.mnemonic}`;
}

/** One line of a disassembly listing. */
export interface DisasmLine {
  address: number;
  length: number;
  bytes: Uint8Array;
  text: string;
  insn: DecodedInsn;
}

/**
 * Disassemble `bytes` loaded at `origin`, linearly. Undecodable bytes become
 * one-byte `(bad)` lines and decoding goes on after them.
 */
export function disassemble(bytes: Uint8Array, origin: number, maxLines = Infinity): DisasmLine[] {
  const out: DisasmLine[] = [];
  let off = 0;
  while (off < bytes.length && out.length < maxLines) {
    const insn = decode(bytes, off);
    const length = insn.ok ? insn.length : 1;
    out.push({
      address: origin + off,
      length,
      bytes: bytes.subarray(off, off + length),
      text: formatInsn(insn, origin + off),
      insn,
    });
    off += length;
  }
  return out;
}
