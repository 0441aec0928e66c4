/**
 * The end-to-end test hook: while an editor is mounted,
 * `window.__hypercallEditor` reads and replaces its text, so Playwright tests
 * can load a program without typing it key by key. Not an app API: nothing
 * in the app may call it.
 */

/** What `window.__hypercallEditor` offers. */
export interface HypercallEditorHook {
  getValue(): string;
  setValue(text: string): void;
  /** The assembler's markers on the text now. */
  markers(): { line: number; column: number; message: string }[];
}

declare global {
  interface Window {
    __hypercallEditor?: HypercallEditorHook;
  }
}

/** Install `hook` as `window.__hypercallEditor`; the returned function removes it again (if still ours). */
export function installEditorTestHook(hook: HypercallEditorHook): () => void {
  window.__hypercallEditor = hook;
  return () => {
    if (window.__hypercallEditor === hook) delete window.__hypercallEditor;
  };
}
