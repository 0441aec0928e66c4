/**
 * Failure text for the differential tests: one aggregated message listing
 * every mismatch (not one failure per line), and hex diffs of whole images.
 */
import { hex } from './gas';

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface Mismatch {
  /** Our-syntax source (may be several lines). */
  source: string;
  ours: string;
  gas: string;
}

/**
 * Shorten two long hex strings that share a prefix: `…(+N same)… ` then the
 * differing tail (at most `keep` bytes each side).
 */
export function abbreviatePair(ours: string, gas: string, keep = 24): [string, string] {
  const a = ours.split(' ');
  const g = gas.split(' ');
  if (a.length <= keep && g.length <= keep) return [ours, gas];
  let p = 0;
  while (p < a.length && p < g.length && a[p] === g[p]) p++;
  const from = Math.max(0, p - 4);
  const cut = (xs: string[]) => {
    const body = xs.slice(from, from + keep).join(' ');
    const more = xs.length - from - keep > 0 ? ` …(+${xs.length - from - keep})` : '';
    return `${from ? `…(${from} same)… ` : ''}${body}${more}`;
  };
  return [cut(a), cut(g)];
}

/** `N mismatches:` then `source | ours hex | gas hex`, one per line. */
export function formatMismatches(title: string, list: readonly Mismatch[], limit = 400): string {
  const lines = list.slice(0, limit).map((m) => {
    const [o, g] = /^[0-9a-f ]*$/.test(m.ours) ? abbreviatePair(m.ours, m.gas) : [m.ours, m.gas];
    return `  ${m.source.replace(/\n/g, ' \\n ')} | ours: ${o} | gas: ${g}`;
  });
  if (list.length > limit) lines.push(`  … and ${list.length - limit} more`);
  return `${title}: ${list.length} mismatch(es)\n  source | ours hex | gas hex\n${lines.join('\n')}`;
}

/**
 * A side-by-side hex dump of two images around their differences:
 * rows of 16 bytes, `address: ours | gas`, with `!!` on differing rows.
 * Rows far from any difference are elided.
 */
export function hexDiff(ours: Uint8Array, gas: Uint8Array, origin: number, context = 1): string {
  const rows = Math.ceil(Math.max(ours.length, gas.length) / 16);
  const differs = (r: number): boolean => {
    for (let i = r * 16; i < r * 16 + 16; i++) if (ours[i] !== gas[i]) return true;
    return false;
  };
  const bad = new Set<number>();
  for (let r = 0; r < rows; r++)
    if (differs(r)) for (let k = r - context; k <= r + context; k++) bad.add(k);
  const out = [
    `lengths: ours ${ours.length} bytes, gas ${gas.length} bytes`,
    `address  ${'ours'.padEnd(47)} | gas`,
  ];
  let skipped = false;
  const cell = (b: number | undefined) =>
    b === undefined ? '  ' : b.toString(16).padStart(2, '0');
  for (let r = 0; r < rows; r++) {
    if (!bad.has(r)) {
      skipped = true;
      continue;
    }
    if (skipped) out.push('   …');
    skipped = false;
    const a = Array.from({ length: 16 }, (_, i) => cell(ours[r * 16 + i])).join(' ');
    const g = Array.from({ length: 16 }, (_, i) => cell(gas[r * 16 + i])).join(' ');
    out.push(
      `${(origin + r * 16).toString(16).padStart(6, '0')}  ${a} | ${g}${differs(r) ? '  !!' : ''}`,
    );
  }
  const first = (() => {
    for (let i = 0; i < Math.max(ours.length, gas.length); i++) if (ours[i] !== gas[i]) return i;
    return -1;
  })();
  if (first >= 0)
    out.unshift(`first difference at 0x${(origin + first).toString(16)} (offset ${first})`);
  return out.join('\n');
}

export { hex };
