/**
 * The differential corpus: instruction forms in our syntax and in GNU as
 * syntax, generated deterministically from small operand pools (no
 * randomness: the same list, in the same order, every run).
 *
 * Each item is assembled ALONE at origin 0x10000 by both assemblers (GAS in
 * one batch, see ../gas/gas.ts) and the bytes must match. Most items are one
 * instruction; branches, label/equ/`$` expressions and data are small
 * self-contained snippets whose labels are unique across the corpus
 * (`L<n>…`), so jump relaxation and symbol resolution are tested too.
 */
import {
  align,
  data,
  equ,
  imm,
  insn,
  label,
  mem,
  nearJump,
  reg,
  resetSyntaxCounters,
  symImm,
  target,
  timesDb,
  timesInsn,
  type Line,
  type MemSpec,
  type Op,
  type Size,
} from './syntax';

export interface CorpusItem {
  /** Stable, unique id: `<group>/<n>`. */
  id: string;
  group: string;
  /** Our syntax; several lines joined by '\n'. */
  nasm: string;
  /** GNU as Intel syntax; several lines joined by '\n'. */
  gas: string;
}

/** Condition-code suffixes: all 16 conditions with every alias. */
// prettier-ignore
export const CC_ALL = [
  'o', 'no', 'b', 'c', 'nae', 'nb', 'ae', 'nc', 'e', 'z', 'ne', 'nz', 'be', 'na', 'a', 'nbe',
  's', 'ns', 'p', 'pe', 'np', 'po', 'l', 'nge', 'ge', 'nl', 'le', 'ng', 'g', 'nle',
] as const;

/** One spelling per condition (the 16 encodings 0–15 in order). */
// prettier-ignore
export const CC_CANON = [
  'o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g',
] as const;

const ALU = ['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor'] as const;
const SHIFTS = ['shl', 'sal', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr'] as const;
const UNARY = ['inc', 'dec', 'neg', 'not', 'mul', 'imul', 'div', 'idiv'] as const;

/** Register pools by size, including REX-only and extended registers. */
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r12b', 'r15b'];
const R8_LEGACY = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r13w', 'r15w'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r12d', 'r15d'];
const R64 = [
  'rax',
  'rcx',
  'rdx',
  'rbx',
  'rsp',
  'rbp',
  'rsi',
  'rdi',
  'r8',
  'r9',
  'r12',
  'r13',
  'r15',
];
const POOL: Record<Size, string[]> = { 8: R8, 16: R16, 32: R32, 64: R64 };

const pick = <T>(pool: readonly T[], i: number): T => pool[i % pool.length];

/** Addressing modes (size added by the user of the mode). */
const MODES: MemSpec[] = [
  { base: 'rax' },
  { base: 'rcx' },
  { base: 'rsp' }, // needs SIB
  { base: 'rbp' }, // mod=00 rm=101 is RIP: needs disp8 0
  { base: 'r12' }, // like rsp: SIB
  { base: 'r13' }, // like rbp: disp8 0
  { base: 'r8' },
  { base: 'r15' },
  { base: 'rbx', disp: 8 },
  { base: 'rbx', disp: -8 },
  { base: 'rsi', disp: 127 },
  { base: 'rsi', disp: 128 },
  { base: 'rdi', disp: -128 },
  { base: 'rdi', disp: -129 },
  { base: 'rbp', disp: -8 },
  { base: 'r13', disp: 16 },
  { base: 'rsp', disp: 8 },
  { base: 'r12', disp: 0x100 },
  { base: 'rax', disp: 0x12345678 },
  { base: 'rax', index: 'rcx' },
  { base: 'rax', index: 'rcx', scale: 2 },
  { base: 'rax', index: 'rcx', scale: 4, disp: 8 },
  { base: 'rbx', index: 'rdx', scale: 8, disp: -16 },
  { base: 'rbp', index: 'rax' }, // rbp base with SIB: disp8 0
  { base: 'r13', index: 'rax', scale: 4 },
  { base: 'rsp', index: 'rbp', scale: 2 }, // rbp as index is fine
  { base: 'r8', index: 'r9', scale: 8, disp: 0x12345 },
  { base: 'rax', index: 'r12' }, // r12 as index (REX.X) is fine
  { base: 'rdi', index: 'r15', scale: 2, disp: -1 },
  { index: 'rcx', scale: 8, disp: 16 }, // no base: SIB base=101, disp32
  { index: 'rcx', scale: 2 }, // no base, disp32 = 0
  { index: 'r9', scale: 4, disp: -4 },
  { disp: 0x1000 }, // absolute: SIB no base no index + disp32
  { disp: 0x7ffffff0 },
  { disp: -8 },
  { base: 'eax' }, // 67 prefix
  { base: 'ecx', disp: 8 },
  { base: 'eax', index: 'ecx', scale: 4, disp: 4 },
  { base: 'r8d' },
  { base: 'esp' },
  { base: 'ebp' },
  { base: 'r13d', index: 'r14d', scale: 2 },
  { seg: 'fs', base: 'rax' },
  { seg: 'gs', base: 'rbx', disp: 8 },
  { seg: 'fs', disp: 0x28 },
];

class Builder {
  readonly items: CorpusItem[] = [];
  private group = '';
  private perGroup = new Map<string, number>();
  private labels = 0;

  setGroup(g: string): void {
    this.group = g;
  }

  /** A fresh corpus-unique label name. */
  fresh(): string {
    return `L${this.labels++}`;
  }

  add(...lines: Line[]): void {
    const n = this.perGroup.get(this.group) ?? 0;
    this.perGroup.set(this.group, n + 1);
    this.items.push({
      id: `${this.group}/${n}`,
      group: this.group,
      nasm: lines.map((l) => l.nasm).join('\n'),
      gas: lines.map((l) => l.gas).join('\n'),
    });
  }

  /** One instruction as an item. */
  i(mnemonic: string, ...ops: Op[]): void {
    this.add(insn(mnemonic, ...ops));
  }
}

const r = reg;
const m = (size: Size | undefined, spec: MemSpec, explicit = true): Op =>
  mem({ ...spec, size, explicit });

function movForms(b: Builder): void {
  b.setGroup('mov');
  // reg, reg at every size, incl. REX-only byte registers and high bytes.
  // prettier-ignore
  for (const [d, s] of [
    ['al', 'cl'], ['ah', 'bl'], ['al', 'ah'], ['dh', 'ch'], ['sil', 'dil'], ['r8b', 'al'], ['spl', 'r15b'],
    ['ax', 'cx'], ['r9w', 'si'], ['eax', 'ecx'], ['esp', 'r8d'], ['r15d', 'ebp'],
    ['rax', 'rcx'], ['rsp', 'rbp'], ['r8', 'rax'], ['rdi', 'r13'], ['r12', 'r15'],
  ]) b.i('mov', r(d), r(s));
  // reg, imm: the immediate-size choices.
  // prettier-ignore
  for (const [d, v] of [
    ['al', '5'], ['ah', '0x7f'], ['r8b', '5'], ['sil', '-1'], ['bl', '255'],
    ['ax', '500'], ['r9w', '-2'], ['cx', '0xffff'],
    ['eax', '5'], ['eax', '-1'], ['eax', '0'], ['r10d', '0xffffffff'], ['edi', '0x80000000'],
    ['rax', '1'], ['rax', '0'], ['rax', '-1'], ['rax', '0xffffffff'], ['rax', '0x7fffffff'],
    ['rax', '0x80000000'], ['rcx', '-0x80000000'], ['rdx', '-0x80000001'],
    ['rax', '0x123456789abcdef0'], ['r15', '0x100000000'], ['r9', '-2'],
  ]) b.i('mov', r(d), imm(v));
  // reg <-> mem, each size, size keyword written or implied.
  const sizes: Size[] = [8, 16, 32, 64];
  sizes.forEach((sz, k) => {
    b.i('mov', r(pick(POOL[sz], k + 1)), m(sz, MODES[k + 8], k % 2 === 0));
    b.i('mov', m(sz, MODES[k + 20], k % 2 === 1), r(pick(POOL[sz], k + 7)));
  });
  b.i('mov', r('ah'), m(8, { base: 'rbx' }, false));
  // mem, imm.
  b.i('mov', m(8, { base: 'rax' }), imm(5));
  b.i('mov', m(8, { base: 'r9', disp: 1 }), imm(-1));
  b.i('mov', m(16, { base: 'rax' }), imm(500));
  b.i('mov', m(16, { base: 'rbx' }), imm(5));
  b.i('mov', m(32, { base: 'rax' }), imm(-1));
  b.i('mov', m(32, { base: 'rsp', disp: 4 }), imm('0x12345678'));
  b.i('mov', m(64, { base: 'rax' }), imm(-1));
  b.i('mov', m(64, { base: 'rax' }), imm('0x7fffffff'));
  b.i('mov', m(64, { base: 'rbp', disp: -8 }), imm(0));
  // moffs-looking absolute addresses: GAS uses ModRM + SIB disp32, never A0–A3.
  b.i('mov', r('al'), m(8, { disp: 0x1000 }, false));
  b.i('mov', r('eax'), m(32, { disp: 0x1000 }, false));
  b.i('mov', m(64, { disp: 0x2000 }, false), r('rax'));
  // segment registers.
  for (const s of ['es', 'ss', 'ds', 'fs', 'gs']) b.i('mov', r(s), r('ax'));
  b.i('mov', r('ds'), r('eax'));
  b.i('mov', r('ds'), r('rax'));
  b.i('mov', r('fs'), r('r8w'));
  b.i('mov', r('ax'), r('ds'));
  b.i('mov', r('eax'), r('ds'));
  b.i('mov', r('rax'), r('ds'));
  b.i('mov', r('cx'), r('cs'));
  b.i('mov', r('r9d'), r('ss'));
  b.i('mov', r('ds'), m(16, { base: 'rax' }, false));
  b.i('mov', r('ss'), m(16, { base: 'rbx', disp: 8 }));
  b.i('mov', m(16, { base: 'rax' }, false), r('ds'));
  b.i('mov', m(16, { base: 'r8' }), r('gs'));
  // control registers.
  b.i('mov', r('cr0'), r('rax'));
  b.i('mov', r('cr3'), r('rax'));
  b.i('mov', r('cr4'), r('rbx'));
  b.i('mov', r('cr2'), r('r9'));
  b.i('mov', r('cr8'), r('rax'));
  b.i('mov', r('rax'), r('cr0'));
  b.i('mov', r('rax'), r('cr2'));
  b.i('mov', r('rdx'), r('cr3'));
  b.i('mov', r('r8'), r('cr3'));
  b.i('mov', r('rcx'), r('cr4'));
  b.i('mov', r('rax'), r('cr8'));
}

function addressingModes(b: Builder): void {
  b.setGroup('modrm');
  MODES.forEach((mode, k) => {
    const sz = ([8, 16, 32, 64] as Size[])[k % 4];
    b.i('mov', r(pick(POOL[sz], k)), m(sz, mode, k % 3 === 0));
    // (lea ignores a segment override: GAS warns, so no lea with fs:/gs:.)
    if (mode.seg === undefined) b.i('lea', r(k % 2 ? 'rax' : 'r10'), m(undefined, mode));
    if (k % 3 === 1) b.i('add', m(32, mode), imm(1));
  });
  // Labels in memory operands: RIP-relative and absolute.
  const sym = (lines: (l: string) => Line[]) => b.add(...lines(b.fresh()));
  sym((l) => [label(l), insn('lea', r('rax'), m(undefined, { rel: l }))]);
  sym((l) => [insn('lea', r('rax'), m(undefined, { rel: l })), label(l)]);
  sym((l) => [label(l), insn('nop'), insn('mov', r('eax'), m(32, { rel: l }, false))]);
  sym((l) => [insn('mov', m(64, { rel: l }, false), r('r9')), label(l), data(8, [0])]);
  sym((l) => [insn('mov', m(32, { rel: l, disp: 8 }), imm(5)), label(l)]);
  sym((l) => [insn('cmp', m(8, { rel: l }), imm(0)), label(l), data(1, [0])]);
  sym((l) => [insn('mov', r('eax'), m(32, { sym: l }, false)), label(l)]);
  sym((l) => [label(l), insn('mov', r('rcx'), m(64, { sym: l, disp: 8 }))]);
  sym((l) => [insn('mov', r('edx'), m(32, { sym: l, index: 'rcx', scale: 4 })), label(l)]);
  sym((l) => [insn('mov', r('esi'), m(32, { sym: l, base: 'rbx' }, false)), label(l)]);
}

function aluForms(b: Builder): void {
  b.setGroup('alu');
  ALU.forEach((op, k) => {
    const rr = (sz: Size, j: number) => r(pick(POOL[sz], k + j));
    b.i(op, r(pick(R8_LEGACY, k)), r(pick(R8_LEGACY, k + 3)));
    b.i(op, rr(8, 4), rr(8, 6));
    b.i(op, rr(16, 0), rr(16, 2));
    b.i(op, rr(32, 1), rr(32, 5));
    b.i(op, rr(64, 2), rr(64, 7));
    b.i(op, rr(64, 0), m(64, MODES[k + 8], false));
    b.i(op, m(32, MODES[k + 16], k % 2 === 0), rr(32, 3));
    b.i(op, m(8, MODES[k], false), rr(8, 9));
    b.i(op, r('al'), imm(5));
    b.i(op, r('cl'), imm(-3));
    b.i(op, r('ax'), imm(500));
    b.i(op, r('dx'), imm(5));
    b.i(op, r('eax'), imm(5));
    b.i(op, r('eax'), imm(500));
    b.i(op, rr(32, 4), imm(100));
    b.i(op, rr(32, 6), imm(0x1000));
    b.i(op, r('rax'), imm(-1));
    b.i(op, r('rax'), imm('0x12345678'));
    b.i(op, r('r8'), imm(1000));
    b.i(op, m(8, MODES[k + 1]), imm(7));
    b.i(op, m(16, MODES[k + 2]), imm(3));
    b.i(op, m(16, MODES[k + 3]), imm(300));
    b.i(op, m(32, MODES[k + 4]), imm(-1));
    b.i(op, m(64, MODES[k + 5]), imm(0x100));
  });
  b.setGroup('alu-imm');
  // The imm8 (sign-extended) vs imm32 boundary, and accumulator short forms.
  for (const v of [
    '127',
    '128',
    '-128',
    '-129',
    '0xffffffff',
    '0x80000000',
    '0x7fffffff',
    '-0x80000000',
  ])
    b.i('add', r('eax'), imm(v));
  for (const v of ['127', '128', '-128', '-129']) b.i('add', r('ecx'), imm(v));
  for (const v of ['127', '128', '-128', '-129', '0x7fffffff', '-0x80000000'])
    b.i('sub', r('rax'), imm(v));
  for (const v of ['127', '-129']) b.i('cmp', r('r9'), imm(v));
  for (const v of ['200', '-1', '0xff']) b.i('add', r('al'), imm(v));
  b.i('add', r('cl'), imm(200));
  for (const v of ['-1', '0xffff', '127', '128', '0x8000']) b.i('add', r('ax'), imm(v));
  b.i('and', r('cx'), imm('0xff00'));
  b.i('and', r('eax'), imm('0xfffffff0'));
  b.i('and', r('rax'), imm(-16));
  b.i('or', m(64, { base: 'rax' }), imm('0x80'));
  b.i('xor', m(32, { base: 'rax' }), imm('0xffffff80'));
  // Prefix order (GAS: segment, 67, 66, F0/F3, REX).
  b.i('mov', r('ax'), m(16, { seg: 'fs', base: 'eax' }, false));
  b.i('mov', r('rax'), m(64, { seg: 'gs', base: 'r8d', disp: 8 }, false));
  b.i('lock add', m(16, { base: 'eax' }), imm(1));
  b.i('lock add', m(16, { seg: 'fs', base: 'rax' }), imm(1));
  b.i('lock add', m(64, { base: 'r9' }), r('r10'));
  // lock prefix.
  b.i('lock add', m(32, { base: 'rax' }), imm(1));
  b.i('lock xor', m(64, { base: 'rbx', disp: 8 }), r('rcx'));
}

function testForms(b: Builder): void {
  b.setGroup('test');
  b.i('test', r('al'), r('cl'));
  b.i('test', r('ah'), r('bl'));
  b.i('test', r('sil'), r('r8b'));
  b.i('test', r('ax'), r('dx'));
  b.i('test', r('eax'), r('ecx'));
  b.i('test', r('ecx'), r('eax'));
  b.i('test', r('rax'), r('r9'));
  b.i('test', r('r12'), r('rsp'));
  b.i('test', m(32, { base: 'rax' }, false), r('ecx'));
  b.i('test', r('ecx'), m(32, { base: 'rax' }, false));
  b.i('test', r('rdx'), m(64, { base: 'rbx', disp: 8 }));
  b.i('test', m(8, { base: 'rsi' }, false), r('dl'));
  b.i('test', r('al'), imm(5));
  b.i('test', r('cl'), imm(5));
  b.i('test', r('ax'), imm(500));
  b.i('test', r('ax'), imm(5));
  b.i('test', r('eax'), imm(5));
  b.i('test', r('ecx'), imm(5));
  b.i('test', r('rax'), imm(-1));
  b.i('test', r('r8'), imm(5));
  b.i('test', r('dil'), imm(1));
  b.i('test', m(8, { base: 'rax' }), imm(1));
  b.i('test', m(16, { base: 'rax' }), imm(0x100));
  b.i('test', m(32, { base: 'rax' }), imm(0x100));
  b.i('test', m(64, { base: 'rbx', disp: 8 }), imm(1));
}

function unaryForms(b: Builder): void {
  b.setGroup('unary');
  UNARY.forEach((op, k) => {
    b.i(op, r(pick(R8_LEGACY, k)));
    b.i(op, r(pick(R8, k + 4)));
    b.i(op, r(pick(R16, k)));
    b.i(op, r(pick(R32, k + 1)));
    b.i(op, r(pick(R64, k + 2)));
    b.i(op, m(8, MODES[k]));
    b.i(op, m(16, MODES[k + 9]));
    b.i(op, m(32, MODES[k + 18]));
    b.i(op, m(64, MODES[k + 27]));
  });
}

function shiftForms(b: Builder): void {
  b.setGroup('shift');
  SHIFTS.forEach((op, k) => {
    b.i(op, r(pick(R32, k)), imm(1));
    b.i(op, r(pick(R8, k + 2)), imm(1));
    b.i(op, r(pick(R8_LEGACY, k)), r('cl'));
    b.i(op, r(pick(R16, k + 1)), r('cl'));
    b.i(op, r(pick(R64, k + 3)), r('cl'));
    b.i(op, r(pick(R64, k)), imm(4));
    b.i(op, r(pick(R16, k + 5)), imm(2));
    b.i(op, r(pick(R32, k + 7)), imm(31));
    b.i(op, m(8, MODES[k + 1]), imm(1));
    b.i(op, m(32, MODES[k + 10]), r('cl'));
    b.i(op, m(64, MODES[k + 19]), imm(3));
    b.i(op, m(16, MODES[k + 28]), imm(1));
  });
  b.i('shl', r('eax'), imm(0));
  b.i('shr', r('rax'), imm(63));
  b.i('sar', r('al'), imm(7));
}

function mulForms(b: Builder): void {
  b.setGroup('imul');
  b.i('imul', r('eax'), r('ecx'));
  b.i('imul', r('r8d'), r('r9d'));
  b.i('imul', r('ax'), r('cx'));
  b.i('imul', r('rax'), m(64, { base: 'rbx' }, false));
  b.i('imul', r('rcx'), m(64, { base: 'rsp', disp: 8 }));
  b.i('imul', r('r12'), r('r13'));
  b.i('imul', r('eax'), imm(5));
  b.i('imul', r('eax'), imm(500));
  b.i('imul', r('ecx'), imm(-1));
  b.i('imul', r('rax'), imm(127));
  b.i('imul', r('rax'), imm(128));
  b.i('imul', r('ax'), imm(1000));
  b.i('imul', r('eax'), r('ecx'), imm(5));
  b.i('imul', r('eax'), r('ecx'), imm(-128));
  b.i('imul', r('eax'), r('ecx'), imm(128));
  b.i('imul', r('rax'), r('rcx'), imm('0x7fffffff'));
  b.i('imul', r('r8'), m(64, { base: 'rax' }, false), imm(10));
  b.i('imul', r('ax'), r('cx'), imm(500));
  b.i('imul', r('ecx'), m(32, { base: 'rax', disp: 8 }), imm(3));
  b.i('imul', r('esi'), m(32, { base: 'r13', index: 'r12', scale: 2 }, false), imm(-1000));
}

function miscForms(b: Builder): void {
  b.setGroup('movx');
  b.i('movzx', r('eax'), r('al'));
  b.i('movzx', r('eax'), r('ah'));
  b.i('movzx', r('ecx'), m(8, { base: 'rax' }));
  b.i('movzx', r('eax'), m(16, { base: 'rbx' }));
  b.i('movzx', r('rax'), r('cl'));
  b.i('movzx', r('rax'), r('sil'));
  b.i('movzx', r('r8'), m(16, { base: 'rsi' }));
  b.i('movzx', r('ax'), r('bl'));
  b.i('movzx', r('r9d'), r('dil'));
  b.i('movzx', r('edx'), r('r10w'));
  b.i('movzx', r('r11w'), m(8, { base: 'r12' }));
  b.i('movsx', r('eax'), r('al'));
  b.i('movsx', r('eax'), r('bh'));
  b.i('movsx', r('ecx'), m(8, { base: 'rax' }));
  b.i('movsx', r('eax'), m(16, { base: 'rbx', disp: 2 }));
  b.i('movsx', r('rax'), r('cl'));
  b.i('movsx', r('rax'), r('r15w'));
  b.i('movsx', r('ax'), m(8, { base: 'rax' }));
  b.i('movsx', r('r9'), r('spl'));
  b.i('movsxd', r('rax'), r('ecx'));
  b.i('movsxd', r('r8'), m(32, { base: 'rax' }));
  b.i('movsxd', r('rax'), r('r9d'));
  b.i('movsxd', r('rcx'), m(32, { base: 'rbp', disp: -4 }, false));

  b.setGroup('lea');
  b.i('lea', r('rax'), m(undefined, { base: 'rbx', index: 'rcx', scale: 4, disp: 8 }));
  b.i('lea', r('eax'), m(undefined, { base: 'rbx', disp: 8 }));
  b.i('lea', r('ax'), m(undefined, { base: 'rbx' }));
  b.i('lea', r('r15'), m(undefined, { base: 'r15', disp: -1 }));
  b.i('lea', r('eax'), m(undefined, { base: 'eax', index: 'eax', scale: 2 }));

  b.setGroup('xchg');
  // prettier-ignore
  for (const [a, c] of [
    ['eax', 'ecx'], ['ecx', 'eax'], ['rax', 'rcx'], ['rcx', 'rax'], ['r8', 'rax'], ['rax', 'r8'],
    ['eax', 'eax'], ['rax', 'rax'], ['ax', 'ax'], ['ax', 'cx'], ['r8d', 'eax'], ['ebx', 'ecx'],
    ['r8d', 'r9d'], ['al', 'cl'], ['cl', 'al'], ['ah', 'al'], ['rsi', 'rdi'], ['r12w', 'ax'],
  ]) b.i('xchg', r(a), r(c));
  b.i('xchg', m(32, { base: 'rax' }, false), r('ecx'));
  b.i('xchg', r('ecx'), m(32, { base: 'rax' }, false));
  b.i('xchg', m(64, { base: 'rbx' }), r('rdx'));
  b.i('xchg', r('al'), m(8, { base: 'rsi', disp: 1 }));

  b.setGroup('stack');
  for (const x of ['rax', 'rbx', 'rsp', 'rbp', 'r8', 'r12', 'r15', 'ax', 'r9w']) b.i('push', r(x));
  for (const x of ['rax', 'rdi', 'r12', 'r15', 'ax', 'r10w']) b.i('pop', r(x));
  b.i('push', m(64, { base: 'rax' }));
  b.i('push', m(64, { base: 'rbx', disp: 8 }));
  b.i('push', m(64, { base: 'r13' }));
  b.i('push', m(16, { base: 'rax' }));
  b.i('pop', m(64, { base: 'rax' }));
  b.i('pop', m(64, { base: 'rsp', disp: 16 }));
  b.i('pop', m(16, { base: 'rbx' }));
  for (const v of [
    '0',
    '5',
    '-1',
    '127',
    '128',
    '-128',
    '-129',
    '500',
    '0x7fffffff',
    '-0x80000000',
  ])
    b.i('push', imm(v));
  b.i('push', r('fs'));
  b.i('push', r('gs'));
  b.i('pop', r('fs'));
  b.i('pop', r('gs'));
  for (const x of ['pushfq', 'popfq', 'leave']) b.i(x);

  b.setGroup('convert');
  for (const x of ['cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo']) b.i(x);

  b.setGroup('system');
  // prettier-ignore
  for (const x of [
    'nop', 'pause', 'hlt', 'cli', 'sti', 'clc', 'stc', 'cmc', 'cld', 'std', 'cpuid', 'rdtsc',
    'rdmsr', 'wrmsr', 'int3', 'ud2', 'iretq', 'vmcall', 'vmmcall', 'ret',
  ]) b.i(x);
  for (const v of ['3', '0', '1', '0x80', '255']) b.i('int', imm(v));
  for (const v of ['0', '8', '0x10', '0xffff']) b.i('ret', imm(v));
  b.i('lgdt', m(undefined, { base: 'rax' }));
  b.i('lidt', m(undefined, { base: 'rbx', disp: 8 }));
  b.i('lgdt', m(undefined, { base: 'r8' }));
  b.i('lidt', m(undefined, { disp: 0x1000 }));
  b.add(
    ...((l: string) => [insn('lgdt', m(undefined, { rel: l })), label(l), data(2, [0x17])])(
      b.fresh(),
    ),
  );

  b.setGroup('io');
  for (const a of ['al', 'ax', 'eax']) {
    b.i('in', r(a), imm('0x60'));
    b.i('in', r(a), r('dx'));
    b.i('out', imm('0x80'), r(a));
    b.i('out', r('dx'), r(a));
  }
  b.i('in', r('al'), imm(0));
  b.i('out', imm(255), r('al'));

  b.setGroup('string');
  for (const op of ['movs', 'stos', 'lods']) for (const s of ['b', 'w', 'd', 'q']) b.i(op + s);
  for (const op of ['outs', 'ins']) for (const s of ['b', 'w', 'd']) b.i(op + s);
  for (const x of [
    'rep movsb',
    'rep movsq',
    'rep stosb',
    'rep stosd',
    'rep stosq',
    'rep outsb',
    'rep insb',
    'rep lodsb',
    'rep movsw',
  ])
    b.i(x);
}

function branchForms(b: Builder): void {
  b.setGroup('jmp');
  const nops = (n: number) => timesInsn(n, insn('nop'));
  const snip = (f: (l: string) => Line[]) => b.add(...f(b.fresh()));
  // Relaxation: short backward, short forward, near forward, near backward.
  snip((l) => [label(l), insn('jmp', target(l))]); // eb fe
  snip((l) => [label(l), insn('nop'), insn('jmp', target(l))]);
  snip((l) => [insn('jmp', target(l)), label(l)]); // eb 00
  snip((l) => [insn('jmp', target(l)), insn('nop'), label(l)]);
  snip((l) => [insn('jmp', target(l)), nops(200), label(l)]);
  snip((l) => [label(l), nops(200), insn('jmp', target(l))]);
  // Exact boundaries: +127 / +128 forward, -128 / -129 backward.
  snip((l) => [insn('jmp', target(l)), nops(127), label(l)]);
  snip((l) => [insn('jmp', target(l)), nops(128), label(l)]);
  snip((l) => [label(l), nops(126), insn('jmp', target(l))]);
  snip((l) => [label(l), nops(127), insn('jmp', target(l))]);
  // Explicit hints.
  snip((l) => [insn('jmp', target(l, 'short')), nops(3), label(l)]);
  snip((l) => [label(l), insn('jmp', target(l, 'short'))]);
  snip((l) => [nearJump('jmp', l), label(l)]);
  snip((l) => [label(l), nearJump('jmp', l)]);
  // Two jumps whose sizes depend on each other (relaxation fixpoint).
  snip((l) => [
    insn('jmp', target(`${l}b`)),
    nops(60),
    label(`${l}a`),
    nops(60),
    insn('jmp', target(`${l}a`)),
    nops(4),
    label(`${l}b`),
  ]);
  // Jumps over alignment padding (the padding depends on the jump's size).
  snip((l) => [insn('jmp', target(l)), nops(100), align(64), label(l)]);
  snip((l) => [insn('jmp', target(l)), nops(124), align(128), label(l)]);
  snip((l) => [insn('jne', target(l)), nops(100), align(128), label(l)]);
  snip((l) => [label(l), nops(10), align(16), insn('jmp', target(l))]);
  // Jumps over data.
  snip((l) => [insn('je', target(l)), timesDb('120', 0), label(l)]);
  snip((l) => [insn('je', target(l)), timesDb('130', 0), label(l)]);
  // `$` and numeric targets.
  b.i('jmp', target('$'));
  b.i('jmp', target('$ + 2'));
  b.i('jmp', target('0x10000'));
  b.i('jmp', target('0x10010'));
  b.i('jmp', target('0x20000'));
  b.i('call', target('0x10000'));
  b.i('jz', target('0x10000'));
  // Indirect.
  b.i('jmp', r('rax'));
  b.i('jmp', r('r8'));
  b.i('jmp', m(64, { base: 'rax' }));
  b.i('jmp', m(64, { base: 'rbx', index: 'rcx', scale: 8, disp: 16 }));
  b.i('jmp', m(64, { base: 'r12' }));
  snip((l) => [insn('jmp', m(64, { rel: l })), label(l), data(8, [l])]);
  // Jump table (absolute addresses in data).
  snip((l) => [
    insn('jmp', m(64, { sym: `${l}t`, index: 'rax', scale: 8 })),
    label(`${l}t`),
    data(8, [`${l}a`, `${l}b`]),
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
    insn('ret'),
  ]);

  b.setGroup('call');
  snip((l) => [insn('call', target(l)), label(l)]);
  snip((l) => [label(l), insn('call', target(l))]);
  snip((l) => [insn('call', target(l)), nops(300), label(l), insn('ret')]);
  b.i('call', r('rax'));
  b.i('call', r('r9'));
  b.i('call', m(64, { base: 'rax' }));
  b.i('call', m(64, { base: 'rsp', disp: 8 }));
  snip((l) => [insn('call', m(64, { rel: l })), label(l), data(8, [0])]);

  b.setGroup('loop');
  snip((l) => [label(l), insn('nop'), insn('loop', target(l))]);
  snip((l) => [insn('loop', target(l)), label(l)]);
  snip((l) => [label(l), nops(125), insn('loop', target(l))]);

  b.setGroup('jcc');
  // Every alias: short forward.
  for (const cc of CC_ALL) snip((l) => [insn(`j${cc}`, target(l)), insn('nop'), label(l)]);
  // Every condition: near forward, short backward, near backward, forced near.
  CC_CANON.forEach((cc, k) => {
    snip((l) => [insn(`j${cc}`, target(l)), nops(130 + k), label(l)]);
    snip((l) => [label(l), insn('nop'), insn(`j${cc}`, target(l))]);
    if (k % 2 === 0) snip((l) => [label(l), nops(200), insn(`j${cc}`, target(l))]);
    if (k % 4 === 1) snip((l) => [nearJump(`j${cc}`, l), label(l)]);
  });
  // Aliases also near.
  for (const cc of ['c', 'nae', 'z', 'nz', 'na', 'nbe', 'pe', 'po', 'nge', 'nl', 'ng', 'nle'])
    snip((l) => [label(l), nops(150), insn(`j${cc}`, target(l))]);
}

function setCmovForms(b: Builder): void {
  b.setGroup('setcc');
  const r8 = ['al', 'cl', 'sil', 'r9b', 'ah', 'bl', 'dil', 'r15b'];
  CC_ALL.forEach((cc, k) => {
    b.i(`set${cc}`, r(pick(r8, k)));
    if (k % 2 === 0) b.i(`set${cc}`, m(8, MODES[k], k % 4 === 0));
  });
  b.setGroup('cmovcc');
  const sizes: Size[] = [16, 32, 64];
  CC_ALL.forEach((cc, k) => {
    const sz = sizes[k % 3];
    b.i(`cmov${cc}`, r(pick(POOL[sz], k)), r(pick(POOL[sz], k + 5)));
    if (k % 2 === 1) b.i(`cmov${cc}`, r(pick(POOL[sz], k + 2)), m(sz, MODES[k + 1], k % 3 === 0));
  });
}

/** Immediates and memory operands naming labels, `equ` constants, `$` and `$$`. */
function symbolicForms(b: Builder): void {
  b.setGroup('label-imm');
  const snip = (f: (l: string) => Line[]) => b.add(...f(b.fresh()));
  snip((l) => [insn('mov', r('eax'), symImm(l)), label(l)]);
  snip((l) => [label(l), insn('mov', r('eax'), symImm(l))]);
  snip((l) => [insn('mov', r('rax'), symImm(l)), label(l)]);
  snip((l) => [insn('mov', r('r9'), symImm(l)), label(l)]);
  snip((l) => [insn('mov', r('ecx'), symImm(`${l} + 4`)), label(l)]);
  snip((l) => [insn('push', symImm(l)), label(l)]);
  snip((l) => [label(l), insn('add', r('eax'), symImm(l))]);
  snip((l) => [label(l), insn('add', r('ecx'), symImm(l))]);
  snip((l) => [label(l), insn('cmp', r('rax'), symImm(l))]);
  snip((l) => [label(l), insn('mov', m(64, { base: 'rax' }), symImm(l))]);
  snip((l) => [label(l), insn('mov', m(32, { base: 'rax' }), symImm(l))]);
  snip((l) => [label(l), insn('imul', r('eax'), r('ecx'), symImm(l))]);
  snip((l) => [label(l), data(8, [l, `${l} + 8`]), data(4, [l])]);

  b.setGroup('label-diff');
  // Differences of labels: a constant, but GAS only folds it when both labels
  // are already defined and no relaxable jump lies between them.
  snip((l) => [
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
    insn('add', r('eax'), symImm(`${l}b - ${l}a`)),
  ]);
  snip((l) => [
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
    insn('mov', r('eax'), symImm(`${l}b - ${l}a`)),
  ]);
  snip((l) => [
    label(`${l}a`),
    nopsInsn(200),
    label(`${l}b`),
    insn('mov', r('ecx'), symImm(`${l}b - ${l}a`)),
  ]);
  snip((l) => [
    label(`${l}a`),
    nopsInsn(100),
    label(`${l}b`),
    insn('add', r('ecx'), symImm(`${l}b - ${l}a`)),
  ]);
  snip((l) => [label(`${l}a`), insn('nop'), label(`${l}b`), insn('push', symImm(`${l}b - ${l}a`))]);
  snip((l) => [
    insn('add', r('eax'), symImm(`${l}b - ${l}a`)),
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
  ]);
  snip((l) => [insn('push', symImm(`${l}b - ${l}a`)), label(`${l}a`), insn('nop'), label(`${l}b`)]);
  snip((l) => [
    insn('mov', r('eax'), symImm(`${l}b - ${l}a`)),
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
  ]);
  snip((l) => [
    label(`${l}a`),
    insn('jmp', target(`${l}b`)),
    label(`${l}b`),
    insn('add', r('eax'), symImm(`${l}b - ${l}a`)),
  ]);
  snip((l) => [
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
    data(1, [`${l}b - ${l}a`]),
    data(2, [`${l}b - ${l}a`]),
  ]);
  snip((l) => [data(4, [`${l}b - ${l}a`]), label(`${l}a`), insn('nop'), label(`${l}b`)]);

  // Folding depends on what lies between the labels: align padding (variable)
  // blocks it, fixed data does not.
  snip((l) => [
    label(`${l}a`),
    insn('nop'),
    align(8),
    label(`${l}b`),
    insn('add', r('eax'), symImm(`${l}b - ${l}a`)),
  ]);
  snip((l) => [
    label(`${l}a`),
    insn('nop'),
    timesDb('3', 0),
    label(`${l}b`),
    insn('add', r('eax'), symImm(`${l}b - ${l}a`)),
  ]);
  // An equ naming a label difference: folded when defined before use.
  snip((l) => [
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
    equ(`${l}n`, `${l}b - ${l}a`),
    insn('add', r('eax'), symImm(`${l}n`)),
  ]);
  snip((l) => [
    label(`${l}a`),
    insn('nop'),
    label(`${l}b`),
    insn('add', r('eax'), symImm(`${l}n`)),
    equ(`${l}n`, `${l}b - ${l}a`),
  ]);

  b.setGroup('equ');
  // equ defined before use: the value is known, smallest encoding.
  snip((l) => [equ(l, '5'), insn('add', r('eax'), symImm(l))]);
  snip((l) => [equ(l, '5'), insn('mov', r('eax'), symImm(l))]);
  snip((l) => [equ(l, '5'), insn('push', symImm(l))]);
  snip((l) => [equ(l, '5'), insn('imul', r('eax'), r('ecx'), symImm(l))]);
  snip((l) => [equ(l, '5'), insn('mov', r('rax'), symImm(l))]);
  snip((l) => [equ(l, '0x123456789'), insn('mov', r('rax'), symImm(l))]);
  snip((l) => [equ(l, '0x3f8'), insn('mov', r('dx'), symImm(l))]);
  snip((l) => [equ(l, '0x3f8'), insn('mov', r('edx'), symImm(`${l} + 5`))]);
  snip((l) => [equ(l, '16'), insn('shl', r('eax'), symImm(`${l} / 4`))]);
  snip((l) => [equ(l, '0x80'), insn('out', symImm(l), r('al'))]);
  snip((l) => [equ(l, '8'), insn('ret', symImm(l))]);
  snip((l) => [equ(l, '8'), insn('mov', r('eax'), m(32, { base: 'rbx', sym: l }, false))]);
  snip((l) => [equ(l, '2'), equ(`${l}x`, `${l} * 3 + 1`), insn('add', r('ecx'), symImm(`${l}x`))]);
  snip((l) => [equ(l, '5'), data(1, [l]), data(4, [`${l} * 2`])]);
  // equ defined after use: GAS does not know the value yet → widest form.
  snip((l) => [insn('add', r('eax'), symImm(l)), equ(l, '5')]);
  snip((l) => [insn('mov', r('eax'), symImm(l)), equ(l, '5')]);
  snip((l) => [insn('push', symImm(l)), equ(l, '5')]);
  snip((l) => [insn('imul', r('eax'), r('ecx'), symImm(l)), equ(l, '5')]);
  snip((l) => [insn('mov', r('rax'), symImm(l)), equ(l, '5')]);
  snip((l) => [insn('cmp', m(32, { base: 'rax' }), symImm(l)), equ(l, '5')]);
  snip((l) => [insn('mov', r('eax'), m(32, { base: 'rbx', sym: l }, false)), equ(l, '8')]);
  snip((l) => [insn('shl', r('eax'), symImm(l)), equ(l, '4')]);
  snip((l) => [insn('int', symImm(l)), equ(l, '0x80')]);
  // Shift by an equ of 1: D1 /4 when known, C1 /4 ib when not yet defined.
  snip((l) => [equ(l, '1'), insn('shl', r('eax'), symImm(l))]);
  snip((l) => [insn('shl', r('eax'), symImm(l)), equ(l, '1')]);
  snip((l) => [equ(l, '3'), insn('int', symImm(l))]);
  snip((l) => [insn('int', symImm(l)), equ(l, '3')]);

  b.setGroup('dollar');
  snip((l) => [label(l), insn('mov', r('eax'), symImm('$'))]);
  snip((l) => [label(l), insn('nop'), insn('mov', r('eax'), symImm('$ - $$', l))]);
  snip((l) => [label(l), insn('nop'), insn('add', r('eax'), symImm('$ - $$', l))]);
  snip((l) => [label(l), insn('jmp', target('$ + 2')), insn('add', r('eax'), symImm('$ - $$', l))]);
  snip((l) => [label(l), insn('lea', r('rax'), m(undefined, { rel: '$' }))]);
  snip((l) => [label(l), data(8, ['$', '$ - $$'], l)]); // NASM: `$` is the line's start for every item
  snip((l) => [label(l), insn('nop'), data(4, ['$ - $$', '$ - $$', '$ + 1 - $$'], l)]);
  snip((l) => [label(l), insn('nop'), timesDb('8 - ($ - $$)', 0xcc, l)]);
  snip((l) => [
    label(l),
    insn('jmp', target(`${l}x`)),
    label(`${l}x`),
    timesDb('16 - ($ - $$)', 0, l),
  ]);
}

function nopsInsn(n: number): Line {
  return timesInsn(n, insn('nop'));
}

function dataForms(b: Builder): void {
  b.setGroup('data');
  b.add(data(1, [1, 2, 3]));
  b.add(data(1, ["'hi'", 0]));
  b.add(data(1, ["'Hello, world'", 10, 0]));
  b.add(data(1, [-1, 255, '0x7f']));
  b.add(data(2, ['0x1234', -1]));
  b.add(data(4, [-1, '0xdeadbeef']));
  b.add(data(8, ['0x123456789abcdef0', -2]));
  b.add(timesInsn(3, data(1, ['0xcc'])));
  b.add(timesInsn(2, data(4, [1, 2])));
  b.add(timesDb('5', 0));
  b.add(insn('nop'), align(8), insn('nop'));
  b.add(insn('hlt'), align(4), insn('ret'), align(16), data(1, [1]));
  b.add(data(1, [1]), align(2), data(2, [2]));
}

/** The whole corpus, in a fixed order. */
export function buildCorpus(): CorpusItem[] {
  resetSyntaxCounters();
  const b = new Builder();
  movForms(b);
  addressingModes(b);
  aluForms(b);
  testForms(b);
  unaryForms(b);
  shiftForms(b);
  mulForms(b);
  miscForms(b);
  branchForms(b);
  setCmovForms(b);
  symbolicForms(b);
  dataForms(b);
  return b.items;
}

/** Corpus items that are a single instruction (no labels, no data). */
export function isSingleInsn(item: CorpusItem): boolean {
  return !item.nasm.includes('\n') && !/^(d[bwdq]|times|align)\b/.test(item.nasm);
}

/**
 * Lines both assemblers must REJECT (checked against GNU as too). Only
 * clear-cut errors: GAS merely warns on out-of-range immediates such as
 * `add al, 300` (it truncates), so those are not here.
 */
export function buildErrorCorpus(): CorpusItem[] {
  const b = new Builder();
  b.setGroup('error');
  const line = (nasm: string, gas: string = nasm) => b.add({ nasm, gas });
  line('mov ah, sil'); // AH..BH cannot be encoded with a REX prefix
  line('mov r8b, ah');
  line('add rax, 0x80000000'); // imm32 is sign-extended to 64 bits
  line('mov qword [rax], 0x80000000', 'mov qword ptr [rax], 0x80000000');
  line('push 0x80000000');
  line('push eax'); // no 32-bit push in 64-bit mode
  line('pop ecx');
  line('mov [rax], 5'); // no size
  line('inc [rax]');
  line('lea rax, rbx');
  line('mov al, [rsp*2]'); // rsp cannot be an index
  line('mov eax, [rax + rbx + rcx]');
  line('mov rax, [eax + r8]'); // mixed address sizes
  line('shl eax, 256');
  line('int 256');
  line('ret 0x10000');
  line('mov cr3, eax'); // control registers move 64 bits
  line('mov eax, cr3');
  line('xchg [rax], [rbx]');
  line('mov [rax], [rbx]');
  line('movzx eax, eax');
  line('movzx rax, dword [rax]', 'movzx rax, dword ptr [rax]');
  line('imul eax, ecx, edx');
  line('mov ds, cs');
  line('mov es, 5');
  line('out dx, rax');
  line('in rax, dx');
  line('out 0x80, bl');
  line('sete eax');
  line('cmove al, bl');
  line('lgdt rax');
  line('jmp eax');
  line('hlt 1');
  line('int3 3');
  line('mov eax');
  line('mov eax, ebx, ecx');
  line('jmp nowhere'); // undefined label (GAS: ld fails)
  line('mov eax, [rel nowhere]', 'mov eax, [rip + nowhere]');
  line('L1000:\ntimes 200 nop\nloop L1000', 'L1000:\n.rept 200\nnop\n.endr\nloop L1000'); // rel8 out of range
  return b.items;
}
