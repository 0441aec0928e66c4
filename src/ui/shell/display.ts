/**
 * Theme and projector mode live on the root element: data attributes
 * (`data-theme="light"`, `data-projector="true"`) that app.css switches its
 * colour variables on, and `--ui-scale`, from which app.css and every
 * pane's CSS size their type (rem), so one switch enlarges all of it.
 */
import type { Theme } from '../../app/store';
import { setReasonPalette } from '../timeline/colors';

/** Projector mode's scale of all type. */
export const PROJECTOR_SCALE = 1.4;
/** The editor's font size in px, normally and in projector mode. */
export const EDITOR_FONT_SIZE = 14;
export const EDITOR_FONT_SIZE_PROJECTOR = 20;

/**
 * Apply `d` to the root element (and the timeline's palette). Call it before
 * the first render and synchronously on every change (a store subscription),
 * so components rendered for the new theme already see its colours.
 */
export function applyDisplay(root: HTMLElement, d: { theme: Theme; projector: boolean }): void {
  root.dataset.theme = d.theme;
  root.dataset.projector = d.projector ? 'true' : 'false';
  root.style.setProperty('--ui-scale', String(d.projector ? PROJECTOR_SCALE : 1));
  setReasonPalette(d.theme);
}
