/**
 * Import a host trace: find which format the text is, and read it.
 *
 *  - `chrome-trace`: JSON (object with traceEvents, or an array) — this
 *    lab's own export (chromeTraceImport.ts);
 *  - `perf-kvm-stat`: a `perf kvm stat report`/`live` table (perfKvmStat.ts);
 *  - `trace-cmd`: anything else, read line by line as `trace-cmd report`
 *    output (traceCmd.ts).
 * Pure TypeScript, no file system: the caller reads the file. Never throws:
 * what is not understood is counted in `unparsed`.
 */
import { importChromeTrace } from './chromeTraceImport';
import { importPerfKvmStat } from './perfKvmStat';
import { importTraceCmd } from './traceCmd';
import type { HostTraceFormat, HostTraceImport, ImportOptions } from './types';

export type {
  HostTraceFormat,
  HostTraceImport,
  ImportedTimeline,
  ImportOptions,
  ReasonSummary,
} from './types';
export { readReason, reasonName, type Vendor } from './exitNames';

const PERF_KVM_STAT =
  /^\s*(?:Analyze events for .*:\s*$|(?:VM-EXIT|MMIO Access|IO Port Access)\s+Samples\s+Samples%)/m;

/** The parsed JSON when `text` is a JSON document, else undefined. */
function json(text: string): unknown {
  const s = text.trimStart();
  if (!s.startsWith('{') && !s.startsWith('[')) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** Which format `text` is (see the file comment). */
export function detectHostTraceFormat(text: string): HostTraceFormat {
  if (json(text) !== undefined) return 'chrome-trace';
  return PERF_KVM_STAT.test(text) ? 'perf-kvm-stat' : 'trace-cmd';
}

/** Read a host trace of any supported format. */
export function importHostTrace(text: string, options: ImportOptions = {}): HostTraceImport {
  const body = text.replace(/^\uFEFF/, '');
  const parsed = json(body);
  if (parsed !== undefined) return importChromeTrace(parsed, options);
  return PERF_KVM_STAT.test(body)
    ? importPerfKvmStat(body, options)
    : importTraceCmd(body, options);
}
