/**
 * `perf kvm stat report` (and `perf kvm stat live`) tables → exit
 * statistics. The layout is print_result() in tools/perf/builtin-kvm.c:
 *
 *   Analyze events for all VMs, all VCPUs:          (or "pid(s) …", "VCPU n")
 *
 *                VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time
 *
 *              MSR_WRITE       1234    45.67%    12.34%      0.50us     12.00us      1.23us ( +-   2.30% )
 *
 *   Total Samples:2700, Total events handled time:12345.67us.
 *
 * Rows are "%20s %10llu %8.2f%% %8.2f%% %9.2fus %9.2fus %9.2fus ( +-%7.2f%% )";
 * the first perf kvm stat (Linux 3.7) printed no Min/Max columns, added in
 * 2013 (the header line says which layout follows).
 * The event column is "VM-EXIT" for `--event vmexit`; "MMIO Access" and
 * "IO Port Access" tables (tools/perf/arch/x86/util/kvm-stat.c, keys like
 * "0xfee00300:W", "0x3f8:POUT") are kept under `accesses`, not exits.
 * Reason names are the kernel's VMX_EXIT_REASONS / SVM_EXIT_REASONS strings
 * (exitNames.ts maps them). Several tables in one file (live mode's
 * snapshots, or one report per --vcpu) are summed. A row's times are the
 * mean, min and max over its samples; the sum is mean × samples.
 */
import { readReason, type Vendor } from './exitNames';
import { ExitTally } from './tally';
import { emptyImport, UNPARSED_KEPT, type HostTraceImport, type ImportOptions } from './types';

const SECTION =
  /^\s*Analyze events for (?:all VMs|pid\(s\) [^,]*|.*?), (?:all VCPUs|VCPU (\d+)):\s*$/;
const HEADER = /^\s*(VM-EXIT|MMIO Access|IO Port Access)\s+Samples\s+Samples%\s+Time%\s+(.*)$/;
const PCT = '(-?nan|[\\d.]+)%';
const TIME = '([\\d.]+)(ns|us|ms|s)';
const ROW = new RegExp(
  `^\\s*(.+?)\\s+(\\d+)\\s+${PCT}\\s+${PCT}\\s+(?:${TIME}\\s+${TIME}\\s+)?${TIME}\\s+\\(\\s*\\+-\\s*${PCT}\\s*\\)\\s*$`,
);
const TOTAL = /^\s*Total Samples:\s*(\d+)(?:, Total events handled time:\s*[\d.]+\s*us\.?)?\s*$/;
const FRAMING = /^(?:\s*#.*|\s*|\s*Lost events: \d+\s*|\s*\d\d:\d\d:\d\d\.\d+\s*)$/;

const US: Readonly<Record<string, number>> = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 };
const pct = (s: string): number => (/nan/.test(s) ? 0 : Number(s));

/** Import perf kvm stat report text. Never throws. */
export function importPerfKvmStat(text: string, options: ImportOptions = {}): HostTraceImport {
  const result: HostTraceImport = emptyImport('perf-kvm-stat');
  const tally = new ExitTally();
  let votes = { intel: 0, amd: 0 };
  let vcpu: number | undefined;
  let table: string | undefined;
  let withMinMax = true;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const section = SECTION.exec(raw);
    if (section) {
      vcpu = section[1] !== undefined ? Number(section[1]) : undefined;
      table = undefined;
      return;
    }
    const header = HEADER.exec(raw);
    if (header) {
      table = header[1];
      withMinMax = /Min Time/.test(header[2]);
      return;
    }
    const row = table ? ROW.exec(raw) : null;
    if (row && table && withMinMax === (row[5] !== undefined)) {
      const count = Number(row[2]);
      if (table !== 'VM-EXIT') {
        result.accesses[row[1]] = (result.accesses[row[1]] ?? 0) + count;
        return;
      }
      const token = readReason(row[1]);
      const name = token.kind === 'name' ? token.name : `UNKNOWN_${token.code}`;
      if (token.kind === 'name' && token.vendor)
        votes = { ...votes, [token.vendor]: votes[token.vendor] + 1 };
      const time = (v: string | undefined, unit: string | undefined): number | undefined =>
        v === undefined ? undefined : Number(v) * (US[unit ?? 'us'] ?? 1);
      tally.addRow(
        name,
        count,
        {
          minUs: time(row[5], row[6]),
          maxUs: time(row[7], row[8]),
          avgUs: time(row[9], row[10]) ?? 0,
        },
        { samplesPct: pct(row[3]), timePct: pct(row[4]) },
      );
      if (vcpu !== undefined) tally.addVcpu(vcpu, count);
      return;
    }
    if (TOTAL.test(raw) || FRAMING.test(raw)) return;
    result.unparsed++;
    if (result.unparsedLines.length < UNPARSED_KEPT)
      result.unparsedLines.push({ line: i + 1, text: raw });
  });
  result.vendor = pickVendor(votes, options.isa);
  result.exits = tally.exits;
  result.byReason = tally.byReason();
  result.byVcpu = tally.byVcpu();
  return result;
}

function pickVendor(
  votes: { intel: number; amd: number },
  hint: Vendor | undefined,
): Vendor | null {
  if (votes.intel !== votes.amd) return votes.intel > votes.amd ? 'intel' : 'amd';
  return hint ?? null;
}
