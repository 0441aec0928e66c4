/**
 * The real Worker behind the WorkerPort interface (tests use an in-process
 * SessionHost instead). Vite bundles src/worker/worker.ts as a module
 * worker from this `new URL(…, import.meta.url)` pattern.
 */
import type { FromWorker, ToWorker } from '../worker/protocol';
import type { WorkerPort } from './actions';

export function createWorkerPort(): WorkerPort {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), {
    type: 'module',
    name: 'hypercall-lab-session',
  });
  return {
    post: (msg: ToWorker) => worker.postMessage(msg),
    listen(fn) {
      worker.addEventListener('message', (e: MessageEvent<FromWorker>) => fn(e.data));
      worker.addEventListener('error', (e) =>
        fn({ type: 'error', message: `The session worker failed: ${e.message}` }),
      );
    },
  };
}
