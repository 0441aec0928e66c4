import { useEffect, useRef, useState } from 'react';
import { loadMonaco } from './loadMonaco';

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
        const editor = monaco.editor.create(host, {
          value: initialTextRef.current,
          language: 'plaintext',
          theme: 'vs-dark',
          automaticLayout: true,
          fontSize: 14,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          glyphMargin: true,
          ariaLabel: 'Guest program (x86-64 assembly)',
        });
        dispose = () => {
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
