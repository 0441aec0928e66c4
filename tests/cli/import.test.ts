/** `cli import <file> [--json]`: the DESIGN.md §5 contract, and the perf-kvm-stat-like text. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportArgs, runImport } from '../../src/cli/import';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const ROOT = join(import.meta.dirname, '../..');

function cli(args: string[], files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    readFile: (p: string) => {
      if (p in files) return files[p];
      return readFileSync(join(FIXTURES, p), 'utf8');
    },
    writeFile: () => undefined,
    out: { write: (s: string) => out.push(s) },
    err: { write: (s: string) => err.push(s) },
  };
  const status = runImport(args, io);
  return { status, out: out.join(''), err: err.join('') };
}

describe('cli import', () => {
  it('--json prints exactly format, exits, byReason, byVcpu, unparsed', () => {
    const r = cli(['trace-cmd-linux6-raw.txt', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['format', 'exits', 'byReason', 'byVcpu', 'unparsed']);
    expect(j.format).toBe('trace-cmd');
    expect(j.exits).toBe(9);
    expect(j.byReason.VMCALL).toEqual({
      count: 1,
      samplesPct: 11.11,
      timePct: 0.27,
      minUs: 3,
      maxUs: 3,
      avgUs: 3,
      totalUs: 3,
    });
    expect(j.byReason.INVALID_STATE).toEqual({ count: 1, samplesPct: 11.11 });
    expect(j.byVcpu).toEqual({ '0': 4, '1': 3, '2': 1, '3': 1 });
    expect(j.unparsed).toBe(2);
  });

  it('reads perf kvm stat tables and names AMD reasons as the lab does', () => {
    const j = JSON.parse(cli(['perf-kvm-stat-amd-vcpu1.txt', '--json']).out);
    expect(j.format).toBe('perf-kvm-stat');
    expect(Object.keys(j.byReason)).toEqual([
      'IOIO',
      'HLT',
      'MSR',
      'INTR',
      'NPF',
      'VMMCALL',
      'EXCP',
      'VINTR',
    ]);
    expect(j.byVcpu).toEqual({ '1': 1720 });
  });

  it('--isa names the vendor of reasons printed as numbers', () => {
    const j = JSON.parse(
      cli(['x.txt', '--json', '--isa', 'amd'], {
        'x.txt': ' q-1 [0] 1.0: kvm_exit: reason 129 rip 0x1',
      }).out,
    );
    expect(j.byReason).toEqual({ VMMCALL: { count: 1, samplesPct: 100 } });
  });

  it('prints a perf-kvm-stat-like table and the lines it did not understand', () => {
    const r = cli(['trace-cmd-linux4-raw.txt']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('trace-cmd (intel): 13 exits');
    expect(r.out).toMatch(/VM-EXIT\s+Samples\s+Samples%\s+Time%\s+Min Time\s+Max Time\s+Avg time/);
    expect(r.out).toMatch(/\n\s+MSR_WRITE\s+4\s+30\.77%\s+0\.78%\s+2\.00us\s+3\.00us\s+2\.25us\n/);
    expect(r.out).toContain('By vCPU: vCPU 0: 9, vCPU 1: 4');
    expect(r.out).toContain('Lines not understood: 3');
    expect(r.out).toContain('line 34: this is not a trace line');
  });

  it('rejects bad arguments and unreadable files with status 2', () => {
    expect(parseImportArgs([])).toMatch(/^usage: cli import/);
    expect(parseImportArgs(['a', '--isa', 'arm'])).toMatch(/intel or amd/);
    expect(parseImportArgs(['a', '--frob'])).toMatch(/unknown option/);
    const r = cli(['missing.txt']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^cannot read missing.txt: /);
  });

  it('is wired into the command line (npm run cli -- import)', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'import',
        'tests/fixtures/trace-cmd-amd-plugin.txt',
        '--json',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toMatchObject({
      format: 'trace-cmd',
      exits: 6,
      byVcpu: { '0': 6 },
      unparsed: 0,
    });
  }, 30_000);
});
