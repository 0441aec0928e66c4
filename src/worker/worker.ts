/**
 * The Worker entry: runs one SessionHost off the page's thread, so an
 * endless guest loop never blocks the page (DESIGN.md §4).
 */
/// <reference lib="webworker" />
import type { ToWorker } from './protocol';
import { SessionHost } from './sessionHost';

declare const self: DedicatedWorkerGlobalScope;

const host = new SessionHost({
  post: (msg, transfer) => self.postMessage(msg, transfer ?? []),
  now: () => performance.now(),
  // setTimeout, not a MessageChannel turn: its ~4 ms floor between ~12 ms
  // slices leaves the page's own threads a share of a 2-core machine (a
  // Worker spinning back to back starved them into 50–60 ms tasks), and
  // queued messages such as `pause` still run first.
  later: (fn, ms) => setTimeout(fn, ms),
});

self.onmessage = (e: MessageEvent<ToWorker>) => {
  try {
    host.handle(e.data);
  } catch (err) {
    // A model bug must not kill the worker silently: report it to the page.
    self.postMessage({
      type: 'error',
      message: `internal error: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
};
