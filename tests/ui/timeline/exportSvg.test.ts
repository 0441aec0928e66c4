import { describe, expect, it } from 'vitest';
import { timelineSvg } from '../../../src/ui/timeline/exportSvg';
import type { TimelineData } from '../../../src/core';

function data(n: number): TimelineData {
  return {
    count: n,
    time: Float64Array.from({ length: n }, (_, i) => i * 100),
    end: Float64Array.from({ length: n }, (_, i) => i * 100 + 50),
    vcpu: Uint8Array.from({ length: n }, (_, i) => i % 2),
    reason: Uint16Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0)),
    handled: Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0)),
    reasons: ['VMCALL', 'IO_INSTRUCTION <&>'],
    vcpus: 2,
  };
}

describe('timeline SVG export', () => {
  it('draws a lane per vCPU and the VMM, merges equal columns, escapes text', () => {
    const svg = timelineSvg(data(100_000), { width: 400 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>vCPU 0<');
    expect(svg).toContain('>vCPU 1<');
    expect(svg).toContain('>VMM<');
    expect(svg).toContain('IO_INSTRUCTION &#60;&#38;&#62;');
    expect(svg).not.toContain('<&>');
    // 100k exits, 400 columns, 3 lanes: merged runs keep it far below one rect per exit.
    const rects = svg.match(/<rect /g)?.length ?? 0;
    expect(rects).toBeLessThan(3 * 400 + 10);
    expect(rects).toBeGreaterThan(3);
  });

  it('an empty timeline is still a valid document', () => {
    const svg = timelineSvg(data(0));
    expect(svg).toContain('</svg>');
    expect(svg).toContain('0 VM exits');
  });
});
