/**
 * Golden traces: every phase of each scenario, with its host function,
 * source path and the values it read and wrote, pinned in
 * tests/golden/<name>.trace and reviewed as diffs. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run tests/golden` and read the diff before
 * committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import { GPR_NAMES, getReg64 } from '../../src/core/cpu';
import { kvmExitName, hypercallName } from '../../src/core/kvm/constants';
import { formatTrace } from '../../src/core/vmm/describe';
import { Vmm, type VmOptions } from '../../src/core/vmm/vmm';

const DIR = join(import.meta.dirname);
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const hex = (v: bigint | number) => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

function runScenario(file: string): { text: string; vmm: Vmm } {
  const src = readFileSync(join(DIR, file), 'utf8');
  const m = /^; options: (.*)$/m.exec(src);
  const options = JSON.parse(m ? m[1] : '{}') as VmOptions;
  const a = assemble(src);
  expect(a.errors, `${file} assembles`).toEqual([]);
  const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry }, options);
  const { stop } = vmm.run(1_000_000);
  const out: string[] = [`# ${file}  options ${JSON.stringify(options)}`, `stop: ${stop}`];
  if (vmm.devices.console) out.push(`console: ${JSON.stringify(vmm.devices.console)}`);
  const site = a.symbols.find((s) => s.name === 'site');
  if (site) {
    const at = Number(site.value);
    out.push(`bytes at site ${hex(at)}: ${Array.from(vmm.mem.bytes.subarray(at, at + 3), (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  }
  vmm.kvm.cpus.forEach((cpu, id) => {
    const regs = GPR_NAMES.map((n, i) => [n, getReg64(cpu.state, i)] as const).filter(([n, v]) => v !== 0n || n === 'rax');
    out.push(`vcpu${id}: rip=${hex(cpu.state.rip)} ${regs.map(([n, v]) => `${n}=${hex(v)}`).join(' ')}`);
  });
  for (let i = 0; i < vmm.trace.exitCount; i++) {
    const r = vmm.trace.exitRow(i);
    const hc = r.hypercall ? ` ${hypercallName(r.hypercall.nr) ?? `nr ${r.hypercall.nr}`} ret=${hex(r.hypercall.ret)}` : '';
    out.push(`exit ${i}: vcpu${r.vcpu} ${r.name} (${r.code}) rip=${hex(r.rip)} ${r.handledIn}${r.kvmExit >= 0 ? ` ${kvmExitName(r.kvmExit)}` : ''}${hc}`);
  }
  out.push('', formatTrace(vmm));
  return { text: out.join('\n'), vmm };
}

const scenarios = readdirSync(DIR).filter((f) => f.endsWith('.s')).sort();

describe('golden traces', () => {
  it('has the scenarios the hypervisor issue lists', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of scenarios) {
    it(file, () => {
      const { text } = runScenario(file);
      const golden = join(DIR, file.replace(/\.s$/, '.trace'));
      if (UPDATE || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }
});

describe('scenario facts (independent of the golden text)', () => {
  const facts = (file: string) => runScenario(file).vmm;
  it('unknown nr returns -KVM_ENOSYS', () => {
    expect(getReg64(facts('02-unknown-nr.s').kvm.cpus[0].state, 0)).toBe(0xfffffffffffffc18n);
  });
  it('CPL 3 gets -KVM_EPERM and RIP moves on', () => {
    const vmm = facts('03-cpl3-eperm.s');
    const row = vmm.trace.exitRow(0);
    expect(row.hypercall?.ret).toBe(0xffffffffffffffffn);
    expect(vmm.devices.console).toBe('u');
  });
  it('Hello: five KVM_EXIT_IO exits and the console text', () => {
    const vmm = facts('04-hello-serial.s');
    const io = Array.from({ length: vmm.trace.exitCount }, (_, i) => vmm.trace.exitRow(i)).filter((r) => r.name === 'IO_INSTRUCTION');
    expect(io).toHaveLength(5);
    expect(io.every((r) => r.handledIn === 'userspace' && kvmExitName(r.kvmExit) === 'KVM_EXIT_IO')).toBe(true);
    expect(vmm.devices.console).toBe('Hello');
  });
  it('CPUID 0x40000000 says KVMKVMKVM', () => {
    const s = facts('05-cpuid-kvm.s').kvm.cpus[0].state;
    const text = [3, 1, 2].map((r) => Buffer.from(new Uint32Array([s.rl[r]]).buffer).toString('latin1')).join('');
    expect(text).toBe('KVMKVMKVM\0\0\0');
  });
  it('the patching quirk rewrites the bytes on both vendors; off, the guest sees #UD', () => {
    for (const [file, bytes] of [
      ['09-patch-intel.s', [0x0f, 0x01, 0xc1]],
      ['10-patch-amd.s', [0x0f, 0x01, 0xd9]],
    ] as const) {
      const vmm = facts(file);
      expect(Array.from(vmm.mem.bytes.subarray(0x10007, 0x1000a))).toEqual(bytes);
      expect(getReg64(vmm.kvm.cpus[0].state, 0)).toBe(0n);
    }
    const off = facts('11-patch-quirk-off.s');
    expect(getReg64(off.kvm.cpus[0].state, 0)).toBe(BigInt.asUintN(64, -14n));
  });
  it('KICK_CPU wakes the halted vCPU 1', () => {
    const vmm = facts('08-kick-cpu.s');
    expect(getReg64(vmm.kvm.cpus[1].state, 0)).toBe(0x600dn);
  });
  it('same program twice: byte-identical traces', () => {
    const a = facts('08-kick-cpu.s').trace;
    const b = facts('08-kick-cpu.s').trace;
    expect(a.length).toBe(b.length);
    expect(Array.from(a.time.subarray(0, a.length))).toEqual(Array.from(b.time.subarray(0, b.length)));
    expect(Array.from(a.fn.subarray(0, a.length))).toEqual(Array.from(b.fn.subarray(0, b.length)));
  });
});
