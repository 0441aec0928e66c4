/** `cli run --json` follows the DESIGN.md §5 contract other parts rely on. */
import { describe, expect, it } from 'vitest';
import { GPR_NAMES } from '../../src/core/cpu';
import { parseRunArgs, runProgram, runRun } from '../../src/cli/run';

const HELLO = `
  mov dx, 0x3f8
  lea rsi, [rel msg]
  mov ecx, 2
next:
  mov al, [rsi]
  out dx, al
  inc rsi
  dec ecx
  jnz next
  mov eax, 1234
  vmcall
  hlt
msg: db "Hi"`;

describe('cli run', () => {
  it('prints vendor, stop, vcpus with hex registers, exits and console', () => {
    const r = runProgram(HELLO, { vendor: 'amd', vcpus: 1, maxSteps: 1_000_000 });
    if (!r.ok) throw new Error('assembly failed');
    const j = JSON.parse(JSON.stringify(r.result));
    expect(j.vendor).toBe('amd');
    expect(j.stop).toBe('KVM_EXIT_HLT');
    expect(Object.keys(j.vcpus[0].regs)).toEqual([...GPR_NAMES, 'rip', 'rflags']);
    for (const v of Object.values(j.vcpus[0].regs)) expect(v).toMatch(/^0x[0-9a-f]+$/);
    expect(j.vcpus[0].regs.rax).toBe('0xfffffffffffffc18');
    // VMCALL on AMD: a #UD intercept (EXCP, code 0x46), KVM patches it to VMMCALL, then the hypercall.
    expect(j.exits.map((e: { reason: string }) => e.reason)).toEqual([
      'IOIO',
      'IOIO',
      'EXCP',
      'VMMCALL',
      'HLT',
    ]);
    expect(j.exits[2]).toMatchObject({ code: 0x46, handledIn: 'kernel' });
    expect(j.exits[0]).toMatchObject({
      seq: 0,
      vcpu: 0,
      code: 0x7b,
      handledIn: 'userspace',
      kvmExit: 'KVM_EXIT_IO',
    });
    expect(j.exits[3]).toMatchObject({
      reason: 'VMMCALL',
      code: 0x81,
      handledIn: 'kernel',
      kvmExit: null,
      hypercall: { nr: 1234, name: null, ret: '0xfffffffffffffc18' },
    });
    expect(j.exits[3].hypercall.args).toHaveLength(4);
    expect(j.console).toBe('Hi');
  });

  it('reports all-halted with an in-kernel irqchip, and budget', () => {
    const two = runProgram('hlt', { vendor: 'intel', vcpus: 2, maxSteps: 1000 });
    expect(two.ok && two.result.stop).toBe('all-halted');
    const spin = runProgram('l: jmp l', { vendor: 'intel', vcpus: 1, maxSteps: 5000 });
    expect(spin.ok && spin.result.stop).toBe('budget');
  });

  it('rejects bad options and reports assembly errors with line and column', () => {
    expect(parseRunArgs(['a.s', '--vendor', 'arm'])).toMatch(/intel or amd/);
    expect(parseRunArgs(['a.s', '--vcpus', '0'])).toMatch(/1 to 16/);
    const err: string[] = [];
    const io = {
      readFile: () => 'mov al, 300',
      writeFile: () => undefined,
      out: { write: () => true },
      err: { write: (s: string) => err.push(s) },
    };
    expect(runRun(['bad.s', '--json'], io)).toBe(1);
    expect(err.join('')).toBe('bad.s:1:9: error: immediate 300 does not fit in 8 bits\n');
  });
});

describe('cli run --trace', () => {
  function runWithTrace(args: string[], source = HELLO) {
    const written: Record<string, string> = {};
    const out: string[] = [];
    const io = {
      readFile: () => source,
      writeFile: (p: string, data: Uint8Array) => {
        written[p] = new TextDecoder().decode(data);
      },
      out: { write: (s: string) => out.push(s) },
      err: { write: () => true },
    };
    const status = runRun(args, io);
    return { status, written, out: out.join('') };
  }

  it('writes the Chrome Trace Event export beside the normal output', () => {
    const r = runWithTrace(['hello.s', '--trace', 'out.json']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^stop: KVM_EXIT_HLT/);
    const t = JSON.parse(r.written['out.json']);
    expect(t.displayTimeUnit).toBe('ns');
    const exits = t.traceEvents.filter((e: { cat?: string }) => e.cat === 'exit');
    expect(exits.map((e: { name: string }) => e.name)).toEqual([
      'IO_INSTRUCTION',
      'IO_INSTRUCTION',
      'VMCALL',
      'HLT',
    ]);
    // One event per line; the unit key with a space after the colon (see chromeTrace.ts on Perfetto).
    expect(r.written['out.json']).toContain('"displayTimeUnit": "ns"');
    expect(r.written['out.json']).not.toContain('"displayTimeUnit":"ns"');
    expect(r.written['out.json'].split('\n').length).toBe(t.traceEvents.length + 5);
  });

  it('works with --json, which still prints the §5 object', () => {
    const r = runWithTrace(['hello.s', '--json', '--trace', 't.json', '--vendor', 'amd']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out).exits).toHaveLength(5);
    expect(JSON.parse(r.written['t.json']).otherData.vendor).toBe('amd');
  });

  it('needs a file name', () => {
    expect(parseRunArgs(['a.s', '--trace'])).toMatch(/--trace takes an output file name/);
    expect(parseRunArgs(['a.s', '--trace', 'x.json'])).toMatchObject({ trace: 'x.json' });
  });
});
