/**
 * GNU as (binutils) as a reference assembler for differential tests.
 *
 * Two entry points:
 * - {@link gasAssemble}: one GAS-syntax program → the flat image from
 *   `origin` (what `nasm -f bin` would give), via `as` + `ld` + an ELF read.
 * - {@link gasAssembleBatch}: many independent snippets in ONE `as` run and
 *   ONE `ld` run. Each snippet goes into its own section `.hl.N`, and a
 *   generated linker script places every one of those sections at the same
 *   address `origin` (overlapping VMAs, allowed by `--no-check-sections`).
 *   So every snippet is assembled exactly as if it were alone at `origin`:
 *   GAS relaxes jumps per section (frag chains never cross sections), and ld
 *   resolves label addresses (`offset label`, absolute `[label]`) against
 *   that origin. The bytes of each section are read straight from the linked
 *   ELF file (no objcopy/nm per snippet), so 700 snippets cost two processes.
 *
 * Assembler flags: `--64 -msyntax=intel -mnaked-reg -n`. `-n` ("do not
 * optimize code alignment") makes `.balign N, 0x90` pad with single 0x90
 * bytes like NASM's `align`; without it GAS x86 turns a 0x90 fill in a code
 * section into multi-byte NOPs (0F 1F 44 00 00…). `-n` changes nothing else.
 * No `-O`: GAS's default (no optimisation) is the reference, e.g.
 * `mov rax, 1` → 48 C7 C0 01 00 00 00 (with -O2 it would be B8 01 00 00 00).
 *
 * Nothing here imports the project's assembler: this is the independent side.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Flags passed to `as` for every assembly. */
export const AS_FLAGS: readonly string[] = ['--64', '-msyntax=intel', '-mnaked-reg', '-n'];

/** The default origin of our assembler (DESIGN.md §5). */
export const DEFAULT_ORIGIN = 0x10000;

let gasPresent: boolean | undefined;

/** True when GNU `as` and `ld` (binutils) can be run from PATH. Cached. */
export function gasAvailable(): boolean {
  if (gasPresent === undefined) {
    gasPresent = ['as', 'ld'].every((tool) => {
      const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
      return r.status === 0 && /GNU/.test(r.stdout);
    });
  }
  return gasPresent;
}

/** GNU as version line (for reports), or '' when missing. */
export function gasVersion(): string {
  const r = spawnSync('as', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : '';
}

/** `warnings`: whatever `as`/`ld` printed on success (e.g. "ambiguous operand size"). */
export type GasResult =
  { ok: true; bytes: Uint8Array; warnings: string } | { ok: false; stderr: string };

/** Run a tool; `ok` false on a non-zero exit. `stderr` holds warnings too. */
function run(tool: string, args: string[], cwd: string): { ok: boolean; stderr: string } {
  const r = spawnSync(tool, args, { cwd, encoding: 'utf8' });
  if (r.error) return { ok: false, stderr: `${tool}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, stderr: `${tool} exited with ${r.status}\n${r.stderr}` };
  return { ok: true, stderr: r.stderr };
}

/** `as` + `ld` in a fresh temp dir; returns the linked ELF or the error text. */
function assembleAndLink(
  source: string,
  linkerScript: string,
  entry: number,
): { ok: true; elf: Uint8Array; warnings: string } | { ok: false; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hl-gas-'));
  try {
    writeFileSync(join(dir, 'in.s'), source);
    writeFileSync(join(dir, 'link.ld'), linkerScript);
    const asRun = run('as', [...AS_FLAGS, '-o', 'in.o', 'in.s'], dir);
    if (!asRun.ok) return { ok: false, stderr: asRun.stderr };
    const ldRun = run(
      'ld',
      [
        '-m',
        'elf_x86_64',
        '-N', // no page alignment of sections in the file: keeps the ELF tiny
        '--no-check-sections', // batch sections deliberately overlap
        '-T',
        'link.ld',
        '-e',
        `0x${entry.toString(16)}`,
        '-o',
        'out.elf',
        'in.o',
      ],
      dir,
    );
    if (!ldRun.ok) return { ok: false, stderr: ldRun.stderr };
    const elf = new Uint8Array(readFileSync(join(dir, 'out.elf')));
    // -N makes ld (>= 2.39) warn about an RWX segment: expected, not news.
    const ldWarnings = ldRun.stderr.replace(/^.*LOAD segment with RWX permissions\n?/gm, '');
    return { ok: true, elf, warnings: asRun.stderr + ldWarnings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Section name → contents, read from a little-endian ELF64 file. */
export function readElfSections(elf: Uint8Array): Map<string, { addr: number; bytes: Uint8Array }> {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true);
  const shnum = dv.getUint16(0x3c, true);
  const shstrndx = dv.getUint16(0x3e, true);
  const hdr = (i: number) => {
    const o = shoff + i * shentsize;
    return {
      name: dv.getUint32(o, true),
      type: dv.getUint32(o + 4, true),
      addr: Number(dv.getBigUint64(o + 0x10, true)),
      offset: Number(dv.getBigUint64(o + 0x18, true)),
      size: Number(dv.getBigUint64(o + 0x20, true)),
    };
  };
  const strtab = hdr(shstrndx);
  const nameAt = (off: number): string => {
    let end = strtab.offset + off;
    while (elf[end] !== 0) end++;
    return new TextDecoder().decode(elf.subarray(strtab.offset + off, end));
  };
  const out = new Map<string, { addr: number; bytes: Uint8Array }>();
  for (let i = 1; i < shnum; i++) {
    const h = hdr(i);
    const SHT_NOBITS = 8;
    const bytes =
      h.type === SHT_NOBITS ? new Uint8Array(h.size) : elf.slice(h.offset, h.offset + h.size);
    out.set(nameAt(h.name), { addr: h.addr, bytes });
  }
  return out;
}

/**
 * Assemble one GAS Intel-syntax program and return its flat image starting
 * at `origin` (all of `.text`, `.data`, `.rodata` in that order, as one
 * block). `.intel_syntax noprefix` is prepended on the first line (joined
 * with GAS's `;` statement separator, so error line numbers stay correct).
 */
export function gasAssemble(gasSource: string, origin = DEFAULT_ORIGIN): GasResult {
  const source = `.intel_syntax noprefix;${gasSource}\n`;
  const script = `SECTIONS {
  .text 0x${origin.toString(16)} : { *(.text) *(.text.*) *(.rodata) *(.rodata.*) *(.data) *(.data.*) }
  /DISCARD/ : { *(*) }
}
`;
  const r = assembleAndLink(source, script, origin);
  if (!r.ok) return r;
  const text = readElfSections(r.elf).get('.text');
  return { ok: true, bytes: text ? text.bytes : new Uint8Array(0), warnings: r.warnings };
}

export interface GasBatchItemResult {
  /** Bytes of the snippet assembled alone at `origin`. */
  bytes: Uint8Array;
  /** GAS warnings on this snippet's lines (e.g. "ambiguous operand size"). */
  warnings: string[];
}

export type GasBatchResult =
  | { ok: true; items: GasBatchItemResult[] }
  /** `failures`: the snippets GAS rejected, with its messages for each. */
  | { ok: false; stderr: string; failures: { index: number; messages: string[] }[] };

/** GAS section name for batch snippet `i`. */
function batchSection(i: number): string {
  return `.hl.${i}`;
}

/** Group `in.s:LINE: Kind: text` diagnostics by the snippet owning LINE. */
function diagnosticsBySnippet(
  stderr: string,
  lineOwner: number[],
  kind: RegExp,
): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const m of stderr.matchAll(/^in\.s:(\d+): (\w+): (.*)$/gm)) {
    if (!kind.test(m[2])) continue;
    const owner = lineOwner[Number(m[1])] ?? -1;
    const list = out.get(owner) ?? [];
    list.push(m[3]);
    out.set(owner, list);
  }
  return out;
}

/**
 * Assemble many independent GAS snippets (each one or more lines) in one
 * `as` + one `ld` run. Each snippet behaves as if assembled alone at
 * `origin`. Label names must be unique across the whole batch (they share
 * one symbol table).
 */
export function gasAssembleBatch(
  snippets: readonly string[],
  origin = DEFAULT_ORIGIN,
): GasBatchResult {
  const lines = ['.intel_syntax noprefix'];
  /** lineOwner[n] = index of the snippet that owns source line n (1-based). */
  const lineOwner: number[] = [-1, -1];
  const scriptLines = ['SECTIONS {'];
  const org = `0x${origin.toString(16)}`;
  snippets.forEach((snippet, i) => {
    const sec = batchSection(i);
    const body = snippet.split('\n');
    lines.push(`.section ${sec},"ax",@progbits`, ...body);
    for (let k = 0; k <= body.length; k++) lineOwner.push(i);
    scriptLines.push(`  ${sec} ${org} : { *(${sec}) }`);
  });
  scriptLines.push('  /DISCARD/ : { *(*) }', '}');
  const r = assembleAndLink(lines.join('\n') + '\n', scriptLines.join('\n') + '\n', origin);
  if (!r.ok) {
    const errs = diagnosticsBySnippet(r.stderr, lineOwner, /Error/);
    const failures = [...errs].map(([index, messages]) => ({ index, messages }));
    return { ok: false, stderr: r.stderr, failures };
  }
  const sections = readElfSections(r.elf);
  const warns = diagnosticsBySnippet(r.warnings, lineOwner, /Warning/);
  return {
    ok: true,
    // ld drops empty output sections: a missing one means zero bytes.
    items: snippets.map((_, i) => ({
      bytes: sections.get(batchSection(i))?.bytes ?? new Uint8Array(0),
      warnings: warns.get(i) ?? [],
    })),
  };
}

/** Lower-case hex with a space between bytes: `48 c7 c0 01 00 00 00`. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
