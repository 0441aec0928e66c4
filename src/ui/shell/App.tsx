import { useEffect } from 'react';
import { applyKey } from '../../app/keys';
import { useLab, useLabActions, useLabStore } from '../../app/LabContext';
import {
  selectBreakpoints,
  selectCurrentExit,
  selectCurrentLine,
  selectCursorTime,
  selectPhase,
  selectPrevious,
  selectProgramEpoch,
  selectProjector,
  selectShownTimeline,
  selectTheme,
  selectVendor,
  selectView,
} from '../../app/selectors';
import { SPEEDS } from '../../app/store';
import { timelineStats } from '../../core';
import { DebuggerPane } from '../debugger';
import { EditorPane } from '../editor/EditorPane';
import { editorThemeName } from '../editor/x86asm/themes';
import { FlowDiagram } from '../flow/FlowDiagram';
import { Timeline } from '../timeline/Timeline';
import { ConsolePane } from './ConsolePane';
import { Controls } from './Controls';
import { EDITOR_FONT_SIZE, EDITOR_FONT_SIZE_PROJECTOR } from './display';
import { NoticeBanner } from './NoticeBanner';
import { Pane } from './Pane';
import { Splitter } from './Splitter';
import { LessonPane } from '../lessons/LessonPane';
import { LessonPicker } from '../lessons/LessonPicker';
import type { LessonRequests } from '../../app/lessonRequests';
import { StatusBar } from './StatusBar';
import { TimelineTools } from './TimelineTools';

function Editor() {
  const actions = useLabActions();
  const store = useLabStore();
  const breakpoints = useLab(selectBreakpoints);
  const currentLine = useLab(selectCurrentLine);
  const revealRequest = useLab((s) => s.revealRequest);
  const theme = useLab(selectTheme);
  const projector = useLab(selectProjector);
  // A program from outside the editor (link, Reset lesson, lesson) starts a new editor on it.
  const epoch = useLab(selectProgramEpoch);
  return (
    <EditorPane
      key={epoch}
      initialText={store.getState().text}
      fontSize={projector ? EDITOR_FONT_SIZE_PROJECTOR : EDITOR_FONT_SIZE}
      theme={editorThemeName(theme, projector)}
      onChange={actions.setText}
      breakpoints={breakpoints}
      onToggleBreakpoint={actions.toggleBreakpoint}
      onBreakpointsChange={actions.setBreakpoints}
      currentLine={currentLine}
      revealRequest={revealRequest}
    />
  );
}

function Flow() {
  const phase = useLab(selectPhase);
  const previous = useLab((s) => s.previous?.phase ?? null);
  const vendor = useLab(selectVendor);
  const speed = useLab((s) => s.speed);
  const ms = SPEEDS.find((x) => x.level === speed)?.phaseMs ?? 0;
  // At full speed a single step still shows its token briefly (the phase is
  // held while a full-speed run goes on: selectPhase).
  const duration = ms || 250;
  return <FlowDiagram phase={phase} previous={previous} vendor={vendor} durationMs={duration} />;
}

function Debugger() {
  const actions = useLabActions();
  const view = useLab(selectView);
  const previous = useLab(selectPrevious);
  return (
    <DebuggerPane
      view={view}
      previous={previous}
      onSelectVcpu={actions.selectVcpu}
      onMemoryGoto={actions.memoryGoto}
    />
  );
}

function TimelinePane() {
  const actions = useLabActions();
  const store = useLabStore();
  const imported = useLab((s) => s.imported?.timeline != null);
  const data = useLab(selectShownTimeline);
  const version = useLab((s) => s.timelineVersion);
  const cursorTime = useLab(selectCursorTime);
  const currentExit = useLab(selectCurrentExit);
  // The canvas takes its colours when it is built: a new theme builds it anew.
  const theme = useLab(selectTheme);
  return (
    <div className="timeline-pane">
      <TimelineTools />
      <div className="timeline-pane-plot">
        <Timeline
          key={`${theme}${imported ? '-imported' : ''}`}
          data={data}
          version={version}
          cursorTime={imported ? null : cursorTime}
          currentExit={imported ? null : currentExit}
          vmmLane
          onSeekExit={imported ? () => {} : actions.seekExit}
          onRequestStats={(from: number, to: number) =>
            Promise.resolve(timelineStats(selectShownTimeline(store.getState()), from, to))
          }
        />
      </div>
    </div>
  );
}

/**
 * The page, laid out like a debugger: the program editor on the left with
 * the console under it, the flow diagram and debugger pane on the right,
 * the exit timeline across the bottom; the dividers are draggable.
 */
export interface AppProps {
  /** Lesson checks and variant runs (answered by the Worker). */
  lessons: LessonRequests;
  /** Open a lesson (or free mode: null) as the user left it. */
  openLesson(lesson: string | null): void;
}

export function App({ lessons, openLesson }: AppProps) {
  const actions = useLabActions();
  const hasLesson = useLab((s) => s.lesson !== null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (applyKey(e, actions)) e.preventDefault();
    };
    // Capture phase: the keys work while Monaco has focus too.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [actions]);
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Hypercall Lab</h1>
        <Controls />
        <div className="lesson-picker">
          <LessonPicker open={openLesson} />
        </div>
      </header>
      <NoticeBanner />
      <main className={hasLesson ? 'app-main has-lesson' : 'app-main'}>
        {hasLesson && (
          <Pane name="Lesson" area="lesson">
            <LessonPane requests={lessons} />
          </Pane>
        )}
        <Pane name="Editor" area="editor" scrollable={false}>
          <Editor />
        </Pane>
        <Splitter
          label="Resize the editor column"
          area="vsplit"
          orientation="vertical"
          variable="--left-width"
          pane=".pane-editor"
          min={280}
          reserve={320}
        />
        <Pane name="Flow" area="flow">
          <Flow />
        </Pane>
        <Splitter
          label="Resize the flow diagram"
          area="fsplit"
          orientation="horizontal"
          variable="--flow-height"
          pane=".pane-flow"
          min={160}
          reserve={260}
        />
        <Pane name="Debugger" area="debugger">
          <Debugger />
        </Pane>
        <Pane name="Console" area="console">
          <ConsolePane />
        </Pane>
        <Splitter
          label="Resize the timeline"
          area="tsplit"
          orientation="horizontal"
          variable="--timeline-height"
          pane=".pane-timeline"
          min={140}
          reserve={200}
          sign={-1}
        />
        <Pane name="Timeline" area="timeline">
          <TimelinePane />
        </Pane>
      </main>
      <StatusBar />
    </div>
  );
}
