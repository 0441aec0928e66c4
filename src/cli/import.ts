/**
 * `cli import <file> [--json] [--isa intel|amd]`: read a host trace
 * (`trace-cmd report` text, a `perf kvm stat report` table, or this lab's
 * Chrome Trace JSON export) and print its exits per reason.
 *
 * Without --json: a table in the shape of `perf kvm stat report`
 * (VM-EXIT, Samples, Samples%, Time%, Min/Max/Avg time in µs), exits per
 * vCPU, and the lines not understood. With --json: exactly the DESIGN.md
 * §5 object `{format, exits, byReason, byVcpu, unparsed}`.
 * `--isa` names the host's vendor for reasons printed as bare numbers.
 * Exit status: 0 (even when lines were not understood: they are reported),
 * 2 on usage or file errors.
 */
import { importHostTrace, type HostTraceImport } from '../core/trace/import';
import type { CliIo } from './asm';

const USAGE = 'usage: cli import <file> [--json] [--isa intel|amd]';

export interface ImportArgs {
  file: string;
  json: boolean;
  isa?: 'intel' | 'amd';
}

export function parseImportArgs(args: string[]): ImportArgs | string {
  const out: ImportArgs = { file: '', json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') out.json = true;
    else if (a === '--isa') {
      const v = args[++i];
      if (v !== 'intel' && v !== 'amd') return `--isa takes intel or amd, not '${v ?? ''}'`;
      out.isa = v;
    } else if (a.startsWith('-')) return `unknown option '${a}'`;
    else if (!out.file) out.file = a;
    else return `unexpected argument '${a}'`;
  }
  return out.file ? out : USAGE;
}

/** The DESIGN.md §5 JSON object of an import. */
export function importJson(r: HostTraceImport) {
  return {
    format: r.format,
    exits: r.exits,
    byReason: r.byReason,
    byVcpu: r.byVcpu,
    unparsed: r.unparsed,
  };
}

const usCell = (v: number | undefined, width: number): string =>
  (v === undefined ? '-' : `${v.toFixed(2)}us`).padStart(width);

/** The import as a perf-kvm-stat-style text report. */
export function formatImport(r: HostTraceImport): string {
  const out: string[] = [
    `${r.format}${r.vendor ? ` (${r.vendor})` : ''}: ${r.exits} exit${r.exits === 1 ? '' : 's'}`,
    '',
    `${'VM-EXIT'.padStart(20)} ${'Samples'.padStart(10)} ${'Samples%'.padStart(9)} ${'Time%'.padStart(9)} ${'Min Time'.padStart(11)} ${'Max Time'.padStart(11)} ${'Avg time'.padStart(11)}`,
    '',
  ];
  for (const [reason, s] of Object.entries(r.byReason)) {
    const time = s.timePct === undefined ? '-'.padStart(9) : `${s.timePct.toFixed(2)}%`.padStart(9);
    out.push(
      `${reason.padStart(20)} ${String(s.count).padStart(10)} ${`${s.samplesPct.toFixed(2)}%`.padStart(9)} ${time} ${usCell(s.minUs, 11)} ${usCell(s.maxUs, 11)} ${usCell(s.avgUs, 11)}`,
    );
  }
  out.push('', `Total Samples:${r.exits}`);
  const vcpus = Object.entries(r.byVcpu);
  if (vcpus.length) out.push(`By vCPU: ${vcpus.map(([v, n]) => `vCPU ${v}: ${n}`).join(', ')}`);
  if (Object.keys(r.accesses).length)
    out.push(
      `Accesses (not exits): ${Object.entries(r.accesses)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  out.push(`Lines not understood: ${r.unparsed}`);
  for (const u of r.unparsedLines) out.push(`  ${u.line ? `line ${u.line}: ` : ''}${u.text}`);
  if (r.unparsed > r.unparsedLines.length)
    out.push(`  … and ${r.unparsed - r.unparsedLines.length} more`);
  return `${out.join('\n')}\n`;
}

export function runImport(args: string[], io: CliIo): number {
  const a = parseImportArgs(args);
  if (typeof a === 'string') {
    io.err.write(`${a}\n`);
    return 2;
  }
  let text: string;
  try {
    text = io.readFile(a.file);
  } catch (e) {
    io.err.write(`cannot read ${a.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const r = importHostTrace(text, a.isa ? { isa: a.isa } : {});
  io.out.write(a.json ? `${JSON.stringify(importJson(r), null, 2)}\n` : formatImport(r));
  return 0;
}
