import { useSyncExternalStore } from 'react';

/** The media query of the user's "reduce motion" setting. */
export const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)';

function query(): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(REDUCED_MOTION_QUERY)
    : null;
}

function subscribe(onChange: () => void): () => void {
  const mq = query();
  if (!mq) return () => {};
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

const snapshot = (): boolean => query()?.matches ?? false;
/** Without a window (server rendering, Node tests) motion is allowed; CSS still hides the token. */
const serverSnapshot = (): boolean => false;

/**
 * True while the user asks for reduced motion (`prefers-reduced-motion:
 * reduce`), followed live through the media query's change event. flow.css
 * repeats the rule with `@media`, so the token stays hidden even before
 * this hook has run.
 */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, snapshot, serverSnapshot);
}
