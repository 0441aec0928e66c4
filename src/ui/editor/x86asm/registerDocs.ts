/**
 * Hover text for register names: width, which 64-bit register it is part of,
 * what the instructions of this ISA use it for, and its role in the KVM
 * hypercall ABI (RAX = number and result, RBX/RCX/RDX/RSI = a0–a3;
 * shared/reference/kvm-hypercalls.md §1).
 */
import { REGISTERS } from '../../../core';

type RegInfo = NonNullable<ReturnType<typeof REGISTERS.get>>;

/** Implicit uses of each 64-bit general register, by register number. */
const GPR_ROLE: readonly string[] = [
  'Accumulator: implicit operand of MUL/DIV (low half), IN/OUT, CPUID (leaf in, result out), RDMSR/WRMSR (low 32 bits), string STOS/LODS/SCAS.',
  'Counter: LOOP and REP count, shift count (CL), CPUID subleaf (ECX), RDMSR/WRMSR MSR index (ECX).',
  'Data: high half of MUL/DIV (RDX:RAX), I/O port number (DX) for IN/OUT/INS/OUTS, high 32 bits of RDMSR/WRMSR/RDTSC (EDX).',
  'Base: general purpose; CPUID returns a result in EBX.',
  'Stack pointer: PUSH, POP, CALL, RET and interrupts use it.',
  'Frame pointer by convention (ENTER/LEAVE).',
  'Source index: [RSI] is the source of MOVS, LODS, CMPS, OUTS.',
  'Destination index: [RDI] is the destination of MOVS, STOS, SCAS, INS.',
];

/** KVM hypercall ABI role by 64-bit register number. */
const HYPERCALL_ROLE: Readonly<Record<number, string>> = {
  0: 'hypercall number (in) and result (out)',
  3: 'argument a0',
  1: 'argument a1',
  2: 'argument a2',
  6: 'argument a3',
};

const SREG_ROLE: Readonly<Record<string, string>> = {
  cs: 'Code segment: its descriptor selects 64-bit mode (CS.L) and holds the CPL (low 2 bits of the selector).',
  ss: 'Stack segment: base ignored in 64-bit mode; its DPL must equal the CPL.',
  ds: 'Data segment: base ignored in 64-bit mode.',
  es: 'Extra segment: destination segment of string instructions; base ignored in 64-bit mode.',
  fs: 'FS: its base is still used in 64-bit mode (thread-local data); set through MSR_FS_BASE.',
  gs: 'GS: its base is still used in 64-bit mode (per-CPU data); set through MSR_GS_BASE.',
};

const CREG_ROLE: Readonly<Record<string, string>> = {
  cr0: 'CR0: PE (bit 0, protected mode), WP (bit 16), PG (bit 31, paging) and other mode bits.',
  cr2: 'CR2: the linear address of the last page fault.',
  cr3: 'CR3: physical address of the top-level page table (PML4).',
  cr4: 'CR4: PAE (bit 5, required for long mode), PGE, OSFXSR, UMIP and other feature enables.',
  cr8: 'CR8: task priority (TPR); interrupts at or below this priority class are held back.',
};

/** The 64-bit register whose number is `num` (0–15). */
function gpr64(num: number): string {
  for (const r of REGISTERS.values())
    if (r.cls === 'gpr' && r.size === 64 && r.num === num) return r.name;
  return `r${num}`;
}

function partOf(info: RegInfo, full: string): string {
  if (info.size === 64) return '';
  if (info.high8) return ` Bits 15:8 of ${full.toUpperCase()}.`;
  const bits = info.size === 32 ? '31:0' : info.size === 16 ? '15:0' : '7:0';
  const write =
    info.size === 32
      ? ' Writing it zero-extends into the whole register (bits 63:32 become 0).'
      : ' Writing it leaves the other bits unchanged.';
  return ` Bits ${bits} of ${full.toUpperCase()}.${write}`;
}

function gprDoc(info: RegInfo): string[] {
  const num = info.high8 ? info.num - 4 : info.num;
  const full = gpr64(num);
  const name = info.name.toUpperCase();
  const out = [`**${info.name}**: ${info.size}-bit general-purpose register.${partOf(info, full)}`];
  const role = GPR_ROLE[num];
  if (role !== undefined) out.push(role);
  const hc = HYPERCALL_ROLE[num];
  if (hc !== undefined) {
    const width =
      info.size === 64
        ? ''
        : info.size === 32
          ? ` (a 32-bit hypercall, outside 64-bit mode, reads ${name}; the result is truncated to 32 bits)`
          : ` (KVM reads all of ${full.toUpperCase()}, or its low 32 bits outside 64-bit mode)`;
    out.push(`KVM hypercall ABI: ${full.toUpperCase()} = ${hc}${width}.`);
  } else if (num >= 8) {
    out.push('Not used by the KVM hypercall ABI (arguments are RBX, RCX, RDX, RSI).');
  }
  return out;
}

/** Markdown paragraphs about register `name` (any case), or undefined if it is not one. */
export function registerDoc(name: string): string[] | undefined {
  const info = REGISTERS.get(name.toLowerCase());
  if (info === undefined) return undefined;
  switch (info.cls) {
    case 'gpr':
      return gprDoc(info);
    case 'sreg':
      return [`**${info.name}**: 16-bit segment register.`, SREG_ROLE[info.name] ?? ''];
    case 'creg':
      return [
        `**${info.name}**: 64-bit control register (CPL 0 only).`,
        CREG_ROLE[info.name] ?? '',
        'MOV to or from it can cause a VM exit (Intel exit reason 28 `CR_ACCESS`) when KVM intercepts it.',
      ];
  }
}
