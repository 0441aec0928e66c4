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
  later: (fn, ms) => {
    if (ms > 0) setTimeout(fn, ms);
    else {
      // A MessageChannel turn is faster than setTimeout(0) (no 4 ms clamp)
      // and still lets queued messages such as `pause` run first.
      const ch = new MessageChannel();
      ch.port1.onmessage = () => fn();
      ch.port2.postMessage(null);
    }
  },
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
