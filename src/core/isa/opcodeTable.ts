/**
 * OPCODE_TABLE: every instruction encoding of the guest ISA, one row per
 * encoding. It is the single source of truth for the assembler (which tries a
 * mnemonic's rows in table order and takes the first that fits, so rows are
 * listed in the order GNU as prefers them), the decoder (which indexes the
 * rows by opcode bytes), the disassembler and the editor's keyword list.
 *
 * Opcodes and operand notation follow the Intel SDM Vol. 2 (instruction
 * pages and Appendix A); see operandSpec.ts for the operand letters.
 */
import type { OperandSize } from './ast';
import { CONDITIONS } from './conditions';
import type { OperandSpec } from './operandSpec';

/**
 * Operand-size attribute of a row (SDM Vol. 2 §2.2.1.2 and Appendix A):
 *  - `b`: always 8 bits.
 *  - `v`: 32 by default, 16 with a 66 prefix, 64 with REX.W.
 *  - `d64`: 64 by default in 64-bit mode, 16 with 66 (PUSH, POP, LEAVE…);
 *    no 32-bit form.
 *  - `f64`: always 64 in 64-bit mode (near branches, MOV to/from CRn).
 *  - 8 / 16 / 32 / 64: one fixed size (CBW/CWDE/CDQE share opcode 98 this way;
 *    MOVSB/MOVSW/MOVSD/MOVSQ likewise).
 *  - `none`: no operand size (NOP, HLT, VMCALL…).
 */
export type SizeAttr = 'b' | 'v' | 'd64' | 'f64' | 8 | 16 | 32 | 64 | 'none';

/** Which instruction the CPU hands to the hypervisor (for the UI). */
export type VmExitKind =
  'VMCALL' | 'HLT' | 'IO_INSTRUCTION' | 'CPUID' | 'MSR_READ' | 'MSR_WRITE' | 'CR_ACCESS';

export interface OpcodeRow {
  /** Canonical mnemonic (what the disassembler prints). */
  mnemonic: string;
  /** Other spellings the assembler accepts (e.g. `jz` for `je`). */
  aliases?: readonly string[];
  /** Opcode bytes, escapes included (0F …). VMCALL is [0F, 01, C1]. */
  opcode: readonly number[];
  /** A mandatory prefix that is part of the opcode (PAUSE = F3 90). */
  prefix?: 0xf3;
  /** `r` for `/r`, 0–7 for `/digit`; absent when there is no ModRM byte. */
  modrm?: 'r' | number;
  operands: readonly OperandSpec[];
  os: SizeAttr;
  /** For `v`/`d64` rows, the operand sizes that exist (IN/OUT: 16 and 32). */
  sizes?: readonly OperandSize[];
  /** REP (movs/stos/lods/ins/outs) or REPE/REPNE (cmps/scas) allowed. */
  rep?: 'rep' | 'repe';
  /** LOCK allowed (with a memory destination). */
  lock?: boolean;
  /**
   * Assembler-only: the row is the operand-swapped twin of the row before
   * it (TEST and XCHG are commutative: `test ebx, [rax]` is `85 /r` too).
   * The decoder skips it.
   */
  swapped?: boolean;
  /**
   * Assembler-only: the first operand is encoded in both ModRM.reg and
   * ModRM.r/m (`imul eax, 5` is `imul eax, eax, 5`). The decoder skips it.
   */
  dupReg?: boolean;
  /**
   * GNU as's choice for `mov r64, imm`: use B8+r (the 10-byte form) only when
   * the value does not fit a sign-extended 32-bit immediate; otherwise it
   * picks C7 /0.
   */
  imm64Only?: boolean;
  /** GNU as encodes the 64-bit register form without REX.W (MOV r, Sreg). */
  noRexW?: boolean;
  /** The exit this instruction causes in VMX non-root / SVM guest mode. */
  vmExit?: VmExitKind;
}

/** The eight ALU operations of opcodes 00–3F and 80–83, by ModRM.reg / 8. */
const ALU_OPS = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;

/** Shift/rotate group 2 (C0, C1, D0–D3) by ModRM.reg. */
const SHIFT_OPS: readonly (readonly [string, number, (readonly string[])?])[] = [
  ['rol', 0],
  ['ror', 1],
  ['rcl', 2],
  ['rcr', 3],
  ['shl', 4, ['sal']],
  ['shr', 5],
  ['sar', 7],
];

function aluRows(): OpcodeRow[] {
  const rows: OpcodeRow[] = [];
  ALU_OPS.forEach((mnemonic, i) => {
    const b = i * 8;
    const lock = mnemonic !== 'cmp';
    rows.push(
      { mnemonic, opcode: [b], modrm: 'r', operands: ['Eb', 'Gb'], os: 'b', lock },
      { mnemonic, opcode: [b + 1], modrm: 'r', operands: ['Ev', 'Gv'], os: 'v', lock },
      { mnemonic, opcode: [b + 2], modrm: 'r', operands: ['Gb', 'Eb'], os: 'b' },
      { mnemonic, opcode: [b + 3], modrm: 'r', operands: ['Gv', 'Ev'], os: 'v' },
      // GNU as prefers the sign-extended imm8 form to the accumulator form.
      { mnemonic, opcode: [0x83], modrm: i, operands: ['Ev', 'IbS'], os: 'v', lock },
      { mnemonic, opcode: [b + 4], operands: ['AL', 'Ib'], os: 'b' },
      { mnemonic, opcode: [b + 5], operands: ['rAX', 'Iz'], os: 'v' },
      { mnemonic, opcode: [0x80], modrm: i, operands: ['Eb', 'Ib'], os: 'b', lock },
      { mnemonic, opcode: [0x81], modrm: i, operands: ['Ev', 'Iz'], os: 'v', lock },
    );
  });
  return rows;
}

function shiftRows(): OpcodeRow[] {
  const rows: OpcodeRow[] = [];
  for (const [mnemonic, d, aliases] of SHIFT_OPS) {
    const a = aliases ? { aliases } : {};
    rows.push(
      { mnemonic, ...a, opcode: [0xd0], modrm: d, operands: ['Eb', '1'], os: 'b' },
      { mnemonic, ...a, opcode: [0xd1], modrm: d, operands: ['Ev', '1'], os: 'v' },
      { mnemonic, ...a, opcode: [0xd2], modrm: d, operands: ['Eb', 'CL'], os: 'b' },
      { mnemonic, ...a, opcode: [0xd3], modrm: d, operands: ['Ev', 'CL'], os: 'v' },
      { mnemonic, ...a, opcode: [0xc0], modrm: d, operands: ['Eb', 'Ib'], os: 'b' },
      { mnemonic, ...a, opcode: [0xc1], modrm: d, operands: ['Ev', 'Ib'], os: 'v' },
    );
  }
  return rows;
}

/** Rows of a unary group-3/4/5 operation (F6/F7 or FE/FF with /digit). */
function unaryRows(mnemonic: string, byteOp: number, d: number, lock = false): OpcodeRow[] {
  return [
    { mnemonic, opcode: [byteOp], modrm: d, operands: ['Eb'], os: 'b', lock },
    { mnemonic, opcode: [byteOp + 1], modrm: d, operands: ['Ev'], os: 'v', lock },
  ];
}

function conditionRows(): OpcodeRow[] {
  const rows: OpcodeRow[] = [];
  CONDITIONS.forEach(([cc, ...rest], n) => {
    const alias = (p: string): { aliases?: string[] } =>
      rest.length ? { aliases: rest.map((c) => p + c) } : {};
    rows.push(
      { mnemonic: `j${cc}`, ...alias('j'), opcode: [0x70 + n], operands: ['Jb'], os: 'f64' },
      { mnemonic: `j${cc}`, ...alias('j'), opcode: [0x0f, 0x80 + n], operands: ['Jz'], os: 'f64' },
      {
        mnemonic: `set${cc}`,
        ...alias('set'),
        opcode: [0x0f, 0x90 + n],
        modrm: 0,
        operands: ['Eb'],
        os: 'b',
      },
      {
        mnemonic: `cmov${cc}`,
        ...alias('cmov'),
        opcode: [0x0f, 0x40 + n],
        modrm: 'r',
        operands: ['Gv', 'Ev'],
        os: 'v',
      },
    );
  });
  return rows;
}

/** String instructions: `<name>b/w/d/q` at A4/A5-style opcode pairs. */
function stringRows(
  name: string,
  byteOp: number,
  rep: 'rep' | 'repe',
  withQ = true,
  vmExit?: VmExitKind,
): OpcodeRow[] {
  const x = vmExit ? { vmExit } : {};
  const rows: OpcodeRow[] = [
    { mnemonic: `${name}b`, opcode: [byteOp], operands: [], os: 8, rep, ...x },
    { mnemonic: `${name}w`, opcode: [byteOp + 1], operands: [], os: 16, rep, ...x },
    { mnemonic: `${name}d`, opcode: [byteOp + 1], operands: [], os: 32, rep, ...x },
  ];
  if (withQ) rows.push({ mnemonic: `${name}q`, opcode: [byteOp + 1], operands: [], os: 64, rep });
  return rows;
}

/** A row with no operands and no ModRM. */
function plain(mnemonic: string, opcode: number[], extra: Partial<OpcodeRow> = {}): OpcodeRow {
  return { mnemonic, opcode, operands: [], os: 'none', ...extra };
}

const IO = [16, 32] as const;
const PUSHPOP = [16, 64] as const;

export const OPCODE_TABLE: readonly OpcodeRow[] = Object.freeze([
  // ── Data movement ──────────────────────────────────────────────────────
  { mnemonic: 'mov', opcode: [0x88], modrm: 'r', operands: ['Eb', 'Gb'], os: 'b' },
  { mnemonic: 'mov', opcode: [0x89], modrm: 'r', operands: ['Ev', 'Gv'], os: 'v' },
  { mnemonic: 'mov', opcode: [0x8a], modrm: 'r', operands: ['Gb', 'Eb'], os: 'b' },
  { mnemonic: 'mov', opcode: [0x8b], modrm: 'r', operands: ['Gv', 'Ev'], os: 'v' },
  // MOV m16, Sreg has no operand size (GNU as never adds 66); the register form does.
  { mnemonic: 'mov', opcode: [0x8c], modrm: 'r', operands: ['Mw', 'Sw'], os: 'none' },
  { mnemonic: 'mov', opcode: [0x8c], modrm: 'r', operands: ['Ev', 'Sw'], os: 'v', noRexW: true },
  { mnemonic: 'mov', opcode: [0x8e], modrm: 'r', operands: ['Sw', 'Ew'], os: 'none' },
  { mnemonic: 'mov', opcode: [0xb0], operands: ['Zb', 'Ib'], os: 'b' },
  { mnemonic: 'mov', opcode: [0xb8], operands: ['Zv', 'Iv'], os: 'v', imm64Only: true },
  { mnemonic: 'mov', opcode: [0xc6], modrm: 0, operands: ['Eb', 'Ib'], os: 'b' },
  { mnemonic: 'mov', opcode: [0xc7], modrm: 0, operands: ['Ev', 'Iz'], os: 'v' },
  {
    mnemonic: 'mov',
    opcode: [0x0f, 0x20],
    modrm: 'r',
    operands: ['Rq', 'Cq'],
    os: 'f64',
    vmExit: 'CR_ACCESS',
  },
  {
    mnemonic: 'mov',
    opcode: [0x0f, 0x22],
    modrm: 'r',
    operands: ['Cq', 'Rq'],
    os: 'f64',
    vmExit: 'CR_ACCESS',
  },
  { mnemonic: 'movzx', opcode: [0x0f, 0xb6], modrm: 'r', operands: ['Gv', 'Eb'], os: 'v' },
  { mnemonic: 'movzx', opcode: [0x0f, 0xb7], modrm: 'r', operands: ['Gv', 'Ew'], os: 'v' },
  { mnemonic: 'movsx', opcode: [0x0f, 0xbe], modrm: 'r', operands: ['Gv', 'Eb'], os: 'v' },
  { mnemonic: 'movsx', opcode: [0x0f, 0xbf], modrm: 'r', operands: ['Gv', 'Ew'], os: 'v' },
  {
    mnemonic: 'movsxd',
    opcode: [0x63],
    modrm: 'r',
    operands: ['Gv', 'Ed'],
    os: 'v',
    sizes: [64],
  },
  { mnemonic: 'lea', opcode: [0x8d], modrm: 'r', operands: ['Gv', 'M'], os: 'v' },
  // XCHG: GNU as uses 90+r whenever one operand is the accumulator.
  { mnemonic: 'xchg', opcode: [0x90], operands: ['Zv', 'rAX'], os: 'v' },
  { mnemonic: 'xchg', opcode: [0x90], operands: ['rAX', 'Zv'], os: 'v', swapped: true },
  { mnemonic: 'xchg', opcode: [0x86], modrm: 'r', operands: ['Eb', 'Gb'], os: 'b', lock: true },
  { mnemonic: 'xchg', opcode: [0x86], modrm: 'r', operands: ['Gb', 'Eb'], os: 'b', swapped: true },
  { mnemonic: 'xchg', opcode: [0x87], modrm: 'r', operands: ['Ev', 'Gv'], os: 'v', lock: true },
  { mnemonic: 'xchg', opcode: [0x87], modrm: 'r', operands: ['Gv', 'Ev'], os: 'v', swapped: true },
  { mnemonic: 'push', opcode: [0x50], operands: ['Zv'], os: 'd64', sizes: PUSHPOP },
  { mnemonic: 'push', opcode: [0xff], modrm: 6, operands: ['Ev'], os: 'd64', sizes: PUSHPOP },
  { mnemonic: 'push', opcode: [0x6a], operands: ['IbS'], os: 'd64', sizes: PUSHPOP },
  { mnemonic: 'push', opcode: [0x68], operands: ['Iz'], os: 'd64', sizes: PUSHPOP },
  { mnemonic: 'pop', opcode: [0x58], operands: ['Zv'], os: 'd64', sizes: PUSHPOP },
  { mnemonic: 'pop', opcode: [0x8f], modrm: 0, operands: ['Ev'], os: 'd64', sizes: PUSHPOP },
  { mnemonic: 'push', opcode: [0x0f, 0xa0], operands: ['FS'], os: 'none' },
  { mnemonic: 'push', opcode: [0x0f, 0xa8], operands: ['GS'], os: 'none' },
  { mnemonic: 'pop', opcode: [0x0f, 0xa1], operands: ['FS'], os: 'none' },
  { mnemonic: 'pop', opcode: [0x0f, 0xa9], operands: ['GS'], os: 'none' },
  plain('pushfq', [0x9c], { aliases: ['pushf'] }),
  plain('popfq', [0x9d], { aliases: ['popf'] }),
  plain('leave', [0xc9]),
  plain('cbw', [0x98], { os: 16 }),
  plain('cwde', [0x98], { os: 32 }),
  plain('cdqe', [0x98], { os: 64 }),
  plain('cwd', [0x99], { os: 16 }),
  plain('cdq', [0x99], { os: 32 }),
  plain('cqo', [0x99], { os: 64 }),
  plain('lahf', [0x9f]),
  plain('sahf', [0x9e]),

  // ── Arithmetic and logic ───────────────────────────────────────────────
  ...aluRows(),
  ...unaryRows('inc', 0xfe, 0, true),
  ...unaryRows('dec', 0xfe, 1, true),
  ...unaryRows('not', 0xf6, 2, true),
  ...unaryRows('neg', 0xf6, 3, true),
  ...unaryRows('mul', 0xf6, 4),
  ...unaryRows('imul', 0xf6, 5),
  ...unaryRows('div', 0xf6, 6),
  ...unaryRows('idiv', 0xf6, 7),
  { mnemonic: 'imul', opcode: [0x0f, 0xaf], modrm: 'r', operands: ['Gv', 'Ev'], os: 'v' },
  { mnemonic: 'imul', opcode: [0x6b], modrm: 'r', operands: ['Gv', 'Ev', 'IbS'], os: 'v' },
  { mnemonic: 'imul', opcode: [0x69], modrm: 'r', operands: ['Gv', 'Ev', 'Iz'], os: 'v' },
  { mnemonic: 'imul', opcode: [0x6b], modrm: 'r', operands: ['Gv', 'IbS'], os: 'v', dupReg: true },
  { mnemonic: 'imul', opcode: [0x69], modrm: 'r', operands: ['Gv', 'Iz'], os: 'v', dupReg: true },
  { mnemonic: 'test', opcode: [0x84], modrm: 'r', operands: ['Eb', 'Gb'], os: 'b' },
  { mnemonic: 'test', opcode: [0x85], modrm: 'r', operands: ['Ev', 'Gv'], os: 'v' },
  { mnemonic: 'test', opcode: [0x84], modrm: 'r', operands: ['Gb', 'Eb'], os: 'b', swapped: true },
  { mnemonic: 'test', opcode: [0x85], modrm: 'r', operands: ['Gv', 'Ev'], os: 'v', swapped: true },
  { mnemonic: 'test', opcode: [0xa8], operands: ['AL', 'Ib'], os: 'b' },
  { mnemonic: 'test', opcode: [0xa9], operands: ['rAX', 'Iz'], os: 'v' },
  { mnemonic: 'test', opcode: [0xf6], modrm: 0, operands: ['Eb', 'Ib'], os: 'b' },
  { mnemonic: 'test', opcode: [0xf7], modrm: 0, operands: ['Ev', 'Iz'], os: 'v' },
  ...shiftRows(),

  // ── Control transfer ───────────────────────────────────────────────────
  { mnemonic: 'jmp', opcode: [0xeb], operands: ['Jb'], os: 'f64' },
  { mnemonic: 'jmp', opcode: [0xe9], operands: ['Jz'], os: 'f64' },
  { mnemonic: 'jmp', opcode: [0xff], modrm: 4, operands: ['Ev'], os: 'f64', sizes: [64] },
  { mnemonic: 'call', opcode: [0xe8], operands: ['Jz'], os: 'f64' },
  { mnemonic: 'call', opcode: [0xff], modrm: 2, operands: ['Ev'], os: 'f64', sizes: [64] },
  plain('ret', [0xc3]),
  { mnemonic: 'ret', opcode: [0xc2], operands: ['Iw'], os: 'none' },
  { mnemonic: 'loop', opcode: [0xe2], operands: ['Jb'], os: 'f64' },
  { mnemonic: 'loope', aliases: ['loopz'], opcode: [0xe1], operands: ['Jb'], os: 'f64' },
  { mnemonic: 'loopne', aliases: ['loopnz'], opcode: [0xe0], operands: ['Jb'], os: 'f64' },
  { mnemonic: 'jrcxz', opcode: [0xe3], operands: ['Jb'], os: 'f64' },
  ...conditionRows(),
  plain('int3', [0xcc]),
  { mnemonic: 'int', opcode: [0xcd], operands: ['Ib'], os: 'none' },
  plain('iretd', [0xcf], { aliases: ['iret'], os: 32 }),
  plain('iretq', [0xcf], { os: 64 }),
  plain('ud2', [0x0f, 0x0b]),

  // ── Flags ──────────────────────────────────────────────────────────────
  plain('clc', [0xf8]),
  plain('stc', [0xf9]),
  plain('cmc', [0xf5]),
  plain('cld', [0xfc]),
  plain('std', [0xfd]),
  plain('cli', [0xfa]),
  plain('sti', [0xfb]),

  // ── String operations ──────────────────────────────────────────────────
  ...stringRows('movs', 0xa4, 'rep'),
  ...stringRows('stos', 0xaa, 'rep'),
  ...stringRows('lods', 0xac, 'rep'),
  ...stringRows('cmps', 0xa6, 'repe'),
  ...stringRows('scas', 0xae, 'repe'),
  ...stringRows('ins', 0x6c, 'rep', false, 'IO_INSTRUCTION'),
  ...stringRows('outs', 0x6e, 'rep', false, 'IO_INSTRUCTION'),

  // ── System and I/O ─────────────────────────────────────────────────────
  // PAUSE (F3 90) before NOP, so the decoder sees the mandatory prefix first.
  plain('pause', [0x90], { prefix: 0xf3 }),
  plain('nop', [0x90]),
  { mnemonic: 'nop', opcode: [0x0f, 0x1f], modrm: 0, operands: ['Ev'], os: 'v' },
  plain('hlt', [0xf4], { vmExit: 'HLT' }),
  plain('cpuid', [0x0f, 0xa2], { vmExit: 'CPUID' }),
  plain('rdtsc', [0x0f, 0x31]),
  plain('rdmsr', [0x0f, 0x32], { vmExit: 'MSR_READ' }),
  plain('wrmsr', [0x0f, 0x30], { vmExit: 'MSR_WRITE' }),
  { mnemonic: 'lgdt', opcode: [0x0f, 0x01], modrm: 2, operands: ['Ms'], os: 'none' },
  { mnemonic: 'lidt', opcode: [0x0f, 0x01], modrm: 3, operands: ['Ms'], os: 'none' },
  { mnemonic: 'ltr', opcode: [0x0f, 0x00], modrm: 3, operands: ['Ew'], os: 'none' },
  plain('vmcall', [0x0f, 0x01, 0xc1], { vmExit: 'VMCALL' }),
  plain('vmmcall', [0x0f, 0x01, 0xd9], { vmExit: 'VMCALL' }),
  ...(
    [
      ['in', [0xe4], ['AL', 'Ib'], 'b'],
      ['in', [0xe5], ['rAX', 'Ib'], 'v'],
      ['in', [0xec], ['AL', 'DX'], 'b'],
      ['in', [0xed], ['rAX', 'DX'], 'v'],
      ['out', [0xe6], ['Ib', 'AL'], 'b'],
      ['out', [0xe7], ['Ib', 'rAX'], 'v'],
      ['out', [0xee], ['DX', 'AL'], 'b'],
      ['out', [0xef], ['DX', 'rAX'], 'v'],
    ] as const
  ).map(([mnemonic, opcode, operands, os]): OpcodeRow => ({
    mnemonic,
    opcode,
    operands,
    os,
    sizes: IO,
    vmExit: 'IO_INSTRUCTION',
  })),
] satisfies OpcodeRow[]);

/** Every mnemonic and alias the assembler accepts, sorted (the editor's keywords). */
export const MNEMONICS: readonly string[] = Object.freeze(
  [...new Set(OPCODE_TABLE.flatMap((r) => [r.mnemonic, ...(r.aliases ?? [])]))].sort(),
);
