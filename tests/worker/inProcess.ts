/**
 * A Worker stand-in for tests: a SessionHost in this process, with a manual
 * task queue (so tests decide when "the event loop" runs). The clock is the
 * real one, so slices adapt to about SLICE_MS of work as in the browser.
 */
import type { WorkerPort } from '../../src/app/actions';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';
import { SessionHost } from '../../src/worker/sessionHost';

export interface InProcess {
  host: SessionHost;
  /** Every message the host posted, in order. */
  posted: FromWorker[];
  port: WorkerPort;
  /** Run queued tasks (slices) until none is left or `max` ran; returns how many ran. */
  drain(max?: number): number;
  send(msg: ToWorker): void;
  /** The last posted message of a type. */
  last<T extends FromWorker['type']>(type: T): Extract<FromWorker, { type: T }> | undefined;
}

export function inProcess(): InProcess {
  const posted: FromWorker[] = [];
  const queue: (() => void)[] = [];
  const listeners: ((m: FromWorker) => void)[] = [];
  const host = new SessionHost({
    post: (m) => {
      posted.push(m);
      for (const l of listeners) l(m);
    },
    now: () => performance.now(),
    later: (fn) => queue.push(fn),
  });
  const send = (m: ToWorker): void => host.handle(m);
  return {
    host,
    posted,
    send,
    port: { post: send, listen: (fn) => listeners.push(fn) },
    drain(max = 10_000) {
      let n = 0;
      while (queue.length && n < max) {
        queue.shift()!();
        n++;
      }
      return n;
    },
    last(type) {
      for (let i = posted.length - 1; i >= 0; i--)
        if (posted[i].type === type) return posted[i] as never;
      return undefined;
    },
  };
}
