/**
 * The page's links with the browser for the classroom features: which
 * program the page starts with (a share link in the hash wins over the saved
 * program, which wins over the lesson's original), saving program and
 * settings as they change, opening links pasted into the address bar
 * (hashchange), and publishing a share link.
 *
 * The browser is reached only through {@link BrowserEnv}, so the logic runs
 * in tests with fakes; `browserEnv()` is the real one. A link that cannot be
 * opened changes nothing but the banner: the program stays as it was.
 */
import type { LabActions, ProgramLoad } from './actions';
import {
  loadPrefs,
  loadProgram,
  memoryStorage,
  saveProgram,
  savePrefs,
  type SavedPrefs,
  type StorageLike,
  type Warn,
} from './persistence';
import { selectSavedProgram } from './selectors';
import { decode, isEmptyHash, type ShareState } from './share';
import type { LabState, LabStore, Notice } from './store';

/** What the classroom features use of the browser. */
export interface BrowserEnv {
  storage: StorageLike;
  warn: Warn;
  /** The URL's hash now, with its `#` ('' if none). */
  hash(): string;
  /** The whole URL now. */
  href(): string;
  /** Replace the hash without a history entry or a hashchange (null: remove it). */
  replaceHash(hash: string | null): void;
  /** Call `fn` when the user changes the hash (a pasted link); returns the unsubscribe. */
  onHashChange(fn: () => void): () => void;
  /** Copy text to the clipboard; rejects (or is absent) where that is not allowed. */
  copy?(text: string): Promise<void>;
}

/** The program, settings and notice a page starts with. */
export interface Startup {
  load: ProgramLoad;
  prefs: SavedPrefs | null;
  notice: Notice | null;
  /** The program came from a valid link in the hash. */
  fromLink: boolean;
}

/** The banner text for a link that cannot be opened. */
export function brokenLinkNotice(reason: string): Notice {
  return {
    kind: 'error',
    text: `This share link cannot be opened: ${reason}. Your program is unchanged.`,
  };
}

/** A link's program as a load, with its lesson's VM options (which links do not carry). */
function linkLoad(s: ShareState, original: (lesson: string | null) => ProgramLoad): ProgramLoad {
  const vm = s.lesson === null ? {} : (original(s.lesson).vm ?? {});
  return {
    text: s.program,
    vendor: s.vendor,
    vcpus: s.vcpus,
    speed: s.speed,
    lesson: s.lesson,
    vm,
    exit: s.exit,
    vcpu: s.vcpu,
  };
}

/**
 * What the page opens with: a valid link in `hash`; else free mode's saved
 * program; else `original(null)`. A broken link yields a notice and the
 * saved or original program.
 */
export function startupProgram(
  hash: string,
  storage: StorageLike,
  original: (lesson: string | null) => ProgramLoad,
  warn: Warn,
): Startup {
  const prefs = loadPrefs(storage, warn);
  let notice: Notice | null = null;
  if (!isEmptyHash(hash)) {
    const r = decode(hash);
    if (r.ok) return { load: linkLoad(r.state, original), prefs, notice, fromLink: true };
    notice = brokenLinkNotice(r.reason);
  }
  const load = withSavedProgram(storage, { ...original(null), lesson: null }, warn);
  return { load, prefs, notice, fromLink: false };
}

/**
 * A lesson's program as the user left it: the saved text and settings of
 * `original.lesson`'s slot over `original` (whose VM options stay), or
 * `original` itself when nothing usable is saved. Open lessons through
 * this, or their first save overwrites the user's work with the original.
 */
export function withSavedProgram(
  storage: StorageLike,
  original: ProgramLoad,
  warn: Warn,
): ProgramLoad {
  const saved = loadProgram(storage, original.lesson ?? null, warn);
  if (!saved) return original;
  return {
    ...original,
    text: saved.program,
    vendor: saved.vendor,
    vcpus: saved.vcpus,
    speed: saved.speed,
  };
}

/** Identity of what a link describes (program, settings, lesson), for "does the page still match it". */
function programIdentity(s: LabState): string {
  return JSON.stringify([selectSavedProgram(s), s.lesson]);
}

/** The classroom's running part: `connect` once the store and actions exist. */
export interface Classroom {
  /** For ActionEnv.publishLink: show `hash` in the address bar and copy the link. */
  publishLink(hash: string): Promise<{ url: string; copied: boolean }>;
  /**
   * Start saving, listening for pasted links and keeping the address bar
   * honest (a link stays there only while the page still shows what it
   * describes, so a reload never undoes the user's edits). Returns a disconnect.
   * `fromLink`: the page opened a link at startup.
   */
  connect(
    store: LabStore,
    actions: LabActions,
    original: (lesson: string | null) => ProgramLoad,
    fromLink: boolean,
  ): () => void;
}

export function createClassroom(env: BrowserEnv): Classroom {
  let store: LabStore | null = null;
  /** The program identity the hash in the address bar describes, or null if it shows none. */
  let linked: string | null = null;

  return {
    async publishLink(hash) {
      env.replaceHash(hash);
      if (store) linked = programIdentity(store.getState());
      const url = env.href();
      if (!env.copy) return { url, copied: false };
      try {
        await env.copy(url);
        return { url, copied: true };
      } catch {
        return { url, copied: false };
      }
    },

    connect(s, actions, original, fromLink) {
      store = s;
      linked = fromLink ? programIdentity(s.getState()) : null;
      if (!fromLink && !isEmptyHash(env.hash())) env.replaceHash(null); // a broken link

      const unsubscribe = s.subscribe((now, before) => {
        const programChanged =
          now.text !== before.text ||
          now.vendor !== before.vendor ||
          now.vcpus !== before.vcpus ||
          now.speed !== before.speed ||
          now.lesson !== before.lesson;
        if (programChanged) {
          saveProgram(env.storage, now.lesson, selectSavedProgram(now), env.warn);
          if (linked !== null && programIdentity(now) !== linked) {
            linked = null;
            env.replaceHash(null);
          }
        }
        if (now.theme !== before.theme || now.projector !== before.projector)
          savePrefs(env.storage, { theme: now.theme, projector: now.projector }, env.warn);
      });

      const stopListening = env.onHashChange(() => {
        const hash = env.hash();
        if (isEmptyHash(hash)) return;
        const r = decode(hash);
        if (!r.ok) {
          actions.showNotice(brokenLinkNotice(r.reason));
          env.replaceHash(null);
          linked = null;
          return;
        }
        actions.dismissNotice();
        actions.loadProgram(linkLoad(r.state, original));
        linked = programIdentity(s.getState());
      });

      return () => {
        unsubscribe();
        stopListening();
        store = null;
      };
    },
  };
}

/** localStorage if it works (it throws in some privacy modes), else memory for this visit. */
function pageStorage(warn: Warn): StorageLike {
  try {
    const ls = window.localStorage;
    const probe = 'hypercall-lab:probe';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return ls;
  } catch (e) {
    warn(`Saving is off for this visit: ${e instanceof Error ? e.message : String(e)}`);
    return memoryStorage();
  }
}

/** The real browser. */
export function browserEnv(): BrowserEnv {
  const warn: Warn = (m) => console.warn(`Hypercall Lab: ${m}`);
  const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
  return {
    storage: pageStorage(warn),
    warn,
    hash: () => window.location.hash,
    href: () => window.location.href,
    replaceHash(hash) {
      const { pathname, search } = window.location;
      window.history.replaceState(
        window.history.state,
        '',
        `${pathname}${search}${hash ? `#${hash}` : ''}`,
      );
    },
    onHashChange(fn) {
      window.addEventListener('hashchange', fn);
      return () => window.removeEventListener('hashchange', fn);
    },
    copy: clipboard?.writeText ? (text) => clipboard.writeText(text) : undefined,
  };
}
