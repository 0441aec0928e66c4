import { afterEach, describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import {
  clearColumnPool,
  giveColumn,
  POOL_LIMIT_BYTES,
  pooledColumnBytes,
  takeColumn,
} from '../../src/core/trace/columnPool';
import { EXIT_DATA, Trace } from '../../src/core/trace/trace';
import { Vmm } from '../../src/core/vmm/vmm';
import { fingerprint } from '../session/fingerprint';

afterEach(clearColumnPool);

/** Every exit, hypercall, serial byte and MMIO access of a long enough run to grow the trace 3 times. */
const PROGRAM = `
  mov r15d, 4000
top:
  mov eax, 11
  mov ebx, r15d
  vmcall
  mov al, 0x41
  mov dx, 0x3f8
  out dx, al
  mov rdi, 0x10000000
  mov dword [rdi + 8], eax
  dec r15d
  jnz top
  hlt
`;

/** Another shape of trace of the same capacities: every exit an OUT the VMM handles. */
const OTHER = `
  mov r15d, 12000
top:
  mov al, 0x42
  mov dx, 0x3f8
  out dx, al
  dec r15d
  jnz top
  hlt
`;

function runToEnd(program = PROGRAM): Vmm {
  const a = assemble(program);
  if (!a.ok) throw new Error(JSON.stringify(a.errors));
  const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry });
  vmm.run(10_000_000);
  return vmm;
}

/**
 * What fingerprint leaves out: every event's detail, every exit's handled-in
 * and data kind, and the raw data words of every exit that has data (an
 * exit of kind none has no meaningful words).
 */
function rawExtras(t: Trace): string {
  const details = Array.from({ length: t.length }, (_, i) => t.detailText(i));
  const kinds = Array.from(t.exKind.subarray(0, t.exitCount));
  const handled = Array.from(t.exHandled.subarray(0, t.exitCount));
  const words = kinds.map((k, x) =>
    k === EXIT_DATA.none ? null : Array.from(t.exHc.subarray(x * 12, x * 12 + 12)),
  );
  return JSON.stringify({ details, kinds, handled, words });
}

describe('columnPool', () => {
  it('gives back a column of the same type and length, else nothing', () => {
    const a = new Float64Array(1024).fill(7);
    giveColumn(a);
    expect(pooledColumnBytes()).toBe(8192);
    expect(takeColumn(Float64Array, 512)).toBeNull();
    expect(takeColumn(Int32Array, 1024)).toBeNull();
    const b = takeColumn(Float64Array, 1024);
    expect(b).toBe(a);
    expect(pooledColumnBytes()).toBe(0);
    expect(takeColumn(Float64Array, 1024)).toBeNull();
  });

  it('holds at most POOL_LIMIT_BYTES', () => {
    const big = POOL_LIMIT_BYTES / 2 / 8;
    clearColumnPool();
    giveColumn(new Float64Array(big));
    giveColumn(new Float64Array(big));
    giveColumn(new Float64Array(big)); // dropped
    expect(pooledColumnBytes()).toBe(POOL_LIMIT_BYTES);
  });
});

describe('Trace.release', () => {
  it('empties the trace; appending afterwards throws; releasing twice does nothing', () => {
    const vmm = runToEnd();
    expect(vmm.trace.length).toBeGreaterThan(1 << 14);
    vmm.release();
    expect(vmm.trace.length).toBe(0);
    expect(vmm.trace.exitCount).toBe(0);
    expect(pooledColumnBytes()).toBeGreaterThan(0);
    vmm.release();
    expect(() => vmm.trace.addEvent(0, 0, 0, 0, -1)).toThrow(/after release/);
    expect(() => vmm.trace.addExit(0, 0, 18, 'VMCALL', 0, 3, 0, 0)).toThrow(/after release/);
  });

  it('a VM whose trace grows into a released one records exactly what a fresh one does', () => {
    const fresh = runToEnd();
    const expected = fingerprint(fresh);
    const extras = rawExtras(fresh.trace);
    const columns = [fresh.trace.time, fresh.trace.exHc];
    fresh.release();
    // A run with other exits in other rows grows into those columns, then is released.
    const other = runToEnd(OTHER);
    expect(other.trace.time).toBe(columns[0]);
    other.release();
    const reused = runToEnd();
    expect(reused.trace.time).toBe(columns[0]);
    expect(reused.trace.exHc).toBe(columns[1]);
    expect(fingerprint(reused)).toBe(expected);
    expect(rawExtras(reused.trace)).toBe(extras);
  });

  it('the next trace starts at a released one’s capacity, once, and only if the pool kept it all', () => {
    const vmm = runToEnd();
    const capacity = vmm.trace.time.length;
    expect(capacity).toBeGreaterThan(1 << 14);
    vmm.release();
    expect(new Trace().time.length).toBe(capacity);
    expect(new Trace().time.length).toBe(1 << 14);
    // A full pool drops columns: no offer then.
    clearColumnPool();
    giveColumn(new Float64Array(POOL_LIMIT_BYTES / 8));
    const again = runToEnd();
    again.release();
    expect(new Trace().time.length).toBe(1 << 14);
  });

  it('whatever a pooled column held does not show in a new trace', () => {
    const expected = runToEnd();
    const extras = rawExtras(expected.trace);
    const print = fingerprint(expected);
    // Junk in every column of every size the run will ask for, more than it takes.
    const types = [Float64Array, Int32Array, Uint32Array, Uint16Array, Int16Array, Uint8Array];
    const lengths = [256, 1024, 4096, 16384, 65536, 262144];
    for (const type of types)
      for (const n of [...lengths, ...lengths.slice(0, 4).map((x) => x * 12)])
        for (let copy = 0; copy < 6; copy++) giveColumn(new type(n).fill(1));
    const reused = runToEnd();
    expect(reused.trace.time[reused.trace.length]).toBe(1); // it did take junk
    expect(fingerprint(reused)).toBe(print);
    expect(rawExtras(reused.trace)).toBe(extras);
  });
});
