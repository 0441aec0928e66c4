/**
 * The keyboard map: the keys people know from VS Code and DevTools. One
 * table, shown in button tooltips (aria-keyshortcuts) and applied by one
 * window listener, so the two never disagree.
 */
import type { LabActions } from './actions';

export type KeyAction =
  'run' | 'pause' | 'step' | 'stepPhase' | 'stepOut' | 'nextExit' | 'stepBack' | 'reset';

export interface KeyBinding {
  action: KeyAction;
  key: string;
  shift: boolean;
  ctrl: boolean;
  /** As aria-keyshortcuts spells it ("Shift+F11"). */
  label: string;
}

const bind = (action: KeyAction, key: string, shift = false, ctrl = false): KeyBinding => ({
  action,
  key,
  shift,
  ctrl,
  label: `${ctrl ? 'Control+' : ''}${shift ? 'Shift+' : ''}${key}`,
});

/** F5 continue, F6 pause, F10 step, F11 step into the host phases, Shift+F11 back out, Shift+F10 step back, F7 next exit, Ctrl+Shift+F5 reset. */
export const KEYMAP: readonly KeyBinding[] = [
  bind('run', 'F5'),
  bind('pause', 'F6'),
  bind('step', 'F10'),
  bind('stepPhase', 'F11'),
  bind('stepOut', 'F11', true),
  bind('stepBack', 'F10', true),
  bind('nextExit', 'F7'),
  bind('reset', 'F5', true, true),
];

/** The binding a key event triggers, if any. */
export function bindingFor(e: {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}): KeyBinding | undefined {
  if (e.altKey || e.metaKey) return undefined;
  return KEYMAP.find((b) => b.key === e.key && b.shift === e.shiftKey && b.ctrl === e.ctrlKey);
}

/** The aria-keyshortcuts label of an action ('' if it has no key). */
export function shortcutOf(action: KeyAction): string {
  return KEYMAP.find((b) => b.action === action)?.label ?? '';
}

/** Run the action a key names; true if the key was ours (the caller prevents the default). */
export function applyKey(
  e: { key: string; shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean },
  actions: Pick<LabActions, KeyAction>,
): boolean {
  const b = bindingFor(e);
  if (!b) return false;
  actions[b.action]();
  return true;
}
