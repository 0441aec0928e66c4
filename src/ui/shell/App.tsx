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
  selectRunning,
  selectVendor,
  selectView,
} from '../../app/selectors';
import { SPEEDS } from '../../app/store';
import { timelineStats } from '../../core';
import { DebuggerPane } from '../debugger';
import { EditorPane } from '../editor/EditorPane';
import { FlowDiagram } from '../flow/FlowDiagram';
import { Timeline } from '../timeline/Timeline';
import { ConsolePane } from './ConsolePane';
import { Controls } from './Controls';
import { Pane } from './Pane';
import { Splitter } from './Splitter';
import { StatusBar } from './StatusBar';

function Editor() {
  const actions = useLabActions();
  const store = useLabStore();
  const breakpoints = useLab(selectBreakpoints);
  const currentLine = useLab(selectCurrentLine);
  const revealRequest = useLab((s) => s.revealRequest);
  return (
    <EditorPane
      initialText={store.getState().text}
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
  const running = useLab(selectRunning);
  const ms = SPEEDS.find((x) => x.level === speed)?.phaseMs ?? 0;
  // At full speed a single step still shows its token briefly; a full-speed
  // run does not animate (its updates are progress reports, not steps).
  const duration = ms || (running ? 0 : 250);
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
  const data = useLab((s) => s.timeline);
  const version = useLab((s) => s.timelineVersion);
  const cursorTime = useLab(selectCursorTime);
  const currentExit = useLab(selectCurrentExit);
  return (
    <Timeline
      data={data}
      version={version}
      cursorTime={cursorTime}
      currentExit={currentExit}
      vmmLane
      onSeekExit={actions.seekExit}
      onRequestStats={(from: number, to: number) =>
        Promise.resolve(timelineStats(store.getState().timeline, from, to))
      }
    />
  );
}

/**
 * The page, laid out like a debugger: the program editor on the left with
 * the console under it, the flow diagram and debugger pane on the right,
 * the exit timeline across the bottom; the dividers are draggable.
 */
export function App() {
  const actions = useLabActions();
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
      </header>
      <main className="app-main">
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
