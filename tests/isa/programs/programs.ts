/**
 * The whole-program differential set: every tests/isa/programs/*.asm, its
 * GNU as translation (../gas/toGas.ts) and the recorded GAS image in
 * tests/isa/programs/gas-expected/<name>.hex (for machines without binutils;
 * regenerate with `npx tsx tests/isa/corpus/writeExpected.ts`).
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { hex } from '../gas/gas';

export const PROGRAMS_DIR = fileURLToPath(new URL('.', import.meta.url));
export const PROGRAMS_EXPECTED_DIR = join(PROGRAMS_DIR, 'gas-expected');

export interface Program {
  name: string;
  source: string;
}

export function listPrograms(): Program[] {
  return readdirSync(PROGRAMS_DIR)
    .filter((f) => f.endsWith('.asm'))
    .sort()
    .map((name) => ({ name, source: readFileSync(join(PROGRAMS_DIR, name), 'utf8') }));
}

/** Recorded image: `origin` line then hex, 16 bytes per line. */
export function readProgramExpected(
  name: string,
): { origin: number; bytes: Uint8Array } | undefined {
  let text: string;
  try {
    text = readFileSync(join(PROGRAMS_EXPECTED_DIR, name.replace(/\.asm$/, '.hex')), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const origin = Number(/^origin (\S+)$/.exec(lines[0])?.[1]);
  const body = lines.slice(1).join(' ').trim();
  const bytes =
    body === '' ? new Uint8Array(0) : Uint8Array.from(body.split(/\s+/), (h) => parseInt(h, 16));
  return { origin, bytes };
}

export function writeProgramExpected(name: string, origin: number, bytes: Uint8Array): void {
  mkdirSync(PROGRAMS_EXPECTED_DIR, { recursive: true });
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) rows.push(hex(bytes.subarray(i, i + 16)));
  const text = [
    `# GNU as image of ${name} (generated; do not edit)`,
    `origin 0x${origin.toString(16)}`,
    ...rows,
  ].join('\n');
  writeFileSync(join(PROGRAMS_EXPECTED_DIR, name.replace(/\.asm$/, '.hex')), text + '\n');
}
