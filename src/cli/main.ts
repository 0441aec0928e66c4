/**
 * The headless command line over the same core the page uses (DESIGN.md §5).
 *
 *   npm run --silent cli -- asm <file.s> [-o out.bin]
 *   npm run --silent cli -- run <file.s> [--vendor intel|amd] [--vcpus N] [--max-steps N] [--json]
 *                                 [--vm <json>] [--trace out.json]
 *   npm run --silent cli -- import <file> [--json] [--isa intel|amd]
 *
 * Exit status: 0 on success, 1 on assembly errors (printed to stderr as
 * `file:line:column: error: message`), 2 on usage or file errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runAsm, type CliIo } from './asm';
import { runImport } from './import';
import { runRun } from './run';

const USAGE = `usage:
  cli asm <file.s> [-o out.bin]   assemble; without -o print a listing
  cli run <file.s> [--vendor intel|amd] [--vcpus N] [--max-steps N] [--vm '<json>'] [--json] [--trace out.json]
                                  run it in the KVM model and report every exit;
                                  --trace also writes Chrome Trace Event JSON (Perfetto, chrome://tracing)
  cli import <file> [--json] [--isa intel|amd]
                                  per-reason exit statistics of a host trace: trace-cmd report
                                  text, a perf kvm stat report table, or a --trace export;
                                  --isa: the vendor of reasons printed as numbers`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const io: CliIo = {
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: writeFileSync,
    out: process.stdout,
    err: process.stderr,
  };
  switch (command) {
    case 'asm':
      return runAsm(rest, io);
    case 'run':
      return runRun(rest, io);
    case 'import':
      return runImport(rest, io);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command '${command}'\n${USAGE}\n`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
