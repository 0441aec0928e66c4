/**
 * `cli asm`: assemble a file. Without `-o`, print a listing (address,
 * bytes, source line); with `-o`, write the flat image from the origin, as
 * `nasm -f bin` does.
 */
import { assemble } from '../core/isa';

/** The process's I/O, passed in so tests can drive the command in-process. */
export interface CliIo {
  readFile(path: string): string;
  writeFile(path: string, data: Uint8Array): void;
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** Listing lines: `address  bytes  source`, long byte runs wrapped at 8. */
export function formatListing(source: string, result: ReturnType<typeof assemble>): string {
  const lines = source.split(/\r\n|\r|\n/);
  const byLine = new Map<number, typeof result.sourceMap>();
  for (const e of result.sourceMap) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  const out: string[] = [];
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((text, i) => {
    const entries = byLine.get(i + 1) ?? [];
    if (entries.length === 0) {
      out.push(`${' '.repeat(8)}  ${' '.repeat(24)}  ${text}`);
      return;
    }
    for (const e of entries) {
      const bytes = Array.from(
        result.bytes.subarray(e.address - result.origin, e.address - result.origin + e.length),
        hex2,
      );
      for (let k = 0; k < Math.max(1, Math.ceil(bytes.length / 8)); k++) {
        const chunk = bytes.slice(k * 8, k * 8 + 8).join(' ');
        const addr = (e.address + k * 8).toString(16).padStart(8, '0');
        out.push(`${addr}  ${chunk.padEnd(24)}  ${k === 0 ? text : ''}`.trimEnd());
      }
    }
  });
  return `${out.join('\n')}\n`;
}

export function runAsm(args: string[], io: CliIo): number {
  let file: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-o') output = args[++i];
    else if (!file) file = args[i];
    else {
      io.err.write(`unexpected argument '${args[i]}'\n`);
      return 2;
    }
  }
  if (!file || (args.includes('-o') && !output)) {
    io.err.write('usage: cli asm <file.s> [-o out.bin]\n');
    return 2;
  }
  let source: string;
  try {
    source = io.readFile(file);
  } catch (e) {
    io.err.write(`cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const result = assemble(source);
  if (!result.ok) {
    for (const e of result.errors)
      io.err.write(`${file}:${e.line}:${e.column}: error: ${e.message}\n`);
    return 1;
  }
  if (output) {
    try {
      io.writeFile(output, result.bytes);
    } catch (e) {
      io.err.write(`cannot write ${output}: ${(e as Error).message}\n`);
      return 2;
    }
    return 0;
  }
  io.out.write(formatListing(source, result));
  return 0;
}
