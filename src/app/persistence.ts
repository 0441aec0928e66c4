/**
 * What survives a reload: the program and its settings, one slot per lesson
 * (keyed by lesson id, or "free" outside lessons), and the display
 * preferences (theme, projector mode), shared by all lessons.
 *
 * Pure over an injected Storage-like object (localStorage in the page, a Map
 * in tests). Stored values are untrusted — another version of the app, a
 * browser extension or a full disk may have left anything — so every read
 * is checked like a share link: a corrupt, huge or ill-typed value is
 * ignored with a warning, and no call here ever throws (storage that is
 * disabled or full included).
 */
import {
  checkKeys,
  checkProgram,
  checkSpeed,
  checkVcpus,
  checkVendor,
  firstProblem,
  isRecord,
  LESSON_ID,
} from './fields';
import type { Theme, Vendor } from './store';

/** The part of the Web Storage API used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Reports a value that was ignored, or a write that failed (console.warn in the page). */
export type Warn = (message: string) => void;

/** Every key starts with this (the `v1` is the stored format's version). */
export const STORAGE_PREFIX = 'hypercall-lab:v1:';
/** Longest stored value read (characters); anything longer is ignored. */
export const MAX_STORED_CHARS = 256 * 1024;

/** The saved program of one lesson (or of free mode). */
export interface SavedProgram {
  program: string;
  vendor: Vendor;
  vcpus: number;
  speed: number;
}

/** Display preferences, the same in every lesson. */
export interface SavedPrefs {
  theme: Theme;
  projector: boolean;
}

const PROGRAM_FIELDS = ['program', 'vendor', 'vcpus', 'speed'] as const;
const PREFS_FIELDS = ['theme', 'projector'] as const;

/** The storage key of a lesson's program ("free" for free mode). */
export function programKey(lesson: string | null): string {
  if (lesson === null) return `${STORAGE_PREFIX}free`;
  if (!LESSON_ID.test(lesson)) throw new RangeError(`not a lesson id: ${lesson.slice(0, 40)}`);
  return `${STORAGE_PREFIX}lesson:${lesson}`;
}

export const PREFS_KEY = `${STORAGE_PREFIX}prefs`;

/** Nothing stored (or nothing usable: a warning has been given). */
const NOTHING = Symbol('nothing');

/** Read and parse one key; NOTHING if absent or unusable (with a warning when something was there). */
function readJson(storage: StorageLike, key: string, warn: Warn): unknown {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch (e) {
    warn(`Could not read saved data (${describe(e)}).`);
    return NOTHING;
  }
  if (raw === null) return NOTHING;
  if (typeof raw !== 'string' || raw.length > MAX_STORED_CHARS) {
    warn(`Ignored the saved value of ${key}: it is too large.`);
    return NOTHING;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    warn(`Ignored the saved value of ${key}: it is not valid JSON.`);
    return NOTHING;
  }
}

function writeJson(storage: StorageLike, key: string, value: unknown, warn: Warn): boolean {
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch (e) {
    warn(`Could not save ${key} (${describe(e)}).`);
    return false;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The saved program of `lesson`, or null if none or unusable. */
export function loadProgram(
  storage: StorageLike,
  lesson: string | null,
  warn: Warn = console.warn,
): SavedProgram | null {
  let key: string;
  try {
    key = programKey(lesson);
  } catch {
    return null;
  }
  const v = readJson(storage, key, warn);
  if (v === NOTHING) return null;
  const problem = isRecord(v)
    ? firstProblem(
        checkKeys(v, PROGRAM_FIELDS),
        checkProgram(v.program),
        checkVendor(v.vendor),
        checkVcpus(v.vcpus),
        checkSpeed(v.speed),
      )
    : 'it is not an object';
  if (problem || !isRecord(v)) {
    warn(`Ignored the saved program of ${key}: ${problem}.`);
    return null;
  }
  return {
    program: v.program as string,
    vendor: v.vendor as Vendor,
    vcpus: v.vcpus as number,
    speed: v.speed as number,
  };
}

/**
 * Save `lesson`'s program. False (with a warning) if it is not savable — a
 * program over MAX_PROGRAM_CHARS, a full or disabled storage.
 */
export function saveProgram(
  storage: StorageLike,
  lesson: string | null,
  saved: SavedProgram,
  warn: Warn = console.warn,
): boolean {
  const problem = firstProblem(
    checkProgram(saved.program),
    checkVendor(saved.vendor),
    checkVcpus(saved.vcpus),
    checkSpeed(saved.speed),
  );
  if (problem) {
    warn(`Did not save the program: ${problem}.`);
    return false;
  }
  let key: string;
  try {
    key = programKey(lesson);
  } catch (e) {
    warn(`Did not save the program: ${describe(e)}.`);
    return false;
  }
  return writeJson(
    storage,
    key,
    { program: saved.program, vendor: saved.vendor, vcpus: saved.vcpus, speed: saved.speed },
    warn,
  );
}

/** Forget `lesson`'s saved program (Reset lesson). */
export function clearProgram(
  storage: StorageLike,
  lesson: string | null,
  warn: Warn = console.warn,
): void {
  try {
    storage.removeItem(programKey(lesson));
  } catch (e) {
    warn(`Could not clear the saved program (${describe(e)}).`);
  }
}

/** The saved display preferences, or null if none or unusable. */
export function loadPrefs(storage: StorageLike, warn: Warn = console.warn): SavedPrefs | null {
  const v = readJson(storage, PREFS_KEY, warn);
  if (v === NOTHING) return null;
  const ok =
    isRecord(v) &&
    checkKeys(v, PREFS_FIELDS) === null &&
    (v.theme === 'dark' || v.theme === 'light') &&
    typeof v.projector === 'boolean';
  if (!ok) {
    warn('Ignored the saved display preferences: they are not in the expected form.');
    return null;
  }
  return { theme: v.theme as Theme, projector: v.projector as boolean };
}

export function savePrefs(
  storage: StorageLike,
  prefs: SavedPrefs,
  warn: Warn = console.warn,
): boolean {
  return writeJson(storage, PREFS_KEY, { theme: prefs.theme, projector: prefs.projector }, warn);
}

/** An in-memory StorageLike (tests, and the page when localStorage is unavailable). */
export function memoryStorage(): StorageLike & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
  };
}
