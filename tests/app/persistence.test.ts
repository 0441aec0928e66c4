import { describe, expect, it } from 'vitest';
import { MAX_PROGRAM_CHARS } from '../../src/app/fields';
import {
  clearProgram,
  loadPrefs,
  loadProgram,
  MAX_STORED_CHARS,
  memoryStorage,
  PREFS_KEY,
  programKey,
  savePrefs,
  saveProgram,
  type SavedProgram,
  type StorageLike,
} from '../../src/app/persistence';

const SAVED: SavedProgram = { program: '_start:\n    hlt\n', vendor: 'amd', vcpus: 2, speed: 3 };

function warnings() {
  const list: string[] = [];
  return { list, warn: (m: string) => list.push(m) };
}

describe('persistence', () => {
  it('saves and loads a program per lesson, free mode apart', () => {
    const s = memoryStorage();
    const w = warnings();
    expect(saveProgram(s, null, SAVED, w.warn)).toBe(true);
    expect(saveProgram(s, '01-vmcall', { ...SAVED, program: 'nop\n' }, w.warn)).toBe(true);
    expect(loadProgram(s, null, w.warn)).toEqual(SAVED);
    expect(loadProgram(s, '01-vmcall', w.warn)?.program).toBe('nop\n');
    expect(loadProgram(s, '02-other', w.warn)).toBeNull();
    expect(programKey(null)).toBe('hypercall-lab:v1:free');
    expect(programKey('free')).toBe('hypercall-lab:v1:lesson:free'); // never collides with free mode
    expect(w.list).toEqual([]);
    clearProgram(s, null, w.warn);
    expect(loadProgram(s, null, w.warn)).toBeNull();
  });

  it('saves and loads the display preferences', () => {
    const s = memoryStorage();
    expect(loadPrefs(s)).toBeNull();
    savePrefs(s, { theme: 'light', projector: true });
    expect(loadPrefs(s)).toEqual({ theme: 'light', projector: true });
  });

  it('ignores corrupt, ill-typed, foreign and huge values with a warning', () => {
    const bad: [string, string][] = [
      ['not json', '{"program": "hlt"'],
      ['not an object', '[1,2]'],
      ['null', 'null'],
      ['a number', '42'],
      ['program not text', JSON.stringify({ ...SAVED, program: 7 })],
      ['vendor', JSON.stringify({ ...SAVED, vendor: 'arm' })],
      ['vcpus', JSON.stringify({ ...SAVED, vcpus: 17 })],
      ['speed', JSON.stringify({ ...SAVED, speed: '3' })],
      ['missing field', JSON.stringify({ program: 'hlt', vendor: 'intel', vcpus: 1 })],
      ['unknown field', JSON.stringify({ ...SAVED, extra: true })],
      ['__proto__', `{"__proto__":{"polluted":1},${JSON.stringify(SAVED).slice(1)}`],
      [
        'program too long',
        JSON.stringify({ ...SAVED, program: 'x'.repeat(MAX_PROGRAM_CHARS + 1) }),
      ],
      ['huge', `"${'x'.repeat(MAX_STORED_CHARS + 1)}"`],
    ];
    for (const [what, raw] of bad) {
      const s = memoryStorage();
      const w = warnings();
      s.setItem(programKey(null), raw);
      expect(loadProgram(s, null, w.warn), what).toBeNull();
      expect(w.list, what).toHaveLength(1);
    }
    for (const raw of ['{', '{"theme":"sepia","projector":false}', '{"theme":"dark"}']) {
      const s = memoryStorage();
      const w = warnings();
      s.setItem(PREFS_KEY, raw);
      expect(loadPrefs(s, w.warn)).toBeNull();
      expect(w.list).toHaveLength(1);
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('never throws when storage is disabled or full', () => {
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError: storage is disabled');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const w = warnings();
    expect(loadProgram(broken, null, w.warn)).toBeNull();
    expect(saveProgram(broken, null, SAVED, w.warn)).toBe(false);
    expect(loadPrefs(broken, w.warn)).toBeNull();
    expect(savePrefs(broken, { theme: 'dark', projector: false }, w.warn)).toBe(false);
    expect(() => clearProgram(broken, null, w.warn)).not.toThrow();
    expect(w.list).toHaveLength(5);
    expect(w.list[1]).toMatch(/QuotaExceeded/);
  });

  it('refuses to save what it would not load', () => {
    const s = memoryStorage();
    const w = warnings();
    const long = { ...SAVED, program: 'x'.repeat(MAX_PROGRAM_CHARS + 1) };
    expect(saveProgram(s, null, long, w.warn)).toBe(false);
    expect(saveProgram(s, '../etc', SAVED, w.warn)).toBe(false);
    expect(s.map.size).toBe(0);
    expect(w.list).toHaveLength(2);
    expect(loadProgram(s, '../etc', w.warn)).toBeNull();
  });
});
