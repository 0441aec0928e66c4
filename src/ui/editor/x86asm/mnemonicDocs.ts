/**
 * One-line descriptions of the guest ISA's instructions, for hovers and
 * completion details. Keyed by canonical mnemonic (the first spelling in
 * OPCODE_TABLE); aliases are described through their canonical form.
 * Condition-code families (Jcc, SETcc, CMOVcc) and string-instruction
 * families (MOVSB…OUTSD) are described by rule. Meanings follow the Intel
 * SDM Vol. 2 instruction pages.
 *
 * Contract: {@link describeMnemonic} returns a description for every entry
 * of MNEMONICS (a unit test enforces it, so a new opcode-table row needs a
 * line here).
 */
import { OPCODE_TABLE } from '../../../core';

const BASE: Readonly<Record<string, string>> = {
  mov: 'Copy the source to the destination (also to and from control registers).',
  movzx: 'Copy a byte or word into a wider register, zero-extended.',
  movsx: 'Copy a byte or word into a wider register, sign-extended.',
  movsxd: 'Copy a doubleword into a 64-bit register, sign-extended.',
  lea: 'Load effective address: compute the address of the memory operand without accessing memory.',
  xchg: 'Exchange the two operands (with a memory operand the exchange is implicitly locked).',
  push: 'Push onto the stack: RSP -= operand size, then store at [RSP].',
  pop: 'Pop from the stack: load from [RSP], then RSP += operand size.',
  pushfq: 'Push RFLAGS onto the stack.',
  popfq: 'Pop the top of the stack into RFLAGS.',
  leave: 'Tear down a stack frame: mov rsp, rbp; pop rbp.',
  cbw: 'Sign-extend AL into AX.',
  cwde: 'Sign-extend AX into EAX.',
  cdqe: 'Sign-extend EAX into RAX.',
  cwd: 'Sign-extend AX into DX:AX.',
  cdq: 'Sign-extend EAX into EDX:EAX.',
  cqo: 'Sign-extend RAX into RDX:RAX.',
  lahf: 'Load SF, ZF, AF, PF and CF into AH.',
  sahf: 'Store AH into SF, ZF, AF, PF and CF.',
  add: 'Add the source to the destination.',
  or: 'Bitwise OR the source into the destination (clears CF and OF).',
  adc: 'Add with carry: destination += source + CF.',
  sbb: 'Subtract with borrow: destination -= source + CF.',
  and: 'Bitwise AND the source into the destination (clears CF and OF).',
  sub: 'Subtract the source from the destination.',
  xor: 'Bitwise XOR the source into the destination (`xor eax, eax` zeroes RAX).',
  cmp: 'Compare: subtract the source from the destination, set the flags, discard the result.',
  inc: 'Add 1 (CF unchanged).',
  dec: 'Subtract 1 (CF unchanged).',
  not: "One's complement (flags unchanged).",
  neg: "Two's complement negation.",
  mul: 'Unsigned multiply of the accumulator: RDX:RAX = RAX × operand (by size).',
  imul: 'Signed multiply (one operand: RDX:RAX = RAX × operand; two or three: truncated product).',
  div: 'Unsigned divide RDX:RAX by the operand: quotient in RAX, remainder in RDX (#DE on /0).',
  idiv: 'Signed divide RDX:RAX by the operand: quotient in RAX, remainder in RDX (#DE on /0).',
  test: 'Bitwise AND of the operands, setting the flags only.',
  rol: 'Rotate left.',
  ror: 'Rotate right.',
  rcl: 'Rotate left through CF.',
  rcr: 'Rotate right through CF.',
  shl: 'Shift left (logical = arithmetic).',
  shr: 'Shift right, filling with zeros (unsigned divide by 2ⁿ).',
  sar: 'Shift right, filling with the sign bit (signed divide by 2ⁿ, rounding down).',
  jmp: 'Jump unconditionally.',
  call: 'Push the return address and jump.',
  ret: 'Pop the return address and jump to it (optionally release imm16 more bytes).',
  loop: 'Decrement RCX; jump if RCX ≠ 0 (flags unchanged).',
  loope: 'Decrement RCX; jump if RCX ≠ 0 and ZF = 1.',
  loopne: 'Decrement RCX; jump if RCX ≠ 0 and ZF = 0.',
  jrcxz: 'Jump if RCX = 0.',
  int3: 'Breakpoint trap: raise #BP (vector 3).',
  int: 'Software interrupt: call the IDT handler of vector imm8.',
  iretd: 'Return from an interrupt handler (32-bit frame).',
  iretq: 'Return from an interrupt handler (64-bit frame: RIP, CS, RFLAGS, RSP, SS).',
  ud2: 'Raise #UD (invalid opcode) on purpose.',
  clc: 'Clear CF.',
  stc: 'Set CF.',
  cmc: 'Complement CF.',
  cld: 'Clear DF: string instructions move upwards.',
  std: 'Set DF: string instructions move downwards.',
  cli: 'Clear IF: mask maskable interrupts.',
  sti: 'Set IF: accept maskable interrupts (after the next instruction).',
  pause: 'Spin-wait hint for the CPU (F3 90).',
  nop: 'No operation.',
  hlt: 'Halt the CPU until the next interrupt (needs CPL 0).',
  cpuid: 'CPU identification: EAX = leaf, ECX = subleaf; results in EAX, EBX, ECX, EDX.',
  rdtsc: 'Read the time-stamp counter into EDX:EAX.',
  rdmsr: 'Read model-specific register ECX into EDX:EAX (needs CPL 0).',
  wrmsr: 'Write EDX:EAX to model-specific register ECX (needs CPL 0).',
  lgdt: 'Load GDTR from a 10-byte pseudo-descriptor (limit16, base64).',
  lidt: 'Load IDTR from a 10-byte pseudo-descriptor (limit16, base64).',
  ltr: 'Load the task register with a TSS selector.',
  vmcall: 'Call the hypervisor (Intel VMX): a KVM hypercall.',
  vmmcall: 'Call the hypervisor (AMD SVM): a KVM hypercall.',
  in: 'Read from an I/O port (imm8 or DX) into AL/AX/EAX.',
  out: 'Write AL/AX/EAX to an I/O port (imm8 or DX).',
};

/** Meaning of each condition code, by its canonical spelling. */
const CONDITION_MEANING: Readonly<Record<string, string>> = {
  o: 'overflow (OF = 1)',
  no: 'not overflow (OF = 0)',
  b: 'below, unsigned < (CF = 1)',
  ae: 'above or equal, unsigned ≥ (CF = 0)',
  e: 'equal / zero (ZF = 1)',
  ne: 'not equal / not zero (ZF = 0)',
  be: 'below or equal, unsigned ≤ (CF = 1 or ZF = 1)',
  a: 'above, unsigned > (CF = 0 and ZF = 0)',
  s: 'sign (SF = 1)',
  ns: 'not sign (SF = 0)',
  p: 'parity even (PF = 1)',
  np: 'parity odd (PF = 0)',
  l: 'less, signed < (SF ≠ OF)',
  ge: 'greater or equal, signed ≥ (SF = OF)',
  le: 'less or equal, signed ≤ (ZF = 1 or SF ≠ OF)',
  g: 'greater, signed > (ZF = 0 and SF = OF)',
};

const WIDTH_NAME: Readonly<Record<string, string>> = {
  b: 'byte',
  w: 'word',
  d: 'doubleword',
  q: 'quadword',
};
const ACC: Readonly<Record<string, string>> = { b: 'AL', w: 'AX', d: 'EAX', q: 'RAX' };

function describeString(family: string, w: string): string | undefined {
  const unit = WIDTH_NAME[w];
  const acc = ACC[w];
  switch (family) {
    case 'movs':
      return `Copy a ${unit} from [RSI] to [RDI] and step both (by DF); with rep, RCX times.`;
    case 'stos':
      return `Store ${acc} to [RDI] and step RDI; with rep, RCX times.`;
    case 'lods':
      return `Load a ${unit} from [RSI] into ${acc} and step RSI.`;
    case 'cmps':
      return `Compare the ${unit}s at [RSI] and [RDI] and step both; repe/repne repeat while equal/unequal.`;
    case 'scas':
      return `Compare ${acc} with the ${unit} at [RDI] and step RDI; repe/repne repeat while equal/unequal.`;
    case 'ins':
      return `Read a ${unit} from I/O port DX into [RDI] and step RDI; with rep, RCX times.`;
    case 'outs':
      return `Write the ${unit} at [RSI] to I/O port DX and step RSI; with rep, RCX times.`;
  }
  return undefined;
}

/** Canonical mnemonic → its aliases, and alias → canonical, from OPCODE_TABLE. */
const CANONICAL: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const row of OPCODE_TABLE) {
    if (!m.has(row.mnemonic)) m.set(row.mnemonic, row.mnemonic);
    for (const a of row.aliases ?? []) if (!m.has(a)) m.set(a, row.mnemonic);
  }
  return m;
})();

/** The canonical spelling of a mnemonic or alias (lower case), or undefined if unknown. */
export function canonicalMnemonic(mnemonic: string): string | undefined {
  return CANONICAL.get(mnemonic.toLowerCase());
}

/** One-line description of a mnemonic or alias, or undefined if it is not an instruction. */
export function describeMnemonic(mnemonic: string): string | undefined {
  const canon = canonicalMnemonic(mnemonic);
  if (canon === undefined) return undefined;
  if (BASE[canon] !== undefined) return BASE[canon];
  const cc = /^(j|set|cmov)(.+)$/.exec(canon);
  if (cc && CONDITION_MEANING[cc[2]] !== undefined) {
    const meaning = CONDITION_MEANING[cc[2]];
    if (cc[1] === 'j') return `Jump if ${meaning}.`;
    if (cc[1] === 'set') return `Set the byte to 1 if ${meaning}, else to 0.`;
    return `Move if ${meaning}; otherwise leave the destination unchanged (a 32-bit form still zero-extends).`;
  }
  const str = /^(movs|stos|lods|cmps|scas|ins|outs)([bwdq])$/.exec(canon);
  if (str) return describeString(str[1], str[2]);
  return undefined;
}
