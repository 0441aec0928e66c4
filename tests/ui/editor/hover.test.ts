import { describe, expect, it } from 'vitest';
import { HYPERCALLS, MNEMONICS, OPCODE_TABLE, REGISTERS, hypercallName } from '../../../src/core';
import { hoverAt } from '../../../src/ui/editor/x86asm/hover';
import {
  ARG_REGISTERS,
  hypercallDoc,
  hypercallSignature,
} from '../../../src/ui/editor/x86asm/hypercallDocs';
import { instructionDoc } from '../../../src/ui/editor/x86asm/instructionDoc';
import { describeMnemonic } from '../../../src/ui/editor/x86asm/mnemonicDocs';
import { instructionForms } from '../../../src/ui/editor/x86asm/operandForms';
import { registerDoc } from '../../../src/ui/editor/x86asm/registerDocs';

/** Hover text at the first occurrence of `needle` in the one-line program `line` (or in `lines`). */
function hoverText(program: string, lineNo: number, needle: string): string | undefined {
  const lines = program.split('\n');
  const column = lines[lineNo - 1].indexOf(needle) + 1;
  expect(column).toBeGreaterThan(0);
  return hoverAt(lines, lineNo, column)?.contents.join('\n\n');
}

describe('instruction hovers', () => {
  it('describe every mnemonic and alias', () => {
    for (const m of MNEMONICS) {
      expect(describeMnemonic(m), m).toBeTruthy();
      expect(instructionDoc(m)?.[0], m).toContain(`**${m}**`);
    }
  });

  it('list a form for every opcode-table row', () => {
    const canon = [...new Set(OPCODE_TABLE.map((r) => r.mnemonic))];
    for (const m of canon) {
      const rows = OPCODE_TABLE.filter((r) => r.mnemonic === m);
      const forms = instructionForms(m);
      expect(forms.length, m).toBeGreaterThan(0);
      expect(forms.length, m).toBeLessThanOrEqual(rows.length);
    }
  });

  it('spell the operand patterns and encodings like the SDM', () => {
    const mov = instructionForms('mov').map((f) => `${f.syntax} ; ${f.encoding}`);
    expect(mov).toContain('mov r/m16/32/64, imm16/32 ; C7 /0');
    expect(mov).toContain('mov r16/32/64, imm16/32/64 ; B8+r');
    expect(mov).toContain('mov CRn, r64 ; 0F 22 /r');
    expect(instructionForms('in').map((f) => f.syntax)).toContain('in ax/eax, dx');
    expect(instructionForms('pause')[0].encoding).toBe('F3 90');
    expect(instructionForms('vmcall')).toEqual([{ syntax: 'vmcall', encoding: '0F 01 C1' }]);
  });

  it('name the canonical form of an alias', () => {
    expect(hoverText('jz done', 1, 'jz')).toContain('alias of `je`');
  });

  it('say that vmcall exits with reason 18 and is patched on AMD', () => {
    const text = hoverText('vmcall', 1, 'vmcall') ?? '';
    expect(text).toContain('exit reason 18');
    expect(text).toContain('EXIT_REASON_VMCALL');
    expect(text).toContain('kvm_emulate_hypercall');
    expect(text).toContain('#UD');
    expect(text).toContain('KVM_X86_QUIRK_FIX_HYPERCALL_INSN');
    expect(text).toMatch(/RBX, RCX, RDX, RSI/);
  });

  it('say that vmmcall exits with code 0x081 on AMD and is patched on Intel', () => {
    const text = hoverText('vmmcall', 1, 'vmmcall') ?? '';
    expect(text).toContain('0x081');
    expect(text).toContain('SVM_EXIT_VMMCALL');
    expect(text).toContain('0F 01 C1');
    expect(text).toContain('KVM_X86_QUIRK_FIX_HYPERCALL_INSN');
  });

  it('describe a VM exit for every instruction the table marks as exiting', () => {
    for (const row of OPCODE_TABLE.filter((r) => r.vmExit)) {
      const doc = instructionDoc(row.mnemonic)?.join('\n') ?? '';
      expect(doc, row.mnemonic).toContain('**VM exit**');
    }
    expect(hoverText('hlt', 1, 'hlt')).toMatch(/exit reason 12.*0x078/s);
    expect(hoverText('cpuid', 1, 'cpuid')).toMatch(/exit reason 10.*0x072/s);
    expect(hoverText('outsb', 1, 'outsb')).toMatch(/exit reason 30.*KVM_EXIT_IO/s);
    expect(hoverText('rdmsr', 1, 'rdmsr')).toMatch(/exit reason 31/);
    expect(hoverText('wrmsr', 1, 'wrmsr')).toMatch(/exit reason 32/);
  });

  it('say that rdtsc does not exit and nop says nothing about exits', () => {
    expect(hoverText('rdtsc', 1, 'rdtsc')).toContain('No VM exit');
    expect(hoverText('nop', 1, 'nop')).not.toMatch(/VM exit/);
  });

  it('show the hypercall a vmcall makes when the number is set just before', () => {
    const text = hoverText('mov eax, 11\nmov ebx, 1\nvmcall', 3, 'vmcall') ?? '';
    expect(text).toContain('Here: RAX = 11 (line 1) → `KVM_HC_SCHED_YIELD`');
  });
});

describe('register hovers', () => {
  it('exist for every register', () => {
    for (const name of REGISTERS.keys()) expect(registerDoc(name), name).toBeDefined();
  });

  it('give width and hypercall-ABI role', () => {
    expect(hoverText('mov rax, 1', 1, 'rax')).toMatch(
      /64-bit.*hypercall number \(in\) and result/s,
    );
    const cases: [string, string][] = [
      ['rbx', 'a0'],
      ['rcx', 'a1'],
      ['rdx', 'a2'],
      ['rsi', 'a3'],
    ];
    for (const [reg, arg] of cases) {
      expect(hoverText(`mov ${reg}, 1`, 1, reg), reg).toContain(
        `${reg.toUpperCase()} = argument ${arg}`,
      );
    }
  });

  it('explain sub-registers', () => {
    const eax = hoverText('mov eax, ebx', 1, 'eax') ?? '';
    expect(eax).toContain('32-bit');
    expect(eax).toContain('Bits 31:0 of RAX');
    expect(eax).toContain('zero-extends');
    expect(hoverText('mov ah, 1', 1, 'ah')).toContain('Bits 15:8 of RAX');
    expect(hoverText('mov r9, 1', 1, 'r9')).toContain('Not used by the KVM hypercall ABI');
  });
});

describe('hypercall hovers', () => {
  it('exist for every HYPERCALLS entry, by name, with args, summary, handler and source', () => {
    for (const e of HYPERCALLS.values()) {
      expect(hypercallName(e.nr)).toBe(e.name);
      const text = hoverText(`${e.name} equ ${e.nr}`, 1, e.name) ?? '';
      expect(text, e.name).toContain(`**${e.name}** (${e.nr})`);
      expect(text).toContain(e.summary);
      expect(text).toContain(e.handler);
      expect(text).toContain(e.source);
      e.args.forEach((a, i) => expect(text).toContain(`a${i} (${ARG_REGISTERS[i]}) = ${a}`));
    }
  });

  it('format the signature the way the brief shows it', () => {
    const kick = HYPERCALLS.get(5);
    expect(kick).toBeDefined();
    if (!kick) return;
    expect(hypercallSignature(kick)).toBe(
      'KVM_HC_KICK_CPU (5): args a0 = flags (reserved), a1 = APIC ID of the vCPU to wake',
    );
    const doc = hypercallDoc(kick).join('\n');
    expect(doc).toContain('a1 (RCX) = APIC ID');
    expect(doc).toContain('KVM_FEATURE_PV_UNHALT');
  });

  it('work inside comments', () => {
    expect(hoverText('mov eax, 5 ; KVM_HC_KICK_CPU', 1, 'KVM_HC')).toContain('kvm_pv_kick_cpu_op');
  });

  it('warn about a wrong equ value, and say the name is not predefined', () => {
    expect(hoverText('KVM_HC_KICK_CPU equ 6', 1, 'KVM_HC')).toContain('defines it as `6`');
    expect(hoverText('mov eax, KVM_HC_KICK_CPU', 1, 'KVM_HC')).toContain('does not predefine it');
  });

  it('explain the immediate of mov eax, N followed by vmcall', () => {
    const program = 'mov eax, 5\nmov ebx, 0\nmov ecx, 1\nvmcall';
    const h = hoverAt(program.split('\n'), 1, 10);
    expect(h?.startColumn).toBe(10);
    const text = h?.contents.join('\n') ?? '';
    expect(text).toContain('KVM_HC_KICK_CPU (5): args a0 = flags');
    expect(text).toContain('`vmcall` on line 4');
  });

  it('say when the immediate is no hypercall number', () => {
    const text = hoverText('mov eax, 42\nvmcall', 1, '42') ?? '';
    expect(text).toContain('not a KVM hypercall number');
    expect(text).toContain('-KVM_ENOSYS (-1000');
  });

  it('leave a plain number alone when no hypercall follows', () => {
    expect(hoverAt(['mov eax, 5', 'ret'], 1, 10)).toBeUndefined();
  });
});

describe('other hovers', () => {
  it('cover prefixes and directives, and nothing in plain comments', () => {
    expect(hoverText('rep movsb', 1, 'rep')).toContain('(prefix)');
    expect(hoverText('msg db 1', 1, 'db')).toContain('(directive)');
    expect(hoverText('nop ; mov the value', 1, 'mov')).toBeUndefined();
    expect(hoverAt(['nop'], 5, 1)).toBeUndefined();
  });
});
