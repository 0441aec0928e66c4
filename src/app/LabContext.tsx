/**
 * React access to the store and the actions: a context holding both, and
 * `useLab(selector)` for narrow subscriptions (never the whole state).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LabActions } from './actions';
import type { LabState, LabStore } from './store';

interface Lab {
  store: LabStore;
  actions: LabActions;
}

const LabContext = createContext<Lab | null>(null);

export function LabProvider({ lab, children }: { lab: Lab; children: ReactNode }) {
  return <LabContext.Provider value={lab}>{children}</LabContext.Provider>;
}

function useLabContext(): Lab {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('useLab outside <LabProvider>');
  return lab;
}

/** Subscribe to one slice of the state through a selector. */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabContext().store, selector);
}

export function useLabActions(): LabActions {
  return useLabContext().actions;
}

/** The store itself, for transient subscriptions (store.subscribe in an effect). */
export function useLabStore(): LabStore {
  return useLabContext().store;
}
