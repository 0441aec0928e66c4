import { describe, expect, it } from 'vitest';
import { createActions } from '../../src/app/actions';
import { bindingFor, KEYMAP } from '../../src/app/keys';
import { selectCurrentLine } from '../../src/app/selectors';
import { createLabStore } from '../../src/app/store';
import { emptyTimeline, mergeTimeline } from '../../src/app/timelineBuffer';
import { inProcess } from '../worker/inProcess';

const PROGRAM = `_start:
    mov eax, 11
    xor ebx, ebx
    vmcall
    hlt
`;

function lab(text = PROGRAM) {
  const w = inProcess();
  const store = createLabStore(text);
  const actions = createActions(store, w.port);
  return { w, store, actions };
}

describe('the page actions over the store', () => {
  it('refuses Run on a program with assembly errors, naming line and column', () => {
    const { w, store, actions } = lab();
    actions.setText('_start:\n    movv eax, 1\n', [
      { line: 2, column: 5, message: "unknown instruction 'movv'" },
    ]);
    actions.run();
    const s = store.getState();
    expect(s.messageIsError).toBe(true);
    expect(s.message).toMatch(/Line 2, column 5: unknown instruction 'movv'/);
    expect(s.running).toBe(false);
    expect(w.posted).toEqual([]); // nothing was sent: the machine is untouched
  });

  it('loads on the first command, steps, and keeps the previous view for highlights', () => {
    const { w, store, actions } = lab();
    actions.step(); // KVM_RUN's first VM entry (a host phase)
    w.drain();
    expect(store.getState().view?.phase?.phase).toBe('resume');
    actions.step(); // the first guest instruction
    w.drain();
    const s = store.getState();
    expect(s.loaded?.text).toBe(PROGRAM);
    expect(s.view?.vcpus[0].instructions).toBe(1);
    expect(s.previous?.vcpus[0].instructions).toBe(0);
    expect(selectCurrentLine(s)).toBe(3);
  });

  it('a reload swaps the source map and the view in one update: the debugger never empties', () => {
    const { w, store, actions } = lab();
    actions.step();
    actions.step();
    w.drain();
    const before = store.getState();
    expect(before.view?.vcpus[0].instructions).toBe(1);
    const seen: { view: boolean; newMap: boolean; instructions?: number; previous: boolean }[] = [];
    const unsubscribe = store.subscribe((s) =>
      seen.push({
        view: s.view !== null,
        newMap: s.sourceMap !== before.sourceMap,
        instructions: s.view?.vcpus[0].instructions,
        previous: s.previous !== null,
      }),
    );
    actions.setText(`${PROGRAM}    nop\n`, []);
    actions.step();
    w.drain();
    unsubscribe();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x.view)).toBe(true);
    // The old program's view never shows with the new source map.
    const firstNew = seen.findIndex((x) => x.newMap);
    expect(firstNew).toBeGreaterThanOrEqual(0);
    expect(seen[firstNew].instructions).toBe(0);
    // Nothing before a new program's first view to light changes against.
    expect(seen[firstNew].previous).toBe(false);
  });

  it('reloads when the text or the vendor changes', () => {
    const { w, store, actions } = lab();
    actions.step();
    w.drain();
    actions.setVendor('amd');
    w.drain();
    expect(store.getState().view?.vendor).toBe('amd');
    expect(store.getState().view?.vcpus[0].instructions).toBe(0);
  });

  it('Run to the end fills the timeline; clicking an exit seeks there and reveals its line', () => {
    const { w, store, actions } = lab();
    actions.run();
    w.drain();
    let s = store.getState();
    expect(s.running).toBe(false);
    expect(s.timeline.count).toBe(2);
    expect(s.message).toMatch(/KVM_EXIT_HLT/);
    actions.seekExit(0);
    w.drain();
    s = store.getState();
    expect(s.view?.exits).toBe(1);
    expect(s.revealRequest).toEqual({ line: 4 });
    // The future exit stays on the timeline after seeking back.
    expect(s.timeline.count).toBe(2);
  });

  it('toggles breakpoints and sends them to the worker', () => {
    const { w, store, actions } = lab();
    actions.reset();
    actions.toggleBreakpoint(4);
    actions.toggleBreakpoint(2);
    expect(store.getState().breakpoints).toEqual([2, 4]);
    actions.toggleBreakpoint(2);
    expect(store.getState().breakpoints).toEqual([4]);
    actions.run();
    w.drain();
    expect(store.getState().stop?.kind).toBe('breakpoint');
    expect(selectCurrentLine(store.getState())).toBe(4);
  });
});

describe('the timeline buffer', () => {
  it('appends chunks, grows, and applies changed ends', () => {
    const chunk = (n: number, t0: number) => {
      const c = emptyTimeline(2);
      c.count = n;
      c.time = Float64Array.from({ length: n }, (_, i) => t0 + i);
      c.end = Float64Array.from({ length: n }, (_, i) => t0 + i);
      c.vcpu = new Uint8Array(n);
      c.reason = new Uint16Array(n);
      c.handled = new Uint8Array(n);
      c.reasons = ['VMCALL'];
      return c;
    };
    let t = mergeTimeline(emptyTimeline(), true, 0, chunk(3000, 0), {
      index: [],
      end: [],
      handled: [],
    });
    t = mergeTimeline(t, false, 3000, chunk(10, 3000), { index: [5], end: [99], handled: [1] });
    expect(t.count).toBe(3010);
    expect(t.time[3009]).toBe(3009);
    expect(t.end[5]).toBe(99);
    expect(t.handled[5]).toBe(1);
  });
});

describe('the keyboard map', () => {
  const key = (k: string, shift = false, ctrl = false) => ({
    key: k,
    shiftKey: shift,
    ctrlKey: ctrl,
    altKey: false,
    metaKey: false,
  });
  it('binds the keys debuggers use', () => {
    expect(bindingFor(key('F5'))?.action).toBe('run');
    expect(bindingFor(key('F10'))?.action).toBe('step');
    expect(bindingFor(key('F11'))?.action).toBe('stepPhase');
    expect(bindingFor(key('F11', true))?.action).toBe('stepOut');
    expect(bindingFor(key('F10', true))?.action).toBe('stepBack');
    expect(bindingFor(key('a'))).toBeUndefined();
  });
  it('has no key bound twice', () => {
    const labels = KEYMAP.map((b) => b.label);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
