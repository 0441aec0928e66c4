import { describe, expect, it } from 'vitest';
import { createActions, type ProgramLoad } from '../../src/app/actions';
import {
  createClassroom,
  startupProgram,
  withSavedProgram,
  type BrowserEnv,
} from '../../src/app/classroom';
import { loadPrefs, loadProgram, memoryStorage, saveProgram } from '../../src/app/persistence';
import { selectShareState } from '../../src/app/selectors';
import { decode, encode } from '../../src/app/share';
import { createLabStore } from '../../src/app/store';
import { yieldLoop } from '../fixtures/programs';
import { inProcess } from '../worker/inProcess';

const PROGRAM = yieldLoop(4);
const ORIGINAL = '; the example\n_start:\n    hlt\n';
const original = (): ProgramLoad => ({ text: ORIGINAL });

/** A fake browser: a hash, a storage, a clipboard that works or not. */
function fakeBrowser(hash = '', clipboard = true) {
  const storage = memoryStorage();
  const warned: string[] = [];
  const listeners: (() => void)[] = [];
  const copied: string[] = [];
  const env: BrowserEnv & { setHash(h: string): void } = {
    storage,
    warn: (m) => warned.push(m),
    hash: () => hash,
    href: () => `http://localhost/${hash}`,
    replaceHash: (h) => void (hash = h ? `#${h}` : ''),
    onHashChange: (fn) => {
      listeners.push(fn);
      return () => listeners.splice(listeners.indexOf(fn), 1);
    },
    copy: clipboard ? (t) => Promise.resolve(void copied.push(t)) : undefined,
    setHash(h) {
      hash = h;
      for (const l of listeners) l();
    },
  };
  return { env, storage, warned, copied };
}

/** A page: store, actions on an in-process worker, classroom connected as main.tsx does. */
function page(hash = '', clipboard = true, seed?: (s: ReturnType<typeof memoryStorage>) => void) {
  const b = fakeBrowser(hash, clipboard);
  seed?.(b.storage);
  const w = inProcess();
  const classroom = createClassroom(b.env);
  const start = startupProgram(b.env.hash(), b.storage, original, b.env.warn);
  const store = createLabStore(ORIGINAL, start.prefs ?? {});
  const actions = createActions(store, w.port, {
    original,
    publishLink: (h) => classroom.publishLink(h),
  });
  actions.loadProgram(start.load);
  if (start.notice) actions.showNotice(start.notice);
  classroom.connect(store, actions, original, start.fromLink);
  w.drain();
  return { ...b, w, store, actions };
}

const regs = (p: ReturnType<typeof page>) => p.store.getState().view?.vcpus[0].regs;

describe('the classroom features', () => {
  it('starts from the example, then from what was saved', () => {
    const first = page();
    expect(first.store.getState().text).toBe(ORIGINAL);
    first.actions.setText(PROGRAM, []);
    first.actions.setVendor('amd');
    first.actions.setTheme('light');
    const again = page('', true, (s) => {
      for (const [k, v] of first.storage.map) s.setItem(k, v);
    });
    const s = again.store.getState();
    expect([s.text, s.vendor, s.theme]).toEqual([PROGRAM, 'amd', 'light']);
  });

  it('opens a share link at its exit, with the same registers, over what was saved', () => {
    const a = page();
    a.actions.setText(PROGRAM, []);
    a.actions.setVcpus(2);
    a.actions.run();
    a.w.drain();
    a.actions.seekExit(3);
    a.actions.selectVcpu(1);
    a.w.drain();
    expect(a.store.getState().view?.selected).toBe(1);
    const hash = encode(selectShareState(a.store.getState()));
    expect(decode(hash)).toMatchObject({ ok: true, state: { exit: 3, vcpus: 2, vcpu: 1 } });

    const b = page(`#${hash}`, true, (s) =>
      saveProgram(s, null, { program: 'nop\n', vendor: 'intel', vcpus: 1, speed: 5 }),
    );
    const s = b.store.getState();
    expect([s.text, s.vcpus, s.view?.exits]).toEqual([PROGRAM, 2, 4]);
    expect(s.view?.exit).toEqual(a.store.getState().view?.exit);
    expect(regs(b)).toEqual(regs(a));
    expect(s.view?.selected).toBe(1);
    expect(s.message).toBe('Moved to the chosen exit.');
  });

  it('says so when a link points past the end of the run', () => {
    const hash = encode({
      program: PROGRAM,
      vendor: 'intel',
      vcpus: 1,
      speed: 5,
      lesson: null,
      exit: 500,
      vcpu: 0,
    });
    const p = page(`#${hash}`);
    expect(p.store.getState().message).toMatch(/exit #500\) is past the end of this run/);
    expect(p.store.getState().view?.finished).toBe(true);
  });

  it('keeps the saved program when the link is broken, and says why', () => {
    const p = page('#v1=garbage!', true, (s) =>
      saveProgram(s, null, { program: PROGRAM, vendor: 'amd', vcpus: 1, speed: 5 }),
    );
    const s = p.store.getState();
    expect(s.text).toBe(PROGRAM);
    expect(s.notice).toMatchObject({ kind: 'error', text: /cannot be opened.*unchanged/ });
    expect(p.env.hash()).toBe(''); // a reload does not show the message again
  });

  it('opens pasted links; a broken one changes nothing but the banner', () => {
    const p = page();
    p.actions.setText(PROGRAM, []);
    p.env.setHash('#v1=AAAA');
    expect(p.store.getState().text).toBe(PROGRAM);
    expect(p.store.getState().notice?.kind).toBe('error');
    const other = { ...selectShareState(p.store.getState()), program: ORIGINAL, exit: null };
    p.env.setHash(`#${encode(other)}`);
    p.w.drain();
    expect(p.store.getState().text).toBe(ORIGINAL);
    expect(p.store.getState().notice).toBeNull();
    expect(p.store.getState().programEpoch).toBeGreaterThan(1);
  });

  it('removes the link from the address bar once the program changes', () => {
    const hash = encode({ ...selectShareState(page().store.getState()), program: PROGRAM });
    const p = page(`#${hash}`);
    p.actions.setText(PROGRAM, []); // the editor reporting the same text
    expect(p.env.hash()).toBe(`#${hash}`);
    p.actions.setText(`${PROGRAM}; edited\n`, []);
    expect(p.env.hash()).toBe('');
    expect(loadProgram(p.storage, null)?.program).toBe(`${PROGRAM}; edited\n`);
  });

  it('Share copies the link, or shows it when the clipboard is unavailable', async () => {
    const p = page();
    await p.actions.share();
    expect(p.copied).toHaveLength(1);
    expect(p.env.hash()).toMatch(/^#v1=/);
    expect(p.store.getState().message).toMatch(/Link copied/);
    const q = page('', false);
    await q.actions.share();
    expect(q.store.getState().shareLink).toMatch(/^http:\/\/localhost\/#v1=/);
    q.actions.closeShareLink();
    expect(q.store.getState().shareLink).toBeNull();
  });

  it('Reset lesson puts the original back, and Undo brings the edit back', () => {
    const p = page();
    p.actions.setText(PROGRAM, []);
    p.actions.toggleBreakpoint(3);
    p.actions.resetLesson();
    p.w.drain();
    let s = p.store.getState();
    expect([s.text, s.breakpoints, s.notice?.undo]).toEqual([ORIGINAL, [], true]);
    expect(loadProgram(p.storage, null)?.program).toBe(ORIGINAL);
    p.actions.undoResetLesson();
    s = p.store.getState();
    expect([s.text, s.notice]).toEqual([PROGRAM, null]);
  });

  it('opens a lesson as the user left it, keeping the lesson’s VM options', () => {
    const p = page();
    const lesson: ProgramLoad = { text: ORIGINAL, lesson: 'io-ports', vm: { irqchip: true } };
    expect(withSavedProgram(p.storage, lesson, p.env.warn)).toBe(lesson);
    p.actions.loadProgram(lesson);
    p.actions.setText(PROGRAM, []);
    p.actions.setVendor('amd');
    expect(withSavedProgram(p.storage, lesson, p.env.warn)).toEqual({
      ...lesson,
      text: PROGRAM,
      vendor: 'amd',
      vcpus: 1,
      speed: 5,
    });
    expect(loadProgram(p.storage, null)).toBeNull(); // free mode's slot is untouched
  });

  it('saves theme and projector mode apart from the program', () => {
    const p = page();
    p.actions.setProjector(true);
    expect(loadPrefs(p.storage)).toEqual({ theme: 'dark', projector: true });
    expect(p.warned).toEqual([]);
  });
});
