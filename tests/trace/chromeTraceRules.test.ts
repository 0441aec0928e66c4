/** The format-rules checker itself finds broken traces (so its [] means something). */
import { describe, expect, it } from 'vitest';
import type { ChromeTrace, ChromeTraceEvent } from '../../src/core/trace/chromeTrace';
import { traceEventRuleViolations } from './chromeTraceRules';

const meta: ChromeTraceEvent[] = [
  { name: 'process_name', ph: 'M', ts: 0, pid: 1, tid: 1, args: { name: 'p' } },
  { name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: 1, args: { name: 't' } },
];
const x = (ts: number, dur: number, name = 's'): ChromeTraceEvent => ({
  name,
  ph: 'X',
  cat: 'c',
  ts,
  dur,
  pid: 1,
  tid: 1,
  args: {},
});
const trace = (events: ChromeTraceEvent[]): ChromeTrace => ({
  traceEvents: [...meta, ...events],
  displayTimeUnit: 'ns',
  otherData: {},
});

describe('traceEventRuleViolations', () => {
  it('accepts nested and adjacent slices, zero-length ones at the edges', () => {
    expect(
      traceEventRuleViolations(trace([x(0, 10), x(0, 0), x(0, 4), x(4, 6), x(10, 0), x(10, 5)])),
    ).toEqual([]);
  });

  it('finds partial overlaps', () => {
    expect(traceEventRuleViolations(trace([x(0, 10, 'a'), x(5, 10, 'b')]))[0]).toMatch(
      /b .* overlaps a/,
    );
  });

  it('finds unmatched flows and flow points outside slices', () => {
    const s: ChromeTraceEvent = { name: 'f', ph: 's', cat: 'flow', id: 1, ts: 1, pid: 1, tid: 1 };
    expect(traceEventRuleViolations(trace([x(0, 2), s]))).toEqual(['flow 1: 1 starts and 0 ends']);
    const f: ChromeTraceEvent = { ...s, ph: 'f', bp: 'e', ts: 9 };
    expect(traceEventRuleViolations(trace([x(0, 2), s, f]))[0]).toMatch(/outside every slice/);
  });

  it('finds unnamed threads', () => {
    expect(traceEventRuleViolations(trace([{ ...x(0, 1), tid: 2 }]))).toEqual([
      'thread 1/2 has no thread_name',
    ]);
  });
});
