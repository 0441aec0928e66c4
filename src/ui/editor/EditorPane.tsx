import { useEffect, useRef, useState } from 'react';
import { loadMonaco } from './loadMonaco';
import { registerX86Language } from './x86asm/contribution';
import { X86_LANGUAGE_ID } from './x86asm/language';
import { assemble } from '../../core';

/** Props of {@link EditorPane}. */
export interface EditorPaneProps {
  /** The program shown when the editor is created. Later changes are ignored (Monaco owns the text). */
  initialText: string;
}

type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; message: string };

/**
 * The guest-program editor: a Monaco instance that owns its own DOM.
 *
 * React renders only the host `div` and a placeholder; Monaco is loaded
 * lazily, created once per mount and disposed on unmount. The instance lives
 * in a ref, never in React state or the store (STYLE.md §7).
 */
export function EditorPane({ initialText }: EditorPaneProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const initialTextRef = useRef(initialText);
  const [state, setState] = useState<LoadState>({ kind: 'loading' });

  useEffect(() => {
    let disposed = false;
    let dispose: (() => void) | undefined;
    loadMonaco().then(
      (monaco) => {
        const host = hostRef.current;
        if (disposed || !host) return;
        registerX86Language(monaco);
        const editor = monaco.editor.create(host, {
          value: initialTextRef.current,
          language: X86_LANGUAGE_ID,
          theme: 'vs-dark',
          automaticLayout: true,
          fontSize: 14,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          glyphMargin: true,
          ariaLabel: 'Guest program (x86-64 assembly)',
        });
        // Assembler errors as markers, re-checked shortly after each edit.
        const model = editor.getModel();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const check = (): void => {
          if (!model || model.isDisposed()) return;
          const result = assemble(model.getValue());
          monaco.editor.setModelMarkers(
            model,
            'assembler',
            result.errors.map((e) => ({
              severity: monaco.MarkerSeverity.Error,
              startLineNumber: e.line,
              startColumn: e.column,
              endLineNumber: e.line,
              endColumn: Math.max(e.endColumn, e.column + 1),
              message: e.message,
            })),
          );
        };
        check();
        const subscription = model?.onDidChangeContent(() => {
          clearTimeout(timer);
          timer = setTimeout(check, 150);
        });
        dispose = () => {
          clearTimeout(timer);
          subscription?.dispose();
          editor.getModel()?.dispose();
          editor.dispose();
        };
        setState({ kind: 'ready' });
      },
      (error: unknown) => {
        if (disposed) return;
        setState({
          kind: 'failed',
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return () => {
      disposed = true;
      dispose?.();
    };
  }, []);

  return (
    <div className="editor-pane">
      {state.kind === 'loading' && (
        <p className="placeholder" role="status">
          Loading the editor…
        </p>
      )}
      {state.kind === 'failed' && (
        <p className="placeholder error" role="alert">
          The editor failed to load: {state.message}
        </p>
      )}
      <div ref={hostRef} className="editor-host" data-testid="monaco-host" />
    </div>
  );
}
