/**
 * Measurement hook for performance tests: when a test page defines
 * `window.__timelineFrameTimes = []`, the timeline pushes the duration (ms)
 * of every frame drawn because of a zoom or pan. Nothing is recorded when the
 * array is absent, so production pays one property read per frame.
 */
declare global {
  interface Window {
    /** Frame durations (ms) of zoom/pan redraws; created by tests, filled by the timeline. */
    __timelineFrameTimes?: number[];
  }
}

/** Appends `ms` to `window.__timelineFrameTimes` if a test created it. */
export function recordFrameTime(ms: number): void {
  const sink = typeof window === 'undefined' ? undefined : window.__timelineFrameTimes;
  if (Array.isArray(sink)) sink.push(ms);
}
