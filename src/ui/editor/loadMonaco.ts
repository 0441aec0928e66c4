import type * as MonacoApi from 'monaco-editor/editor/editor.api';

/** The `monaco` namespace object (editor, languages, Range, …). */
export type Monaco = typeof MonacoApi;

let pending: Promise<Monaco> | undefined;

/**
 * Loads Monaco on first call and returns the same promise afterwards.
 *
 * Contract: the page shell must not wait on this; callers show a placeholder
 * until it resolves. Monaco and its editor worker come from the local
 * `monaco-editor` package, bundled by Vite; nothing is fetched from a CDN.
 * Every worker label gets the plain editor worker, because the app registers
 * no language with a worker of its own.
 */
export function loadMonaco(): Promise<Monaco> {
  pending ??= (async () => {
    const [{ default: EditorWorker }, monaco] = await Promise.all([
      import('monaco-editor/editor/editor.worker?worker'),
      import('./monacoBundle'),
    ]);
    self.MonacoEnvironment = {
      getWorker: () => new EditorWorker(),
    };
    return monaco;
  })();
  return pending;
}
