/**
 * A link's position is sought only once the machine built from the link's
 * program answers — with the Worker answering later, as the real one does
 * (a message queue between the page and an in-process host).
 */
import { describe, expect, it } from 'vitest';
import { createActions } from '../../src/app/actions';
import { createLabStore } from '../../src/app/store';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';
import { yieldLoop } from '../fixtures/programs';
import { inProcess } from '../worker/inProcess';

const LOOP = yieldLoop(6);
const FOREVER = `_start:
    jmp _start
`;

/** The page and an in-process Worker with both directions queued until `flush`. */
function asyncLab(text = 'hlt\n') {
  const w = inProcess();
  const toWorker: ToWorker[] = [];
  const toPage: FromWorker[] = [];
  let deliver: (m: FromWorker) => void = () => {};
  w.port.listen((m) => toPage.push(m));
  const store = createLabStore(text);
  const actions = createActions(store, {
    post: (m) => toWorker.push(m),
    listen: (fn) => (deliver = fn),
  });
  const flush = (rounds = 200) => {
    for (let i = 0; i < rounds && (toWorker.length || toPage.length || w.drain(1)); i++) {
      while (toWorker.length) w.send(toWorker.shift()!);
      while (toPage.length) deliver(toPage.shift()!);
    }
  };
  return { store, actions, flush, sent: toWorker };
}

describe('opening a link at a position', () => {
  it('ignores the answers to an earlier load', () => {
    const lab = asyncLab(LOOP);
    lab.actions.run(); // an earlier program's run, answered later
    lab.actions.loadProgram({ text: yieldLoop(3), exit: 2 });
    lab.flush();
    const s = lab.store.getState();
    expect(s.message).toBe('Moved to the chosen exit.');
    expect(s.view?.exits).toBe(3);
    expect(s.timeline.count).toBe(4);
  });

  it('runs forward in slices, so Pause still works on a guest that never exits', () => {
    const lab = asyncLab();
    lab.actions.loadProgram({ text: FOREVER, exit: 10 });
    lab.flush(20);
    expect(lab.store.getState().running).toBe(true);
    lab.actions.pause();
    lab.flush();
    const s = lab.store.getState();
    expect([s.running, s.message]).toEqual([false, 'Paused.']);
  });

  it('a command of the user cancels the seek', () => {
    const lab = asyncLab();
    lab.actions.loadProgram({ text: LOOP, exit: 4 });
    lab.actions.step();
    lab.flush();
    expect(lab.store.getState().view?.exits).toBe(0);
    expect(lab.sent).toEqual([]);
  });
});
