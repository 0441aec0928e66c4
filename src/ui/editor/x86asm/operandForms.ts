/**
 * The forms of an instruction as a student reads them in the Intel SDM
 * ("mov r/m16/32/64, imm16/32   C7 /0"), generated from OPCODE_TABLE so the
 * hover lists exactly the encodings the assembler knows.
 */
import { OPCODE_TABLE, type OpcodeRow } from '../../../core';

/** One operand pattern and its encoding. */
export interface InstructionForm {
  /** e.g. `mov r/m16/32/64, imm16/32`. */
  syntax: string;
  /** e.g. `C7 /0`, `0F 01 C1`, `B8+r`. */
  encoding: string;
  /** `rep`/`repe` prefix and `lock` allowed. */
  rep?: 'rep' | 'repe';
  lock?: boolean;
}

type Sizes = readonly number[];

/** Operand sizes a row's `v`/`d64`/… attribute allows. */
function rowSizes(row: OpcodeRow): Sizes {
  switch (row.os) {
    case 'v':
      return row.sizes ?? [16, 32, 64];
    case 'd64':
      return row.sizes ?? [16, 64];
    case 'f64':
      return [64];
    case 'b':
      return [8];
    case 'none':
      return [];
    default:
      return [row.os];
  }
}

const ACCUMULATOR: Readonly<Record<number, string>> = { 16: 'ax', 32: 'eax', 64: 'rax' };

/** SDM-style text of one operand spec at the row's sizes. */
function operandText(spec: string, sizes: Sizes): string {
  const v = sizes.join('/');
  switch (spec) {
    case 'Eb':
      return 'r/m8';
    case 'Ew':
      return 'r/m16';
    case 'Ed':
      return 'r/m32';
    case 'Ev':
      return `r/m${v}`;
    case 'Gb':
    case 'Zb':
      return 'r8';
    case 'Gd':
      return 'r32';
    case 'Gv':
    case 'Zv':
      return `r${v}`;
    case 'M':
      return 'm';
    case 'Mw':
      return 'm16';
    case 'Ms':
      return 'm16&64';
    case 'Rq':
      return 'r64';
    case 'Sw':
      return 'Sreg';
    case 'Cq':
      return 'CRn';
    case 'Ib':
      return 'imm8';
    case 'IbS':
      return 'imm8 (sign-extended)';
    case 'Iw':
      return 'imm16';
    case 'Iz':
      return sizes.includes(16) ? 'imm16/32' : 'imm32';
    case 'Iv':
      return `imm${v}`;
    case 'Jb':
      return 'rel8';
    case 'Jz':
      return 'rel32';
    case 'rAX':
      return sizes.map((s) => ACCUMULATOR[s]).join('/');
    default:
      // AL, CL, DX, 1, FS, GS: written as themselves.
      return spec.toLowerCase();
  }
}

const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/** Opcode bytes in SDM notation: `F3 90`, `C7 /0`, `0F B6 /r`, `B8+r`. */
function encodingText(row: OpcodeRow): string {
  const bytes = row.opcode.map(hex);
  if (row.operands.some((o) => o === 'Zb' || o === 'Zv')) bytes[bytes.length - 1] += '+r';
  const parts = row.prefix !== undefined ? [hex(row.prefix), ...bytes] : bytes;
  if (row.modrm === 'r') parts.push('/r');
  else if (row.modrm !== undefined) parts.push(`/${row.modrm}`);
  return parts.join(' ');
}

/**
 * Every distinct form of the canonical mnemonic `canon` (rows in table order;
 * rows that only differ in encoding keep the first). Empty if unknown.
 */
export function instructionForms(canon: string): InstructionForm[] {
  const out: InstructionForm[] = [];
  const seen = new Set<string>();
  for (const row of OPCODE_TABLE) {
    if (row.mnemonic !== canon) continue;
    const sizes = rowSizes(row);
    const ops = row.operands.map((o) => operandText(o, sizes));
    const syntax = ops.length ? `${canon} ${ops.join(', ')}` : canon;
    if (seen.has(syntax)) continue;
    seen.add(syntax);
    const form: InstructionForm = { syntax, encoding: encodingText(row) };
    if (row.rep) form.rep = row.rep;
    if (row.lock) form.lock = true;
    out.push(form);
  }
  return out;
}

/** The forms as aligned lines for a code block: `syntax   ; encoding`. */
export function formatForms(forms: readonly InstructionForm[]): string {
  const width = Math.max(0, ...forms.map((f) => f.syntax.length));
  return forms
    .map((f) => {
      const notes = [f.rep ? `${f.rep} ok` : '', f.lock ? 'lock ok' : ''].filter(Boolean);
      const tail = notes.length ? `  (${notes.join(', ')})` : '';
      return `${f.syntax.padEnd(width)}  ; ${f.encoding}${tail}`;
    })
    .join('\n');
}
