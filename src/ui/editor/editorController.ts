/**
 * EditorController: one Monaco editor and everything the app draws on it —
 * assembler error markers, breakpoints in the glyph margin, the current
 * instruction, the reveal flash. It owns the Monaco instance and its DOM
 * (STYLE.md §7); EditorPane creates one per mount, keeps it in a ref and
 * forwards prop changes to its setters, so props never recreate the editor.
 *
 * Contracts:
 *  - `onChange` runs once right after creation and then {@link CHANGE_DEBOUNCE_MS}
 *    after the last edit, with the text and the assembler's errors (the same
 *    errors are shown as markers).
 *  - Breakpoints are decorations, so Monaco moves them with edits. When an
 *    edit changes their lines, `onBreakpointsChange` gets the new lines.
 *    `setBreakpoints(lines)` makes the editor show exactly `lines`;
 *    `setBreakpoints(undefined)` leaves them to the editor (a glyph-margin
 *    click then toggles the line itself and reports it through
 *    `onBreakpointsChange`). Either way a click (or F9) calls
 *    `onToggleBreakpoint(line)`.
 */
import { assemble, type AsmError } from '../../core';
import { linesOfRanges, normalizeLines, sameLines, toggleLine } from './breakpointLines';
import {
  breakpointDecoration,
  breakpointHintDecoration,
  currentLineDecoration,
  REVEAL_FLASH_MS,
  revealDecoration,
} from './decorations';
import type { Monaco } from './loadMonaco';
import { X86_LANGUAGE_ID } from './x86asm/language';
import { EDITOR_THEMES, type EditorThemeName } from './x86asm/themes';

/** Delay between the last keystroke and re-assembling (markers, onChange). */
export const CHANGE_DEBOUNCE_MS = 200;

/** What the controller reports; read afresh at each event (the latest props). */
export interface EditorEvents {
  onChange?(text: string, errors: AsmError[]): void;
  onToggleBreakpoint?(line: number): void;
  onBreakpointsChange?(lines: readonly number[]): void;
}

type CodeEditor = ReturnType<Monaco['editor']['create']>;
type Collection = ReturnType<CodeEditor['createDecorationsCollection']>;

export class EditorController {
  readonly editor: CodeEditor;
  private readonly monaco: Monaco;
  private readonly events: () => EditorEvents;
  private readonly breakpoints: Collection;
  private readonly hint: Collection;
  private readonly current: Collection;
  private readonly flash: Collection;
  private readonly disposables: { dispose(): void }[] = [];
  /** Lines last given by the parent (undefined: the editor keeps its own). */
  private controlledLines: number[] | undefined;
  /** Lines last reported through onBreakpointsChange (or set). */
  private knownLines: number[] = [];
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    monaco: Monaco,
    host: HTMLElement,
    init: { text: string; fontSize: number; theme: EditorThemeName },
    events: () => EditorEvents,
  ) {
    this.monaco = monaco;
    this.events = events;
    this.editor = monaco.editor.create(host, {
      value: init.text,
      language: X86_LANGUAGE_ID,
      theme: EDITOR_THEMES[init.theme].id,
      automaticLayout: true,
      fontSize: init.fontSize,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      glyphMargin: true,
      ariaLabel: 'Guest program (x86-64 assembly)',
    });
    this.breakpoints = this.editor.createDecorationsCollection();
    this.hint = this.editor.createDecorationsCollection();
    this.current = this.editor.createDecorationsCollection();
    this.flash = this.editor.createDecorationsCollection();
    this.listen();
    this.check();
  }

  private listen(): void {
    const { editor, monaco } = this;
    const glyph = monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN;
    this.disposables.push(
      editor.onDidChangeModelContent(() => {
        this.trackBreakpoints();
        clearTimeout(this.changeTimer);
        this.changeTimer = setTimeout(() => this.check(), CHANGE_DEBOUNCE_MS);
      }),
      editor.onMouseDown((e) => {
        if (e.target.type === glyph && e.event.leftButton && e.target.position) {
          this.hint.clear();
          this.toggle(e.target.position.lineNumber);
        }
      }),
      editor.onMouseMove((e) => {
        const line = e.target.type === glyph ? e.target.position?.lineNumber : undefined;
        if (line === undefined || this.knownLines.includes(line)) this.hint.clear();
        else this.hint.set([breakpointHintDecoration(line)]);
      }),
      editor.onMouseLeave(() => this.hint.clear()),
      editor.addAction({
        id: 'hypercall-lab.toggleBreakpoint',
        label: 'Toggle Breakpoint',
        keybindings: [monaco.KeyCode.F9],
        run: (ed) => {
          const pos = ed.getPosition();
          if (pos) this.toggle(pos.lineNumber);
        },
      }),
    );
  }

  /** Assemble the text: markers on the model, then onChange. */
  private check(): void {
    const model = this.editor.getModel();
    if (!model || model.isDisposed()) return;
    const text = model.getValue();
    const { errors } = assemble(text);
    this.monaco.editor.setModelMarkers(
      model,
      'assembler',
      errors.map((e) => ({
        severity: this.monaco.MarkerSeverity.Error,
        startLineNumber: e.line,
        startColumn: e.column,
        endLineNumber: e.line,
        endColumn: Math.max(e.endColumn, e.column + 1),
        message: e.message,
      })),
    );
    this.events().onChange?.(text, errors);
  }

  private toggle(line: number): void {
    if (this.controlledLines === undefined) {
      this.showBreakpoints(toggleLine(this.knownLines, line));
      this.events().onBreakpointsChange?.(this.knownLines);
    }
    this.events().onToggleBreakpoint?.(line);
  }

  /** After an edit: the lines the breakpoint decorations moved to. */
  private trackBreakpoints(): void {
    const ranges = this.breakpoints.getRanges();
    const lines = linesOfRanges(ranges);
    // Two breakpoints merged onto one line: keep one decoration.
    if (lines.length !== ranges.length) this.breakpoints.set(lines.map(breakpointDecoration));
    if (sameLines(lines, this.knownLines)) return;
    this.knownLines = lines;
    this.events().onBreakpointsChange?.(lines);
  }

  private showBreakpoints(lines: readonly number[]): void {
    const count = this.editor.getModel()?.getLineCount() ?? 0;
    this.knownLines = normalizeLines(lines, count);
    this.breakpoints.set(this.knownLines.map(breakpointDecoration));
  }

  /**
   * Show exactly `lines` (or, with undefined, let the editor keep its own).
   * A list equal to the previous one is ignored, so a parent that re-renders
   * with stale lines does not undo moves it was not told about yet.
   */
  setBreakpoints(lines: readonly number[] | undefined): void {
    if (lines === undefined) {
      this.controlledLines = undefined;
      return;
    }
    if (this.controlledLines !== undefined && sameLines(lines, this.controlledLines)) return;
    this.controlledLines = normalizeLines(lines);
    if (!sameLines(this.controlledLines, this.knownLines)) this.showBreakpoints(lines);
  }

  /** Breakpoint lines as shown now. */
  breakpointLines(): readonly number[] {
    return this.knownLines;
  }

  /** Highlight `line` as the current instruction (null: none). */
  setCurrentLine(line: number | null): void {
    const count = this.editor.getModel()?.getLineCount() ?? 0;
    if (line === null || !Number.isInteger(line) || line < 1 || line > count) this.current.clear();
    else this.current.set([currentLineDecoration(line)]);
  }

  /** Scroll `line` into view (centred if it was outside) and flash it. */
  reveal(line: number): void {
    const count = this.editor.getModel()?.getLineCount() ?? 0;
    if (!Number.isInteger(line) || line < 1 || line > count) return;
    this.editor.revealLineInCenterIfOutsideViewport(line, this.monaco.editor.ScrollType.Smooth);
    this.flash.set([revealDecoration(line)]);
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => this.flash.clear(), REVEAL_FLASH_MS);
  }

  setFontSize(fontSize: number): void {
    this.editor.updateOptions({ fontSize });
  }

  /** Switch the colour theme (Monaco's theme is global: every editor on the page follows). */
  setTheme(theme: EditorThemeName): void {
    this.monaco.editor.setTheme(EDITOR_THEMES[theme].id);
  }

  /** The assembler markers now (line, column, message), for tests. */
  markers(): { line: number; column: number; message: string }[] {
    return this.monaco.editor
      .getModelMarkers({ owner: 'assembler' })
      .map((m) => ({ line: m.startLineNumber, column: m.startColumn, message: m.message }));
  }

  getValue(): string {
    return this.editor.getValue();
  }

  /** Replace the whole text (markers and onChange follow after the debounce). */
  setValue(text: string): void {
    this.editor.setValue(text);
  }

  dispose(): void {
    clearTimeout(this.changeTimer);
    clearTimeout(this.flashTimer);
    for (const d of this.disposables) d.dispose();
    this.editor.getModel()?.dispose();
    this.editor.dispose();
  }
}
