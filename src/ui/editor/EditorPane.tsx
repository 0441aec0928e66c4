import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { EditorController } from './editorController';
import { loadMonaco } from './loadMonaco';
import { installEditorTestHook } from './testHook';
import { registerX86Language } from './x86asm/contribution';
import type { EditorThemeName } from './x86asm/themes';
import './editor.css';

/** An assembler error as EditorPane reports it (1-based line and column). */
export interface EditorError {
  line: number;
  column: number;
  message: string;
}

/** Props of {@link EditorPane}. */
export interface EditorPaneProps {
  /** The program shown when the editor is created. Later changes are ignored (Monaco owns the text). */
  initialText: string;
  /** Called (debounced ~200 ms) with the text and the assembler errors after each edit, and once on load. */
  onChange?(text: string, errors: EditorError[]): void;
  /** Lines (1-based) with a breakpoint; the editor shows them, and reports gutter clicks through onToggleBreakpoint. */
  breakpoints?: readonly number[];
  onToggleBreakpoint?(line: number): void;
  /**
   * Called with all breakpoint lines when edits move them (Monaco carries
   * them along with their text), so the owner of `breakpoints` can follow.
   * Without a `breakpoints` prop the editor keeps breakpoints itself, and
   * this also reports each gutter toggle.
   */
  onBreakpointsChange?(lines: readonly number[]): void;
  /** Line (1-based) of the current instruction, or null. */
  currentLine?: number | null;
  /** When this object changes identity, the editor scrolls to and flashes line `revealRequest.line`. */
  revealRequest?: { line: number } | null;
  /** Projector mode etc.: editor font size (default 14). */
  fontSize?: number;
  /** Colour theme (default 'dark'); see x86asm/themes.ts. */
  theme?: EditorThemeName;
}

type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; message: string };

/**
 * The guest-program editor: a Monaco instance that owns its own DOM.
 *
 * React renders only the host `div` and a placeholder; Monaco is loaded
 * lazily, created once per mount and disposed on unmount. The instance lives
 * in an {@link EditorController} in a ref, never in React state or the store
 * (STYLE.md §7); prop changes reach it through effects, which update
 * decorations and options without recreating the editor. Once Monaco is up
 * the host div gets `data-ready="true"` and `window.__hypercallEditor` is set
 * (testHook.ts).
 */
export function EditorPane(props: EditorPaneProps) {
  const {
    breakpoints,
    currentLine = null,
    revealRequest = null,
    fontSize = 14,
    theme = 'dark',
  } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<EditorController | null>(null);
  // The latest props, for Monaco's event handlers (they outlive any one render).
  const propsRef = useRef(props);
  useLayoutEffect(() => {
    propsRef.current = props;
  });
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const ready = state.kind === 'ready';

  useEffect(() => {
    let disposed = false;
    let dispose: (() => void) | undefined;
    loadMonaco().then(
      (monaco) => {
        const host = hostRef.current;
        if (disposed || !host) return;
        registerX86Language(monaco);
        const initial = propsRef.current;
        const controller = new EditorController(
          monaco,
          host,
          {
            text: initial.initialText,
            fontSize: initial.fontSize ?? 14,
            theme: initial.theme ?? 'dark',
          },
          () => propsRef.current,
        );
        controllerRef.current = controller;
        const uninstallHook = installEditorTestHook({
          getValue: () => controller.getValue(),
          setValue: (text) => controller.setValue(text),
          markers: () => controller.markers(),
        });
        dispose = () => {
          uninstallHook();
          controllerRef.current = null;
          controller.dispose();
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

  useEffect(() => {
    if (ready) controllerRef.current?.setBreakpoints(breakpoints);
  }, [ready, breakpoints]);

  useEffect(() => {
    if (ready) controllerRef.current?.setCurrentLine(currentLine);
  }, [ready, currentLine]);

  useEffect(() => {
    if (ready && revealRequest) controllerRef.current?.reveal(revealRequest.line);
  }, [ready, revealRequest]);

  useEffect(() => {
    if (ready) controllerRef.current?.setFontSize(fontSize);
  }, [ready, fontSize]);

  useEffect(() => {
    if (ready) controllerRef.current?.setTheme(theme);
  }, [ready, theme]);

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
      <div
        ref={hostRef}
        className="editor-host"
        data-testid="monaco-host"
        data-ready={ready ? 'true' : 'false'}
      />
    </div>
  );
}
