/**
 * The DOM attributes of a value that changed since the last command: one
 * place decides how "changed" looks (class `dbg-changed`), reads (the old
 * value as `title` "was 0x…" for mouse users and as `aria-description` for
 * screen readers) and is found by tests (`data-changed`).
 */

/** Attributes to spread on a cell/item; `base` is its usual class name. */
export interface ChangedAttrs {
  className: string | undefined;
  title?: string;
  'aria-description'?: string;
  'data-changed'?: 'true';
}

/**
 * Attributes for a value whose old text is `old` (undefined: unchanged).
 * Spread them on an element with a role (td, dd, li): `aria-description` is
 * ignored on plain spans. `base` is kept in the class list either way.
 */
export function changedAttrs(old: string | undefined, base?: string): ChangedAttrs {
  if (old === undefined) return { className: base };
  return {
    className: base ? `${base} dbg-changed` : 'dbg-changed',
    title: `was ${old}`,
    'aria-description': `changed, was ${old}`,
    'data-changed': 'true',
  };
}
