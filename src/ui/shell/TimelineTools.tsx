import { useRef } from 'react';
import { useLab, useLabActions, useLabStore } from '../../app/LabContext';
import { selectShownTimeline } from '../../app/selectors';
import { statsToCsv, timelineStats } from '../../core';
import { timelineSvg } from '../timeline/exportSvg';
import { download, svgToPng } from './download';

/**
 * Export and import for the timeline: the run as Chrome Trace Event JSON
 * (Perfetto, chrome://tracing), the timeline as SVG or PNG, the statistics
 * as CSV; and a real host trace (trace-cmd report, perf kvm stat report, or
 * an exported JSON) read into the same timeline and statistics.
 */
export function TimelineTools() {
  const actions = useLabActions();
  const store = useLabStore();
  const imported = useLab((s) => s.imported);
  const fileRef = useRef<HTMLInputElement>(null);
  const shown = () => selectShownTimeline(store.getState());
  const base = () => (store.getState().imported ? 'host-trace' : 'hypercall-lab');
  const light = () => store.getState().theme === 'light';
  const svg = () =>
    timelineSvg(shown(), light() ? { background: '#ffffff', foreground: '#1f2328' } : {});
  return (
    <div className="timeline-tools" role="group" aria-label="Export and import">
      <span className="timeline-tools-label">Export</span>
      <button
        type="button"
        disabled={imported !== null}
        onClick={async () => {
          const json = await actions.exportTrace();
          download('hypercall-lab-trace.json', new Blob([json], { type: 'application/json' }));
        }}
      >
        Trace (JSON)
      </button>
      <button
        type="button"
        onClick={() => {
          const s = store.getState();
          const rows =
            s.imported && !s.imported.timeline
              ? s.imported.rows.map((r) => ({
                  ...r,
                  samplesPct: 0,
                  timePct: 0,
                  min: 0,
                  max: 0,
                  avg: 0,
                  total: 0,
                }))
              : timelineStats(shown(), -Infinity, Infinity);
          download(`${base()}-stats.csv`, new Blob([statsToCsv(rows)], { type: 'text/csv' }));
        }}
      >
        Statistics (CSV)
      </button>
      <button
        type="button"
        onClick={() =>
          download(`${base()}-timeline.svg`, new Blob([svg()], { type: 'image/svg+xml' }))
        }
      >
        Timeline (SVG)
      </button>
      <button
        type="button"
        onClick={async () => download(`${base()}-timeline.png`, await svgToPng(svg()))}
      >
        Timeline (PNG)
      </button>
      <span className="timeline-tools-label">Import</span>
      <input
        ref={fileRef}
        type="file"
        aria-label="Import a host trace (trace-cmd report, perf kvm stat report, Chrome trace JSON)"
        accept=".txt,.json,.log,text/plain,application/json"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (f) actions.importHostTrace(f.name, await f.text());
          if (fileRef.current) fileRef.current.value = '';
        }}
      />
      {imported && (
        <span className="timeline-import" role="status">
          Showing {imported.file} ({imported.format}): {imported.exits} VM exits
          {imported.unparsed ? `, ${imported.unparsed} lines not understood` : ''}
          {!imported.timeline &&
            ` — ${imported.rows.map((r) => `${r.reason} ${r.count}`).join(', ')}`}
          <button type="button" onClick={actions.clearImport}>
            Back to the run
          </button>
        </span>
      )}
    </div>
  );
}
