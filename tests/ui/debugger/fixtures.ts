/**
 * Hand-built MachineViews for the debugger tests: one vCPU stopped on a
 * VMCALL exit (Intel) with a second vCPU blocked in HLT. `makeView` takes
 * overrides so each test states only what it varies.
 */
import type { FlagBit, MachineView, NamedValue, VcpuView } from '../../../src/core';

const REG_NAMES = [
  'rax',
  'rbx',
  'rcx',
  'rdx',
  'rsi',
  'rdi',
  'rbp',
  'rsp',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
  'rip',
  'rflags',
];

const FLAG_BITS: [string, number][] = [
  ['CF', 0],
  ['PF', 2],
  ['AF', 4],
  ['ZF', 6],
  ['SF', 7],
  ['TF', 8],
  ['IF', 9],
  ['DF', 10],
  ['OF', 11],
];

/** A 64-bit value as the view formats it (0x + 16 lowercase digits). */
export const hex64 = (n: number): string => `0x${n.toString(16).padStart(16, '0')}`;

/** Registers with the given values (others 0; rsp 0x80000, rip 0x10000, rflags 0x2 by default). */
export function regs(values: Record<string, number> = {}): NamedValue[] {
  const defaults: Record<string, number> = { rsp: 0x80000, rip: 0x10000, rflags: 0x2 };
  return REG_NAMES.map((name) => ({ name, value: hex64(values[name] ?? defaults[name] ?? 0) }));
}

/** RFLAGS bits decoded from `rflags`. */
export function flags(rflags = 0x2): FlagBit[] {
  return FLAG_BITS.map(([name, bit]) => ({ name, bit, set: ((rflags >> bit) & 1) === 1 }));
}

export function vcpu(index: number, over: Partial<VcpuView> = {}): VcpuView {
  return {
    index,
    stage: 'guest',
    regs: regs({ rdi: index }),
    flags: flags(),
    cpl: 0,
    mode: 'long (64-bit)',
    halted: false,
    instructions: 3,
    line: 4,
    ...over,
  };
}

export function makeView(over: Partial<MachineView> = {}): MachineView {
  return {
    ticks: 10,
    time: 1234,
    events: 20,
    exits: 1,
    vendor: 'intel',
    selected: 0,
    vcpus: [vcpu(0), vcpu(1, { stage: 'blocked', halted: true })],
    phase: {
      index: 19,
      time: 1200,
      vcpu: 0,
      phase: 'handle',
      chain: ['KVM_RUN', 'kvm_arch_vcpu_ioctl_run', 'vmx_handle_exit', 'kvm_emulate_hypercall'],
      source: 'arch/x86/kvm/x86.c',
      text: 'nr = RAX = 0x5 → KVM_HC_KICK_CPU',
      reads: ['rax'],
      writes: [],
      exit: 0,
    },
    exit: {
      index: 0,
      vcpu: 0,
      reason: 'VMCALL',
      code: 18,
      rip: '0x0000000000010005',
      length: 3,
      handledIn: 'kernel',
      kvmExit: null,
      hypercall: { nr: '0x5', name: 'KVM_HC_KICK_CPU', args: ['0x0', '0x1'], ret: '0x0' },
      structure: 'VMCS',
      fields: [
        { name: 'VM_EXIT_REASON', value: '0x12', note: 'Basic exit reason 18 = VMCALL' },
        { name: 'VM_EXIT_INSTRUCTION_LEN', value: '0x3' },
        { name: 'GUEST_RIP', value: '0x0000000000010005' },
      ],
    },
    kvmRun: [
      { name: 'exit_reason', value: 'KVM_EXIT_UNKNOWN (0)' },
      { name: 'immediate_exit', value: '0x0' },
    ],
    memory: {
      address: 0x10000,
      bytes: [0xb8, 0x05, 0x00, 0x00, 0x00, 0x0f, 0x01, 0xc1, 0xf4, 0x48, 0x69, 0x21],
    },
    stack: [
      { address: 0x80000, value: hex64(0), top: true },
      { address: 0x80008, value: hex64(0), top: false },
    ],
    disasm: [
      { address: 0x10000, bytes: 'B8 05 00 00 00', text: 'mov eax, 0x5', line: 3, current: false },
      { address: 0x10005, bytes: '0F 01 C1', text: 'vmcall', line: 4, current: true },
      { address: 0x10008, bytes: 'F4', text: 'hlt', line: 5, current: false },
    ],
    console: '',
    finished: false,
    finishedWhy: null,
    ...over,
  };
}
