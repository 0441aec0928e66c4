import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createActions } from './app/actions';
import { browserEnv, createClassroom, startupProgram, withSavedProgram } from './app/classroom';
import { createLessonRequests } from './app/lessonRequests';
import { originalProgram } from './app/lessonLoad';
import { LabProvider } from './app/LabContext';
import { createLabStore } from './app/store';
import { createWorkerPort } from './app/workerPort';
import { applyDisplay } from './ui/shell/display';
import { App } from './ui/shell/App';
import './ui/shell/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// `original(lesson)` is what Reset lesson restores (and where a lesson
// link finds its VM options).
const original = originalProgram;
const browser = browserEnv();
const classroom = createClassroom(browser);
const start = startupProgram(browser.hash(), browser.storage, original, browser.warn);

const store = createLabStore(start.load.text, start.prefs ?? {});
// Theme and projector mode before the first paint (no dark flash in the light
// theme), and on every change before React renders for it.
applyDisplay(document.documentElement, store.getState());
store.subscribe((s, before) => {
  if (s.theme !== before.theme || s.projector !== before.projector)
    applyDisplay(document.documentElement, s);
});
const port = createWorkerPort();
const lessons = createLessonRequests(port);
const actions = createActions(store, port, {
  original,
  publishLink: (hash) => classroom.publishLink(hash),
});
// Build the machine at once, so the debugger shows the reset state before
// Monaco (loaded lazily) is even on screen; a link's position is sought
// once the machine is loaded.
actions.loadProgram(start.load);
if (start.notice) actions.showNotice(start.notice);
classroom.connect(store, actions, original, start.fromLink);

createRoot(root).render(
  <StrictMode>
    <LabProvider lab={{ store, actions }}>
      <App
        lessons={lessons}
        openLesson={(id) =>
          actions.loadProgram(withSavedProgram(browser.storage, original(id), browser.warn))
        }
      />
    </LabProvider>
  </StrictMode>,
);
