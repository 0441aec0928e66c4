import { afterEach, describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/isa';
import {
  clearColumnPool,
  giveColumn,
  POOL_LIMIT_BYTES,
  pooledColumnBytes,
  takeColumn,
} from '../../src/core/trace/columnPool';
import { Trace } from '../../src/core/trace/trace';
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

function runToEnd(): Vmm {
  const a = assemble(PROGRAM);
  if (!a.ok) throw new Error(JSON.stringify(a.errors));
  const vmm = new Vmm({ bytes: a.bytes, origin: a.origin, entry: a.entry });
  vmm.run(10_000_000);
  return vmm;
}

/** What fingerprint leaves out: every event's detail and every exit's raw data words. */
function rawExtras(t: Trace): string {
  const details = Array.from({ length: t.length }, (_, i) => t.detailText(i));
  const words = Array.from(t.exHc.subarray(0, t.exitCount * 12));
  const kinds = Array.from(t.exKind.subarray(0, t.exitCount));
  return JSON.stringify({ details, words, kinds });
}

describe('columnPool', () => {
  it('gives back a zero-filled column of the same type and length, else nothing', () => {
    const a = new Float64Array(1024).fill(7);
    giveColumn(a);
    expect(pooledColumnBytes()).toBe(8192);
    expect(takeColumn(Float64Array, 512)).toBeNull();
    expect(takeColumn(Int32Array, 1024)).toBeNull();
    const b = takeColumn(Float64Array, 1024);
    expect(b).toBe(a);
    expect(b!.every((x) => x === 0)).toBe(true);
    expect(pooledColumnBytes()).toBe(0);
    expect(takeColumn(Float64Array, 1024)).toBeNull();
  });

  it('holds at most POOL_LIMIT_BYTES', () => {
    const big = POOL_LIMIT_BYTES / 2 / 8;
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
    // Dirty the pooled columns' memory further: a different run, released too.
    const other = runToEnd();
    other.release();
    const reused = runToEnd();
    // It did grow into the very same memory.
    expect(reused.trace.time).toBe(columns[0]);
    expect(reused.trace.exHc).toBe(columns[1]);
    expect(fingerprint(reused)).toBe(expected);
    expect(rawExtras(reused.trace)).toBe(extras);
  });
});
